"""Real-HTTP tests of the portal replica (``replica/``), using only the stdlib HTTP client."""

from __future__ import annotations

import html
import http.client
import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest

from replica import ReplicaServer, ServedDoc, World
from replica.sites import SITES as ALL_SITES
from replica.sites import SITES_BY_KEY, ColumnSpec

# The per-family checks here cover the first five portals; the families added in issue 5
# (gkmlpt, jpaas, Shandong, UCAP, custom) are tested in test_families_more.py.
SITES = tuple(s for s in ALL_SITES if s.family in ("hanweb", "trs", "anhui"))

Reply = tuple[int, dict[str, str], bytes]


def fetch(
    server: ReplicaServer,
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    absolute: bool = True,
) -> Reply:
    """One request; ``absolute`` sends a proxy-style absolute URI, else origin-form + Host."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        hdrs = dict(headers or {})
        if absolute:
            target = url
        else:
            parts = urlsplit(url)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            hdrs["Host"] = parts.netloc
        conn.request(method, target, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def text_of(site_key: str, data: bytes) -> str:
    return data.decode("gb18030" if SITES_BY_KEY[site_key].encoding == "gbk" else "utf-8")


@pytest.fixture(scope="module")
def server() -> Iterator[ReplicaServer]:
    with ReplicaServer(World()) as srv:
        yield srv


@pytest.fixture()
def fresh_server() -> Iterator[ReplicaServer]:
    with ReplicaServer(World()) as srv:
        yield srv


def served_for(world: World, col: ColumnSpec) -> set[str]:
    return {d.url for d in world.served_documents() if d.column_url == col.url}


def listed_urls(server: ReplicaServer, site_key: str, col: ColumnSpec) -> tuple[int, list[str]]:
    """Follow a column's pagination the way each family exposes it; return (pages, urls)."""
    site = SITES_BY_KEY[site_key]
    urls: list[str] = []
    if site.family == "hanweb":
        status, _, data = fetch(server, col.url)
        assert status == 200
        page1 = data.decode("utf-8")
        m = re.search(r"<nextgroup><!\[CDATA\[<a href=\"([^\"]+)\"></a>\]\]></nextgroup>", page1)
        assert m, "column page embeds a jpage datastore"
        nextgroup = html.unescape(m.group(1))
        records = re.findall(r"<record><!\[CDATA\[<li><a href=\"([^\"]+)\"", page1)
        assert len(records) == 15
        xml = fetch(server, urljoin(col.url, nextgroup))[2].decode("utf-8")
        pages = int(re.search(r"<totalpage>(\d+)</totalpage>", xml).group(1))
        hrefs = list(records)
        for n in range(2, pages + 1):
            proxy = urljoin(col.url, nextgroup.replace("page=1", f"page={n}"))
            status, headers, data = fetch(server, proxy)
            assert status == 200
            assert headers["content-type"] == "text/xml;charset=UTF-8"
            hrefs += re.findall(r"<record><!\[CDATA\[<li><a href=\"([^\"]+)\"", data.decode())
        for href in hrefs:
            assert href.endswith("?xxgkhide=1") == col.xxgkhide
            urls.append(urljoin(col.url, href).split("?")[0])
        return pages, urls
    if site.family == "trs":
        status, _, data = fetch(server, col.url)
        assert status == 200
        m = re.search(r'createPageHTML\((\d+), (\d+), "index", "html"\)', text_of(site_key, data))
        assert m and m.group(2) == "0"
        pages = int(m.group(1))
        for i in range(pages):
            page_url = col.url if i == 0 else col.url.replace("index.html", f"index_{i}.html")
            status, _, data = fetch(server, page_url)
            assert status == 200
            page = text_of(site_key, data)
            assert f'createPageHTML({pages}, {i}, "index", "html")' in page
            for rel in re.findall(r'<li><a href="(\./\d{6}/t\d{8}_\d+\.html)"', page):
                urls.append(urljoin(page_url, rel))
        return pages, urls
    status, _, data = fetch(server, col.url)
    assert status == 200
    pages = int(re.search(r"共 \d+ 条 共 (\d+) 页", data.decode()).group(1))
    for n in range(1, pages + 1):
        page_url = col.url if n == 1 else f"{col.url}&pageIndex={n}"
        page = fetch(server, page_url)[2].decode()
        if n < pages:
            assert f"pageIndex={n + 1}" in page and "下一页" in page
        for href in re.findall(r'<li><a href="(/zwgk/public/821/\d+\.html)"', page):
            urls.append(urljoin(page_url, href))
    return pages, urls


