"""Chinese full-text search: segmentation, the index, and Datasette's search box through the plugin."""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import sqlite3
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlite_utils
import yaml

from archive import datasette_plugin
from archive.search import (
    FTS_TABLE,
    MAX_QUERY_CHARS,
    ensure_search_index,
    index_document,
    rebuild_search_index,
    search,
    segment,
    segment_advanced_query,
    segment_query,
    unindex_document,
)

# -- segmentation -------------------------------------------------------------------------------


def test_segment_han_runs_become_bigrams_with_a_trailing_unigram():
    assert segment("行政复议") == "行政 政复 复议 议"
    assert segment("法治，政府") == "法治 治 政府 府"  # no bigram across punctuation
    assert segment("的") == "的"


def test_segment_keeps_latin_and_digit_runs_as_words():
    assert segment("2023年度GDP增长") == "2023 年度 度 gdp 增长 长"
    assert segment("Ａ１２３号") == "a123 号"  # full-width folded
    assert segment("通  知") == "通知 知"  # spaced-out title joined
    assert segment(None) == "" and segment("，。！") == ""


def test_query_terms_are_anded_phrases_of_bigrams():
    assert segment_query("法治") == '"法治"'
    assert segment_query("行政复议 败诉") == '"行政 政复 复议" "败诉"'
    assert segment_query('"行政复议决定"') == '"行政 政复 复议 议决 决定"'
    assert segment_query("复议\u3000公开") == '"复议" "公开"'  # ideographic space separates


def test_single_han_character_is_a_prefix_query():
    assert segment_query("法") == '"法"*'
    assert segment_query("2023年") == '"2023 年"*'


def test_mixed_term_mirrors_the_index():
    # 法治 ends a Han run here, so it carries the run's trailing unigram, like the index does.
    assert segment_query("法治2023") == '"法治 治 2023"'
    assert '"法治 治 2023"'.strip('"') in segment("建设法治2023年")


def test_every_substring_of_a_text_is_found_by_its_own_query():
    """The query side mirrors the index: any piece of the text matches the text as a phrase."""
    text = "汶上县2023年度法治政府建设情况报告：行政复议12件，GDP增长5%，通  知。"
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(body)")
    conn.execute("INSERT INTO f (rowid, body) VALUES (1, ?)", [segment(text)])
    for i in range(len(text)):
        for j in range(i + 1, min(len(text), i + 12) + 1):
            piece = text[i:j]
            expr = segment_query(f'"{piece}"')
            if expr is None or not piece[0].isalnum() or not piece[-1].isalnum():
                continue
            if piece[0].isascii() and i and text[i - 1].isascii() and text[i - 1].isalnum():
                continue  # starts inside a Latin/digit word: words are whole tokens
            if piece[-1].isascii() and j < len(text) and text[j].isascii() and text[j].isalnum():
                continue  # ends inside a word (no prefix search on words)
            hits = conn.execute("SELECT rowid FROM f WHERE f MATCH ?", [expr]).fetchall()
            assert hits == [(1,)], (piece, expr)


def test_empty_and_punctuation_only_queries_are_none():
    for q in ["", "   ", '"', '""', "(((", "*", "-", ":", "，。、"]:
        assert segment_query(q) is None, q


