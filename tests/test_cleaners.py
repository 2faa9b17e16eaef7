"""The labelled corpus (``tests/corpus/labels.json``), asserted page by page.

Gold labels of real pages were written by reading each page's HTML (not by running the cleaner);
replica labels come from the replica's own content (``bench/make_replica_labels.py``). The same
file drives ``bench/cleaners_vs_extractors.py``. The real pages live in ``../shared/realpages``
beside the repository. Also: a Hanweb-style detail page built from seed content.
"""

from __future__ import annotations

import pytest
from corpus_labels import METADATA_FIELDS, Fetcher, norm, pages

from cleaners import CLEANER_VERSION, RECORD_FIELDS, clean

EXTRA_KEYS = ("encoding", "family", "field_sources", "raw_fields", "doc_number_raw")
PAGES = {p["id"]: p for p in pages()}
_fetch = Fetcher()


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    return {}


def _record(records: dict, pid: str) -> dict:
    if pid not in records:
        page = PAGES[pid]
        if page["kind"] == "replica":
            pytest.importorskip("replica", reason="replica package not available")
        got = _fetch(page)
        if got is None:
            pytest.skip(f"page not available: {page.get('file') or page['url']}")
        body, headers = got
        records[pid] = clean(body, page["url"], headers, site=page.get("site", "test"))
    return records[pid]


def test_labels_cover_every_real_detail_page():
    from corpus_labels import REALPAGES, load_labels

    if not REALPAGES.is_dir():
        pytest.skip(f"real pages not available: {REALPAGES}")
    data = load_labels()
    labelled = {p["file"] for p in data["pages"] if p["kind"] == "real"}
    excluded = {p["file"] for p in data["not_documents"]}
    on_disk = {p.name for p in REALPAGES.glob("*.html")}
    assert on_disk == labelled | excluded
    assert not labelled & excluded
    # the blind part: pages written from family templates by someone who had not read the cleaner
    held = [p for p in data["pages"] if p["split"] == "heldout"]
    assert len(held) >= 10 and {p["kind"] for p in held} == {"synthetic"}
    assert {p["split"] for p in data["pages"]} <= {"dev", "heldout"}
    for p in data["pages"]:
        assert p["must"] and p["must_not"], p["id"]
        assert set(p["metadata"]) <= set(METADATA_FIELDS), p["id"]


@pytest.mark.parametrize("pid", sorted(PAGES))
def test_record_shape(records, pid):
    rec = _record(records, pid)
    page = PAGES[pid]
    for key in RECORD_FIELDS + EXTRA_KEYS:
        assert key in rec, key
    assert rec["url"] == page["url"]
    if page["kind"] == "real":
        assert rec["encoding"] == "utf-8"
    if "family" in page and page["kind"] != "synthetic":  # synthetic pages name wider families
        assert rec["family"] == page["family"]
    for f in ("written_date", "published_date", "abolished_date"):
        v = rec[f]
        assert v is None or (len(v) == 10 and v[4] == "-" and v[7] == "-"), (f, v)
    assert isinstance(CLEANER_VERSION, str) and CLEANER_VERSION


@pytest.mark.parametrize("pid", sorted(PAGES))
def test_metadata_fields(records, pid):
    rec = _record(records, pid)
    gold = PAGES[pid]
    if gold.get("title") is not None:
        assert rec["title"] == gold["title"], f"{pid}: title = {rec['title']!r}"
    for part in gold.get("title_contains", ()):
        assert part in rec["title"]
    for part in gold.get("title_absent", ()):
        assert part not in rec["title"]
    for field, expected in gold["metadata"].items():
        assert rec[field] == expected, f"{pid}: {field} = {rec[field]!r}, expected {expected!r}"
    for field, src in gold.get("sources", {}).items():
        assert rec["field_sources"].get(field) == src, (field, rec["field_sources"])
    for label, raw in gold.get("raw", {}).items():
        assert rec["raw_fields"].get(label) == raw, (label, rec["raw_fields"])
    if "doc_number_raw" in gold:
        assert rec["doc_number_raw"] == gold["doc_number_raw"]


@pytest.mark.parametrize("pid", sorted(PAGES))
def test_body_text(records, pid):
    rec = _record(records, pid)
    gold = PAGES[pid]
    text = rec["text"]
    assert text, pid
    flat = norm(text)
    for sentence in gold["must"]:
        assert norm(sentence) in flat, f"{pid}: missing {sentence!r}"
    for junk in gold["must_not"] + gold.get("also_absent", []):
        assert norm(junk) not in flat, f"{pid}: boilerplate {junk!r} in text"
    lines = text.split("\n")
    assert all(line == line.strip(" \t\u3000\u00a0") and line for line in lines)
    if "last_line" in gold:
        assert lines[-1] == gold["last_line"]
    for cells in gold.get("row_cells", ()):
        assert any(all(c in line for c in cells) and line.startswith(cells[0]) for line in lines), (
            cells
        )


def test_body_keeps_original_characters(records):
    rec = _record(records, "trs__www-gov-cn__gwygb-2007-23-detail-raw")
    # the ideographic space inside the <title> is kept (no NFKC / whitespace folding of CJK text)
    assert "2007\u3000年末" in rec["title"]
    rec = _record(records, "pingtan__fazhi-report-2022")
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
