"""开普云 UCAP platform (闻喜县人民政府), DOMAIN.md §3.3 (URL shapes there are [U]).

Listings ``/{path}/index.shtml``, ``index_1.shtml`` … announced by a ``ucapPage({...})`` call
(0-based ``currentPage``) and plain 下一页 links; detail pages ``/{path}/{YYYYMM}/{32hex}.shtml``
follow ``tests/corpus/heldout/heldout-sx-wenxi-ucap`` (``#UCAP-CONTENT``, kaipuyun analytics).
"""

from __future__ import annotations

import re

from ..sites import ColumnSpec
from ..world import Doc, doc_path
from .base import Page, Request, body_html, esc, fill
from .simple import PagedPortal

PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1" />
<title>$title</title>
$metas
<link href="/images/ucap/common.css" rel="stylesheet" type="text/css" />
<link href="/images/ucap/xxgk_detail.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/images/ucap/jquery.min.js"></script>
</head>
<body>
<div class="header">
  <div class="header-top w1200">
    <div class="left">欢迎进入$site_name网站！</div>
    <div class="right"><a href="javascript:void(0)" onclick="SetHome(this,window.location)">设为首页</a> | <a href="javascript:void(0)" onclick="AddFavorite()">加入收藏</a> | <a href="javascript:void(0)" id="wza">无障碍浏览</a> | <a href="/mobile/">手机版</a></div>
  </div>
  <div class="logo w1200"><a href="/"><img src="/images/ucap/logo.png" alt="$site_name" /></a>
    <div class="search"><form action="/search/" method="get"><input type="text" name="q" value="请输入搜索内容" /><input type="submit" value="搜索" /></form></div>
  </div>
  <div class="nav"><ul class="w1200">
    <li><a href="/">首页</a></li><li><a href="/zjwx/">走进闻喜</a></li><li><a href="/xwzx/">新闻中心</a></li><li class="on"><a href="/xxgk/">信息公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/ztzl/">专题专栏</a></li>
  </ul></div>
</div>
<div class="w1200 main">
  <div class="location">您现在的位置：<a href="/">首页</a>$crumbs</div>
$main
</div>
<div class="footer">
  <div class="w1200">
    <div class="ft-link"><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/mzsm/">免责声明</a></div>
    <p>主办：$organizer　　承办：$tech</p>
    <p>版权所有 &copy; $site_name　$icp　<a href="http://www.beian.gov.cn/">$gongan</a>　网站标识码：$sitecode</p>
    <p>建议使用1366×768分辨率浏览本网站</p>
    <div class="ft-icons"><span id="_ideConac"></span><script id="_jiucuo_" sitecode='$sitecode' src='http://pucha.kaipuyun.cn/exposure/jiucuo.js'></script></div>
  </div>
</div>
<script type="text/javascript" src="//fxsjcj.kaipuyun.cn/count/$kpy/$kpy.js" id="kpyfx_js_id_$kpy"></script>
<script type="text/javascript" src="/images/ucap/$script.js"></script>
</body>
</html>
"""

LIST_MAIN = """  <div class="list-box">
    <div class="list-title"><h2>$column_name</h2></div>
    <ul class="list_ul">
$items
    </ul>
    <div class="page" id="page_div">$links</div>
    <script type="text/javascript">ucapPage({pageCount: $pages, currentPage: $current, pageName: "index", pageExt: "shtml"});</script>
  </div>"""

ITEM = '      <li><a href="$href" target="_blank" title="$title">$title</a><span class="time">$date</span></li>'

DETAIL_MAIN = """  <div class="policy">
    <table border="0" cellpadding="0" cellspacing="1" class="bd1">
      <tbody>
        <tr>
          <td class="t1" width="92">索 引 号：</td><td width="260">$index_no</td>
          <td class="t1" width="92">主题分类：</td><td>$category</td>
        </tr>
        <tr>
          <td class="t1">发文机关：</td><td>$publisher</td>
          <td class="t1">成文日期：</td><td>$written_date</td>
        </tr>
        <tr>
          <td class="t1">标　　题：</td><td colspan="3">$title</td>
        </tr>
        <tr>
          <td class="t1">发文字号：</td><td>$doc_number</td>
          <td class="t1">发布日期：</td><td>$published_date</td>
        </tr>
      </tbody>
    </table>
  </div>
  <div class="article">
    <h1 class="article-title">$title</h1>
    <div class="pages-date">$pubtime　<span class="font">来源：$source</span>
      <span class="font index_switchsize">【字体：<span onclick="changeSize(20)">大</span> <span onclick="changeSize(16)">中</span> <span onclick="changeSize(12)">小</span>】</span>
      <span class="font"><a href="javascript:void(0)" onclick="printit()">打印</a></span>
    </div>
