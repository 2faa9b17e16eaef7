"""Shandong 集约化 disclosure platform ``/gongkai/`` (成武县人民政府), DOMAIN.md §3.6.

Channel listings ``/gongkai/site_{site}/channel_{24hex}/`` page with ``?page=N`` (a 下一页 link and
``共N页``); detail pages ``…/channel_{24hex}/doc_{24hex}.html`` follow
``tests/corpus/heldout/heldout-sd-chengwu-jiyue`` (UTF-8 with a BOM, no charset in the header).
"""

from __future__ import annotations

import re

from ..sites import ColumnSpec
from ..world import Doc, doc_path
from .base import Page, Request, esc, fill
from .simple import PagedPortal

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="renderer" content="webkit">
<title>$title</title>
$metas
<link rel="stylesheet" href="/gongkai/static/css/gk_common.css">
<link rel="stylesheet" href="/gongkai/static/css/gk_detail.css">
<script src="/gongkai/static/js/jquery-1.12.4.min.js"></script>
</head>
<body>
<div class="top-bar">
  <div class="container">
    <div class="fl">今天是<span id="today"></span></div>
    <div class="fr"><a href="http://$host/">网站首页</a><a href="javascript:;" id="toolbarHandler">无障碍</a><a href="javascript:;" class="older">关怀版</a><a href="/gongkai/site_$code/ysqgk/">依申请公开</a></div>
  </div>
</div>
<div class="gk-header">
  <div class="container"><img src="/gongkai/static/images/gk_logo.png" alt="$organizer 政府信息公开"></div>
</div>
<div class="gk-nav">
  <div class="container">
    <a href="/gongkai/site_$code/">信息公开首页</a>
    <a href="/gongkai/site_$code/xxgkzn/">政府信息公开指南</a>
    <a href="/gongkai/site_$code/xxgkzd/">政府信息公开制度</a>
    <a href="/gongkai/site_$code/fdzdgknr/">法定主动公开内容</a>
    <a href="/gongkai/site_$code/xxgknb/">政府信息公开年报</a>
  </div>
</div>
<div class="container">
  <div class="crumbs">您的位置：<a href="/gongkai/site_$code/">首页</a> &gt; <a href="/gongkai/site_$code/fdzdgknr/">法定主动公开内容</a> &gt; <a href="/gongkai/site_$code/channel_$channel/">$column_name</a></div>
$main
</div>
<div class="footer">
  <div class="container">
    <div class="footer-links"><a href="http://$host/col/col8093/index.html">关于我们</a>|<a href="http://$host/sitemap/">网站地图</a>|<a href="http://$host/lxwm/">联系我们</a></div>
    <p>主办单位：$organizer　地址：$address</p>
    <p>版权所有：$site_name　<a href="https://beian.miit.gov.cn">$icp</a>　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=$gongan_no">$gongan</a>　网站标识码：$sitecode</p>
    <p><span id="_ideConac"></span><script id="_jiucuo_" sitecode='$sitecode' src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'></script></p>
  </div>
</div>
<script src="/gongkai/static/js/gk_detail.js"></script>
<script>$$(function(){ $$('#today').text(new Date().toLocaleDateString()); });</script>
</body>
</html>
"""

LIST_MAIN = """  <div class="list-box">
    <div class="list-title">$column_name</div>
    <ul class="gk-list">
$items
    </ul>
    <div class="page">共$total条 共$pages页 当前第$current页 $links</div>
  </div>"""

ITEM = '      <li><a href="$href" target="_blank" title="$title">$title</a><span>$date</span></li>'

DETAIL_MAIN = """  <div class="detail-box">
    <table class="xxgk-table" cellspacing="0" cellpadding="0">
      <tr>
        <th>索引号</th><td>$index_no</td>
        <th>公开主体</th><td>$publisher</td>
      </tr>
      <tr>
        <th>组配分类</th><td>$category</td>
        <th>成文日期</th><td>$written</td>
      </tr>
      <tr>
        <th>发文字号</th><td>$doc_number_raw</td>
        <th>发布日期</th><td>$published</td>
      </tr>
      <tr>
        <th>有效性</th><td>$validity</td>
        <th>公开方式</th><td>$disclosure</td>
      </tr>
    </table>
    <div class="detail-title">
      <h1>$title</h1>
    </div>
    <div class="detail-tool">
      <span class="fontsize">字号：<a href="javascript:;" data-size="20">大</a> <a href="javascript:;" data-size="18">中</a> <a href="javascript:;" data-size="16">小</a></span>
      <span class="views">浏览次数：<i id="hits">1</i></span>
      <span class="print"><a href="javascript:window.print()">打印</a></span>
    </div>
