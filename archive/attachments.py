"""Attachments of documents: their raw files, their extracted text and its versions.

Many 法治政府建设年度报告 are published only as a file attached to a one-line page (DOMAIN.md
§4.6). The crawler fetches the file, `cleaners.attachments.extract_attachment` gets its text, and
this module stores both:

- `attachments`          one row per document × attachment URL key: what the link said (name,
                         extension), what the bytes are (`kind`), the current extraction
                         (`status`, `text_hash` → `texts`, `chars`, `page_count`, `error`), the raw
                         body (`raw_digest` → `raw`, stored once per digest) and first/last seen;
- `attachment_versions`  a new row only when the extracted text or the status changes, with the
                         extractor that produced it.

Every fetch of an attachment is also a `captures` row (kind `attachment`).

Three things the rest of the archive sees:

- **search**: a document's index entry is its page text plus the text of its attachments whose
  current status is ok (`archive.search` reads this table, so a rebuild gives the same tokens);
- **stub pages**: a page whose body says only 详见附件 / 附件下载 … (or nearly nothing) takes its
  text from the first attachment that extracted ok (documents before sheets). The document gets
  a version with that text; its extras say `text_source = attachment`, which attachment, and
  keep the page's own text in `page_text`. The rule is applied whenever the document is written
  (`substitute_stub`, called by `Archive._upsert_document`), so a re-crawl of the unchanged stub
  page or a re-clean does not flip the text back;
- **exports**: `document_attachments` lists them with their text.

A corrupt, scanned or unsupported file is stored with its status and error and never changes
the document's text; a later corrupt download of a file that once extracted ok keeps the ok text
as the document's text (the stub rule uses the last ok version of each attachment).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlite_utils

from .identity import url_key

if TYPE_CHECKING:
    from .store import Archive

ATTACHMENTS = "attachments"
ATTACHMENT_VERSIONS = "attachment_versions"

# Kinds whose text is a table rather than prose: used as a stub's text only when nothing else is.
SHEET_KINDS = frozenset({"xls", "xlsx"})
# A page body is a stub when, after removing the phrases below, the title and the attachments'
# names, fewer than this many characters are left …
STUB_MAX_CHARS = 40
# … and the attachment that replaces it has at least this many characters of text.
MIN_ATTACHMENT_CHARS = 100
# What stub pages say instead of the report (whitespace removed before matching).
STUB_PHRASES = re.compile(
    r"(?:具体|详细)?内容?(?:请)?(?:详见|见|参见|请见|请查看|查看|点击|下载)(?:下方|以下|文件|相关)?附件"
    r"|附件(?:下载|信息|列表|[一二三四五六七八九十\d]+)?|相关附件|全文下载|原文下载|点击下载|下载附件"
    r"|[（(]?原件[)）]?|\.(?:pdf|ofd|docx?|wps|xlsx?|et|zip|rar)"
    r"|(?:[\d.]+\s*(?:[KM]B|字节))",
    re.IGNORECASE,
)
_NOT_TEXT = re.compile(r"[\W_]+")


def ensure_attachment_tables(db: sqlite_utils.Database) -> None:
    """Create the two tables and their indexes when missing (called from ensure_schema)."""
    names = set(db.table_names())
    if ATTACHMENTS not in names:
        db[ATTACHMENTS].create(
            {
                "id": int,
                "document_id": int,
                "url": str,
                "url_key": str,
                "name": str,  # as the link shows it (the URL's name is often a hash)
                "ext_hint": str,  # extension the link gave; `kind` is what the bytes are
                "kind": str,
                "status": str,  # ok / scanned / corrupt / unsupported / empty
                "text_hash": str,
                "chars": int,
                "page_count": int,
                "error": str,
                "warnings": str,
                "extractor": str,
                "producer": str,
                "raw_digest": str,
                "content_type": str,
                "current_version_id": int,
                "version_count": int,
                "first_seen": str,
                "last_seen": str,
                "last_changed": str,
            },
            pk="id",
            foreign_keys=[
                ("document_id", "documents", "id"),
                ("text_hash", "texts", "hash"),
                ("raw_digest", "raw", "digest"),
            ],
        )
        db[ATTACHMENTS].create_index(["document_id", "url_key"], unique=True)
        db[ATTACHMENTS].create_index(["url_key"])
    if ATTACHMENT_VERSIONS not in names:
        db[ATTACHMENT_VERSIONS].create(
            {
                "id": int,
                "attachment_id": int,
                "document_id": int,
                "kind": str,
                "status": str,
                "text_hash": str,
                "chars": int,
                "page_count": int,
                "error": str,
                "extractor": str,
                "raw_digest": str,
                "first_seen": str,
                "last_seen": str,
            },
            pk="id",
            foreign_keys=[
                ("attachment_id", ATTACHMENTS, "id"),
                ("document_id", "documents", "id"),
                ("text_hash", "texts", "hash"),
                ("raw_digest", "raw", "digest"),
            ],
        )
        db[ATTACHMENT_VERSIONS].create_index(["attachment_id", "status"])


# -- the stub rule ---------------------------------------------------------------------------


def _residue(text: str | None, title: str | None, names: list[str]) -> str:
    """What a page body says besides its title, the attachments' names and stub phrases."""
    body = _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text or ""))
    for other in [title or "", *names]:
        other = _NOT_TEXT.sub("", unicodedata.normalize("NFKC", other))
        # a name without its extension too: "报告.pdf" is linked as "报告"
        for variant in {other, re.sub(r"(?i)(pdf|ofd|docx?|wps|xlsx?|et)$", "", other)}:
            if len(variant) >= 4:
                body = body.replace(variant, "")
    return STUB_PHRASES.sub("", body)


