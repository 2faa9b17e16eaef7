"""End to end: `govarchive demo` crawls the replica over real HTTP into a real SQLite file."""

import sqlite3
import subprocess
import sys

import pytest

from archive.identity import url_key
from crawler.sites import load_sites
from replica import World

RECORD_METADATA = (
    "index_no", "publisher", "written_date", "published_date", "doc_number", "category",
    "validity", "abolished_date", "disclosure", "source",
)  # fmt: skip

# Boilerplate of the replica's templates (DOMAIN.md §7) that must never reach a stored body.
BOILERPLATE = (
    "当前位置", "您当前的位置", "扫一扫", "分享到", "打印本页", "关闭窗口", "【打印】", "浏览次数",
    "访问量", "字号", "字体：", "上一篇", "下一篇", "相关链接", "网站地图", "版权所有", "ICP备",
    "公网安备", "网站标识码", "Produced By", "大汉网络", "索引号", "索 引 号", "发布机构：", "无障碍",
    "设为首页", "加入收藏", "技术支持", "主办单位", "我要纠错", "文字大小", "背景色",
)  # fmt: skip


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def run_demo(db, *extra: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "govarchive", "demo", "--db", str(db), *extra],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "archive.db"
    first = run_demo(db)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    before = {
        "documents": conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0],
        "versions": conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0],
        "captures": conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0],
    }
    second = run_demo(db, "--recheck")
    after_recheck = conn.execute("SELECT MAX(id) FROM captures").fetchone()[0]
    third = run_demo(db)  # the default, incremental re-crawl
    served = {url_key(doc.url): doc for doc in World().served_documents()}
    docs = {row["url_key"]: dict(row) for row in conn.execute("SELECT * FROM documents_with_text")}
    yield {"db": db, "conn": conn, "first": first, "second": second, "before": before,
           "served": served, "docs": docs, "third": third,
           "after_recheck": after_recheck}  # fmt: skip
    conn.close()


def test_every_served_document_is_archived_once(demo):
    assert set(demo["docs"]) == set(demo["served"])
    assert demo["before"]["documents"] == len(demo["served"])
    # The printed summary counts the same number as the replica serves, per site.
    total = next(line for line in demo["first"].stdout.splitlines() if line.startswith("total"))
    assert int(total.split()[-1]) == len(demo["served"])


def test_summary_matches_replica_per_site(demo):
    out = demo["first"].stdout
    per_site: dict[str, int] = {}
    for doc in demo["served"].values():
        per_site[doc.site] = per_site.get(doc.site, 0) + 1
    for site, count in per_site.items():
        row = next(line for line in out.splitlines() if line.startswith(site + " "))
        numbers = [int(x) for x in row.split() if x.isdigit()]
        assert numbers[0] == count and numbers[-1] == count, row


def test_each_seed_report_exactly_once_with_title_body_metadata(demo):
    seeds = [doc for doc in demo["served"].values() if doc.is_seed]
    assert len(seeds) == 5
    conn = demo["conn"]
    for doc in seeds:
        rows = conn.execute(
            "SELECT * FROM documents_with_text WHERE title = ?", [doc.title]
        ).fetchall()
        assert len(rows) == 1, doc.title
        row = dict(rows[0])
        assert row["url"] == doc.url
        assert lines(row["text"]) == lines(doc.text), doc.title
        for field in RECORD_METADATA:
            assert row[field] == doc.metadata[field], (doc.title, field)


def test_seed_bodies_keep_signature_and_date_lines(demo):
    docs = demo["docs"]
    wenshang = docs["wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html"]
    assert lines(wenshang["text"])[-2:] == ["汶上县司法局", "2024228"]
    assert wenshang["index_no"] == "11370830004335705P/2024-00646"
    lushan = docs["hnls.gov.cn/zwgk/fzzfjs/202402/t20240229_431696.html"]
    assert lines(lushan["text"])[-1] == "2024年2月"


