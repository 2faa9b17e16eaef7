"""The CPU work on a detail page between download and the archive's writes, in one function
so CleanPipeline can run it in a worker process (no Scrapy imports here).

Cleaning (`cleaners.clean`), the archive's preparation of a page (`archive.store.prepare_page`:
digest, zstd, search tokens, MinHash) and finding its attachment links together cost more per
page than Scrapy itself; in the crawler process they would share one thread with downloading,
parsing and SQLite writes.
"""

from __future__ import annotations

from collections.abc import Mapping

import cleaners
from archive.store import PreparedPage, prepare_page
from cleaners.attachments import AttachmentLink, find_attachment_links


def clean_and_prepare(
    body: bytes, url: str, headers: Mapping[str, str], site: str | None, links: bool = True
) -> tuple[dict, PreparedPage, list[AttachmentLink] | None]:
    """The page's record, its preparation for the archive and (`links`) its attachment links."""
    record = cleaners.clean(body, url, headers, site=site)
    found = find_attachment_links(body, url) if links else None
    return record, prepare_page(body, record), found
