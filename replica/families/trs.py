"""拓尔思 TRS WCM portals (襄都区, 清远市司法局, 鲁山县), served as GBK bytes.

Modelled on ``realpages/pingtan__*.html`` (index_box metadata block, breadcrumb, share box) and
``realpages/trs__*`` (TRS_Editor body, createPageHTML pagination, SiteIDCode metas).
Pagination: ``index.html``, ``index_1.html`` … ``index_{N-1}.html``.
"""

from __future__ import annotations

import re

from ..sites import ColumnSpec
from ..world import Doc, doc_path
from .base import PER_PAGE, FamilyPortal, Page, Request, body_html, esc, fill, page_count

PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=$meta_charset">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="renderer" content="webkit">
$metas
<title>$title</title>
<link rel="stylesheet" type="text/css" href="/images/trt_ui_v2.css">
<link rel="stylesheet" type="text/css" href="/images/trt_component_v2.css">
<link rel="stylesheet" type="text/css" href="/images/xxgk_style.css">
<script type="text/javascript" src="/js/jquery-1.11.3.min.js"></script>
</head>
<body>
<div class="warp">
$header
<div class="main"><div class="content">
$breadcrumb
$main
</div></div>
$footer
</div>
<script type="text/javascript" src="/js/trs_common.js"></script>
<script type="text/javascript" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>
</body>
</html>
"""

HEADER = """<!--头部开始-->
<div class="header">
  <div class="top_bar">
    <div class="w1200">
      <span class="today">今天是$today</span>
      <span class="top_links"><a href="/">首页</a> | <a href="javascript:void(0);" onclick="SetHome(this,window.location)">设为首页</a> | <a href="javascript:void(0);" onclick="AddFavorite()">加入收藏</a> | <a href="javascript:void(0);" id="barrierFreeBtn">无障碍浏览</a> | <a href="javascript:void(0);" class="aged_link_01">长者模式</a> | <a href="javascript:void(0);" id="zh_click_s">简</a> | <a href="javascript:void(0);" id="zh_click_t">繁</a></span>
    </div>
  </div>
  <div class="logo_box w1200"><a href="/"><img src="/images/logo.png" alt="$site_name"></a>
    <div class="search_box"><form action="/search/search.jsp" method="get"><input type="text" name="searchword" placeholder="请输入关键字"><input type="submit" value="搜索"></form></div>
  </div>
  <div class="nav_box"><ul class="nav w1200">
    <li><a href="/">首页</a></li>
    <li><a href="/zwgk/">政务公开</a></li>
    <li><a href="/zwgk/">政府信息公开</a></li>
    <li><a href="$col1_url">$col1_name</a></li>
    <li><a href="$col2_url">$col2_name</a></li>
    <li><a href="/hdjl/">互动交流</a></li>
  </ul></div>
</div>
<!--头部结束-->"""

BREADCRUMB = """<div class="breadcrumb">
  <span><i class="trt-iconfont trt-icon-weizhi"></i>当前位置：</span>
  <ul><li><a href="/" title="首页" class="CurrChnlCls">首页</a></li>$crumbs</ul>
</div>"""

FOOTER = """<!--底部开始-->
<div class="footer">
  <div class="foot_links w1200"><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/wzsm/">网站声明</a></div>
  <div class="foot_info w1200">
    <div class="conac"><span id="_ideConac"><script type="text/javascript" src="https://dcs.conac.cn/js/05/000/0000/60000000/CA050000000600000000000.js"></script></span></div>
    <p>主办单位：$organizer　版权所有&copy;$site_name</p>
    <p>地址：$address　联系电话：$phone</p>
    <p><a href="https://beian.miit.gov.cn/" target="_blank">$icp</a>　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=$gongan_no" target="_blank"><img src="/images/gongan.png">$gongan</a>　网站标识码：$sitecode</p>
    <p>技术支持：$tech　建议使用1366&times;768分辨率浏览本网站</p>
  </div>
