"""Unit tests: decoding, dates, 文号, label variants, boilerplate line rules."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from cleaners import clean, decode_html
from cleaners.dates import date_from_url, parse_date
from cleaners.docnumber import normalize_doc_number
from cleaners.metadata import find_pairs

REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "realpages"

# --------------------------------------------------------------------------------------
# decoding
# --------------------------------------------------------------------------------------
SMALL_PAGE = (
    "<html><head><title>汶上县司法局2023年度法治政府建设报告</title></head><body>"
    "<div id='zoom'><p>2023年，在县委、县政府的坚强领导和市司法局的正确指导下，县司法局坚持以"
    "习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。镕、喆、瑄等字也要保留。</p>"
    "<p>汶上县司法局</p><p>2024年2月28日</p></div></body></html>"
)


def _gbk_page_text() -> str:
    """A real page (pingtan detail 1) without its charset declaration, GBK-encodable."""
    path = REALPAGES / "pingtan__xxgk-detail-1.html"
    if not path.is_file():
        return SMALL_PAGE
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'<meta charset="UTF-8" */?>', "", text, count=1)
    assert "charset" not in text.lower()[:3000]
    text.encode("gbk")  # must be representable in GBK for the test to mean anything
    return text


@pytest.fixture(scope="module", params=["real", "small"])
def page_text(request) -> str:
    return _gbk_page_text() if request.param == "real" else SMALL_PAGE


def test_decode_gbk_with_correct_header(page_text):
    text, enc = decode_html(page_text.encode("gbk"), {"Content-Type": "text/html; charset=GBK"})
    assert text == page_text
    assert enc == "gb18030"


def test_decode_gbk_without_any_charset(page_text):
    text, enc = decode_html(page_text.encode("gbk"), {"content-type": "text/html"})
    assert text == page_text
    assert enc == "gb18030"
    text, enc = decode_html(page_text.encode("gbk"), None)
    assert text == page_text


def test_decode_gbk_bytes_with_utf8_header(page_text):
    text, enc = decode_html(page_text.encode("gbk"), {"CONTENT-TYPE": "text/html;charset=UTF-8"})
    assert text == page_text
    assert enc == "gb18030"
    assert "\ufffd" not in text


def test_decode_utf8_bytes_with_gbk_header(page_text):
    text, enc = decode_html(page_text.encode("utf-8"), {"Content-Type": "text/html; charset=gbk"})
    assert text == page_text
    assert enc == "utf-8"


def test_decode_meta_declared_gb2312_with_gbk_only_chars():
    page = SMALL_PAGE.replace(
        "<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    )
    body = page.encode("gb18030")
    assert "镕".encode("gb18030") in body  # 镕 is GBK, not GB2312
    text, enc = decode_html(body)
    assert text == page and enc == "gb18030"


def test_decode_meta_charset_wins_over_nothing():
    page = SMALL_PAGE.replace("<head>", '<head><meta charset="gbk">')
    text, enc = decode_html(page.encode("gbk"), {})
    assert text == page and enc == "gb18030"


def test_decode_bom_beats_header():
    body = codecs.BOM_UTF8 + SMALL_PAGE.encode("utf-8")
    text, enc = decode_html(body, {"Content-Type": "text/html; charset=gbk"})
    assert text == SMALL_PAGE and enc == "utf-8"
    body = codecs.BOM_UTF16_LE + SMALL_PAGE.encode("utf-16-le")
    text, enc = decode_html(body)
    assert text == SMALL_PAGE


def test_decode_damaged_utf8_prefers_utf8():
    # a UTF-8 page with a few stray GBK bytes (seen on a court site): keep UTF-8, not mojibake
    body = SMALL_PAGE.encode("utf-8").replace(
        b"<body>", b"<body><!--" + "注释".encode("gbk") + b"-->"
    )
    text, enc = decode_html(body, {"Content-Type": "text/html; charset=utf-8"})
    assert enc == "utf-8"
    assert "汶上县司法局" in text


def test_decode_ascii_and_empty():
    assert decode_html(b"", None) == ("", "utf-8")
    text, _ = decode_html(
        b"<html><body>plain</body></html>", {"Content-Type": "text/html; charset=ISO-8859-1"}
    )
    assert text == "<html><body>plain</body></html>"


def test_clean_same_record_whatever_the_encoding_labels():
    page = SMALL_PAGE
    url = "http://x.gov.cn/art/2024/3/2/art_1_2.html"
    base = clean(page.encode("utf-8"), url, {"Content-Type": "text/html; charset=utf-8"})
    variants = [
        (page.encode("gbk"), {"Content-Type": "text/html; charset=GBK"}),
        (page.encode("gbk"), {}),
        (page.encode("gbk"), {"Content-Type": "text/html; charset=UTF-8"}),
        (page.encode("utf-8"), {"Content-Type": "text/html; charset=gbk"}),
    ]
    for body, headers in variants:
        rec = clean(body, url, headers)
        assert rec["title"] == base["title"] == "汶上县司法局2023年度法治政府建设报告"
        assert rec["text"] == base["text"]
        assert "镕、喆、瑄" in rec["text"]


# --------------------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw,iso",
    [
        ("2024年2月28日", "2024-02-28"),
        ("2024年02月28日 16:40", "2024-02-28"),
        ("2024-02-28", "2024-02-28"),
        ("2024-02-28 17:08", "2024-02-28"),
        ("2024-02-28 17:08:59", "2024-02-28"),
        ("2007-08-20-23:59:59", "2007-08-20"),
        ("2024/2/28", "2024-02-28"),
        ("2024/02/28 9:05", "2024-02-28"),
        ("2024.02.28", "2024-02-28"),
        ("2024.2.8", "2024-02-08"),
        ("二〇二四年二月二十八日", "2024-02-28"),
        ("二○一二年二月二十日", "2012-02-20"),
        ("二〇二三年十二月三十一日", "2023-12-31"),
        ("二〇二四年十月一日", "2024-10-01"),
        ("２０２４年２月２８日", "2024-02-28"),
        ("  发布日期：2024-03-02  ", "2024-03-02"),
        ("20240228", "2024-02-28"),
    ],
)
def test_parse_date(raw, iso):
    assert parse_date(raw) == iso


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "无",
        "-",
        "2024年13月45日",
        "2024-02-30",
        "二〇二四年",
        "2024年2月",
        "待定",
        "长期",
        "1-10月",
    ],
)
def test_parse_date_unparseable(raw):
    assert parse_date(raw) is None


def test_unparseable_date_kept_raw_not_guessed():
    html = (
        "<html><body><table><tr><td>成文日期：</td><td>2024年2月</td><td>发布日期：</td><td>待定</td></tr>"
        "<tr><td>索引号：</td><td>X/2024-1</td></tr></table>"
        "<div id='zoom'><p>正文内容正文内容正文内容。</p></div></body></html>"
    )
    rec = clean(html.encode("utf-8"), "http://x.gov.cn/doc.html")
    assert rec["written_date"] is None
    assert rec["published_date"] is None
    assert rec["raw_fields"]["成文日期"] == "2024年2月"
    assert rec["raw_fields"]["发布日期"] == "待定"
    assert "written_date" not in rec["field_sources"]


@pytest.mark.parametrize(
    "url,iso",
    [
        ("http://www.wenshang.gov.cn/art/2024/3/2/art_34711_2777777.html", "2024-03-02"),
        (
            "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201204/t20120420_80678.htm",
            "2012-04-20",
        ),
        ("http://www.x.gov.cn/a/202402/t20240228_6583952.shtml", "2024-02-28"),
        ("https://www.gov.cn/zhengce/2023-03/29/content_5748953.htm", "2023-03-29"),
        ("http://www.huoqiu.gov.cn/public/6601621/38811837.html", None),
        ("http://www.x.gov.cn/art/2024/13/2/art_1_2.html", None),
    ],
)
def test_date_from_url(url, iso):
    assert date_from_url(url) == iso


# --------------------------------------------------------------------------------------
# 文号
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw,norm",
    [
        ("岚综管办〔2021〕86号", "岚综管办〔2021〕86号"),
        ("岚综管办[2021]86号", "岚综管办〔2021〕86号"),
        ("汶政发［2024］3号", "汶政发〔2024〕3号"),
        ("汶政发（2024）3号", "汶政发〔2024〕3号"),
        ("镇政发(2024)7 号", "镇政发〔2024〕7号"),
        ("国办发【2017】47号", "国办发〔2017〕47号"),
        ("齐政办发 〔 2019 〕 29 号", "齐政办发〔2019〕29号"),
        ("苏府办﹝2018﹞238号", "苏府办〔2018〕238号"),
        ("呼政辦發[2008]68號", "呼政辦發〔2008〕68号"),
        ("汶司发〔2024〕第003号", "汶司发〔2024〕3号"),
        ("汶政发〔２０２４〕３号", "汶政发〔2024〕3号"),
        ("川府发〔2024〕1号 ", "川府发〔2024〕1号"),
    ],
)
def test_normalize_doc_number(raw, norm):
    assert normalize_doc_number(raw) == norm


def test_normalize_doc_number_other_shapes():
    assert normalize_doc_number(None) is None
    assert normalize_doc_number("   ") is None
    assert normalize_doc_number("第3号公告") == "第3号公告"  # unknown shape: kept, not invented


def test_doc_number_in_record_keeps_raw():
    html = (
        "<html><body><ul class='xxgk'><li><span>发文字号：</span><span>汶政办发[2024] 12号</span></li>"
        "<li><span>索引号：</span><span>11370830004335705P/2024-00001</span></li></ul>"
        "<div id='zoom'><p>通知正文。通知正文。</p></div></body></html>"
    )
    rec = clean(html.encode("utf-8"), "http://x.gov.cn/doc.html")
    assert rec["doc_number"] == "汶政办发〔2024〕12号"
    assert rec["doc_number_raw"] == "汶政办发[2024] 12号"
    assert rec["raw_fields"]["发文字号"] == "汶政办发[2024] 12号"


# --------------------------------------------------------------------------------------
# label variants and layouts
# --------------------------------------------------------------------------------------
BODY = "<div id='zoom'><p>现将2023年度法治政府建设情况报告如下。</p><p>一、主要举措和成效</p></div>"

LAYOUTS = {
    "table-2col": (
        "<table>"
        "<tr><td>索&nbsp;引&nbsp;号：</td><td>000014349/2024-00110</td></tr>"
        "<tr><td>发文机关：</td><td>某县人民政府办公室</td></tr>"
        "<tr><td>生成日期：</td><td>2024年04月06日</td></tr>"
        "<tr><td>公开日期：</td><td>2024-04-08 16:34</td></tr>"
        "<tr><td>文&emsp;&emsp;号：</td><td>某政办发（2024）5号</td></tr>"
        "<tr><td>主题分类：</td><td>综合政务\\政务公开</td></tr>"
        "<tr><td>效力状态：</td><td>有效</td></tr>"
        "<tr><td>失效日期：</td><td>2026.04.06</td></tr>"
        "<tr><td>公开属性：</td><td>主动公开</td></tr>"
        "<tr><td>来源：</td><td>县政府办</td></tr>"
        "</table>"
    ),
    "table-4col-no-colons": (
        "<table class='xxgk'>"
        "<tr><th>索引号</th><td>000014349/2024-00110</td><th>信息分类</th><td>综合政务\\政务公开</td></tr>"
        "<tr><th>发文机构</th><td>某县人民政府办公室</td><th>发文字号</th><td>某政办发（2024）5号</td></tr>"
        "<tr><th>发文日期</th><td>2024年04月06日</td><th>发布时间</th><td>2024-04-08 16:34</td></tr>"
        "<tr><th>有效性</th><td>有效</td><th>废止日期</th><td>2026.04.06</td></tr>"
        "<tr><th>公开方式</th><td>主动公开</td><th>信息来源</th><td>县政府办</td></tr>"
        "</table>"
    ),
    "li-span": (
        "<ul class='info'>"
        "<li><span>索引号</span><span>000014349/2024-00110</span></li>"
        "<li><span>公开主体</span><span>某县人民政府办公室</span></li>"
        "<li><span>成文日期</span><span>2024年04月06日</span></li>"
        "<li><span>发布日期</span><span>2024-04-08 16:34</span></li>"
        "<li><span>文号</span><span>某政办发（2024）5号</span></li>"
        "<li><span>组配分类</span><span>综合政务\\政务公开</span></li>"
        "<li><span>有效性</span><span>有效</span></li>"
        "<li><span>废止日期</span><span>2026.04.06</span></li>"
        "<li><span>公开方式</span><span>主动公开</span></li>"
        "<li><span>信息来源</span><span>县政府办</span></li>"
        "</ul>"
    ),
    "font-lines": (
        "<div class='index_box'><ul>"
        "<li>索&ensp;引&ensp;号：<font>000014349/2024-00110</font></li>"
        "<li>发布机构：<font>某县人民政府办公室</font></li>"
        "<li>成文日期：2024年04月06日</li>"
        "<li>发布日期：2024-04-08 16:34</li>"
        "<li>发文字号：<font>某政办发（2024）5号</font></li>"
        "<li>主题分类：<font>综合政务\\政务公开</font></li>"
        "<li>有&ensp;效&ensp;性：<em>有效</em></li>"
        "<li>废止日期：2026.04.06</li>"
        "<li>公开方式：主动公开</li>"
        "<li>信息来源：县政府办</li>"
        "</ul></div>"
    ),
    "plain-lines": (
        "<div class='xxgk'>"
        "<p>索引号: 000014349/2024-00110 发布机构: 某县人民政府办公室</p>"
        "<p>成文日期: 2024年04月06日 发布时间: 2024-04-08 16:34</p>"
        "<p>文号: 某政办发（2024）5号 组配分类: 综合政务\\政务公开</p>"
        "<p>有效性: 有效 废止日期: 2026.04.06</p>"
        "<p>公开方式: 主动公开 信息来源: 县政府办</p>"
        "</div>"
    ),
    "dl-dt-dd": (
        "<dl><dt>索引号：</dt><dd>000014349/2024-00110</dd>"
        "<dt>发布机构：</dt><dd>某县人民政府办公室</dd>"
        "<dt>成文日期：</dt><dd>2024年04月06日</dd>"
        "<dt>发布日期：</dt><dd>2024-04-08 16:34</dd>"
        "<dt>发文字号：</dt><dd>某政办发（2024）5号</dd>"
        "<dt>主题分类：</dt><dd>综合政务\\政务公开</dd>"
        "<dt>有效性：</dt><dd>有效</dd>"
        "<dt>废止日期：</dt><dd>2026.04.06</dd>"
        "<dt>公开方式：</dt><dd>主动公开</dd>"
        "<dt>信息来源：</dt><dd>县政府办</dd></dl>"
    ),
}

EXPECTED = {
    "index_no": "000014349/2024-00110",
    "publisher": "某县人民政府办公室",
    "written_date": "2024-04-06",
    "published_date": "2024-04-08",
    "doc_number": "某政办发〔2024〕5号",
    "category": "综合政务\\政务公开",
    "validity": "有效",
    "abolished_date": "2026-04-06",
    "disclosure": "主动公开",
    "source": "县政府办",
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_label_variants(layout):
    html = f"<html><head><title>测试文件_某县人民政府</title></head><body>{LAYOUTS[layout]}{BODY}</body></html>"
    rec = clean(html.encode("utf-8"), "http://x.gov.cn/doc.html")
    for field, value in EXPECTED.items():
        assert rec[field] == value, (layout, field, rec[field])
        assert rec["field_sources"][field] == "table", (layout, field, rec["field_sources"])
    assert rec["doc_number_raw"] == "某政办发（2024）5号"
    assert rec["text"] == "现将2023年度法治政府建设情况报告如下。\n一、主要举措和成效"


def test_metadata_table_inside_body_container_is_removed_from_text():
    html = (
        "<html><body><div id='zoom'>"
        "<table><tr><td>索引号：</td><td>X/2024-00001</td><td>发文字号：</td><td>汶政发〔2024〕3号</td></tr>"
        "<tr><td>成文日期：</td><td>2024-01-05</td><td>发布机构：</td><td>汶上县人民政府</td></tr></table>"
        "<p>各镇人民政府、街道办事处：</p><p>现将有关事项通知如下。</p></div></body></html>"
    )
    rec = clean(html.encode("utf-8"), "http://x.gov.cn/doc.html")
    assert rec["index_no"] == "X/2024-00001"
    assert rec["doc_number"] == "汶政发〔2024〕3号"
    assert rec["written_date"] == "2024-01-05"
    assert rec["text"] == "各镇人民政府、街道办事处：\n现将有关事项通知如下。"


def test_empty_values_become_none_but_stay_raw():
    html = (
        "<html><body><table>"
        "<tr><td>索引号：</td><td>-</td><td>文号：</td><td>无</td></tr>"
        "<tr><td>主题分类：</td><td>/</td><td>发布机构：</td><td></td></tr>"
        "<tr><td>有效性：</td><td>——</td></tr></table>"
        "<div id='zoom'><p>正文。正文。正文。</p></div></body></html>"
    )
    rec = clean(html.encode("utf-8"), "http://x.gov.cn/doc.html")
    for f in ("index_no", "doc_number", "category", "publisher", "validity"):
        assert rec[f] is None, f
    assert rec["raw_fields"]["索引号"] == "-"
    assert rec["raw_fields"]["文号"] == "无"
    assert rec["raw_fields"]["主题分类"] == "/"
    assert rec["doc_number_raw"] is None


def test_trust_order_table_meta_byline():
    html = (
        "<html><head><meta name='PubDate' content='2024-03-05 10:00'>"
        "<meta name='ContentSource' content='本网'>"
        "<meta name='ArticleTitle' content='关于某事项的通知'></head><body>"
        "<div class='info'>来源：县政府办公室 发布时间：2024-03-06 浏览次数：12</div>"
        "<table><tr><td>索引号：</td><td>A/2024-1</td><td>发布日期：</td><td>2024-03-04</td></tr></table>"
        "<div class='TRS_Editor'><p>通知内容。通知内容。</p></div></body></html>"
    )
    rec = clean(html.encode("utf-8"), "http://x.gov.cn/202403/t20240303_1.html")
    assert rec["published_date"] == "2024-03-04"
    assert rec["field_sources"]["published_date"] == "table"
    assert rec["source"] == "本网"  # meta beats byline
    assert rec["field_sources"]["source"] == "meta"
    assert rec["raw_fields"]["来源"] == "县政府办公室"
    assert rec["raw_fields"]["发布时间"] == "2024-03-06"
    assert rec["title"] == "关于某事项的通知"
    assert rec["field_sources"]["title"] == "meta"


@pytest.mark.parametrize(
    "line,pairs",
    [
        (
            "索引号: 11370830004335705P/2024-00646 组配分类: 法治建设年报",
            [("索引号", "11370830004335705P/2024-00646"), ("组配分类", "法治建设年报")],
        ),
        (
            "成文日期: 2024-02-28 发布机构: 县司法局",
            [("成文日期", "2024-02-28"), ("发布机构", "县司法局")],
        ),
        ("废止日期: 公开方式: 主动公开", [("废止日期", ""), ("公开方式", "主动公开")]),
        ("发布日期:2024-03-02 17:08 浏览次数:", [("发布日期", "2024-03-02 17:08")]),
        (
            "发布时间: 2024-02-28 发布机构:政府办公室 字体:[大 中 小]",
            [("发布时间", "2024-02-28"), ("发布机构", "政府办公室")],
        ),
        (
            "时间:2022-02-07 17:01:57 来源:本网 访问量: -",
            [("时间", "2022-02-07 17:01:57"), ("来源", "本网")],
        ),
        (
            "来源:濉溪县司法局发布时间:2023-09-13 16:43文字大小:[ ]背景色:",
            [("来源", "濉溪县司法局"), ("发布时间", "2023-09-13 16:43")],
        ),
        ("索\u2002引\u2002号：PZ00108-3000-2015-00003", [("索引号", "PZ00108-3000-2015-00003")]),
        ("信息来源：县融媒体中心编辑部", [("信息来源", "县融媒体中心编辑部")]),
        ("现将有关情况报告如下：", []),
        ("会议时间：2024年3月1日", []),
    ],
)
def test_find_pairs(line, pairs):
    assert find_pairs(line) == pairs


# --------------------------------------------------------------------------------------
# boilerplate line rules on generic pages (no known container: fallback extraction)
# --------------------------------------------------------------------------------------
def test_fallback_extraction_drops_boilerplate():
    paras = "".join(
        f"<p>第{i}段：县司法局坚持以习近平法治思想为指导，深入推进法治政府建设，取得明显成效，群众满意度持续提升。</p>"
        for i in range(1, 9)
    )
    html = (
        "<html><head><title>某县2023年度法治政府建设情况报告_某县人民政府</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> <a href='/a'>政务公开</a> <a href='/b'>政务服务</a></div>"
        "<div class='crumb'>当前位置：首页 > 政务公开 > 法治政府</div>"
        "<div class='main'><h1>某县2023年度法治政府建设情况报告</h1>"
        "<div class='bar'>发布时间：2024-03-01 浏览次数：100 【字体：大 中 小】 【打印本页】 【关闭窗口】</div>"
        f"<div class='wz'>{paras}<p>某县司法局</p><p>2024年2月28日</p></div>"
        "<div>上一篇：关于某某的通知</div><div>下一篇：关于某某的公告</div>"
        "<div>扫一扫在手机打开当前页</div></div>"
        "<div class='foot'>网站地图 | 联系我们<br>版权所有：某县人民政府 网站标识码：1234560001<br>"
        "某ICP备12345678号 某公网安备 12345678901234号</div></body></html>"
    )
    rec = clean(html.encode("utf-8"), "http://x.gov.cn/doc.html")
    text = rec["text"]
    assert "第1段：县司法局坚持以习近平法治思想为指导" in text
    assert "第8段" in text
    for junk in (
        "当前位置",
        "浏览次数",
        "打印",
        "关闭",
        "上一篇",
        "下一篇",
        "扫一扫",
        "网站地图",
        "版权所有",
        "ICP备",
        "公网安备",
        "网站标识码",
    ):
        assert junk not in text, junk
    assert rec["published_date"] == "2024-03-01"
    assert rec["title"] == "某县2023年度法治政府建设情况报告"


def test_locator_hitting_a_widget_falls_back():
    paras = "".join(
        f"<p>第{i}段：全面推进依法行政，严格规范公正文明执法，持续优化法治化营商环境，法治政府建设取得新成效。</p>"
        for i in range(1, 6)
    )
    html = (
        "<html><head><title>关于2023年度法治政府建设情况的报告_某县人民政府</title></head><body>"
        "<div id='zoom'>字号：【大】【中】【小】 <span>打印本页</span> <span>关闭窗口</span></div>"
        f"<div class='article'><h2>关于2023年度法治政府建设情况的报告</h2>{paras}</div>"
        "<div class='foot'>版权所有：某县人民政府</div></body></html>"
    )
    rec = clean(html.encode("utf-8"), "http://x.gov.cn/doc.html")
    assert "第1段：全面推进依法行政" in rec["text"]
    assert "第5段" in rec["text"]
    assert "字号" not in rec["text"]
    assert rec["field_sources"]["text"] == "trafilatura"


def test_body_lines_that_look_like_footer_words_are_kept():
    html = (
        "<html><body><div class='TRS_Editor'>"
        "<p>关于举办2024年法治宣传周活动的通知</p>"
        "<p>主办单位：县委依法治县办</p><p>承办单位：县司法局</p>"
        "<p>联系我们：0537-1234567</p><p>请各单位认真组织。</p>"
        "</div></body></html>"
    )
    rec = clean(html.encode("utf-8"), "http://x.gov.cn/202403/t20240301_1.html")
    assert rec["text"].split("\n") == [
        "关于举办2024年法治宣传周活动的通知",
        "主办单位：县委依法治县办",
        "承办单位：县司法局",
        "联系我们：0537-1234567",
        "请各单位认真组织。",
    ]


def test_merged_cells_are_repeated_in_each_row_they_cover():
    from cleaners.htmltext import parse_html, render_text

    html = """<table><tr><th>单位</th><th>类别</th><th>件数</th></tr>
    <tr><td rowspan="2">县司法局</td><td>行政复议</td><td>12</td></tr>
    <tr><td>行政诉讼</td><td>3</td></tr>
    <tr><td colspan="2">合计</td><td>15</td></tr></table>"""
    assert render_text(parse_html(html)) == [
        "单位 | 类别 | 件数",
        "县司法局 | 行政复议 | 12",
        "县司法局 | 行政诉讼 | 3",
        "合计 | 15",
    ]
