"""The families added in issue 5 (gkmlpt, jpaas, Shandong /gongkai/, 开普云 UCAP, generic):
adapters on the replica's own pages, detection, and crawls over real HTTP."""

import json
import sqlite3
import subprocess
import sys
from urllib.parse import parse_qsl, urlsplit

import pytest

from archive.identity import url_key
from crawler.families import ADAPTERS, detect_family, get_adapter
from crawler.families.generic import GenericAdapter, next_page_links
from crawler.sites import get_site
from replica import ReplicaServer, World
from replica.families import portal_renderer
from replica.families.base import Request

NEW_SITES = ("ruyuan", "jinyun", "chengwu", "wenxi", "huarong")
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False"]
WORLD = World()


def get(url: str) -> tuple[int, dict[str, str], str]:
    """One page from the replica renderer in-process (no sockets), decoded as a browser would."""
    parts = urlsplit(url)
    portal = WORLD.portal_for_host(parts.hostname or "")
    assert portal is not None, url
    resp = portal_renderer(WORLD, portal).serve(Request("GET", parts.path or "/", parts.query, {}))
    encoding = "gb18030" if portal.site.encoding == "gbk" else "utf-8-sig"
    return resp.status, dict(resp.headers), resp.body.decode(encoding)


def walk(site_key: str, column_url: str) -> tuple[int, list[str]]:
    """Follow a column with its registry adapter; return (listing pages, detail URLs)."""
    adapter = get_adapter(get_site(site_key).family)
    queue, seen, details = [column_url], set(), []
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        status, _, text = get(url)
        assert status == 200, url
        listing = adapter.parse_listing(url, text)
        details += [d for d in listing.details if d not in details]
        queue += [p.url for p in listing.next_pages]
    return len(seen), details


def served(site_key: str, column_url: str | None = None) -> set[str]:
    return {
        d.url for d in WORLD.served_documents(site_key)
        if column_url is None or d.column_url == column_url
    }  # fmt: skip


# -- adapters on the replica's pages ---------------------------------------------------------


@pytest.mark.parametrize("site_key", NEW_SITES)
def test_each_column_lists_exactly_the_served_documents(site_key):
    for col in get_site(site_key).columns:
        pages, details = walk(site_key, col.url)
        assert pages >= 3
        assert set(details) == served(site_key, col.url)
        assert 30 <= len(details) <= 50


def test_gkmlpt_index_page_leads_to_the_api_and_the_api_paginates():
    adapter = get_adapter("gkmlpt")
    _, _, index = get("http://www.ruyuan.gov.cn/gkmlpt/index")
    assert "window._CONFIG = { SID: '755121'" in index
    listing = adapter.parse_listing("http://www.ruyuan.gov.cn/gkmlpt/index#2640", index)
    assert [p.url for p in listing.next_pages] == [
        "http://www.ruyuan.gov.cn/gkmlpt/api/all/2640?page=1&sid=755121"
    ]
    # without a fragment: category 0 (everything)
    listing = adapter.parse_listing("http://www.ruyuan.gov.cn/gkmlpt/index", index)
    assert listing.next_pages[0].url.endswith("/gkmlpt/api/all/0?page=1&sid=755121")
    url = "http://www.ruyuan.gov.cn/gkmlpt/api/all/2640?page=3&sid=755121"
    status, headers, text = get(url)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    data = json.loads(text)
    assert data["total"] == len(served("ruyuan", get_site("ruyuan").columns[0].url))
    assert {"id", "title", "url", "date", "identifier", "document_number"} <= set(
        data["articles"][0]
    )
    last = adapter.parse_listing(url, text)
    assert last.details and last.next_pages == []  # 3 × 15 ≥ total: stop
    assert adapter.parse_listing(url, '{"total": 40, "articles": []}').next_pages == []


def test_jpaas_column_page_then_json_unit_pages():
    adapter = get_adapter("jpaas")
    col = get_site("jinyun").columns[1]
    _, _, page1 = get(col.url)
    first = adapter.parse_listing(col.url, page1)
    assert len(first.details) == 15
    api = first.next_pages[0].url
    parts = urlsplit(api)
    assert parts.path == "/api-gateway/jpaas-publish-server/front/page/build/unit"
    params = dict(parse_qsl(parts.query))
    assert params | {"pageNo": "2"} == params and params["webId"] == "3217"
    assert params["pageId"] == "1229361463" and params["rows"] == "15"
    status, headers, body = get(api)
    assert status == 200 and json.loads(body)["success"] is True
    second = adapter.parse_listing(api, body)
    assert not set(second.details) & set(first.details)
    assert dict(parse_qsl(urlsplit(second.next_pages[0].url).query))["pageNo"] == "3"