def is_stub(text: str | None, title: str | None = None, names: list[str] | None = None) -> bool:
    """True when a page body is only a pointer to its attachments (详见附件, 附件下载, the file's
    name, or almost nothing)."""
    return len(_residue(text, title, names or [])) < STUB_MAX_CHARS


def _ok_attachments(db: sqlite_utils.Database, document_id: int) -> list[dict]:
    """The document's attachments with their last ok text, in page (id) order."""
    try:
        cursor = db.execute(
            f"""
            SELECT a.id, a.url, a.name, v.kind, v.text_hash, t.text, v.chars
            FROM {ATTACHMENTS} a
            JOIN {ATTACHMENT_VERSIONS} v ON v.id = (
                SELECT MAX(id) FROM {ATTACHMENT_VERSIONS} WHERE attachment_id = a.id
                AND status = 'ok' AND text_hash IS NOT NULL)
            JOIN texts t ON t.hash = v.text_hash
            WHERE a.document_id = ? ORDER BY a.id
            """,
            [document_id],
        )
    except Exception as e:  # an archive file from before attachments: no such table
        if "no such table" in str(e):
            return []
        raise
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, r, strict=True)) for r in cursor]


def substitute_stub(db: sqlite_utils.Database, document_id: int, record: Mapping) -> dict | None:
    """The record with its attachment's text, when the page body is a stub and an attachment
    of the document extracted ok; None when the record stays as it is."""
    if record.get("text_source") == "attachment":
        return None
    ok = _ok_attachments(db, document_id)
    if not ok:
        return None
    names = [a["name"] or "" for a in ok]
    if not is_stub(record.get("text"), record.get("title"), names):
        return None
    usable = [a for a in ok if (a["chars"] or 0) >= MIN_ATTACHMENT_CHARS]
    usable.sort(key=lambda a: (a["kind"] in SHEET_KINDS, a["id"]))
    if not usable:
        return None
    pick = usable[0]
    out = dict(record)
    out.update(
        text=pick["text"],
        text_source="attachment",
        attachment_url=pick["url"],
        attachment_name=pick["name"],
        attachment_kind=pick["kind"],
        page_text=record.get("text") or "",
    )
    return out


def page_record(version: Mapping, text: str | None) -> dict:
    """The page's own record behind a stored version (undoing the stub rule), for re-applying it."""
    from .schema import METADATA_COLUMNS

    extras = json.loads(version.get("extras_json") or "{}")
    if extras.pop("text_source", None) == "attachment":
        text = extras.pop("page_text", "")
        for k in ("attachment_url", "attachment_name", "attachment_kind"):
            extras.pop(k, None)
    return {**extras, **{f: version.get(f) for f in METADATA_COLUMNS}, "text": text}


# -- writes ----------------------------------------------------------------------------------


def _attachment_row(db: sqlite_utils.Database, document_id: int, key: str) -> dict | None:
    cursor = db.execute(
        f"SELECT * FROM {ATTACHMENTS} WHERE document_id = ? AND url_key = ?", [document_id, key]
    )
    row = cursor.fetchone()
    return None if row is None else dict(zip([c[0] for c in cursor.description], row, strict=True))


