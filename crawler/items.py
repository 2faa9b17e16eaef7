"""What the spider hands to the pipelines: the raw fetch, not yet cleaned."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archive.store import PreparedPage
    from cleaners.attachments import AttachmentLink


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
    prepared: PreparedPage | None = None  # archive.store.prepare_page, by CleanPipeline
    # the attachment links of a detail page (cleaners.attachments), found beside cleaning, and
    # the hosts they may be fetched from (the page's site and where its request started)
    attachment_links: list[AttachmentLink] | None = None
    allowed_hosts: frozenset[str] = frozenset()


@dataclass
class FailedFetch:
    url: str
    site: str | None
    kind: str
    status: int | None
    outcome: str  # gone / blocked / error
    error: str = ""
    fetched_at: str = field(default="")


@dataclass
class FetchedAttachment:
    """A file linked from a detail page (PDF, DOC, WPS, OFD …), fetched for its text."""

    url: str
    page_url: str  # the detail page that links it: its document owns the attachment
    site: str | None
    status: int  # 200, or 304 to a conditional GET
    headers: dict[str, str]
    body: bytes
    fetched_at: str
    name: str | None = None  # as the link shows it
    ext_hint: str | None = None
    kind: str = "attachment"
    extracted: dict | None = None  # AttachmentText.as_dict(), filled by AttachmentTextPipeline
