"""Labelled corpus of real pages + a Hanweb-style detail page built from seed content.

Gold labels were written by reading each page's HTML (not by running the cleaner).
The real pages live in ``../shared/realpages`` beside the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaners import CLEANER_VERSION, RECORD_FIELDS, clean

REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "realpages"

EXTRA_KEYS = ("encoding", "family", "field_sources", "raw_fields", "doc_number_raw")

# Common footer / toolbar strings of the Fujian 集约化 (pingtan) template.
PINGTAN_BOILERPLATE = (
    "版权所有",
    "闽ICP备09032658号",
    "网站标识码",
    "扫一扫在手机上查看当前页面",
    "当前位置",
    "附件下载",
    "分享到",
    "QQ空间",
    "全真版",
    "文字版",
    "文字解读",
    "联系我们",
    "相关链接",
)

CORPUS: dict[str, dict] = {
    "pingtan__xxgk-detail-1.html": {
        "url": "https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/ptzhsyqczj/fdzdgknr/10qtwjdzjg/201508/t20150825_58447.htm",
        "family": "trs",
        "fields": {
            "title": "区财政金融局对接鹏润集团招商成果简报",
            "index_no": "PZ00108-3000-2015-00003",
            "publisher": "平潭综合实验区财政金融局",
            "written_date": "2015-08-24",
            "published_date": "2015-08-25",
            "doc_number": None,  # 发文字号：无
            "category": None,  # 主题分类：无
            "validity": "有效",
            "abolished_date": None,
            "disclosure": None,
            "source": "平潭综合实验区财政金融局",
        },
        "sources": {"index_no": "table", "written_date": "table", "published_date": "table"},
        "raw": {"发文字号": "无", "主题分类": "无"},
        "contains": (
            "一、鹏润集团基本情况",
            "鹏润集团已在我区成功注册5家类金融企业，实际投入资金3.2亿元",
            "为此，我局将按照管委会“量质并重、持续发展”的思路，继续做好招商引资工作。",
            "平潭综合实验区财政金融局",
        ),
        "last_line": "2015年8月20日",
        "absent": PINGTAN_BOILERPLATE
        + ("索引号", "PZ00108-3000-2015-00003", "发文机关", "时间：2015-08-25", "来源：", "关闭"),
    },
    "pingtan__xxgk-detail-2.html": {
        "url": "https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/ptzhsyqczj/fdzdgknr/hzgfxwj/202308/t20230824_79760.htm",
        "family": "trs",
        "fields": {
            "title": "平潭综合实验区管委会办公室关于停止执行部分财税优惠政策文件的通知",
            "index_no": "PZ00108-1700-2023-00071",
            "publisher": "平潭综合实验区财政金融局",
            "written_date": "2021-10-13",
            "published_date": "2021-10-14",
            "doc_number": "岚综管办〔2021〕86号",
            "category": None,
            "validity": "有效",
            "source": "平潭综合实验区财政金融局",
        },
        "doc_number_raw": "岚综管办〔2021〕86号",
        "sources": {"doc_number": "table", "validity": "table"},
        "contains": (
            "各片区管理局，区直各单位",
            "经研究决定，停止执行与税收挂钩的财税优惠政策。",
            "三、请各有关单位及时通知各相关企业政策调整事项，并做好政策解释工作。",
            "2021年10月13日",
            # attachment name belongs to the document
            "平潭综合实验区管委会办公室关于停止执行部分财税优惠政策文件的通知.pdf",
        ),
        "absent": PINGTAN_BOILERPLATE + ("索引号", "PZ00108-1700-2023-00071", "有效性", "成文日期"),
    },
    "pingtan__xxgk-annual-report.html": {
        "url": "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201204/t20120420_80678.htm",
        "family": "trs",
        "fields": {
            "title": "平潭综合实验区2011年政府信息公开工作年度报告",
            "index_no": None,  # no index_box on this page
            "publisher": None,
            "written_date": None,
            "published_date": "2012-04-11",  # PubDate meta 2012-04-11 00:00
            "doc_number": None,
            "source": "平潭综合实验区管委会办公室",
        },
        "sources": {"published_date": "meta", "source": "meta"},
        "contains": (
            "本报告主要根据《中华人民共和国政府信息公开条例》",
            "2011年制作、获取政府信息总数1873条",
            "4、建立健全政府信息公开社会评议制度、责任追究制度和考核制度",
            "二○一二年二月二十日",
            "附件1：平潭综合实验区管委会2011年政府信息公开情况统计表",
        ),
        # statistics table rows stay readable: one row per line
        "row_cells": (("主动公开信息数", "425", "1516"), ("行政申诉数", "0")),
        "absent": PINGTAN_BOILERPLATE + ("时间：2012-04-11", "来源：平潭综合实验区管委会办公室"),
    },
    "pingtan__fazhi-report-2022.html": {
        "url": "https://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/202303/t20230329_45634.htm",
        "family": "trs",
        "fields": {
            # <title> is only "工作进展情况_平潭…": the visible title / ArticleTitle must win
            "title": "平潭综合实验区社会事业局关于2022年法治工作情况暨2023年工作要点的报告",
            "published_date": "2023-03-31",
            "source": "平潭综合实验区社会事业局",
            "index_no": None,
        },
        "contains": (
            "根据党工委全面依法治区委员会工作要求，将我局有关工作情况总结如下：",
            "（二）强化规范性文件管理，落实行政应诉工作",
            "三、下一步工作计划",
            "建立风险排查和干预机制",
        ),
        "absent": PINGTAN_BOILERPLATE
        + ("来源：平潭综合实验区社会事业局", "浏览量", "工作进展情况"),
    },
    "trs__www-gov-cn__gwygb-2007-23-detail-raw.html": {
        "url": "https://www.gov.cn/gongbao/content/2007/content_711039.htm",
        "family": "trs",
        "fields": {
            "published_date": "2007-08-20",  # firstpublishedtime 2007-08-20-23:59:59
            "index_no": None,
            "doc_number": None,
        },
        "title_contains": (
            "全国人民代表大会常务委员会关于批准财政部发行特别国债购买外汇及调整2007",
            "年末国债余额限额的决议",
        ),
        "title_absent": ("中国政府网", "国务院公报"),
        "contains": (
            "全国人民代表大会常务委员会",
            "（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）",
            "会议决定：批准发行15500亿元特别国债购买外汇，批准2007年末国债余额限额调整为53365.53亿元。",
        ),
        "absent": (
            "扫一扫在手机打开当前页",
            "相关稿件",
            "京ICP备05070218号",
            "京公网安备",
            "网站标识码",
            "字号",
            "打印",
            "新浪微博",
            "2007年第23号",
            "国务院客户端",
            "主办单位",
            "无障碍",
        ),
    },
    "trs__www-shanxi-gov-cn__sxyw-detail-dom.html": {
        "url": "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml",
        "family": "trs",
        "fields": {
            "title": "山西品牌丝路行（南美站）正式启动",
            "published_date": "2019-09-18",
            "source": "山西日报",
            "index_no": None,
        },
        "contains": (
            "跨越千山万水，行程近两万公里，山西品牌丝路行首次登陆巴西",
            "巴西华人协会会长张伟表示，圣保罗有20多万华商。",
            "南美站活动将先后在巴西、乌拉圭、阿根廷举行。（张巨峰）",
        ),
        "absent": (
            "扫一扫在手机打开当前页面",
            "打印",
            "字体",
            "分享",
            "热门搜索",
            "省发展和改革委员会",
            "山西要闻",
            "版权所有",
            "网站标识码",
            "时间：",
            "来源：",
        ),
    },
    "trs__www-cmse-gov-cn__xwfbh-detail-dom.html": {
        "url": "http://www.cmse.gov.cn/ztbd/xwfbh/201206/t20120624_43188.html",
        "family": "trs",
        "fields": {
            "title": "天宫一号与神舟九号载人交会对接任务第二场新闻发布会",
            "published_date": "2012-06-24",
            "index_no": None,
            "source": None,
        },
        "sources": {"published_date": "byline"},
        "contains": (
            "女士们、先生们：",
            "北京时间6月24日12时55分，在航天员的精准操控下",
            "上面介绍的是关于这次任务的有关情况。下面，我愿意回答大家的提问。",
        ),
        "absent": (
            "责任编辑",
            "系统管理员",
            "字号",
            "[打印]",
            "友情链接",
            "京ICP备20027467号-1",
            "分享到",
            "新闻发布会 ",
            "发布日期",
            "版权所有",
        ),
    },
    "hanweb__fgw-zj-gov-cn__deqing-investment-detail-dom.html": {
        "url": "http://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html",
        "family": "hanweb",
        "fields": {
            "title": "1-10月德清县固定资产投资结构趋稳趋优",
            "published_date": "2016-11-22",
            "source": "省发改委",
            "index_no": None,
        },
        "contains": (
            "1-10月，全县固定资产投资完成246.79亿元，完成年度计划82.3%",
            "总体全县投资结构趋稳趋优。（德清县发改局）",
        ),
        "absent": (
            "Produced By",
            "大汉网络",
            "打印",
            "关闭",
            "浏览次数",
            "信息来源",
            "发布日期",
            "网站标识码",
            "当前位置",
            "浙ICP备05018911号",
            "投资管理和项目推进",
            "无障碍浏览",
        ),
    },
}


def _page(name: str) -> bytes:
    if not REALPAGES.is_dir():
        pytest.skip(
            f"real pages not available: {REALPAGES} (expected ../shared/realpages beside the repo)"
        )
    path = REALPAGES / name
    if not path.is_file():
        pytest.skip(f"real page missing: {path}")
    return path.read_bytes()


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    cache: dict[str, dict] = {}
    return cache


def _record(records: dict, name: str) -> dict:
    if name not in records:
        records[name] = clean(
            _page(name), CORPUS[name]["url"], {"Content-Type": "text/html"}, site="test"
        )
    return records[name]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_record_shape(records, name):
    rec = _record(records, name)
    for key in RECORD_FIELDS + EXTRA_KEYS:
        assert key in rec, key
    assert rec["url"] == CORPUS[name]["url"]
    assert rec["site"] == "test"
    assert rec["encoding"] == "utf-8"
    assert rec["family"] == CORPUS[name]["family"]
    for f in ("written_date", "published_date", "abolished_date"):
        v = rec[f]
        assert v is None or (len(v) == 10 and v[4] == "-" and v[7] == "-"), (f, v)
    assert isinstance(CLEANER_VERSION, str) and CLEANER_VERSION


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_metadata_fields(records, name):
    rec = _record(records, name)
    gold = CORPUS[name]
    for field, expected in gold["fields"].items():
        assert rec[field] == expected, f"{name}: {field} = {rec[field]!r}, expected {expected!r}"
    for field, src in gold.get("sources", {}).items():
        assert rec["field_sources"].get(field) == src, (field, rec["field_sources"])
    for label, raw in gold.get("raw", {}).items():
        assert rec["raw_fields"].get(label) == raw, (label, rec["raw_fields"])
    if "doc_number_raw" in gold:
        assert rec["doc_number_raw"] == gold["doc_number_raw"]
    for part in gold.get("title_contains", ()):
        assert part in rec["title"]
    for part in gold.get("title_absent", ()):
        assert part not in rec["title"]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_body_text(records, name):
    rec = _record(records, name)
    gold = CORPUS[name]
    text = rec["text"]
    assert text, name
    for sentence in gold["contains"]:
        assert sentence in text, f"{name}: missing {sentence!r}"
    for junk in gold["absent"]:
        assert junk not in text, f"{name}: boilerplate {junk!r} in text"
    lines = text.split("\n")
    assert all(line == line.strip(" \t\u3000\u00a0") and line for line in lines)
    if "last_line" in gold:
        assert lines[-1] == gold["last_line"]
    for cells in gold.get("row_cells", ()):
        assert any(all(c in line for c in cells) and line.startswith(cells[0]) for line in lines), (
            cells
        )


def test_body_keeps_original_characters(records):
    rec = _record(records, "trs__www-gov-cn__gwygb-2007-23-detail-raw.html")
    # the ideographic space inside the <title> is kept (no NFKC / whitespace folding of CJK text)
    assert "2007\u3000年末" in rec["title"]
    rec = _record(records, "pingtan__fazhi-report-2022.html")
    assert "（2021－2025）" in rec["text"]  # full-width punctuation untouched


# --------------------------------------------------------------------------------------
# Hanweb-style detail page built from seed 000 (汶上县司法局 2023 法治政府建设报告)
# --------------------------------------------------------------------------------------
SEED_PARAGRAPHS = (
    "2023年,在县委、县政府的坚强领导和市司法局的正确指导下,县司法局坚持以习近平新时代中国特色社会主义思想为指导,"
    "全面贯彻党的二十大精神,深入学习贯彻落实习近平法治思想。现将有关情况报告如下:",
    "一、2023年度推进法治政府建设的主要举措和成效",
    "深入推进省级法治政府建设示范创建。按照中央、省、市关于法治政府建设的部署要求,加快促进汶上法治政府建设进程。",
    "提升法治宣传教育质效。落实谁执法、谁普法普法工作责任制,开展履职评议活动。",
)


def hanweb_seed_page(charset: str = "utf-8") -> str:
    paras = "\n".join(f'<p style="text-indent:2em;">\u3000\u3000{p}</p>' for p in SEED_PARAGRAPHS)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="SiteName" content="汶上县人民政府">
<meta name="SiteDomain" content="www.wenshang.gov.cn">
<meta name="SiteIDCode" content="3708300001">
<meta name="ColumnName" content="法治建设年报">
<meta name="ArticleTitle" content="汶上县司法局2023年度法治政府建设报告">
<meta name="PubDate" content="2024-03-02 17:08">
<meta name="ContentSource" content="县司法局">
<meta name="Author" content="大汉网络">
<title>汶上县司法局2023年度法治政府建设报告_汶上县人民政府</title>
<link href="/images/1/hanweb.css" rel="stylesheet" type="text/css">
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>
</head>
<body>
<table width="1000" align="center" cellpadding="0" cellspacing="0"><tr><td>
  <table width="100%"><tr>
    <td class="bt_link">当前位置: <a href="/index.html">首页</a> &gt; <a href="/col/col1/index.html">政府信息公开</a>
      &gt; <a href="/col/col2/index.html">行政权力</a> &gt; <a href="/col/col3/index.html">法治建设年报</a></td>
  </tr></table>
  <table width="100%" class="xxgk_table" cellpadding="4">
    <tr><td width="12%">索 引 号:</td><td width="38%">11370830004335705P/2024-00646</td>
        <td width="12%">组配分类:</td><td>法治建设年报</td></tr>
    <tr><td>成文日期:</td><td>2024-02-28</td><td>发布机构:</td><td>县司法局</td></tr>
    <tr><td>废止日期:</td><td>&nbsp;</td><td>公开方式:</td><td>主动公开</td></tr>
    <tr><td>有&ensp;效&ensp;性:</td><td></td><td></td><td></td></tr>
  </table>
  <table width="100%"><tr><td class="title" align="center"><h1 class="tit">汶上县司法局2023年度法治政府建设报告</h1></td></tr>
    <tr><td align="center" class="bt_time">发布日期:2024-03-02 17:08&nbsp;&nbsp;浏览次数:<span id="count"></span>
      <span class="bdsharebuttonbox"><a class="bds_more">分享</a></span></td></tr>
    <tr><td>
      <div id="zoom">
<!--ZJEG_RSS.content.begin--><meta name="ContentStart">
{paras}
<p>&nbsp;</p>
<p style="text-align:right;">汶上县司法局</p>
<p style="text-align:right;">2024年2月28日</p>
<meta name="ContentEnd"><!--ZJEG_RSS.content.end-->
      </div>
    </td></tr>
    <tr><td class="bt_source">信息来源:县司法局</td></tr>
    <tr><td align="right"><a href="javascript:window.print()">打印</a> <a href="javascript:window.close()">关闭</a></td></tr>
  </table>
  <table width="100%" class="footer"><tr><td>
    主办单位：汶上县人民政府办公室 网站标识码：3708300001 鲁ICP备05001234号 鲁公网安备 37083002000123号
  </td></tr></table>
</td></tr></table>
<a href="http://www.hanweb.com" style="display:none">Produced By 大汉网络 大汉版通发布系统</a>
</body></html>"""