<div class="pages_content" id="UCAP-CONTENT">
<UCAPCONTENT>
$body
</UCAPCONTENT>
</div>
    <div class="pages_print">
      <div class="share">分享到：<a href="javascript:void(0)" class="wx" title="微信">微信</a><a href="javascript:void(0)" class="wb" title="新浪微博">新浪微博</a></div>
      <div class="ewm"><div id="qrcode"></div><p>扫一扫在手机打开当前页</p></div>
      <div class="close"><a href="javascript:window.opener=null;window.open('','_self');window.close();">【关闭窗口】</a></div>
    </div>
    <div class="related-link">
      <h3>相关稿件</h3>
      <ul>
        <li>$prev</li>
        <li>$next</li>
      </ul>
    </div>
  </div>"""

LIST_RE = re.compile(r"^/(.+)/index(?:_(\d+))?\.shtml$")
DETAIL_RE = re.compile(r"^/.+/\d{6}/[0-9a-f]{32}\.shtml$")


class UcapPortal(PagedPortal):
    robots_extra = ("/admin/", "/search/")
    server_header = "nginx"
    xxgk_path = "/xxgk/"

    def route(self, req: Request) -> Page | None:
        path = req.path
        if path in ("/", "/index.shtml", "/xxgk/"):
            return self.home()
        m = LIST_RE.match(path)
        if m:
            col = next((c for c in self.site.columns if c.path == m.group(1)), None)
            return self.list_page(col, int(m.group(2) or 0)) if col else None
        for col in self.site.columns:
            if path == f"/{col.path}/":
                return self.list_page(col, 0)
        if DETAIL_RE.match(path):
            return self.detail_for(path)
        return None

    def _crumbs(self, col: ColumnSpec) -> str:
        hrefs = ["/xxgk/", "/xxgk/zfxxgk/", "/xxgk/zfxxgk/fdzdgknr/", f"/{col.path}/"]
        return "".join(f' &gt; <a href="{h}">{esc(label)}</a>'
                       for h, label in zip(hrefs, col.breadcrumb, strict=False))  # fmt: skip

    def _page(self, title: str, metas: list[str], col: ColumnSpec, main: str, script: str) -> str:
        return fill(
            PAGE, title=esc(title), metas="\n".join(metas), crumbs=self._crumbs(col), main=main,
            kpy=self.site.extra["kpy_id"], script=script, **self.common(),
        )  # fmt: skip

    def list_page(self, col: ColumnSpec, index: int) -> Page | None:
        pages = self.pages(col)
        if index >= pages:
            return None

        def name(i: int) -> str:
            return "index.shtml" if i == 0 else f"index_{i}.shtml"

        links = " ".join(
            [f"共{pages}页"]
            + ([f'<a href="{name(0)}">首页</a>', f'<a href="{name(index - 1)}">上一页</a>']
               if index else [])
            + ([f'<a href="{name(index + 1)}">下一页</a>', f'<a href="{name(pages - 1)}">尾页</a>']
               if index + 1 < pages else [])
        )  # fmt: skip
        items = "\n".join(
            fill(ITEM, href="./" + doc_path(self.site, d).removeprefix(f"/{col.path}/"),
                 title=esc(d.title), date=f"{d.published:%Y-%m-%d}")
            for d in self.chunk(col, index + 1)
        )  # fmt: skip
        main = fill(LIST_MAIN, column_name=esc(col.name), items=items, links=links, pages=pages,
                    current=index)  # fmt: skip
        metas = self.site_metas(col.name, col.name)
        text = self._page(f"{col.name}_{self.site.name}", metas, col, main, "xxgk_list")
        return Page(200, text, last_modified=self.portal.column_changed[col.key])

    def detail(self, doc: Doc) -> Page:
        col = self.site.column(doc.column)
        md = doc.metadata
        values = {k: esc(md.get(k) or "") for k in md}
        prev, nxt = self.neighbours(doc)
        main = fill(
            DETAIL_MAIN, title=esc(doc.title), body=body_html(doc),
            pubtime=f"{doc.published:%Y-%m-%d %H:%M}", prev=self.link(prev), next=self.link(nxt),
            **values,
        )  # fmt: skip
        url = self.site.base_url + doc_path(self.site, doc)
        metas = self.doc_metas(col, doc) + [
            f'<meta name="Description" content="{esc(doc.title)}" />',
            f'<meta name="Url" content="{url}" />',
        ]
        text = self._page(doc.title, metas, col, main, "xxgk_detail")
        return Page(200, text, kind="detail", last_modified=doc.last_modified)
