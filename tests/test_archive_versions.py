"""Schema v2 on real SQLite files: identity by 索引号, texts stored once, duplicate clusters,
history and reclean."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archive.schema import SchemaError
from archive.store import Archive, usable_index_no

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "replica" / "data" / "seeds"
MANIFEST = json.loads((SEEDS / "manifest.json").read_text("utf-8"))["seeds"]


def seed_text(n: int) -> str:
    seed = MANIFEST[n]
    lines = (SEEDS / f"{seed['seed_id']}.txt").read_text("utf-8").splitlines()
    return "\n".join(x for x in lines[seed["body_start"] : seed["body_end"]] if x.strip())


def record(url, site="wenshang", title="汶上县司法局2023年度法治政府建设报告", text=None, **kw):
    base = dict.fromkeys(
        ["index_no", "publisher", "written_date", "published_date", "doc_number", "category",
         "validity", "abolished_date", "disclosure", "source"]
    )  # fmt: skip
    base.update(title=title, text=text if text is not None else seed_text(0), url=url, site=site)
    base.update(kw)
    return base


def fetch(archive, url, rec, body=None, site=None):
    return archive.record_fetch(
        url=url, site=site or rec["site"], status=200, headers={}, body=body or url.encode(),
        record=rec, cleaner_version="test",
    )  # fmt: skip


@pytest.fixture
def archive(tmp_path):
    a = Archive(tmp_path / "archive.db")
    yield a
    a.close()


def count(path, sql, args=()):
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, args).fetchone()[0]


A = "http://www.wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html"
B = "http://www.wenshang.gov.cn/col/col70805/art_2771991_mobile.html"


def test_same_index_no_and_title_is_one_document_under_two_urls(archive, tmp_path):
    idx = "11370830004335705P/2024-00646"
    first = fetch(archive, A, record(A, index_no=idx))
    again = fetch(archive, B, record(B, index_no=idx))
    assert (first.outcome, again.outcome) == ("new", "unchanged")
    assert again.document_id == first.document_id
    db = tmp_path / "archive.db"
    assert count(db, "SELECT COUNT(*) FROM documents") == 1
    assert (
        count(db, "SELECT COUNT(*) FROM document_urls WHERE document_id = ?", [first.document_id])
        == 2
    )
    assert count(db, "SELECT doc_key FROM documents") == f"wenshang|{idx}"
    # a 404 on the second URL marks the one document gone
    gone = archive.record_failure(url=B, site="wenshang", status=404, outcome="gone")
    assert gone.document_id == first.document_id


def test_reused_index_no_with_another_title_stays_separate(archive, tmp_path):
    idx = "11370830004335705P/2024-00646"
    first = fetch(archive, A, record(A, index_no=idx))
    other = fetch(
        archive, B, record(B, index_no=idx, title="关于公布行政执法主体的公告", text=seed_text(1))
    )
    assert other.outcome == "new" and other.document_id != first.document_id
    assert count(tmp_path / "archive.db", "SELECT COUNT(*) FROM documents") == 2


@pytest.mark.parametrize("value, usable", [
    ("11370830004335705P/2024-00646", True), ("zfbgs/1709106926871", True),
    ("无", None), ("-", None), ("2024", None), ("", None), (None, None),
])  # fmt: skip
def test_placeholder_index_numbers_are_not_identity(value, usable):
    assert bool(usable_index_no(value)) == bool(usable)


def test_exact_duplicate_text_on_two_portals_is_stored_once(archive, tmp_path):
    text = seed_text(0)
    url2 = "http://www.jining.gov.cn/art/2024/3/5/art_1_99.html"
    a = fetch(archive, A, record(A, text=text))
    # the city reposts it: other line breaks and full-width digits, same words
    repost = text.replace("\n", "\n\n").replace("2023", "２０２３")
    b = fetch(
        archive, url2, record(url2, site="jining", title="转发：" + "汶上县司法局报告", text=repost)
    )
    db = tmp_path / "archive.db"
    assert count(db, "SELECT COUNT(*) FROM documents") == 2
    assert count(db, "SELECT COUNT(*) FROM texts") == 1
    assert count(db, "SELECT COUNT(DISTINCT text_hash) FROM documents") == 1
    assert count(db, "SELECT kind FROM duplicates WHERE document_id = ? AND other_id = ?",
                 [a.document_id, b.document_id]) == "exact"  # fmt: skip
    assert count(db, "SELECT COUNT(DISTINCT cluster_id) FROM documents") == 1


def test_near_duplicate_repost_joins_the_cluster_and_leaves_it_when_rewritten(archive, tmp_path):
    text = seed_text(0)
    paras = text.split("\n")
    url2 = "http://sfj.jining.gov.cn/art/2024/3/9/art_5_12.html"
    edited = "\n".join(["来源：汶上县司法局", *paras[:-3], paras[-1]]).replace("2023年", "2023 年")
    a = fetch(archive, A, record(A, text=text))
    b = fetch(archive, url2, record(url2, site="jining_sfj", text=edited))
    db = tmp_path / "archive.db"
    kind, sim = sqlite3.connect(db).execute("SELECT kind, similarity FROM duplicates").fetchone()
    assert kind == "near" and 0.5 < sim < 1
    assert count(db, "SELECT COUNT(DISTINCT cluster_id) FROM documents") == 1
    assert (
        count(db, "SELECT cluster_id FROM documents WHERE id = ?", [b.document_id]) == a.document_id
    )
    # the repost is replaced by a different report: the link and the shared cluster go away
    fetch(archive, url2, record(url2, site="jining_sfj", text=seed_text(3)), body=b"v2")
    assert count(db, "SELECT COUNT(*) FROM duplicates") == 0
    assert (
        count(db, "SELECT cluster_id FROM documents WHERE id = ?", [b.document_id]) == b.document_id
    )


def test_a_text_reposted_on_many_portals_is_one_cluster_with_bounded_links(
    archive, tmp_path, monkeypatch
):
    """A provincial notice on every county portal: links per copy stop at the cap (rows would
    otherwise grow with the square of the copies), the cluster still holds every copy."""
    from archive import dedup, store

    monkeypatch.setattr(store, "MAX_DUPLICATE_LINKS", 5)
    monkeypatch.setattr(dedup, "MAX_CANDIDATES", 8)
    paras = seed_text(0).split("\n")
    ids = []
    for i in range(30):
        url = f"http://www.county{i}.gov.cn/art/2024/3/2/art_1_{i}.html"
        # every third copy exact, the others with a county's own heading and one paragraph cut
        text = "\n".join(paras) if i % 3 == 0 else "\n".join([f"来源：第{i}县司法局", *paras[:-1]])
        ids.append(fetch(archive, url, record(url, site=f"county{i}", text=text)).document_id)
    db = tmp_path / "archive.db"
    assert count(db, "SELECT COUNT(DISTINCT cluster_id) FROM documents") == 1
    assert count(db, "SELECT MIN(cluster_id) FROM documents") == ids[0]
    per_doc = sqlite3.connect(db).execute(
        "SELECT document_id, COUNT(*) FROM (SELECT document_id FROM duplicates "
        "UNION ALL SELECT other_id FROM duplicates) GROUP BY document_id"
    ).fetchall()  # fmt: skip
    made = [n for doc, n in per_doc if doc == ids[-1]]
    assert made and made[0] <= 2 * 5 + 1  # exact + near caps, and the representative
    assert count(db, "SELECT COUNT(*) FROM duplicates") <= 30 * (2 * 5 + 1)
    assert count(db, "SELECT COUNT(*) FROM duplicates") < 30 * 29 // 2


def test_versions_only_on_change_and_history_cli(tmp_path):
    db = tmp_path / "archive.db"
    archive = Archive(db)
    text = seed_text(0)
    fetch(archive, A, record(A, published_date="2024-03-02"))
    fetch(archive, A, record(A, published_date="2024-03-02"), body=b"other counter")
    fetch(
        archive, A, record(A, published_date="2024-03-04", text=text + "\n附件：统计表"), body=b"v2"
    )
    assert count(db, "SELECT COUNT(*) FROM versions") == 2
    archive.close()
    out = subprocess.run(
        [sys.executable, "-m", "govarchive", "history", A, "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert "version 1" in out and "version 2" in out and "version 3" not in out
    assert "发布日期: '2024-03-02' -> '2024-03-04'" in out
    assert "+附件：统计表" in out
    missing = subprocess.run(
        [sys.executable, "-m", "govarchive", "history", "999", "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert missing.returncode == 2 and "no document '999'" in missing.stderr


def test_reclean_adds_versions_only_where_the_output_changed(tmp_path, realpages):
    from govarchive.reclean import reclean

    db = tmp_path / "archive.db"
    archive = Archive(db)
    page = (realpages / "pingtan__xxgk-detail-1.html").read_bytes()
    url = "https://www.pingtan.gov.cn/zwgk/zfxxgk/t20150825_58447.htm"
    # stored by an older cleaner that got the title wrong
    stale = record(url, site="pingtan", title="平潭综合实验区", text="旧的清洗结果")
    first = archive.record_fetch(url=url, site="pingtan", status=200, headers={"Content-Type": "text/html"},
                                 body=page, record=stale, cleaner_version="0.0.1")  # fmt: skip
    counts, errors = reclean(archive)
    assert (counts["changed"], errors) == (1, [])
    doc = next(archive.documents())
    assert doc["title"] == "区财政金融局对接鹏润集团招商成果简报"
    assert doc["index_no"] == "PZ00108-3000-2015-00003"
    versions = archive.versions(first.document_id)
    assert [v["cleaner_version"] for v in versions][0] == "0.0.1" and len(versions) == 2
    # a second reclean with the same cleaner changes nothing
    counts, _ = reclean(archive)
    assert counts["unchanged"] == 1 and counts["changed"] == 0
    assert count(db, "SELECT COUNT(*) FROM versions") == 2
    assert count(db, "SELECT COUNT(*) FROM captures") == 1  # no network, no capture
    archive.close()


def test_old_schema_is_refused_with_a_clear_message(tmp_path):
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, url_key TEXT, text TEXT)")
    with pytest.raises(SchemaError, match="older govarchive"):
        Archive(db)
