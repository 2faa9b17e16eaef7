"""The national registry: every government of the shared list is one entry, seeds stay unique."""

import csv
import subprocess
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from crawler.sites import (
    NoColumnError,
    UnknownSiteError,
    get_site,
    load_sites,
    select_sites,
    site_for_url,
)
from crawler.sites.build_registry import COLUMNS, derive_column, guess_family, render

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

SEEDS = {"wenshang": "370830", "xiangdu": "130502", "suixi": "340621", "lushan": "410423"}
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
        "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=4"]  # fmt: skip


def packaged_rows() -> list[dict[str, str]]:
    text = resources.files("crawler.sites").joinpath("registry.tsv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))


def shared_portals() -> list[dict[str, str]]:
    path = SHARED / "registry" / "government_portals.tsv"
    if not path.is_file():
        pytest.skip(f"the shared registry is not beside the repo ({path})")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def govarchive(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "govarchive", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd)  # fmt: skip


# -- the packaged file -------------------------------------------------------------------------


def test_packaged_registry_is_well_formed():
    rows = packaged_rows()
    assert tuple(rows[0]) == COLUMNS
    assert Counter(r["level"] for r in rows)["县级"] == 2838
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys))
    assert all(k.isascii() and k.startswith("gov") for k in keys)
    coded = [r["admin_code"] for r in rows if r["admin_code"]]
    assert coded == sorted(coded)
    assert all(r["key"] == f"gov{r['admin_code']}" for r in rows if r["admin_code"])


def test_packaged_registry_matches_the_shared_list():
    portals = shared_portals()
    rows = packaged_rows()
    assert Counter(r["level"] for r in rows) == Counter(p["level"] for p in portals)
    assert {r["admin_code"] for r in rows} == {p["admin_code"] for p in portals}


def test_packaged_registry_is_up_to_date():
    shared_portals()  # skips without ../shared
    packaged = resources.files("crawler.sites").joinpath("registry.tsv").read_text("utf-8")
    assert packaged == render(SHARED / "registry"), (
        "run: python -m crawler.sites.build_registry ../shared/registry"
    )


# -- the merged registry -----------------------------------------------------------------------


def test_every_government_is_one_entry():
    sites = load_sites()
    rows = packaged_rows()
    backed = [s for s in sites.values() if s.in_registry]
    assert Counter(s.level for s in backed) == Counter(r["level"] for r in rows)
    codes = Counter(s.admin_code for s in backed if s.admin_code)
    assert max(codes.values()) == 1
    assert len(sites) > 3000


def test_seed_portals_are_single_complete_entries():
    sites = load_sites()
    for key, code in SEEDS.items():
        site = get_site(key)
        assert site.admin_code == code and site.family and site.columns, key
        assert site.in_registry and site.level == "县级" and site.reachability, key
        assert f"gov{code}" not in sites, f"{key} duplicated by its national row"
        same_code = [s.key for s in sites.values() if s.admin_code == code]
        assert same_code == [key]
    # 清远市司法局 is a department: complete, never duplicated, and the city government
    # (its own portal) stays a separate national entry.
    qy = get_site("qingyuan_sfj")
    assert qy.family and qy.columns and not qy.in_registry
    assert [s.key for s in sites.values() if "sfj.gdqy.gov.cn" in s.hosts] == ["qingyuan_sfj"]
    assert get_site("gov441800").name == "清远市"


def test_every_hand_written_government_portal_replaces_its_national_row():
    sites = load_sites()
    hand = [s for s in sites.values() if s.source.startswith("sites.toml")]
    for site in hand:
        if site.name.endswith("人民政府"):
            assert site.in_registry and site.admin_code, site.key
            assert f"gov{site.admin_code}" not in sites, f"{site.key} duplicated"


def test_hand_written_entries_keep_priority():
    site = get_site("wenshang")
    assert site.source == "sites.toml+registry"
    assert site.columns[0].url == "http://www.wenshang.gov.cn/col/col70805/index.html"
    assert site.index_no_example == "11370830004335705P/2024-00646"  # filled from the registry
    assert list(load_sites())[0] == "wenshang"  # hand-written first: they win a shared host


def test_hand_written_entry_without_admin_code_is_matched_by_host(monkeypatch):
    import crawler.sites as registry

    written = registry._hand_written()

    def with_wenxi():
        home = "http://www.wenxi.gov.cn/"
        column = registry.Column("法治政府建设", home + "zwgk/fzzfjs/")
        return written | {"wenxi": registry.Site("wenxi", "闻喜县人民政府", "trs", home,
                                                 columns=(column,))}  # fmt: skip

    monkeypatch.setattr(registry, "_hand_written", with_wenxi)
    registry.load_sites.cache_clear()
    try:
        sites = registry.load_sites()
        assert sites["wenxi"].admin_code == "140823" and sites["wenxi"].level == "县级"
        assert "gov140823" not in sites
    finally:
        registry.load_sites.cache_clear()
        registry._host_index.cache_clear()


def test_site_for_url_uses_the_host_index():
    assert (
        site_for_url("http://www.wenshang.gov.cn/art/2024/3/2/art_70805_1.html").key == "wenshang"
    )
    assert site_for_url("http://sfj.gdqy.gov.cn/zwgk/tzgg/index.html").key == "qingyuan_sfj"
    assert site_for_url("https://cqjlp.gov.cn/zwgk_251/").key == "gov500107"  # www. optional
    assert site_for_url("http://example.com/") is None


