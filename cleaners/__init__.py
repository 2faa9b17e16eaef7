"""Cleaners: raw bytes of a portal page in, one document record out. Pure functions, no I/O.

Public API::

    CLEANER_VERSION
    clean(body, url, headers=None, site=None) -> dict   # RECORD_FIELDS + extras
    decode_html(body, headers=None) -> (text, codec)

Extras in the record: ``encoding``, ``family``, ``field_sources`` (field -> "table" / "meta" /
"byline" / "url" / "page" / "title-tag" / body locator), ``raw_fields`` (raw label -> raw value),
``doc_number_raw``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .dates import date_from_url, parse_date
from .decode import decode_html
from .docnumber import normalize_doc_number
from .extract import (
    apply_line_rules,
    clean_title_tag,
    detect_family,
    extract_body,
    extract_fallback,
    visible_title,
)
from .htmltext import compact, parse_html, prune
from .metadata import is_empty, meta_tags, metadata_blocks_in, resolve, scan_pairs
from .record import DATE_FIELDS, RECORD_FIELDS, empty_record

CLEANER_VERSION = "0.1.0"

__all__ = [
    "CLEANER_VERSION",
    "DATE_FIELDS",
    "RECORD_FIELDS",
    "clean",
    "date_from_url",
    "decode_html",
    "empty_record",
    "normalize_doc_number",
    "parse_date",
]

_MIN_BODY_CHARS = 20
_ASCII_WS = re.compile(r"[ \t\r\n\f\v]+")
_DISCLOSURE_HINT = re.compile(
    r"索\s*引\s*号|组\s*配\s*分\s*类|发\s*文\s*字\s*号|成\s*文\s*日\s*期|发\s*文\s*机\s*关"
)


def clean(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    site: str | None = None,
) -> dict:
    """Turn one fetched page into a document record (see module docstring)."""
    if isinstance(body, str):  # tolerate already-decoded input
        text, encoding = body, "utf-8"
    else:
        text, encoding = decode_html(body or b"", headers)
    family = detect_family(text, url)
    root = parse_html(text)
    meta = meta_tags(root)
    title_el = root.find(".//title")
    title_tag = title_el.text_content() if title_el is not None else None
    prune(root)

    lines, method, container = extract_body(root, text, family)
    skip = [container] if container is not None else []
    table_pairs, byline_pairs, _blocks = scan_pairs(root, skip=skip)

    # A disclosure table inside the body container: take its values, drop it from the text.
    if container is not None and _DISCLOSURE_HINT.search((container.text_content() or "")[:5000]):
        inner_table, _inner_byline, inner_blocks = scan_pairs(container)
        inner = metadata_blocks_in(container, inner_blocks)
        if inner and len(inner_table) >= 2:
            table_pairs = table_pairs + inner_table
            lines, method, container = extract_body(root, text, family, skip=inner)

    values, field_sources, raw_fields, doc_number_raw = resolve(
        table_pairs, byline_pairs, meta, url
    )

    # Title: visible article title > table 标题 > ArticleTitle meta > <title> minus site suffix.
    table_title = values.get("title") if field_sources.get("title") == "table" else None
    meta_title = meta.get("articletitle")
    tag_title = clean_title_tag(title_tag, (meta.get("sitename"), meta.get("columnname")))
    if title_tag:
        raw_fields.setdefault("title-tag", _ASCII_WS.sub(" ", title_tag).strip())
    vis, _sel = visible_title(root, [table_title, meta_title, tag_title, title_tag])
    title, tsrc = None, None
    for cand, src in (
        (vis, "page"),
        (table_title, "table"),
        (meta_title, "meta"),
        (tag_title, "title-tag"),
    ):
        if cand and not is_empty(cand):
            title, tsrc = _ASCII_WS.sub(" ", cand).strip(" \t\u3000\u00a0"), src
            break

    body_lines = apply_line_rules(lines, title)
    if method.startswith("css:") and len(compact("".join(body_lines))) < _MIN_BODY_CHARS:
        # the locator hit a widget (e.g. a font-size box with id="zoom"): try the general extractor
        alt = apply_line_rules(extract_fallback(root, text), title)
        if len(compact("".join(alt))) > max(3 * len(compact("".join(body_lines))), _MIN_BODY_CHARS):
            body_lines, method = alt, "trafilatura"

    record = empty_record(url, site)
    for field in RECORD_FIELDS:
        if field in values and field not in ("title",):
            record[field] = values[field]
    record["title"] = title
    if title:
        field_sources["title"] = tsrc
    else:
        field_sources.pop("title", None)
    record["text"] = "\n".join(body_lines) or None
    if record["text"]:
        field_sources["text"] = method
    for f in DATE_FIELDS:
        if record.get(f) is not None and parse_date(record[f]) != record[f]:  # pragma: no cover
            record[f] = None
    record["encoding"] = encoding
    record["family"] = family
    record["field_sources"] = field_sources
    record["raw_fields"] = raw_fields
    record["doc_number_raw"] = doc_number_raw
    return record