@dataclass(frozen=True)
class AttachmentResult:
    """What storing one attachment fetch did: the capture, the attachment row and whether the
    document's text changed (a stub page that took the attachment's text)."""

    capture_id: int
    outcome: str  # new / changed / unchanged (of the attachment's text or status) / error
    attachment_id: int | None
    status: str | None
    document_id: int | None
    document_outcome: str | None = None  # of the document when it was rewritten


def record_attachment(
    archive: Archive,
    *,
    url: str,
    page_url: str,
    site: str | None,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    extracted: Mapping,
    name: str | None = None,
    ext_hint: str | None = None,
    fetched_at: str | None = None,
) -> AttachmentResult:
    """Store one fetched attachment of the document behind `page_url`.

    `extracted` is `AttachmentText.as_dict()` (kind, status, text, error, page_count, extractor,
    producer, warnings). The raw body is stored once per digest; the text in `texts`; a new
    `attachment_versions` row only when the text or the status changed. Then the document is
    re-indexed with the attachment's text and, if its page is a stub, re-versioned with it.
    """
    from .store import prepare_page, text_key, utcnow

    seen = fetched_at or utcnow()
    h = {k.lower(): v for k, v in headers.items()}
    page = prepare_page(body, None)
    text = extracted.get("text") or ""
    tkey = text_key(text) if text.strip() else None
    ext_status = extracted.get("status") or "unsupported"
    with archive._atomic():
        digest = archive._store_raw(page, h.get("content-type"))
        capture = dict(
            url=url, url_key=url_key(url), site=site, kind="attachment", fetched_at=seen,
            status=status, etag=h.get("etag"), last_modified=h.get("last-modified"),
            content_type=h.get("content-type"), raw_digest=digest,
        )  # fmt: skip
        doc = archive.document_for_url(page_url)
        if doc is None:  # the page never became a document (binary, cleaner failure …)
            cid = archive._insert("captures", {
                **capture, "outcome": "error", "error": f"no document for the page {page_url}",
            })  # fmt: skip
            return AttachmentResult(cid, "error", None, ext_status, None)
        thash, _ = archive._store_text(text, tkey)
        version = dict(
            kind=extracted.get("kind"), status=ext_status, text_hash=thash,
            chars=len(re.sub(r"\s+", "", text)), page_count=extracted.get("page_count"),
            error=extracted.get("error"), extractor=extracted.get("extractor"),
            raw_digest=digest,
        )  # fmt: skip
        row = _attachment_row(archive.db, doc["id"], capture["url_key"])
        current = {
            **version,
            "warnings": json.dumps(list(extracted.get("warnings") or ()), ensure_ascii=False),
            "producer": extracted.get("producer"),
            "content_type": h.get("content-type"),
            "last_seen": seen,
        }
        if name:
            current["name"] = name
        if row is None:
            outcome = "new"
            att_id = archive._insert(ATTACHMENTS, {
                "document_id": doc["id"], "url": url, "url_key": capture["url_key"],
                "name": name, "ext_hint": ext_hint, **current, "version_count": 0,
                "first_seen": seen, "last_changed": seen,
            })  # fmt: skip
        else:
            att_id = row["id"]
            same = row["text_hash"] == thash and row["status"] == ext_status
            outcome = "unchanged" if same else "changed"
            archive._update(ATTACHMENTS, att_id, current)
            if same:
                archive._update(ATTACHMENT_VERSIONS, row["current_version_id"], {"last_seen": seen})
        if outcome != "unchanged":
            vid = archive._insert(ATTACHMENT_VERSIONS, {
                "attachment_id": att_id, "document_id": doc["id"], **version,
                "first_seen": seen, "last_seen": seen,
            })  # fmt: skip
            archive.db.execute(
                f"UPDATE {ATTACHMENTS} SET current_version_id = ?, last_changed = ?, "
                "version_count = version_count + 1 WHERE id = ?",
                [vid, seen, att_id],
            )
        capture_id = archive._insert("captures", {
            **capture, "outcome": outcome, "document_id": doc["id"],
            "error": None if ext_status == "ok" else f"{ext_status}: {extracted.get('error')}",
        })  # fmt: skip
        doc_outcome = None
        if outcome != "unchanged":
            doc_outcome = _reapply(archive, doc, seen)
    return AttachmentResult(capture_id, outcome, att_id, ext_status, doc["id"], doc_outcome)