</div>
<!--底部结束-->"""

PAGER_JS = """<script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  document.write("共" + _nPageCount + "页&nbsp;&nbsp;");
  if(nCurrIndex == 0) document.write("首页&nbsp;上一页&nbsp;");
  else {
    document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a>&nbsp;");
    var prev = nCurrIndex == 1 ? _sPageName + "." + _sPageExt : _sPageName + "_" + (nCurrIndex - 1) + "." + _sPageExt;
    document.write("<a href=\\"" + prev + "\\">上一页</a>&nbsp;");
  }
  if(nCurrIndex == _nPageCount - 1) document.write("下一页&nbsp;尾页");
  else {
    document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt + "\\">下一页</a>&nbsp;");
    document.write("<a href=\\"" + _sPageName + "_" + (_nPageCount - 1) + "." + _sPageExt + "\\">尾页</a>");
  }
}
</script>"""

LIST_MAIN = """<div class="list_box shadow_base pad_base">
  <div class="list_tit"><span>$column_name</span></div>
  <ul class="list">
$items
  </ul>
  <div class="page_box">$pager_js<script>createPageHTML($pages, $current, "index", "html");</script></div>
</div>"""

LIST_ITEM = (
    '    <li><a href="./$rel" target="_blank" title="$title">$title</a>'
    '<span class="date">$date</span></li>'
)

# 襄都 / 鲁山: disclosure block after the pingtan ``index_box`` markup
INDEX_BOX = """<div class="index_box shadow_base pad_base">
  <ul class="trt-row">
    <li class="trt-col-12 trt-col-sm-24">索&ensp;引&ensp;号：<font>$index_no</font></li>
    <li class="trt-col-12 trt-col-sm-24">$category_label：<font>$category</font></li>
    <li class="trt-col-12 trt-col-sm-24">$publisher_label：<font>$publisher</font></li>
    <li class="trt-col-12 trt-col-sm-24">成文日期：$written_date</li>
    <li class="trt-col-24 trt-col-sm-24">标&ensp;&ensp;&ensp;&ensp;题：<font>$title</font></li>
    <li class="trt-col-12 trt-col-sm-24">发文字号：<font>$doc_number</font></li>
    <li class="trt-col-12 trt-col-sm-24">发布日期：$published_date</li>
    <li class="trt-col-12 trt-col-sm-24">有&ensp;效&ensp;性：<em class="red_base">$validity</em></li>
  </ul>
</div>"""

DETAIL_MAIN = """<div class="pad_t_base">
$index_box
<div class="mar_t_large">
  <div class="article_component">
    <div class="article_title_group"><div class="article_title text_align_center">$title</div></div>
    <div class="article_extend pad_base">
      <span class="article_time">发布时间：$pubdate</span>
      <span class="article_source">发布机构：$publisher_text</span>
      <span class="font_size">字体：[<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>]</span>
      <span class="share">分享到：<div class="share_box"><a href="javascript:void(0);" title="分享到微信">微信</a><a href="javascript:void(0);" title="分享到新浪微博">微博</a><a href="javascript:void(0);" title="分享到QQ空间">QQ空间</a></div></span>
    </div>
    <div class="article_content">
      <div class="TRS_Editor">
$body
      </div>
    </div>
    <div class="article_tools"><a href="javascript:window.print();">【打印本页】</a> <a href="javascript:window.close();">【关闭窗口】</a></div>
    <div class="qr_code"><div id="qrcode"></div><p>扫一扫分享到手机端</p></div>
    <div class="prev_next"><p>上一篇：$prev</p><p>下一篇：$next</p></div>
  </div>
</div>
</div>"""

# 清远市司法局: metadata only as a byline (see seed 002)
DETAIL_MAIN_BYLINE = """<div class="con_box">
  <div class="con_title"><h1>$title</h1></div>
  <div class="con_info">时间：$pubdate　来源：$source　访问量：<span id="visitcount">-</span>　【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】　<a href="javascript:window.print();">【打印本页】</a> <a href="javascript:window.close();">【关闭窗口】</a></div>
  <div class="con_text" id="zoom">
    <div class="TRS_Editor">
