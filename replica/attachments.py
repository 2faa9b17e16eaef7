"""Documents published only as an attached file, as portals do with many annual reports.

Tests give the replica real files (tests/attachment_files.py) with
``World.add_attachment_document(site, title, files, stub_text="详见附件")``: the new document's
page says only the stub text and links the files the way its family does (DOMAIN.md §4.6):

- TRS WCM: ``./P0YYYYMMDD…pdf`` in the document's ``YYYYMM/`` directory, listed in the
  ``article_attachment`` 附件下载 block (as on the Pingtan TRS pages in ../shared/realpages);
- Hanweb JCMS: ``/module/download/downfile.jsp?classid=0&filename={32 hex}.pdf`` after a file-type
  icon, served as ``application/octet-stream`` with the real name in Content-Disposition;
- every other family: ``/uploadfiles/YYYY/MM/{hex}.doc`` links in a 附件 block.

The files are served with the usual Content-Type of their extension (nginx's mime.types) unless a
test mislabels one (``AttachmentFile.content_type``), with ETag / Last-Modified and 304s.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from .families.base import Request, Response, esc, http_date
from .world import Doc, Portal, World, _metadata, doc_path

# nginx mime.types; .wps, .ofd and .et are not in it (octet-stream)
CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Hanweb's icons for file types (module/jslib/icons)
ICONS = {"pdf": "pdf", "doc": "doc", "docx": "doc", "wps": "wps", "xls": "xls", "xlsx": "xls"}


@dataclass(frozen=True)
class AttachmentFile:
    """A file a test attaches: its displayed name (with extension) and its bytes."""

    name: str
    data: bytes
    content_type: str | None = None  # None: the usual type of the extension

    @property
    def ext(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower()


@dataclass(frozen=True)
class ServedAttachment:
    """A file as one document's page links it: `href` as written, `target` the served path
    (with query), `url` absolute."""

    file: AttachmentFile
    href: str
    target: str
    url: str
    family: str


def _served(portal: Portal, doc: Doc, n: int, f: AttachmentFile) -> ServedAttachment:
    site, p = portal.site, doc.published
    digest = hashlib.sha1(f"{site.key}/{doc.doc_id}/{n}/{f.name}".encode()).hexdigest()
    if site.family == "trs":
        serial = int(digest[:12], 16) % 10**12
        name = f"P0{p:%Y%m%d}{serial:012d}.{f.ext}"
        href = f"./{name}"
        target = doc_path(site, doc).rsplit("/", 1)[0] + "/" + name
    elif site.family == "hanweb":
        target = f"/module/download/downfile.jsp?classid=0&filename={digest[:32]}.{f.ext}"
        href = target
    else:
        target = f"/uploadfiles/{p:%Y}/{p:%m}/{digest[:16]}.{f.ext}"
        href = target
    return ServedAttachment(f, href, target, site.base_url + target, site.family)


def add_attachment_document(
    world: World,
    site: str,
    title: str,
    files: list[AttachmentFile],
    stub_text: str = "详见附件",
    published: datetime | None = None,
) -> Doc:
    """A new document in the site's report column whose page is `stub_text` plus links to
    `files`; newest of its column (published a day before the world's now, by default)."""
    with world.lock:
        portal = world.portal(site)
        spec = portal.site
        col = next(c for c in spec.columns if c.kind == "report")
        rng = random.Random(f"attachments/{site}/{title}")
        published = published or (world.now - timedelta(days=1, minutes=rng.randint(1, 600)))
        known = list(portal.docs.values()) + list(portal.removed.values())
        doc = Doc(
            site=site, column=col.key, doc_id=max(d.doc_id for d in known) + spec.doc_id_step,
            published=published.replace(microsecond=0), title=title,
            department=spec.departments[0], paragraphs=[stub_text], metadata={},
            written=published, kind="report",
        )  # fmt: skip
        year = [d.serial for d in known if d.published.year == published.year and d.serial]
        doc.serial = max(year, default=0) + 1
        doc.metadata = _metadata(spec, col, doc)
        doc.attachments = [_served(portal, doc, n, f) for n, f in enumerate(files, start=1)]
        portal.docs[doc.doc_id] = doc
        portal.column_changed[col.key] = max(portal.column_changed[col.key], doc.published)
        return doc


def links_html(doc: Doc) -> str:
    """The attachment links of a detail page, in the markup of the doc's family ('' if none)."""
    served: list[ServedAttachment] = getattr(doc, "attachments", None) or []
    if not served:
        return ""
    family = served[0].family
    if family == "trs":  # the Pingtan TRS template's 附件下载 block
        items = "".join(f'<li><a href="{esc(s.href)}">{esc(s.file.name)}</a></li>' for s in served)
        return (
            '\n<div class="article_attachment" id="file_xmb"><div class="title_base">'
            '<div class="title_icon_base"><i class="trt-iconfont trt-icon-xiazai"></i>'
            '<text class="barrier-free-text">附件下载</text></div></div>'
            '<div class="list_base primary_color list_base_date_02 mar_t_small">'
            f'<ul id="file_ul_fj">{items}</ul></div></div>'
        )
    if family == "hanweb":  # links inserted by the JCMS editor, after a file-type icon
        return "\n" + "\n".join(
            f'<p style="text-indent:2em">附件{n}：<img src="/module/jslib/icons/'
            f'{ICONS.get(s.file.ext, "file")}.png" border="0" /><a href="{esc(s.href)}" '
            f'target="_blank">{esc(s.file.name)}</a></p>'
            for n, s in enumerate(served, start=1)
        )
    items = "".join(
        f'<li><a href="{esc(s.href)}" target="_blank" title="{esc(s.file.name)}">'
        f"{esc(s.file.name)}</a></li>"
        for s in served
    )
    return f'\n<div class="fj"><span>附件：</span><ul>{items}</ul></div>'


def attachment_response(portal: Portal, req: Request, server: str) -> Response | None:
    """The answer for a request of an attached file of the portal, or None if it is not one."""
    target = req.path + ("?" + req.query if req.query else "")
    for doc in portal.docs.values():
        for s in getattr(doc, "attachments", None) or []:
            if s.target != target:
                continue
            from .families.base import FamilyPortal

            f = s.file
            etag = '"' + hashlib.sha1(f.data).hexdigest()[:20] + '"'
            lm = doc.last_modified.replace(microsecond=0)
            ctype = f.content_type or (
                "application/octet-stream" if s.family == "hanweb"
                else CONTENT_TYPES.get(f.ext, "application/octet-stream")
            )  # fmt: skip
            headers = [("Server", server), ("Content-Type", ctype), ("ETag", etag),
                       ("Last-Modified", http_date(lm))]  # fmt: skip
            if s.family == "hanweb":
                headers.append(("Content-Disposition",
                                f"attachment; filename*=UTF-8''{quote(f.name)}"))  # fmt: skip
            if req.method in ("GET", "HEAD") and FamilyPortal._not_modified(req, etag, lm):
                return Response(304, b"", headers)
            return Response(200, f.data, headers)
    return None


def attachment_urls(doc: Doc) -> list[str]:
    """Absolute URLs of a document's attachments (for tests)."""
    return [s.url for s in getattr(doc, "attachments", None) or []]


__all__ = [
    "AttachmentFile", "ServedAttachment", "add_attachment_document", "attachment_response",
    "attachment_urls", "links_html",
]  # fmt: skip
