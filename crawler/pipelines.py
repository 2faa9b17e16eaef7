"""Item pipelines: spider -> cleaners -> archive, one small class per step."""

from __future__ import annotations

import asyncio
import codecs
import logging
import multiprocessing
import re
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task
from twisted.internet.defer import Deferred

import cleaners
from archive.crawls import EMPTY_BODY_CHARS, WATCHED_FIELDS, error_kind
from archive.store import Archive

from .items import FailedFetch, FetchedAttachment, FetchedPage
from .prepare import clean_and_prepare, find_attachment_links
from .sites import UnknownSiteError, get_site

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4096)
def province_of(site: str | None) -> str | None:
    try:
        return get_site(site).province if site else None
    except UnknownSiteError:  # a --url crawl of a portal outside the registry
        return None


# Magic numbers of the files portals attach (and sometimes serve at a page's address).
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "pdf"), (b"PK\x03\x04", "zip/docx/ofd"), (b"\xd0\xcf\x11\xe0", "doc/xls/wps"),
    (b"\x89PNG", "png"), (b"GIF8", "gif"), (b"\xff\xd8\xff", "jpeg"), (b"Rar!", "rar"),
    (b"\x1f\x8b", "gzip"), (b"7z\xbc\xaf", "7z"),
)  # fmt: skip
_CHARSET = re.compile(r"charset=[\"']?([\w-]+)", re.IGNORECASE)
_GB = {"gb2312", "gbk", "gb18030"}


