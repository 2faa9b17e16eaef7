"""Downloader middlewares, one small class each, configured in settings.py."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Mapping
from datetime import UTC
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import task

from archive.crawls import error_kind
from archive.store import Archive


class ConditionalGetMiddleware:
    """Re-fetches known detail pages with If-None-Match / If-Modified-Since.

    The validators come from the archive's latest successful capture of the URL, so a re-crawl
    of an unchanged page costs the portal a 304 and no body. Listing pages are always fetched
    in full: their links are needed to walk the column. Attachments are re-asked the same way.
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
        if request.meta.get("kind") not in ("detail", "attachment") or (
            b"If-None-Match" in request.headers
        ):
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


class FaultStatsMiddleware:
    """Counts every fault a site showed, the retried ones too (`govarchive/{site}/fault/{kind}`).

    The final failures are recorded as captures; this is what the crawl report adds about the
    portal's health: 503s that went away on retry, timeouts, connection resets, truncated bodies.
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FaultStatsMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None):
        site = request.meta.get("site")  # robots.txt requests belong to no site
        if site and (response.status >= 500 or response.status in (408, 429)):
            self.stats.inc_value(f"govarchive/{site}/fault/http-{response.status}")
        return response

    def process_exception(self, request: Request, exception: Exception, spider=None):
        site = request.meta.get("site")
        if site and not isinstance(exception, IgnoreRequest):
            kind = error_kind(None, f"{type(exception).__name__}: {exception}")
            self.stats.inc_value(f"govarchive/{site}/fault/{kind}")
        return None


class RedirectRefused(IgnoreRequest):
    """A redirect that is not followed: to another host, to a private address, or a loop."""


def _bare_host(host: str) -> str:
    host = host.lower().rstrip(".")
    for prefix in ("www.", "wap.", "m."):
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def is_private_host(host: str) -> bool:
    """Loopback, private, link-local or otherwise non-public literal addresses and localhost."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def _refuse(stats, request: Request, kind: str, message: str):
    site = request.meta.get("site") or urlparse_cached(request).hostname or "?"
    stats.inc_value(f"govarchive/{site}/fault/{kind}")
    raise RedirectRefused(message)


class RedirectGuardMiddleware:
    """Redirects stay on the site: never to another host, never to a private address.

    A portal (or a hijacked one) may redirect anywhere; an archive of a county portal must not
    follow it to an unrelated host or into the crawler's own network. The site's hosts are its
    registry hosts and the host the first request of the chain went to (with and without `www`).
    Runs before RobotsTxtMiddleware, so not even the other host's robots.txt is asked for;
    covers 3xx and <meta refresh> redirects. Refused redirects reach the spider's errback and
    are recorded as errors.
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    @staticmethod
    def allowed_hosts(request: Request) -> set[str]:
        from crawler.sites import UnknownSiteError, get_site

        first = (request.meta.get("redirect_urls") or [request.url])[0]
        hosts = {_bare_host(urlsplit(first).hostname or "")}
        try:
            site = get_site(request.meta["site"]) if request.meta.get("site") else None
        except UnknownSiteError:  # a --url crawl of a portal outside the registry
            site = None
        if site is not None:
            hosts |= {_bare_host(h) for h in site.hosts}
        return hosts

    def process_request(self, request: Request, spider=None):
        if not request.meta.get("redirect_urls"):
            return None
        host = urlparse_cached(request).hostname or ""
        if is_private_host(host):
            _refuse(self.stats, request, "offsite-redirect",
                    f"offsite redirect to a private address: {request.url}")  # fmt: skip
        if _bare_host(host) not in self.allowed_hosts(request):
            _refuse(self.stats, request, "offsite-redirect", f"offsite redirect to "
                    f"{request.url} (from {request.meta['redirect_urls'][0]})")  # fmt: skip
        return None


class RedirectLoopMiddleware:
    """A redirect back to a URL of its own chain is refused at once, and recorded.

    Scrapy's dupefilter would drop the repeated request without a trace (or RedirectMiddleware
    give up after REDIRECT_MAX_TIMES); the page would vanish from the crawl unreported.
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectLoopMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None):
        location = response.headers.get(b"Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            _refuse(self.stats, request, "redirect-loop",
                    f"redirect loop: {' -> '.join([*chain, target])}")  # fmt: skip
        return response