# --------------------------------------------------------------------------- addressing


def test_absolute_uri_and_host_header_give_same_page(server: ReplicaServer) -> None:
    for site in SITES:
        for col in site.columns:
            a = fetch(server, col.url, absolute=True)
            b = fetch(server, col.url, absolute=False)
            assert a[0] == b[0] == 200
            assert a[2] == b[2]
    # an https site reached over plain HTTP, with X-Forwarded-Proto present
    status, _, data = fetch(
        server, "https://www.sxx.gov.cn/", headers={"X-Forwarded-Proto": "https"}, absolute=False
    )
    assert status == 200 and "濉溪县人民政府" in data.decode()
    # absolute URI wins over a conflicting Host header
    status, _, data = fetch(
        server, "http://www.wenshang.gov.cn/index.html", headers={"Host": "www.sxx.gov.cn"}
    )
    assert status == 200 and "汶上县人民政府" in data.decode()
    assert ("www.wenshang.gov.cn", "GET", "/index.html", 200) in server.request_log


def test_unknown_host_is_502_and_unknown_path_404(server: ReplicaServer) -> None:
    status, _, data = fetch(server, "http://www.example.gov.cn/index.html")
    assert status == 502 and b"www.example.gov.cn" in data
    markers = {
        "wenshang": "Produced By 大汉网络",
        "xiangdu": "页面不存在",
        "qingyuan_sfj": "页面不存在",
        "suixi": "页面不存在",
        "lushan": "页面不存在",
    }
    for site in SITES:
        status, _, data = fetch(server, f"{site.base_url}/no/such/page.html")
        assert status == 404
        assert markers[site.key] in text_of(site.key, data)


def test_home_and_robots(server: ReplicaServer) -> None:
    robots = set()
    for site in SITES:
        status, _, data = fetch(server, f"{site.base_url}/")
        page = text_of(site.key, data)
        assert status == 200 and site.name in page and "政府信息公开" in page
        for col in site.columns:
            assert col.name in page
        status, _, data = fetch(server, f"{site.base_url}/robots.txt")
        assert status == 200
        text = data.decode()
        assert "User-agent: *" in text and "Disallow: /admin/" in text
        for col in site.columns:
            path = urlsplit(col.url).path
            assert f"Disallow: {path}" not in text
        robots.add(text)
    assert len(robots) == len(SITES)


def test_head_has_headers_but_no_body(server: ReplicaServer) -> None:
    url = SITES_BY_KEY["lushan"].columns[0].url
    status, headers, data = fetch(server, url, method="HEAD")
    assert status == 200 and data == b""
    assert int(headers["content-length"]) == len(fetch(server, url)[2])


# --------------------------------------------------------------------------- listings


@pytest.mark.parametrize(
    ("site_key", "col_index"), [(s.key, i) for s in SITES for i in range(len(s.columns))]
)
def test_column_paginates_and_lists_exactly_the_served_documents(
    server: ReplicaServer, site_key: str, col_index: int
) -> None:
    col = SITES_BY_KEY[site_key].columns[col_index]
    pages, urls = listed_urls(server, site_key, col)
    assert pages >= 3
    assert len(urls) == len(set(urls))
    assert set(urls) == served_for(server.world, col)
    # newest first
    docs = {d.url: d for d in server.world.served_documents()}
    stamps = [docs[u].published_at for u in urls]
    assert stamps == sorted(stamps, reverse=True)


