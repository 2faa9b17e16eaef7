"""大汉 Hanweb JCMS (汶上县人民政府, Shandong style).

Modelled on ``realpages/hanweb__fgw-zj-gov-cn__deqing-investment-detail-dom.html`` and the jpage
listing mechanism in DOMAIN.md §3.1: the column page embeds the first page of records as
``<script type="text/xml"><datastore>…`` and ``/module/web/jpage/dataproxy.jsp`` serves the rest.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..sites import ColumnSpec
from ..world import Doc, doc_path
from .base import PER_PAGE, FamilyPortal, Page, Request, body_html, esc, fill, page_count

PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<title>$title</title>
<meta name="Author" content="大汉网络">
<meta name="Maketime" content="$maketime">
$metas
<script language="javascript" src="/module/jslib/jquery/jquery.js"></script>
<script language="javascript" src="/module/jslib/urite/urite.min.js"></script>
<link href="/script/page.css" type="text/css" rel="stylesheet">
<link rel="stylesheet" type="text/css" href="/images/1/hanweb.css">
<link rel="stylesheet" type="text/css" href="/images/37/article.css">
</head>
<body>
<div id="hiddenLocation" style="display:none;"><span id="ss_webid">$webid</span></div>
<div id="barrierfree_container">
$top
$breadcrumb
<div class="height20"></div>
$main
<div class="height60"></div>
$footer
</div>
<a href="http://www.hanweb.com" style="display:none">Produced By 大汉网络 大汉版通发布系统</a>
<!-- visitcount Begin --><script language="javascript" src="/module/visitcount/visit.jsp?type=$visit_type&i_webid=$webid&i_columnid=$columnid&i_articleid=$articleid"></script><!-- visitcount End -->
<script language="javascript" src="/script/web_front.js"></script>
<link href="/module/jslib/accessiblereading/css/barrierfree.css" rel="stylesheet" type="text/css">
</body>
</html>
"""

TOP = """<!--顶部-->
<div class="top_link">
  <div class="w1200">
    <span class="welcome">欢迎访问$site_name网站！</span>
    <span class="links"><a href="javascript:void(0)" onclick="SetHome(this,window.location)">设为首页</a> | <a href="javascript:void(0)" onclick="AddFavorite(window.location,document.title)">加入收藏</a> | <a href="javascript:void(0)" id="barrierfree">无障碍浏览</a> | <a href="javascript:void(0)" id="oldman">长者模式</a> | <a href="javascript:void(0)" id="jianti">简体</a> | <a href="javascript:void(0)" id="fanti">繁体</a> | <a href="/col/col70901/index.html?uid=&amp;login=1">登录</a></span>
  </div>
</div>
<div class="header">
  <div class="logo"><a href="/index.html"><img src="/images/37/logo.png" alt="$site_name"></a></div>
  <div class="search"><form action="/jsearchfront/search.do" method="get" target="_blank"><input type="hidden" name="websiteid" value="370830000000000"><input type="text" name="q" placeholder="请输入搜索内容"><input type="submit" value="搜索"></form><span class="hot">热搜词：法治政府 政务公开 营商环境</span></div>
</div>
<!--导航-->
<div class="nav">
  <ul>
    <li><a href="/index.html">首页</a></li>
    <li><a href="/col/col70765/index.html">走进汶上</a></li>
    <li><a href="$xxgk_url">政务公开</a></li>
    <li><a href="$xxgk_url">政府信息公开</a></li>
    <li><a href="$col1_url">$col1_name</a></li>
    <li><a href="$col2_url">$col2_name</a></li>
    <li><a href="http://sdjn.sd.gov.cn/" target="_blank">政务服务</a></li>
    <li><a href="/col/col70790/index.html">互动交流</a></li>
  </ul>
</div>
"""

BREADCRUMB = """<!--当前位置-->
<div class="position">
  <div class="position-txt w">
    <table cellspacing="0" cellpadding="0" border="0"><tbody><tr>
      <td style="width:30px; text-align:center;"><img style="margin-top:-3px;" src="/images/37/position.png"></td>
      <td>当前位置：</td>
      <td><a href="/index.html">首页</a></td>
      <td><table width="100%" cellspacing="0" cellpadding="0" border="0"><tbody><tr>$crumbs</tr></tbody></table></td>
    </tr></tbody></table>
  </div>
</div>
<!--当前位置结束-->"""

