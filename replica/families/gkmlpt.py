"""Guangdong 政府信息公开目录管理平台 gkmlpt (乳源瑶族自治县人民政府), DOMAIN.md §3.4.

``/gkmlpt/index`` carries ``window._CONFIG = {SID, TREE}``; the list API
``/gkmlpt/api/all/{catId}?page=N&sid=SID`` answers JSON (``total``, ``articles[]``); detail pages
``/gkmlpt/content/{a}/{b}/post_{id}.html`` follow ``tests/corpus/heldout/heldout-gd-ruyuan-gkmlpt``.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from ..sites import ColumnSpec
from ..world import Doc, doc_path
from .base import PER_PAGE, Page, Request, body_html, esc, fill
from .simple import PagedPortal

API_RE = re.compile(r"^/gkmlpt/api/all/(\d+)$")
DETAIL_RE = re.compile(r"^/gkmlpt/content/\d+/\d+/post_\d+\.html$")

TOP = """<div class="gkmlpt-topbar">
  <div class="w1200">
    <span class="welcome">欢迎访问$site_name门户网站</span>
    <span class="links"><a href="javascript:;" id="cniil_wza">无障碍浏览</a> | <a href="javascript:;" class="ariaskiptheme">长者模式</a> | <a href="http://$host/">返回首页</a></span>
  </div>
</div>
<div class="gkmlpt-header">
  <div class="w1200">
    <h2 class="site-name">$county政府信息公开</h2>
    <div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div>
  </div>
</div>
<div class="gkmlpt-nav">
  <ul class="w1200">
    <li><a href="/gkmlpt/index">政府信息公开目录</a></li>
    <li><a href="/gkmlpt/policy">政策文件</a></li>
    <li><a href="/zwgk/xxgkzn/">政府信息公开指南</a></li>
    <li><a href="/zwgk/xxgkzd/">政府信息公开制度</a></li>
    <li><a href="/zwgk/ndbg/">政府信息公开年报</a></li>
    <li><a href="/zwgk/ysqgk/">依申请公开</a></li>
  </ul>
</div>"""

FOOTER = """<div class="footer">
  <div class="w1200">
    <p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/wzsm/">网站声明</a></p>
    <p>主办：$organizer　承办：$tech</p>
    <p>版权所有：$site_name　<a href="https://beian.miit.gov.cn/">$icp</a>　<a href="http://www.beian.gov.cn/">$gongan</a>　网站标识码：$sitecode</p>
    <p><span id="_ideConac"></span></p>
  </div>
</div>
<script id="_jiucuo_" sitecode='$sitecode' src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'></script>"""

INDEX = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>政府信息公开目录-$site_name门户网站</title>
$metas
<link rel="stylesheet" href="/gkmlpt/static/css/common.css">
<link rel="stylesheet" href="/gkmlpt/static/css/index.css">
<script>
  window._CONFIG = { SID: '$sid', IS_GD: true, TREE: $tree, SERVICE_AREA_ID: '$sid' };
</script>
</head>
<body>
$top
<div class="w1200 content-box">
  <div class="position">当前位置：<a href="/gkmlpt/index">政府信息公开目录</a></div>
  <div id="app"><div class="tree"><ul>$tree_items</ul></div><div class="list" id="list"><noscript>请开启浏览器的JavaScript功能</noscript></div></div>
</div>
$footer
<script src="/gkmlpt/static/js/vendor.js"></script>
<script src="/gkmlpt/static/js/index.js"></script>
</body>
</html>
"""

DETAIL = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>$title-$site_name门户网站</title>
$metas
<link rel="stylesheet" href="/gkmlpt/static/css/common.css">
<link rel="stylesheet" href="/gkmlpt/static/css/content.css">
<script src="/gkmlpt/static/js/jquery.min.js"></script>
<script>
  window._CONFIG = { SID: '$sid', IS_GD: true, DETAIL: { id: $post_id, date: $stamp, publisher: '$publisher' } };
</script>
</head>
<body>
$top
<div class="w1200 content-box">
  <div class="position">当前位置：<a href="/gkmlpt/index">政府信息公开目录</a> &gt; <a href="/gkmlpt/index#$cat_id">$column_name</a></div>
  <div class="classify">
    <table class="table-head">
      <tbody>
        <tr>
          <td class="td-label">索引号：</td><td class="td-value"><span>$index_no</span></td>
          <td class="td-label">分类：</td><td class="td-value"><span>$category</span></td>
        </tr>
        <tr>
          <td class="td-label">发布机构：</td><td class="td-value"><span>$publisher</span></td>
          <td class="td-label">成文日期：</td><td class="td-value"><span>$written_date</span></td>
        </tr>
        <tr>
          <td class="td-label">名称：</td><td class="td-value" colspan="3"><span>$title</span></td>
        </tr>
        <tr>
          <td class="td-label">文号：</td><td class="td-value"><span>$doc_number</span></td>
          <td class="td-label">发布日期：</td><td class="td-value"><span>$pubdate</span></td>
        </tr>
      </tbody>
    </table>
  </div>
  <div class="content-container">
    <h1 class="content-title">$title</h1>
    <div class="content-toolbar">
      <span class="font-size">【字体：<a href="javascript:;" onclick="doZoom(18)">大</a> <a href="javascript:;" onclick="doZoom(16)">中</a> <a href="javascript:;" onclick="doZoom(14)">小</a>】</span>
      <span class="count">浏览次数：<em id="viewCount">-</em></span>
    </div>
<div class="article-content" id="article-content">
$body
</div>
    <div class="content-foot clearfix">
      <div class="share">分享到：<a class="share-wechat" title="微信">微信</a><a class="share-weibo" title="微博">微博</a><a class="share-qzone" title="QQ空间">QQ空间</a></div>
      <div class="operate"><a href="javascript:window.print();">【打印本页】</a> <a href="javascript:window.close();">【关闭窗口】</a></div>
    </div>
    <div class="qrcode"><div id="qr_container"></div><p>扫一扫在手机打开当前页</p></div>
    <div class="pre-next">
      <p>上一篇：$prev</p>
      <p>下一篇：$next</p>
    </div>
  </div>
</div>
$footer
<script src="/gkmlpt/static/js/content.js"></script>
</body>
</html>
"""


