"""Body text and title extraction."""

from __future__ import annotations

import copy
import re
from difflib import SequenceMatcher

from lxml import etree

from . import locators as L
from .htmltext import (
    compact,
    join_title_lines,
    render_between,
    render_lines,
    render_text,
    select,
    tag_of,
    visible_len,
)

_ASCII_WS = re.compile(r"[ \t\r\n\f\v]+")
_BOILER = [re.compile(p) for p in L.BOILERPLATE_LINES]
_FOOTER = [re.compile(p) for p in L.FOOTER_CUT_LINES]
_HEAD = [re.compile(p) for p in L.HEAD_LINES]
_TAIL = [re.compile(p) for p in L.TAIL_LINES]
_INLINE = [re.compile(p) for p in L.INLINE_JUNK]
_FAMILY_URL = [(f, re.compile(p)) for f, p in L.FAMILY_URL_PATTERNS]
_FAMILY_HTML = [(f, re.compile(p)) for f, p in L.FAMILY_HTML_PATTERNS]

_DISCLOSURE_LABEL_LINE = re.compile(
    "^(?:"
    + "|".join(
        r"\s*".join(map(re.escape, lab))
        for lab in sorted(
            L.DISCLOSURE_ONLY_LABELS | {"发布机构", "发布日期", "公开日期"}, key=len, reverse=True
        )
    )
    + r")\s*[:：\t|]"
)


# ----------------------------------------------------------------------------- family
def detect_family(text: str, url: str | None) -> str:
    if url:
        for fam, pat in _FAMILY_URL:
            if pat.search(url):
                return fam
    sample = text[:400_000]
    for fam, pat in _FAMILY_HTML:
        if pat.search(sample):
            return fam
    return "unknown"


# ----------------------------------------------------------------------------- container
def _link_density(el) -> float:
    total = visible_len(el)
    if not total:
        return 1.0
    links = sum(len(compact(a.text_content() or "")) for a in el.iter("a"))
    return links / total


def _marker_container(root):
    """Hanweb/Zhejiang ``<!--ZJEG_RSS.content.begin-->`` ... ``end`` comments."""
    begin = end = None
    for c in root.iter(tag=etree.Comment):
        txt = (c.text or "").strip()
        if begin is None and txt == "ZJEG_RSS.content.begin":
            begin = c
        elif begin is not None and txt == "ZJEG_RSS.content.end":
            end = c
            break
    if begin is None or end is None or begin.getparent() is not end.getparent():
        return None
    return begin.getparent(), begin, end


def _meta_marker_container(root):
    """``<meta name="ContentStart">`` ... ``<meta name="ContentEnd">`` siblings in the body
    (the content markers of many gov.cn templates, see ``CONTENT_COMMENT_MARKERS``)."""
    begin = end = None
    for m in root.iter("meta"):
        name = (m.get("name") or "").strip().lower()
        if begin is None and name == "contentstart":
            begin = m
        elif begin is not None and name == "contentend":
            end = m
            break
    if begin is None or end is None or begin.getparent() is not end.getparent():
        return None
    return begin.getparent(), begin, end


def find_container(root, family: str):
    """Return ``(element, selector)`` of the body container, or ``(None, None)``."""
    seen = set()
    order = list(L.FAMILY_CONTAINERS.get(family, ())) + list(L.GENERIC_CONTAINERS)
    for sel in order:
        if sel in seen:
            continue
        seen.add(sel)
        els = select(root, sel)
        if not els:
            continue
        best = max(els, key=visible_len)
        n = visible_len(best)
        if n < L.MIN_CONTAINER_CHARS:
            continue
        if n < 200 and _link_density(best) > 0.5:
            continue
        if _link_density(best) > 0.7:
            continue
        if tag_of(best) in ("html", "body"):
            continue
        return best, sel
    return None, None


def _density_container(root):
    """Readability-lite: the element collecting most paragraph text (links discounted)."""
    scores: dict = {}
    for el in root.iter("p", "div", "td", "section", "article", "li"):
        if not isinstance(el.tag, str):
            continue
        own = "".join(el.xpath("./text()"))
        for child in el:
            if isinstance(child.tag, str) and tag_of(child) in (
                "span",
                "font",
                "strong",
                "b",
                "em",
                "i",
                "u",
            ):
                own += child.text_content() or ""
        n = len(compact(own))
        if n < 20:
            continue
        parent = el.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + n
        gp = parent.getparent()
        if gp is not None:
            scores[gp] = scores.get(gp, 0) + n / 2
    if not scores:
        return None
    best = max(scores, key=lambda e: scores[e] * (1 - min(_link_density(e), 0.95)))
    return best if tag_of(best) not in ("html",) else None


# ----------------------------------------------------------------------------- line rules
def _full(pats, s: str) -> bool:
    return any(p.fullmatch(s) for p in pats)


def apply_line_rules(lines: list[str], title: str | None = None) -> list[str]:
    out: list[str] = []
    for line in lines:
        for p in _INLINE:
            line = p.sub("", line)
        line = line.strip(" \t\u3000\u00a0\u2002\u2003")
        if not line:
            continue
        c = compact(line)
        if not c:
            continue
        if _full(_BOILER, c):
            continue
        if out and len(c) <= L.FOOTER_CUT_MAXLEN and _full(_FOOTER, c):
            break
        out.append(line)
    # head: toolbar / byline / disclosure lines before the text starts
    i = 0
    while i < len(out) and i < L.HEAD_WINDOW + 8:
        c = compact(out[i])
        if (i < L.HEAD_WINDOW and len(c) <= 100 and _full(_HEAD, c)) or (
            len(c) <= 160 and _DISCLOSURE_LABEL_LINE.match(out[i])
        ):
            del out[i]
            continue
        i += 1
    # tail: source / editor lines after the text
    j = len(out) - 1
    while j >= 0 and j >= len(out) - L.TAIL_WINDOW:
        c = compact(out[j])
        if len(c) <= 60 and _full(_TAIL, c):
            del out[j]
        j -= 1
    return out


