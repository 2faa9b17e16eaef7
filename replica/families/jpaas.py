"""Hanweb's new Zhejiang platform "jpaas" (缙云县人民政府), DOMAIN.md §3.1.

The column page ``/col/col{ID}/index.html`` renders page 1 and a pagination div carrying
``count``/``rows``/``pageNo``/``queryData``; further pages come from
``/api-gateway/jpaas-publish-server/front/page/build/unit?…&pageNo=N`` as JSON
``{"success":true,"data":{"html":…}}``. Detail pages ``/col/col{ID}/art/{YYYY}/art_{32hex}.html``
follow ``tests/corpus/heldout/heldout-zj-jinyun-jpaas``.
"""

from __future__ import annotations

import json
import re

from ..sites import ColumnSpec
from ..world import Doc, doc_path
from .base import PER_PAGE, Page, Request, body_html, esc, fill
from .simple import PagedPortal

API_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"
COLUMN_RE = re.compile(r"^/col/col(\d+)/(?:index\.html)?$")
DETAIL_RE = re.compile(r"^/col/col\d+/art/\d{4}/art_[0-9a-f]{32}\.html$")
TAG_ID = "xxgk_list"

PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
$metas
<link rel="stylesheet" href="/jpaas-jpage-web-server/static/css/jpage.css">
<link rel="stylesheet" href="/static/jinyun/css/xxgk_detail.css">
<script src="/static/jinyun/js/jquery-3.6.0.min.js"></script>
$config
</head>
<body>
<div class="zj-top">
  <div class="wrap">
    <span class="zj-link"><a href="https://www.zj.gov.cn/" target="_blank">浙江政务服务网</a></span>
    <span class="zj-tools"><a href="javascript:;" class="jianfan">繁體</a> | <a href="javascript:;" class="wza">无障碍</a> | <a href="javascript:;" class="zz">长者模式</a> | <a href="https://$host/user/login">登录</a> | <a href="https://$host/user/reg">注册</a></span>
  </div>
</div>
<div class="header wrap"><a href="/" class="logo"><img src="/static/jinyun/images/logo.png" alt="$site_name"></a>
  <div class="search-box"><input placeholder="请输入关键字" id="keyword"><a href="javascript:;" id="searchBtn">搜索</a></div>
</div>
<div class="main-nav"><ul class="wrap">
  <li><a href="/">首页</a></li><li><a href="/col/col1229361400/index.html">政务动态</a></li><li class="cur"><a href="/col/col1229361401/index.html">政府信息公开</a></li><li><a href="/col/col1229361402/index.html">政务服务</a></li><li><a href="/col/col1229361403/index.html">政民互动</a></li><li><a href="/col/col1229361404/index.html">走进缙云</a></li>
</ul></div>
<div class="wrap">
  <div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1229361401/index.html">政府信息公开</a> &gt; <a href="/col/col$col_id/index.html">$column_name</a></div>
$main
</div>
<div class="footer">
  <div class="wrap">
    <p><a href="/col/col1229361499/index.html">网站地图</a> | <a href="/col/col1229361498/index.html">联系我们</a> | <a href="/col/col1229361497/index.html">隐私声明</a></p>
    <p>主办单位：$organizer　技术支持：$tech</p>
    <p>版权所有：$site_name　<a href="https://beian.miit.gov.cn/">$icp</a>　<a href="http://www.beian.gov.cn/">$gongan</a>　网站标识码：$sitecode</p>
    <p><span id="_ideConac"></span></p>
  </div>
</div>
<script id="_jiucuo_" sitecode='$sitecode' src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'></script>
<script src="/jpaas-jpage-web-server/static/js/jpage.js"></script>
</body>
</html>
"""

LIST_MAIN = """  <div class="xxgk-list">
    <div class="list-title"><span>$column_name</span></div>
    <div id="$tag_id">
$unit
    </div>
  </div>"""

UNIT = """<ul class="list-ul">
$items
</ul>
<div class="pagination" id="pagination_$col_id" count="$count" rows="$rows" pageNo="$page_no" queryData="{'webId':'$web_id','pageId':'$col_id','tagId':'$tag_id','tplSetId':'$tpl_set_id'}"></div>"""

ITEM = '<li><a href="$href" target="_blank" title="$title">$title</a><span class="date">$date</span></li>'

DETAIL_MAIN = """  <div class="xxgk-detail">
    <div class="xxgk-head">
      <table class="xxgk_table" width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td class="lab">索引号</td><td class="val">$index_no</td><td class="lab">组配分类</td><td class="val">$category</td></tr>
        <tr><td class="lab">发布机构</td><td class="val">$publisher</td><td class="lab">生成日期</td><td class="val">$written</td></tr>
        <tr><td class="lab">文件编号</td><td class="val">$doc_number</td><td class="lab">统一编号</td><td class="val">$unified</td></tr>
        <tr><td class="lab">发布日期</td><td class="val">$published</td><td class="lab">公开方式</td><td class="val">$disclosure</td></tr>
        <tr><td class="lab">有效性</td><td class="val" colspan="3">$validity</td></tr>
      </table>
    </div>
    <div class="article-title"><h1>$title</h1></div>
    <div class="article-info">
      <span>字号：<a href="javascript:;" onclick="fontZoom(20)">大</a> <a href="javascript:;" onclick="fontZoom(16)">中</a> <a href="javascript:;" onclick="fontZoom(14)">小</a></span>
      <span>访问量：<em id="visitNum"></em></span>
      <span><a href="javascript:;" class="voice-read">语音播报</a></span>
    </div>
