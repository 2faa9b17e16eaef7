"""Exports of the archive for people and tools that do not read SQLite.

Three formats, one function each, all taking the same filters:

- `export_jsonl`  one JSON object per line: the current documents (or, with `all_versions`, every
                  version) with their metadata and text, for data analysis;
- `export_txt`    one UTF-8 text file per document (or version) under OUT/<site>/<year>/, for
                  reading and grepping; file names are made safe whatever the portal's titles say;
- `export_warc`   the captures as WARC 1.1 records (`response` for a stored body, `revisit` for
                  a 304), gzip per record, for web-archive tools (pywb, warcio, OpenWayback).

Filters (`ExportFilter`): `site` and `category` are exact matches on documents.site and
documents.category (the current record, also in `all_versions` mode); `since` is a UTC day
YYYY-MM-DD and selects documents whose `last_changed` (the time their current version appeared
in the archive: added or changed) is on or after that day. With `all_versions` the filters select
documents, and every version of a selected document is exported, so version numbers stay the
numbers within the document. For WARC, `site` is captures.site and `since` compares
captures.fetched_at; `category` and `all_versions` are refused (captures are not categorised,
and a WARC export always holds every capture).

Everything streams: rows come from SQLite cursors one at a time in a deterministic order
(documents by id, versions by id, captures by id) and are written as they come, so memory does
not grow with the archive. JSONL and WARC files are written beside the target as `.part` and
renamed when complete, so an interrupted export never looks finished.

Takes a `sqlite_utils.Database` (an `archive.store.Archive` is accepted too: its `.db` is used);
`open_readonly` opens an archive file without writing to it.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import re
import sqlite3
import sys
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from http import HTTPStatus
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import sqlite_utils

from . import rawcodec
from .attachments import document_attachments
from .schema import METADATA_COLUMNS, SCHEMA_VERSION

if TYPE_CHECKING:
    from .store import Archive

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("jsonl", "txt", "warc")

# Keys of a JSONL document row, in output order (metadata in the record's field order).
DOCUMENT_FIELDS: tuple[str, ...] = (
    "id", "doc_key", "url", "site", "province", *METADATA_COLUMNS, "year", "text", "status",
    "version_count", "cluster_id", "first_seen", "last_seen", "last_changed", "attachments",
)  # fmt: skip
# Keys of each item of a document row's `attachments` list (archive.attachments).
ATTACHMENT_FIELDS: tuple[str, ...] = (
    "url", "name", "kind", "status", "chars", "page_count", "error", "is_document_text", "text",
)  # fmt: skip
# Keys of a JSONL version row (`all_versions`), in output order.
VERSION_FIELDS: tuple[str, ...] = (
    "document_id", "version", "version_id", "is_current", "doc_key", "url", "site", "province",
    *METADATA_COLUMNS, "text", "cleaner_version", "raw_digest", "first_seen", "last_seen",
)  # fmt: skip

MAX_NAME_BYTES = 120
REVISIT_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
# Deterministic WARC-Record-IDs: the same archive exports the same ids, and a revisit can name
# the response it refers to without holding a table of ids in memory.
_RECORD_NS = uuid.UUID("5b0b7c1e-3f57-4a39-9d5e-2f0c8f2b6a10")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WINDOWS_ILLEGAL = re.compile(r'[<>:"/\\|?*]')
_DOTS = re.compile(r"\.{2,}")
_SPACES = re.compile(r"\s+")
# Device names Windows refuses as a file name, with or without an extension.
_RESERVED = {
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
    *(f"COM{i}" for i in "123456789¹²³"), *(f"LPT{i}" for i in "123456789¹²³"),
}  # fmt: skip


# -- filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFilter:
    """The CLI's --site/--since/--category, checked once so every format gets clean values.

    `since` may be a `date` or a 'YYYY-MM-DD' string; it is stored as 'YYYY-MM-DD', which
    compares correctly with the archive's ISO-8601 UTC timestamps as plain strings.
    """

    site: str | None = None
    since: str | None = None
    category: str | None = None

    def __post_init__(self) -> None:
        for name in ("site", "category"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise ValueError(f"--{name} must be a non-empty string, got {value!r}")
        object.__setattr__(self, "since", _parse_since(self.since))


def _parse_since(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError as exc:
            raise ValueError(f"--since {value!r} is not a valid date: {exc}") from None
    raise ValueError(f"--since expects a date as YYYY-MM-DD (UTC day), got {value!r}")


def check_format(fmt: str) -> str:
    """The format name, lower-cased, or a ValueError that lists the known ones."""
    name = (fmt or "").strip().lower()
    if name not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    return name


def export(
    db: sqlite_utils.Database | Archive,
    fmt: str,
    out: str | Path,
    *,
    site: str | None = None,
    since: str | date | None = None,
    category: str | None = None,
    all_versions: bool = False,
) -> int:
    """Dispatch for the CLI: run the export `fmt` and return the number of records written."""
    func = {"jsonl": export_jsonl, "txt": export_txt, "warc": export_warc}[check_format(fmt)]
    return func(db, out, site=site, since=since, category=category, all_versions=all_versions)


# -- database access --------------------------------------------------------------------------


def open_readonly(path: str | Path) -> sqlite_utils.Database:
    """Open an archive file for export without creating or migrating it."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no archive file at {path}")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    db = sqlite_utils.Database(conn)
    if "archive_meta" not in db.table_names():
        conn.close()
        raise ValueError(f"{path} is not a govarchive archive (schema version {SCHEMA_VERSION})")
    row = db.execute("SELECT value FROM archive_meta WHERE key = 'schema_version'").fetchone()
    if not row or int(row[0]) != SCHEMA_VERSION:
        conn.close()
        found = row[0] if row else "unknown"
        raise ValueError(
            f"{path} has archive schema version {found}; this export reads version "
            f"{SCHEMA_VERSION} (opening it once with `govarchive crawl` or `reclean` upgrades a "
            "version 2 file)"
        )
    return db


