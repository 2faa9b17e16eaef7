"""Live crawl progress: one status line per interval and a per-site table at the end."""

from __future__ import annotations

import sys
import time
from collections import defaultdict

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

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
        per_site = " ".join(f"{k}:{v.get('documents', 0)}" for k, v in sorted(sites.items()))
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
