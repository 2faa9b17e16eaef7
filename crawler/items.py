"""What the spider hands to the pipelines: the raw fetch, not yet cleaned."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FetchedPage:
    url: str
    site: str | None
    kind: str  # "detail" or "listing"
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str
    family: str | None = None
    record: dict | None = None  # filled by CleanPipeline for detail pages
    cleaner_version: str | None = None


@dataclass
class FailedFetch:
    url: str
    site: str | None
    kind: str
    status: int | None
    outcome: str  # gone / blocked / error
    error: str = ""
    fetched_at: str = field(default="")
