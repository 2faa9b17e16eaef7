"""CMS family adapters: how a family lists, paginates and links to detail pages.

An adapter is pure parsing (URL + decoded text in, links out), so it runs the same live, against
the replica, or in a unit test. The spider turns its output into Scrapy requests.
"""

from __future__ import annotations

from .base import FamilyAdapter, Listing, PageRequest
from .hanweb import HanwebAdapter
from .lonsun import LonsunAdapter
from .trs import TrsAdapter

ADAPTERS: dict[str, FamilyAdapter] = {
    a.name: a for a in (HanwebAdapter(), TrsAdapter(), LonsunAdapter())
}


class UnknownFamilyError(KeyError):
    def __str__(self) -> str:
        return f"no adapter for CMS family {self.args[0]!r}; known: {', '.join(sorted(ADAPTERS))}"


def get_adapter(family: str) -> FamilyAdapter:
    try:
        return ADAPTERS[family]
    except KeyError:
        raise UnknownFamilyError(family) from None


def detect_family(url: str, text: str) -> str | None:
    """The family whose fingerprint the page carries (strongest markers first), or None."""
    for adapter in ADAPTERS.values():
        if adapter.matches(url, text):
            return adapter.name
    return None


__all__ = [
    "ADAPTERS",
    "FamilyAdapter",
    "Listing",
    "PageRequest",
    "detect_family",
    "get_adapter",
]
