"""A home-grown county CMS (华容县人民政府, 湖南-style numeric paths, DOMAIN.md §3.7).

It carries no known family fingerprint, so only the generic adapter can list it: columns
``/{a}/{b}/{c}/index.html``, ``index_2.html`` … with numbered page links, 下一页 and 尾页; detail
pages ``/{a}/{b}/{c}/content_{id}.html`` follow ``tests/corpus/heldout/heldout-hn-huarong-generic-dl``.
A sidebar of dateless links and a header/footer full of column links make the structure matter.
"""

from __future__ import annotations

import re

from ..sites import ColumnSpec
from ..world import Doc, doc_path
from .base import Page, Request, body_html, esc, fill
from .simple import PagedPortal

PAGE = """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>$title</title>
$metas
<link href="/res/css/hr_common.css" rel="stylesheet">
<link href="/res/css/hr_article.css" rel="stylesheet">
<script src="/res/js/jquery-1.8.3.min.js"></script>
</head>
<body>
<div id="header">
  <div class="hd-top">
    <span>今天是<span id="date"></span></span>
    <span class="hd-link"><a href="javascript:;" onclick="addFav()">加入收藏</a> | <a href="javascript:;" id="jfzh">繁体版</a> | <a href="javascript:;" id="assist-open">无障碍</a> | <a href="/24361/index.html">英文版</a></span>
  </div>
  <div class="hd-logo"><img src="/res/images/hr_logo.png" alt="$site_name"></div>
  <div id="menu"><ul>
    <li><a href="/">网站首页</a></li><li><a href="/24361/24362/index.html">华容概况</a></li><li><a href="/24361/24363/index.html">政务动态</a></li><li><a href="/24361/24365/index.html">政务公开</a></li><li><a href="/24361/24366/index.html">办事服务</a></li><li><a href="/24361/24367/index.html">政民互动</a></li>
  </ul></div>
</div>
<div class="main">
  <div class="crumb"><span>您的位置：</span><a href="/">首页</a> &raquo; <a href="/24361/24365/index.html">政务公开</a> &raquo; <a href="/$path/index.html">$column_name</a></div>
$main
</div>
<div id="footer">
  <p><a href="/24361/24399/index.html">网站地图</a> | <a href="/24361/24398/index.html">联系我们</a> | <a href="/24361/24397/index.html">纠错</a></p>
  <p>主办：$organizer　　地址：$address</p>
  <p>版权所有：$site_name　　$icp　　$gongan　　网站标识码：$sitecode</p>
  <p>您是第<span id="visitor">1</span>位访客</p>
</div>
<script id="_jiucuo_" sitecode='$sitecode' src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'></script>
<script src="/res/js/$script.js"></script>
</body>
</html>
"""

LIST_MAIN = """  <div class="side-bar">
    <div class="side-title">政务公开</div>
    <ul class="side-menu">
      <li><a href="/24361/24365/24401/index.html">政府文件</a></li>
      <li><a href="/24361/24365/24410/index.html">法治政府建设</a></li>
      <li><a href="/24361/24365/24402/index.html">通知公告</a></li>
      <li><a href="/24361/24365/24403/index.html">人事信息</a></li>
      <li><a href="/24361/24365/24404/index.html">财政资金</a></li>
    </ul>
    <div class="side-title">专题专栏</div>
    <ul class="side-menu">
      <li><a href="/24361/24380/24381/content_1988001.html">优化营商环境</a></li>
      <li><a href="/24361/24380/24382/content_1988120.html">乡村振兴在华容</a></li>
    </ul>
  </div>
  <div class="list-main">
    <div class="list-hd"><h3>$column_name</h3></div>
    <div class="list-bd">
      <table class="news-tb" width="100%">
$items
      </table>
    </div>
    <div class="pages">$links</div>
  </div>"""

ITEM = (
    '        <tr><td class="dot">·</td><td class="tt"><a href="$href" target="_blank" '
    'title="$title">$title</a></td><td class="dd">[$date]</td></tr>'
)

