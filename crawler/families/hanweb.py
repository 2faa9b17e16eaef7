"""大汉 Hanweb JCMS: `/col/colN/index.html` with a `<datastore>` and `dataproxy.jsp` pages."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from .base import FamilyAdapter, Listing, PageRequest

_DATASTORE = re.compile(r"<datastore>(.*?)</datastore>", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_TOTALPAGE = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>")
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""")


class HanwebAdapter(FamilyAdapter):
    name = "hanweb"
    fingerprints = ("Produced By 大汉网络", "<datastore>", "/module/web/jpage/", "hanweb.css")
    detail_url = re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html")

    def parse_listing(self, url: str, text: str) -> Listing:
        store = _DATASTORE.search(text)
        if store is None:  # a static column without jpage: plain links
            return Listing(details=self.detail_links(url, text))
        records = "".join(_RECORD.findall(store.group(1)))
        listing = Listing(details=self.detail_links(url, records))
        if not listing.details:
            return listing  # an empty page ends the column
        proxy = self._next_proxy_url(url, store.group(1))
        if proxy:
            listing.next_pages.append(PageRequest(proxy))
        return listing

    def _next_proxy_url(self, url: str, store: str) -> str | None:
        """The dataproxy.jsp URL of the page after this one (GET, `page=N`)."""
        parts = urlsplit(url)
        if "dataproxy.jsp" in parts.path:
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            page = int(params.get("page", "1")) + 1
            total = _TOTALPAGE.search(store)
            if total and page > int(total.group(1)):
                return None
            params["page"] = str(page)
            return urlunsplit(parts._replace(query=urlencode(params)))
        group = _NEXTGROUP.search(store)
        href = _HREF.search(group.group(1)) if group else None
        if href is None:
            return None
        proxy = urlsplit(urljoin(url, href.group(1).replace("&amp;", "&")))
        params = dict(parse_qsl(proxy.query, keep_blank_values=True))
        params["page"] = "2"  # the column page itself is page 1
        return urlunsplit(proxy._replace(query=urlencode(params)))
