"""Attachments in the archive (issue 7): real files from the seed reports, a real SQLite file.

The files come from tests/attachment_files.py (session fixture `attachment_files`); each is
extracted by cleaners.attachments and stored with Archive.record_attachment, as the crawler does.
"""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from archive.attachments import is_stub
from archive.export import export_jsonl, export_txt
from archive.reports import find_annual_reports
from archive.search import rebuild_search_index, search
from archive.store import Archive
from cleaners.attachments import extract_attachment

SITE = "wenshang"
STUB_TITLE = "汶上县司法局2023年度法治政府建设报告"
PAGE_TEXT = (
    "为深入贯彻落实党的二十大精神，县司法局持续推进政务公开标准化规范化建设，"
    "围绕群众关切的重点领域信息，及时准确发布政策文件、办事指南和工作动态，"
    "并在网站设立专栏集中展示法治建设成果，接受社会监督。现将有关情况通报如下。"
)


def han_phrase(text: str, avoid: list[str], length: int = 10) -> str:
    """A run of Han characters of `text` that occurs in none of `avoid` (to search for)."""
    for run in re.findall(rf"[\u4e00-\u9fff]{{{length},}}", text):
        for i in range(0, len(run) - length + 1, 3):
            cand = run[i : i + length]
            if not any(cand in re.sub(r"\s+", "", o) for o in avoid):
                return cand
    raise AssertionError("no distinctive phrase")


def page(archive: Archive, n: int, title: str, text: str, published: str = "2024-03-02"):
    url = f"http://www.wenshang.gov.cn/art/2024/3/2/art_70805_{n}.html"
    record = {"title": title, "text": text, "published_date": published, "url": url,
              "site": SITE, "encoding": "utf-8", "family": "hanweb"}  # fmt: skip
    body = f"<html><title>{title}</title><body>{text}</body></html>".encode()
    archive.record_fetch(url=url, site=SITE, status=200, headers={}, body=body, record=record,
                         cleaner_version="test", province="山东省")  # fmt: skip
    return url, record


def attach(archive: Archive, page_url: str, data: bytes, name: str, n: int = 1, **kw):
    url = page_url.rsplit("/", 1)[0] + f"/P0{n:03d}.{name.rsplit('.', 1)[-1]}"
    res = extract_attachment(data, name)
    return archive.record_attachment(
        url=kw.pop("url", url), page_url=page_url, site=SITE, status=200,
        headers={"Content-Type": "application/octet-stream", "ETag": f'"{len(data)}"'},
        body=data, extracted=res.as_dict(), name=name, ext_hint=name.rsplit(".", 1)[-1], **kw,
    )  # fmt: skip


def doc_of(archive: Archive, url: str) -> dict:
    doc = archive.document_for_url(url)
    assert doc is not None
    doc["text"] = archive.text(doc["text_hash"])
    return doc


def hits(archive: Archive, phrase: str) -> set[int]:
    return {r["id"] for r in search(archive.db, f'"{phrase}"', limit=100)}


@pytest.fixture
def archive(tmp_path):
    a = Archive(tmp_path / "archive.db")
    yield a
    a.close()


def test_stub_rule():
    names = ["汶上县司法局2023年度法治政府建设报告.pdf"]
    assert is_stub("详见附件。", STUB_TITLE, names)
    assert is_stub("", STUB_TITLE, names)
    assert is_stub("附件下载：\n汶上县司法局2023年度法治政府建设报告.pdf（原件）", STUB_TITLE, names)
    assert is_stub(f"{STUB_TITLE}\n具体内容请见附件", STUB_TITLE, names)
    assert not is_stub(PAGE_TEXT, STUB_TITLE, names)


