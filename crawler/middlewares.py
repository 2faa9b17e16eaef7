"""Downloader middlewares, one small class each, configured in settings.py."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import task

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


def parse_retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class RetryAfterMiddleware:
    """Honours `Retry-After` on 429 and 503: the whole host waits as long as it was told.

    Scrapy's RetryMiddleware retries these codes at once; a small county server that says
    "come back in 120 s" should not get the same request again a second later, nor the other
    queued requests for it. Requests to a host under back-off wait in `process_request` (before
    they reach the download slot); the refused request is retried after the wait, at most
    RETRY_TIMES times. Waits are capped by GOVARCHIVE_MAX_RETRY_AFTER seconds.
    """

    CODES = (429, 503)

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("GOVARCHIVE_MAX_RETRY_AFTER", 600.0)
        self.max_retry_times = crawler.settings.getint("RETRY_TIMES", 3)
        self.not_before: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    def _hold_slot(self, request: Request, until: float) -> None:
        """Requests already queued in the host's download slot wait too: the downloader
        delays a slot until `lastseen + delay`, so move `lastseen` to the end of the wait."""
        downloader = getattr(self.crawler.engine, "downloader", None)
        slot = downloader.slots.get(downloader.get_slot_key(request)) if downloader else None
        if slot is not None:
            slot.delay = max(slot.delay, 0.001)  # a zero delay skips the check altogether
            slot.lastseen = max(slot.lastseen, until)

    async def process_request(self, request: Request, spider=None):
        host = urlparse_cached(request).hostname or ""
        wait = self.not_before.get(host, 0.0) - time.monotonic()
        if wait > 0:
            from twisted.internet import reactor

            await maybe_deferred_to_future(task.deferLater(reactor, wait, lambda: None))
        return None

    def process_response(self, request: Request, response: Response, spider=None):
        if response.status not in self.CODES:
            return response
        wait = parse_retry_after(response.headers.get(b"Retry-After"))
        if wait is None:
            return response  # RetryMiddleware's ordinary retry
        wait = min(wait, self.max_wait)
        host = urlparse_cached(request).hostname or ""
        until = time.monotonic() + wait
        self.not_before[host] = max(self.not_before.get(host, 0.0), until)
        self._hold_slot(request, until)
        site = request.meta.get("site") or host
        self.crawler.stats.inc_value(f"govarchive/{site}/retry_after")
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=f"{response.status} Retry-After {wait:.0f}s",
            max_retry_times=self.max_retry_times,
        )
        return retry or response


def wall_kind(status: int, body: bytes, headers: Mapping[bytes, object] | None = None) -> str | None:
    """Which anti-bot wall a response is (DOMAIN.md §4.2–4.3), or None for a real answer."""
    if status == 412 and b"$_ts" in body:
        return "ruishu"  # 瑞数: 412 + obfuscated $_ts script
    if status == 521 and (
        b"__jsl_clearance" in body or b"__jsluid" in body or (headers and b"X-Via-JSL" in headers)
    ):
        return "jiasule"  # 加速乐: 521 + cookie-setting script
    return None


class HostWalled(IgnoreRequest):
    """Not sent: the host answered with an anti-bot wall earlier in this crawl."""


class AntiBotWallMiddleware:
    """Recognises 瑞数 (412 + `$_ts`) and 加速乐 (521 + `__jsl_clearance`) challenge pages.

    A challenge page is not a document: it reaches the spider as an error and is recorded as a
    `blocked` capture, counted per site (`govarchive/{site}/walls/{kind}`). Walls are deployed
    city-wide and asking again only gets the same page, so the host is left alone for the rest
    of the crawl: its remaining requests are dropped and counted (`…/walled_skipped`).
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.walled: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AntiBotWallMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        host = urlparse_cached(request).hostname or ""
        if host in self.walled:
            site = request.meta.get("site") or host
            self.stats.inc_value(f"govarchive/{site}/walled_skipped")
            raise HostWalled(f"{host} is behind a {self.walled[host]} wall")
        return None

    def process_response(self, request: Request, response: Response, spider=None):
        kind = wall_kind(response.status, response.body, response.headers)
        if kind is None:
            return response
        host = urlparse_cached(request).hostname or ""
        self.walled.setdefault(host, kind)
        request.meta["wall"] = kind
        self.stats.inc_value(f"govarchive/{request.meta.get('site') or host}/walls/{kind}")
        return response
