"""Item pipelines: spider -> cleaners -> archive, one small class per step."""

from __future__ import annotations

import logging
from functools import lru_cache

from scrapy.crawler import Crawler

import cleaners
from archive.store import Archive

from .items import FailedFetch, FetchedPage
from .sites import UnknownSiteError, get_site

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4096)
def province_of(site: str | None) -> str | None:
    try:
        return get_site(site).province if site else None
    except UnknownSiteError:  # a --url crawl of a portal outside the registry
        return None


class CleanPipeline:
    """Turns the raw bytes of a detail page into a document record."""

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        return cls(crawler)

    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage) or item.kind != "detail" or item.status != 200:
            return item
        try:
            item.record = cleaners.clean(item.body, item.url, item.headers, site=item.site)
            item.cleaner_version = cleaners.CLEANER_VERSION
        except Exception:  # a cleaner bug must not lose the capture: raw bytes are still stored
            logger.exception("cleaner failed on %s", item.url)
            self.stats.inc_value(f"govarchive/{item.site}/clean_errors")
        return item


class ArchivePipeline:
    """Writes every fetch into the SQLite archive (setting GOVARCHIVE_DB)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.path = crawler.settings.get("GOVARCHIVE_DB")
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self, spider=None) -> None:
        self.archive = Archive(self.path)

    def close_spider(self, spider=None) -> None:
        if self.archive:
            self.archive.close()

    def process_item(self, item, spider=None):
        assert self.archive is not None
        if isinstance(item, FetchedPage) and item.status == 304:
            result = self.archive.record_not_modified(
                url=item.url, site=item.site, headers=item.headers, kind=item.kind,
                fetched_at=item.fetched_at,
            )  # fmt: skip
        elif isinstance(item, FetchedPage):
            result = self.archive.record_fetch(
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
            )
        elif isinstance(item, FailedFetch):
            result = self.archive.record_failure(
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
            self.stats.inc_value(f"govarchive/{item.site}/documents/{result.outcome}")
        return item
