"""开普云 UCAP pages (DOMAIN.md §3.3; URL shapes [U]): listings `index.shtml`, `index_1.shtml` …
announced by `ucapPage({pageCount, currentPage (0-based), pageName, pageExt})`, details
`/{channel}/{YYYYMM}/{32hex}.shtml`; pages carry `#UCAP-CONTENT` and kaipuyun scripts."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from .base import FamilyAdapter, Listing, PageRequest
from .generic import next_page_links

_PAGER = re.compile(
    r"pageCount\s*:\s*(\d+)\s*,\s*currentPage\s*:\s*(\d+)\s*,\s*pageName\s*:\s*['\"]([^'\"]+)['\"]"
    r"\s*,\s*pageExt\s*:\s*['\"]([^'\"]+)['\"]"
)


class UcapAdapter(FamilyAdapter):
    name = "ucap"
    fingerprints = ("UCAP-CONTENT", "<UCAPCONTENT>", "ucapPage(", "fxsjcj.kaipuyun.cn", "kpyfx_js_id_")
    url_patterns = (re.compile(r"/\d{6}/[0-9a-f]{32}\.shtml$"),)
    detail_url = re.compile(r"/\d{6}/[0-9a-f]{32}\.s?html$")

    def parse_listing(self, url: str, text: str) -> Listing:
        listing = Listing(details=self.detail_links(url, text))
        if not listing.details:
            return listing
        pager = _PAGER.search(text)
        if pager:
            count, current, name, ext = int(pager[1]), int(pager[2]), pager[3], pager[4]
            if current + 1 < count:
                listing.next_pages.append(PageRequest(urljoin(url, f"{name}_{current + 1}.{ext}")))
        else:
            listing.next_pages = [PageRequest(u) for u in next_page_links(url, text, numbered=False)]
        return listing
