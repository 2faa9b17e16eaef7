"""Between two crawls the replica adds, edits and removes documents; the archive follows."""

import sqlite3
import subprocess
import sys

from archive.identity import url_key
from replica import ReplicaServer, World

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False"]


def crawl(address, db, *sites, recheck=False):
    extra = ["--recheck"] if recheck else []
    result = subprocess.run(
        [sys.executable, "-m", "govarchive", "crawl", *sites, "--replica", address, "--db", str(db), *FAST, *extra],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    return result


def test_added_edited_and_removed_documents_are_recorded(tmp_path):
    db = tmp_path / "archive.db"
    world = World()
    with ReplicaServer(world) as server:
        crawl(server.address, db, "wenshang", "lushan")
        with sqlite3.connect(db) as conn:
            first_run_last_capture = conn.execute("SELECT MAX(id) FROM captures").fetchone()[0]
        before = {
            url_key(d.url): d for d in world.served_documents() if d.site in ("wenshang", "lushan")
        }
        world.advance()
        after = {
            url_key(d.url): d for d in world.served_documents() if d.site in ("wenshang", "lushan")
        }
        crawl(server.address, db, "wenshang", "lushan", recheck=True)

    added = set(after) - set(before)
    removed = set(before) - set(after)
    edited = {k for k in set(after) & set(before) if after[k].text != before[k].text}
    assert added and removed and edited

    conn = sqlite3.connect(db)
    docs = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT url_key, status, version_count, text FROM documents_with_text"
        )
    }
    for key in added:
        assert docs[key][:2] == ("live", 1)
    for key in edited:
        assert docs[key][:2] == ("live", 2)
        assert [x.strip() for x in docs[key][2].split("\n") if x.strip()] == [
            x.strip() for x in after[key].text.split("\n") if x.strip()
        ]
    # A removed document left the listing; --recheck asks for every known document anyway,
    # the portal answers 404 and it is marked gone (never deleted).
    for key in removed:
        assert docs[key][0] == "gone"
    # One more document per new one, nothing duplicated.
    assert len(docs) == len(before) + len(added)
    outcomes = dict(
        conn.execute(
            "SELECT outcome, COUNT(*) FROM captures WHERE kind = 'detail' AND id > ? GROUP BY outcome",
            [first_run_last_capture],
        ).fetchall()
    )
    assert outcomes["new"] == len(added)
    assert outcomes["changed"] == len(edited)
    # The rest were seen again unchanged: by a 304 where the page's bytes (and so its ETag) did
    # not move, by comparing cleaned content where they did (TRS pages print today's date).
    assert outcomes["not-modified"] + outcomes["unchanged"] == len(after) - len(added) - len(edited)
    assert outcomes["gone"] == len(removed)
    assert outcomes["not-modified"] > 0


def test_incremental_recrawl_fetches_new_documents_and_stops(tmp_path):
    """The default re-crawl walks each column newest first until a page of known documents,
    fetches the new ones, and does not ask again for known documents that are not due."""
    db = tmp_path / "archive.db"
    world = World()
    with ReplicaServer(world) as server:
        crawl(server.address, db, "wenshang", "lushan")
        with sqlite3.connect(db) as conn:
            mark = conn.execute("SELECT MAX(id) FROM captures").fetchone()[0]
        before = {
            url_key(d.url) for d in world.served_documents() if d.site in ("wenshang", "lushan")
        }
        world.advance()
        after = {
            url_key(d.url) for d in world.served_documents() if d.site in ("wenshang", "lushan")
        }
        first_log = len(server.request_log)
        crawl(server.address, db, "wenshang", "lushan")
        log = server.request_log[first_log:]
    added = after - before
    with sqlite3.connect(db) as conn:
        fetched = conn.execute(
            "SELECT kind, outcome, url_key FROM captures WHERE id > ?", [mark]
        ).fetchall()
    details = [(o, k) for kind, o, k in fetched if kind == "detail"]
    assert {k for _, k in details} == added and {o for o, _ in details} == {"new"}
    listings = [k for kind, _, k in fetched if kind == "listing"]
    assert 0 < len(listings) < 10  # the first page or two of each of the 4 columns, not all
    assert len(log) < len(added) + 3 * len(listings)  # robots.txt and listing pages besides


def test_recheck_interval_grows_with_age():
    from datetime import UTC, datetime, timedelta

    from archive.recrawl import recheck_interval

    now = datetime(2026, 11, 22, tzinfo=UTC)
    assert recheck_interval("2026-11-20", now) == timedelta(days=1)  # young: daily
    assert recheck_interval("2026-05-26", now) == timedelta(days=18)  # half a year: ~18 days
    assert recheck_interval("2015-01-01", now) == timedelta(days=60)  # old: every 60 days
    assert recheck_interval(None, now) == timedelta(days=30)
