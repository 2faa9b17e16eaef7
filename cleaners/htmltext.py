"""HTML parsing, pruning and rendering of an element tree into text lines."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import lxml.html
from cssselect import GenericTranslator
from lxml import etree

from .locators import DROP_TAGS, HIDDEN_CLASS_TOKENS

BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "title",
    }
)

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_END_TAGS = re.compile(r"</(?:html|body)\s*>", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CJKISH = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_WS_RUN = re.compile(r"[ \t\r\n\f\v]+")
_NL_BETWEEN_CJK = re.compile(rf"(?<=[{_CJKISH}])[ \t]*[\r\n][ \t\r\n]*(?=[{_CJKISH}])")
_STRIP_CHARS = " \t\r\n\f\v\u3000\u00a0\u2002\u2003\u2009\u200b\u200c\u200d\ufeff\u202f\u205f"

_translator = GenericTranslator()

# Inserted after a bare label element in metadata rendering (not whitespace, survives clean_line).
LABEL_MARK = "\x1f"


@lru_cache(maxsize=512)
def css_xpath(selector: str) -> etree.XPath:
    return etree.XPath(_translator.css_to_xpath(selector))


def select(root, selector: str) -> list:
    try:
        return css_xpath(selector)(root)
    except Exception:
        return []


def parse_html(text: str):
    """Parse a whole document with lxml (comments kept: some CMSs mark the body with them)."""
    text = _XML_DECL.sub("", text, count=1)
    # libxml2 drops everything after a stray </html> (gov.cn templates close it after the header)
    text = _END_TAGS.sub("", text)
    if not text.strip():
        text = "<html><body></body></html>"
    parser = lxml.html.HTMLParser(remove_comments=False, remove_pis=True, recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        root = lxml.html.document_fromstring("<html><body></body></html>")
    return root


def tag_of(el) -> str:
    t = el.tag
    if not isinstance(t, str):
        return ""
    if "}" in t:
        t = t.rsplit("}", 1)[1]
    return t.lower()


def is_hidden(el) -> bool:
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    if el.get("hidden") is not None:
        return True
    cls = el.get("class")
    if cls and HIDDEN_CLASS_TOKENS.intersection(cls.split()):
        return True
    if (el.get("aria-hidden") or "").lower() == "true" and not (el.text_content() or "").strip():
        return True
    return False


def prune(root) -> None:
    """Remove non-content elements (scripts, forms, hidden nodes) in place, keeping tails."""
    drop = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        t = tag_of(el)
        if t in DROP_TAGS or is_hidden(el):
            drop.append(el)
    for el in drop:
        if el.getparent() is None:
            continue
        try:
            el.drop_tree()
        except Exception:  # pragma: no cover
            pass


def clean_line(s: str) -> str:
    s = _WS_RUN.sub(" ", s)
    return s.strip(_STRIP_CHARS)


def compact(s: str) -> str:
    """Remove every whitespace character (for label / phrase comparisons)."""
    return re.sub(r"[\s\u200b\ufeff]+", "", s)


def visible_len(el) -> int:
    try:
        return len(compact(el.text_content() or ""))
    except ValueError:
        return 0


def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int((cell.get(attr) or "1").strip()), 1000))
    except ValueError:
        return 1


def _is_layout_table(table) -> bool:
    if table.xpath(".//table"):
        return True
    for cell in table.xpath("./tr/td|./tr/th|./*/tr/td|./*/tr/th"):
        if len(cell.text_content() or "") > 600:
            return True
        if len(cell.xpath(".//div|.//ul|.//ol|.//dl")) > 2:
            return True
    return False


class _Builder:
    def __init__(self, cell_sep: str, skip: frozenset, labels: frozenset = frozenset()):
        self.cell_sep = cell_sep
        self.skip = skip
        self.labels = labels
        self.lines: list[tuple[str, object]] = []
        self.cur: list[str] = []
        self.cur_el = None
        self.block_stack: list = []

    def add(self, s: str | None) -> None:
        if s:
            # a line break inside one text node between two hanzi is source wrapping, not a space
            self.cur.append(_NL_BETWEEN_CJK.sub("", s) if "\n" in s or "\r" in s else s)
            if self.cur_el is None and self.block_stack:
                self.cur_el = self.block_stack[-1]

    def flush(self) -> None:
        if self.cur:
            line = clean_line("".join(self.cur))
            if line:
                self.lines.append(
                    (
                        line,
                        self.cur_el
                        if self.cur_el is not None
                        else (self.block_stack[-1] if self.block_stack else None),
                    )
                )
        self.cur = []
        self.cur_el = None

    def walk_children(self, el) -> None:
        for child in el:
            if not isinstance(child.tag, str):  # comment / PI
                self.add(child.tail)
                continue
            self.walk(child)
            self.add(child.tail)

    def walk(self, el) -> None:
        if el in self.skip:
            return
        t = tag_of(el)
        if t in ("br",):
            self.flush()
            return
        if t in ("img", "hr"):
            if t == "hr":
                self.flush()
            return
        if t == "table" and not _is_layout_table(el):
            self.flush()
            self.table(el)
            self.flush()
            return
        if t in BLOCK_TAGS:
            self.flush()
            self.block_stack.append(el)
            self.add(el.text)
            self.walk_children(el)
            self.flush()
            self.block_stack.pop()
            return
        self.add(el.text)
        self.walk_children(el)
        if self.labels:
            # <span>索引号</span><span>value</span>: mark the end of a bare label element
            txt = el.text_content() or ""
            if len(txt) <= 16 and compact(txt).rstrip(":：") in self.labels:
                self.add(LABEL_MARK)

    @staticmethod
    def _fill_spanned(cells: list[str], col: int, spanned: dict, to_end: bool = False) -> int:
        """Repeat cells merged down from earlier rows (rowspan) where they cover this row."""
        while col in spanned or (to_end and any(c >= col for c in spanned)):
            if col in spanned:
                text, left = spanned[col]
                cells.append(text)
                if left > 1:
                    spanned[col] = (text, left - 1)
                else:
                    del spanned[col]
            col += 1
        return col

    def table(self, table) -> None:
        """One line per row; a merged cell (rowspan) is repeated in each row it covers,
        so every line reads on its own."""
        rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr|./caption")
        spanned: dict[int, tuple[str, int]] = {}
        for row in rows:
            if row in self.skip:
                continue
            if tag_of(row) == "caption":
                sub = _Builder(self.cell_sep, self.skip, self.labels)
                sub.walk(row)
                sub.flush()
                text = " ".join(s for s, _ in sub.lines)
                if text:
                    self.lines.append((text, row))
                continue
            cells: list[str] = []
            col = 0
            for cell in row:
                if tag_of(cell) not in ("td", "th") or cell in self.skip:
                    continue
                col = self._fill_spanned(cells, col, spanned)
                sub = _Builder(self.cell_sep, self.skip, self.labels)
                sub.block_stack.append(cell)
                sub.add(cell.text)
                sub.walk_children(cell)
                sub.flush()
                text = " ".join(s for s, _ in sub.lines)
                cells.append(text)
                rows_down = _span(cell, "rowspan")
                if rows_down > 1 and text:
                    spanned[col] = (text, rows_down - 1)
                col += _span(cell, "colspan")
            self._fill_spanned(cells, col, spanned, to_end=True)
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                self.lines.append((self.cell_sep.join(cells).strip(_STRIP_CHARS), row))


def render_lines(
    el, cell_sep: str = " | ", skip: Iterable = (), labels: Iterable[str] = ()
) -> list[tuple[str, object]]:
    """Render ``el`` into ``(line, origin_element)`` pairs: one block / table row per line.

    ``labels``: bare inline elements whose text is one of these get a tab after them, so
    that ``<span>label</span><span>value</span>`` reads as ``label<TAB>value``.
    """
    b = _Builder(cell_sep, frozenset(skip), frozenset(labels))
    b.walk(el)
    b.flush()
    return b.lines


def render_text(el, cell_sep: str = " | ", skip: Iterable = ()) -> list[str]:
    return [s for s, _ in render_lines(el, cell_sep, skip)]


def render_between(parent, begin, end, cell_sep: str = " | ", skip: Iterable = ()) -> list[str]:
    """Render the children of ``parent`` strictly between the two marker nodes."""
    b = _Builder(cell_sep, frozenset(skip))
    b.block_stack.append(parent)
    inside = False
    for child in parent:
        if child is begin:
            inside = True
            b.add(child.tail)
            continue
        if child is end:
            break
        if not inside:
            continue
        if isinstance(child.tag, str):
            b.walk(child)
        b.add(child.tail)
    b.flush()
    return [s for s, _ in b.lines]


def join_title_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if out and re.match(r"[A-Za-z0-9]", line[:1]) and re.search(r"[A-Za-z0-9]$", out):
            out += " "
        out += line
    return out.strip(_STRIP_CHARS)