def test_all_titles_bodies_and_metadata_match_what_the_replica_serves(demo):
    wrong = []
    for key, doc in demo["served"].items():
        row = demo["docs"][key]
        if row["title"] != doc.title or lines(row["text"]) != lines(doc.text):
            wrong.append((doc.url, "title/text"))
        wrong += [(doc.url, f) for f in RECORD_METADATA if row[f] != doc.metadata[f]]
    assert wrong == []


def test_no_boilerplate_phrase_in_any_body(demo):
    leaks = [
        (row["url"], phrase)
        for row in demo["docs"].values()
        for phrase in BOILERPLATE
        if phrase in (row["text"] or "") and phrase not in demo["served"][row["url_key"]].text
    ]
    assert leaks == []


def test_gbk_pages_are_decoded(demo):
    gbk_sites = {"xiangdu", "qingyuan_sfj", "lushan"}  # no charset / wrong charset / right charset
    rows = [r for r in demo["docs"].values() if r["site"] in gbk_sites]
    assert len(rows) > 100
    for row in rows:
        assert "\ufffd" not in row["text"] and "\ufffd" not in row["title"]
        assert row["title"] == demo["served"][row["url_key"]].title
    encodings = {
        r[0] for r in demo["conn"].execute(
            "SELECT DISTINCT json_extract(v.extras_json, '$.encoding') FROM versions v "
            "JOIN documents d ON d.current_version_id = v.id WHERE d.site IN ('xiangdu', 'qingyuan_sfj', 'lushan')"
        )
    }  # fmt: skip
    assert encodings == {"gb18030"}


def test_second_run_adds_no_duplicates(demo):
    conn = demo["conn"]
    assert (
        conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == demo["before"]["documents"]
    )
    assert conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0] == demo["before"]["versions"]
    # ... but every fetch of the second run is kept as a capture. Portals that send validators
    # were asked with a conditional GET and answered 304; the others were fetched and compared.
    second_run = conn.execute(
        "SELECT site, kind, status, outcome, COUNT(*) FROM captures WHERE id > ? AND id <= ? "
        "GROUP BY site, kind, status, outcome",
        [demo["before"]["captures"], demo["after_recheck"]],
    ).fetchall()
    detail = {
        site: (status, outcome) for site, kind, status, outcome, _ in second_run if kind == "detail"
    }
    assert detail == {
        "wenshang": (304, "not-modified"),  # ETag + Last-Modified
        "lushan": (304, "not-modified"),  # ETag only
        "qingyuan_sfj": (304, "not-modified"),  # Last-Modified only
        "xiangdu": (200, "unchanged"),  # no validators
        "suixi": (200, "unchanged"),
        "ruyuan": (304, "not-modified"),  # Last-Modified only
        "jinyun": (304, "not-modified"),  # ETag + Last-Modified
        "wenxi": (304, "not-modified"),  # Last-Modified only
        "chengwu": (200, "unchanged"),  # no validators
        "huarong": (200, "unchanged"),
    }
    assert {o for _, k, _, o, _ in second_run if k == "listing"} == {"unchanged"}
    detail_captures = sum(n for _, kind, _, _, n in second_run if kind == "detail")
    assert detail_captures == len(demo["served"])


def test_incremental_run_stops_at_known_documents(demo):
    """Without --recheck, each column's first listing page shows only known documents, none
    of which is due again yet: the walk stops there and no detail page is fetched."""
    conn = demo["conn"]
    third = conn.execute(
        "SELECT kind, url, outcome FROM captures WHERE id > ?", [demo["after_recheck"]]
    ).fetchall()
    columns = {c.url for s in load_sites().values() if s.key in {d.site for d in
               demo["served"].values()} for c in s.columns}  # fmt: skip
    assert {kind for kind, _, _ in third} == {"listing"}
    assert len(third) == len(columns)
    assert (
        conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == demo["before"]["documents"]
    )


def test_raw_bytes_kept_for_every_capture(demo):
    conn = demo["conn"]
    missing = conn.execute(
        "SELECT COUNT(*) FROM captures c LEFT JOIN raw r ON r.digest = c.raw_digest "
        "WHERE c.status = 200 AND r.digest IS NULL"
    ).fetchone()[0]
    assert missing == 0