DETAIL_MAIN = """  <div class="article-box">
    <div class="xxgk-meta">
      <dl class="clearfix">
        <dt>索引号：</dt><dd>$index_no</dd>
        <dt>发文单位：</dt><dd>$publisher</dd>
        <dt>发文日期：</dt><dd>$written</dd>
        <dt>发布日期：</dt><dd>$published</dd>
        <dt>文号：</dt><dd>$doc_number</dd>
        <dt>主题分类：</dt><dd>$category</dd>
        <dt>有效性：</dt><dd>$validity</dd>
        <dt>公开属性：</dt><dd>$disclosure</dd>
      </dl>
    </div>
    <h1 class="art-title">$title</h1>
    <div class="art-info">来源：$source　　发布时间：$pubtime　　浏览次数：<span id="hits">--</span>　　字号：<a href="javascript:setSize(18)">大</a> <a href="javascript:setSize(16)">中</a> <a href="javascript:setSize(14)">小</a></div>
<div class="content" id="j-show-body">
$body
</div>
    <div class="art-tools">
      <div class="share">分享：<a href="javascript:;" class="ico-wx">微信</a><a href="javascript:;" class="ico-wb">微博</a><a href="javascript:;" class="ico-qq">QQ</a></div>
      <div class="btns"><a href="javascript:window.print();">打印</a> <a href="javascript:window.close();">关闭</a> <a href="#top">返回顶部</a></div>
    </div>
    <div class="sxy">
      <p><span>上一条：</span>$prev</p>
      <p><span>下一条：</span>$next</p>
    </div>
  </div>"""

LIST_RE = re.compile(r"^/(\d+/\d+/\d+)/index(?:_(\d+))?\.html$")
DETAIL_RE = re.compile(r"^/\d+/\d+/\d+/content_\d+\.html$")


def _cn(date: str | None) -> str:
    if not date:
        return ""
    y, m, d = date.split("-")
    return f"{y}年{int(m)}月{int(d)}日"


class CustomPortal(PagedPortal):
    robots_extra = ("/admin/", "/search/")
    server_header = "Microsoft-IIS/8.5"

    def route(self, req: Request) -> Page | None:
        path = req.path
        if path in ("/", "/index.html"):
            return self.home()
        m = LIST_RE.match(path)
        if m:
            col = next((c for c in self.site.columns if c.path == m.group(1)), None)
            page = int(m.group(2) or 1)
            return self.list_page(col, page) if col and page >= 1 else None
        if DETAIL_RE.match(path):
            return self.detail_for(path)
        return None

    def _page(self, title: str, metas: list[str], col: ColumnSpec, main: str, script: str) -> str:
        return fill(
            PAGE, title=esc(title), metas="\n".join(metas), path=col.path,
            column_name=esc(col.name), main=main, script=script, **self.common(),
        )  # fmt: skip

    def list_page(self, col: ColumnSpec, page: int) -> Page | None:
        pages = self.pages(col)
        if page > pages:
            return None

        def name(i: int) -> str:
            return "index.html" if i == 1 else f"index_{i}.html"

        parts = [f'<a href="{name(1)}">首页</a>']
        if page > 1:
            parts.append(f'<a href="{name(page - 1)}">上一页</a>')
        for i in range(1, pages + 1):
            parts.append(f"<b>{i}</b>" if i == page else f'<a href="{name(i)}">{i}</a>')
        if page < pages:
            parts.append(f'<a href="{name(page + 1)}">下一页</a>')
        parts.append(f'<a href="{name(pages)}">尾页</a>')
        items = "\n".join(
            fill(ITEM, href=doc_path(self.site, d).rsplit("/", 1)[1], title=esc(d.title),
                 date=f"{d.published:%Y-%m-%d}")
            for d in self.chunk(col, page)
        )  # fmt: skip
        main = fill(LIST_MAIN, column_name=esc(col.name), items=items, links=" ".join(parts))
        metas = self.site_metas(col.name, col.name)
        text = self._page(f"{col.name}-{self.site.name}", metas, col, main, "hr_list")
        return Page(200, text, last_modified=self.portal.column_changed[col.key])

    def detail(self, doc: Doc) -> Page:
        col = self.site.column(doc.column)
        md = doc.metadata
        values = {k: esc(md.get(k) or "") for k in md}
        prev, nxt = self.neighbours(doc)
        main = fill(
            DETAIL_MAIN, title=esc(doc.title), body=body_html(doc),
            written=_cn(md.get("written_date")), published=_cn(md.get("published_date")),
            pubtime=f"{doc.published:%Y-%m-%d %H:%M}", prev=self.link(prev), next=self.link(nxt),
            **values,
        )  # fmt: skip
        text = self._page(f"{doc.title}-{self.site.name}", self.doc_metas(col, doc), col, main,
                          "hr_article")  # fmt: skip
        return Page(200, text, kind="detail", last_modified=doc.last_modified)
