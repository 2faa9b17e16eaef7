"""What every CMS family shares: request/response objects, validators, encoding, helpers."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from string import Template
from urllib.parse import parse_qs

from ..sites import SiteSpec
from ..world import Doc, Portal, World

CST = timezone(timedelta(hours=8))
PER_PAGE = 15


@dataclass
class Request:
    method: str
    path: str  # without query
    query: str
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    @property
    def params(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.query, keep_blank_values=True).items()}

    @property
    def form(self) -> dict[str, str]:
        text = self.body.decode("utf-8", "replace")
        return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}


@dataclass
class Page:
    """A rendered answer before encoding."""

    status: int
    text: str
    kind: str = "html"  # html (list/home) | detail | xml | text | js
    last_modified: datetime | None = None  # CST, naive
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Response:
    status: int
    body: bytes
    headers: list[tuple[str, str]]


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def fill(template: str, **values: object) -> str:
    """Fill a ``$name`` template; unknown ``$`` sequences (jQuery, ...) stay as they are."""
    return Template(template).safe_substitute({k: str(v) for k, v in values.items()})


def http_date(dt: datetime) -> str:
    return format_datetime(dt.replace(tzinfo=CST).astimezone(UTC), usegmt=True)


def page_count(n: int, per_page: int = PER_PAGE) -> int:
    return max(1, -(-n // per_page))


def cn_date(dt: datetime) -> str:
    return f"{dt.year}年{dt.month}月{dt.day}日"


class FamilyPortal:
    """Base of the family renderers.  Subclasses implement :meth:`route`."""

    robots_extra: tuple[str, ...] = ()

    def __init__(self, world: World, portal: Portal) -> None:
        self.world = world
        self.portal = portal
        self.site: SiteSpec = portal.site

    # ------------------------------------------------------------------ to implement
    def route(self, req: Request) -> Page | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def not_found(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    # ------------------------------------------------------------------ shared
    def robots(self) -> str:
        lines = [f"# robots.txt for {self.site.host}", "User-agent: *"]
        lines += [f"Disallow: {p}" for p in self.robots_extra]
        lines += [f"Disallow: {p}" for p in self.site.extra.get("robots_disallow", "").split()]
        if "crawl_delay" in self.site.extra:
            lines.append(f"Crawl-delay: {self.site.extra['crawl_delay']}")
        lines += ["Allow: /", ""]
        return "\n".join(lines)

    def doc_url(self, doc: Doc) -> str:
        return self.portal.url(doc)

    def serve(self, req: Request) -> Response:
        from ..attachments import attachment_response

        with self.world.lock:
            attached = attachment_response(self.portal, req, self.server_header)
        if attached is not None:  # a file a document links (tests attach real files)
            return attached
        with self.world.lock:
            if req.path == "/robots.txt":
                page: Page | None = Page(200, self.robots(), kind="text",
                                         last_modified=self.portal.last_changed)
            else:
                page = self.route(req)
            if page is None:
                page = Page(404, self.not_found())
        return self.finish(req, page)

    def content_type(self, page: Page) -> str:
        charset = "UTF-8" if self.site.encoding == "utf-8" else "GBK"
        if page.kind == "xml":
            return "text/xml;charset=UTF-8"
        if page.kind == "text":
            return "text/plain"
        if page.kind == "js":
            return f"application/javascript;charset={charset}"
        if page.kind == "detail":
            return self.site.detail_content_type
        return self.site.list_content_type

    def encode(self, page: Page) -> bytes:
        if page.kind == "xml":
            return page.text.encode("utf-8")
        return page.text.encode(self.site.encoding)

    def finish(self, req: Request, page: Page) -> Response:
        body = self.encode(page)
        headers: list[tuple[str, str]] = [
            ("Server", self.server_header),
            ("Content-Type", self.content_type(page)),
        ]
        headers += list(page.headers.items())
        status = page.status
        if status == 200:
            etag = None
            if self.site.send_etag:
                etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
                headers.append(("ETag", etag))
            lm = None
            if self.site.send_last_modified and page.last_modified is not None:
                lm = page.last_modified.replace(microsecond=0)
                headers.append(("Last-Modified", http_date(lm)))
            if req.method in ("GET", "HEAD") and self._not_modified(req, etag, lm):
                status, body = 304, b""
        return Response(status, body, headers)

    @staticmethod
    def _not_modified(req: Request, etag: str | None, lm: datetime | None) -> bool:
        inm = req.headers.get("if-none-match")
        if inm is not None:
            if etag is None:
                return False
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return "*" in tags or etag in tags
        ims = req.headers.get("if-modified-since")
        if ims and lm is not None:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return lm.replace(tzinfo=CST) <= since
        return False

    server_header = "nginx"


def body_html(doc: Doc, indent: bool = True) -> str:
    """Body paragraphs as ``<p>``; signature and date lines right-aligned for generated docs."""
    lines = doc.html_lines
    out = []
    for i, line in enumerate(lines):
        text = esc(line).replace("\xa0", "&nbsp;")
        tail = not doc.is_seed and i >= len(lines) - 2
        style = "text-align:right" if tail else ("text-indent:2em" if indent else "")
        out.append(f'<p style="{style}">{text}</p>')
    from ..attachments import links_html

    return "\n".join(out) + links_html(doc)

