"""What a re-crawl needs to fetch: known documents, when each is due again, full listing walks.

A re-crawl walks each column newest first and stops at the first listing page whose documents
are all known; every FULL_WALK_DAYS it walks the whole column instead, so edits deep in a column
and removed documents are still noticed. A known document is fetched again only when it is due:
young documents often, old ones rarely (its age since publication / 10, between 1 and 60 days).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils

from .identity import url_key

FULL_WALK_DAYS = 30
MIN_RECHECK = timedelta(days=1)
MAX_RECHECK = timedelta(days=60)


def _parse(ts: str | None) -> datetime | None:
    if not ts:
        return None
    try:
        value = datetime.fromisoformat(ts)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def recheck_interval(published_date: str | None, now: datetime) -> timedelta:
    published = _parse(published_date)
    if published is None:
        return timedelta(days=30)
    return min(MAX_RECHECK, max(MIN_RECHECK, (now - published) / 10))


class RecrawlPlan:
    """Read-only view of the archive for scheduling decisions (its own connection)."""

    def __init__(self, path: str, now: datetime | None = None):
        self.now = now or datetime.now(UTC)
        self.db = sqlite_utils.Database(path)
        names = set(self.db.table_names())
        self.empty = "document_urls" not in names

    def known(self, url: str) -> dict | None:
        """The document behind this URL: id, last_seen, published_date, status (None if new)."""
        if self.empty:
            return None
        row = self.db.execute(
            "SELECT d.id, d.last_seen, d.published_date, d.status FROM document_urls u "
            "JOIN documents d ON d.id = u.document_id WHERE u.url_key = ?",
            [url_key(url)],
        ).fetchone()
        if row is None:
            return None
        return {"id": row[0], "last_seen": row[1], "published_date": row[2], "status": row[3]}

    def live_documents(self, site: str) -> list[str]:
        """URLs of the site's live documents, for a full re-check."""
        if self.empty:
            return []
        rows = self.db.execute(
            "SELECT url FROM documents WHERE site = ? AND status = 'live' ORDER BY id", [site]
        )
        return [r[0] for r in rows]

    def is_due(self, doc: dict) -> bool:
        last = _parse(doc["last_seen"])
        return last is None or self.now - last >= recheck_interval(doc["published_date"], self.now)

    def needs_full_walk(self, column_url: str) -> bool:
        if self.empty or "column_walks" not in self.db.table_names():
            return True
        row = self.db.execute(
            "SELECT last_full_walk FROM column_walks WHERE column_url = ?", [column_url]
        ).fetchone()
        last = _parse(row[0]) if row else None
        return last is None or self.now - last >= timedelta(days=FULL_WALK_DAYS)

    def close(self) -> None:
        self.db.conn.close()


def record_full_walks(db: sqlite_utils.Database, site_columns: list[tuple[str, str]], when: str
                      ) -> None:
    """Remember that these (site, column_url) were walked to their end."""
    with db.atomic():
        if "column_walks" not in db.table_names():
            db["column_walks"].create(
                {"column_url": str, "site": str, "last_full_walk": str}, pk="column_url"
            )
        db["column_walks"].upsert_all(
            [{"column_url": c, "site": s, "last_full_walk": when} for s, c in site_columns],
            pk="column_url",
        )
