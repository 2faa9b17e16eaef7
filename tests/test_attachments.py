"""Attachments (issue 7): link discovery on real pages, text extraction from real files.

The files are built once per session from the seed reports by tests/attachment_files.py (real
DOCX/PDF/DOC/WPS/OFD/XLSX/XLS writers, see its docstring). LibreOffice and a CJK font are
required; without them the fixture fails with the apt-get line to run, it does not skip.
"""

from __future__ import annotations

import difflib
import random
import re
from pathlib import Path

import olefile
import pytest
from attachment_files import WPS_BUILD

from cleaners.attachments import (
    STATUSES,
    AttachmentLink,
    AttachmentText,
    clean_text,
    detect_kind,
    extract_attachment,
    find_attachment_links,
)

HELDOUT = Path(__file__).parent / "corpus" / "heldout"


def compact(s: str) -> str:
    return re.sub(r"\s+", "", s)


def recall(seed: list[str], text: str) -> float:
    """Share of the seed's characters found, in order, in the extracted text (difflib matching
    blocks over whitespace-free strings)."""
    a, b = compact("".join(seed)), compact(text)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(m.size for m in sm.get_matching_blocks()) / len(a)


@pytest.fixture(scope="session")
def files(attachment_files) -> dict[str, dict]:
    return attachment_files  # built once per session (conftest.py)


@pytest.fixture(scope="session")
def results(files) -> dict[str, AttachmentText]:
    return {k: extract_attachment(f["data"], WRONG_NAME.get(k)) for k, f in files.items()}


# A misleading name for each file: the kind must come from the bytes.
WRONG_NAME = {
    "pdf": "汶上县司法局2023年度法治政府建设报告.doc",
    "pdf_cid": "清远市司法局2021年法治政府建设年度报告.ofd",
    "docx": "report.pdf",
    "doc": "downfile.jsp?classid=0&filename=9f1c.pdf",
    "wps": "鲁山县司法局报告.docx",
    "ofd": "濉溪县中期评估报告.zip",
    "xlsx": "统计表.xls",
    "xls": "统计表.xlsx",
    "scanned": "扫描件.ofd",
}

TEXT_KINDS = ["pdf", "pdf_cid", "docx", "doc", "wps", "ofd"]
SHEET_KINDS = ["xlsx", "xls"]


# ------------------------------------------------------------------------------ extraction
@pytest.mark.parametrize("kind", TEXT_KINDS + SHEET_KINDS)
def test_kind_comes_from_the_bytes(files, results, kind):
    real = kind.split("_")[0]
    assert detect_kind(files[kind]["data"]) == real
    r = results[kind]
    assert r.kind == real
    assert any("bytes say" in w for w in r.warnings), r.warnings  # the misleading name is noted


@pytest.mark.parametrize("kind", TEXT_KINDS)
def test_report_text_recovered(files, results, kind):
    seed, r = files[kind]["seed"], results[kind]
    assert r.status == "ok" and r.error is None, (r.status, r.error)
    assert recall(seed, r.text) >= 0.95
    # no duplicated or invented text: at most 2 % more characters than the report
    # (the DOCX/DOC also hold a 3-row table)
    assert r.char_count <= 1.02 * len(compact("".join(seed))) + 40
    # paragraphs kept as lines, sentences exact (whitespace aside)
    lines = {compact(ln) for ln in r.text.split("\n")}
    exact = sum(compact(p) in lines for p in seed) / len(seed)
    assert exact >= 0.95, exact
    assert r.extractor.startswith("govarchive.attachments")


@pytest.mark.parametrize("kind", SHEET_KINDS)
def test_sheet_rows(files, results, kind):
    seed, r = files[kind]["seed"], results[kind]
    assert r.status == "ok" and r.page_count == 1
    lines = r.text.split("\n")
    assert lines[0] == "序号 | 段落 | 字数"
    rows = set(lines)
    found = sum(f"{i} | {p} | {len(p)}" in rows for i, p in enumerate(seed, start=1))
    assert found / len(seed) >= 0.95
    assert recall(seed, r.text) >= 0.95


