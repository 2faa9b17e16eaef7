"""Attachments: find the file links of a detail page, and get the text out of the files.

Many 法治政府建设年度报告 exist only as an attached PDF / DOC / WPS / OFD file (DOMAIN.md §4.6), so
the page's own text is one line and the report is the file. Two pure functions (no Scrapy, no I/O):

    find_attachment_links(html_or_tree, base_url) -> list[AttachmentLink]
    extract_attachment(data, name_hint=None)      -> AttachmentText

The file's kind comes from its bytes (magic numbers, ZIP members, OLE streams), never from the
extension or the Content-Type: portals serve PDFs as ``application/octet-stream`` from
``downfile.jsp`` and name DOC files ``.wps``. Extraction never raises; a broken file gives
``status="corrupt"`` and a message, so one bad download cannot stop a crawl.

Libraries: pdfminer.six (PDF, per-glyph positions so lines are rebuilt in reading order even when
a producer writes quote marks in a separate font run), lxml (DOCX, OFD), olefile plus the Word
97 piece table (DOC, WPS), openpyxl (XLSX), xlrd (XLS). No system tool is needed at run time.

DOC or WPS: Kingsoft WPS Writer saves .wps (and .doc) in the Word 97 binary format, with the
same streams and CLSID as Word; what tells it apart is WPS's build number, the custom property
KSOProductBuildVer, in the OLE property set (see WPS_MARKERS). So kind "wps" means "a Word 97
binary written by WPS Office", whatever the extension; a .wps re-saved by Word is "doc". The old
pre-2005 Kingsoft formats (WPS 97/2000, not OLE) and Microsoft Works .wps are not extracted.

OFD: the text of the pages' TextObjects (TextCode with X/Y/DeltaX, CTM applied) is laid out and
read like a PDF page; templates, annotations and signature stamps are not read.

Signatures, link patterns and boilerplate lines are data (the tables below), not code.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import metadata as _metadata
from statistics import median
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from lxml import etree

from .decode import decode_html
from .htmltext import parse_html

ATTACHMENTS_VERSION = "0.1.0"

# ======================================================================================
# Tables
# ======================================================================================

# File extensions that mark a link as an attachment (documents, sheets, archives).
ATTACHMENT_EXTS: frozenset[str] = frozenset(
    {
        "pdf", "ofd", "doc", "docx", "wps", "wpt", "rtf", "txt",
        "xls", "xlsx", "et", "csv", "ppt", "pptx", "dps",
        "zip", "rar", "7z", "ceb",
    }
)  # fmt: skip

# URL shapes of attachment links: (name, regex over the absolute URL). The extension of a
# matching URL comes from its path or from its ``filename=`` / ``showname=`` parameter.
ATTACHMENT_URL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Hanweb JCMS: /module/download/downfile.jsp?classid=0&filename={32hex}.pdf[&showname=…]
    ("hanweb-downfile", re.compile(r"/module/download/down(?:file|load)\.jsp\?", re.I)),
    # any path ending in a document extension: TRS ./P020…pdf, gkmlpt /attachment/0/…/{id}.pdf,
    # Lonsun/FastDFS /group1/M00/…/x.pdf, /upload/…, /uploadfile/…
    (
        "file-path",
        re.compile(r"\.(?:" + "|".join(sorted(ATTACHMENT_EXTS)) + r")(?:[?#]|$)", re.I),
    ),
    # generic download endpoints with an id (the extension, if any, comes from the anchor text)
    (
        "download-endpoint",
        re.compile(
            r"/(?:download|downfile|downloadfile|filedownload|attachment|getfile|file/download)"
            r"\w*(?:\.(?:jsp|do|action|aspx?|php))?\?[^#]*(?:id|file|name|path)\w*=",
            re.I,
        ),
    ),
)

# Query parameters that carry a file name (Hanweb ``filename`` is a hash + extension,
# ``showname`` the real name).
NAME_PARAMS: tuple[str, ...] = ("showname", "filename", "fileName", "name")

# Icons next to a link that say which file type it is: a token of the icon's file name
# (split on _ - . and digits: icon_pdf.gif, acrobat.png, doc16.png, ico-word.svg) -> extension.
ICON_TOKENS: dict[str, str] = {
    "pdf": "pdf", "acrobat": "pdf", "ofd": "ofd", "wps": "wps",
    "doc": "doc", "docx": "doc", "word": "doc",
    "xls": "xls", "xlsx": "xls", "excel": "xls", "et": "xls",
    "zip": "zip", "rar": "rar",
}  # fmt: skip
_ICON_FILE = re.compile(r"([^/]+)\.(?:gif|png|jpe?g|svg|bmp)$", re.I)

# Blocks that hold attachment lists: text labels and class/id tokens.
ATTACHMENT_BLOCK_LABEL = re.compile(
    r"^\s*(?:相关附件|附件下载|附件信息|附件列表|附\s*件)\s*\d*\s*[:：]?"
)
ATTACHMENT_BLOCK_ATTR = re.compile(
    r"(?:^|[\s_-])(?:fj|fjxz|fjdown|con_fj|attach\w*|article_attachment|file_?list|files?|xgfj)"
    r"(?:$|[\s_-])",
    re.I,
)

# Links that are never attachments.
NOT_ATTACHMENT_HREF = re.compile(
    r"^(?:javascript:|mailto:|tel:|#)|\.(?:s?html?|jsp|aspx?|php)(?:[#]|$)", re.I
)

# Leading labels on anchor text ("附件1：", "附件：", "1.") stripped from the file name.
NAME_PREFIX = re.compile(
    r"^\s*(?:附\s*件\s*[\d一二三四五六七八九十]*\s*[:：、.]?\s*)?(?:\d{1,2}\s*[.、．]\s*)?"
)

# Flat JS / JSON objects in <script> text that describe a file: the URL keys are tried in
# order; a host key (Hanweb/UCAP ``domainName``) is prefixed to a root-relative path.
SCRIPT_URL_KEYS: tuple[str, ...] = ("filePath", "fileUrl", "downloadUrl", "url", "path", "href")
SCRIPT_NAME_KEYS: tuple[str, ...] = ("fileName", "showName", "name", "title", "filename")
SCRIPT_HOST_KEYS: tuple[str, ...] = ("domainName",)
_SCRIPT_OBJECT = re.compile(r"\{[^{}]{0,4000}\}")
_SCRIPT_PAIR = re.compile(r"""["']?([A-Za-z_]\w*)["']?\s*:\s*(["'])((?:\\.|(?!\2).)*)\2""")

# Magic numbers at the start of the file: (signature, offset range searched, container).
MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"%PDF-", 1024, "pdf"),  # the header may follow up to 1 KB of junk
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 1, "ole"),  # OLE2 compound file: doc/wps/xls/et/ppt
    (b"PK\x03\x04", 1, "zip"),  # docx/xlsx/ofd/pptx/odf/plain zip
    (b"PK\x05\x06", 1, "zip"),  # empty zip
    (b"Rar!\x1a\x07", 1, "rar"),
    (b"7z\xbc\xaf\x27\x1c", 1, "7z"),
    (b"{\\rtf", 1, "rtf"),
    (b"\x89PNG\r\n\x1a\n", 1, "png"),
    (b"\xff\xd8\xff", 1, "jpeg"),
    (b"GIF8", 1, "gif"),
    (b"II*\x00", 1, "tiff"),
    (b"MM\x00*", 1, "tiff"),
)

# An HTML page where a file was expected: an error, login or anti-bot page (DOMAIN.md §4.1).
HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<script|<meta)", re.I)

# ZIP packages told apart by their members (first hit wins; names compared case-insensitively).
ZIP_MEMBERS: tuple[tuple[str, str], ...] = (
    ("ofd.xml", "ofd"),  # GB/T 33190 entry file
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "xlsx"),
    ("ppt/presentation.xml", "pptx"),
    ("mimetype", "odf"),
)

# OLE compound files told apart by their streams.
OLE_STREAMS: tuple[tuple[str, str], ...] = (
    ("WordDocument", "doc"),  # Word 97-2003 and Kingsoft WPS Writer (told apart below)
    ("Workbook", "xls"),  # Excel 97+ and Kingsoft ET
    ("Book", "xls"),  # Excel 5/95
    ("PowerPoint Document", "ppt"),
    ("CONTENTS", "works"),  # Microsoft Works .wps (CHNKWKS), not Kingsoft WPS
)

# Hints for an OLE file whose directory is lost (truncated): (where, bytes, kind); where is
# "sector" (at the start of any 512-byte sector) or "anywhere". Word's FIB begins with wIdent
# 0xA5EC at the start of the WordDocument stream, which starts on a sector.
OLE_RAW_HINTS: tuple[tuple[str, bytes, str], ...] = (
    ("sector", b"\xec\xa5", "doc"),
    ("anywhere", "WordDocument".encode("utf-16-le"), "doc"),
    ("anywhere", "Workbook".encode("utf-16-le"), "xls"),
    ("anywhere", "PowerPoint Document".encode("utf-16-le"), "ppt"),
)


# Marks of Kingsoft WPS Office in an OLE file. WPS Writer writes the Word 97 binary format
# (WordDocument + 1Table streams, the Word CLSID); what it adds is its build number as the
# custom property KSOProductBuildVer (e.g. "2052-11.1.0.14309") in
# \x05DocumentSummaryInformation, and often "WPS Office…" as the creating application.
# (stream, byte pattern) pairs; any hit means "written by WPS".
WPS_MARKERS: tuple[tuple[str, bytes], ...] = (
    ("\x05DocumentSummaryInformation", b"KSOProductBuildVer"),
    ("\x05DocumentSummaryInformation", "KSOProductBuildVer".encode("utf-16-le")),
    ("\x05SummaryInformation", b"WPS Office"),
    ("\x05SummaryInformation", "WPS Office".encode("utf-16-le")),
)
_KSO_VERSION = re.compile(rb"\d{4}-\d{1,2}\.\d+\.\d+\.\d+")

# Lines that are page furniture in fixed-layout files (PDF, OFD), dropped when they sit in the
# top or bottom band of a page.
PAGE_FURNITURE: tuple[re.Pattern[str], ...] = (
    re.compile(r"^[-—–－·\s]*\d{1,4}[-—–－·\s]*$"),  # "— 3 —", "- 3 -", "3"
    re.compile(r"^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$"),
    re.compile(r"^\d+\s*/\s*\d+$"),
    re.compile(r"^(?:page\s*)?\d+\s*(?:of\s*\d+)?$", re.I),
)
FURNITURE_BAND = 0.09

# Paragraph starts and ends used when reflowing fixed-layout text into paragraphs.
PARAGRAPH_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.．、]\D"
    r"|第[一二三四五六七八九十百\d]+[章节条]|附件)"
)
SENTENCE_END = re.compile(
    r"[。！？；：:;!?）)]\s*$"
)  # fraction of the page height at the top and at the bottom

# Status values of AttachmentText.
STATUSES: tuple[str, ...] = ("ok", "scanned", "corrupt", "unsupported", "empty")

# Below this many text characters per page, a PDF whose pages carry images counts as scanned.
SCANNED_CHARS_PER_PAGE = 10
# ZIP members larger than this (uncompressed) are refused: a zip bomb must not eat the crawler.
MAX_MEMBER_BYTES = 200 * 1024 * 1024

# ======================================================================================
# Results
# ======================================================================================


@dataclass(frozen=True)
class AttachmentLink:
    """One file linked from a page: absolute URL, displayed name, extension guessed from the
    link (URL, ``filename=`` parameter, anchor text or icon; None if nothing says)."""

    url: str
    name: str | None
    ext_hint: str | None
    via: str = "href"  # which rule found it: a pattern name, "icon", "block" or "script"


@dataclass(frozen=True)
class AttachmentText:
    """The text of one attached file and how it was obtained.

    ``kind`` is what the bytes are (pdf, docx, doc, wps, ofd, xls, xlsx, or ppt/pptx/odf/works/
    rtf/zip/rar/7z/png/jpeg/gif/tiff/html/unknown, which are not extracted). ``status``: ok;
    scanned (a PDF of page images, no text layer: needs OCR); corrupt (unreadable, truncated);
    unsupported (a kind without an extractor, encrypted, or an HTML page instead of a file);
    empty (readable, no text). ``text`` is cleaned: one paragraph (or table row) per line.
    """

    kind: str
    status: str
    text: str = ""
    error: str | None = None
    page_count: int | None = None
    extractor: str = ""
    producer: str | None = None  # e.g. the PDF Producer, or "WPS Office 2052-11.1.0.14309"
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def char_count(self) -> int:
        return len(re.sub(r"\s+", "", self.text))

    def as_dict(self) -> dict:
        d = asdict(self)
        d["warnings"] = list(self.warnings)
        d["char_count"] = self.char_count
        return d


class _Corrupt(Exception):
    """The file is damaged or truncated."""


class _Unsupported(Exception):
    """A readable file this module cannot or must not extract (encrypted, old format)."""


# ======================================================================================
# Link discovery
# ======================================================================================


def _ext_of(s: str | None) -> str | None:
    if not s:
        return None
    m = re.search(r"\.([A-Za-z0-9]{2,5})\s*(?:[（(][^）)]*[）)])?\s*$", s.strip())
    if m and m.group(1).lower() in ATTACHMENT_EXTS:
        return m.group(1).lower()
    return None


def _url_ext(url: str) -> str | None:
    parts = urlsplit(url)
    ext = _ext_of(unquote(parts.path))
    if ext:
        return ext
    q = parse_qs(parts.query)
    for p in NAME_PARAMS:
        for v in q.get(p, ()):
            ext = _ext_of(v)
            if ext:
                return ext
    return None


def _url_name(url: str) -> str | None:
    q = parse_qs(urlsplit(url).query)
    for p in ("showname",):
        for v in q.get(p, ()):
            if v.strip():
                return v.strip()
    return None


def _clean_name(text: str | None) -> str | None:
    if not text:
        return None
    s = " ".join(text.split())
    s = NAME_PREFIX.sub("", s).strip()
    return s or None


def _as_tree(html_or_tree):
    if isinstance(html_or_tree, bytes | bytearray):
        text, _codec = decode_html(bytes(html_or_tree))
        return parse_html(text)
    if isinstance(html_or_tree, str):
        return parse_html(html_or_tree)
    return html_or_tree


def _head_text(el, limit: int) -> str:
    """The first ``limit`` characters of an element's text, without walking all of it."""
    out, n = [], 0
    for t in el.itertext():
        out.append(t)
        n += len(t)
        if n >= limit:
            break
    return " ".join("".join(out)[:limit].split())


