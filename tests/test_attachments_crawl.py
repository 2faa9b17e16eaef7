"""Reports published only as attachments, crawled from the replica over real HTTP (issue 7).

The replica serves real files made from the seed reports (tests/attachment_files.py) at the
URLs each family uses (TRS ./P0….pdf, Hanweb downfile.jsp, /uploadfiles/… links), one of them
mislabelled as text/html, plus a scanned and a truncated PDF. `govarchive crawl` fetches them
through Scrapy, cleaners.attachments extracts them, the archive stores them; then
`govarchive reports` and the full-text index must find the reports, every file type must be
extracted, and the broken files must be reported without losing anything else.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archive.identity import url_key
from archive.search import search
from cleaners.attachments import extract_attachment
from replica import ReplicaServer, World
from replica.attachments import AttachmentFile

SITES = ("wenshang", "xiangdu", "suixi")
FAST = ["--set", "DOWNLOAD_DELAY=0.02", "--set", "AUTOTHROTTLE_ENABLED=False",
        "--set", "GOVARCHIVE_COLUMNS=reports", "--set", "RETRY_TIMES=1"]  # fmt: skip

# (site, title, [(file key, displayed name, content type or None)], what the document's text is)
PUBLISHED = [
    ("wenshang", "汶上县司法局2023年度法治政府建设工作情况报告",
     [("pdf", "汶上县司法局2023年度法治政府建设工作情况报告.pdf", None)], "pdf"),
    ("wenshang", "汶上县综合行政执法局2023年度法治政府建设情况报告",
     [("wps", "2023年度法治政府建设情况报告.wps", None)], "wps"),
    ("xiangdu", "襄都区2023年度法治政府建设情况报告",
     [("ofd", "襄都区2023年度法治政府建设情况报告.ofd", None)], "ofd"),
    ("xiangdu", "襄都区司法局2023年度法治政府建设工作报告",
     [("doc", "襄都区司法局2023年度法治政府建设工作报告.doc", "text/html; charset=utf-8"),
      ("corrupt_pdf", "工作台账.pdf", None)], "doc"),
    ("suixi", "濉溪县财政局2023年度法治政府建设情况报告",
     [("docx", "濉溪县财政局2023年度法治政府建设情况报告.docx", None),
      ("xlsx", "附表.xlsx", None), ("xls", "附表（旧版）.xls", None)], "docx"),
    ("suixi", "濉溪县应急管理局2023年度法治政府建设工作报告",
     [("scanned", "濉溪县应急管理局2023年度法治政府建设工作报告（扫描件）.pdf", None)], None),
]  # fmt: skip
KIND = {"corrupt_pdf": ("pdf", "corrupt"), "scanned": ("pdf", "scanned")}


def crawl(server: ReplicaServer, db: Path, *extra: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "govarchive", "crawl", *SITES, "--replica", server.address,
         "--db", str(db), *FAST, *extra],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-4000:]
    return result


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, attachment_files):
    world = World()
    docs = {}
    for site, title, files, _ in PUBLISHED:
        attached = [AttachmentFile(name, attachment_files[k]["data"], ctype)
                    for k, name, ctype in files]  # fmt: skip
        docs[title] = world.add_attachment_document(site, title, attached)
    db = tmp_path_factory.mktemp("attachments-crawl") / "archive.db"
    with ReplicaServer(world) as server:
        first = crawl(server, db)
        first_log = list(server.request_log)
        server.reset_counters()
        crawl(server, db, "--recheck")
        recheck_log = list(server.request_log)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    yield {"world": world, "docs": docs, "db": db, "conn": conn, "first": first,
           "first_log": first_log, "recheck_log": recheck_log}  # fmt: skip
    conn.close()


def document(crawled, title: str) -> sqlite3.Row:
    world, doc = crawled["world"], crawled["docs"][title]
    url = world.portal(doc.site).url(doc)
    row = crawled["conn"].execute(
        "SELECT d.*, t.text FROM document_urls u JOIN documents d ON d.id = u.document_id "
        "LEFT JOIN texts t ON t.hash = d.text_hash WHERE u.url_key = ?",
        [url_key(url)],
    ).fetchone()
    assert row is not None, f"{title} not archived"
    return row


def attachments(crawled, doc_id: int) -> dict[str, sqlite3.Row]:
    rows = crawled["conn"].execute(
        "SELECT a.*, t.text FROM attachments a LEFT JOIN texts t ON t.hash = a.text_hash "
        "WHERE a.document_id = ? ORDER BY a.id",
        [doc_id],
    ).fetchall()
    return {r["name"]: r for r in rows}


def phrase_of(text: str, length: int = 10) -> str:
    runs = re.findall(rf"[\u4e00-\u9fff]{{{length},}}", text)
    return max(runs, key=len)[:length]


@pytest.mark.parametrize("site, title, files, source", PUBLISHED, ids=[f"{p[0]}-{p[3]}" for p in PUBLISHED])
def test_each_file_is_fetched_and_extracted(crawled, attachment_files, site, title, files, source):
    doc = document(crawled, title)
    stored = attachments(crawled, doc["id"])
    assert set(stored) == {name for _, name, _ in files}
    for key, name, _ in files:
        kind, status = KIND.get(key, (key, "ok"))
        row = stored[name]
        assert (row["kind"], row["status"]) == (kind, status), dict(row)
        data = attachment_files[key]["data"]
        raw = crawled["conn"].execute("SELECT size FROM raw WHERE digest = ?",
                                      [row["raw_digest"]]).fetchone()  # fmt: skip
        assert raw["size"] == len(data)  # the whole file, stored once
        if status == "ok":
            assert row["text"] == extract_attachment(data).text and row["chars"] > 1000
        else:
            assert row["error"]
    if source is None:  # nothing readable: the document keeps its page's text
        assert doc["version_count"] == 1 and doc["text"] != stored[files[0][1]]["text"]
    else:  # the stub page took the report's text
        data = attachment_files[source]["data"]
        assert doc["text"] == extract_attachment(data).text
        extras = json.loads(crawled["conn"].execute(
            "SELECT extras_json FROM versions WHERE id = ?", [doc["current_version_id"]]
        ).fetchone()[0])  # fmt: skip
        assert extras["text_source"] == "attachment"
        assert extras["attachment_url"] in crawled["docs"][title].attachments[0].url


def test_reports_command_finds_attachment_only_reports(crawled):
    out = subprocess.run(
        [sys.executable, "-m", "govarchive", "reports", "--year", "2023", "--db", str(crawled["db"])],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    recorded = {r[0] for r in crawled["conn"].execute(
        "SELECT title FROM annual_reports WHERE year = 2023")}  # fmt: skip
    assert {title for _, title, _, _ in PUBLISHED} <= recorded
    assert "(+" in out.stdout and "department reports" in out.stdout  # ours among them


def test_full_text_search_finds_text_only_in_attachments(crawled, attachment_files):
    db = crawled["conn"]
    import sqlite_utils

    sdb = sqlite_utils.Database(db)
    for _, title, files, _ in PUBLISHED:
        doc = document(crawled, title)
        for key, _name, _ in files:
            if KIND.get(key, (key, "ok"))[1] != "ok":
                continue
            phrase = phrase_of(extract_attachment(attachment_files[key]["data"]).text)
            assert phrase not in (doc["title"] or "")
            found = {r["id"] for r in search(sdb, f'"{phrase}"', limit=50)}
            assert doc["id"] in found, (title, key, phrase)


def test_broken_files_are_reported_and_nothing_else_is_lost(crawled):
    conn, world = crawled["conn"], crawled["world"]
    faults = {
        r["site"]: json.loads(r["faults"] or "{}")
        for r in conn.execute("SELECT site, faults FROM crawl_sites WHERE crawl_id = "
                              "(SELECT MIN(id) FROM crawls)")  # fmt: skip
    }
    assert faults["xiangdu"].get("attachment-corrupt") == 1
    assert faults["suixi"].get("attachment-scanned") == 1
    assert "attachment-corrupt" not in faults["wenshang"]
    errors = conn.execute(
        "SELECT url, error FROM captures WHERE kind = 'attachment' AND error IS NOT NULL"
    ).fetchall()
    assert sorted(e["error"].split(":")[0] for e in errors) == ["corrupt", "scanned"]
    # every document of the crawled columns is archived
    served = {url_key(d.url) for s in SITES for d in world.served_documents(s)
              if d.column_url in {c.url for c in world.portal(s).site.columns
                                  if c.kind == "report"}}  # fmt: skip
    archived = {r[0] for r in conn.execute("SELECT url_key FROM document_urls")}
    assert served <= archived
    assert conn.execute("SELECT COUNT(*) FROM captures WHERE kind = 'detail' AND outcome = 'error'"
                        ).fetchone()[0] == 0  # fmt: skip


def test_recheck_asks_again_with_conditional_get(crawled):
    """The files were fetched once each; a --recheck asks again with their validators (304)."""
    urls = {a.target for d in crawled["docs"].values() for a in d.attachments}
    first = [t for _h, _m, t, s in crawled["first_log"] if t in urls]
    assert sorted(first) == sorted(urls)  # each file once, no more
    again = {t: s for _h, _m, t, s in crawled["recheck_log"] if t in urls}
    assert set(again) == urls and set(again.values()) == {304}
    conn = crawled["conn"]
    assert conn.execute("SELECT COUNT(*) FROM attachment_versions").fetchone()[0] == len(urls)
    assert conn.execute(
        "SELECT COUNT(*) FROM captures WHERE kind = 'attachment' AND outcome = 'not-modified'"
    ).fetchone()[0] == len(urls)
