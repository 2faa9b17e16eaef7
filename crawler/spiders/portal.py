"""One spider for every portal: the site's CMS family adapter does the family-specific parsing.

    scrapy crawl portal -a sites=wenshang,xiangdu
    scrapy crawl portal -a url=http://www.wenshang.gov.cn/col/col70805/index.html
    scrapy crawl portal -a sites=... -s GOVARCHIVE_COLUMNS=reports   # report columns only
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.attachments import known_attachment_keys, stored_attachments
from archive.identity import url_key
from archive.recrawl import RecrawlPlan, record_full_walks
from crawler.families import ADAPTERS, PageRequest, detect_family, get_adapter
from crawler.items import FailedFetch, FetchedAttachment, FetchedPage
from crawler.middlewares import HostWalled, RedirectGuardMiddleware, _bare_host, is_private_host
from crawler.sites import get_site, load_sites, site_for_url

# Statuses that mean a wall (WAF, JS challenge) rather than a missing page (DOMAIN.md §4).
BLOCKED_STATUSES = frozenset({401, 403, 406, 412, 418, 468, 521})
GONE_STATUSES = frozenset({404, 410})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(
        self, sites: str = "", url: str = "", family: str = "", recheck: str = "",
        columns: str = "", **kwargs,
    ):  # fmt: skip
        super().__init__(**kwargs)
        # which columns of each site: "all" or "reports" (a sweep for the annual reports);
        # the setting GOVARCHIVE_COLUMNS when not given here
        self.columns = columns
        self.report_columns: set[str] = set()
        # --recheck: walk every listing to its end and re-fetch every known document now
        self.recheck = recheck.lower() in ("1", "true", "yes")
        self.plan: RecrawlPlan | None = None
        self.full_walks: set[tuple[str, str]] = set()
        if url and sites:
            raise ValueError("give either sites or url, not both")
        self.targets: list[tuple[str, str | None, str]] = []  # (column url, family, site key)
        # --url: the family is detected from the column page itself (registry family as fallback)
        self.registry_family: str | None = None
        if url:
            site = site_for_url(url)
            key = site.key if site else (urlsplit(url).hostname or url)
            self.registry_family = site.family if site else None
            self.targets.append((url, family or None, key))
        else:
            # no names: every entry that can be crawled as it stands (a known column and family)
            keys = [k.strip() for k in sites.split(",") if k.strip()] or [
                k for k, s in load_sites().items() if s.columns and s.family in ADAPTERS
            ]
            for key in keys:
                site = get_site(key)
                get_adapter(site.family)  # fail early on a registry typo
                self.targets.extend((c.url, site.family, key) for c in site.crawl_columns())
                self.report_columns.update(c.url for c in site.crawl_columns(reports_only=True))
        self.seen_documents: set[str] = set()
        # per column: detail URL keys its listing pages showed (a pager trap repeats them)
        self.listed: dict[str, set[str]] = {}
        self.unlisted_checked = False
        self.asked_attachments: set[tuple[str, str]] = set()  # (page key, attachment key)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args, **kwargs) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.check_unlisted, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.recheck = self.recheck or self.settings.getbool("GOVARCHIVE_RECHECK")
        self.plan = RecrawlPlan(self.settings.get("GOVARCHIVE_DB"))
        mode = (self.columns or self.settings.get("GOVARCHIVE_COLUMNS") or "all").lower()
        if mode not in ("all", "reports"):
            raise ValueError(f"GOVARCHIVE_COLUMNS must be 'all' or 'reports', got {mode!r}")
        if mode == "reports" and self.report_columns:
            self.targets = [t for t in self.targets if t[0] in self.report_columns]
        for column_url, family, key in self.targets:
            full = self.recheck or self.plan.needs_full_walk(column_url)
            if full:
                self.full_walks.add((key, column_url))
            requests = get_adapter(family).start(column_url) if family else [PageRequest(column_url)]
            for page in requests:
                yield self._listing_request(page, key, family, column_url, full)

    def check_unlisted(self) -> None:
        """--recheck, once every listing has been walked: ask for the known documents that no
        listing showed any more (a 404 marks them gone).

        Not at the start: a listed document is then asked for under the URL its listing gives,
        the one its last capture — and so its validators (ETag, a 304) — belongs to.
        """
        if not self.recheck or self.unlisted_checked or self.plan is None:
            return
        self.unlisted_checked = True
        families = {k: f for _, f, k in self.targets}
        asked = 0
        for key in sorted(families):
            for url in self.plan.live_documents(key):
                if url_key(url) not in self.seen_documents:
                    self.seen_documents.add(url_key(url))
                    request = self._detail_request(url, key, families[key] or "generic")
                    self.crawler.engine.crawl(request)
                    asked += 1
        if asked:
            raise DontCloseSpider

    def closed(self, reason: str) -> None:
        if self.plan is not None:
            self.plan.close()
        if reason == "finished" and self.full_walks:
            import sqlite_utils

            db = sqlite_utils.Database(self.settings.get("GOVARCHIVE_DB"))
            record_full_walks(db, sorted(self.full_walks), _now())
            db.close()

    # -- requests -----------------------------------------------------------------------------

    def _listing_request(
        self, page: PageRequest, site: str, family: str | None, column: str, full: bool
    ) -> scrapy.Request:
        meta = {"site": site, "family": family, "kind": "listing", "column": column, "full": full}
        if page.formdata is not None:
            return scrapy.FormRequest(
                page.url, formdata=dict(page.formdata), callback=self.parse_listing,
                errback=self.on_error, meta=meta,
            )  # fmt: skip
        return scrapy.Request(page.url, callback=self.parse_listing, errback=self.on_error, meta=meta)

    def _detail_request(self, url: str, site: str, family: str) -> scrapy.Request:
        meta = {"site": site, "family": family, "kind": "detail"}
        return scrapy.Request(url, callback=self.parse_detail, errback=self.on_error, meta=meta)

    # -- callbacks ----------------------------------------------------------------------------

    def _fetched(self, response: Response, kind: str) -> FetchedPage:
        return FetchedPage(
            url=response.url,
            site=response.meta["site"],
            kind=kind,
            status=response.status,
            headers=response.headers.to_unicode_dict(),
            body=response.body,
            fetched_at=_now(),
            family=response.meta.get("family"),
        )

    def parse_listing(self, response: Response):
        site, family = response.meta["site"], response.meta["family"]
        self.crawler.stats.inc_value(f"govarchive/{site}/listing_pages")
        if response.status in GONE_STATUSES:
            yield self._failure(response.url, site, "listing", response.status, "gone", "listing page missing")
            return
        yield self._fetched(response, "listing")
        text = response.text if hasattr(response, "text") else response.body.decode("utf-8", "replace")
        if family is None:
            family = detect_family(response.url, text, fallback="generic")
            if family == "generic" and self.registry_family:
                family = self.registry_family  # the registry knows better than structure guessing
            self.crawler.stats.set_value("govarchive/detected_family", family)
            self.logger.warning("%s: detected CMS family %r", response.url, family)
        listing = get_adapter(family).parse_listing(response.url, text)
        stats = self.crawler.stats
        all_known = bool(listing.details)
        listed = self.listed.setdefault(response.meta["column"], set())
        fresh = {url_key(u) for u in listing.details} - listed
        listed |= fresh
        stats.inc_value(f"govarchive/{site}/listed", len(fresh))
        for url in listing.details:
            known = self.plan.known(url) if self.plan else None
            all_known = all_known and known is not None
            key = url_key(url)
            if key in self.seen_documents:
                continue
            self.seen_documents.add(key)
            if known is None or self.recheck or self.plan.is_due(known):
                yield self._detail_request(url, site, family)
            else:
                stats.inc_value(f"govarchive/{site}/not_due")
        column, full = response.meta["column"], response.meta["full"]
        if all_known and not full:  # newest first: the rest of the column is known already
            stats.inc_value(f"govarchive/{site}/listing_walk_stopped")
            return
        # a pager that only repeats what was listed already, or never ends, is a trap
        number = response.meta.get("column_page", 0) + 1
        if listing.next_pages and listing.details and not fresh:
            stats.inc_value(f"govarchive/{site}/fault/listing-trap")
            return
        if listing.next_pages and number >= self.settings.getint("GOVARCHIVE_MAX_LISTING_PAGES", 1000):
            stats.inc_value(f"govarchive/{site}/fault/listing-limit")
            return
        for page in listing.next_pages:
            request = self._listing_request(page, site, family, column, full)
            request.meta["column_page"] = number
            yield request

    def parse_detail(self, response: Response):
        if response.status in GONE_STATUSES:
            yield self._failure(response.url, response.meta["site"], "detail", response.status, "gone")
            return
        page = self._fetched(response, "detail")
        # the hosts its attachments may come from: CleanPipeline finds the links (in its worker
        # process) and AttachmentRequestPipeline asks `attachment_requests` for them
        page.allowed_hosts = frozenset(RedirectGuardMiddleware.allowed_hosts(response.request))
        yield page
        if not self.settings.getbool("GOVARCHIVE_ATTACHMENTS", True):
            return
        if response.status == 304 and self.recheck and self.plan is not None:
            # the page is unchanged (no body to read links from): re-check its stored files
            for a in stored_attachments(self.plan.db, response.url):
                yield self._attachment_request(page, a["url"], a["name"], a["ext_hint"])

    def attachment_requests(self, page: FetchedPage) -> Iterator[scrapy.Request]:
        """Requests for the attachment links found on a detail page that are on the site's own
        hosts and have a document extension, through the same scheduler (robots.txt, per-host
        limits, conditional GET). A file already stored for this document is not asked for
        again unless the crawl re-checks."""
        if not page.attachment_links:
            return
        exts = set(self.settings.getlist("GOVARCHIVE_ATTACHMENT_EXTS"))
        known = set() if self.recheck or self.plan is None else (
            known_attachment_keys(self.plan.db, page.url)
        )  # fmt: skip
        for link in page.attachment_links:
            host = urlsplit(link.url).hostname or ""
            if _bare_host(host) not in page.allowed_hosts or is_private_host(host):
                self.crawler.stats.inc_value(f"govarchive/{page.site}/attachments/offsite")
                continue
            if (link.ext_hint or "") not in exts and link.ext_hint is not None:
                continue
            key = (url_key(page.url), url_key(link.url))
            if key[1] in known or key in self.asked_attachments:
                continue
            self.asked_attachments.add(key)
            yield self._attachment_request(page, link.url, link.name, link.ext_hint)

    def _attachment_request(
        self, page: FetchedPage, url: str, name: str | None, ext_hint: str | None
    ) -> scrapy.Request:
        return scrapy.Request(
            url, callback=self.parse_attachment, errback=self.on_error,
            dont_filter=True,  # another document may link the same file
            meta={
                "site": page.site, "family": page.family,
                "kind": "attachment", "page_url": page.url, "attachment_name": name,
                "ext_hint": ext_hint,
                "download_maxsize": self.settings.getint("GOVARCHIVE_ATTACHMENT_MAXSIZE"),
            },
        )  # fmt: skip

    def parse_attachment(self, response: Response):
        meta = response.meta
        if response.status not in (200, 304):
            yield self._failure(response.url, meta["site"], "attachment", response.status,
                                "error", f"attachment answered {response.status}")  # fmt: skip
            return
        yield FetchedAttachment(
            url=response.url, page_url=meta["page_url"], site=meta["site"],
            status=response.status, headers=response.headers.to_unicode_dict(),
            body=response.body, fetched_at=_now(), name=meta.get("attachment_name"),
            ext_hint=meta.get("ext_hint"),
        )  # fmt: skip

    def _failure(
        self, url: str, site: str, kind: str, status: int | None, outcome: str, error: str = ""
    ) -> FailedFetch:
        if outcome != "gone":
            self.crawler.stats.inc_value(f"govarchive/{site}/errors")
        return FailedFetch(url=url, site=site, kind=kind, status=status, outcome=outcome,
                           error=error, fetched_at=_now())  # fmt: skip

    def on_error(self, failure: Failure):
        request = failure.request
        site, kind = request.meta.get("site"), request.meta.get("kind", "detail")
        status = None
        if failure.check(HttpError):
            status = failure.value.response.status
        elif failure.check(HostWalled):  # counted by the middleware; nothing was sent
            return
        elif failure.check(IgnoreRequest) and "robots.txt" in failure.getErrorMessage():
            # robots.txt said no: nothing was fetched
            self.crawler.stats.inc_value(f"govarchive/{site}/robots_disallowed")
            return
        outcome = "blocked" if status in BLOCKED_STATUSES else "error"
        message = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        if request.meta.get("wall"):
            message = f"anti-bot wall ({request.meta['wall']}): {message}"
        self.logger.warning("%s %s failed: %s", kind, request.url, message)
        asked = (request.meta.get("redirect_urls") or [request.url])[0]  # before redirects
        yield self._failure(asked, site, kind, status, outcome, message)