def test_hanweb_dataproxy_get_and_post_windows(server: ReplicaServer) -> None:
    col = SITES_BY_KEY["wenshang"].columns[0]
    expected = [d.url for d in server.world.served_documents() if d.column_url == col.url]
    base = "http://www.wenshang.gov.cn/module/web/jpage/dataproxy.jsp"
    params = (
        f"appid=1&webid=37&path=/&columnid={col.column_id}&unitid={col.unit_id}"
        "&webname=%E6%B1%B6%E4%B8%8A%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&permissiontype=0"
    )

    def records(xml: str) -> list[str]:
        hrefs = re.findall(r"<record><!\[CDATA\[<li><a href=\"([^\"]+)\"", xml)
        return ["http://www.wenshang.gov.cn" + h.split("?")[0] for h in hrefs]

    status, headers, data = fetch(server, f"{base}?page=2&{params}")
    xml = data.decode()
    assert status == 200 and xml.startswith('<?xml version="1.0" encoding="UTF-8"?><datastore>')
    assert f"<totalrecord>{len(expected)}</totalrecord>" in xml
    assert f"<totalpage>{-(-len(expected) // 15)}</totalpage>" in xml
    assert records(xml) == expected[15:30]

    status, headers, data = fetch(
        server,
        f"{base}?startrecord=16&endrecord=45&perpage=15",
        method="POST",
        body=f"col=1&{params}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200 and headers["content-type"] == "text/xml;charset=UTF-8"
    assert records(data.decode()) == expected[15:45]


def test_trs_second_page_and_createpagehtml(server: ReplicaServer) -> None:
    for key in ("xiangdu", "qingyuan_sfj", "lushan"):
        col = SITES_BY_KEY[key].columns[0]
        url = col.url.replace("index.html", "index_2.html")
        status, _, data = fetch(server, url)
        page = text_of(key, data)
        assert status == 200 and "createPageHTML(" in page
        assert re.search(r'createPageHTML\(\d+, 2, "index", "html"\)', page)
        # past the last page there is no file
        pages = int(re.search(r"createPageHTML\((\d+),", page).group(1))
        gone = col.url.replace("index.html", f"index_{pages}.html")
        assert fetch(server, gone)[0] == 404


# --------------------------------------------------------------------------- bytes


def test_encodings_and_charset_headers(server: ReplicaServer) -> None:
    docs = {d.site: d for d in server.world.served_documents() if d.is_seed}
    expect_list = {
        "xiangdu": "text/html",
        "qingyuan_sfj": "text/html; charset=GBK",
        "lushan": "text/html; charset=GBK",
    }
    expect_detail = {
        "xiangdu": "text/html",
        "qingyuan_sfj": "text/html; charset=UTF-8",  # the real portal lies
        "lushan": "text/html; charset=GBK",
    }
    for key in expect_list:
        site = SITES_BY_KEY[key]
        _, headers, data = fetch(server, site.columns[0].url)
        assert headers["content-type"] == expect_list[key]
        _, headers, data = fetch(server, docs[key].url)
        assert headers["content-type"] == expect_detail[key]
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        page = data.decode("gb18030")
        assert docs[key].title in page
    xiangdu_page = fetch(server, docs["xiangdu"].url)[2].decode("gb18030")
    assert 'content="text/html; charset=gb2312"' in xiangdu_page
    for key in ("wenshang", "suixi"):
        _, headers, data = fetch(server, docs[key].url)
        assert headers["content-type"] == "text/html; charset=UTF-8"
        assert docs[key].title in data.decode("utf-8")


def test_conditional_get(server: ReplicaServer) -> None:
    wenshang = next(d for d in server.world.served_documents("wenshang") if d.is_seed)
    status, headers, _ = fetch(server, wenshang.url)
    assert status == 200 and "etag" in headers and "last-modified" in headers
    assert fetch(server, wenshang.url, headers={"If-None-Match": headers["etag"]})[0] == 304
    assert fetch(server, wenshang.url, headers={"If-None-Match": '"other"'})[0] == 200
    ims = {"If-Modified-Since": headers["last-modified"]}
    assert fetch(server, wenshang.url, headers=ims)[0] == 304
    assert (
        fetch(server, wenshang.url, headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})[
            0
        ]
        == 200
    )
    # the column page and dataproxy carry validators too
    col_url = SITES_BY_KEY["wenshang"].columns[1].url
    etag = fetch(server, col_url)[1]["etag"]
    assert fetch(server, col_url, headers={"If-None-Match": etag})[0] == 304

    # 清远: Last-Modified only
    qy = SITES_BY_KEY["qingyuan_sfj"].columns[0].url
    status, headers, _ = fetch(server, qy)
    assert "etag" not in headers and "last-modified" in headers
    assert fetch(server, qy, headers={"If-Modified-Since": headers["last-modified"]})[0] == 304
    # 鲁山: ETag only
    ls = SITES_BY_KEY["lushan"].columns[0].url
    status, headers, _ = fetch(server, ls)
    assert "etag" in headers and "last-modified" not in headers
    assert fetch(server, ls, headers={"If-None-Match": headers["etag"]})[0] == 304
    # 襄都 and 濉溪: no validators, never 304
    for key in ("xiangdu", "suixi"):
        url = SITES_BY_KEY[key].columns[0].url
        status, headers, _ = fetch(server, url, headers={"If-None-Match": "*"})
        assert status == 200 and "etag" not in headers and "last-modified" not in headers