def _database(db: sqlite_utils.Database | Archive) -> sqlite_utils.Database:
    inner = getattr(db, "db", db)
    if not isinstance(inner, sqlite_utils.Database):
        raise TypeError(f"expected a sqlite_utils.Database or an Archive, got {type(db)!r}")
    return inner


def _rows(db: sqlite_utils.Database, sql: str, params: list) -> Iterator[dict]:
    """Rows as dicts, pulled from the cursor one at a time (never fetchall)."""
    cursor = db.execute(sql, params)
    cols = [c[0] for c in cursor.description]
    for row in cursor:
        yield dict(zip(cols, row, strict=True))


def _document_where(flt: ExportFilter) -> tuple[str, list]:
    """WHERE clause on documents `d`. The unary `+` keeps SQLite off the site/last_changed
    indexes, so it scans in id order and streams instead of sorting the result (with texts)
    in a temporary B-tree before the first row comes out."""
    clauses, params = [], []
    if flt.site is not None:
        clauses.append("+d.site = ?")
        params.append(flt.site)
    if flt.category is not None:
        clauses.append("+d.category = ?")
        params.append(flt.category)
    if flt.since is not None:
        clauses.append("+d.last_changed >= ?")
        params.append(flt.since)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


_META_SELECT = ", ".join(f"{{t}}.{c} AS {c}" for c in METADATA_COLUMNS)


def iter_documents(db: sqlite_utils.Database | Archive, flt: ExportFilter) -> Iterator[dict]:
    """Current documents with their text, by id, as dicts keyed by DOCUMENT_FIELDS."""
    where, params = _document_where(flt)
    sql = (
        "SELECT d.id AS id, d.doc_key AS doc_key, d.url AS url, d.site AS site, "
        f"d.province AS province, {_META_SELECT.format(t='d')}, d.year AS year, "
        "t.text AS text, d.status AS status, d.version_count AS version_count, "
        "d.cluster_id AS cluster_id, d.first_seen AS first_seen, d.last_seen AS last_seen, "
        "d.last_changed AS last_changed "
        f"FROM documents d LEFT JOIN texts t ON t.hash = d.text_hash {where} ORDER BY d.id"
    )
    yield from _rows(_database(db), sql, params)


def iter_versions(db: sqlite_utils.Database | Archive, flt: ExportFilter) -> Iterator[dict]:
    """Every version of the selected documents, by document id then oldest first.

    The 1-based `version` number is counted while streaming: all versions of a selected document
    are in the result, in order, so the count is the number within the document. The row also
    carries `_year` and `_published` of the document (for the txt layout; not exported).
    """
    where, params = _document_where(flt)
    sql = (
        "SELECT v.document_id AS document_id, v.id AS version_id, "
        "(v.id = d.current_version_id) AS is_current, d.doc_key AS doc_key, d.url AS url, "
        f"d.site AS site, d.province AS province, {_META_SELECT.format(t='v')}, "
        "t.text AS text, v.cleaner_version AS cleaner_version, v.raw_digest AS raw_digest, "
        "v.first_seen AS first_seen, v.last_seen AS last_seen, "
        "d.year AS _year, d.published_date AS _published "
        "FROM versions v JOIN documents d ON d.id = v.document_id "
        f"LEFT JOIN texts t ON t.hash = v.text_hash {where} ORDER BY v.document_id, v.id"
    )
    current_doc, number = None, 0
    for row in _rows(_database(db), sql, params):
        if row["document_id"] != current_doc:
            current_doc, number = row["document_id"], 0
        number += 1
        row["version"] = number
        row["is_current"] = bool(row["is_current"])
        yield row


