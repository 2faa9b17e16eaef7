"""`govarchive history DOC`: every version of a document, with readable diffs between them."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from archive.schema import METADATA_COLUMNS
from archive.store import Archive

LABELS = {
    "title": "标题",
    "index_no": "索引号",
    "publisher": "发布机构",
    "written_date": "成文日期",
    "published_date": "发布日期",
    "doc_number": "文号",
    "category": "分类",
    "validity": "有效性",
    "abolished_date": "废止日期",
    "disclosure": "公开方式",
    "source": "信息来源",
}


class DocumentNotFound(LookupError):
    pass


def resolve_document(archive: Archive, ref: str) -> dict:
    """A document by id, by any of its URLs, or by 索引号 (unique within the archive)."""
    ref = ref.strip()
    if ref.isdigit():
        rows = list(archive.db["documents"].rows_where("id = ?", [int(ref)]))
        if rows:
            return rows[0]
    if "/" in ref or ref.startswith("http"):
        doc = archive.document_for_url(ref)
        if doc:
            return doc
    rows = list(archive.db["documents"].rows_where("index_no = ? OR doc_key = ?", [ref, ref]))
    if len(rows) == 1:
        return rows[0]
    if len(rows) > 1:
        ids = ", ".join(str(r["id"]) for r in rows)
        raise DocumentNotFound(f"{ref!r} matches several documents ({ids}); give an id")
    raise DocumentNotFound(f"no document {ref!r} (give a document id, one of its URLs or 索引号)")


def format_history(archive: Archive, doc: dict, context: int = 1) -> Iterator[str]:
    versions = archive.versions(doc["id"])
    yield f"document {doc['id']}  {doc['title'] or '(no title)'}"
    yield f"  url: {doc['url']}"
    yield (
        f"  site: {doc['site']}   status: {doc['status']}   versions: {len(versions)}   "
        f"first seen: {doc['first_seen']}   last seen: {doc['last_seen']}"
    )
    previous = None
    for number, version in enumerate(versions, 1):
        yield ""
        yield (
            f"version {number}  (id {version['id']})  seen {version['first_seen']} .. "
            f"{version['last_seen']}  cleaner {version['cleaner_version'] or '?'}"
        )
        if previous is None:
            for field in METADATA_COLUMNS:
                if version[field]:
                    yield f"  {LABELS.get(field, field)}: {version[field]}"
            yield f"  text: {len(version['text'] or '')} characters"
        else:
            changed = [f for f in METADATA_COLUMNS if previous[f] != version[f]]
            for field in changed:
                yield f"  {LABELS.get(field, field)}: {previous[field]!r} -> {version[field]!r}"
            if previous["text_hash"] == version["text_hash"]:
                yield "  text: unchanged"
            else:
                diff = difflib.unified_diff(
                    (previous["text"] or "").splitlines(),
                    (version["text"] or "").splitlines(),
                    fromfile=f"version {number - 1}",
                    tofile=f"version {number}",
                    n=context,
                    lineterm="",
                )
                for line in diff:
                    yield "  " + line
        previous = version
