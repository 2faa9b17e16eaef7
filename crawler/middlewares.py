"""Downloader middlewares, one small class each, configured in settings.py."""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.store import Archive


class ConditionalGetMiddleware:
    """Re-fetches known detail pages with If-None-Match / If-Modified-Since.

    The validators come from the archive's latest successful capture of the URL, so a re-crawl
    of an unchanged page costs the portal a 304 and no body. Listing pages are always fetched
    in full: their links are needed to walk the column.
    """

    def __init__(self, path: str):
        self.path = path
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        if not crawler.settings.getbool("GOVARCHIVE_CONDITIONAL_GET", True):
            raise NotConfigured
        return cls(crawler.settings.get("GOVARCHIVE_DB"))

    def process_request(self, request: Request, spider=None):
        if request.meta.get("kind") != "detail" or b"If-None-Match" in request.headers:
            return None
        if self.archive is None:
            self.archive = Archive(self.path)
        etag, last_modified = self.archive.validators(request.url)
        if etag:
            request.headers["If-None-Match"] = etag
        if last_modified:
            request.headers["If-Modified-Since"] = last_modified
        return None