def _in_attachment_block(a) -> bool:
    """True if the anchor sits in a block labelled 附件 / 相关附件 or classed as one (fj, attach…)."""
    el = a.getparent()
    for _ in range(5):
        if el is None or not isinstance(el.tag, str):
            return False
        attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
        if attrs.strip() and ATTACHMENT_BLOCK_ATTR.search(attrs):
            return True
        if ATTACHMENT_BLOCK_LABEL.match(_head_text(el, 40)):
            return True
        prev = el.getprevious()
        if prev is not None and isinstance(prev.tag, str):
            head = _head_text(prev, 200)
            if len(head) < 200 and ATTACHMENT_BLOCK_LABEL.match(head[-20:]):
                return True
        el = el.getparent()
    return False


def _icon_ext(a) -> str | None:
    for img in a.iter("img"):
        m = _ICON_FILE.search((img.get("src") or "").split("?")[0])
        if not m:
            continue
        for token in re.split(r"[_\-.\d\s]+", m.group(1).lower()):
            if token in ICON_TOKENS:
                return ICON_TOKENS[token]
    return None


def _classify_anchor(a, url: str) -> tuple[str | None, str | None]:
    """Return (rule name, ext hint) if the anchor links an attachment, else (None, None)."""
    text = a.text_content() or ""
    for name, pat in ATTACHMENT_URL_PATTERNS:
        if pat.search(url):
            return name, _url_ext(url) or _ext_of(text) or _icon_ext(a)
    href = (a.get("href") or "").strip()
    if NOT_ATTACHMENT_HREF.search(href) or NOT_ATTACHMENT_HREF.search(urlsplit(url).path):
        return None, None
    icon = _icon_ext(a)
    if icon:
        return "icon", _ext_of(text) or icon
    # the cheap test first: most anchors of a page are navigation without either
    if (_ext_of(text) or urlsplit(url).query) and _in_attachment_block(a):
        return "block", _ext_of(text)
    return None, None


