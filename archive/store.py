"""The archive: every capture kept, each distinct version of a document stored once.

The tables are defined in `archive.schema`. Identity rules live in `archive.identity`; the
search index in `archive.search`; near-duplicate matching in `archive.dedup`.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sqlite_utils

from cleaners.record import RECORD_FIELDS

from . import rawcodec
from .attachments import (
    AttachmentResult,
    record_attachment,
    record_attachment_not_modified,
    substitute_stub,
)
from .dedup import NearDuplicateIndex, minhash_of
from .identity import canonical_url, url_key
from .schema import METADATA_COLUMNS, ensure_schema
from .search import IndexWriter, ensure_search_index, segment

OUTCOMES = ("new", "changed", "unchanged", "not-modified", "gone", "blocked", "error")
# `duplicates` rows made per document and kind (the most similar copies, and the cluster's
# representative). A report reposted on every county portal would otherwise make rows in the
# square of its copies; its cluster (documents.cluster_id) still holds every copy.
MAX_DUPLICATE_LINKS = 50

_WS = re.compile(r"\s+")
# 索引号 values that are placeholders, not identifiers.
_USABLE_INDEX_NO = re.compile(r"^(?=.*\d)[\w\-/.·〔〕\[\]（）()]{6,}$")


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def text_key(text: str | None, *, nfkc: bool = False) -> str | None:
    """Fingerprint under which a text is stored once: NFKC, whitespace removed, sha256.

    Two portals that publish the same report with other line breaks or full-width digits
    share one `texts` row; the first text seen is the one kept, characters as published.
    `nfkc=True`: the text is already NFKC-normalised.
    """
    if not text:
        return None
    normal = _WS.sub("", text if nfkc else unicodedata.normalize("NFKC", text))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def content_hash(record: Mapping, text_fingerprint: str | None = None) -> str:
    """What defines a version: the metadata columns plus the text's fingerprint."""
    payload = {f: record.get(f) for f in METADATA_COLUMNS}
    payload["text"] = text_fingerprint or text_key(record.get("text"))
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def usable_index_no(value: str | None) -> str | None:
    """The 索引号 when it can identify a document (not 无, not a bare dash or a year)."""
    value = _WS.sub("", value or "")
    return value if _USABLE_INDEX_NO.match(value) else None


def _year(record: Mapping) -> int | None:
    for field in ("published_date", "written_date"):
        value = record.get(field) or ""
        if re.match(r"^\d{4}-", value):
            return int(value[:4])
    return None


@dataclass(frozen=True)
class PreparedRecord:
    """What storing a cleaned record needs that the database does not: its NFKC text, the text's
    and the version's fingerprints, search tokens and MinHash signature. Pure and picklable."""

    nfkc: str | None
    text_key: str | None
    content_hash: str
    tokens: tuple[str, str]  # segment()ed title and NFKC body
    signature: np.ndarray | None


@dataclass(frozen=True)
class PreparedPage:
    """The CPU-heavy part of `Archive.record_fetch`: digest and compressed body, and the record's
    `PreparedRecord`. Computed by `prepare_page` in any process: bulk ingest prepares pages in
    worker processes while one process writes (SQLite has one writer)."""

    digest: str
    size: int
    codec: str
    blob: bytes
    record: PreparedRecord | None


def prepare_record(record: Mapping) -> PreparedRecord:
    text = record.get("text")
    nfkc = unicodedata.normalize("NFKC", text) if text else None  # once per record
    key = text_key(nfkc, nfkc=True)
    return PreparedRecord(
        nfkc=nfkc,
        text_key=key,
        content_hash=content_hash(record, key),
        tokens=(segment(record.get("title")), segment(nfkc, nfkc=True)),
        signature=minhash_of(nfkc, nfkc=True) if nfkc else None,
    )


def prepare_page(
    body: bytes, record: Mapping | None, *, digest: str | None = None, compress: bool = True
) -> PreparedPage:
    """`compress=False` when the body is already stored (blob left empty)."""
    codec, blob = rawcodec.compress(body) if compress else ("", b"")
    return PreparedPage(
        digest=digest or hashlib.sha256(body).hexdigest(),
        size=len(body),
        codec=codec,
        blob=blob,
        record=prepare_record(record) if record is not None else None,
    )


@dataclass(frozen=True)
class CaptureResult:
    capture_id: int | None
    outcome: str
    document_id: int | None = None
    version_id: int | None = None