<div class="wz_content" id="zoom">
$body
</div>
    <div class="detail-share">
      <div class="bdsharebuttonbox">分享到：<a class="bds_weixin" title="分享到微信">微信</a><a class="bds_tsina" title="分享到新浪微博">微博</a><a class="bds_qzone" title="分享到QQ空间">QQ空间</a></div>
      <div class="code"><img src="/gongkai/static/images/qrcode_blank.png" alt=""><span>扫一扫在手机上查看当前页面</span></div>
      <div class="close"><a href="javascript:window.close();">关闭</a></div>
    </div>
    <div class="prev-next">
      <div>上一篇：$prev</div>
      <div>下一篇：$next</div>
    </div>
  </div>"""

BODY_P = (
    '<p style="text-indent: 2em; line-height: 2em;">'
    '<span style="font-family: 仿宋_GB2312; font-size: 16pt;">$text</span></p>'
)
BODY_TAIL = (
    '<p style="text-align: right; line-height: 2em;">'
    '<span style="font-family: 仿宋_GB2312; font-size: 16pt;">$text</span></p>'
)


def _cn_date(date: str | None, pad: bool) -> str:
    """2024-03-01 -> 2024年03月01日 (pad) or 2024年3月1日."""
    if not date:
        return ""
    y, m, d = date.split("-")
    return f"{y}年{m}月{d}日" if pad else f"{y}年{int(m)}月{int(d)}日"


class ShandongPortal(PagedPortal):
    robots_extra = ("/admin/", "/gongkai/search/")
    server_header = "nginx"

    @property
    def code(self) -> str:
        return self.site.extra["site_code"]

    @property
    def xxgk_path(self) -> str:  # type: ignore[override]
        return f"/gongkai/site_{self.code}/"

    def encode(self, page: Page) -> bytes:
        body = super().encode(page)
        return b"\xef\xbb\xbf" + body if page.kind == "detail" else body  # the CMS writes a BOM

    def route(self, req: Request) -> Page | None:
        path = req.path
        if path in ("/", "/index.html", self.xxgk_path):
            return self.home()
        m = re.fullmatch(rf"/gongkai/site_{self.code}/channel_([0-9a-f]{{24}})/(?:index\.html)?",
                         path)  # fmt: skip
        if m:
            col = next((c for c in self.site.columns if c.channel == m.group(1)), None)
            try:
                page = max(1, int(req.params.get("page") or 1))
            except ValueError:
                return None
            return self.list_page(col, page) if col else None
        if re.fullmatch(rf"/gongkai/site_{self.code}/channel_[0-9a-f]{{24}}/doc_[0-9a-f]{{24}}\.html",
                        path):  # fmt: skip
            return self.detail_for(path)
        return None

    def _page(self, title: str, metas: list[str], col: ColumnSpec, main: str) -> str:
        return fill(
            PAGE, title=esc(title), metas="\n".join(metas), code=self.code, channel=col.channel,
            column_name=esc(col.name), main=main, **self.common(),
        )  # fmt: skip

    def list_page(self, col: ColumnSpec, page: int) -> Page | None:
        pages = self.pages(col)
        if page > pages:
            return None
        base = f"/gongkai/site_{self.code}/channel_{col.channel}/"

        def a(label: str, target: int, enabled: bool) -> str:
            href = base if target == 1 else f"{base}?page={target}"
            return f'<a href="{href}">{label}</a>' if enabled else f"<span>{label}</span>"

        links = " ".join([a("首页", 1, page > 1), a("上一页", page - 1, page > 1),
                          a("下一页", page + 1, page < pages), a("尾页", pages, page < pages)])  # fmt: skip
        items = "\n".join(
            fill(ITEM, href=doc_path(self.site, d), title=esc(d.title), date=f"{d.published:%Y-%m-%d}")
            for d in self.chunk(col, page)
        )
        main = fill(LIST_MAIN, column_name=esc(col.name), items=items, current=page, pages=pages,
                    total=len(self.portal.column_docs(col.key)), links=links)  # fmt: skip
        text = self._page(f"{col.name}_{self.site.name}", self.site_metas(col.name, "信息公开"),
                          col, main)  # fmt: skip
        return Page(200, text, last_modified=self.portal.column_changed[col.key])

    def detail(self, doc: Doc) -> Page:
        col = self.site.column(doc.column)
        md = doc.metadata
        values = {k: esc(md.get(k) or "") for k in md}
        lines = doc.html_lines
        body = "\n".join(
            fill(BODY_TAIL if i >= len(lines) - 2 else BODY_P, text=esc(line))
            for i, line in enumerate(lines)
        )
        number = (md.get("doc_number") or "").replace("〔", "[").replace("〕", "]")
        prev, nxt = self.neighbours(doc)
        main = fill(
            DETAIL_MAIN, title=esc(doc.title), body=body, doc_number_raw=esc(number),
            written=_cn_date(md.get("written_date"), pad=False),
            published=_cn_date(md.get("published_date"), pad=True),
            prev=self.link(prev), next=self.link(nxt), **values,
        )  # fmt: skip
        metas = self.doc_metas(col, doc)
        text = self._page(f"{doc.title}_{self.site.name}", metas, col, main)
        return Page(200, text, kind="detail", last_modified=doc.last_modified)