def _js_unescape(v: str) -> str:
    """Undo the escapes of a JS/JSON string literal that matter in names and paths."""
    v = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), v)
    return re.sub(r"\\([\\/\"'])", r"\1", v)


def _script_links(root, base: str) -> Iterable[AttachmentLink]:
    for script in root.iter("script"):
        code = script.text or ""
        if not code or ("{" not in code):
            continue
        for m in _SCRIPT_OBJECT.finditer(code):
            pairs: dict[str, str] = {}
            for k, _q, v in _SCRIPT_PAIR.findall(m.group(0)):
                pairs.setdefault(k, _js_unescape(v))
            raw = next((pairs[k] for k in SCRIPT_URL_KEYS if pairs.get(k)), None)
            if not raw or "/" not in raw or not _url_ext(raw):
                continue
            host = next((pairs[k] for k in SCRIPT_HOST_KEYS if pairs.get(k)), None)
            if host and raw.startswith("/") and re.match(r"https?://", host):
                url = host.rstrip("/") + raw
            else:
                url = urljoin(base, raw)
            name = next((pairs[k] for k in SCRIPT_NAME_KEYS if pairs.get(k)), None)
            yield AttachmentLink(url, _clean_name(name), _url_ext(url) or _ext_of(name), "script")


def find_attachment_links(html_or_tree, base_url: str) -> list[AttachmentLink]:
    """Attachment links of a page (str, bytes or an lxml tree), absolute, deduplicated by URL,
    in page order: anchors first, then file objects embedded in scripts (SPA-style pages).

    The tree is not modified; scripts are read, so pass an unpruned tree.
    """
    root = _as_tree(html_or_tree)
    base = base_url
    for b in root.iter("base"):
        if b.get("href"):
            base = urljoin(base_url, b.get("href").strip())
            break
    found: dict[str, AttachmentLink] = {}

    def add(link: AttachmentLink) -> None:
        key = link.url.split("#")[0]
        old = found.get(key)
        if old is None:
            found[key] = link
        elif not old.name and link.name:
            found[key] = AttachmentLink(old.url, link.name, old.ext_hint or link.ext_hint, old.via)

    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(("javascript:", "mailto:", "#")):
            continue
        url = urljoin(base, href)
        if not url.lower().startswith(("http://", "https://", "ftp://")):
            continue
        rule, ext = _classify_anchor(a, url)
        if rule is None:
            continue
        name = _clean_name(a.text_content()) or _clean_name(a.get("title")) or _url_name(url)
        add(AttachmentLink(url, name, ext, rule))
    for link in _script_links(root, base):
        add(link)
    return list(found.values())


