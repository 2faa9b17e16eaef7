"""拓尔思 TRS WCM: `index.html`, `index_1.html` … announced by `createPageHTML(...)`."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from .base import FamilyAdapter, Listing, PageRequest

# createPageHTML(count, current, "index", "html") or the 6-argument form with a div name first.
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*(?:['\"][^'\"]*['\"]\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,"
    r"\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]+)['\"]"
)


class TrsAdapter(FamilyAdapter):
    name = "trs"
    fingerprints = ("createPageHTML(", "TRS_Editor", "TRS_UEDITOR", "trs_editor_view")
    detail_url = re.compile(r"/\d{6}/t\d{8}_\d+\.s?html?$")

    def parse_listing(self, url: str, text: str) -> Listing:
        listing = Listing(details=self.detail_links(url, text))
        pager = _CREATE_PAGE.search(text)
        if pager:
            count, current = int(pager.group(1)), int(pager.group(2))
            name, ext = pager.group(3), pager.group(4)
            if current + 1 < count:
                listing.next_pages.append(PageRequest(urljoin(url, f"{name}_{current + 1}.{ext}")))
        return listing
