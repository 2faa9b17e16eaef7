"""龙讯 Lonsun / Anhui 集约化 platform: `/public/column/{organId}?…&pageIndex=N` listings and
`/public/{organId}/{contentId}.html` detail pages (often under a `/zwgk/` prefix)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .base import FamilyAdapter, Listing, PageRequest

_PAGE_COUNT = re.compile(r"共\s*(\d+)\s*页")


class LonsunAdapter(FamilyAdapter):
    name = "lonsun"
    fingerprints = ("/public/column/", "table_suoyin", "j-fontContent")
    detail_url = re.compile(r"/public/\d+/\d+\.html$")

    def parse_listing(self, url: str, text: str) -> Listing:
        listing = Listing(details=self.detail_links(url, text))
        pages = _PAGE_COUNT.search(text)
        parts = urlsplit(url)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        current = int(params.get("pageIndex", "1"))
        if pages and current < int(pages.group(1)) and listing.details:
            params["pageIndex"] = str(current + 1)
            listing.next_pages.append(PageRequest(urlunsplit(parts._replace(query=urlencode(params)))))
        return listing