# ======================================================================================
# Kind detection
# ======================================================================================


def _zip_names(zf: zipfile.ZipFile) -> dict[str, str]:
    return {n.lower().lstrip("/"): n for n in zf.namelist()}


def _ole_kind(ole) -> tuple[str, str | None]:
    """(kind, WPS build) of an open OLE file."""
    streams = {"/".join(p) for p in ole.listdir(streams=True, storages=False)}
    kind = "unknown"
    for stream, k in OLE_STREAMS:
        if stream in streams:
            kind = k
            break
    wps: str | None = None
    for stream, pattern in WPS_MARKERS:
        if stream in streams:
            raw = ole.openstream(stream).read()
            if pattern in raw:
                m = _KSO_VERSION.search(raw) or _KSO_VERSION.search(raw.replace(b"\x00", b""))
                wps = "WPS Office" + (f" {m.group(0).decode()}" if m else "")
                break
    if kind == "doc" and wps:
        kind = "wps"
    return kind, wps


def detect_kind(data: bytes) -> str:
    """The file's kind from its bytes alone (see AttachmentText.kind)."""
    return _detect(data)[0]


def _local_zip_names(data: bytes) -> dict[str, str]:
    """Member names from the local file headers, for a ZIP whose central directory is lost
    (a truncated download): enough to tell a DOCX from an OFD."""
    names: dict[str, str] = {}
    for m in re.finditer(rb"PK\x03\x04", data):
        off = m.start()
        if off + 30 > len(data):
            break
        n, extra = struct.unpack_from("<HH", data, off + 26)
        raw = data[off + 30 : off + 30 + n]
        name = raw.decode("utf-8", "replace")
        names[name.lower().lstrip("/")] = name
    return names


def _detect(data: bytes) -> tuple[str, str | None]:
    """(kind, damage): damage is a message when the container itself cannot be opened."""
    container = _container(data)
    if container == "zip":
        damage = None
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = _zip_names(zf)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as e:
            names, damage = _local_zip_names(data), f"damaged ZIP package: {e}"
        for member, kind in ZIP_MEMBERS:
            if member in names:
                return kind, damage
        return "zip", damage
    if container == "ole":
        import olefile

        try:
            with olefile.OleFileIO(io.BytesIO(data)) as ole:
                return _ole_kind(ole)[0], None
        except Exception as e:
            # the directory is gone; the stream names may still be in the bytes
            kind = "ole"
            for where, pattern, k in OLE_RAW_HINTS:
                if where == "sector":
                    hit = any(data.startswith(pattern, off) for off in range(512, len(data), 512))
                else:
                    hit = pattern in data
                if hit:
                    kind = k
                    break
            if kind == "doc" and any(p in data for _s, p in WPS_MARKERS):
                kind = "wps"
            return kind, f"damaged OLE compound file: {type(e).__name__}: {e}"
    return container, None


def _container(data: bytes) -> str:
    for sig, within, kind in MAGIC:
        if within == 1:
            if data.startswith(sig):
                return kind
        elif sig in data[: within + len(sig)]:
            return kind
    if HTML_START.match(data[:512].lstrip(b"\xef\xbb\xbf")):
        return "html"
    return "unknown"


# ======================================================================================
# Text cleaning and fixed-layout reflow
# ======================================================================================

_CJK = (
    r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
)
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}0-9])|(?<=[{_CJK}0-9])[ \t]+(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufeff\ufffe]")
_RADICALS = re.compile(r"[\u2e80-\u2ef3\u2f00-\u2fd5]")


def clean_text(lines: Iterable[str], fixed_layout: bool = False) -> str:
    """One paragraph per line: control characters dropped, runs of spaces (incl. U+3000)
    collapsed, empty lines dropped. Kangxi / CJK-supplement radicals that some PDF fonts map
    glyphs to (⽂ for 文) become the ordinary ideographs. In fixed-layout text (PDF, OFD) spaces
    between Chinese characters are layout gaps and are removed."""
    out = []
    for line in lines:
        for part in line.split("\n"):
            s = _CONTROL.sub("", part)
            s = _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), s)
            s = _SPACES.sub(" ", s).strip()
            if fixed_layout:
                s = _CJK_GAP.sub("", s)
            if s:
                out.append(s)
    return "\n".join(out)