def _reapply(archive: Archive, doc: dict, seen: str) -> str:
    """Write the document again from its page record, so the stub rule sees the new attachment,
    and re-index it (its index entry holds its attachments' text)."""
    from .store import prepare_record

    version = archive.db["versions"].get(doc["current_version_id"])
    record = page_record(version, archive.text(version["text_hash"]))
    outcome, doc_id, _ = archive._upsert_document(
        doc["url"], doc["site"], record, prepare_record(record), version["raw_digest"],
        version["cleaner_version"], seen, doc["province"], document=doc, touch=False,
    )  # fmt: skip
    if outcome == "unchanged":  # the text is the same; the attachments' text is new
        archive.index.put(doc_id, doc["title"], doc["text_hash"], archive.text(doc["text_hash"]))
    return outcome


def record_attachment_not_modified(
    archive: Archive, *, url: str, page_url: str, site: str | None, headers: Mapping[str, str],
    fetched_at: str | None = None,
) -> AttachmentResult:  # fmt: skip
    """A 304 to the conditional GET of a stored attachment: seen again, nothing else."""
    from .store import utcnow

    seen = fetched_at or utcnow()
    h = {k.lower(): v for k, v in headers.items()}
    with archive._atomic():
        doc = archive.document_for_url(page_url)
        row = None
        if doc is not None:
            row = _attachment_row(archive.db, doc["id"], url_key(url))
        if row is not None:
            archive._update(ATTACHMENTS, row["id"], {"last_seen": seen})
            archive._update(ATTACHMENT_VERSIONS, row["current_version_id"], {"last_seen": seen})
        etag, modified = archive.validators(url)
        cid = archive._insert("captures", dict(
            url=url, url_key=url_key(url), site=site, kind="attachment", fetched_at=seen,
            status=304, etag=h.get("etag") or etag, last_modified=h.get("last-modified") or modified,
            outcome="not-modified", document_id=doc["id"] if doc else None,
        ))  # fmt: skip
    return AttachmentResult(
        cid, "not-modified", row["id"] if row else None, row["status"] if row else None,
        doc["id"] if doc else None,
    )


# -- reads -----------------------------------------------------------------------------------


def stored_attachments(db: sqlite_utils.Database, page_url: str) -> list[dict]:
    """The attachments stored for the document behind `page_url`: url, url_key, name, ext_hint.
    The crawler does not fetch them again unless it re-checks; a re-check whose page answered
    304 (no body, no links) asks for these."""
    try:
        cursor = db.execute(
            f"SELECT a.url, a.url_key, a.name, a.ext_hint FROM document_urls u "
            f"JOIN {ATTACHMENTS} a ON a.document_id = u.document_id WHERE u.url_key = ?",
            [url_key(page_url)],
        )
    except Exception as e:
        if "no such table" in str(e):
            return []
        raise
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, r, strict=True)) for r in cursor]


def known_attachment_keys(db: sqlite_utils.Database, page_url: str) -> set[str]:
    """URL keys of the attachments stored for the document behind `page_url`."""
    return {a["url_key"] for a in stored_attachments(db, page_url)}


def document_attachments(
    db: sqlite_utils.Database, document_id: int, *, with_text: bool = True
) -> list[dict]:
    """A document's attachments in page order: url, name, kind, status, chars, page_count,
    error, `is_document_text` (its text is the document's, by the stub rule) and the text."""
    try:
        cursor = db.execute(
            f"""
            SELECT a.id, a.url, a.name, a.kind, a.status, a.chars, a.page_count, a.error,
                   (a.text_hash IS NOT NULL AND a.text_hash = d.text_hash) AS is_document_text,
                   {"t.text" if with_text else "NULL"} AS text
            FROM {ATTACHMENTS} a JOIN documents d ON d.id = a.document_id
            LEFT JOIN texts t ON t.hash = a.text_hash
            WHERE a.document_id = ?
            """,
            [document_id],
        )
    except Exception as e:
        if "no such table" in str(e):
            return []
        raise
    cols = [c[0] for c in cursor.description]
    out = []
    # a few rows per document, sorted here: the exports' own queries are the only sorted ones
    for r in sorted(cursor, key=lambda r: r[0]):
        item = dict(zip(cols, r, strict=True))
        item.pop("id")
        item["is_document_text"] = bool(item["is_document_text"])
        if not with_text:
            item.pop("text")
        out.append(item)
    return out