HANWEB_URL = "http://www.wenshang.gov.cn/art/2024/3/2/art_34711_2777777.html"


def _check_hanweb_record(rec: dict) -> None:
    assert rec["family"] == "hanweb"
    assert rec["title"] == "汶上县司法局2023年度法治政府建设报告"
    assert rec["index_no"] == "11370830004335705P/2024-00646"
    assert rec["category"] == "法治建设年报"
    assert rec["written_date"] == "2024-02-28"
    assert rec["publisher"] == "县司法局"
    assert rec["disclosure"] == "主动公开"
    assert rec["abolished_date"] is None  # empty cell
    assert rec["validity"] is None  # empty cell
    assert rec["doc_number"] is None and rec["doc_number_raw"] is None
    # table has no 发布日期 -> the PubDate meta (same value as the byline)
    assert rec["published_date"] == "2024-03-02"
    assert rec["field_sources"]["published_date"] == "meta"
    assert rec["source"] == "县司法局"
    for f in ("index_no", "category", "written_date", "publisher", "disclosure"):
        assert rec["field_sources"][f] == "table", f
    assert rec["raw_fields"]["废止日期"] == ""
    assert rec["raw_fields"]["有效性"] == ""

    text = rec["text"]
    lines = text.split("\n")
    assert lines[0].startswith("2023年,在县委、县政府的坚强领导")  # leading \u3000\u3000 stripped
    assert "一、2023年度推进法治政府建设的主要举措和成效" in lines
    assert lines[-2:] == ["汶上县司法局", "2024年2月28日"]
    for junk in (
        "当前位置",
        "索引号",
        "索 引 号",
        "11370830004335705P",
        "组配分类",
        "发布日期",
        "浏览次数",
        "分享",
        "信息来源",
        "打印",
        "关闭",
        "Produced By",
        "大汉版通",
        "网站标识码",
        "ICP备",
        "公网安备",
        "主办单位",
        "汶上县司法局2023年度法治政府建设报告",
    ):
        assert junk not in text, junk


