"""CMS family adapters: how a family lists, paginates and links to detail pages.

An adapter is pure parsing (URL + decoded text in, links out), so it runs the same live, against
the replica, or in a unit test. The spider turns its output into Scrapy requests.
"""

from __future__ import annotations

import re

from .base import FamilyAdapter, Listing, PageRequest
from .generic import GenericAdapter
from .gkmlpt import GkmlptAdapter
from .hanweb import HanwebAdapter
from .jpaas import JpaasAdapter
from .lonsun import LonsunAdapter
from .shandong import ShandongAdapter
from .trs import TrsAdapter
from .ucap import UcapAdapter

# Detection order: the platform-specific markers first (a gkmlpt or jpaas page may also carry
# Hanweb-like `/col/` links or TRS-like paths), the older families after, generic last.
ADAPTERS: dict[str, FamilyAdapter] = {
    a.name: a
    for a in (
        GkmlptAdapter(), ShandongAdapter(), JpaasAdapter(), UcapAdapter(),
        HanwebAdapter(), TrsAdapter(), LonsunAdapter(), GenericAdapter(),
    )
}  # fmt: skip

# URL shapes of the older families (their adapters predate `url_patterns`).
_URL_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"/module/web/jpage/|/col/col\d+/|/art/\d{4}/\d{1,2}/\d{1,2}/art_"), "hanweb"),
    (re.compile(r"/\d{6}/t\d{8}_\d+\.s?html?$"), "trs"),
    (re.compile(r"/public/column/\d+|/public/\d+/\d+\.html$"), "lonsun"),
)


class UnknownFamilyError(KeyError):
    def __str__(self) -> str:
        return f"no adapter for CMS family {self.args[0]!r}; known: {', '.join(sorted(ADAPTERS))}"


def get_adapter(family: str) -> FamilyAdapter:
    try:
        return ADAPTERS[family]
    except KeyError:
        raise UnknownFamilyError(family) from None


def detect_family(url: str, text: str, fallback: str | None = None) -> str | None:
    """The family a column URL / page belongs to: page fingerprints first (they tell jpaas from
    classic Hanweb on the same `/col/` URL), then URL shapes, else ``fallback`` (the spider
    passes "generic"; the default None keeps "no known family" visible to callers)."""
    for adapter in ADAPTERS.values():
        if text and adapter.matches(url, text):
            return adapter.name
    for adapter in ADAPTERS.values():
        if adapter.matches_url(url):
            return adapter.name
    for pattern, family in _URL_HINTS:
        if pattern.search(url):
            return family
    return fallback


__all__ = [
    "ADAPTERS",
    "FamilyAdapter",
    "Listing",
    "PageRequest",
    "detect_family",
    "get_adapter",
]