# ----------------------------------------------------------------------------- attachments
def attachment_lines(container, existing: list[str]) -> list[str]:
    """Names of attachment links near the container (outside it), not already in the text."""
    have = compact("\n".join(existing))
    out: list[str] = []
    scope = container
    for _ in range(3):
        parent = scope.getparent()
        if parent is None or tag_of(parent) in ("body", "html"):
            break
        scope = parent
    if scope is container:
        return out
    inside = set(container.iter("a"))
    for a in scope.iter("a"):
        if a in inside:
            continue
        href = a.get("href") or ""
        name = " ".join((a.text_content() or "").split())
        if not name or not L.ATTACHMENT_HREF.search(href):
            continue
        if compact(name) in have:
            continue
        have += compact(name)
        out.append(name)
    return out


# ----------------------------------------------------------------------------- body
def extract_body(root, raw_text: str, family: str, skip=()) -> tuple[list[str], str, object]:
    """Return ``(lines, method, container)``; ``method`` names the locator used."""
    for finder, name in ((_marker_container, "ZJEG_RSS"), (_meta_marker_container, "ContentStart")):
        marker = finder(root)
        if marker is None:
            continue
        parent, begin, end = marker
        lines = render_between(parent, begin, end, skip=skip)
        if len(compact("".join(lines))) >= L.MIN_CONTAINER_CHARS:
            return lines + attachment_lines(parent, lines), f"marker:{name}", parent
    container, sel = find_container(root, family)
    if container is not None:
        lines = render_text(container, skip=skip)
        return lines + attachment_lines(container, lines), f"css:{sel}", container
    lines = _trafilatura(root)
    if lines:
        return lines, "trafilatura", None
    el = _density_container(root)
    if el is not None:
        return render_text(el, skip=skip), "density", el
    body = root.find("body")
    return (render_text(body, skip=skip) if body is not None else []), "whole", None


def extract_fallback(root, raw_text: str) -> list[str]:
    """General extraction when no locator applies: trafilatura, then a text-density pick."""
    lines = _trafilatura(root)
    if lines:
        return lines
    el = _density_container(root)
    return render_text(el) if el is not None else []


def _trafilatura(root) -> list[str]:
    """trafilatura on a copy of the *pruned* tree: scripts, hidden nodes (incl. hidden duplicate
    copies of the body in rendered DOMs) and forms are already gone, so it cannot pick them."""
    try:
        import trafilatura  # lazy: ~200 ms import
    except Exception:  # pragma: no cover
        return []
    try:
        out = trafilatura.extract(
            copy.deepcopy(root),
            include_tables=True,
            favor_recall=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
            with_metadata=False,
            output_format="txt",
        )
    except Exception:
        return []
    if not out:
        return []
    lines = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("|") and line.endswith("|"):
            line = " | ".join(c.strip() for c in line.strip("|").split("|"))
        if line and not re.fullmatch(r"[-|\s:]+", line):
            lines.append(line)
    return lines


# ----------------------------------------------------------------------------- title
def similar(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = compact(a), compact(b)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= min(8, len(a) // 2, len(b) // 2) and m.size >= 4


def clean_title_tag(title: str | None, site_names: tuple[str | None, ...] = ()) -> str | None:
    if not title:
        return None
    t = _ASCII_WS.sub(" ", title).strip()
    parts = [p.strip() for p in L.TITLE_SEPARATORS.split(t) if p and p.strip()]
    names = {compact(n) for n in site_names if n}
    for p in parts:
        if compact(p) in names:
            continue
        return p
    return parts[0] if parts else None


def visible_title(root, refs: list[str | None], skip_inside=None) -> tuple[str | None, str | None]:
    """First visible title element agreeing with a reference title (or any, without references)."""
    have_refs = [r for r in refs if r]
    for sel in L.TITLE_SELECTORS:
        for el in select(root, sel):
            if skip_inside is not None and _is_inside(el, skip_inside):
                continue
            t = join_title_lines(render_text(el))
            if not t or len(t) > 200 or len(compact(t)) < 2:
                continue
            if not have_refs or any(similar(t, r) for r in have_refs):
                return t, sel
    for sel in L.GENERIC_TITLE_SELECTORS:
        for el in select(root, sel):
            t = join_title_lines(render_text(el))
            if not t or len(t) > 200 or len(compact(t)) < 4:
                continue
            if have_refs and any(
                similar(t, r) and len(compact(t)) >= 0.5 * len(compact(r)) for r in have_refs
            ):
                return t, sel
    return None, None


def _is_inside(el, container) -> bool:
    while el is not None:
        if el is container:
            return True
        el = el.getparent()
    return False


__all__ = [
    "apply_line_rules",
    "attachment_lines",
    "clean_title_tag",
    "detect_family",
    "extract_body",
    "find_container",
    "render_lines",
    "similar",
    "visible_title",
]