def test_pdf_cid_font_with_tounicode(files, results):
    """Word/WPS-style PDF: Type0 font, Identity-H glyph codes, text only via the ToUnicode map."""
    data, r = files["pdf_cid"]["data"], results["pdf_cid"]
    assert re.search(rb"/Subtype\s*/Type0", data) and re.search(rb"/CIDFontType2", data)
    assert b"Identity-H" in data and b"/ToUnicode" in data
    assert r.producer == "fpdf2"
    assert "(cid:" not in r.text
    assert r.page_count == len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) >= 2


def test_pdf_truetype_subsets_and_quote_runs(files, results):
    """LibreOffice PDF: TrueType subsets with ToUnicode; the quotation marks are drawn in a
    separate font run after the line's text, and must come back in place."""
    data, r = files["pdf"]["data"], results["pdf"]
    assert re.search(rb"/Subtype\s*/TrueType", data) and b"/ToUnicode" in data
    assert "LibreOffice" in (r.producer or "")
    assert r.page_count == len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) >= 2
    quoted = [p for p in files["pdf"]["seed"] if "“" in p]
    lines = {compact(ln) for ln in r.text.split("\n")}
    assert quoted and all(compact(p) in lines for p in quoted)


def test_doc_and_wps_are_word_binaries_told_apart(files, results):
    for kind in ("doc", "wps"):
        with olefile.OleFileIO(files[kind]["data"]) as ole:
            assert ole.exists("WordDocument") and ole.exists("1Table")
    assert results["wps"].kind == "wps"
    assert results["wps"].producer == f"WPS Office {WPS_BUILD}"
    assert results["doc"].kind == "doc"
    assert "WPS" not in (results["doc"].producer or "")


@pytest.mark.parametrize("kind", ["docx", "doc"])
def test_tables_become_rows(files, results, kind):
    lines = results[kind].text.split("\n")
    for row in files["docx"]["table"]:
        assert " | ".join(row) in lines


def test_ofd_pages_and_page_numbers(files, results):
    r = results["ofd"]
    assert r.page_count >= 10
    assert "— 1 —" not in r.text and not re.search(r"^— \d+ —$", r.text, re.M)
    assert r.producer == "govarchive tests 1.0"


def test_scanned_pdf_is_flagged(files, results):
    r = results["scanned"]
    assert r.kind == "pdf"
    assert r.status == "scanned"
    assert r.page_count == 2
    assert r.text == ""
    assert "OCR" in r.error


@pytest.mark.parametrize(
    ("name", "kind"), [("corrupt_pdf", "pdf"), ("corrupt_docx", "docx"), ("corrupt_doc", "doc")]
)
def test_corrupt_files_give_an_error_result(files, name, kind):
    r = extract_attachment(files[name]["data"], f"x.{kind}")
    assert r.kind == kind
    assert r.status == "corrupt"
    assert r.error and len(r.error) > 10


def test_never_raises_on_damaged_bytes(files):
    rng = random.Random(7)
    for kind in TEXT_KINDS + SHEET_KINDS:
        data = files[kind]["data"]
        for _ in range(4):
            cut = data[: rng.randrange(1, len(data))]
            flipped = bytearray(data)
            for _ in range(20):
                flipped[rng.randrange(len(flipped))] ^= 0xFF
            for sample in (cut, bytes(flipped)):
                r = extract_attachment(sample)
                assert isinstance(r, AttachmentText) and r.status in STATUSES


def test_not_a_document():
    page = b"<!DOCTYPE html><html><head><title>404</title></head><body>\xe6\x96\x87</body></html>"
    r = extract_attachment(page, "报告.pdf")
    assert (r.kind, r.status) == ("html", "unsupported") and "HTML" in r.error
    assert extract_attachment(b"").status == "empty"
    assert extract_attachment(b"Rar!\x1a\x07\x00rest").kind == "rar"
    assert extract_attachment(b"plain words").status == "unsupported"