def test_hanweb_seed_page_utf8():
    rec = clean(
        hanweb_seed_page().encode("utf-8"), HANWEB_URL, {"Content-Type": "text/html; charset=UTF-8"}
    )
    _check_hanweb_record(rec)
    assert rec["encoding"] == "utf-8"


def test_hanweb_seed_page_gbk_mislabelled():
    # served as UTF-8 by the header, declared GB2312 in the page, bytes are GBK
    body = hanweb_seed_page("gb2312").encode("gbk")
    rec = clean(body, HANWEB_URL, {"content-type": "text/html; charset=utf-8"})
    assert rec["encoding"] == "gb18030"
    _check_hanweb_record(rec)


def test_hanweb_seed_page_without_markers_or_meta():
    # no ZJEG comments and no <meta> tags: #zoom locator, byline date, URL fallback unused
    html = hanweb_seed_page()
    for marker in ("<!--ZJEG_RSS.content.begin-->", "<!--ZJEG_RSS.content.end-->"):
        html = html.replace(marker, "")
    html = "\n".join(line for line in html.split("\n") if not line.startswith("<meta name="))
    rec = clean(html.encode("utf-8"), HANWEB_URL)
    assert rec["field_sources"]["text"] == "css:#zoom"
    assert rec["title"] == "汶上县司法局2023年度法治政府建设报告"
    assert rec["published_date"] == "2024-03-02"
    assert rec["field_sources"]["published_date"] == "byline"
    assert rec["source"] == "县司法局"
    assert rec["field_sources"]["source"] == "byline"
    assert rec["text"].split("\n")[-1] == "2024年2月28日"