def binary_kind(body: bytes) -> str | None:
    """What binary file a body is (PDF, Office, image …), or None for text."""
    head = body.lstrip()[:8]
    for magic, kind in BINARY_MAGIC:
        if head.startswith(magic):
            return kind
    sample = body[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return None


def _charset_family(name: str | None) -> str | None:
    try:
        normal = codecs.lookup(name).name if name else None
    except LookupError:
        return None
    return "gb" if normal in _GB else normal


class PagesInFlight:
    """Detail pages between the spider and the archive, so an attachment waits for its page.

    The spider asks for a page's files as soon as it has the page, while the page is still being
    cleaned (in a worker process): a small file can come back first, and it needs the page's
    document to hang on. One per crawler; a page leaves when it is archived, dropped or failed.
    """

    def __init__(self, crawler: Crawler):
        self._count: dict[str, int] = {}
        self._waiting: dict[str, list[Deferred]] = {}
        crawler.signals.connect(self._gone, signal=signals.item_dropped)
        crawler.signals.connect(self._gone, signal=signals.item_error)

    @classmethod
    def of(cls, crawler: Crawler) -> PagesInFlight:
        gate = getattr(crawler, "_govarchive_pages_in_flight", None)
        if gate is None:
            gate = cls(crawler)
            crawler._govarchive_pages_in_flight = gate  # type: ignore[attr-defined]
        return gate

    def enter(self, url: str) -> None:
        self._count[url] = self._count.get(url, 0) + 1

    def leave(self, url: str) -> None:
        left = self._count.get(url, 0) - 1
        if left > 0:
            self._count[url] = left
            return
        self._count.pop(url, None)
        for waiter in self._waiting.pop(url, []):
            waiter.callback(None)

    def after(self, url: str) -> Deferred | None:
        """Fires when the page has left; None when it is not in flight."""
        if url not in self._count:
            return None
        waiter: Deferred = Deferred()
        self._waiting.setdefault(url, []).append(waiter)
        return waiter

    def _gone(self, item, **_kwargs) -> None:
        if isinstance(item, (FetchedPage, FailedFetch)) and item.kind == "detail":
            self.leave(item.url)


class CleanPipeline:
    """Turns the raw bytes of a detail page into a document record.

    A binary body (a PDF served as text/html …) is not a page: it becomes a failed fetch, never
    a document. Per site it counts what the crawl report watches for template changes: pages
    cleaned, empty bodies, and on how many pages each metadata field was found.
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.in_flight = PagesInFlight.of(crawler)
        # Cleaning and the archive's preparation of a page (crawler.prepare) are the largest CPU
        # cost of a crawl and Scrapy runs on one thread: in worker processes they overlap with
        # downloading, parsing and the archive's writes.
        self.processes = crawler.settings.getint("GOVARCHIVE_CLEAN_PROCESSES", 0)
        self._pool: ProcessPoolExecutor | None = None
        self.links = crawler.settings.getbool("GOVARCHIVE_ATTACHMENTS", True)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        return cls(crawler)

    def close_spider(self, spider=None) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    async def _clean(self, item: FetchedPage) -> tuple:
        args = (item.body, item.url, item.headers, item.site, self.links)
        if self.processes <= 0:
            return clean_and_prepare(*args)
        if self._pool is None:  # spawned, not forked: the crawler process has threads
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.processes, mp_context=context)
        try:
            return await asyncio.wrap_future(self._pool.submit(clean_and_prepare, *args))
        except BrokenProcessPool:  # a worker died (out of memory …): clean here instead
            logger.warning("cleaning worker died; cleaning %s in the crawler process", item.url)
            self._pool = None
            return clean_and_prepare(*args)

    async def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage) or item.kind != "detail" or item.status != 200:
            return item
        self.in_flight.enter(item.url)  # before the first await: its files are asked for next
        ctype = next((v for k, v in item.headers.items() if k.lower() == "content-type"), "")
        binary = binary_kind(item.body)
        if binary:
            return FailedFetch(url=item.url, site=item.site, kind=item.kind, status=None,
                               outcome="error", fetched_at=item.fetched_at,
                               error=f"binary body ({binary}) served as {ctype or 'no type'}")  # fmt: skip
        try:
            item.record, item.prepared, item.attachment_links = await self._clean(item)
            item.cleaner_version = cleaners.CLEANER_VERSION
        except Exception:  # a cleaner bug must not lose the capture: raw bytes are still stored
            logger.exception("cleaner failed on %s", item.url)
            self.stats.inc_value(f"govarchive/{item.site}/clean_errors")
            if self.links:  # nor the page's attachments
                item.attachment_links = find_attachment_links(item.body, item.url)
            return item
        self._count(item, ctype)
        return item

    def _count(self, item: FetchedPage, ctype: str) -> None:
        record, prefix = item.record or {}, f"govarchive/{item.site}"
        self.stats.inc_value(f"{prefix}/cleaned")
        if len((record.get("text") or "").strip()) < EMPTY_BODY_CHARS:
            self.stats.inc_value(f"{prefix}/empty_bodies")
        for name in WATCHED_FIELDS:
            if record.get(name):
                self.stats.inc_value(f"{prefix}/field/{name}")
        declared = _CHARSET.search(ctype)
        found = _charset_family(record.get("encoding"))
        if declared and found and _charset_family(declared.group(1)) not in (found, None):
            self.stats.inc_value(f"{prefix}/fault/mislabelled-encoding")


class AttachmentRequestPipeline:
    """Asks for the attachments the cleaning worker found on a detail page, through the
    spider's own rules (its hosts, document types, files stored already) and the scheduler."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AttachmentRequestPipeline:
        return cls(crawler)

    def process_item(self, item, spider=None):
        if isinstance(item, FetchedPage) and item.attachment_links:
            spider = self.crawler.spider
            for request in getattr(spider, "attachment_requests", lambda _item: ())(item):
                self.crawler.engine.crawl(request)
        return item


class ArchiveSession:
    """The crawl's one connection to the archive (GOVARCHIVE_DB), committing pages in batches.

    A commit per page cost more than the page's own writes; the session commits every
    GOVARCHIVE_COMMIT_EVERY records or GOVARCHIVE_COMMIT_SECONDS, whichever comes first, and
    when the crawl closes. A killed crawl loses at most that batch, whose pages are simply
    fetched again when it resumes. Both archive pipelines share it (one per crawler), so an
    attachment sees its page's document before the batch is committed.
    """

    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        self.path = settings.get("GOVARCHIVE_DB")
        self.every = max(1, settings.getint("GOVARCHIVE_COMMIT_EVERY", 200))
        self.seconds = settings.getfloat("GOVARCHIVE_COMMIT_SECONDS", 1.0)
        self.archive: Archive | None = None
        self._users = 0
        self._count = 0
        self._opened = 0.0
        self._loop: task.LoopingCall | None = None

    @classmethod
    def of(cls, crawler: Crawler) -> ArchiveSession:
        session = getattr(crawler, "_govarchive_archive_session", None)
        if session is None:
            session = crawler._govarchive_archive_session = cls(crawler)  # type: ignore[attr-defined]
        return session

    def open(self) -> None:
        self._users += 1
        if self.archive is None:
            self.archive = Archive(self.path)
            if self.every > 1 and self.seconds > 0:  # a quiet crawl still commits what it has
                self._loop = task.LoopingCall(self.commit)
                self._loop.start(self.seconds, now=False)

    def close(self) -> None:
        self._users -= 1
        if self._users > 0 or self.archive is None:
            return
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.archive.close()  # commits the open batch
        self.archive = None

    def write(self, method: str, **kwargs):
        """`Archive.<method>(**kwargs)` as part of the open batch."""
        archive = self.archive
        assert archive is not None, "archive not open"
        if self.every > 1 and not archive.in_batch:
            archive.open_batch()
            self._opened, self._count = time.monotonic(), 0
        result = getattr(archive, method)(**kwargs)
        self._count += 1
        if self._count >= self.every or time.monotonic() - self._opened >= self.seconds:
            self.commit()
        return result

    def commit(self) -> None:
        if self.archive is not None and self.archive.in_batch:
            self.archive.commit_batch()
        self._count = 0


class ArchivePipeline:
    """Writes every fetch into the SQLite archive (through the crawl's ArchiveSession)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.in_flight = PagesInFlight.of(crawler)
        self.session = ArchiveSession.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self, spider=None) -> None:
        self.session.open()

    def close_spider(self, spider=None) -> None:
        self.session.close()

    def process_item(self, item, spider=None):
        write = self.session.write
        if isinstance(item, FetchedPage) and item.status == 304:
            result = write(
                "record_not_modified", url=item.url, site=item.site, headers=item.headers, kind=item.kind,
                fetched_at=item.fetched_at,
            )  # fmt: skip
        elif isinstance(item, FetchedPage):
            result = write(
                "record_fetch",
                url=item.url,
                site=item.site,
                status=item.status,
                headers=item.headers,
                body=item.body,
                record=item.record,
                cleaner_version=item.cleaner_version,
                kind=item.kind,
                fetched_at=item.fetched_at,
                province=province_of(item.site),
                prepared=item.prepared,
            )
        elif isinstance(item, FailedFetch):
            result = write(
                "record_failure",
                url=item.url,
                site=item.site,
                status=item.status,
                outcome=item.outcome,
                error=item.error,
                kind=item.kind,
                fetched_at=item.fetched_at or None,
            )
        else:
            return item
        if item.kind == "detail":
            if item.status == 200 or isinstance(item, FailedFetch):
                self.in_flight.leave(item.url)
            self.stats.inc_value(f"govarchive/{item.site}/documents/{result.outcome}")
        if isinstance(item, FailedFetch) and item.outcome == "error":
            kind = error_kind(item.status, item.error)
            self.stats.inc_value(f"govarchive/{item.site}/error/{kind}")
        elif isinstance(item, FailedFetch) and item.outcome == "blocked":
            self.stats.inc_value(f"govarchive/{item.site}/blocked")
        return item


class AttachmentTextPipeline:
    """Gets the text out of a fetched attachment (cleaners.attachments.extract_attachment, pure).

    Runs in a worker thread: a long PDF takes a while and the crawl goes on meanwhile. A file
    that is not ok (corrupt, scanned, unsupported, empty) is a fault of the site in the crawl
    report (`fault/attachment-STATUS`); it is stored all the same.
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AttachmentTextPipeline:
        return cls(crawler)

    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedAttachment) or item.status != 200:
            return item
        from twisted.internet.threads import deferToThread

        from cleaners.attachments import extract_attachment

        def done(result):
            item.extracted = result.as_dict()
            prefix = f"govarchive/{item.site}"
            self.stats.inc_value(f"{prefix}/attachments/{result.status}")
            if result.status != "ok":
                self.stats.inc_value(f"{prefix}/fault/attachment-{result.status}")
                logger.warning("attachment %s of %s: %s (%s)", item.url, item.page_url,
                               result.status, result.error)  # fmt: skip
            return item

        return deferToThread(extract_attachment, item.body, item.name or item.url).addCallback(done)


class AttachmentArchivePipeline(ArchivePipeline):
    """Stores a fetched attachment and its text with the document of the page that links it
    (archive.attachments.record_attachment); a 304 is recorded as seen again."""

    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedAttachment):
            return item
        page_archived = self.in_flight.after(item.page_url)
        if page_archived is not None:
            return page_archived.addCallback(lambda _: self._store(item))
        return self._store(item)

    def _store(self, item: FetchedAttachment) -> FetchedAttachment:
        if item.status == 304:
            result = self.session.write(
                "record_attachment_not_modified", url=item.url, page_url=item.page_url, site=item.site,
                headers=item.headers, fetched_at=item.fetched_at,
            )  # fmt: skip
        else:
            result = self.session.write(
                "record_attachment", url=item.url, page_url=item.page_url, site=item.site, status=item.status,
                headers=item.headers, body=item.body, extracted=item.extracted or {},
                name=item.name, ext_hint=item.ext_hint, fetched_at=item.fetched_at,
            )  # fmt: skip
        self.stats.inc_value(f"govarchive/{item.site}/attachments/{result.outcome}")
        return item
