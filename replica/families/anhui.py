"""Anhui 集约化 platform, 龙讯 Lonsun style (濉溪县人民政府).

Detail pages ``/zwgk/public/{organId}/{contentId}.html`` with a ``table_suoyin`` disclosure table;
listings ``/zwgk/public/column/{organId}?type=4&catId=…&action=list[&pageIndex=N]``.
"""

from __future__ import annotations

import re

from ..sites import ColumnSpec
from ..world import Doc, doc_path
from .base import PER_PAGE, FamilyPortal, Page, Request, body_html, esc, fill, page_count

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<meta name="renderer" content="webkit">
$metas
<title>$title</title>
<link rel="stylesheet" type="text/css" href="/assets/css/common.css">
<link rel="stylesheet" type="text/css" href="/assets/css/xxgk.css">
<script type="text/javascript" src="/assets/js/jquery.min.js"></script>
<script type="text/javascript" src="/assets/js/common.js"></script>
</head>
<body>
$header
<div class="container">
$breadcrumb
$main
</div>
$footer
<script type="text/javascript" src="/assets/js/ls.fontsize.js"></script>
<script type="text/javascript">var organId = "$organ_id";</script>
</body>
</html>
"""

HEADER = """<div class="top">
  <div class="wrap clearfix">
    <div class="top_left">欢迎访问$site_name门户网站</div>
    <div class="top_right"><a href="javascript:void(0)" id="cniil_wza">无障碍浏览</a> | <a href="javascript:void(0)" class="ls-aged">长者模式</a> | <a href="javascript:void(0)" id="StranLink">繁體</a> | <a href="/site/tpl/4631">网站地图</a> | <a href="/site/tpl/4632">手机版</a></div>
  </div>
</div>
<div class="header"><div class="wrap">
  <a class="logo" href="/"><img src="/assets/images/logo.png" alt="$site_name"></a>
  <div class="search"><form action="/site/search/4611" method="get" target="_blank"><input type="text" name="keywords" placeholder="请输入关键字"><button type="submit">搜索</button></form></div>
</div></div>
<div class="nav"><ul class="wrap clearfix">
  <li><a href="/">首页</a></li>
  <li><a href="/zwgk/index.html">政务公开</a></li>
  <li><a href="/zwgk/index.html">政府信息公开</a></li>
  <li><a href="$col1_url">$col1_name</a></li>
  <li><a href="$col2_url">$col2_name</a></li>
  <li><a href="/site/tpl/4621">政务服务</a></li>
  <li><a href="/site/tpl/4622">互动交流</a></li>
</ul></div>"""

BREADCRUMB = """<div class="dqwz">当前位置：<a href="/">首页</a>$crumbs</div>"""

FOOTER = """<div class="footer">
  <div class="wrap">
    <div class="foot_nav"><a href="/site/tpl/4631">网站地图</a> | <a href="/site/tpl/4633">联系我们</a> | <a href="/site/tpl/4634">网站声明</a> | <a href="/site/tpl/4635">意见反馈</a></div>
    <div class="foot_con">
      <p>主办单位：$organizer　　版权所有：$site_name</p>
      <p>地址：$address　　联系电话：$phone</p>
      <p>网站标识码：$sitecode　　<a href="https://beian.miit.gov.cn/" target="_blank">$icp</a>　　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=$gongan_no" target="_blank">$gongan</a></p>
      <p>技术支持：$tech</p>
    </div>
    <div class="foot_icon"><span id="_ideConac"></span><a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=$sitecode" target="_blank"><img src="/assets/images/jiucuo.png" alt="政府网站找错"></a></div>
  </div>
</div>"""

LIST_MAIN = """<div class="xxgk_main clearfix">
  <div class="xxgk_left"><div class="xxgk_lm">信息公开目录</div><ul>
    <li><a href="$col1_url">$col1_name</a></li><li><a href="$col2_url">$col2_name</a></li>
  </ul></div>
  <div class="xxgk_right">
    <div class="xxgk_title"><span>$column_name</span></div>
    <div class="xxgk_list">
      <ul class="clearfix xxgk_nav_list">
$items
      </ul>
    </div>
    <div class="pagination">共 $total 条 共 $pages 页 当前第 $current 页 $links</div>
  </div>