$body
    </div>
  </div>
  <div class="con_fj">相关附件:</div>
  <div class="con_share">分享到：<a href="javascript:void(0);" title="微信">微信</a> <a href="javascript:void(0);" title="微博">微博</a> <a href="javascript:void(0);" title="QQ空间">QQ空间</a></div>
  <div class="con_qr"><div id="qr_container"></div><p>扫一扫在手机打开当前页</p></div>
  <div class="prev_next"><p>上一篇：$prev</p><p>下一篇：$next</p></div>
  <div class="xglj"><span>相关链接：</span><a href="http://sft.gd.gov.cn/" target="_blank">广东省司法厅</a> <a href="http://www.gdqy.gov.cn/" target="_blank">清远市人民政府</a></div>
</div>"""

HOME_MAIN = """<div class="home_box w1200">
  <div class="home_banner"><img src="/images/banner.jpg" alt="$site_name"></div>
  $blocks
</div>"""

HOME_BLOCK = """<div class="home_block">
    <div class="block_tit"><span>$name</span><a class="more" href="$url">更多&gt;&gt;</a></div>
    <ul>$items</ul>
  </div>"""

NOT_FOUND = """<!DOCTYPE html>
<html>
<head><meta http-equiv="Content-Type" content="text/html; charset=$meta_charset"><title>404 - 页面不存在</title></head>
<body>
<div class="err404"><h1>404</h1><p>抱歉，您访问的页面不存在或已删除。</p>
<p><a href="/">返回首页</a></p>
<p>$site_name</p></div>
</body>
</html>
"""

LIST_RE = re.compile(r"^/(.+?)/(?:index(?:_(\d+))?\.html)?$")


class TrsPortal(FamilyPortal):
    robots_extra = ("/search/", "/admin/", "/wcm/", "/module/visitcount/")
    server_header = "TRS WCM Web Server"

    @property
    def meta_charset(self) -> str:
        return {"xiangdu": "gb2312"}.get(self.site.key, "gbk")

    def _col_url(self, col: ColumnSpec) -> str:
        return f"/{col.path}/"

    def _common(self) -> dict[str, object]:
        s = self.site
        c1, c2 = s.columns
        now = self.world.now
        weekday = "一二三四五六日"[now.weekday()]
        return {
            "site_name": s.name,
            "col1_url": self._col_url(c1),
            "col1_name": c1.name,
            "col2_url": self._col_url(c2),
            "col2_name": c2.name,
            "organizer": s.organizer,
            "address": s.address,
            "phone": s.phone,
            "tech": s.tech_support,
            "icp": s.icp,
            "sitecode": s.site_id_code,
            "gongan": s.gongan,
            "gongan_no": s.gongan.split()[-1].rstrip("号"),
            "today": f"{now.year}年{now.month}月{now.day}日 星期{weekday}",
            "meta_charset": self.meta_charset,
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
        items = []
        for i, label in enumerate(labels):
            href = self._col_url(col) if (col and i == len(labels) - 1) else "/zwgk/"
            items.append(f'<li><a href="{href}" title="{esc(label)}" class="CurrChnlCls">'
                         f"{esc(label)}</a></li>")
        return fill(BREADCRUMB, crumbs="".join(items))

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
            meta_charset=self.meta_charset,
        )

    # ------------------------------------------------------------------ routing
    def route(self, req: Request) -> Page | None:
        path = req.path
        if path in ("/", "/index.html"):
            return self.home(xxgk=False)
        if path in ("/zwgk/", "/zwgk/index.html"):
            return self.home(xxgk=True)
        m = LIST_RE.match(path)
        if m:
            col = next((c for c in self.site.columns if c.path == m.group(1)), None)
            if col is not None:
                if m.group(2) is not None and (m.group(2).startswith("0") or m.group(2) == ""):
                    return None
                return self.list_page(col, int(m.group(2) or 0))
        doc = self.portal.by_path(path)
        return self.detail(doc) if doc else None

    def not_found(self) -> str:
        return fill(NOT_FOUND, site_name=self.site.name, meta_charset=self.meta_charset)

    # ------------------------------------------------------------------ pages
    def home(self, xxgk: bool) -> Page:
        blocks = []
        for col in self.site.columns:
            items = "".join(
                f'<li><a href="{doc_path(self.site, d)}" target="_blank" title="{esc(d.title)}">'
                f"{esc(d.title)}</a><span>{d.published:%Y-%m-%d}</span></li>"
                for d in self.portal.column_docs(col.key)[:8]
            )
            blocks.append(fill(HOME_BLOCK, name=col.name, url=self._col_url(col), items=items))
        main = fill(HOME_MAIN, site_name=self.site.name, blocks="\n  ".join(blocks))
        name = "政府信息公开" if xxgk else "首页"
        crumbs = self._crumbs(("政务公开",), None) if xxgk else ""
        title = f"{name}_{self.site.name}" if xxgk else self.site.name
        text = self._page(title, self._site_metas(name, "首页"), crumbs, main)
        return Page(200, text, last_modified=self.portal.last_changed)

    def list_page(self, col: ColumnSpec, index: int) -> Page | None:
        docs = self.portal.column_docs(col.key)
        pages = page_count(len(docs))
        if index >= pages:
            return None
        chunk = docs[index * PER_PAGE : (index + 1) * PER_PAGE]
        items = "\n".join(
            fill(
                LIST_ITEM,
                rel=doc_path(self.site, d)[len(col.path) + 2 :],
                title=esc(d.title),
                date=d.published.strftime("%Y-%m-%d"),
            )
            for d in chunk
        )
        main = fill(
            LIST_MAIN, column_name=col.name, items=items, pages=pages, current=index,
            pager_js=PAGER_JS,
        )
        metas = self._site_metas(col.name, col.name)
        text = self._page(f"{col.name}_{self.site.name}", metas, self._crumbs(col.breadcrumb, col),
                          main)
        return Page(200, text, last_modified=self.portal.column_changed[col.key])

    def detail(self, doc: Doc) -> Page:
        col = self.site.column(doc.column)
        md = doc.metadata
        docs = self.portal.column_docs(col.key)
        i = docs.index(doc)

        def link(d: Doc | None) -> str:
            if d is None:
                return "没有了"
            return f'<a href="{doc_path(self.site, d)}">{esc(d.title)}</a>'

        prev_link = link(docs[i - 1] if i > 0 else None)
        next_link = link(docs[i + 1] if i + 1 < len(docs) else None)
        values = {k: esc(md.get(k) or "") for k in md}
        body = body_html(doc)
        if self.site.key == "qingyuan_sfj":
            main = fill(
                DETAIL_MAIN_BYLINE,
                title=esc(doc.title),
                pubdate=doc.published.strftime("%Y-%m-%d %H:%M:%S"),
                source=values["source"],
                body=body,
                prev=prev_link,
                next=next_link,
            )
        else:
            xiangdu = self.site.key == "xiangdu"
            box = fill(
                INDEX_BOX,
                category_label="体裁分类" if xiangdu else "主题分类",
                publisher_label="发布机构" if xiangdu else "发文机关",
                title=esc(doc.title),
                **values,
            )
            main = fill(
                DETAIL_MAIN,
                index_box=box,
                title=esc(doc.title),
                pubdate=doc.published.strftime("%Y-%m-%d") if xiangdu
                else doc.published.strftime("%Y-%m-%d %H:%M"),
                publisher_text=values["publisher"],
                body=body,
                prev=prev_link,
                next=next_link,
            )
        p = doc.published
        metas = self._site_metas(col.name, col.name) + [
            f'<meta name="ArticleTitle" content="{esc(doc.title)}">',
            f'<meta name="PubDate" content="{p:%Y-%m-%d %H:%M}">',
            f'<meta name="ContentSource" content="{esc(md.get("source") or md.get("publisher") or "")}">',
            '<meta name="Keywords" content="">',
            '<meta name="Author" content="">',
            f'<meta name="Description" content="{esc(doc.paragraphs[0][:80])}">',
            f'<meta name="Url" content="./t{p:%Y%m%d}_{doc.doc_id}.html">',
            f'<meta name="contentid" content="{doc.doc_id}">',
            f'<meta name="catalogs" content="{esc(col.name)}">',
        ]
        text = self._page(f"{doc.title}_{col.name}_{self.site.name}", metas,
                          self._crumbs(col.breadcrumb, col), main)
        return Page(200, text, kind="detail", last_modified=doc.last_modified)