@dataclass
class _Glyph:
    x0: float
    x1: float
    y: float  # centre, y growing downwards
    size: float
    text: str


@dataclass
class _Line:
    x0: float
    x1: float
    y: float
    size: float
    text: str


def _build_lines(glyphs: list[_Glyph]) -> list[_Line]:
    """Group positioned glyphs into lines (by vertical centre), each sorted left to right,
    with a space where the gap between two glyphs exceeds a third of the font size."""
    rows: list[list[_Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (g.y, g.x0)):
        if rows:
            ref = rows[-1][0]
            if abs(g.y - ref.y) <= 0.5 * max(g.size, ref.size, 0.1):
                rows[-1].append(g)
                continue
        rows.append([g])
    lines = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        parts: list[str] = []
        prev: _Glyph | None = None
        for g in row:
            if prev is not None and g.x0 - prev.x1 > 0.33 * max(g.size, prev.size):
                parts.append(" ")
            parts.append(g.text)
            prev = g
        text = "".join(parts)
        if text.strip():
            lines.append(
                _Line(
                    next((g.x0 for g in row if g.text.strip()), row[0].x0),
                    max(g.x1 for g in row),
                    median(g.y for g in row),
                    median(g.size for g in row),
                    text,
                )
            )
    return lines


def _reflow(pages: list[tuple[float, list[_Line]]]) -> list[str]:
    """Join wrapped lines into paragraphs. Page numbers in the top/bottom band are dropped.

    Chinese official documents indent the first line of each paragraph by two characters
    (GB/T 9704); when a document does that, an indented line starts a paragraph and any other
    line continues the one before, unless that one ended well short of the right edge. Without
    indentation, only a line that reaches the right edge continues. A heading marker (一、,
    （一）, 1., 第…条) after a sentence end always starts a paragraph.
    """
    kept: list[tuple[_Line, float, float, float]] = []  # (line, left, right, em) of its page
    for height, lines in pages:
        body = []
        for ln in lines:
            t = ln.text.strip()
            in_band = height and (
                ln.y < height * FURNITURE_BAND or ln.y > height * (1 - FURNITURE_BAND)
            )
            if in_band and any(p.match(t) for p in PAGE_FURNITURE):
                continue
            body.append(ln)
        if not body:
            continue
        em = median(ln.size for ln in body) or 1.0
        left = min(ln.x0 for ln in body)
        right = max(ln.x1 for ln in body)
        kept.extend((ln, left, right, em) for ln in body)
    if not kept:
        return []
    indented = [ln.x0 > left + 0.8 * em for ln, left, _r, em in kept]
    indent_mode = sum(indented) >= max(2, 0.05 * len(kept))
    paragraphs: list[str] = []
    prev: tuple[_Line, float, float, float] | None = None
    for (ln, left, right, em), ind in zip(kept, indented, strict=True):
        join = False
        if prev is not None and not ind:
            p_ln, _p_left, p_right, p_em = prev
            short = p_right - p_ln.x1
            join = short <= (4.0 if indent_mode else 1.5) * p_em
            if join and PARAGRAPH_START.match(ln.text) and SENTENCE_END.search(p_ln.text):
                join = False
        if join:
            paragraphs[-1] += ln.text
        else:
            paragraphs.append(ln.text)
        prev = (ln, left, right, em)
    return paragraphs


# ======================================================================================
# Extractors: each returns (lines, page_count, producer, warnings) or raises
# ======================================================================================


@dataclass
class _Extracted:
    lines: list[str]
    pages: int | None = None
    producer: str | None = None
    warnings: list[str] = field(default_factory=list)
    image_only_pages: int = 0  # PDF pages with images and (almost) no text
    truncated: bool = False


def _pdf(data: bytes) -> _Extracted:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTFigure, LTImage
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    warnings: list[str] = []
    tail = data[-2048:]
    truncated = b"%%EOF" not in tail
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFPasswordIncorrect as e:
        raise _Unsupported("encrypted PDF: a password is needed to open it") from e
    except Exception as e:
        why = "truncated PDF (no %%EOF at the end)" if truncated else "damaged PDF"
        raise _Corrupt(f"{why}: {type(e).__name__}: {e}") from e
    producer = None
    for info in doc.info or []:
        p = resolve1(info.get("Producer")) if isinstance(info, dict) else None
        if isinstance(p, bytes):
            producer = _pdf_string(p)
        elif isinstance(p, str):
            producer = p
    rm = PDFResourceManager(caching=True)
    device = PDFPageAggregator(rm, laparams=None)
    interp = PDFPageInterpreter(rm, device)
    pages: list[tuple[float, list[_Line]]] = []
    image_pages = text_pages = unmapped = total = 0
    for page in PDFPage.create_pages(doc):
        interp.process_page(page)
        layout = device.get_result()
        height = float(layout.height or 0)
        glyphs: list[_Glyph] = []
        has_image = False
        stack = list(layout)
        while stack:
            obj = stack.pop()
            if isinstance(obj, LTChar):
                t = obj.get_text()
                total += 1
                if t.startswith("(cid:"):
                    unmapped += 1
                    continue
                size = float(obj.size or (obj.y1 - obj.y0) or 1)
                glyphs.append(_Glyph(obj.x0, obj.x1, height - (obj.y0 + obj.y1) / 2, size, t))
            elif isinstance(obj, LTImage):
                has_image = True
            elif isinstance(obj, LTFigure):
                stack.extend(obj)
        lines = _build_lines(glyphs)
        if sum(len(ln.text.strip()) for ln in lines) >= SCANNED_CHARS_PER_PAGE:
            text_pages += 1
        elif has_image:
            image_pages += 1
        pages.append((height, lines))
    if total and unmapped > total / 2:
        warnings.append(f"{unmapped} of {total} glyphs have no Unicode mapping")
    if image_pages and text_pages:
        warnings.append(f"{image_pages} page(s) are images without a text layer")
    return _Extracted(_reflow(pages), len(pages), producer, warnings, image_pages, truncated)


def _pdf_string(b: bytes) -> str:
    if b.startswith((b"\xfe\xff", b"\xff\xfe")):
        return b.decode("utf-16", "replace")
    return b.decode("latin-1")


def _read_member(zf: zipfile.ZipFile, name: str) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise _Unsupported(f"{name} is {info.file_size} bytes unpacked (limit {MAX_MEMBER_BYTES})")
    return zf.read(name)


_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def _xml(data: bytes):
    try:
        return etree.fromstring(data, parser=_XML_PARSER)
    except etree.XMLSyntaxError as e:
        raise _Corrupt(f"XML: {e}") from e


def _local(el) -> str:
    t = el.tag
    return t.rsplit("}", 1)[-1] if isinstance(t, str) else ""


# -- DOCX ------------------------------------------------------------------------------
_W_TEXT = {"t": None, "tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}
_W_SKIP = {"Fallback", "del", "moveFrom", "instrText", "delText", "footnoteReference"}


def _w_para(p) -> str:
    out: list[str] = []

    def walk(el):
        for ch in el:
            name = _local(ch)
            if name in _W_SKIP:
                continue
            if name in _W_TEXT:
                fixed = _W_TEXT[name]
                out.append((ch.text or "") if fixed is None else fixed)
            elif name == "tbl":
                out.append("\n" + "\n".join(_w_table(ch)) + "\n")
            elif name == "p":
                out.append("\n")
                walk(ch)
            else:
                walk(ch)

    walk(p)
    return "".join(out)


def _w_table(tbl) -> list[str]:
    rows = []
    for tr in (c for c in tbl if _local(c) == "tr"):
        cells = []
        for tc in (c for c in tr if _local(c) in ("tc", "sdt")):
            paras = [_w_para(p) for p in tc.iter() if _local(p) == "p"]
            cells.append(" ".join(" ".join(paras).split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _w_blocks(parent) -> list[str]:
    lines: list[str] = []
    for ch in parent:
        name = _local(ch)
        if name == "p":
            lines.append(_w_para(ch))
        elif name == "tbl":
            lines.extend(_w_table(ch))
        elif name in ("sdt", "sdtContent", "customXml", "ins", "smartTag"):
            lines.extend(_w_blocks(ch))
    return lines


def _docx(data: bytes) -> _Extracted:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = _zip_names(zf)
        root = _xml(_read_member(zf, names["word/document.xml"]))
        producer = _ooxml_app(zf, names)
    body = next((c for c in root if _local(c) == "body"), None)
    if body is None:
        raise _Corrupt("word/document.xml has no w:body")
    return _Extracted(_w_blocks(body), None, producer)


def _ooxml_app(zf: zipfile.ZipFile, names: dict[str, str]) -> str | None:
    producer = None
    if "docprops/app.xml" in names:
        try:
            app = _xml(_read_member(zf, names["docprops/app.xml"]))
            producer = next((e.text for e in app if _local(e) == "Application" and e.text), None)
        except (_Corrupt, _Unsupported):
            pass
    if "docprops/custom.xml" in names:
        raw = zf.read(names["docprops/custom.xml"])
        m = _KSO_VERSION.search(raw) if b"KSOProductBuildVer" in raw else None
        if m:
            producer = f"WPS Office {m.group(0).decode()}"
    return producer


# -- DOC / WPS (Word 97 binary) ----------------------------------------------------------
_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")


def _word_binary(ole) -> str:
    """Main-document text of a Word 97-2003 binary file via its piece table ([MS-DOC] 2.4.1).

    FIB: wIdent 0xA5EC, nFib, flags (fEncrypted 0x0100, fWhichTblStm 0x0200); FibRgLw97[3] is
    ccpText; FibRgFcLcb97 pair 33 is fcClx/lcbClx, the Clx in the table stream whose Pcdt holds
    the piece CPs and PCDs (fc with bit 30 = 8-bit cp1252 text at fc/2, else UTF-16LE).
    """
    wd = ole.openstream("WordDocument").read()
    if len(wd) < 0x40 or _U16.unpack_from(wd, 0)[0] != 0xA5EC:
        raise _Corrupt("WordDocument stream has no Word file information block")
    nfib = _U16.unpack_from(wd, 2)[0]
    flags = _U16.unpack_from(wd, 0x0A)[0]
    if flags & 0x0100:
        raise _Unsupported("encrypted Word document")
    if nfib < 0xC0:
        raise _Unsupported(f"Word 6/95 binary format (nFib {nfib:#x}) is not supported")
    pos = 32
    csw = _U16.unpack_from(wd, pos)[0]
    pos += 2 + 2 * csw
    cslw = _U16.unpack_from(wd, pos)[0]
    lw = pos + 2
    pos = lw + 4 * cslw
    ccp_text = _U32.unpack_from(wd, lw + 12)[0]
    fclcb = pos + 2
    fc_clx, lcb_clx = struct.unpack_from("<II", wd, fclcb + 33 * 8)
    table_name = "1Table" if flags & 0x0200 else "0Table"
    if not ole.exists(table_name):
        raise _Corrupt(f"table stream {table_name} missing")
    table = ole.openstream(table_name).read()
    clx = table[fc_clx : fc_clx + lcb_clx]
    if len(clx) < lcb_clx or not clx:
        raise _Corrupt("piece table (Clx) lies outside the table stream")
    i = 0
    plc = b""
    while i < len(clx):
        if clx[i] == 0x01:  # Prc: grpprl of property modifiers, skipped
            i += 3 + struct.unpack_from("<h", clx, i + 1)[0]
        elif clx[i] == 0x02:  # Pcdt
            lcb = _U32.unpack_from(clx, i + 1)[0]
            plc = clx[i + 5 : i + 5 + lcb]
            break
        else:
            raise _Corrupt(f"unexpected byte {clx[i]:#x} in Clx")
    n = (len(plc) - 4) // 12
    if n <= 0:
        raise _Corrupt("empty piece table")
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    parts: list[str] = []
    remaining = ccp_text
    for k in range(n):
        if remaining <= 0:
            break
        fc = _U32.unpack_from(plc, 4 * (n + 1) + 8 * k + 2)[0]
        count = min(cps[k + 1] - cps[k], remaining)
        if fc & 0x40000000:
            start = (fc & 0x3FFFFFFF) // 2
            raw = wd[start : start + count]
            chunk = raw.decode("cp1252", errors="replace")
        else:
            raw = wd[fc : fc + 2 * count]
            chunk = raw.decode("utf-16-le", errors="replace")
        if len(chunk) < count:
            raise _Corrupt("a text piece runs past the end of the WordDocument stream")
        parts.append(chunk)
        remaining -= count
    return "".join(parts)


def _word_specials(text: str) -> list[str]:
    """Apply Word's special characters: fields keep their result (drop the code between
    0x13 and 0x14), 0x07 ends a table cell (0x07 0x07 ends a row), 0x0B/0x0C/0x0D break."""
    out: list[str] = []
    stack: list[bool] = []  # per open field: are we in its result part?
    for ch in text:
        if ch == "\x13":
            stack.append(False)
            continue
        if ch == "\x14":
            if stack:
                stack[-1] = True
            continue
        if ch == "\x15":
            if stack:
                stack.pop()
            continue
        if stack and not stack[-1]:
            continue
        out.append(ch)
    s = "".join(out)
    s = s.replace("\x07\x07", "\r").replace("\x07", " | ")
    s = s.replace("\x1e", "-").replace("\x1f", "")
    s = re.sub(r"[\x01-\x06\x08]", "", s)
    return re.split(r"[\r\x0b\x0c]", s)


def _ole_word(data: bytes) -> _Extracted:
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        _kind, wps = _ole_kind(ole)
        text = _word_binary(ole)
        producer = wps
        if producer is None:
            app = ole.get_metadata().creating_application
            producer = app.decode("latin-1", "replace") if isinstance(app, bytes) else app
    lines = [ln.strip(" |") for ln in _word_specials(text)]
    return _Extracted(lines, None, producer)


# -- OFD (GB/T 33190) ---------------------------------------------------------------------
def _floats(s: str | None) -> list[float]:
    try:
        return [float(x) for x in (s or "").split()]
    except ValueError:
        return []


def _deltas(s: str | None) -> list[float]:
    """Expand an OFD DeltaX/DeltaY list: "g N d" repeats d N times."""
    out: list[float] = []
    toks = (s or "").split()
    i = 0
    while i < len(toks):
        if toks[i] == "g" and i + 2 < len(toks):
            out.extend([float(toks[i + 2])] * int(float(toks[i + 1])))
            i += 3
        else:
            out.append(float(toks[i]))
            i += 1
    return out


def _ofd_glyphs(root) -> list[_Glyph]:
    glyphs: list[_Glyph] = []
    for obj in root.iter():
        if _local(obj) != "TextObject":
            continue
        bx, by = (_floats(obj.get("Boundary")) + [0.0, 0.0])[:2]
        a, b, c, d, e, f = (_floats(obj.get("CTM")) or [1.0, 0.0, 0.0, 1.0, 0.0, 0.0])[:6]
        size = float(obj.get("Size") or 3.5)
        scale = (a * a + b * b) ** 0.5 or 1.0
        x = y = 0.0
        for code in obj:
            if _local(code) != "TextCode":
                continue
            text = code.text or ""
            x = float(code.get("X") or x)
            y = float(code.get("Y") or y)
            dx = _deltas(code.get("DeltaX"))
            dy = _deltas(code.get("DeltaY"))
            for k, ch in enumerate(text):
                w = dx[k] if k < len(dx) else (dx[-1] if dx else size)
                px = a * x + c * y + e
                py = b * x + d * y + f
                glyphs.append(
                    _Glyph(
                        bx + px,
                        bx + px + size * scale,
                        by + py - size * scale * 0.35,  # baseline to centre
                        size * scale,
                        ch,
                    )
                )
                if k < len(text) - 1:
                    x += w
                    y += dy[k] if k < len(dy) else 0.0
    return glyphs


def _ofd(data: bytes) -> _Extracted:
    pages: list[tuple[float, list[_Line]]] = []
    producer = None
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = _zip_names(zf)

        def load(path: str):
            key = path.lower().lstrip("/")
            if key not in names:
                raise _Corrupt(f"OFD package has no {path}")
            return _xml(_read_member(zf, names[key]))

        entry = load("OFD.xml")
        doc_roots = [e.text.strip() for e in entry.iter() if _local(e) == "DocRoot" and e.text]
        for e in entry.iter():
            if _local(e) == "Creator" and e.text:
                producer = e.text.strip() + " " + (e.get("CreatorVersion") or "")
                producer = producer.strip()
        if not doc_roots:
            raise _Corrupt("OFD.xml names no DocRoot")
        for doc_path in doc_roots:
            doc_path = doc_path.lstrip("/")
            doc = load(doc_path)
            doc_dir = posixpath.dirname(doc_path)
            default_h = _page_height(doc)
            for page in doc.iter():
                if _local(page) != "Page" or not page.get("BaseLoc"):
                    continue
                loc = page.get("BaseLoc")
                path = loc.lstrip("/") if loc.startswith("/") else posixpath.join(doc_dir, loc)
                content = load(posixpath.normpath(path))
                height = _page_height(content) or default_h
                pages.append((height, _build_lines(_ofd_glyphs(content))))
    return _Extracted(_reflow(pages), len(pages), producer)


def _page_height(root) -> float:
    for e in root.iter():
        if _local(e) == "PhysicalBox":
            box = _floats(e.text)
            if len(box) == 4:
                return box[3]
    return 0.0


# -- spreadsheets ---------------------------------------------------------------------------
def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "isoformat"):
        s = v.isoformat()
        return s[:-9] if s.endswith("T00:00:00") else s
    return " ".join(str(v).split())


def _rows(sheets: list[tuple[str, Iterable[Iterable]]]) -> list[str]:
    lines: list[str] = []
    for title, rows in sheets:
        body = []
        for row in rows:
            cells = [_cell(v) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                body.append(" | ".join(cells))
        if body and len(sheets) > 1:
            lines.append(f"[{title}]")
        lines.extend(body)
    return lines


def _xlsx(data: bytes) -> _Extracted:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = [(ws.title, list(ws.iter_rows(values_only=True))) for ws in wb.worksheets]
    finally:
        wb.close()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        producer = _ooxml_app(zf, _zip_names(zf))
    return _Extracted(_rows(sheets), len(sheets), producer)


def _xls(data: bytes) -> _Extracted:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.biffh.XLRDError as e:
        raise _Corrupt(str(e)) from e
    sheets = []
    for sh in book.sheets():
        rows = []
        for r in range(sh.nrows):
            row = []
            for c in sh.row(r):
                if c.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(c.value, book.datemode))
                elif c.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                else:
                    row.append(c.value)
            rows.append(row)
        sheets.append((sh.name, rows))
    return _Extracted(_rows(sheets), len(sheets))


# ======================================================================================
# Entry point
# ======================================================================================

# kind -> (extractor, library distributions named in AttachmentText.extractor, fixed layout)
EXTRACTORS: dict[str, tuple[Callable[[bytes], _Extracted], tuple[str, ...], bool]] = {
    "pdf": (_pdf, ("pdfminer.six",), True),
    "docx": (_docx, ("lxml",), False),
    "doc": (_ole_word, ("olefile",), False),
    "wps": (_ole_word, ("olefile",), False),
    "ofd": (_ofd, ("lxml",), True),
    "xlsx": (_xlsx, ("openpyxl",), False),
    "xls": (_xls, ("xlrd",), False),
}

UNSUPPORTED_REASON: dict[str, str] = {
    "html": "an HTML page, not a file (an error, login or anti-bot page?)",
    "works": "a Microsoft Works .wps file, not Kingsoft WPS (no extractor)",
    "ole": "an OLE compound file with no Word or Excel stream",
    "unknown": "unknown file type",
}


@cache
def _extractor_name(kind: str) -> str:
    dists = EXTRACTORS[kind][1] if kind in EXTRACTORS else ()
    parts = [f"govarchive.attachments {ATTACHMENTS_VERSION}"]
    for dist in dists:
        try:
            parts.append(f"{dist} {_metadata.version(dist)}")
        except _metadata.PackageNotFoundError:  # pragma: no cover
            parts.append(dist)
    if kind in ("doc", "wps"):
        parts.append("word97-piece-table")
    return "; ".join(parts)


def extract_attachment(data: bytes, name_hint: str | None = None) -> AttachmentText:
    """Text of an attached file, by the kind its bytes show. Never raises.

    ``name_hint`` (file name or URL) is used only to note a mismatch between the extension and
    the real kind in ``warnings``.
    """
    data = bytes(data or b"")
    warnings: list[str] = []
    if not data:
        return AttachmentText("unknown", "empty", error="no bytes", extractor=_extractor_name(""))
    try:
        kind, damage = _detect(data)
    except Exception as e:  # pragma: no cover - detection is defensive already
        kind, damage = "unknown", f"kind detection failed: {type(e).__name__}: {e}"
    hinted = _ext_of(name_hint) or (_url_ext(name_hint) if name_hint else None)
    if hinted and hinted != kind and not {hinted, kind} <= {"doc", "wps"}:
        warnings.append(f"name says .{hinted}, bytes say {kind}")
    extractor = _extractor_name(kind)
    if damage:
        return AttachmentText(kind, "corrupt", error=damage, extractor=extractor,
                              warnings=tuple(warnings))  # fmt: skip
    if kind not in EXTRACTORS:
        reason = UNSUPPORTED_REASON.get(kind, f"no text extractor for {kind} files")
        return AttachmentText(kind, "unsupported", error=reason, extractor=extractor,
                              warnings=tuple(warnings))  # fmt: skip
    func, _dists, fixed = EXTRACTORS[kind]
    try:
        res = func(data)
    except _Unsupported as e:
        return AttachmentText(kind, "unsupported", error=str(e), extractor=extractor,
                              warnings=tuple(warnings))  # fmt: skip
    except Exception as e:  # any parser failure on damaged bytes: report, never raise
        msg = str(e) if isinstance(e, _Corrupt) else f"{type(e).__name__}: {e}".strip()
        return AttachmentText(kind, "corrupt", error=msg[:500], extractor=extractor,
                              warnings=tuple(warnings))  # fmt: skip
    warnings.extend(res.warnings)
    text = clean_text(res.lines, fixed_layout=fixed)
    chars = len(re.sub(r"\s+", "", text))
    pages = res.pages or 1
    status, error = "ok", None
    if res.truncated:
        status, error = (
            "corrupt",
            "truncated file (no %%EOF); the text of the readable part is kept",
        )
    elif res.image_only_pages and chars < SCANNED_CHARS_PER_PAGE * pages:
        status, error = "scanned", "no text layer: the pages are images (needs OCR)"
    elif any("no Unicode mapping" in w for w in res.warnings) and chars < 50 * pages:
        status, error = "unsupported", "glyphs without Unicode mapping: the text needs OCR"
    elif chars == 0:
        status, error = "empty", "the file holds no text"
    return AttachmentText(
        kind, status, text, error, res.pages, extractor, res.producer, tuple(warnings)
    )