# -- output helpers ---------------------------------------------------------------------------


@contextmanager
def _output(out: str | Path, binary: bool) -> Iterator[IO]:
    """A stream for `out` ('-' is stdout); a file is written as .part, renamed on success."""
    if str(out) == "-":
        sys.stdout.flush()
        if binary:
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
        else:  # UTF-8 whatever the locale says; detached after, so stdout stays open
            wrapper = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
            try:
                yield wrapper
                wrapper.flush()
            finally:
                wrapper.detach()  # a collected wrapper would close sys.stdout's buffer
        return
    target = Path(out)
    if target.is_dir():
        raise ValueError(f"--out {target} is a directory; give a file path (or - for stdout)")
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    if binary:
        handle = open(part, "wb")
    else:
        handle = open(part, "w", encoding="utf-8", newline="\n")
    try:
        with handle:
            yield handle
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, target)


# -- JSONL ------------------------------------------------------------------------------------


def export_jsonl(
    db: sqlite_utils.Database | Archive,
    out: str | Path,
    *,
    site: str | None = None,
    since: str | date | None = None,
    category: str | None = None,
    all_versions: bool = False,
) -> int:
    """One JSON object per line (UTF-8, not ASCII-escaped): documents, or every version.

    `out` is a file path or '-' for stdout. Returns the number of lines written.
    """
    flt = ExportFilter(site=site, since=since, category=category)
    rows = iter_versions(db, flt) if all_versions else iter_documents(db, flt)
    fields = VERSION_FIELDS if all_versions else DOCUMENT_FIELDS
    count = 0
    with _output(out, binary=False) as stream:
        for row in rows:
            if not all_versions:  # one small indexed query per document: still streaming
                row["attachments"] = [
                    {k: a[k] for k in ATTACHMENT_FIELDS}
                    for a in document_attachments(_database(db), row["id"])
                ]
            stream.write(json.dumps({k: row[k] for k in fields}, ensure_ascii=False))
            stream.write("\n")
            count += 1
    return count


# -- text files -------------------------------------------------------------------------------


def safe_name(value: str | None, max_bytes: int = MAX_NAME_BYTES, fallback: str = "_") -> str:
    """One path component that is the same harmless name on Linux, macOS and Windows.

    Portal titles are untrusted: separators, '..', control characters and the characters
    Windows forbids are replaced, leading dots and trailing dots/spaces removed, device names
    (CON, NUL, COM1 …) prefixed with '_', and the result cut to `max_bytes` of UTF-8 on a
    character boundary.
    """
    text = unicodedata.normalize("NFC", value or "")
    text = "".join(
        " " if unicodedata.category(ch) in ("Zl", "Zp") or ch in "\t\n\r\v\f"
        else "" if unicodedata.category(ch) in ("Cc", "Cf", "Cs")
        else ch
        for ch in text
    )  # fmt: skip
    text = _WINDOWS_ILLEGAL.sub("_", text)
    text = _DOTS.sub(".", _SPACES.sub(" ", text))
    text = _truncate_utf8(text.lstrip(". ").rstrip(". "), max_bytes).rstrip(". ")
    if not text:
        text = fallback
    if text.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        text = _truncate_utf8("_" + text, max_bytes).rstrip(". ")
    return text