FOOTER = """<div class="footer">
  <div class="foot_link"><a href="/col/col70798/index.html">网站地图</a> | <a href="/col/col70799/index.html">联系我们</a> | <a href="/col/col70800/index.html">网站声明</a> | <a href="/col/col70801/index.html">关于我们</a></div>
  <table border="0" cellpadding="0" cellspacing="0" width="1200" style="margin:0 auto;"><tbody><tr>
    <td align="center" valign="middle" width="170"><span id="_ideConac"><a href="http://bszs.conac.cn/sitename?method=show&amp;id=5A0B0A2E1F4C3D7BE053022819AC2F1A" target="_blank"><img src="/images/37/conac.png" title="党政机关"></a></span></td>
    <td align="center">
      <p>主办单位：$organizer　　承办单位：$organizer　　版权所有：$site_name</p>
      <p>地址：$address　　联系电话：$phone</p>
      <p>技术支持：$tech　　备案号：<a target="_blank" href="https://beian.miit.gov.cn/">$icp</a>　　网站标识码：$sitecode</p>
      <p><a target="_blank" href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=$gongan_no"><img src="/images/37/gongan.png">$gongan</a></p>
    </td>
    <td align="center" valign="middle" width="170"><a href="http://121.43.68.40/exposure/jiucuo.html?site_code=$sitecode&amp;url=http%3A%2F%2F$host%2F" target="_blank"><img src="/images/37/jiucuo.png" title="政府网站找错"></a></td>
  </tr></tbody></table>
</div>"""

COLUMN_MAIN = """<div class="wz-con bt-box-1200">
  <div class="left_nav"><div class="lm_name">政府信息公开</div>
    <ul><li><a href="$col1_url">$col1_name</a></li><li><a href="$col2_url">$col2_name</a></li></ul>
  </div>
  <div class="right_list">
    <div class="list_title"><span>$column_name</span></div>
    <div class="list_con" id="$unitid"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="$nextgroup"></a>]]></nextgroup><recordset>$records</recordset></datastore></script><script language="javascript" src="/module/web/jpage/jpage.js"></script><script>
      $$(document).ready(function(){
        $$('#$unitid').jpage({
          dataStore: dataStore,
          dataBefore: '<ul class="list">',
          dataAfter: '</ul>',
          perPage: $perpage,
          totalRecord: $total,
          proxyUrl: '/module/web/jpage/dataproxy.jsp',
          groupSize: 3,
          barPosition: 'bottom',
          showMode: 'full',
          themeName: 'default',
          pageSizeList: '',
          appendix: ''
        });
      });
    </script></div>
    <div class="list_page">共 $total 条记录 共 $pages 页</div>
  </div>
</div>"""

DETAIL_MAIN = """<div class="wz-con bt-box-1200">
  <div class="con">
    <!--信息公开元数据 start-->
    <div class="xxgk_table">
      <table class="xxgk_tab" width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td class="tab_bt">索引号：</td><td class="tab_nr">$index_no</td><td class="tab_bt">组配分类：</td><td class="tab_nr">$category</td></tr>
        <tr><td class="tab_bt">成文日期：</td><td class="tab_nr">$written_date</td><td class="tab_bt">发布机构：</td><td class="tab_nr">$publisher</td></tr>
        <tr><td class="tab_bt">废止日期：</td><td class="tab_nr">$abolished_date</td><td class="tab_bt">公开方式：</td><td class="tab_nr">$disclosure</td></tr>
        <tr><td class="tab_bt">有效性：</td><td class="tab_nr">$validity</td>$doc_number_cells</tr>
      </table>
    </div>
    <!--信息公开元数据 end-->
    <p class="con-title"><!--<$$[标题]>begin-->$title<!--<$$[标题]>end--></p>
    <div style="height:3px; background-color:#dbdbdb;"></div>
    <div class="small-title clearfix">
      <span>发布日期：$pubdate</span>
      <span>浏览次数：<script language="javascript" src="/module/visitcount/articlehits.jsp?colid=$columnid&amp;artid=$articleid"></script></span>
      <span class="fontsize">字号：[<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>]</span>
      <div class="bdsharebuttonbox bdshare-button-style0-24">分享到：<a class="bds_weixin" title="分享到微信" href="#" data-cmd="weixin">微信</a><a class="bds_tsina" title="分享到新浪微博" href="#" data-cmd="tsina">微博</a><a class="bds_qzone" title="分享到QQ空间" href="#" data-cmd="qzone">QQ空间</a><a class="bds_more" data-cmd="more"></a></div>
    </div>
    <div style="clear: both;"></div>
    <!--正文 start-->
    <div class="main-txt" id="zoom">
<!--<$$[信息内容]>begin--><!--ZJEG_RSS.content.begin--><meta name="ContentStart">$body<meta name="ContentEnd"><!--ZJEG_RSS.content.end--><!--<$$[信息内容]>end-->
    </div>
    <!--正文 end-->
    <div class="art_source">信息来源：<!--<$$[信息来源]>begin-->$source<!--<$$[信息来源]>end--></div>
    <div class="main-word" style="clear: both;margin-top:30px;margin-bottom: 5px;">
      <div class="main-word-right">
        <span class="jiucuo" onclick="javascript:window.open('http://121.43.68.40/exposure/jiucuo.html?site_code=$sitecode')">【我要纠错】</span>
        <span class="printer" onclick="javascript:window.print()">打印</span>
        <span class="close" onclick="javascript:window.close()">关闭</span>
      </div>
      <div class="qrcode"><div id="qr_container"></div><p>扫一扫在手机打开当前页</p></div>
    </div>
    <div class="prevnext">
      <p>上一篇：$prev</p>
      <p>下一篇：$next</p>
    </div>
    <div class="xgwz"><div class="xgwz_tit">相关链接</div><ul>
      <li><a href="http://www.gov.cn/" target="_blank">中国政府网</a></li>
      <li><a href="http://www.shandong.gov.cn/" target="_blank">山东省人民政府</a></li>
      <li><a href="http://www.jining.gov.cn/" target="_blank">济宁市人民政府</a></li>
    </ul></div>
  </div>
</div>
<script>
window._bd_share_config = {"common":{"bdSnsKey":{},"bdText":"","bdMini":"2","bdMiniList":["tsina","weixin","qzone"],"bdPic":"","bdStyle":"0","bdSize":"24"},"share":{}};
</script>"""