def test_clean_text_rules():
    # Kangxi radicals (U+2F42 ⽂, U+2F8F ⾏) that some PDF fonts map to become ideographs
    assert clean_text(["\u2f42\u4ef6\u3000\u3000\u5370\u53d1"]) == "文件 印发"
    assert clean_text(["⾏政  执法", "", "  二、下一步  "]) == "行政 执法\n二、下一步"
    # fixed layout: gaps between Chinese characters (and digits) are layout, not text
    assert clean_text(["法 治 政 府 2023 年 度 report one"], fixed_layout=True) == (
        "法治政府2023年度 report one"
    )


# ------------------------------------------------------------------------------ links
def test_links_trs_pingtan_detail(realpages):
    """TRS (福建集约化平台): the static ./P0….pdf link and the same file in the page's JS list."""
    page = (realpages / "pingtan__xxgk-detail-2.html").read_bytes()
    url = (
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/ptzhsyqczj/fdzdgknr/"
        "hzgfxwj/202308/t20230824_79760.htm"
    )
    assert find_attachment_links(page, url) == [
        AttachmentLink(
            url="https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/ptzhsyqczj/"
            "fdzdgknr/hzgfxwj/202308/P020231214333320483418.pdf",
            name="平潭综合实验区管委会办公室关于停止执行部分财税优惠政策文件的通知.pdf（原件）",
            ext_hint="pdf",
            via="file-path",
        )
    ]


def test_links_hanweb_jiangxi_embedded_file_list(realpages):
    """Hanweb (江西集约化): attachments only in the page's articleFiles JSON (domainName +
    filePath); <base href="/jxssthjt/"> must not break the URL."""
    page = (realpages / "hanweb__sthjt-jiangxi-gov-cn__zcfgjd-column-dom.html").read_bytes()
    links = find_attachment_links(
        page, "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html"
    )
    assert [(x.url, x.name, x.ext_hint) for x in links] == [
        (
            "http://sthjt.jiangxi.gov.cn/jxssthjt/col42150/1951206363677671424/WKgZu66N.pdf",
            "关于印发《江西省生态环境分类执法监管办法》的通知1754038819428.pdf",
            "pdf",
        )
    ]


@pytest.mark.parametrize(
    ("file", "url"),
    [
        # TRS: empty 附件下载 boxes, a 2011 report that names 附件1 in its text without a link
        ("pingtan__fazhi-report-2022.html", "https://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/202303/t20230329_45634.htm"),
        ("pingtan__xxgk-detail-1.html", "https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/ptzhsyqczj/fdzdgknr/10qtwjdzjg/201508/t20150825_58447.htm"),
        ("pingtan__xxgk-annual-report.html", "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201204/t20120420_80678.htm"),
        ("trs__www-shanxi-gov-cn__sxyw-detail-dom.html", "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml"),
        ("trs__www-gov-cn__gwygb-2007-23-detail-raw.html", "https://www.gov.cn/gongbao/content/2007/content_1.htm"),
        # Hanweb detail page without attachments
        ("hanweb__fgw-zj-gov-cn__deqing-investment-detail-dom.html", "http://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html"),
        # custom SPA / templates: empty 附件信息 lists
        ("custom__www-nfra-gov-cn__xzcf-detail-selenium.html", "https://www.nfra.gov.cn/cn/view/pages/ItemDetail.html?docId=1170162&itemId=4113"),
        ("custom__www-nmpa-gov-cn__yppjfb-detail-pystring.html", "https://www.nmpa.gov.cn/zwfw/sdxx/sdxxyp/yppjfb/20200911083851127.html"),
    ],
)  # fmt: skip
def test_no_links_invented_on_real_pages(realpages, file, url):
    assert find_attachment_links((realpages / file).read_bytes(), url) == []