def test_unknown_keys_and_missing_columns_are_clear():
    with pytest.raises(UnknownSiteError, match="did you mean: wenshang"):
        get_site("wenshan")
    with pytest.raises(NoColumnError) as exc:
        get_site("gov410523").crawl_columns()
    assert str(exc.value) == "no known column for 汤阴县 (gov410523); give --url COLUMN_URL"


def test_slices():
    shandong = select_sites(province="山东")  # short names resolve when unambiguous
    assert {s.province for s in shandong} == {"山东省"}
    assert "wenshang" in {s.key for s in select_sites(province="山东省", family="hanweb")}
    jining = {s.key for s in select_sites(prefecture="济宁市")}
    assert {"wenshang", "gov370800", "gov370812"} <= jining
    assert all(not s.family for s in select_sites(province="山东省", unknown=True))
    assert len(select_sites(level="县级")) == 2838
    with pytest.raises(ValueError, match="close matches: .*山东省"):
        select_sites(province="山栋省")
    with pytest.raises(ValueError, match="unknown family"):
        select_sites(family="frontpage")


# -- family and column guesses -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "family", "column"),
    [
        ("http://www.wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html?xxgkhide=1", "hanweb",
         "http://www.wenshang.gov.cn/col/col70805/index.html"),
        ("http://www.deqing.gov.cn/col/col1229877312/art/2025/art_18294819.html", "hanweb",
         "http://www.deqing.gov.cn/col/col1229877312/index.html"),
        ("http://www.wenshang.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=1&fbtime=2025",
         "hanweb", None),
        ("http://www.tjjh.gov.cn/jhqzf/zwgk_28985/gzbg/202103/t20210329_5396867.html", "trs",
         "http://www.tjjh.gov.cn/jhqzf/zwgk_28985/gzbg/"),
        ("http://sfj.cq.gov.cn/sy_243/bmdt/202403/t20240329_13094899_wap.html", "trs",
         "http://sfj.cq.gov.cn/sy_243/bmdt/"),
        ("https://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/gongkai/fzzfjsbg/qzf/dcq/"
         "202403/t20240327_3602388.html", "trs",
         "https://www.beijing.gov.cn/gongkai/fzzfjsbg/qzf/dcq/"),
        ("https://www.gzns.gov.cn/gznsqfb/gkmlpt/content/5/5850/post_5850803.html", "gkmlpt",
         "https://www.gzns.gov.cn/gznsqfb/gkmlpt/index"),
        ("http://www.gdqy.gov.cn/gdqy/newxxgk/fzzfjs/content/post_1831613.html", "gkmlpt", None),
        ("https://www.sxx.gov.cn/zwgk/public/821/63010655.html", "lonsun", None),
        ("http://www.tianqiao.gov.cn/gongkai/site_tianqiaoquqzfbgsb/channel_6389a0d93759918282632f20"
         "/doc_65b210500ee15e41cff3060b.html", "shandong", None),
        ("https://yongchang.gov.cn/zfxxgk/zc/art/2025/art_4ac8ce0009be4a7a991a7121d36457ca.html",
         "jpaas", None),
        ("https://www.xiangdu.gov.cn/single/29/60750.html", "unknown", None),
        ("https://www.fuliang.gov.cn/xsfj/gggs_10445/t904758.shtml", "unknown", None),
    ],
)  # fmt: skip
def test_family_and_column_from_report_url(url, family, column):
    assert guess_family(url) == family
    assert derive_column(url) == column


# -- the command line --------------------------------------------------------------------------


def test_sites_command_filters():
    result = govarchive("sites", "--province", "山东省", "--family", "hanweb")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["wenshang", "hanweb", "370830"]
    assert all(line.split()[1] == "hanweb" and "山东省" in line for line in lines)

    unknown = govarchive("sites", "--prefecture", "济宁市", "--unknown").stdout.splitlines()
    assert unknown and all(line.split()[1] == "-" for line in unknown)
    assert not any(line.startswith("wenshang") for line in unknown)

    count = govarchive("sites", "--count").stdout
    assert "县级 2838" in count and "by family:" in count and "山东省" in count

    bad = govarchive("sites", "--province", "山栋")
    assert bad.returncode == 2 and "close matches" in bad.stderr and "山东省" in bad.stderr


def test_crawl_of_entries_without_a_column_fails_clearly(tmp_path):
    db = tmp_path / "archive.db"
    named = govarchive("crawl", "gov410523", "--db", str(db))
    assert named.returncode == 2
    assert "no known column for 汤阴县 (gov410523); give --url COLUMN_URL" in named.stderr
    assert "Traceback" not in named.stderr

    sliced = govarchive("crawl", "--province", "河南省", "--family", "jpaas", "--db", str(db))
    assert sliced.returncode == 2
    assert "skipped 1 without a known column (jpaas 1)" in sliced.stderr
    assert "nothing to crawl" in sliced.stderr
    assert not db.exists()


def test_crawl_of_a_province_slice_takes_the_entries_with_columns(tmp_path):
    from replica import ReplicaServer, World

    db = tmp_path / "archive.db"
    with ReplicaServer(World()) as server:
        result = govarchive("crawl", "--province", "安徽省", "--replica", server.address,
                            "--db", str(db), *FAST)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "1 with a known column" in result.stderr
    assert "without a known column" in result.stderr
    assert "suixi" in result.stdout and "gov340" not in result.stdout