def test_url_date_is_last_resort():
    html = (
        "<html><head><title>某县2023年度法治政府建设情况报告_某县人民政府</title></head><body>"
        "<div class='TRS_Editor'><p>现将我县2023年度法治政府建设情况报告如下。</p></div></body></html>"
    )
    rec = clean(html.encode("utf-8"), "http://www.x.gov.cn/zwgk/202402/t20240228_123.html")
    assert rec["published_date"] == "2024-02-28"
    assert rec["field_sources"]["published_date"] == "url"
    assert rec["title"] == "某县2023年度法治政府建设情况报告"
    assert rec["field_sources"]["title"] == "title-tag"
    rec = clean(html.encode("utf-8"), "http://www.x.gov.cn/art/2024/3/2/art_1_2.html")
    assert rec["published_date"] == "2024-03-02"
    rec = clean(html.encode("utf-8"), "http://www.x.gov.cn/zwgk/list.html")
    assert rec["published_date"] is None


def test_empty_and_garbage_input():
    rec = clean(b"", "http://x.gov.cn/")
    assert all(rec[f] is None for f in RECORD_FIELDS if f not in ("url", "site"))
    rec = clean(b"\x00\xff\xfe garbage", "http://x.gov.cn/")
    assert set(RECORD_FIELDS) <= set(rec)
