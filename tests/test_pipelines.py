"""The item pipelines in their Scrapy order, on a real archive file.

The spider asks for a page's attachments as soon as it has the page, while CleanPipeline is
still cleaning the page in a worker process: a small file can reach the archive first. It must
wait for its page's document instead of being stored as an orphan ("no document for the page").
"""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

import cleaners
from crawler.items import FailedFetch, FetchedAttachment, FetchedPage
from crawler.pipelines import ArchivePipeline, AttachmentArchivePipeline, CleanPipeline

PAGE = (
    "https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/ptzhsyqczj/fdzdgknr/"
    "10qtwjdzjg/201508/t20150825_58447.htm"
)
FILE = "https://www.pingtan.gov.cn/zwgk/zfxxgk/201508/P020150825000000000001.pdf"


def _page(realpages, url: str = PAGE) -> FetchedPage:
    body = (realpages / "pingtan__xxgk-detail-1.html").read_bytes()
    return FetchedPage(url=url, site="pingtan", kind="detail", status=200,
                       headers={"Content-Type": "text/html; charset=utf-8"}, body=body,
                       fetched_at="2026-11-22T08:00:00Z")  # fmt: skip


def _attachment(pdf: bytes) -> FetchedAttachment:
    return FetchedAttachment(url=FILE, page_url=PAGE, site="pingtan", status=200,
                             headers={"Content-Type": "application/pdf"}, body=pdf,
                             fetched_at="2026-11-22T08:00:01Z", name="报告.pdf", ext_hint="pdf",
                             extracted={"kind": "pdf", "status": "ok", "text": "法治政府建设"})  # fmt: skip


@pytest.fixture
def pipelines(tmp_path):
    crawler = get_crawler(settings_dict={"GOVARCHIVE_DB": str(tmp_path / "a.db"),
                                         "GOVARCHIVE_CLEAN_PROCESSES": 0,
                                         "GOVARCHIVE_COMMIT_EVERY": 1})  # fmt: skip
    clean, archive, files = (CleanPipeline(crawler), ArchivePipeline(crawler),
                             AttachmentArchivePipeline(crawler))  # fmt: skip
    archive.open_spider()
    files.open_spider()
    yield crawler, clean, archive, files, tmp_path / "a.db"
    archive.close_spider()
    files.close_spider()


def _clean(clean: CleanPipeline, item):
    return asyncio.new_event_loop().run_until_complete(clean.process_item(item))


def _attachment_rows(db) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT c.outcome, c.error, a.document_id FROM captures c "
            "LEFT JOIN attachments a ON a.url_key = c.url_key WHERE c.kind = 'attachment'"
        ).fetchall()
    finally:
        conn.close()


def test_an_attachment_that_arrives_first_waits_for_its_page(pipelines, realpages):
    crawler, clean, archive, files, db = pipelines
    page = _page(realpages)
    # CleanPipeline has taken the page (in a crawl it is now awaiting its worker process) …
    clean.in_flight.enter(page.url)
    # … when the attachment comes back and reaches the archive step
    waiting = files.process_item(_attachment(b"%PDF-1.4 stub"))
    assert isinstance(waiting, Deferred) and not waiting.called
    assert _attachment_rows(db) == []
    # the page is cleaned and archived: the attachment is stored on its document
    page.record = cleaners.clean(page.body, page.url, page.headers, site="pingtan")
    archive.process_item(page)
    assert waiting.called
    rows = _attachment_rows(db)
    assert len(rows) == 1 and rows[0][0] != "error" and rows[0][2] is not None, rows


def test_a_page_that_fails_releases_its_attachments(pipelines, realpages):
    """A page that never becomes a document (a PDF at the page's address) still lets its
    attachments through; they are recorded as errors rather than waiting forever."""
    crawler, clean, archive, files, db = pipelines
    page = _page(realpages)
    page.body = b"%PDF-1.4 not a page"
    failed = _clean(clean, page)  # enters, then turns into a failed fetch
    assert isinstance(failed, FailedFetch)
    waiting = files.process_item(_attachment(b"%PDF-1.4 stub"))
    assert not waiting.called
    archive.process_item(failed)
    assert waiting.called
    assert [r[0] for r in _attachment_rows(db)] == ["error"]


def test_an_attachment_of_a_page_not_in_flight_is_stored_at_once(pipelines, realpages):
    crawler, clean, archive, files, db = pipelines
    page = _page(realpages)
    archive.process_item(_clean(clean, page))
    stored = files.process_item(_attachment(b"%PDF-1.4 stub"))
    assert isinstance(stored, FetchedAttachment)
    assert len(_attachment_rows(db)) == 1


def test_the_session_commits_every_n_records_and_at_close(tmp_path, realpages):
    crawler = get_crawler(settings_dict={"GOVARCHIVE_DB": str(tmp_path / "b.db"),
                                         "GOVARCHIVE_COMMIT_EVERY": 3,
                                         "GOVARCHIVE_COMMIT_SECONDS": 3600})  # fmt: skip
    archive = ArchivePipeline(crawler)
    archive.open_spider()
    pages = [_page(realpages, url=PAGE.replace(".htm", f"_{i}.htm")) for i in range(4)]
    for page in pages:
        page.kind = "listing"  # no cleaning needed: a capture each

    def captures() -> int:
        with sqlite3.connect(tmp_path / "b.db") as conn:
            return conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0]

    archive.process_item(pages[0])
    archive.process_item(pages[1])
    assert captures() == 0
    archive.process_item(pages[2])
    assert captures() == 3
    archive.process_item(pages[3])
    assert captures() == 3
    archive.close_spider()
    assert captures() == 4
