"""`govarchive reclean`: re-run today's cleaners over stored raw bytes, without the network."""

from __future__ import annotations

from collections import Counter

import cleaners
from archive.store import Archive


def reclean(archive: Archive, site: str | None = None) -> tuple[Counter, list[tuple[int, str]]]:
    """Clean each document's latest stored page again; a version is added only on change.

    Returns outcome counts and the (document id, message) of pages the cleaner failed on;
    those documents keep their current version.
    """
    where, args = ("WHERE site = ?", [site]) if site else ("", [])
    ids = [r[0] for r in archive.db.execute(f"SELECT id FROM documents {where} ORDER BY id", args)]
    counts: Counter = Counter()
    errors: list[tuple[int, str]] = []
    for doc_id in ids:
        row = archive.db.execute(
            "SELECT url, site, raw_digest, content_type FROM captures WHERE document_id = ? "
            "AND status = 200 AND raw_digest IS NOT NULL ORDER BY id DESC LIMIT 1",
            [doc_id],
        ).fetchone()
        if row is None:
            counts["no-raw"] += 1
            continue
        url, doc_site, digest, content_type = row
        headers = {"Content-Type": content_type} if content_type else {}
        try:
            record = cleaners.clean(archive.raw_body(digest), url, headers, site=doc_site)
        except Exception as exc:  # one bad page must not stop the rest
            counts["error"] += 1
            errors.append((doc_id, f"{type(exc).__name__}: {exc}"))
            continue
        result = archive.record_reclean(doc_id, record, cleaners.CLEANER_VERSION, digest)
        counts[result.outcome] += 1
    return counts, errors