class Archive:
    """A SQLite archive file. Safe to open on an existing database: the schema is idempotent."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.db = sqlite_utils.Database(conn)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        with self.db.atomic():
            ensure_schema(self.db)
            ensure_search_index(self.db)
            self.near = NearDuplicateIndex(self.db)
        self.index = IndexWriter(self.db)
        self._batch_depth = 0
        self._record_savepoints = False

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """One record's writes as a unit: its own transaction, or part of an open one.

        Inside `batch()` a savepoint per record would make SQLite flush the full-text index's
        pending data at every record, and the search index is written once at the end of the
        batch; the batch is all-or-nothing anyway. Outside a batch the record's index update is
        written before its writes commit.
        """
        if self._batch_depth and not self._record_savepoints:
            yield
            return
        if self._batch_depth:  # an open_batch(): this record alone is undone if it fails
            queued = self.index.queued()
            self.db.execute("SAVEPOINT record")
            try:
                yield
            except BaseException:
                if self.db.conn.in_transaction:
                    self.db.execute("ROLLBACK TO record")
                    self.db.execute("RELEASE record")
                self.index.requeue(queued)
                raise
            self.db.execute("RELEASE record")
            return
        tx = nullcontext() if self.db.conn.in_transaction else self.db.atomic()
        try:
            with tx:
                yield
                self.index.flush()
        finally:
            self.index.discard()

    @property
    def in_batch(self) -> bool:
        return self._batch_depth > 0

    def open_batch(self) -> None:
        """Start a transaction that the following records join until `commit_batch()`.

        A crawl writes page after page: one commit per page costs more than the page's own
        writes (WAL frames of every b-tree page touched, again and again). Each record keeps a
        savepoint of its own, so one that fails is undone alone; a crash loses the records of
        the open batch, never part of one.
        """
        if self._batch_depth:
            raise RuntimeError("a batch is open already")
        self.db.execute("BEGIN")
        self._batch_depth, self._record_savepoints = 1, True

    def commit_batch(self) -> None:
        """Write the search index of the batch's records and commit them (no-op if none open)."""
        if not self._batch_depth:
            return
        try:
            self.index.flush()
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        finally:
            self._batch_depth, self._record_savepoints = 0, False
            self.index.discard()

    @contextmanager
    def batch(self) -> Iterator[Archive]:
        """Group many writes in one transaction (bulk ingest): all of them or none."""
        if self._batch_depth:
            yield self
            return
        self._batch_depth += 1
        try:
            with self.db.atomic():
                yield self
                self.index.flush()
        finally:
            self._batch_depth -= 1
            self.index.discard()

    # -- writes -----------------------------------------------------------------------------

    def _store_raw(self, page: PreparedPage, content_type: str | None) -> str:
        if not page.codec:  # prepared without compressing: the body is stored already
            return page.digest
        self.db.execute(
            "INSERT OR IGNORE INTO raw (digest, size, content_type, codec, body) "
            "VALUES (?, ?, ?, ?, ?)",
            [page.digest, page.size, content_type, page.codec, page.blob],
        )
        return page.digest

    def _store_text(self, text: str | None, key: str | None) -> tuple[str | None, bool]:
        """(key, whether `text` is the stored text): the first text seen under a key is kept."""
        if not key:
            return None, False
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO texts (hash, text, chars) VALUES (?, ?, ?)",
            [key, text, len(text or "")],
        )
        return key, cursor.rowcount == 1

    def _insert(self, table: str, row: Mapping) -> int:
        cols = list(row)
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        return self.db.execute(sql, [row[c] for c in cols]).lastrowid

    def _update(self, table: str, row_id: int, values: Mapping) -> None:
        sets = ", ".join(f"{c} = ?" for c in values)
        self.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values.values(), row_id])

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
        province: str | None = None,
        prepared: PreparedPage | None = None,
    ) -> CaptureResult:
        """Store one fetched page; for a detail page with a record, update document and versions.

        `prepared`: `prepare_page(body, record)` computed beforehand (bulk ingest)."""
        fetched_at = fetched_at or utcnow()
        h = {k.lower(): v for k, v in headers.items()}
        detail = kind == "detail" and record is not None
        if prepared is None:
            # a re-fetched unchanged body is stored already: no need to compress it again
            digest = hashlib.sha256(body).hexdigest()
            stored = self.db.execute("SELECT 1 FROM raw WHERE digest = ?", [digest]).fetchone()
            prepared = prepare_page(body, record if detail else None, digest=digest,
                                    compress=stored is None)  # fmt: skip
        elif prepared.size != len(body) or (detail and prepared.record is None):
            raise ValueError("prepared page does not belong to this body and record")
        with self._atomic():
            digest = self._store_raw(prepared, h.get("content-type"))
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
            if not detail:
                outcome = self._listing_outcome(capture["url_key"], digest)
                return CaptureResult(self._insert("captures", {**capture, "outcome": outcome}), outcome)
            assert record is not None and prepared.record is not None
            outcome, doc_id, version_id = self._upsert_document(
                url, site, record, prepared.record, digest, cleaner_version, fetched_at, province
            )
            capture_id = self._insert(
                "captures",
                {**capture, "outcome": outcome, "document_id": doc_id, "version_id": version_id},
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
        with self._atomic():
            doc_id = None
            if outcome == "gone":
                doc = self.document_for_url(url)
                if doc:
                    doc_id = doc["id"]
                    self._update("documents", doc_id, {"status": "gone", "last_seen": fetched_at})
            capture_id = self._insert("captures", dict(
                url=url, url_key=key, site=site, kind=kind, fetched_at=fetched_at,
                status=status, outcome=outcome, error=error, document_id=doc_id,
            ))  # fmt: skip
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
        h = {k.lower(): v for k, v in headers.items()}
        with self._atomic():
            doc = self.document_for_url(url)
            doc_id = version_id = None
            if doc is not None:
                doc_id, version_id = doc["id"], doc["current_version_id"]
                self._update("documents", doc_id, {"last_seen": fetched_at, "status": "live"})
                self._update("versions", version_id, {"last_seen": fetched_at})
            # A 304 may omit validators; keep the ones the request was made with.
            prev_etag, prev_modified = self.validators(url)
            capture_id = self._insert("captures", dict(
                url=url, url_key=url_key(url), site=site, kind=kind, fetched_at=fetched_at,
                status=304, etag=h.get("etag") or prev_etag,
                last_modified=h.get("last-modified") or prev_modified,
                outcome="not-modified", document_id=doc_id, version_id=version_id,
            ))  # fmt: skip
        return CaptureResult(capture_id, "not-modified", doc_id, version_id)

    def record_attachment(self, **kwargs) -> AttachmentResult:
        """Store a fetched attachment of a document (see `archive.attachments.record_attachment`)."""
        return record_attachment(self, **kwargs)

    def record_attachment_not_modified(self, **kwargs) -> AttachmentResult:
        """A 304 to a stored attachment (`archive.attachments.record_attachment_not_modified`)."""
        return record_attachment_not_modified(self, **kwargs)

    def record_reclean(
        self, document_id: int, record: Mapping, cleaner_version: str, raw_digest: str
    ) -> CaptureResult:
        """New cleaner output for stored raw bytes: a version only if the output changed."""
        with self._atomic():
            doc = self.db["documents"].get(document_id)
            outcome, doc_id, version_id = self._upsert_document(
                doc["url"], doc["site"], record, prepare_record(record), raw_digest,
                cleaner_version, utcnow(),
                doc["province"], document=doc, touch=False,
            )  # fmt: skip
        return CaptureResult(None, outcome, doc_id, version_id)

    def _listing_outcome(self, key: str, digest: str) -> str:
        prev = self.db.execute(
            "SELECT raw_digest FROM captures WHERE url_key = ? AND raw_digest IS NOT NULL "
            "ORDER BY id DESC LIMIT 1",
            [key],
        ).fetchone()
        if prev is None:
            return "new"
        return "unchanged" if prev[0] == digest else "changed"

    def _find_document(self, key: str, site: str | None, record: Mapping) -> dict | None:
        """The document this URL belongs to: a known URL key first, then site + 索引号.

        A 索引号 match also needs the same title, so a portal that reuses one 索引号 for
        different items (it happens) does not merge them.
        """
        row = self.db.execute(
            "SELECT document_id FROM document_urls WHERE url_key = ?", [key]
        ).fetchone()
        if row:
            return self._row("documents", "id", row[0])
        index_no = usable_index_no(record.get("index_no"))
        if index_no and site:
            doc = self._row("documents", "doc_key", f"{site}|{index_no}")
            if doc and _WS.sub("", doc["title"] or "") == _WS.sub("", record.get("title") or ""):
                return doc
        return None

    def _row(self, table: str, column: str, value: object) -> dict | None:
        cursor = self.db.execute(f"SELECT * FROM {table} WHERE {column} = ?", [value])
        row = cursor.fetchone()
        return None if row is None else dict(zip([c[0] for c in cursor.description], row, strict=True))

    def _new_doc_key(self, key: str, site: str | None, record: Mapping) -> str:
        index_no = usable_index_no(record.get("index_no"))
        if index_no and site:
            candidate = f"{site}|{index_no}"
            taken = self.db.execute("SELECT 1 FROM documents WHERE doc_key = ?", [candidate])
            if taken.fetchone() is None:
                return candidate
        return f"url|{key}"

    def _upsert_document(
        self,
        url: str,
        site: str | None,
        record: Mapping,
        prep: PreparedRecord,
        digest: str,
        cleaner_version: str | None,
        seen: str,
        province: str | None,
        document: dict | None = None,
        touch: bool = True,
    ) -> tuple[str, int, int]:
        key = url_key(url)
        doc = document or self._find_document(key, site, record)
        if doc is not None:  # a stub page takes its attachment's text (archive.attachments)
            stub = substitute_stub(self.db, doc["id"], record)
            if stub is not None:
                record, prep = stub, prepare_record(stub)
        fields = {f: record.get(f) for f in METADATA_COLUMNS}
        text = record.get("text")
        tkey, chash = prep.text_key, prep.content_hash
        if doc is not None:
            self.db.execute(
                "INSERT OR IGNORE INTO document_urls (url_key, document_id, url, first_seen) "
                "VALUES (?, ?, ?, ?)",
                [key, doc["id"], canonical_url(url), seen],
            )
            current = self._row("versions", "id", doc["current_version_id"])
            assert current is not None
            if current["content_hash"] == chash:
                if touch:
                    self._update("versions", current["id"], {"last_seen": seen})
                    self._update("documents", doc["id"], {"last_seen": seen, "status": "live"})
                return "unchanged", doc["id"], current["id"]
        thash, stored = self._store_text(text, tkey)
        current_cols = {
            **fields,
            "year": _year(record),
            "text_hash": thash,
            "text_chars": len(text or ""),
        }
        if doc is None:
            doc_id = self._insert("documents", {
                "doc_key": self._new_doc_key(key, site, record), "url_key": key,
                "url": canonical_url(url), "site": site, "province": province, **current_cols,
                "status": "live", "version_count": 0, "first_seen": seen, "last_seen": seen,
            })  # fmt: skip
            self.db.execute(
                "INSERT OR IGNORE INTO document_urls (url_key, document_id, url, first_seen) "
                "VALUES (?, ?, ?, ?)",
                [key, doc_id, canonical_url(url), seen],
            )
            outcome, old_text = "new", None
        else:
            doc_id, outcome, old_text = doc["id"], "changed", doc["text_hash"]
        extras = {k: v for k, v in record.items() if k not in RECORD_FIELDS}
        version_id = self._insert("versions", {
            "document_id": doc_id, "content_hash": chash, **fields, "text_hash": thash,
            "extras_json": json.dumps(extras, ensure_ascii=False, sort_keys=True),
            "raw_digest": digest, "cleaner_version": cleaner_version,
            "first_seen": seen, "last_seen": seen,
        })  # fmt: skip
        current = {"current_version_id": version_id, "last_changed": seen, "status": "live"}
        if touch:
            current["last_seen"] = seen
        if outcome != "new":  # a new row was inserted with them
            current.update(current_cols)
        sets = ", ".join(f"{c} = ?" for c in current)
        self.db.execute(
            f"UPDATE documents SET version_count = version_count + 1, {sets} WHERE id = ?",
            [*current.values(), doc_id],
        )
        title = fields.get("title")
        if thash is None:
            self.index.put(doc_id, title, None, text, tokens=prep.tokens)
        elif stored:
            self.index.put(doc_id, title, thash, text, body_nfkc=prep.nfkc, tokens=prep.tokens)
        else:  # another document's text under the same key: index what is stored
            self.index.put(doc_id, title, thash, self.text(thash))
        if outcome == "new" or old_text != thash:
            self._link_duplicates(doc_id, thash, prep.signature, new=outcome == "new")
        return outcome, doc_id, version_id

    # -- duplicates -------------------------------------------------------------------------

    def _link_duplicates(
        self, doc_id: int, thash: str | None, sig: np.ndarray | None, new: bool = False
    ) -> None:
        """(Re-)link a new document or one whose text changed: exact by text hash, near by
        MinHash. A new document has no links, no near-duplicate entry and no followers yet."""
        if not new:
            self.db.execute(
                "DELETE FROM duplicates WHERE document_id = ? OR other_id = ?", [doc_id, doc_id]
            )
        links: dict[int, tuple[str, float]] = {}
        if thash:  # the oldest copies: the cluster's representative is among them
            for (other,) in self.db.execute(
                "SELECT id FROM documents WHERE text_hash = ? AND id != ? ORDER BY id LIMIT ?",
                [thash, doc_id, MAX_DUPLICATE_LINKS],
            ):
                links[other] = ("exact", 1.0)
        near = self.near.add_signature(doc_id, sig, replace=not new)
        for other, similarity in near[:MAX_DUPLICATE_LINKS]:
            links.setdefault(other, ("near", round(similarity, 4)))
        # the representatives of the copies found are linked too when similar enough: beyond the
        # caps a copy must still find its cluster (see _assign_cluster)
        found = [*links, *(other for other, _ in near[MAX_DUPLICATE_LINKS:])]
        if found:
            reps = [
                r[0]
                for r in self.db.execute(
                    "SELECT DISTINCT cluster_id FROM documents WHERE id IN "
                    f"({', '.join('?' * len(found))}) ORDER BY cluster_id LIMIT ?",
                    [*found, MAX_DUPLICATE_LINKS],
                )
                if r[0] is not None and r[0] != doc_id and r[0] not in links
            ]
            for rep, similarity in self.near.scores(sig, reps):
                if similarity >= self.near.threshold:
                    links[rep] = ("near", round(similarity, 4))
        for other, (kind, similarity) in links.items():
            a, b = sorted((doc_id, other))
            self.db.execute(
                "INSERT OR REPLACE INTO duplicates (document_id, other_id, kind, similarity) "
                "VALUES (?, ?, ?, ?)",
                [a, b, kind, similarity],
            )
        # members of the cluster this document represented must find a representative again
        followers = [] if new else [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM documents WHERE cluster_id = ? AND id != ? ORDER BY id",
                [doc_id, doc_id],
            )
        ]  # fmt: skip
        self._assign_cluster(doc_id)
        for member in followers:
            self._assign_cluster(member)

    def _assign_cluster(self, doc_id: int) -> None:
        """Join the cluster of the most similar linked representative, else represent one.

        A cluster is a representative (the document whose id is the cluster_id) and the
        documents linked to it directly; clusters are not chained through intermediate
        documents, which would merge long runs of merely similar notices into one.
        """
        best = self.db.execute(
            """
            SELECT d.id FROM duplicates p
            JOIN documents d ON d.id = CASE WHEN p.document_id = ? THEN p.other_id
                                            ELSE p.document_id END
            WHERE (p.document_id = ? OR p.other_id = ?) AND d.cluster_id = d.id AND d.id != ?
            ORDER BY p.similarity DESC, d.id LIMIT 1
            """,
            [doc_id, doc_id, doc_id, doc_id],
        ).fetchone()
        self._update("documents", doc_id, {"cluster_id": best[0] if best else doc_id})

    # -- reads ------------------------------------------------------------------------------

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(etag, last_modified) of the latest successful capture of this URL, for conditional GET."""
        row = self.db.execute(
            "SELECT etag, last_modified FROM captures WHERE url_key = ? AND status IN (200, 304) "
            "ORDER BY id DESC LIMIT 1",
            [url_key(url)],
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def document_for_url(self, url: str) -> dict | None:
        row = self.db.execute(
            "SELECT document_id FROM document_urls WHERE url_key = ?", [url_key(url)]
        ).fetchone()
        return self.db["documents"].get(row[0]) if row else None

    def raw_body(self, digest: str) -> bytes:
        row = self.db["raw"].get(digest)
        return rawcodec.decompress(row["codec"], row["body"])

    def text(self, text_hash: str | None) -> str | None:
        if not text_hash:
            return None
        row = self.db.execute("SELECT text FROM texts WHERE hash = ?", [text_hash]).fetchone()
        return row[0] if row else None

    def documents(self, site: str | None = None) -> Iterator[dict]:
        """Current documents with their text, in id order."""
        where = "WHERE d.site = ?" if site else ""
        cursor = self.db.execute(
            f"SELECT d.*, t.text AS text FROM documents d LEFT JOIN texts t ON t.hash = d.text_hash "
            f"{where} ORDER BY d.id",
            [site] if site else [],
        )
        cols = [c[0] for c in cursor.description]
        for row in cursor:
            yield dict(zip(cols, row, strict=True))

    def versions(self, document_id: int) -> list[dict]:
        """Every version of a document, oldest first, with its text."""
        cursor = self.db.execute(
            "SELECT v.*, t.text AS text FROM versions v LEFT JOIN texts t ON t.hash = v.text_hash "
            "WHERE v.document_id = ? ORDER BY v.id",
            [document_id],
        )
        cols = [c[0] for c in cursor.description]
        return [dict(zip(cols, row, strict=True)) for row in cursor]

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
        self.commit_batch()
        self.db.conn.close()
