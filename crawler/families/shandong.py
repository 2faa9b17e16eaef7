"""Shandong 集约化 disclosure platform (DOMAIN.md §3.6): channel listings
`/gongkai/site_{site}/channel_{id}/` paged by 下一页 links (`?page=N`), details
`/gongkai/site_{site}/channel_{id}/doc_{24hex}.html` (24-hex ObjectIds)."""

from __future__ import annotations

import re

from .base import FamilyAdapter, Listing, PageRequest
from .generic import next_page_links


class ShandongAdapter(FamilyAdapter):
    name = "shandong"
    fingerprints = ("/gongkai/site_", "/gongkai/channel_", "/gongkai/static/")
    url_patterns = (re.compile(r"/gongkai/(?:site_[^/]+/)?channel_"),)
    detail_url = re.compile(r"/gongkai/(?:site_[^/]+/)?channel_[^/]+/doc_[0-9a-f]{24}\.html$")

    def parse_listing(self, url: str, text: str) -> Listing:
        listing = Listing(details=self.detail_links(url, text))
        if listing.details:
            listing.next_pages = [PageRequest(u) for u in next_page_links(url, text, numbered=False)]
        return listing