<div class="article-conter" id="zoom">
<!--ZJEG_RSS.content.begin--><meta name="ContentStart">
$body
<meta name="ContentEnd"><!--ZJEG_RSS.content.end-->
</div>
    <div class="article-bottom">
      <div class="share-box">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a><a class="bds_zwd">浙里办</a></div>
      <div class="operate"><a href="javascript:window.print();">打印本页</a><a href="javascript:window.close();">关闭窗口</a></div>
      <div class="qr">扫一扫在手机打开当前页</div>
    </div>
  </div>"""


def _slash(date: str | None) -> str:
    """2024-02-26 -> 2024/2/26, as the platform prints dates."""
    if not date:
        return ""
    y, m, d = date.split("-")
    return f"{y}/{int(m)}/{int(d)}"


class JpaasPortal(PagedPortal):
    robots_extra = ("/admin/", "/user/", "/jsearchfront/")
    server_header = "nginx"
    xxgk_path = "/col/col1229361401/index.html"

    def content_type(self, page: Page) -> str:
        if page.kind == "json":
            return "application/json;charset=UTF-8"
        return super().content_type(page)

    def route(self, req: Request) -> Page | None:
        path = req.path
        if path in ("/", "/index.html"):
            return self.home()
        m = COLUMN_RE.match(path)
        if m:
            col = self._col(int(m.group(1)))
            return self.column_page(col) if col else None
        if path == API_PATH:
            return self.api(req.params)
        if DETAIL_RE.match(path):
            return self.detail_for(path)
        return None

    def _col(self, col_id: int) -> ColumnSpec | None:
        return next((c for c in self.site.columns if c.column_id == col_id), None)

    def unit(self, col: ColumnSpec, page: int, rows: int = PER_PAGE) -> str:
        docs = self.portal.column_docs(col.key)
        chunk = docs[(page - 1) * rows : page * rows]
        items = "\n".join(
            fill(ITEM, href=doc_path(self.site, d), title=esc(d.title), date=f"{d.published:%Y-%m-%d}")
            for d in chunk
        )
        return fill(
            UNIT, items=items, col_id=col.column_id, count=len(docs), rows=rows, page_no=page,
            web_id=self.site.extra["web_id"], tag_id=TAG_ID,
            tpl_set_id=self.site.extra["tpl_set_id"],
        )  # fmt: skip

    def _page(self, title: str, metas: list[str], col: ColumnSpec, main: str, config: str) -> str:
        return fill(
            PAGE, title=esc(title), metas="\n".join(metas), col_id=col.column_id,
            column_name=esc(col.name), main=main, config=config, **self.common(),
        )  # fmt: skip

    def column_page(self, col: ColumnSpec) -> Page:
        main = fill(LIST_MAIN, column_name=esc(col.name), tag_id=TAG_ID, unit=self.unit(col, 1))
        config = (
            f"<script>var jpaasConfig = {{ webId: '{self.site.extra['web_id']}', "
            f"pageId: '{col.column_id}', api: '{API_PATH}' }};</script>"
        )
        text = self._page(f"{col.name}_{self.site.name}", self.site_metas(col.name, "列表页"),
                          col, main, config)  # fmt: skip
        return Page(200, text, last_modified=self.portal.column_changed[col.key])

    def api(self, params: dict[str, str]) -> Page | None:
        try:
            col = self._col(int(params.get("pageId", "")))
            page = max(1, int(params.get("pageNo") or 1))
            rows = max(1, min(100, int(params.get("rows") or PER_PAGE)))
        except ValueError:
            return None
        if col is None or params.get("webId") != self.site.extra["web_id"]:
            body = {"success": False, "code": "400", "message": "参数错误", "data": None}
            return Page(200, json.dumps(body, ensure_ascii=False), kind="json")
        body = {"success": True, "code": "200", "message": "操作成功",
                "data": {"html": self.unit(col, page, rows)}}  # fmt: skip
        return Page(200, json.dumps(body, ensure_ascii=False), kind="json",
                    last_modified=self.portal.column_changed[col.key])  # fmt: skip

    def detail(self, doc: Doc) -> Page:
        col = self.site.column(doc.column)
        md = doc.metadata
        values = {k: esc(md.get(k) or "") for k in md}
        unified = f"ZJKC01-{doc.published.year}-{doc.serial:04d}" if doc.doc_number else ""
        main = fill(
            DETAIL_MAIN, title=esc(doc.title), body=body_html(doc), unified=unified,
            written=_slash(md.get("written_date")), published=_slash(md.get("published_date")),
            **values,
        )  # fmt: skip
        article_id = doc_path(self.site, doc).rsplit("art_", 1)[1].removesuffix(".html")
        config = (
            f"<script>var jpaasConfig = {{ webId: '{self.site.extra['web_id']}', "
            f"pageId: '{col.column_id}', articleId: '{article_id}', api: '{API_PATH}' }};</script>"
        )
        metas = self.doc_metas(col, doc) + [
            f'<meta name="Maketime" content="{doc.published:%Y-%m-%d %H:%M:%S}">'
        ]
        text = self._page(doc.title, metas, col, main, config)
        return Page(200, text, kind="detail", last_modified=doc.last_modified)