</div>"""

LIST_ITEM = (
    '        <li><a href="$href" target="_blank" title="$title">$title</a>'
    '<span class="date">$date</span></li>'
)

DETAIL_MAIN = """<div class="xxgk_detail">
  <table class="table_suoyin" cellspacing="0" cellpadding="0" width="100%" align="center" border="0">
    <tr><th width="15%">索引号：</th><td width="35%">$index_no</td><th width="15%">组配分类：</th><td width="35%">$category</td></tr>
    <tr><th>发布机构：</th><td>$publisher</td><th>生成日期：</th><td>$written_date</td></tr>
    <tr><th>发布日期：</th><td>$published_date</td><th>文号：</th><td>$doc_number</td></tr>
    <tr><th>有效性：</th><td>$validity</td><th>废止日期：</th><td>$abolished_date</td></tr>
    <tr><th>名称：</th><td colspan="3" class="title">$title</td></tr>
  </table>
  <div class="wzcon">
    <h1 class="newstitle">$title</h1>
    <div class="newsinfo">
      <span class="source">来源：$source</span><span class="time">发布时间：$pubdate</span>
      <span class="fontsize">文字大小：[<a href="javascript:void(0)" class="t_da">大</a> <a href="javascript:void(0)" class="t_zhong">中</a> <a href="javascript:void(0)" class="t_xiao">小</a>]</span>
      <span class="bgcolor">背景色：<a href="javascript:void(0)" style="background:#FAFBE6"></a><a href="javascript:void(0)" style="background:#FFF2E2"></a><a href="javascript:void(0)" style="background:#E3EDCD"></a><a href="javascript:void(0)" style="background:#F6F6F6"></a></span>
    </div>
    <div class="j-fontContent newscontnet" id="zoom">
$body
    </div>
    <div class="fjdown">$attachments</div>
    <div class="newsbottom clearfix">
      <div class="share">分享到：<a href="javascript:void(0)" class="wx" title="微信">微信</a> <a href="javascript:void(0)" class="wb" title="微博">微博</a> <a href="javascript:void(0)" class="qzone" title="QQ空间">QQ空间</a></div>
      <div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
    </div>
    <div class="ewm"><div id="qrcode"></div><p>扫一扫在手机打开当前页</p></div>
    <div class="prevnext"><p>上一篇：$prev</p><p>下一篇：$next</p></div>
  </div>
</div>"""

HOME_MAIN = """<div class="home">
  $blocks
</div>"""

HOME_BLOCK = """<div class="home_block">
    <div class="block_tit"><span>$name</span><a class="more" href="$url">更多&gt;&gt;</a></div>
    <ul>$items</ul>
  </div>"""

NOT_FOUND = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>页面不存在 - $site_name</title><link rel="stylesheet" href="/assets/css/common.css"></head>
<body><div class="error-page"><div class="error-code">404</div>
<p>抱歉！您访问的页面不存在或已被删除。</p>
<p><a href="/">返回首页</a></p></div></body>
</html>
"""

DETAIL_RE = re.compile(r"^/zwgk/public/(\d+)/(\d+)\.html$")