def test_stub_page_takes_the_attachment_text(archive, attachment_files):
    url, record = page(archive, 1, STUB_TITLE, f"{STUB_TITLE}\n详见附件。")
    pdf = attachment_files["pdf"]["data"]
    result = attach(archive, url, pdf, f"{STUB_TITLE}.pdf")
    assert (result.outcome, result.status, result.document_outcome) == ("new", "ok", "changed")
    expected = extract_attachment(pdf).text
    doc = doc_of(archive, url)
    assert doc["text"] == expected and doc["version_count"] == 2
    versions = archive.versions(doc["id"])
    extras = json.loads(versions[-1]["extras_json"])
    assert extras["text_source"] == "attachment" and extras["attachment_name"] == f"{STUB_TITLE}.pdf"
    assert extras["page_text"].endswith("详见附件。") and versions[0]["text"].endswith("详见附件。")

    # the report is found by `govarchive reports` and by full-text search
    reports = list(find_annual_reports(archive.db, 2023))
    assert [r.document_id for r in reports] == [doc["id"]]
    phrase = han_phrase(expected, [STUB_TITLE])
    assert hits(archive, phrase) == {doc["id"]}

    # a re-crawl of the unchanged stub page, the same file again, a re-clean: nothing new
    archive.record_fetch(url=url, site=SITE, status=200, headers={}, record=record,
                         body=f"<html><title>{STUB_TITLE}</title><body>{record['text']}</body>"
                              "</html>".encode(), cleaner_version="test")  # fmt: skip
    assert attach(archive, url, pdf, f"{STUB_TITLE}.pdf").outcome == "unchanged"
    assert archive.record_reclean(doc["id"], record, "test", versions[0]["raw_digest"]).outcome == (
        "unchanged"
    )
    doc2 = doc_of(archive, url)
    assert doc2["version_count"] == 2 and doc2["text"] == expected
    captures = archive.db.execute(
        "SELECT kind, outcome, document_id FROM captures WHERE kind = 'attachment' ORDER BY id"
    ).fetchall()
    assert captures == [("attachment", "new", doc["id"]), ("attachment", "unchanged", doc["id"])]
    assert archive.db.execute("SELECT COUNT(*) FROM raw WHERE size = ?", [len(pdf)]).fetchone() == (1,)


def test_attachment_text_is_versioned_and_searchable(archive, attachment_files):
    url, _ = page(archive, 2, "关于2024年政务公开工作情况的通报", PAGE_TEXT)
    files = attachment_files
    first, second = (extract_attachment(files[k]["data"]).text for k in ("docx", "doc"))
    only_first = han_phrase(first, [second, PAGE_TEXT])
    only_second = han_phrase(second, [first, PAGE_TEXT])
    page_phrase = han_phrase(PAGE_TEXT, [first, second], length=8)

    assert attach(archive, url, files["docx"]["data"], "通报附件.docx").outcome == "new"
    doc = doc_of(archive, url)
    assert doc["text"] == PAGE_TEXT and doc["version_count"] == 1  # not a stub: text untouched
    assert hits(archive, only_first) == {doc["id"]} and hits(archive, page_phrase) == {doc["id"]}

    # the portal replaces the file under the same URL: a new attachment version
    res = attach(archive, url, files["doc"]["data"], "通报附件.docx")
    assert res.outcome == "changed" and res.document_outcome == "unchanged"
    rows = archive.db.execute(
        "SELECT kind, status, extractor FROM attachment_versions WHERE attachment_id = ? ORDER BY id",
        [res.attachment_id],
    ).fetchall()
    assert [r[:2] for r in rows] == [("docx", "ok"), ("doc", "ok")]
    assert all(r[2].startswith("govarchive.attachments") for r in rows)
    att = archive.db["attachments"].get(res.attachment_id)
    assert att["version_count"] == 2 and att["kind"] == "doc" and att["name"] == "通报附件.docx"
    # the index entry was replaced with the exact old tokens: the old text is gone from it
    assert hits(archive, only_first) == set() and hits(archive, only_second) == {doc["id"]}
    assert doc_of(archive, url)["version_count"] == 1

    # a rebuild from the tables indexes the same tokens
    before = {p: hits(archive, p) for p in (only_first, only_second, page_phrase)}
    rebuild_search_index(archive.db)
    assert {p: hits(archive, p) for p in before} == before
    # and the rebuilt entry can be replaced again (deleted with the tokens it was built from)
    attach(archive, url, files["docx"]["data"], "通报附件.docx")
    assert hits(archive, only_first) == {doc["id"]} and hits(archive, only_second) == set()


@pytest.mark.parametrize("key", ["pdf", "pdf_cid", "docx", "doc", "wps", "ofd", "xlsx", "xls"])
def test_every_file_type_is_stored_and_found(archive, attachment_files, key):
    data = attachment_files[key]["data"]
    url, _ = page(archive, 10, f"附件材料（{key}）", "详见附件")
    res = attach(archive, url, data, f"材料.{key.split('_')[0]}")
    att = archive.db["attachments"].get(res.attachment_id)
    assert att["status"] == "ok" and att["kind"] == key.split("_")[0] and att["chars"] > 1000
    text = archive.text(att["text_hash"])
    assert hits(archive, han_phrase(text, ["详见附件"])) == {res.document_id}