def _truncate_utf8(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", errors="ignore")


def _txt_name(doc_id: int, published: str | None, title: str | None, version: int | None) -> str:
    """'<date>_<id>[_v<N>]_<title>.txt' within MAX_NAME_BYTES; the id makes it unique."""
    day = published if isinstance(published, str) and _DATE.match(published) else "nodate"
    prefix = f"{day}_{int(doc_id)}" + (f"_v{int(version)}" if version is not None else "")
    suffix = ".txt"
    budget = MAX_NAME_BYTES - len(prefix.encode()) - len(suffix) - 1
    title_part = safe_name(title, max_bytes=budget, fallback="")
    return f"{prefix}_{title_part}{suffix}" if title_part else f"{prefix}{suffix}"


def _year_dir(year: Any) -> str:
    return str(year) if isinstance(year, int) and 1000 <= year <= 9999 else "unknown"


def export_txt(
    db: sqlite_utils.Database | Archive,
    out: str | Path,
    *,
    site: str | None = None,
    since: str | date | None = None,
    category: str | None = None,
    all_versions: bool = False,
) -> int:
    """One file per document (or version) under OUT/<site>/<year|unknown>/: title, blank, text.

    Existing files of the same name are overwritten, so re-running an export refreshes it.
    Every path is checked to resolve inside OUT (a symlink planted in OUT is refused too).
    Returns the number of files written.
    """
    flt = ExportFilter(site=site, since=since, category=category)
    root = Path(out)
    if str(out) == "-":
        raise ValueError("the txt export writes a directory tree; --out must be a directory")
    if root.exists() and not root.is_dir():
        raise ValueError(f"--out {root} exists and is not a directory")
    root.mkdir(parents=True, exist_ok=True)
    root = root.resolve()
    made: set[Path] = set()
    count = 0
    if all_versions:
        rows = (
            (r, r["_year"], r["_published"], r["document_id"], r["version"])
            for r in iter_versions(db, flt)
        )
    else:
        rows = ((r, r["year"], r["published_date"], r["id"], None) for r in iter_documents(db, flt))
    for row, year, published, doc_id, version in rows:
        folder = root / safe_name(row["site"], fallback="unknown") / _year_dir(year)
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        path = folder / _txt_name(doc_id, published, row["title"], version)
        if not path.resolve().is_relative_to(root):
            raise ValueError(f"refusing to write outside {root}: {path}")
        body = f"{row['title'] or ''}\n\n{row['text'] or ''}"
        attachments = [] if all_versions else document_attachments(_database(db), doc_id)
        for att in attachments:  # their text after the page text (a stub's is the text already)
            if att["text"] and not att["is_document_text"]:
                body = body.rstrip("\n") + f"\n\n附件：{att['name'] or att['url']}\n\n{att['text']}"
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(body if body.endswith("\n") else body + "\n")
        count += 1
    return count


# -- WARC -------------------------------------------------------------------------------------


def _warc_date(value: str | None, capture_id: int) -> str:
    """The archive's ISO UTC time as a WARC-Date (YYYY-MM-DDThh:mm:ss[.ffffff]Z)."""
    try:
        moment = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"capture {capture_id}: fetched_at {value!r} is not ISO 8601") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    spec = "microseconds" if moment.microsecond else "seconds"
    return moment.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def _record_id(capture: dict) -> str:
    name = f"capture:{capture['id']}:{capture['url']}:{capture['fetched_at']}"
    return f"<urn:uuid:{uuid.uuid5(_RECORD_NS, name)}>"


def _sha256_label(hex_digest: str) -> str:
    """The stored body's sha256 as a WARC digest label (base32, like warcio's sha1 ones)."""
    return "sha256:" + base64.b32encode(bytes.fromhex(hex_digest)).decode("ascii")


