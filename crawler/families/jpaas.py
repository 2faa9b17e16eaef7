"""Hanweb's Zhejiang platform "jpaas" (DOMAIN.md §3.1): the column page `/col/col{ID}/index.html`
renders page 1 plus a pagination div (`count`, `rows`, `pageNo`, `queryData`); later pages are
`/api-gateway/jpaas-publish-server/front/page/build/unit?…&pageNo=N` answering
`{"success":true,"data":{"html":…}}`. Details: `/col/col{ID}/art/{YYYY}/art_{32hex}.html`."""

from __future__ import annotations

import html as htmllib
import json
import re
from urllib.parse import urlencode, urljoin

from .base import FamilyAdapter, Listing, PageRequest

API_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"
_PAGER = re.compile(r"<div\b[^>]*\bqueryData\s*=\s*\"([^\"]*)\"[^>]*>", re.I)
_ATTR = re.compile(r"""\b(count|rows|pageNo)\s*=\s*["']?(\d+)""", re.I)
_QUERY = re.compile(r"""['"](\w+)['"]\s*:\s*['"]?([^'",}]*)""")


class JpaasAdapter(FamilyAdapter):
    name = "jpaas"
    fingerprints = ("jpaas-publish-server", "/jpaas-jpage-web-server/", "queryData=")
    url_patterns = (re.compile(r"/api-gateway/jpaas-publish-server/"),
                    re.compile(r"/art/\d{4}/art_[0-9a-f]{32}\.html"))  # fmt: skip
    detail_url = re.compile(
        r"/art/\d{4}/art_[0-9a-f]{32}\.html$|/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$"
    )

    def parse_listing(self, url: str, text: str) -> Listing:
        if text.lstrip().startswith("{"):
            try:
                text = ((json.loads(text).get("data") or {}).get("html")) or ""
            except ValueError:
                return Listing()
        listing = Listing(details=self.detail_links(url, text))
        pager = _PAGER.search(text)
        if pager is None or not listing.details:
            return listing
        attrs = {k.lower(): int(v) for k, v in _ATTR.findall(pager.group(0))}
        count, rows, page = attrs.get("count", 0), attrs.get("rows", 0), attrs.get("pageno", 1)
        if rows and page * rows < count:
            query = dict(_QUERY.findall(htmllib.unescape(pager.group(1))))
            params = {
                "webId": query.get("webId", ""), "pageId": query.get("pageId", ""),
                "parseType": "bulidstatic", "pageType": "column",
                "tagId": query.get("tagId", ""), "tplSetId": query.get("tplSetId", ""),
                "rows": rows, "pageNo": page + 1,
            }  # fmt: skip
            listing.next_pages.append(PageRequest(urljoin(url, f"{API_PATH}?{urlencode(params)}")))
        return listing