def test_corrupt_and_scanned_files_change_nothing_else(archive, attachment_files):
    files = attachment_files
    stub = f"{STUB_TITLE}\n详见附件"
    url, _ = page(archive, 3, STUB_TITLE, stub)
    other_url, _ = page(archive, 4, "关于2024年政务公开工作情况的通报", PAGE_TEXT)
    doc = doc_of(archive, url)
    results = {
        k: attach(archive, url, files[k]["data"], f"{STUB_TITLE}.{ext}", n=i)
        for i, (k, ext) in enumerate(
            [("corrupt_pdf", "pdf"), ("corrupt_docx", "docx"), ("corrupt_doc", "doc"),
             ("scanned", "pdf")], start=1)  # fmt: skip
    }
    for k, res in results.items():
        att = archive.db["attachments"].get(res.attachment_id)
        expected = "scanned" if k == "scanned" else "corrupt"
        assert res.status == att["status"] == expected and att["error"], (k, att)
        cap = archive.db["captures"].get(res.capture_id)
        assert cap["kind"] == "attachment" and cap["error"].startswith(expected)
        assert archive.raw_body(att["raw_digest"]) == files[k]["data"]  # the bytes are kept
    after = doc_of(archive, url)
    assert after["text"] == stub and after["version_count"] == 1 == doc["version_count"]
    # nothing of a file that is not ok is in the index entry
    entry = archive.db.execute(
        "SELECT extra_hashes FROM documents_fts_docs WHERE id = ?", [doc["id"]]
    ).fetchone()
    assert entry == (None,)
    assert doc_of(archive, other_url)["text"] == PAGE_TEXT

    # the good file arrives: the stub takes its text; a later broken download keeps it
    pdf = files["pdf"]["data"]
    good = attach(archive, url, pdf, f"{STUB_TITLE}.pdf", n=9)
    assert good.document_outcome == "changed"
    text = extract_attachment(pdf).text
    assert doc_of(archive, url)["text"] == text
    broken = attach(archive, url, files["corrupt_pdf"]["data"], f"{STUB_TITLE}.pdf", n=9)
    assert broken.outcome == "changed" and broken.status == "corrupt"
    assert doc_of(archive, url)["text"] == text and doc_of(archive, url)["version_count"] == 2
    statuses = archive.db.execute(
        "SELECT status FROM attachment_versions WHERE attachment_id = ? ORDER BY id",
        [good.attachment_id],
    ).fetchall()
    assert statuses == [("ok",), ("corrupt",)]


def test_exports_carry_attachments(archive, attachment_files, tmp_path):
    files = attachment_files
    stub_url, _ = page(archive, 5, STUB_TITLE, "详见附件")
    attach(archive, stub_url, files["wps"]["data"], f"{STUB_TITLE}.wps")
    url, _ = page(archive, 6, "关于2024年政务公开工作情况的通报", PAGE_TEXT)
    attach(archive, url, files["ofd"]["data"], "评估报告.ofd", n=2)
    attach(archive, url, files["corrupt_docx"]["data"], "统计.docx", n=3)
    wps_text, ofd_text = (extract_attachment(files[k]["data"]).text for k in ("wps", "ofd"))

    out = tmp_path / "docs.jsonl"
    assert export_jsonl(archive, out) == 2
    rows = {r["url"]: r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    stub_row, row = rows[stub_url], rows[url]
    assert stub_row["text"] == wps_text
    assert [(a["kind"], a["status"], a["is_document_text"]) for a in stub_row["attachments"]] == [
        ("wps", "ok", True)
    ]
    assert row["text"] == PAGE_TEXT
    assert [(a["name"], a["kind"], a["status"]) for a in row["attachments"]] == [
        ("评估报告.ofd", "ofd", "ok"), ("统计.docx", "docx", "corrupt"),
    ]
    assert row["attachments"][0]["text"] == ofd_text and row["attachments"][0]["chars"] > 1000
    assert row["attachments"][1]["error"]

    assert export_txt(archive, tmp_path / "txt") == 2
    texts = {p.name: p.read_text("utf-8") for p in (tmp_path / "txt").rglob("*.txt")}
    stub_file = next(t for n, t in texts.items() if "法治政府建设报告" in n)
    other_file = next(t for n, t in texts.items() if "通报" in n)
    assert stub_file.count(han_phrase(wps_text, [])) == 1  # the attachment's text, once
    assert other_file.index(PAGE_TEXT) < other_file.index("附件：评估报告.ofd") < other_file.index(
        ofd_text.split("\n")[0]
    )


def test_old_index_bookkeeping_is_upgraded(tmp_path, attachment_files):
    """An archive made before attachments (no extra_hashes column) opens and indexes them."""
    path = tmp_path / "old.db"
    archive = Archive(path)
    url, _ = page(archive, 7, STUB_TITLE, "详见附件")
    archive.close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE documents_fts_docs DROP COLUMN extra_hashes")
    conn.commit()
    conn.close()
    archive = Archive(path)
    res = attach(archive, url, attachment_files["pdf_cid"]["data"], "报告.pdf")
    text = archive.text(archive.db["attachments"].get(res.attachment_id)["text_hash"])
    assert hits(archive, han_phrase(text, [])) == {res.document_id}
    archive.close()
