"""Guangdong 政府信息公开目录管理平台 gkmlpt (DOMAIN.md §3.4): lists come from the JSON API
`/gkmlpt/api/all/{catId}?page=N&sid=SID`; details are `/gkmlpt/content/{a}/{b}/post_{id}.html`.

A column given as the HTML entry `/gkmlpt/index[#catId]` is read for its `window._CONFIG` SID and
turned into the API's first page (category 0 = everything when there is no fragment).
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from .base import FamilyAdapter, Listing, PageRequest

_API = re.compile(r"/gkmlpt/api/all/(\d+)$")
_SID = re.compile(r"""SID\s*:\s*['"]?(\d+)""")


class GkmlptAdapter(FamilyAdapter):
    name = "gkmlpt"
    fingerprints = ("/gkmlpt/", "window._CONFIG = { SID")
    url_patterns = (re.compile(r"/gkmlpt/"),)
    detail_url = re.compile(r"/gkmlpt/content/\d+/\d+/post_\d+\.html$|/content/post_\d+\.html$")

    def parse_listing(self, url: str, text: str) -> Listing:
        parts = urlsplit(url)
        if _API.search(parts.path):
            return self._api_page(url, text)
        sid = _SID.search(text)
        if sid is None:  # not the entry page: fall back to the links it has
            return Listing(details=self.detail_links(url, text))
        cat = parts.fragment if parts.fragment.isdigit() else "0"
        base = parts.path.split("/gkmlpt/", 1)[0]  # departments may sit under a path prefix
        query = urlencode({"page": 1, "sid": sid.group(1)})
        api = urlunsplit((parts.scheme, parts.netloc, f"{base}/gkmlpt/api/all/{cat}", query, ""))
        return Listing(next_pages=[PageRequest(api)])

    def _api_page(self, url: str, text: str) -> Listing:
        try:
            data = json.loads(text)
        except ValueError:
            return Listing()
        articles = data.get("articles") or []
        details = [urljoin(url, a.get("url") or a.get("post_url") or "") for a in articles]
        listing = Listing(details=[d for d in details if self.is_detail(d)])
        parts = urlsplit(url)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        page = int(params.get("page") or 1)
        total = int(data.get("total") or (data.get("classify") or {}).get("post_count") or 0)
        per_page = int(data.get("per_page") or len(articles))
        if articles and page * per_page < total:  # stop when collected >= post_count
            params["page"] = str(page + 1)
            listing.next_pages.append(PageRequest(urlunsplit(parts._replace(query=urlencode(params)))))
        return listing