def test_links_synthetic_heldout_pages():
    """Held-out corpus pages (synthetic, modelled on real templates): TRS with ./P0… links
    (GBK page), gkmlpt /attachment/0/… ."""
    base = "http://www.cqck.gov.cn/zwgk_263/fdzdgknr/202404/t20240402_13092547.html"
    got = find_attachment_links((HELDOUT / "heldout-cq-chengkou-trs-table.html").read_bytes(), base)
    assert [(x.url, x.name, x.ext_hint) for x in got] == [
        (
            "http://www.cqck.gov.cn/zwgk_263/fdzdgknr/202404/P020240402391456270318.pdf",
            "城口县2024年第一批耕地地力保护补贴资金分户明细表.pdf",
            "pdf",
        ),
        (
            "http://www.cqck.gov.cn/zwgk_263/fdzdgknr/202404/P020240402391456270922.docx",
            "城口县耕地地力保护补贴政策问答.docx",
            "docx",
        ),
    ]
    got = find_attachment_links(
        (HELDOUT / "heldout-gz-meitan-trs.html").read_bytes(),
        "http://www.gzmt.gov.cn/zwgk/zfxxgk/fdzdgknr/202403/t20240327_1.html",
    )
    assert [(x.url, x.name) for x in got] == [
        (
            "http://www.gzmt.gov.cn/zwgk/zfxxgk/fdzdgknr/202403/P020240327583612475001.pdf",
            "湄潭县茶产业高质量发展奖补办法（正式文件）.pdf",
        )
    ]
    got = find_attachment_links(
        (HELDOUT / "heldout-gd-ruyuan-gkmlpt.html").read_bytes(),
        "http://www.ruyuan.gov.cn/gkmlpt/content/2/2614/post_2614873.html",
    )
    assert [(x.url, x.ext_hint) for x in got] == [
        ("http://www.ruyuan.gov.cn/attachment/0/532/532941/2614873.pdf", "pdf")
    ]


def test_link_forms_of_domain_guide():
    """The link forms of DOMAIN.md §4.6 that no real page here carries: Hanweb downfile.jsp
    (hash name + showname, acrobat icon), a FastDFS path, an icon-only link to a download
    endpoint inside a 相关附件 block; navigation links and page links are not attachments."""
    html = """<html><body>
    <div class="nav"><a href="/col/col123/index.html">政务公开</a>
      <a href="/art/2024/3/2/art_70805_1.html">汶上县司法局2023年度法治政府建设报告.pdf</a></div>
    <div id="zoom"><p>详见附件。</p>
      <p><a href="/module/download/downfile.jsp?classid=0&amp;filename=b373ac6b7f11438abf4c9ff6c1bb4d0e.pdf">
        <img src="/module/jslib/icons/acrobat.png">附件：汶上县司法局2023年度法治政府建设报告.pdf</a></p>
      <p><a href="/module/download/downfile.jsp?classid=0&amp;filename=0a1b2c.wps&amp;showname=%E9%99%84%E8%A1%A8.wps"></a></p>
    </div>
    <div class="xgfj">相关附件：
      <a href="/group1/M00/00/1A/wKgBZ2Xy.ofd">2023年度报告（OFD版）.ofd</a>
      <a href="/site/download?fileId=8812"><img src="/images/icon_doc.gif"> 统计表</a>
    </div>
    <a href="javascript:void(0)">打印</a> <a href="mailto:a@b.gov.cn">信箱</a>
    </body></html>"""
    got = find_attachment_links(html, "http://www.wenshang.gov.cn/art/2024/3/2/art_70805_2.html")
    assert [(x.url, x.name, x.ext_hint) for x in got] == [
        (
            "http://www.wenshang.gov.cn/module/download/downfile.jsp?classid=0&filename=b373ac6b7f11438abf4c9ff6c1bb4d0e.pdf",
            "汶上县司法局2023年度法治政府建设报告.pdf",
            "pdf",
        ),
        (
            "http://www.wenshang.gov.cn/module/download/downfile.jsp?classid=0&filename=0a1b2c.wps&showname=%E9%99%84%E8%A1%A8.wps",
            "附表.wps",
            "wps",
        ),
        (
            "http://www.wenshang.gov.cn/group1/M00/00/1A/wKgBZ2Xy.ofd",
            "2023年度报告（OFD版）.ofd",
            "ofd",
        ),
        ("http://www.wenshang.gov.cn/site/download?fileId=8812", "统计表", "doc"),
    ]
