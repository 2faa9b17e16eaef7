"""The archive's tables, created with sqlite-utils. The README's "Archive schema" mirrors this file.

- `raw`            one row per distinct response body (sha256), compressed (`codec`: zstd;
                   zlib in rows from schema 2, see `archive.rawcodec`);
- `texts`          one row per distinct document text (keyed by its matching fingerprint), so the
                   same report under two URLs or on two portals is stored once;
- `captures`       one row per fetch: url, time, status, validators, body digest, outcome;
- `documents`      one row per real document, holding its current record (text by reference);
- `document_urls`  every URL key seen for a document (mobile, `xxgkhide`, big5 … variants);
- `versions`       a new row only when the cleaned text or the metadata change;
- `duplicates`     links between documents with the same text (exact) or nearly the same (near);
- `attachments`, `attachment_versions`  files attached to documents and their text's versions
                   (`archive.attachments`);
- `archive_meta`   the schema version, so an old file is refused with a clear message;
- `documents_with_text` (view) the current documents with their text, for SQL users and exports.
"""

from __future__ import annotations

import sqlite_utils

from cleaners.record import RECORD_FIELDS

from .attachments import ensure_attachment_tables

SCHEMA_VERSION = 3

# Record fields stored as columns of documents and versions (text lives in `texts`).
METADATA_COLUMNS: tuple[str, ...] = tuple(
    f for f in RECORD_FIELDS if f not in ("url", "site", "text")
)


class SchemaError(RuntimeError):
    """The file is not an archive this version of govarchive can write to."""


def _migrate_2_to_3(db: sqlite_utils.Database) -> None:
    """Schema 3 names the raw body column `body` and records its codec (was always zlib)."""
    db.execute("ALTER TABLE raw RENAME COLUMN body_zlib TO body")
    db.execute("ALTER TABLE raw ADD COLUMN codec TEXT NOT NULL DEFAULT 'zlib'")
    db.execute("UPDATE archive_meta SET value = '3' WHERE key = 'schema_version'")


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create missing tables and indexes; refuse archives written by another schema version."""
    names = set(db.table_names())
    if "archive_meta" in names:
        row = db.execute("SELECT value FROM archive_meta WHERE key = 'schema_version'").fetchone()
        found = int(row[0]) if row else 0
        if found == 2 and "raw" in names:
            _migrate_2_to_3(db)
            found = 3
        if found != SCHEMA_VERSION:
            raise SchemaError(
                f"archive schema version {found}, this govarchive writes version "
                f"{SCHEMA_VERSION}; start a new archive file (or re-crawl into one)"
            )
    elif "documents" in names:
        raise SchemaError(
            "archive was written by an older govarchive (schema version 1); "
            "start a new archive file (or re-crawl into one)"
        )
    meta_cols = {f: str for f in METADATA_COLUMNS}
    if "archive_meta" not in names:
        db["archive_meta"].create({"key": str, "value": str}, pk="key")
        db["archive_meta"].insert({"key": "schema_version", "value": str(SCHEMA_VERSION)})
    if "raw" not in names:
        db["raw"].create(
            {"digest": str, "size": int, "content_type": str, "codec": str, "body": bytes},
            pk="digest",
        )
    if "texts" not in names:
        db["texts"].create({"hash": str, "text": str, "chars": int}, pk="hash")
    if "documents" not in names:
        db["documents"].create(
            {
                "id": int,
                "doc_key": str,  # site + 索引号, else the URL key
                "url_key": str,
                "url": str,
                "site": str,
                "province": str,
                **meta_cols,
                "year": int,
                "text_hash": str,
                "text_chars": int,
                "status": str,  # live / gone
                "cluster_id": int,  # smallest document id among its exact and near duplicates
                "current_version_id": int,
                "version_count": int,
                "first_seen": str,
                "last_seen": str,
                "last_changed": str,
            },
            pk="id",
            foreign_keys=[("text_hash", "texts", "hash")],
        )
        db["documents"].create_index(["doc_key"], unique=True)
        db["documents"].create_index(["site", "index_no"])
        db["documents"].create_index(["text_hash"])
        db["documents"].create_index(["cluster_id"])
        db["documents"].create_index(["last_changed"])
    if "document_urls" not in names:
        db["document_urls"].create(
            {"url_key": str, "document_id": int, "url": str, "first_seen": str},
            pk="url_key",
            foreign_keys=[("document_id", "documents", "id")],
        )
        db["document_urls"].create_index(["document_id"])
    if "versions" not in names:
        db["versions"].create(
            {
                "id": int,
                "document_id": int,
                "content_hash": str,
                **meta_cols,
                "text_hash": str,
                "extras_json": str,
                "raw_digest": str,
                "cleaner_version": str,
                "first_seen": str,
                "last_seen": str,
            },
            pk="id",
            foreign_keys=[
                ("document_id", "documents", "id"),
                ("text_hash", "texts", "hash"),
                ("raw_digest", "raw", "digest"),
            ],
        )
        db["versions"].create_index(["document_id"])
    if "captures" not in names:
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
            foreign_keys=[("raw_digest", "raw", "digest"), ("document_id", "documents", "id")],
        )
        db["captures"].create_index(["url_key", "id"])
        db["captures"].create_index(["site"])
        db["captures"].create_index(["document_id"])
    if "duplicates" not in names:
        db["duplicates"].create(
            {"document_id": int, "other_id": int, "kind": str, "similarity": float},
            pk=("document_id", "other_id"),
            foreign_keys=[("document_id", "documents", "id"), ("other_id", "documents", "id")],
        )
        db["duplicates"].create_index(["other_id"])
    ensure_attachment_tables(db)  # attachments, attachment_versions (archive/attachments.py)
    if "documents_with_text" not in db.view_names():
        db.create_view(
            "documents_with_text",
            "SELECT documents.*, texts.text AS text FROM documents "
            "LEFT JOIN texts ON texts.hash = documents.text_hash",
        )