# --------------------------------------------------------------------------- documents


def test_seeds_are_served_with_title_and_body(server: ReplicaServer) -> None:
    seeds = [d for d in server.world.served_documents() if d.is_seed]
    assert sorted(d.seed_id or "" for d in seeds) == [
        "000_ca68d060780dd5e5",
        "001_587ecf3fbd3c4a2b",
        "002_93df2457fec9964f",
        "003_7ccf340dea4e1fec",
        "004_0db57c22be2878db",
    ]
    for doc in seeds:
        status, _, data = fetch(server, doc.url)
        page = html.unescape(text_of(doc.site, data))
        assert status == 200
        assert doc.title in page
        for line in doc.text.split("\n"):
            assert line in page
    wenshang = next(d for d in seeds if d.site == "wenshang")
    assert wenshang.url == "http://www.wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html"
    assert wenshang.text.endswith("汶上县司法局\n2024228")
    assert wenshang.metadata["index_no"] == "11370830004335705P/2024-00646"
    assert wenshang.metadata["written_date"] == "2024-02-28"
    assert wenshang.metadata["validity"] is None
    hidden = fetch(server, wenshang.url + "?xxgkhide=1")[2].decode()
    assert (
        "11370830004335705P/2024-00646" in hidden
        and "汶上县司法局2023年度法治政府建设报告" in hidden
    )
    assert "Produced By 大汉网络 大汉版通发布系统" in hidden
    lushan = next(d for d in seeds if d.site == "lushan")
    assert lushan.text.endswith("2024年2月")


def test_detail_pages_carry_boilerplate_and_metas(server: ReplicaServer) -> None:
    common = ("当前位置：", "首页", "网站标识码：", "版权所有", "ICP备", "公网安备", "网站地图")
    family_marks = {
        "wenshang": (
            "索引号：",
            "组配分类：",
            "废止日期：",
            "浏览次数：",
            "bdsharebuttonbox",
            "扫一扫在手机打开当前页",
            "打印",
            "关闭",
            "上一篇：",
            "相关链接",
            "/module/visitcount/visit.jsp?",
            'href="http://www.hanweb.com"',
            '<div class="main-txt" id="zoom">',
        ),
        "xiangdu": (
            "索&ensp;引&ensp;号：",
            "体裁分类：",
            "发布机构：",
            "字体：[",
            "扫一扫分享到手机端",
            '<div class="TRS_Editor">',
            "【打印本页】",
            "【关闭窗口】",
        ),
        "qingyuan_sfj": (
            "时间：",
            "来源：本网",
            "访问量：",
            "【字体：",
            "相关附件:",
            "扫一扫在手机打开当前页",
            '<div class="TRS_Editor">',
        ),
        "suixi": (
            '<table class="table_suoyin"',
            "索引号：",
            "组配分类：",
            "生成日期：",
            "文字大小：",
            "背景色：",
            '<div class="j-fontContent',
            "扫一扫在手机打开当前页",
        ),
        "lushan": (
            "索&ensp;引&ensp;号：",
            "主题分类：",
            "发文机关：",
            "发文字号：",
            '<div class="TRS_Editor">',
            "分享到：",
        ),
    }
    for site in SITES:
        doc = server.world.served_documents(site.key)[0]
        page = text_of(site.key, fetch(server, doc.url)[2])
        for mark in common + family_marks[site.key]:
            assert mark in page, (site.key, mark)
        for name in (
            "SiteName",
            "SiteDomain",
            "SiteIDCode",
            "ColumnName",
            "ArticleTitle",
            "PubDate",
            "ContentSource",
        ):
            assert f'<meta name="{name}"' in page, (site.key, name)
        list_page = text_of(site.key, fetch(server, site.columns[0].url)[2])
        for name in ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName"):
            assert f'<meta name="{name}"' in list_page


