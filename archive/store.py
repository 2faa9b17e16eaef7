"""The archive: every capture kept, each distinct version of a document stored once.

Tables (created with sqlite-utils, see README "Archive schema"):
- `raw`       one row per distinct response body (sha256), zlib-compressed;
- `captures`  one row per fetch: url, time, status, validators, body digest, outcome;
- `documents` one row per real document (keyed by `url_key`), holding its current record;
- `versions`  a new row only when the cleaned text or metadata change.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from cleaners.record import RECORD_FIELDS

from .identity import canonical_url, url_key

# Record fields that define a version; url and site are identity, not content.
CONTENT_FIELDS: tuple[str, ...] = tuple(f for f in RECORD_FIELDS if f not in ("url", "site"))

OUTCOMES = ("new", "changed", "unchanged", "not-modified", "gone", "blocked", "error")


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_hash(record: Mapping) -> str:
    payload = json.dumps({f: record.get(f) for f in CONTENT_FIELDS}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CaptureResult:
    capture_id: int
    outcome: str
    document_id: int | None = None
    version_id: int | None = None


class Archive:
    """A SQLite archive file. Safe to open on an existing database: the schema is idempotent."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._ensure_schema()

    # -- schema -----------------------------------------------------------------------------

    def _ensure_schema(self) -> None:
        db = self.db
        record_cols = {f: str for f in CONTENT_FIELDS}
        if "raw" not in db.table_names():
            db["raw"].create(
                {"digest": str, "size": int, "content_type": str, "body_zlib": bytes},
                pk="digest",
            )
        if "documents" not in db.table_names():
            db["documents"].create(
                {
                    "id": int,
                    "url_key": str,
                    "url": str,
                    "site": str,
                    **record_cols,
                    "status": str,  # live / gone
                    "current_version_id": int,
                    "version_count": int,
                    "first_seen": str,
                    "last_seen": str,
                    "last_changed": str,
                },
                pk="id",
            )
            db["documents"].create_index(["url_key"], unique=True)
            db["documents"].create_index(["site"])
        if "versions" not in db.table_names():
            db["versions"].create(
                {
                    "id": int,
                    "document_id": int,
                    "content_hash": str,
                    **record_cols,
                    "extras_json": str,
                    "raw_digest": str,
                    "cleaner_version": str,
                    "first_seen": str,
                    "last_seen": str,
                },
                pk="id",
                foreign_keys=[("document_id", "documents", "id"), ("raw_digest", "raw", "digest")],
            )
            db["versions"].create_index(["document_id"])
        if "captures" not in db.table_names():
            db["captures"].create(
                {
                    "id": int,
                    "url": str,
                    "url_key": str,
                    "site": str,
                    "kind": str,  # detail / listing
                    "fetched_at": str,
                    "status": int,
                    "etag": str,
                    "last_modified": str,
                    "content_type": str,
                    "raw_digest": str,
                    "outcome": str,
                    "document_id": int,
                    "version_id": int,
                    "error": str,
                },
                pk="id",
                foreign_keys=[("raw_digest", "raw", "digest")],
            )
            db["captures"].create_index(["url_key", "fetched_at"])
            db["captures"].create_index(["site"])

    # -- writes -----------------------------------------------------------------------------

    def _store_raw(self, body: bytes, content_type: str | None) -> str:
        digest = hashlib.sha256(body).hexdigest()
        self.db.execute(
            "INSERT OR IGNORE INTO raw (digest, size, content_type, body_zlib) VALUES (?, ?, ?, ?)",
            [digest, len(body), content_type, zlib.compress(body, 6)],
        )
        return digest

    def _insert_capture(self, **row) -> int:
        return self.db["captures"].insert(row).last_pk

    def record_fetch(
        self,
        *,
        url: str,
        site: str | None,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        record: Mapping | None,
        cleaner_version: str | None = None,
        kind: str = "detail",
        fetched_at: str | None = None,
    ) -> CaptureResult:
        """Store one fetched page; for a detail page with a record, update document and versions."""
        fetched_at = fetched_at or utcnow()
        h = {k.lower(): v for k, v in headers.items()}
        with self.db.conn:
            digest = self._store_raw(body, h.get("content-type"))
            capture = dict(
                url=url,
                url_key=url_key(url),
                site=site,
                kind=kind,
                fetched_at=fetched_at,
                status=status,
                etag=h.get("etag"),
                last_modified=h.get("last-modified"),
                content_type=h.get("content-type"),
                raw_digest=digest,
            )
            if kind != "detail" or record is None:
                outcome = self._listing_outcome(capture["url_key"], digest)
                return CaptureResult(self._insert_capture(**capture, outcome=outcome), outcome)
            outcome, doc_id, version_id = self._upsert_document(
                url, site, record, digest, cleaner_version, fetched_at
            )
            capture_id = self._insert_capture(
                **capture, outcome=outcome, document_id=doc_id, version_id=version_id
            )
            return CaptureResult(capture_id, outcome, doc_id, version_id)

    def record_failure(
        self,
        *,
        url: str,
        site: str | None,
        status: int | None,
        outcome: str,
        error: str | None = None,
        kind: str = "detail",
        fetched_at: str | None = None,
    ) -> CaptureResult:
        """A fetch that produced no document: gone (404/410), blocked (WAF) or error."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}; expected one of {OUTCOMES}")
        fetched_at = fetched_at or utcnow()
        key = url_key(url)
        with self.db.conn:
            doc_id = None
            if outcome == "gone":
                row = self._document_by_key(key)
                if row:
                    doc_id = row["id"]
                    self.db["documents"].update(doc_id, {"status": "gone", "last_seen": fetched_at})
            capture_id = self._insert_capture(
                url=url, url_key=key, site=site, kind=kind, fetched_at=fetched_at,
                status=status, outcome=outcome, error=error, document_id=doc_id,
            )  # fmt: skip
        return CaptureResult(capture_id, outcome, doc_id)

    def record_not_modified(
        self,
        *,
        url: str,
        site: str | None,
        headers: Mapping[str, str],
        kind: str = "detail",
        fetched_at: str | None = None,
    ) -> CaptureResult:
        """A 304 answer to a conditional GET: the document was seen again, unchanged."""
        fetched_at = fetched_at or utcnow()
        key = url_key(url)
        h = {k.lower(): v for k, v in headers.items()}
        with self.db.conn:
            doc = self._document_by_key(key)
            doc_id = version_id = None
            if doc is not None:
                doc_id, version_id = doc["id"], doc["current_version_id"]
                self.db["documents"].update(doc_id, {"last_seen": fetched_at, "status": "live"})
                self.db["versions"].update(version_id, {"last_seen": fetched_at})
            # A 304 may omit validators; keep the ones the request was made with.
            prev_etag, prev_modified = self.validators(url)
            capture_id = self._insert_capture(
                url=url, url_key=key, site=site, kind=kind, fetched_at=fetched_at, status=304,
                etag=h.get("etag") or prev_etag, last_modified=h.get("last-modified") or prev_modified,
                outcome="not-modified", document_id=doc_id, version_id=version_id,
            )  # fmt: skip
        return CaptureResult(capture_id, "not-modified", doc_id, version_id)

    def _listing_outcome(self, key: str, digest: str) -> str:
        prev = self.db.execute(
            "SELECT raw_digest FROM captures WHERE url_key = ? AND raw_digest IS NOT NULL "
            "ORDER BY id DESC LIMIT 1",
            [key],
        ).fetchone()
        if prev is None:
            return "new"
        return "unchanged" if prev[0] == digest else "changed"

    def _document_by_key(self, key: str) -> dict | None:
        rows = list(self.db["documents"].rows_where("url_key = ?", [key], limit=1))
        return rows[0] if rows else None

    def _upsert_document(
        self,
        url: str,
        site: str | None,
        record: Mapping,
        digest: str,
        cleaner_version: str | None,
        seen: str,
    ) -> tuple[str, int, int]:
        key = url_key(url)
        fields = {f: record.get(f) for f in CONTENT_FIELDS}
        chash = content_hash(record)
        extras = {k: v for k, v in record.items() if k not in RECORD_FIELDS}
        doc = self._document_by_key(key)
        if doc is not None:
            current = self.db["versions"].get(doc["current_version_id"])
            if current["content_hash"] == chash:
                self.db["versions"].update(current["id"], {"last_seen": seen})
                self.db["documents"].update(doc["id"], {"last_seen": seen, "status": "live"})
                return "unchanged", doc["id"], current["id"]
        if doc is None:
            doc_id = self.db["documents"].insert(
                {
                    "url_key": key,
                    "url": canonical_url(url),
                    "site": site,
                    **fields,
                    "status": "live",
                    "version_count": 0,
                    "first_seen": seen,
                    "last_seen": seen,
                }
            ).last_pk
            outcome = "new"
        else:
            doc_id = doc["id"]
            outcome = "changed"
        version_id = self.db["versions"].insert(
            {
                "document_id": doc_id,
                "content_hash": chash,
                **fields,
                "extras_json": json.dumps(extras, ensure_ascii=False, sort_keys=True),
                "raw_digest": digest,
                "cleaner_version": cleaner_version,
                "first_seen": seen,
                "last_seen": seen,
            }
        ).last_pk
        self.db.execute(
            "UPDATE documents SET current_version_id = ?, version_count = version_count + 1, "
            "last_seen = ?, last_changed = ?, status = 'live' WHERE id = ?",
            [version_id, seen, seen, doc_id],
        )
        self.db["documents"].update(doc_id, fields)
        return outcome, doc_id, version_id

    # -- reads ------------------------------------------------------------------------------

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(etag, last_modified) of the latest successful capture of this URL, for conditional GET."""
        row = self.db.execute(
            "SELECT etag, last_modified FROM captures WHERE url_key = ? AND status IN (200, 304) "
            "ORDER BY id DESC LIMIT 1",
            [url_key(url)],
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def raw_body(self, digest: str) -> bytes:
        row = self.db["raw"].get(digest)
        return zlib.decompress(row["body_zlib"])

    def documents(self, site: str | None = None) -> Iterator[dict]:
        where, args = ("site = ?", [site]) if site else (None, None)
        yield from self.db["documents"].rows_where(where, args, order_by="id")

    def site_summary(self) -> list[dict]:
        """Per-site counts for the crawl report."""
        sql = """
            SELECT site,
                   COUNT(*) AS documents,
                   SUM(status = 'live') AS live,
                   SUM(version_count) AS versions
            FROM documents GROUP BY site ORDER BY site
        """
        docs = {r[0]: r for r in self.db.execute(sql).fetchall()}
        caps = {
            r[0]: r
            for r in self.db.execute(
                "SELECT site, COUNT(*), SUM(outcome = 'error' OR outcome = 'blocked') "
                "FROM captures GROUP BY site"
            ).fetchall()
        }
        out = []
        for site in sorted(set(docs) | set(caps), key=lambda s: s or ""):
            d = docs.get(site, (site, 0, 0, 0))
            c = caps.get(site, (site, 0, 0))
            out.append(
                {
                    "site": site,
                    "documents": d[1],
                    "live": d[2] or 0,
                    "versions": d[3] or 0,
                    "captures": c[1],
                    "errors": c[2] or 0,
                }
            )
        return out

    def close(self) -> None:
        self.db.conn.close()
