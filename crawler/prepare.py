"""The CPU work on a detail page between download and the archive's writes, in one function
so CleanPipeline can run it in a worker process (no Scrapy imports here).

Cleaning (`cleaners.clean`) and the archive's preparation of a page (`archive.store.prepare_page`:
digest, zstd, search tokens, MinHash) together cost more per page than Scrapy itself; in the
crawler process they would share one thread with downloading, parsing and SQLite writes.
"""

from __future__ import annotations

from collections.abc import Mapping

import cleaners
from archive.store import PreparedPage, prepare_page


def clean_and_prepare(
    body: bytes, url: str, headers: Mapping[str, str], site: str | None
) -> tuple[dict, PreparedPage]:
    record = cleaners.clean(body, url, headers, site=site)
    return record, prepare_page(body, record)
