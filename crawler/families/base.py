"""The adapter interface shared by all CMS families."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from parsel import Selector

from archive.identity import strip_session_ids


@dataclass(frozen=True)
class PageRequest:
    """A listing page to fetch. `formdata` makes it a form POST (Hanweb record windows)."""

    url: str
    formdata: tuple[tuple[str, str], ...] | None = None


@dataclass
class Listing:
    """What one listing page yields: detail URLs (newest first) and the next listing page(s)."""

    details: list[str] = field(default_factory=list)
    next_pages: list[PageRequest] = field(default_factory=list)


class FamilyAdapter:
    name: str = ""
    # Substrings that identify the family in a page (DOMAIN.md §3.0), strongest first.
    fingerprints: tuple[str, ...] = ()
    # URL shapes that identify the family without fetching (column, API or detail URLs).
    url_patterns: tuple[re.Pattern[str], ...] = ()
    # Detail-page URL shape of the family.
    detail_url: re.Pattern[str] = re.compile(r"$^")

    def matches(self, url: str, text: str) -> bool:
        return any(f in text for f in self.fingerprints)

    def matches_url(self, url: str) -> bool:
        return any(p.search(url) for p in self.url_patterns)

    def is_detail(self, url: str) -> bool:
        return bool(self.detail_url.search(url))

    def start(self, column_url: str) -> list[PageRequest]:
        return [PageRequest(column_url)]

    def parse_listing(self, url: str, text: str) -> Listing:
        raise NotImplementedError

    def detail_links(self, url: str, html: str) -> list[str]:
        """Absolute detail-page URLs among the page's links, in page order, without repeats."""
        seen: dict[str, None] = {}
        for href in Selector(text=html).css("a::attr(href)").getall():
            absolute = strip_session_ids(urljoin(url, href.strip()))
            if self.is_detail(absolute):
                seen.setdefault(absolute)
        return list(seen)
