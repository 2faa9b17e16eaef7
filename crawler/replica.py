"""The live/replica switch, as a Scrapy download handler.

With the `GOVARCHIVE_REPLICA` setting (``HOST:PORT``) unset this handler is Scrapy's own HTTP/1.1
handler. With it set, every http and https request is sent as a plain-HTTP absolute-URI (proxy
form) request to that server, which learns the real host from the request line, and the response
keeps the real URL. Nothing else in the crawler knows which mode it runs in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


def parse_replica_address(value: str) -> str:
    """Validate ``HOST:PORT`` (a URL prefix ``http://`` is accepted) and return it bare."""
    address = value.strip().removeprefix("http://").rstrip("/")
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ValueError(f"replica address must be HOST:PORT, got {value!r}")
    return address


class ReplicaDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        value = crawler.settings.get("GOVARCHIVE_REPLICA")
        self.replica = parse_replica_address(value) if value else None

    async def download_request(self, request: Request) -> Response:
        if not self.replica:
            return await super().download_request(request)
        scheme, rest = request.url.split("://", 1)
        transport = request.replace(
            url=f"http://{rest}",
            meta={**request.meta, "proxy": f"http://{self.replica}"},
        )
        transport.headers["X-Forwarded-Proto"] = scheme
        response = await super().download_request(transport)
        return response.replace(url=request.url)