def test_shandong_follows_next_links_until_the_last_page():
    adapter = get_adapter("shandong")
    col = get_site("chengwu").columns[0]
    _, _, text = get(col.url)
    listing = adapter.parse_listing(col.url, text)
    assert [p.url for p in listing.next_pages] == [col.url + "?page=2"]
    assert all("/doc_" in d for d in listing.details)
    last = col.url + "?page=3"
    assert adapter.parse_listing(last, get(last)[2]).next_pages == []


def test_ucap_pager_and_detail_shape():
    adapter = get_adapter("ucap")
    col = get_site("wenxi").columns[0]
    _, _, text = get(col.url)
    listing = adapter.parse_listing(col.url, text)
    assert listing.next_pages[0].url.endswith("/fzzfjs/index_1.shtml")
    assert all(adapter.is_detail(d) and d.endswith(".shtml") for d in listing.details)
    _, _, detail = get(listing.details[0])
    assert 'id="UCAP-CONTENT"' in detail and "kpyfx_js_id_" in detail


def test_generic_adapter_skips_navigation_sidebar_and_footer_links():
    col = get_site("huarong").columns[0]
    _, _, text = get(col.url)
    adapter = GenericAdapter()
    details = adapter.find_details(col.url, text)
    assert len(details) == 15 and all("/24361/24365/24410/content_" in d for d in details)
    assert not any("24380" in d for d in details)  # dateless 专题 sidebar links
    pages = next_page_links(col.url, text)
    assert set(pages) == {col.url.replace("index.html", f"index_{n}.html") for n in (2, 3)}


def test_generic_adapter_on_other_families_list_pages():
    """Structure alone finds the same documents on the TRS and Lonsun replicas' pages."""
    adapter = GenericAdapter()
    for key in ("xiangdu", "suixi", "chengwu", "wenxi"):
        col = get_site(key).columns[0]
        _, _, text = get(col.url)
        family = get_adapter(get_site(key).family).parse_listing(col.url, text).details
        assert adapter.parse_listing(col.url, text).details == family, key


def test_generic_list_with_query_pagination_and_dated_items():
    html = """<html><body><div class="nav"><a href="/about/intro-of-the-county.html">县情概况介绍页面</a></div>
    <ul class="list">
      <li><a href="/news/show-101.html">关于做好2024年防汛工作的通知</a> 2024-03-01</li>
      <li><a href="/news/show-99.html">关于开展安全生产检查的通知</a> 2024-02-20</li>
      <li><a href="/other/show-9.html">一篇没有日期的推荐文章标题</a></li>
    </ul>
    <div class="pg"><a href="/news/list.php?page=1">1</a> <a href="/news/list.php?page=2">2</a>
    <a href="/news/list.php?page=2">下一页</a></div><div id="footer"><a href="/sitemap.html">网站地图链接页面</a></div>
    </body></html>"""
    listing = GenericAdapter().parse_listing("http://www.x.gov.cn/news/list.php?page=1", html)
    assert listing.details == [
        "http://www.x.gov.cn/news/show-101.html",
        "http://www.x.gov.cn/news/show-99.html",
    ]
    assert [p.url for p in listing.next_pages] == ["http://www.x.gov.cn/news/list.php?page=2"]


# -- detection --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site_key", "family"),
    [("ruyuan", "gkmlpt"), ("jinyun", "jpaas"), ("chengwu", "shandong"), ("wenxi", "ucap"),
     ("huarong", "generic"), ("wenshang", "hanweb"), ("xiangdu", "trs"), ("lushan", "trs"),
     ("qingyuan_sfj", "trs"), ("suixi", "lonsun")],
)  # fmt: skip
def test_detect_family_from_column_and_detail_pages(site_key, family):
    col = get_site(site_key).columns[0]
    _, _, text = get(col.url)
    assert detect_family(col.url, text, fallback="generic") == family
    doc = next(iter(sorted(served(site_key))))
    _, _, detail = get(doc)
    assert detect_family(doc, detail, fallback="generic") == family