def test_served_documents_are_clean_and_consistent(server: ReplicaServer) -> None:
    docs = server.world.served_documents()
    assert len({d.url for d in docs}) == len(docs)
    for d in docs:
        assert isinstance(d, ServedDoc)
        assert "?" not in d.url and d.url.startswith(SITES_BY_KEY[d.site].base_url + "/")
        for junk in ("索引号", "扫一扫", "打印", "Produced By", "浏览次数"):
            assert junk not in d.text
        assert all(line == line.strip() and line for line in d.text.split("\n"))
        md = d.metadata
        assert set(md) == {
            "index_no",
            "publisher",
            "written_date",
            "published_date",
            "doc_number",
            "category",
            "validity",
            "abolished_date",
            "disclosure",
            "source",
        }
        assert md["published_date"] == d.published_at[:10]
        pub = md["published_date"].replace("-", "")
        if d.site in ("xiangdu", "qingyuan_sfj", "lushan"):
            assert f"/t{pub}_" in d.url
        if d.site == "wenshang":
            y, m, day = md["published_date"].split("-")
            assert f"/art/{y}/{int(m)}/{int(day)}/art_" in d.url
        if SITES_BY_KEY[d.site].encoding == "gbk":
            (d.title + d.text).encode("gbk")
        if not d.is_seed:
            assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", d.text.split("\n")[-1])


def test_world_is_deterministic() -> None:
    a, b = World(), World()
    assert a.served_documents() == b.served_documents()
    c = World()
    c.advance()
    c.advance()
    assert c.served_documents() == World(generation=2).served_documents()


# --------------------------------------------------------------------------- evolution


def test_advance_adds_edits_and_removes(fresh_server: ReplicaServer) -> None:
    srv = fresh_server
    world = srv.world
    before = {d.url: d for d in world.served_documents()}
    etags = {
        url: fetch(srv, url)[1].get("etag") for url, d in before.items() if d.site == "wenshang"
    }
    world.advance()
    after = {d.url: d for d in world.served_documents()}
    for site in SITES:
        b = {u for u, d in before.items() if d.site == site.key}
        a = {u for u, d in after.items() if d.site == site.key}
        added, removed = a - b, b - a
        assert added and removed
        edited = [u for u in a & b if after[u].text != before[u].text]
        assert edited
        for url in removed:
            assert fetch(srv, url)[0] == 404
        for url in added:
            doc = after[url]
            status, _, data = fetch(srv, url)
            assert status == 200 and doc.title in text_of(site.key, data)
            # newest, so first in its column listing
            col = next(c for c in site.columns if c.url == doc.column_url)
            _, urls = listed_urls(srv, site.key, col)
            assert urls[0] == url
            assert set(urls) == served_for(world, col)
        for col in site.columns:
            _, urls = listed_urls(srv, site.key, col)
            assert not removed & set(urls)
        for url in edited:
            assert after[url].revision == before[url].revision + 1
            page = html.unescape(text_of(site.key, fetch(srv, url)[2]))
            assert all(line in page for line in after[url].text.split("\n"))
            if site.key == "wenshang":
                assert fetch(srv, url)[1]["etag"] != etags[url]
    # seeds are never removed
    assert sum(d.is_seed for d in after.values()) == 5


# --------------------------------------------------------------------------- faults


def test_fault_injection_then_recovery(fresh_server: ReplicaServer) -> None:
    srv = fresh_server
    url = SITES_BY_KEY["xiangdu"].columns[0].url
    srv.inject_fault("www.xiangdu.gov.cn", "/zwgk/fzzfjs/", 503, times=2, retry_after=7)
    for _ in range(2):
        status, headers, _ = fetch(srv, url)
        assert status == 503 and headers["retry-after"] == "7"
    assert fetch(srv, url)[0] == 200
    # other hosts are not affected; 429 without Retry-After
    srv.inject_fault("www.hnls.gov.cn", "/", 429)
    assert fetch(srv, "http://www.wenshang.gov.cn/")[0] == 200
    status, headers, _ = fetch(srv, "https://www.hnls.gov.cn/zwgk/tzgg/index.html", absolute=False)
    assert status == 429 and "retry-after" not in headers
    assert fetch(srv, "https://www.hnls.gov.cn/zwgk/tzgg/index.html")[0] == 200
    assert ("www.xiangdu.gov.cn", "GET", "/zwgk/fzzfjs/index.html", 503) in srv.request_log