HOME_MAIN = """<div class="wz-con bt-box-1200 home">
  <div class="home_banner"><img src="/images/37/banner.jpg" alt="$site_name"></div>
  $blocks
  <div class="home_links"><a href="$xxgk_url">政府信息公开</a> <a href="/module/xxgk/xxgkAnnualReport.jsp?area=11370830004335350N&amp;fbtime=2024">政府信息公开年报</a></div>
</div>"""

HOME_BLOCK = """<div class="home_block">
    <div class="block_tit"><span>$name</span><a class="more" href="$url">更多&gt;&gt;</a></div>
    <ul>$items</ul>
  </div>"""

NOT_FOUND = """<!DOCTYPE html>
<html>
<head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><title>404 页面不存在 - $site_name</title>
<link rel="stylesheet" type="text/css" href="/images/1/hanweb.css"></head>
<body>
<div class="error_page">
  <img src="/images/37/404.png" alt="404">
  <p>对不起，您访问的页面不存在或已被删除！</p>
  <p><a href="/index.html">返回首页</a> | <a href="javascript:history.back()">返回上一页</a></p>
</div>
<a href="http://www.hanweb.com" style="display:none">Produced By 大汉网络 大汉版通发布系统</a>
</body>
</html>
"""

RECORD = (
    '<record><![CDATA[<li><a href="$href" title="$title" target="_blank">$title</a>'
    "<span>$date</span></li>]]></record>"
)

DATASTORE_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    "<datastore><totalrecord>$total</totalrecord><totalpage>$pages</totalpage>"
    '<nextgroup><![CDATA[<a href="$nextgroup"></a>]]></nextgroup>'
    "<recordset>$records</recordset></datastore>"
)

ART_RE = re.compile(r"^/art/(\d{4})/(\d{1,2})/(\d{1,2})/art_(\d+)_(\d+)\.html$")
COL_RE = re.compile(r"^/col/col(\d+)/index\.html$")