def test_detect_family_from_urls_alone():
    cases = {
        "http://www.ruyuan.gov.cn/gkmlpt/index": "gkmlpt",
        "http://www.x.gov.cn/gkmlpt/content/2/2614/post_2614873.html": "gkmlpt",
        "https://www.x.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?pageNo=2": "jpaas",
        "https://www.x.gov.cn/col/col1/art/2024/art_3f6a2c8e91b04d7aa5e0c4b8d21f6e93.html": "jpaas",
        "http://www.x.gov.cn/gongkai/site_a/channel_63f4a1c2b8e90d12f4a7c3f1/": "shandong",
        "http://www.x.gov.cn/xxgk/tzgg/202403/a7c41e0b93d24f5c8e16b2d90f3a5c77.shtml": "ucap",
        "http://www.x.gov.cn/col/col70805/index.html": "hanweb",
        "http://www.x.gov.cn/zwgk/202403/t20240328_6583952.html": "trs",
        "https://www.x.gov.cn/zwgk/public/column/821?type=4&catId=7391&action=list": "lonsun",
    }
    for url, family in cases.items():
        assert detect_family(url, "") == family, url
    assert detect_family("https://www.huarong.gov.cn/24361/index.html", "") is None
    assert detect_family("https://www.huarong.gov.cn/24361/index.html", "", "generic") == "generic"
    assert set(ADAPTERS) >= {"gkmlpt", "jpaas", "shandong", "ucap", "generic"}


# -- over real HTTP -----------------------------------------------------------------------------


# (column URL, family expected, site key, column index): every family, the custom portal included.
BY_URL = [
    ("http://www.ruyuan.gov.cn/gkmlpt/index#2615", "gkmlpt", "ruyuan", 1),
    ("https://www.jinyun.gov.cn/col/col1229361462/index.html", "jpaas", "jinyun", 0),
    ("http://www.chengwu.gov.cn/gongkai/site_cwxzfbgs/channel_63f4a1c2b8e90d12f4a7c3e9/",
     "shandong", "chengwu", 1),
    ("http://www.wenxi.gov.cn/xxgk/zfxxgk/fdzdgknr/tzgg/index.shtml", "ucap", "wenxi", 1),
    ("https://www.huarong.gov.cn/24361/24365/24402/index.html", "generic", "huarong", 1),
    ("http://www.wenshang.gov.cn/col/col70776/index.html", "hanweb", "wenshang", 1),
    ("https://www.xiangdu.gov.cn/zwgk/tzgg/index.html", "trs", "xiangdu", 1),
    ("https://www.sxx.gov.cn/zwgk/public/column/821?type=4&catId=7385&action=list", "lonsun",
     "suixi", 1),
]  # fmt: skip


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """Every crawl of this module, side by side against one replica (keeps the suite fast):
    the new sites by registry key, and one `--url` crawl per family."""
    tmp = tmp_path_factory.mktemp("crawls")
    runs = {"sites": [*NEW_SITES]} | {str(i): ["--url", url] for i, (url, *_) in enumerate(BY_URL)}
    with ReplicaServer(World()) as server:
        procs = {
            name: subprocess.Popen(
                [sys.executable, "-m", "govarchive", "crawl", *args, "--replica", server.address,
                 "--db", str(tmp / f"{name}.db"), *FAST],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            for name, args in runs.items()
        }  # fmt: skip
        results = {}
        for name, proc in procs.items():
            _, stderr = proc.communicate(timeout=300)
            assert proc.returncode == 0, stderr[-3000:]
            results[name] = (tmp / f"{name}.db", stderr)
    return results


def test_crawl_new_sites_by_registry_key(crawls):
    db, _ = crawls["sites"]
    want = {url_key(d.url): d for d in WORLD.served_documents() if d.site in NEW_SITES}
    with sqlite3.connect(db) as conn:
        rows = {
            r[0]: r[1:]
            for r in conn.execute("SELECT url_key, site, title FROM documents_with_text")
        }
    assert set(rows) == set(want)
    assert all(rows[k] == (d.site, d.title) for k, d in want.items())


def test_crawl_by_url_detects_the_family(crawls):
    for i, (url, family, key, col_index) in enumerate(BY_URL):
        db, stderr = crawls[str(i)]
        assert f"detected CMS family {family!r}" in stderr, (url, stderr[-2000:])
        col = get_site(key).columns[col_index]
        want = {url_key(u) for u in served(key, col.url)}
        with sqlite3.connect(db) as conn:
            got = {r[0] for r in conn.execute("SELECT url_key FROM documents")}
        assert got == want, url
