"""Between two crawls the replica adds, edits and removes documents; the archive follows."""

import sqlite3
import subprocess
import sys

from archive.identity import url_key
from replica import ReplicaServer, World

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False"]


def crawl(address, db, *sites):
    result = subprocess.run(
        [sys.executable, "-m", "govarchive", "crawl", *sites, "--replica", address, "--db", str(db), *FAST],
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
        before = {url_key(d.url): d for d in world.served_documents() if d.site in ("wenshang", "lushan")}
        world.advance()
        after = {url_key(d.url): d for d in world.served_documents() if d.site in ("wenshang", "lushan")}
        crawl(server.address, db, "wenshang", "lushan")

    added = set(after) - set(before)
    removed = set(before) - set(after)
    edited = {k for k in set(after) & set(before) if after[k].text != before[k].text}
    assert added and removed and edited

    conn = sqlite3.connect(db)
    docs = {r[0]: r[1:] for r in conn.execute("SELECT url_key, status, version_count, text FROM documents_with_text")}
    for key in added:
        assert docs[key][:2] == ("live", 1)
    for key in edited:
        assert docs[key][:2] == ("live", 2)
        assert [x.strip() for x in docs[key][2].split("\n") if x.strip()] == [
            x.strip() for x in after[key].text.split("\n") if x.strip()
        ]
    # A removed document leaves the listing: a crawl that walks listings no longer reaches it,
    # so it keeps its last state (issue 5 re-checks known documents); it is never deleted.
    for key in removed:
        assert key in docs
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
    assert outcomes["not-modified"] > 0
