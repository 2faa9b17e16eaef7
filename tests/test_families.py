"""Family adapters on listing pages in each family's real format."""

from crawler.families import PageRequest, detect_family, get_adapter

HANWEB_COLUMN = """<html><head><link href="/images/1/hanweb.css"></head><body><div id="218237">
<script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=37&path=/&columnid=70805&unitid=218237&webname=%E6%B1%B6&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2024/3/2/art_70805_2771991.html?xxgkhide=1" title="汶上县司法局2023年度法治政府建设报告">汶上县司法局2023年度法治政府建设报告</a><span>2024-03-02</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2023/2/27/art_70805_2544110.html?xxgkhide=1" title="x">x</a><span>2023-02-27</span></li>]]></record>
</recordset></datastore></script></div>
<a href="http://www.hanweb.com" style="display:none">Produced By 大汉网络 大汉版通发布系统</a></body></html>"""


def test_hanweb_column_page_lists_records_and_points_to_dataproxy_page_2():
    listing = get_adapter("hanweb").parse_listing(
        "http://www.wenshang.gov.cn/col/col70805/index.html", HANWEB_COLUMN
    )
    assert listing.details == [
        "http://www.wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html?xxgkhide=1",
        "http://www.wenshang.gov.cn/art/2023/2/27/art_70805_2544110.html?xxgkhide=1",
    ]
    [nxt] = listing.next_pages
    assert nxt.url.startswith("http://www.wenshang.gov.cn/module/web/jpage/dataproxy.jsp?page=2&")
    assert "columnid=70805" in nxt.url and "unitid=218237" in nxt.url


def test_hanweb_dataproxy_stops_at_totalpage():
    xml = """<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>31</totalrecord>
    <totalpage>3</totalpage><recordset><record><![CDATA[<li><a href="/art/2020/1/5/art_70805_1.html">a</a></li>]]></record>
    </recordset></datastore>"""
    adapter = get_adapter("hanweb")
    base = (
        "http://www.wenshang.gov.cn/module/web/jpage/dataproxy.jsp?page={}&appid=1&columnid=70805"
    )
    page2 = adapter.parse_listing(base.format(2), xml)
    assert [p.url for p in page2.next_pages] == [base.format(3)]
    assert adapter.parse_listing(base.format(3), xml).next_pages == []
    empty = xml.replace('<li><a href="/art/2020/1/5/art_70805_1.html">a</a></li>', "")
    assert adapter.parse_listing(base.format(2), empty).next_pages == []


def test_trs_create_page_html_drives_pagination():
    html = """<ul><li><a href="./202402/t20240228_60750.html">报告</a></li>
    <li><a href="../other/202401/t20240105_1.html">x</a></li><li><a href="/zwgk/">栏目</a></li></ul>
    <script>createPageHTML(3, 1, "index", "html");</script>"""
    listing = get_adapter("trs").parse_listing(
        "https://www.xiangdu.gov.cn/zwgk/fzzfjs/index_1.html", html
    )
    assert listing.details == [
        "https://www.xiangdu.gov.cn/zwgk/fzzfjs/202402/t20240228_60750.html",
        "https://www.xiangdu.gov.cn/zwgk/other/202401/t20240105_1.html",
    ]
    assert listing.next_pages == [
        PageRequest("https://www.xiangdu.gov.cn/zwgk/fzzfjs/index_2.html")
    ]
    last = html.replace("createPageHTML(3, 1", "createPageHTML(3, 2")
    assert (
        get_adapter("trs")
        .parse_listing("https://www.xiangdu.gov.cn/zwgk/fzzfjs/index_2.html", last)
        .next_pages
        == []
    )


def test_trs_links_on_a_real_pingtan_listing(realpages):
    html = (realpages / "pingtan__list.html").read_text("utf-8")
    listing = get_adapter("trs").parse_listing(
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/", html
    )
    assert len(listing.details) == 10
    assert (
        listing.details[0]
        == "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202603/t20260313_105587.htm"
    )


def test_lonsun_page_index_pagination():
    url = "https://www.sxx.gov.cn/zwgk/public/column/821?type=4&catId=7391&action=list"
    html = """<ul><li><a href="/zwgk/public/821/63010655.html">濉溪县法治建设中期评估报告</a></li>
    <li><a href="/zwgk/public/column/821?type=4&catId=7385&action=list">通知公告</a></li></ul>
    <div class="pagination">共3页 <a href="?pageIndex=2">下一页</a></div>"""
    adapter = get_adapter("lonsun")
    listing = adapter.parse_listing(url, html)
    assert listing.details == ["https://www.sxx.gov.cn/zwgk/public/821/63010655.html"]
    assert listing.next_pages == [PageRequest(url + "&pageIndex=2")]
    assert adapter.parse_listing(url + "&pageIndex=3", html).next_pages == []


def test_detect_family_by_fingerprint():
    assert detect_family("", HANWEB_COLUMN) == "hanweb"
    assert detect_family("", '<div class="TRS_Editor">x</div>') == "trs"
    assert detect_family("", "<html><body>plain</body></html>") is None
