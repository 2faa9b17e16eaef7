"""The fallback for portals of no known family: find the document list by page structure.

Detail links are the largest group of same-site links that (a) sit outside header/nav/footer/
sidebar blocks, (b) share a list container and a URL shape (digits and hex runs generalised),
and (c) carry a date in their list item. Pagination: 下一页/尾页/numbered links pointing into the
same directory as the listing (`index_N.html`, `list_N.html`, `?page=N`, …).
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from .base import FamilyAdapter, Listing, PageRequest

_DATE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{4}年\d{1,2}月")
_BOILER_TAGS = frozenset({"header", "nav", "footer", "select", "aside"})
# class/id tokens of page furniture: "nav", "main-nav", "side-bar", "footer_links", "crumb" …
# ("xxgk_nav_list" is a list, not a menu: the word must start or end the token).
_BOILER_TOKEN = re.compile(
    r"^(?:nav|menu|header|footer|foot|side|sidebar|crumbs?|breadcrumb|position|location|"
    r"pagination|pages?|pager)(?:[-_]|$)|[-_](?:nav|menu|header|footer|sidebar|side)$",
    re.I,
)
_ITEM = "ancestor::*[self::li or self::tr or self::dd or self::dt or self::p or self::div][1]"
_NEXT_TEXT = ("下一页", "下页", "下一页>", "下一页>>", "下一页 >", "next", "Next", "›", "»", ">")
_LAST_TEXT = ("尾页", "末页", "最后一页", "last", "Last")
_LISTING_NAME = re.compile(r"(?:^|/)(?:index|list|default)(?:_\d+)?\.s?html?$|/$")
_SKIP = ("javascript:", "mailto:", "#", "tel:")


def url_shape(url: str) -> str:
    """The URL's path with digit and hex runs generalised: detail pages of one column share it."""
    path = urlsplit(url).path
    path = re.sub(r"[0-9a-f]{16,}", "H", path)
    return re.sub(r"\d+", "N", path)


def _same_dir(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return pa.netloc == pb.netloc and pa.path.rsplit("/", 1)[0] == pb.path.rsplit("/", 1)[0]


def next_page_links(url: str, html: str, numbered: bool = True) -> list[str]:
    """Pagination links of a listing page: 下一页 (and 尾页 / numbered pages if ``numbered``),
    restricted to the listing's own directory so sidebar columns are not followed."""
    out: dict[str, None] = {}
    here = url.split("#", 1)[0]
    for a in Selector(text=html).css("a[href]"):
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith(_SKIP):
            continue
        target = urljoin(url, href).split("#", 1)[0]
        if target == here or not _same_dir(target, url):
            continue
        label = a.xpath("normalize-space(string())").get() or ""
        if label in _NEXT_TEXT or (numbered and (label in _LAST_TEXT or label.isdigit())):
            out.setdefault(target)
    return list(out)


def _in_furniture(a: Selector) -> bool:
    """Whether a link sits in header/nav/footer/sidebar/breadcrumb/pager markup."""
    for node in a.xpath("ancestor::*"):
        if node.root.tag in _BOILER_TAGS:
            return True
        tokens = f"{node.attrib.get('class', '')} {node.attrib.get('id', '')}".split()
        if any(_BOILER_TOKEN.search(t) for t in tokens):
            return True
    return False


class GenericAdapter(FamilyAdapter):
    name = "generic"
    fingerprints = ()  # chosen only when nothing else matches

    def matches(self, url: str, text: str) -> bool:
        return False

    def is_detail(self, url: str) -> bool:
        return not _LISTING_NAME.search(urlsplit(url).path)

    def parse_listing(self, url: str, text: str) -> Listing:
        details = self.find_details(url, text)
        listing = Listing(details=details)
        if details:
            listing.next_pages = [PageRequest(u) for u in next_page_links(url, text)]
        return listing

    def find_details(self, url: str, html: str) -> list[str]:
        host = urlsplit(url).netloc
        dated: dict[tuple[str, str], list[str]] = defaultdict(list)
        undated: dict[tuple[str, str], list[str]] = defaultdict(list)
        for a in Selector(text=html).css("body a[href]"):
            href = (a.attrib.get("href") or "").strip()
            if not href or href.startswith(_SKIP) or _in_furniture(a):
                continue
            target = urljoin(url, href).split("#", 1)[0]
            if urlsplit(target).netloc != host or not self.is_detail(target):
                continue
            label = a.xpath("normalize-space(string())").get() or a.attrib.get("title", "")
            if len(label) < 6:  # document titles are sentences, menu entries are words
                continue
            item = a.xpath(_ITEM)
            # the list container: the item's parent (a <ul>, <table>, <dl> …)
            container = item.xpath("..").xpath("name()").get("") if item else ""
            depth = len(a.xpath("ancestor::*"))
            key = (url_shape(target), f"{container}/{depth}")
            item_text = item.xpath("normalize-space(string())").get("") if item else ""
            group = dated if _DATE.search(item_text.replace(label, "")) else undated
            if target not in group[key]:
                group[key].append(target)
        for groups, minimum in ((dated, 1), (undated, 3)):
            best = max(groups.values(), key=len, default=[])
            if len(best) >= minimum:
                return best
        return []
