"""Crawl progress (one status line per interval) and the crawl report kept in the archive."""

from __future__ import annotations

import logging
import os
import shlex
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict

import sqlite_utils
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from archive.crawls import begin_crawl, finish_crawl, plan_key, site_reports_from_counts

logger = logging.getLogger(__name__)

PER_SITE_MAX = 20  # sites named one by one in the progress line
OUTCOME_ORDER = ("new", "changed", "unchanged", "not-modified", "gone", "blocked", "error")


class CrawlProgress:
    """Counts pages, documents by outcome and errors per site from the crawl stats."""

    def __init__(self, crawler: Crawler, interval: float, stream=sys.stderr):
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        interval = crawler.settings.getfloat("GOVARCHIVE_PROGRESS_INTERVAL", 2.0)
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def per_site(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for key, value in self.crawler.stats.get_stats().items():
            if not isinstance(key, str) or not key.startswith("govarchive/"):
                continue
            parts = key.split("/")
            site = parts[1]
            if parts[2:3] == ["documents"]:
                table[site][parts[3]] += value
                table[site]["documents"] += value
            else:
                table[site][parts[2]] += value
        return table

    def status_line(self) -> str:
        stats = self.crawler.stats
        elapsed = time.monotonic() - self.started
        sites = self.per_site()
        docs = sum(s.get("documents", 0) for s in sites.values())
        errors = sum(s.get("errors", 0) for s in sites.values())
        if len(sites) <= PER_SITE_MAX:
            per_site = " ".join(f"{k}:{v.get('documents', 0)}" for k, v in sorted(sites.items()))
        else:  # a national sweep: one line per interval, not thousands of counts
            per_site = f"sites with documents {sum(1 for v in sites.values() if v.get('documents'))}"
        return (
            f"[{elapsed:5.0f}s] pages {stats.get_value('response_received_count', 0)}"
            f" | documents {docs} | errors {errors} | {per_site}"
        )

    def spider_opened(self, spider) -> None:
        self.loop = task.LoopingCall(lambda: print(self.status_line(), file=self.stream, flush=True))
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider, reason) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        print(self.status_line() + f" | finished ({reason})", file=self.stream, flush=True)


# crawl stats name -> crawl report count (archive.crawls.COUNTS)
_REPORT_NAMES = {
    "documents/new": "new", "documents/changed": "changed", "documents/unchanged": "unchanged",
    "documents/not-modified": "not_modified", "documents/gone": "removed", "listed": "listed",
    "blocked": "blocked", "cleaned": "cleaned", "empty_bodies": "empty_bodies", "pages": "pages",
}  # fmt: skip


class CrawlReport:
    """Records every crawl as a row of the archive's `crawls` table, with per-site counts.

    At the start it marks earlier crawls of the same plan that never finished (killed) as
    interrupted and has their sites' columns walked in full again; at the end it compares
    each site with its earlier crawls and raises alerts (logged as errors, counted in the
    stat `govarchive/alerts`, and passed to GOVARCHIVE_ALERT_COMMAND if set).
    """

    def __init__(self, crawler: Crawler, path: str, command: str | None):
        self.crawler = crawler
        self.path = path
        self.command = command
        self.started = time.monotonic()
        self.crawl_id: int | None = None
        self.sites: list[str] = []
        self.times: dict[str, list[float]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlReport:
        path = crawler.settings.get("GOVARCHIVE_DB")
        if not path or not crawler.settings.getbool("GOVARCHIVE_CRAWL_REPORT", True):
            raise NotConfigured
        ext = cls(crawler, path, crawler.settings.get("GOVARCHIVE_ALERT_COMMAND"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        return ext

    def _db(self) -> sqlite_utils.Database:
        conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        return sqlite_utils.Database(conn)

    def spider_opened(self, spider) -> None:
        self.sites = sorted({key for _, _, key in getattr(spider, "targets", [])})
        plan = self.crawler.settings.get("GOVARCHIVE_PLAN") or plan_key(self.sites)
        db = self._db()
        try:
            self.crawl_id, resumed = begin_crawl(db, plan, self.sites)
        finally:
            db.conn.close()
        self.crawler.stats.set_value("govarchive_crawl_id", self.crawl_id)
        if resumed:
            logger.warning("an earlier crawl of %s was interrupted: walking the columns of %s "
                           "in full", plan, ", ".join(resumed))  # fmt: skip

    def response_received(self, response, request, spider=None) -> None:
        site = request.meta.get("site")
        if not site:  # robots.txt and other requests of no site
            return
        self.crawler.stats.inc_value(f"govarchive/{site}/pages")
        now = time.monotonic()
        seen = self.times.setdefault(site, [now, now])
        seen[1] = now

    def site_counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {site: {} for site in self.sites}
        for key, value in self.crawler.stats.get_stats().items():
            if not isinstance(key, str) or not key.startswith("govarchive/"):
                continue
            parts = key.split("/", 2)
            if len(parts) < 3:  # crawl-wide, e.g. govarchive/detected_family
                continue
            _, site, name = parts
            if name.startswith(("error/", "fault/", "field/")):
                counts.setdefault(site, {})[name] = value
            elif name in _REPORT_NAMES:
                counts.setdefault(site, {})[_REPORT_NAMES[name]] = value
        for errors in counts.values():
            errors["errors"] = sum(v for k, v in errors.items() if k.startswith("error/"))
        return counts

    def spider_closed(self, spider, reason: str) -> None:
        if self.crawl_id is None:
            return
        reports = site_reports_from_counts(self.site_counts())
        for r in reports:
            first, last = self.times.get(r.site, (0.0, 0.0))
            r.duration_s = last - first
        db = self._db()
        try:
            alerts = finish_crawl(db, self.crawl_id, reports, reason,
                                  time.monotonic() - self.started)  # fmt: skip
        finally:
            db.conn.close()
        self.crawler.stats.set_value("govarchive_alerts", len(alerts))
        for alert in alerts:
            logger.error("ALERT %s", alert)
        if alerts and self.command:
            self.run_hook("\n".join(alerts))

    def run_hook(self, text: str) -> None:
        """The operator's alert command (mail, a chat webhook …): text on stdin and in env."""
        try:
            subprocess.run(shlex.split(self.command or ""), input=text, text=True, timeout=120,
                           env={**os.environ, "GOVARCHIVE_ALERT": text}, check=True)  # fmt: skip
        except (OSError, subprocess.SubprocessError) as exc:
            logger.error("alert command %r failed: %s", self.command, exc)