HOSTILE = [
    '"',
    '"行政复议',
    "复议*",
    "* 复议",
    "NEAR(行政 复议)",
    "NEAR",
    "行政 AND 复议",
    "AND",
    "OR NOT",
    "(法治",
    "法治)",
    "-复议",
    "title:复议",
    "body : 法治",
    "{title}: 法治",
    "^法治",
    "法治 + 政府",
    "'; DROP TABLE documents; --",
    "复议\x00公开",
    "\\",
    "复议" * 2000,
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_input_is_always_a_valid_fts5_query(q):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(title, body)")
    for expr in (segment_query(q), segment_advanced_query(q)):
        if expr is not None:
            conn.execute("SELECT * FROM f WHERE f MATCH ?", [expr]).fetchall()


def test_operators_are_plain_words_in_the_search_box():
    assert segment_query("行政 AND 复议") == '"行政" "and" "复议"'
    assert segment_query("NEAR(a b)") == '"near a" "b"'
    assert segment_query("-复议 title:法治") == '"复议" "title 法治"'


def test_very_long_query_is_cut():
    expr = segment_query("行政复议" * 1000)
    assert expr is not None and expr.count(" ") < MAX_QUERY_CHARS


def test_advanced_syntax_keeps_operators_and_segments_words():
    assert segment_advanced_query("行政复议 OR 法治") == '"行政 政复 复议" OR "法治"'
    assert segment_advanced_query("复议 NOT 复印") == '"复议" NOT "复印"'
    assert segment_advanced_query("title:法治") == 'title: "法治"'
    assert segment_advanced_query("NEAR(行政 败诉, 5)") == 'NEAR ( "行政" "败诉" , 5 )'
    # Anything FTS5 would reject becomes a plain search instead of an error.
    assert segment_advanced_query("(法治 OR") == segment_query("(法治 OR")


# -- a small archive ------------------------------------------------------------------------------

# (id, title, body, site, published_date). Dates are chosen so that date order != rank order.
DOCS = [
    (1, "关于张某不服行政处罚申请行政复议的行政复议决定书",
     "申请人张某不服被申请人作出的行政处罚决定，向本机关申请行政复议。本机关依法受理行政复议申请。"
     "经审查，本机关作出如下行政复议决定：维持原行政处罚决定。申请人如不服本行政复议决定，"
     "可以在收到行政复议决定书之日起十五日内向人民法院提起行政诉讼。",
     "wenshang", "2021-05-10"),
    (2, "关于规范档案复印工作的通知",
     "各单位查阅档案需复印的，应填写复印登记表。复印件须加盖档案专用章，复印费用按规定收取。",
     "wenshang", "2024-06-01"),
    (3, "汶上县2023年度法治政府建设情况报告",
     "2023年，我县深入推进法治政府建设，全面落实行政执法三项制度。全年办理行政复议案件12件，"
     "行政诉讼案件中败诉2件。下一步将继续加强法治宣传教育。",
     "wenshang", "2024-03-02"),
    (4, "2023年政府信息公开工作年度报告",
     "本机关坚持以公开为常态、不公开为例外，全年主动公开政府信息356条，"
     "收到政府信息公开申请18件，因政府信息公开被申请行政复议1件，未发生行政诉讼败诉。",
     "liangshan", "2024-01-20"),
    (5, "关于行政应诉工作情况的通报",
     "今年以来，全市行政机关负责人出庭应诉率达到100%。行政复议纠错15件，行政诉讼败诉案件3件，"
     "败诉原因主要是程序违法。",
     "liangshan", "2023-12-15"),
    (6, "行政诉讼败诉案件分析报告",
     "对近三年行政诉讼败诉案件进行分析，败诉案件集中在征收拆迁领域，败诉率有所下降。",
     "liangshan", "2023-11-01"),
    (7, "关于做好市政复工复产工作的通知",
     "各行政审批部门要做好市政复工复产服务，优化行政审批流程，加快项目建设进度。",
     "jiaxiang", "2023-04-01"),
    (8, "政务公开工作要点",
     "深化政务公开，推进决策公开、执行公开、管理公开、服务公开、结果公开。组织学习宪法。",
     "jiaxiang", "2023-03-15"),
    (9, "关于印发《城市绿化管理办法》的通知",
     "为加强城市绿化管理，制定本办法。本办法自发布之日起施行。",
     "jiaxiang", "2022-08-08"),
    (10, "关于行政执法决定公示的通知",
     "行政执法机关作出行政执法决定后，应当公示执法决定。当事人可以申请行政复议或者提起行政诉讼。",
     "wenshang", "2022-01-01"),
    (11, "关于做好防汛抗旱工作的通知",
     "各乡镇要落实防汛责任，做好物资储备，确保安全度汛。",
     "jiaxiang", "2022-06-01"),
    (12, "关于开展全民健身活动的通知",
     "为丰富群众文化生活，决定开展全民健身系列活动，欢迎广大群众积极参与。",
     "liangshan", "2022-09-01"),
]  # fmt: skip


def make_archive(path: Path) -> sqlite_utils.Database:
    """A real archive (archive.store.Archive, so the real schema and indexing path)."""
    from archive.store import Archive

    archive = Archive(path)
    for doc_id, title, body, site, date in DOCS:
        record = {"title": title, "text": body, "publisher": site, "category": "通知",
                  "published_date": date}  # fmt: skip
        url = f"http://www.{site}.gov.cn/art/{date.replace('-', '/')}/art_1_{doc_id}.html"
        result = archive.record_fetch(
            url=url, site=site, status=200, headers={}, body=url.encode(), record=record,
        )  # fmt: skip
        assert result.document_id == doc_id
    return archive.db


@pytest.fixture
def archive_db(tmp_path) -> Path:
    path = tmp_path / "archive.db"
    make_archive(path).close()
    return path


def ids(results: list[dict]) -> list[int]:
    return [r["id"] for r in results]


# -- the Python API ------------------------------------------------------------------------------


def test_search_two_and_four_character_words(archive_db):
    db = sqlite_utils.Database(archive_db)
    assert set(ids(search(db, "复议"))) == {1, 3, 4, 5, 10}
    assert set(ids(search(db, "行政复议"))) == {1, 3, 4, 5, 10}
    assert set(ids(search(db, "法治"))) == {3}
    assert set(ids(search(db, "公开"))) == {4, 8}


def test_hard_negatives(archive_db):
    db = sqlite_utils.Database(archive_db)
    assert 2 not in ids(search(db, "复议"))  # 复印 shares only 复
    assert 7 not in ids(search(db, "行政复议"))  # 行政 … 市政复工: 政复 across a word boundary
    assert set(ids(search(db, "复印"))) == {2}


def test_search_and_semantics_phrase_and_ranking(archive_db):
    db = sqlite_utils.Database(archive_db)
    assert set(ids(search(db, "行政复议 败诉"))) == {3, 4, 5}
    assert ids(search(db, '"行政复议决定"')) == [1]  # 10 has 行政复议 and 决定, not together
    assert ids(search(db, "行政复议"))[0] == 1  # title + many body hits beats a single mention
    assert ids(search(db, "败诉"))[0] == 6
    assert search(db, "核酸检测") == [] and search(db, "，。") == []


def test_single_character_finds_the_end_of_a_run(archive_db):
    db = sqlite_utils.Database(archive_db)
    assert {8, 9} <= set(ids(search(db, "法")))  # 宪法, 办法: 法 is only ever last in a run


def test_reindex_replaces_and_unindex_removes(archive_db):
    db = sqlite_utils.Database(archive_db)
    body = "本通知自印发之日起施行，原防汛工作方案同时废止。"
    thash = hashlib.sha256(body.encode()).hexdigest()
    db["texts"].insert({"hash": thash, "text": body, "chars": len(body)})
    db["documents"].update(11, {"title": "关于废止防汛方案的通知", "text_hash": thash})
    index_document(db, 11, "关于废止防汛方案的通知", body)
    assert ids(search(db, "废止")) == [11]
    assert search(db, "物资储备") == []  # the old text's tokens are gone
    unindex_document(db, 11)
    unindex_document(db, 11)  # idempotent
    assert search(db, "废止") == [] and search(db, "防汛") == []
    db.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('integrity-check')")


def test_index_without_texts_row_keeps_the_text_for_later_deletes(tmp_path):
    db = sqlite_utils.Database(tmp_path / "bare.db")
    db["documents"].create({"id": int, "title": str}, pk="id")
    db["documents"].insert({"id": 1, "title": "复议"})
    ensure_search_index(db)
    index_document(db, 1, "复议", "法治政府")
    index_document(db, 1, "复议", "政务公开")
    assert search(db, "法治") == [] and ids(search(db, "公开")) == [1]


def test_rebuild_gives_the_same_index(archive_db):
    db = sqlite_utils.Database(archive_db)
    before = {q: search(db, q) for q in ["复议", "行政复议 败诉", "公开", "法"]}
    assert rebuild_search_index(db) == len(DOCS)
    ensure_search_index(db)  # idempotent
    assert {q: search(db, q) for q in before} == before
    db.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('integrity-check')")


def test_index_is_contentless(archive_db):
    db = sqlite_utils.Database(archive_db)
    assert db.execute(f"SELECT title FROM {FTS_TABLE} WHERE rowid = 1").fetchone() == (None,)


# -- Datasette -------------------------------------------------------------------------------------


@pytest.fixture
def plugin():
    from datasette.plugins import pm

    registered_here = not pm.is_registered(datasette_plugin)
    if registered_here:
        pm.register(datasette_plugin, name="govarchive-search-test")
    yield
    if registered_here:
        pm.unregister(datasette_plugin)


def metadata_for(db_path: Path) -> dict:
    """The packaged metadata.yml, keyed by this database's name (as `govarchive serve` does)."""
    text = (Path(datasette_plugin.__file__).parent / "datasette" / "metadata.yml").read_text()
    metadata = yaml.safe_load(text)
    metadata["databases"] = {db_path.stem: metadata["databases"]["archive"]}
    return metadata


@pytest.fixture
def ds(archive_db, plugin):
    from datasette.app import Datasette

    instance = Datasette([str(archive_db)], metadata=metadata_for(archive_db))
    yield instance
    for database in instance.databases.values():
        database.close()


def get(ds, path: str, **params: str):
    url = path + "?" + urllib.parse.urlencode(params) if params else path
    return asyncio.run(ds.client.get(url))


def rows(ds, **params: str) -> list[dict]:
    response = get(ds, "/archive/documents.json", _shape="objects", **params)
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def test_datasette_uses_our_escape_fts(ds):
    response = get(ds, "/archive.json", sql="select escape_fts('行政复议') as q", _shape="array")
    assert response.json() == [{"q": '"行政 政复 复议"'}]


def test_datasette_search_words_phrases_and_negatives(ds):
    assert {r["id"] for r in rows(ds, _search="复议")} == {1, 3, 4, 5, 10}
    assert {r["id"] for r in rows(ds, _search="行政复议")} == {1, 3, 4, 5, 10}
    assert {r["id"] for r in rows(ds, _search="法治")} == {3}
    assert {r["id"] for r in rows(ds, _search="公开")} == {4, 8}
    assert {r["id"] for r in rows(ds, _search="行政复议 败诉")} == {3, 4, 5}
    assert [r["id"] for r in rows(ds, _search='"行政复议决定"')] == [1]
    assert rows(ds, _search="核酸检测") == []


def test_datasette_ranks_by_relevance_unless_sorted(ds):
    ranked = [r["id"] for r in rows(ds, _search="行政复议")]
    assert ranked[0] == 1  # oldest, but the best match; metadata sorts by published_date desc
    assert ranked == [r["id"] for r in search(sqlite_utils.Database(ds.databases["archive"].path), "行政复议")]  # fmt: skip
    by_date = [r["id"] for r in rows(ds, _search="行政复议", _sort_desc="published_date")]
    assert by_date == [3, 4, 5, 10, 1]
    assert [r["id"] for r in rows(ds, _search="行政复议", _sort="id")] == [1, 3, 4, 5, 10]


def test_datasette_ranked_pages_follow_rank_order(ds):
    expected = [r["id"] for r in rows(ds, _search="复议")]
    seen, params = [], {"_search": "复议", "_size": "2"}
    while True:
        data = get(ds, "/archive/documents.json", _shape="objects", **params).json()
        seen.extend(r["id"] for r in data["rows"])
        if not data["next"]:
            break
        params["_next"] = data["next"]
    assert seen == expected


def test_datasette_search_with_filters_facets_and_count(ds):
    data = get(ds, "/archive/documents.json", _search="行政复议", _facet="site").json()
    assert data["filtered_table_rows_count"] == 5
    counts = {f["value"]: f["count"] for f in data["facet_results"]["site"]["results"]}
    assert counts == {"wenshang": 3, "liangshan": 2}
    assert {r["id"] for r in rows(ds, _search="行政复议", site="liangshan")} == {4, 5}
    filtered = get(ds, "/archive/documents.json", _search="行政复议", site="liangshan").json()
    assert filtered["filtered_table_rows_count"] == 2
    assert [r["id"] for r in rows(ds, _search="行政复议", site="wenshang")][0] == 1


def test_datasette_broad_search_ranks_title_matches_then_newest(ds, monkeypatch):
    # 行政复议 is in 5 documents: with a window of 3 it is a "broad" search. Its newest 3
    # matches (ids 10, 5, 4) are ranked, title matches first: none of them has it in the title,
    # so newest first; no count (a pass over every match) and no default facets.
    monkeypatch.setattr(datasette_plugin, "RANK_WINDOW", 3)
    data = get(ds, "/archive/documents.json", _search="行政复议", _shape="objects").json()
    assert [r["id"] for r in data["rows"]] == [10, 5, 4]
    assert data["filtered_table_rows_count"] is None
    assert data["facet_results"] == {}
    # 通知 is in 6 titles: the newest 3 documents with 通知 anywhere, title matches first
    data = get(ds, "/archive/documents.json", _search="通知", _shape="objects").json()
    assert [r["id"] for r in data["rows"]] == [12, 11, 10]
    assert [r["id"] for r in rows(ds, _search="复议 诉讼")] == [10, 5, 4]
    # 行政诉讼: newest 3 of 6 matches are 10, 6, 5; 6 has it in its title
    assert [r["id"] for r in rows(ds, _search="行政诉讼")] == [6, 10, 5]
    # an explicit facet still runs
    faceted = get(ds, "/archive/documents.json", _search="行政复议", _facet="site").json()
    assert faceted["facet_results"]["site"]["results"]
    # a narrow search: counted, faceted, but 复议 alone is broad, so no bm25 (title, newest)
    data = get(ds, "/archive/documents.json", _search="行政复议 法治", _shape="objects").json()
    assert data["filtered_table_rows_count"] == 1 and data["facet_results"]
    two = get(ds, "/archive/documents.json", _search="行政复议 败诉", _shape="objects").json()
    assert [r["id"] for r in two["rows"]] == [5, 4, 3] and two["filtered_table_rows_count"] == 3


def test_datasette_hostile_input_is_not_an_error(ds):
    for q in HOSTILE + [""]:
        for mode in ("escaped", "raw"):
            response = get(ds, "/archive/documents.json", _search=q, _searchmode=mode)
            assert response.status_code == 200, (q, mode, response.text[:300])


def test_datasette_blank_search_shows_everything(ds):
    assert len(rows(ds, _search="  ")) == len(DOCS)


def test_datasette_raw_mode_is_boolean_syntax(ds):
    assert {r["id"] for r in rows(ds, _search="复议 NOT 败诉", _searchmode="raw")} == {1, 10}
    assert {r["id"] for r in rows(ds, _search="复印 OR 法治", _searchmode="raw")} == {2, 3}
    assert {r["id"] for r in rows(ds, _search="title:复议", _searchmode="raw")} == {1}


def test_datasette_column_search(ds):
    assert {r["id"] for r in rows(ds, _search_title="行政复议")} == {1}


def test_datasette_html_search_page(ds):
    page = get(ds, "/archive/documents", _search="行政复议").text
    assert page.index("行政复议决定书") < page.index("法治政府建设情况报告")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_search_over_real_http(ds):
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(ds.app(), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}/archive/documents.json?_shape=objects&_search="
        with urllib.request.urlopen(base + urllib.parse.quote("行政复议 败诉")) as r:
            assert {row["id"] for row in json.load(r)["rows"]} == {3, 4, 5}
        with urllib.request.urlopen(base + urllib.parse.quote("法治")) as r:
            assert [row["id"] for row in json.load(r)["rows"]] == [3]
        with urllib.request.urlopen(base + urllib.parse.quote("行政复议")) as r:
            assert json.load(r)["rows"][0]["id"] == 1
        with urllib.request.urlopen(
            base + urllib.parse.quote('NEAR("(*:') + "&_searchmode=raw"
        ) as r:
            assert r.status == 200
    finally:
        server.should_exit = True
        thread.join(timeout=10)