def _status_line(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    return f"{status} {phrase}"


def export_warc(
    db: sqlite_utils.Database | Archive,
    out: str | Path,
    *,
    site: str | None = None,
    since: str | date | None = None,
    category: str | None = None,
    all_versions: bool = False,
    skipped: Counter[str] | None = None,
) -> int:
    """Captures as a gzip-per-record WARC 1.1 file (.warc.gz), in capture id order.

    - a capture with a stored body becomes a `response` record: HTTP/1.1 status line, the
      Content-Type/ETag/Last-Modified that were recorded, Content-Length, then the raw bytes.
      The original headers are not stored, so this header block is a reconstruction, and the
      body is the decoded body the crawler saw (no Content-Encoding);
    - a 304 becomes a `revisit` record (server-not-modified profile) referring to the latest
      earlier capture with a body of the same URL key, when there is one (even if outside the
      filters);
    - captures without a body (gone, blocked, error) are skipped; their count by outcome is
      added to `skipped` when given, and logged.

    A `warcinfo` record comes first; it is not counted. Returns the number of response and
    revisit records written. `category`/`all_versions` are refused (see module docstring).
    """
    try:  # imported here so jsonl/txt exports work where warcio is not installed
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter
    except ImportError as exc:
        raise RuntimeError("the warc export needs warcio: pip install 'warcio>=1.7'") from exc

    if category is not None:
        raise ValueError(
            "--category does not apply to the warc format: captures are not categorised "
            "(filter with --site/--since, or export jsonl/txt)"
        )
    if all_versions:
        raise ValueError("--all-versions does not apply to the warc format: it holds every capture")
    flt = ExportFilter(site=site, since=since)
    database = _database(db)
    clauses, params = [], []
    if flt.site is not None:
        clauses.append("+c.site = ?")  # `+`: scan in id order, no sort (see above)
        params.append(flt.site)
    if flt.since is not None:
        clauses.append("+c.fetched_at >= ?")
        params.append(flt.since)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = (
        "SELECT c.id AS id, c.url AS url, c.url_key AS url_key, c.fetched_at AS fetched_at, "
        "c.status AS status, c.etag AS etag, c.last_modified AS last_modified, "
        "c.content_type AS content_type, c.raw_digest AS raw_digest, c.outcome AS outcome, "
        "r.codec AS codec, r.body AS body "
        f"FROM captures c LEFT JOIN raw r ON r.digest = c.raw_digest {where} ORDER BY c.id"
    )
    tally: Counter[str] = Counter()
    count = 0
    with _output(out, binary=True) as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="1.1")
        info = {"software": "govarchive export", "format": "WARC File Format 1.1"}
        info.update({k: v for k, v in vars(flt).items() if v is not None})
        name = None if str(out) == "-" else Path(out).name
        writer.write_record(writer.create_warcinfo_record(name, info))
        for cap in _rows(database, sql, params):
            if cap["status"] == 304 or cap["outcome"] == "not-modified":
                record = _revisit_record(writer, database, cap, StatusAndHeaders)
            elif cap["raw_digest"] and cap["body"] is not None:
                record = _response_record(writer, cap, StatusAndHeaders)
            else:
                tally[cap["outcome"] or "unknown"] += 1
                continue
            writer.write_record(record)
            count += 1
    if tally:
        log.info("warc export skipped %d captures without a body: %s", sum(tally.values()),
                 dict(tally))  # fmt: skip
    if skipped is not None:
        skipped.update(tally)
    return count


def _http_headers(cap: dict, status: int, length: int | None, cls: type) -> Any:
    headers = [
        (name, cap[key])
        for name, key in (
            ("Content-Type", "content_type"), ("ETag", "etag"), ("Last-Modified", "last_modified")
        )
        if cap[key]
    ]  # fmt: skip
    if length is not None:
        headers.append(("Content-Length", str(length)))
    return cls(_status_line(status), headers, protocol="HTTP/1.1")


def _response_record(writer: Any, cap: dict, cls: type) -> Any:
    body = rawcodec.decompress(cap["codec"], cap["body"])
    warc_headers = {
        "WARC-Record-ID": _record_id(cap),
        "WARC-Date": _warc_date(cap["fetched_at"], cap["id"]),
        "WARC-Payload-Digest": _sha256_label(cap["raw_digest"]),
    }
    return writer.create_warc_record(
        cap["url"], "response", payload=io.BytesIO(body), length=len(body),
        warc_headers_dict=warc_headers,
        http_headers=_http_headers(cap, cap["status"] or 200, len(body), cls),
    )  # fmt: skip


def _revisit_record(writer: Any, db: sqlite_utils.Database, cap: dict, cls: type) -> Any:
    warc_headers = {
        "WARC-Record-ID": _record_id(cap),
        "WARC-Date": _warc_date(cap["fetched_at"], cap["id"]),
        "WARC-Profile": REVISIT_NOT_MODIFIED,
    }
    earlier = db.execute(
        "SELECT id, url, fetched_at, raw_digest FROM captures "
        "WHERE url_key = ? AND id < ? AND raw_digest IS NOT NULL ORDER BY id DESC LIMIT 1",
        [cap["url_key"], cap["id"]],
    ).fetchone()
    if earlier is not None:
        ref = dict(zip(("id", "url", "fetched_at", "raw_digest"), earlier, strict=True))
        warc_headers.update({
            "WARC-Refers-To": _record_id(ref),
            "WARC-Refers-To-Target-URI": ref["url"],
            "WARC-Refers-To-Date": _warc_date(ref["fetched_at"], ref["id"]),
            "WARC-Payload-Digest": _sha256_label(ref["raw_digest"]),
        })  # fmt: skip
    return writer.create_warc_record(
        cap["url"], "revisit", warc_headers_dict=warc_headers,
        http_headers=_http_headers(cap, 304, None, cls),
    )  # fmt: skip