class HanwebPortal(FamilyPortal):
    robots_extra = ("/module/visitcount/", "/jsearchfront/", "/admin/", "/module/xxgk/search.jsp")
    server_header = "Apache-Coyote/1.1"

    # ------------------------------------------------------------------ helpers
    @property
    def webid(self) -> str:
        return self.site.extra["webid"]

    @property
    def xxgk_url(self) -> str:
        return f"/col/col{self.site.extra['xxgk_col']}/index.html"

    def _col_path(self, col: ColumnSpec) -> str:
        return f"/col/col{col.column_id}/index.html"

    def _common(self) -> dict[str, object]:
        s = self.site
        c1, c2 = s.columns
        return {
            "site_name": s.name,
            "webid": self.webid,
            "xxgk_url": self.xxgk_url,
            "col1_url": self._col_path(c1),
            "col1_name": c1.name,
            "col2_url": self._col_path(c2),
            "col2_name": c2.name,
            "organizer": s.organizer,
            "address": s.address,
            "phone": s.phone,
            "tech": s.tech_support,
            "icp": s.icp,
            "sitecode": s.site_id_code,
            "gongan": s.gongan,
            "gongan_no": s.gongan.split()[-1].rstrip("号"),
            "host": s.host,
        }

    def _site_metas(self, column_name: str, column_type: str) -> list[str]:
        s = self.site
        return [
            f'<meta name="SiteName" content="{esc(s.name)}">',
            f'<meta name="SiteDomain" content="{s.host}">',
            f'<meta name="SiteIDCode" content="{s.site_id_code}">',
            f'<meta name="ColumnName" content="{esc(column_name)}">',
            f'<meta name="ColumnType" content="{esc(column_type)}">',
        ]

    def _crumbs(self, labels: tuple[str, ...], col: ColumnSpec | None) -> str:
        cells = []
        for i, label in enumerate(labels):
            last = i == len(labels) - 1
            href = self._col_path(col) if (last and col) else self.xxgk_url
            cells.append(f'<td> &gt;<a href="{href}">{esc(label)}</a></td>')
        return fill(BREADCRUMB, crumbs="".join(cells))

    def _page(self, *, title: str, metas: list[str], crumbs: str, main: str, hide_top: bool,
              visit_type: int, columnid: int, articleid: int, maketime: str) -> str:
        common = self._common()
        top = "" if hide_top else fill(TOP, **common)
        return fill(
            PAGE,
            title=esc(title),
            metas="\n".join(metas),
            top=top,
            breadcrumb=crumbs,
            main=main,
            footer=fill(FOOTER, **common),
            visit_type=visit_type,
            columnid=columnid,
            articleid=articleid,
            maketime=maketime,
            webid=self.webid,
        )

    def _href(self, col: ColumnSpec, doc: Doc) -> str:
        path = doc_path(self.site, doc)
        return path + "?xxgkhide=1" if col.xxgkhide else path

    def _records(self, col: ColumnSpec, docs: list[Doc]) -> str:
        return "".join(
            fill(RECORD, href=self._href(col, d), title=esc(d.title),
                 date=d.published.strftime("%Y-%m-%d"))
            for d in docs
        )

    def _nextgroup(self, col: ColumnSpec, page: int = 1) -> str:
        return (
            f"/module/web/jpage/dataproxy.jsp?page={page}&appid=1&webid={self.webid}&path=/"
            f"&columnid={col.column_id}&unitid={col.unit_id}"
            f"&webname={quote(self.site.name)}&permissiontype=0"
        )

    # ------------------------------------------------------------------ routing
    def route(self, req: Request) -> Page | None:
        path = req.path
        if path in ("/", "/index.html"):
            return self.home(xxgk=False)
        if path == self.xxgk_url:
            return self.home(xxgk=True)
        m = COL_RE.match(path)
        if m:
            col = self._column_by_id(int(m.group(1)))
            return self.column_page(col) if col else None
        if path == "/module/web/jpage/dataproxy.jsp":
            return self.dataproxy(req)
        if path in ("/module/visitcount/visit.jsp", "/module/visitcount/articlehits.jsp"):
            return Page(200, 'document.write("0");', kind="js")
        m = ART_RE.match(path)
        if m:
            doc = self.portal.by_path(path)
            return self.detail(doc, hide_top=req.params.get("xxgkhide") == "1") if doc else None
        return None

    def _column_by_id(self, column_id: int) -> ColumnSpec | None:
        return next((c for c in self.site.columns if c.column_id == column_id), None)

    def not_found(self) -> str:
        return fill(NOT_FOUND, site_name=self.site.name)

    # ------------------------------------------------------------------ pages
    def home(self, xxgk: bool) -> Page:
        blocks = []
        for col in self.site.columns:
            items = "".join(
                f'<li><a href="{self._href(col, d)}" target="_blank" title="{esc(d.title)}">'
                f"{esc(d.title)}</a><span>{d.published:%m-%d}</span></li>"
                for d in self.portal.column_docs(col.key)[:8]
            )
            blocks.append(fill(HOME_BLOCK, name=col.name, url=self._col_path(col), items=items))
        main = fill(HOME_MAIN, blocks="\n  ".join(blocks), **self._common())
        name = "政府信息公开" if xxgk else "首页"
        crumbs = self._crumbs(("政府信息公开",), None) if xxgk else ""
        text = self._page(
            title=f"{name} {self.site.name}" if xxgk else self.site.name,
            metas=self._site_metas(name, "栏目页" if xxgk else "首页"),
            crumbs=crumbs, main=main, hide_top=False, visit_type=1,
            columnid=int(self.site.extra["xxgk_col"]) if xxgk else 0, articleid=0,
            maketime=self.world.now.strftime("%Y-%m-%d %H:%M:%S"),
        )
        return Page(200, text, last_modified=self.portal.last_changed)

    def column_page(self, col: ColumnSpec) -> Page:
        docs = self.portal.column_docs(col.key)
        main = fill(
            COLUMN_MAIN,
            column_name=col.name,
            unitid=col.unit_id,
            nextgroup=esc(self._nextgroup(col)),
            records=self._records(col, docs[:PER_PAGE]),
            perpage=PER_PAGE,
            total=len(docs),
            pages=page_count(len(docs)),
            **self._common(),
        )
        text = self._page(
            title=f"{col.name} {self.site.name}",
            metas=self._site_metas(col.name, "列表页"),
            crumbs=self._crumbs(col.breadcrumb, col), main=main, hide_top=False,
            visit_type=1, columnid=col.column_id, articleid=0,
            maketime=self.portal.column_changed[col.key].strftime("%Y-%m-%d %H:%M:%S"),
        )
        return Page(200, text, last_modified=self.portal.column_changed[col.key])

    def dataproxy(self, req: Request) -> Page:
        params = dict(req.params)
        if req.method == "POST":
            params.update(req.form)
        try:
            col = self._column_by_id(int(params.get("columnid", "0")))
        except ValueError:
            col = None
        docs = self.portal.column_docs(col.key) if col else []
        if req.method == "POST" and "startrecord" in params:
            try:
                start = max(1, int(params["startrecord"]))
                end = max(start, int(params.get("endrecord", start + PER_PAGE - 1)))
                per = max(1, int(params.get("perpage", PER_PAGE)))
            except ValueError:
                start, end, per = 1, PER_PAGE, PER_PAGE
            window = docs[start - 1 : end]
        else:
            per = PER_PAGE
            try:
                page = max(1, int(params.get("page", "1")))
            except ValueError:
                page = 1
            window = docs[(page - 1) * per : page * per]
        xml = fill(
            DATASTORE_XML,
            total=len(docs),
            pages=page_count(len(docs), per),
            nextgroup=esc(self._nextgroup(col)) if col else "",
            records=self._records(col, window) if col else "",
        )
        lm = self.portal.column_changed[col.key] if col else self.portal.last_changed
        return Page(200, xml, kind="xml", last_modified=lm)

    def detail(self, doc: Doc, hide_top: bool) -> Page:
        col = self.site.column(doc.column)
        md = doc.metadata
        docs = self.portal.column_docs(col.key)
        i = docs.index(doc)
        prev_doc = docs[i - 1] if i > 0 else None
        next_doc = docs[i + 1] if i + 1 < len(docs) else None

        def link(d: Doc | None) -> str:
            if d is None:
                return "无"
            return f'<a href="{self._href(col, d)}" title="{esc(d.title)}">{esc(d.title)}</a>'

        number_cells = (
            f'<td class="tab_bt">文号：</td><td class="tab_nr">{esc(md["doc_number"])}</td>'
            if md.get("doc_number")
            else '<td class="tab_bt"></td><td class="tab_nr"></td>'
        )
        pub = doc.published.strftime("%Y-%m-%d %H:%M")
        values = {k: esc(md.get(k) or "") for k in md}
        main = fill(
            DETAIL_MAIN,
            title=esc(doc.title),
            pubdate=pub,
            columnid=col.column_id,
            articleid=doc.doc_id,
            body=body_html(doc),
            doc_number_cells=number_cells,
            prev=link(prev_doc),
            next=link(next_doc),
            sitecode=self.site.site_id_code,
            **values,
        )
        s = self.site
        metas = self._site_metas(col.name, "信息公开") + [
            f'<meta name="ArticleTitle" content="{esc(doc.title)}">',
            f'<meta name="PubDate" content="{pub}">',
            f'<meta name="ContentSource" content="{esc(md.get("source") or "")}">',
            f'<meta name="Keywords" content="{esc(col.name)}">',
            f'<meta name="Url" content="{s.base_url}{self._href(col, doc).split("?")[0]}">',
        ]
        text = self._page(
            title=f"{doc.title} {col.name} {s.name}",
            metas=metas, crumbs=self._crumbs(col.breadcrumb, col), main=main,
            hide_top=hide_top, visit_type=3, columnid=col.column_id, articleid=doc.doc_id,
            maketime=doc.last_modified.strftime("%Y-%m-%d %H:%M:%S"),
        )
        return Page(200, text, kind="detail", last_modified=doc.last_modified)