def _stamp(doc: Doc) -> int:
    """Unix time of the publication (the API's ``date``; pages show CST)."""
    return int((doc.published - timedelta(hours=8) - datetime(1970, 1, 1)).total_seconds())


class GkmlptPortal(PagedPortal):
    robots_extra = ("/admin/", "/gkmlpt/search")
    server_header = "nginx"
    xxgk_path = "/gkmlpt/index"

    @property
    def sid(self) -> str:
        return self.site.extra["sid"]

    def content_type(self, page: Page) -> str:
        if page.kind == "json":
            return "application/json;charset=UTF-8"
        return super().content_type(page)

    def column_url(self, col: ColumnSpec) -> str:
        return f"/gkmlpt/index#{col.column_id}"

    def route(self, req: Request) -> Page | None:
        path = req.path
        if path in ("/", "/index.html"):
            return self.home()
        if path in ("/gkmlpt/index", "/gkmlpt/", "/gkmlpt"):
            return self.index()
        m = API_RE.match(path)
        if m:
            return self.api(int(m.group(1)), req.params)
        if DETAIL_RE.match(path):
            return self.detail_for(path)
        return None

    def _top(self) -> str:
        return fill(TOP, county=self.site.county, **self.common())

    def index(self) -> Page:
        cols = self.site.columns
        tree = [
            {"id": c.column_id, "name": c.name, "post_count": len(self.portal.column_docs(c.key)),
             "children": []}
            for c in cols
        ]  # fmt: skip
        items = "".join(f'<li><a href="#{c.column_id}">{esc(c.name)}</a></li>' for c in cols)
        text = fill(
            INDEX, metas="\n".join(self.site_metas("政府信息公开目录", "政府信息公开目录")),
            sid=self.sid, tree=json.dumps(tree, ensure_ascii=False), tree_items=items,
            top=self._top(), footer=fill(FOOTER, **self.common()), **self.common(),
        )  # fmt: skip
        return Page(200, text, last_modified=self.portal.last_changed)

    def _article(self, col: ColumnSpec, doc: Doc) -> dict[str, object]:
        md = doc.metadata
        url = self.site.base_url + doc_path(self.site, doc)
        return {
            "id": doc.doc_id,
            "title": doc.title,
            "url": url,
            "post_url": url,
            "identifier": md.get("index_no") or "",
            "document_number": md.get("doc_number") or "",
            "publisher": md.get("publisher") or "",
            "date": _stamp(doc),
            "created_at": doc.published.strftime("%Y-%m-%d %H:%M:%S"),
            "display_publish_time": _stamp(doc),
            "classify_main_name": col.name,
            "classify_genre_name": "",
            "classify_theme_name": md.get("category") or "",
            "keywords": "",
            "abstract": "",
            "is_expired": False,
            "is_abolished": False,
            "attachment": [],
        }

    def api(self, cat_id: int, params: dict[str, str]) -> Page | None:
        col = next((c for c in self.site.columns if c.column_id == cat_id), None)
        if col is None or params.get("sid", self.sid) != self.sid:
            return None
        try:
            page = max(1, int(params.get("page") or 1))
        except ValueError:
            return None
        docs = self.portal.column_docs(col.key)
        data = {
            "classify": {"id": col.column_id, "name": col.name, "post_count": len(docs)},
            "total": len(docs),
            "page": page,
            "per_page": PER_PAGE,
            "articles": [self._article(col, d) for d in self.chunk(col, page)],
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return Page(200, text, kind="json", last_modified=self.portal.column_changed[col.key])

    def detail(self, doc: Doc) -> Page:
        col = self.site.column(doc.column)
        md = doc.metadata
        prev, nxt = self.neighbours(doc)
        values = {k: esc(md.get(k) or "") for k in md}
        text = fill(
            DETAIL,
            metas="\n".join(self.doc_metas(col, doc)),
            title=esc(doc.title),
            sid=self.sid,
            post_id=doc.doc_id,
            stamp=_stamp(doc),
            cat_id=col.column_id,
            column_name=esc(col.name),
            pubdate=f"{doc.published:%Y-%m-%d %H:%M}",
            body=body_html(doc),
            prev=self.link(prev),
            next=self.link(nxt),
            top=self._top(),
            footer=fill(FOOTER, **self.common()),
            **{**self.common(), **values},
        )
        return Page(200, text, kind="detail", last_modified=doc.last_modified)