class AnhuiPortal(FamilyPortal):
    robots_extra = ("/site/search/", "/admin/", "/module/visitcount/", "/group3/")
    server_header = "nginx"

    @property
    def organ_id(self) -> str:
        return self.site.extra["organ_id"]

    def _list_url(self, col: ColumnSpec, page: int | None = None) -> str:
        url = f"/zwgk/public/column/{self.organ_id}?type=4&catId={col.cat_id}&action=list"
        return url if page is None else f"{url}&pageIndex={page}"

    def _common(self) -> dict[str, object]:
        s = self.site
        c1, c2 = s.columns
        return {
            "site_name": s.name,
            "col1_url": esc(self._list_url(c1)),
            "col1_name": c1.name,
            "col2_url": esc(self._list_url(c2)),
            "col2_name": c2.name,
            "organizer": s.organizer,
            "address": s.address,
            "phone": s.phone,
            "tech": s.tech_support,
            "icp": s.icp,
            "sitecode": s.site_id_code,
            "gongan": s.gongan,
            "gongan_no": s.gongan.split()[-1].rstrip("号"),
            "organ_id": self.organ_id,
        }

    def _site_metas(self, column: str, column_type: str) -> list[str]:
        s = self.site
        return [
            f'<meta name="SiteName" content="{esc(s.name)}">',
            f'<meta name="SiteDomain" content="{s.host}">',
            f'<meta name="SiteIDCode" content="{s.site_id_code}">',
            f'<meta name="ColumnName" content="{esc(column)}">',
            f'<meta name="ColumnType" content="{esc(column_type)}">',
        ]

    def _crumbs(self, labels: tuple[str, ...], col: ColumnSpec | None) -> str:
        parts = []
        for i, label in enumerate(labels):
            href = self._list_url(col) if (col and i == len(labels) - 1) else "/zwgk/index.html"
            parts.append(f' &gt; <a href="{esc(href)}">{esc(label)}</a>')
        return fill(BREADCRUMB, crumbs="".join(parts))

    def _page(self, title: str, metas: list[str], crumbs: str, main: str) -> str:
        common = self._common()
        return fill(
            PAGE,
            title=esc(title),
            metas="\n".join(metas),
            header=fill(HEADER, **common),
            breadcrumb=crumbs,
            main=main,
            footer=fill(FOOTER, **common),
            organ_id=self.organ_id,
        )

    # ------------------------------------------------------------------ routing
    def route(self, req: Request) -> Page | None:
        path = req.path
        if path in ("/", "/index.html"):
            return self.home(xxgk=False)
        if path in ("/zwgk/", "/zwgk/index.html"):
            return self.home(xxgk=True)
        if path == f"/zwgk/public/column/{self.organ_id}":
            params = req.params
            if params.get("action", "list") != "list":
                return None
            try:
                cat_id = int(params.get("catId", ""))
                page = int(params.get("pageIndex") or 1)
            except ValueError:
                return None
            col = next((c for c in self.site.columns if c.cat_id == cat_id), None)
            return self.list_page(col, max(1, page)) if col else None
        if DETAIL_RE.match(path):
            doc = self.portal.by_path(path)
            return self.detail(doc) if doc else None
        return None

    def not_found(self) -> str:
        return fill(NOT_FOUND, site_name=self.site.name)

    # ------------------------------------------------------------------ pages
    def home(self, xxgk: bool) -> Page:
        blocks = []
        for col in self.site.columns:
            items = "".join(
                f'<li><a href="{doc_path(self.site, d)}" target="_blank" title="{esc(d.title)}">'
                f"{esc(d.title)}</a><span>{d.published:%Y-%m-%d}</span></li>"
                for d in self.portal.column_docs(col.key)[:8]
            )
            blocks.append(
                fill(HOME_BLOCK, name=col.name, url=esc(self._list_url(col)), items=items)
            )
        main = fill(HOME_MAIN, blocks="\n  ".join(blocks))
        name = "政府信息公开" if xxgk else "首页"
        crumbs = self._crumbs(("政务公开",), None) if xxgk else ""
        text = self._page(f"{name}-{self.site.name}", self._site_metas(name, "首页"), crumbs, main)
        return Page(200, text, last_modified=self.portal.last_changed)

    def list_page(self, col: ColumnSpec, page: int) -> Page:
        docs = self.portal.column_docs(col.key)
        pages = page_count(len(docs))
        chunk = docs[(page - 1) * PER_PAGE : page * PER_PAGE]
        items = "\n".join(
            fill(LIST_ITEM, href=doc_path(self.site, d), title=esc(d.title),
                 date=d.published.strftime("%Y-%m-%d"))
            for d in chunk
        )

        def a(label: str, target: int, enabled: bool) -> str:
            if not enabled:
                return f'<span class="disabled">{label}</span>'
            return f'<a href="{esc(self._list_url(col, target))}">{label}</a>'

        links = " ".join(
            [
                a("首页", 1, page > 1),
                a("上一页", page - 1, page > 1),
                a("下一页", page + 1, page < pages),
                a("尾页", pages, page < pages),
            ]
        )
        main = fill(
            LIST_MAIN, column_name=col.name, items=items, total=len(docs), pages=pages,
            current=page, links=links, **self._common(),
        )
        text = self._page(f"{col.name}-{self.site.name}", self._site_metas(col.name, "列表页"),
                          self._crumbs(col.breadcrumb, col), main)
        return Page(200, text, last_modified=self.portal.column_changed[col.key])

    def detail(self, doc: Doc) -> Page:
        col = self.site.column(doc.column)
        md = doc.metadata
        docs = self.portal.column_docs(col.key)
        i = docs.index(doc)

        def link(d: Doc | None) -> str:
            if d is None:
                return "无"
            return f'<a href="{doc_path(self.site, d)}">{esc(d.title)}</a>'

        values = {k: esc(md.get(k) or "") for k in md}
        pub = doc.published.strftime("%Y-%m-%d %H:%M")
        main = fill(
            DETAIL_MAIN,
            title=esc(doc.title),
            pubdate=pub,
            body=body_html(doc),
            attachments="",
            prev=link(docs[i - 1] if i > 0 else None),
            next=link(docs[i + 1] if i + 1 < len(docs) else None),
            **values,
        )
        metas = self._site_metas(col.name, "信息公开") + [
            f'<meta name="ArticleTitle" content="{esc(doc.title)}">',
            f'<meta name="PubDate" content="{pub}">',
            f'<meta name="ContentSource" content="{values["source"]}">',
            f'<meta name="Keywords" content="{esc(col.name)}">',
        ]
        text = self._page(f"{doc.title}-{self.site.name}", metas,
                          self._crumbs(col.breadcrumb, col), main)
        return Page(200, text, kind="detail", last_modified=doc.last_modified)
