"""Shared plumbing of the renderers added for issue 5 (gkmlpt, jpaas, Shandong, UCAP, custom):
site values for templates, column paging, prev/next links and a plain home page."""

from __future__ import annotations

from ..sites import ColumnSpec
from ..world import Doc, doc_path
from .base import PER_PAGE, FamilyPortal, Page, esc, fill, page_count

NOT_FOUND = """<!DOCTYPE html>
<html><head><meta charset="$charset"><title>404 页面不存在 - $site_name</title></head>
<body><div class="error"><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除！</p>
<p><a href="/">返回首页</a></p></div></body></html>
"""

HOME = """<!DOCTYPE html>
<html><head><meta charset="$charset"><title>$site_name</title>
<meta name="SiteName" content="$site_name"><meta name="SiteDomain" content="$host">
<meta name="SiteIDCode" content="$sitecode"><meta name="ColumnName" content="首页">
</head><body>
<div class="header"><h1>$site_name</h1><a href="$xxgk">政府信息公开</a></div>
$blocks
<div class="footer">主办单位：$organizer　版权所有：$site_name　$icp　$gongan　网站标识码：$sitecode</div>
</body></html>
"""


class PagedPortal(FamilyPortal):
    """A portal whose columns are paged newest first, ``PER_PAGE`` documents a page."""

    robots_extra: tuple[str, ...] = ("/admin/",)
    xxgk_path = "/"

    @property
    def charset(self) -> str:
        return "utf-8" if self.site.encoding == "utf-8" else "gbk"

    def common(self) -> dict[str, object]:
        s = self.site
        return {
            "site_name": s.name,
            "host": s.host,
            "organizer": s.organizer,
            "address": s.address,
            "phone": s.phone,
            "tech": s.tech_support,
            "icp": s.icp,
            "sitecode": s.site_id_code,
            "gongan": s.gongan,
            "gongan_no": s.gongan.split()[-1].rstrip("号"),
            "charset": self.charset,
        }

    def site_metas(self, column: str, column_type: str) -> list[str]:
        s = self.site
        return [
            f'<meta name="SiteName" content="{esc(s.name)}">',
            f'<meta name="SiteDomain" content="{s.host}">',
            f'<meta name="SiteIDCode" content="{s.site_id_code}">',
            f'<meta name="ColumnName" content="{esc(column)}">',
            f'<meta name="ColumnType" content="{esc(column_type)}">',
        ]

    def doc_metas(self, col: ColumnSpec, doc: Doc) -> list[str]:
        md = doc.metadata
        return self.site_metas(col.name, col.name) + [
            f'<meta name="ArticleTitle" content="{esc(doc.title)}">',
            f'<meta name="PubDate" content="{doc.published:%Y-%m-%d %H:%M}">',
            f'<meta name="ContentSource" content="{esc(md.get("source") or "")}">',
        ]

    def pages(self, col: ColumnSpec) -> int:
        return page_count(len(self.portal.column_docs(col.key)))

    def chunk(self, col: ColumnSpec, page: int) -> list[Doc]:
        """Documents of 1-based ``page``; empty past the end."""
        return self.portal.column_docs(col.key)[(page - 1) * PER_PAGE : page * PER_PAGE]

    def neighbours(self, doc: Doc) -> tuple[Doc | None, Doc | None]:
        docs = self.portal.column_docs(doc.column)
        i = docs.index(doc)
        return (docs[i - 1] if i > 0 else None), (docs[i + 1] if i + 1 < len(docs) else None)

    def link(self, doc: Doc | None) -> str:
        if doc is None:
            return "没有了"
        return f'<a href="{doc_path(self.site, doc)}">{esc(doc.title)}</a>'

    def detail_for(self, path: str) -> Page | None:
        doc = self.portal.by_path(path)
        return self.detail(doc) if doc else None

    def detail(self, doc: Doc) -> Page:  # pragma: no cover - abstract
        raise NotImplementedError

    def column_url(self, col: ColumnSpec) -> str:
        return col.url

    def home(self) -> Page:
        blocks = []
        for col in self.site.columns:
            items = "".join(
                f'<li><a href="{doc_path(self.site, d)}" title="{esc(d.title)}">{esc(d.title)}</a>'
                f"<span>{d.published:%Y-%m-%d}</span></li>"
                for d in self.portal.column_docs(col.key)[:6]
            )
            blocks.append(
                f'<div class="block"><h2>{esc(col.name)}</h2>'
                f'<a class="more" href="{esc(self.column_url(col))}">更多</a><ul>{items}</ul></div>'
            )
        text = fill(HOME, blocks="\n".join(blocks), xxgk=self.xxgk_path, **self.common())
        return Page(200, text, last_modified=self.portal.last_changed)

    def not_found(self) -> str:
        return fill(NOT_FOUND, **self.common())
