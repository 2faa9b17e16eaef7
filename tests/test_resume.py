"""Resume after a hard kill: a crawl SIGKILLed at random moments, many times, then run to the
end, leaves the same archive as one uninterrupted crawl: no document lost, none duplicated,
no version duplicated, and a database SQLite itself finds consistent."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from archive.identity import url_key
from replica import ReplicaServer, World

SITE = "lushan"
FAST = ["--set", "DOWNLOAD_DELAY=0.02", "--set", "AUTOTHROTTLE_ENABLED=False"]
KILLS_FIRST = 6  # kills of the first crawl
KILLS_INCREMENTAL = 3  # kills of an incremental re-crawl


def command(server: ReplicaServer, db: Path) -> list[str]:
    return [sys.executable, "-m", "govarchive", "crawl", SITE, "--replica", server.address,
            "--db", str(db), *FAST]  # fmt: skip


def snapshot(db: Path) -> dict[str, tuple]:
    """What must come out the same: each document's current version, by URL key."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT d.url_key, d.doc_key, d.title, d.text_hash, v.content_hash, d.index_no, "
            "d.published_date, d.status FROM documents d "
            "JOIN versions v ON v.id = d.current_version_id"
        ).fetchall()
    return {r[0]: r[1:] for r in rows}


def crawl(server: ReplicaServer, db: Path) -> None:
    done = subprocess.run(command(server, db), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def kill_repeatedly(server: ReplicaServer, db: Path, kills: int, rng: random.Random) -> int:
    """Start the crawl and SIGKILL it at a random moment, `kills` times; return the kills."""
    done = rounds = 0
    while done < kills and rounds < 6 * kills:
        rounds += 1
        start = len(server.request_log)
        proc = subprocess.Popen(command(server, db), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
        # after a random number of answers (while pages are being archived), now and then
        # during start-up
        wait_for = rng.choice([0, *range(1, 40)])
        deadline = time.monotonic() + 30
        while (len(server.request_log) - start < wait_for and proc.poll() is None
               and time.monotonic() < deadline):  # fmt: skip
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            done += 1
        proc.wait(timeout=30)
    return done


def test_crawl_killed_at_random_moments_resumes_without_loss_or_duplicates(tmp_path):
    seed = int(os.environ.get("GOVARCHIVE_KILL_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    world = World()
    reference, db = tmp_path / "reference.db", tmp_path / "killed.db"
    with ReplicaServer(world) as server:
        # 1. the first crawl of a site, killed again and again
        crawl(server, reference)
        kills = kill_repeatedly(server, db, KILLS_FIRST, rng)
        crawl(server, db)
        first = snapshot(db)
        assert first == snapshot(reference), f"seed {seed}"
        # 2. an incremental re-crawl after 40 new documents (more than a listing page per
        #    column), killed too: the walk must not stop at pages whose documents the killed
        #    run had fetched, before the ones it had not
        for _ in range(40):
            world.advance()
        crawl(server, reference)
        kills += kill_repeatedly(server, db, KILLS_INCREMENTAL, rng)
        final = subprocess.run(command(server, db), capture_output=True, text=True, timeout=300)
    note = f"(seed {seed}, {kills} kills)"
    assert kills >= KILLS_FIRST + KILLS_INCREMENTAL - 2, note
    assert final.returncode == 0, final.stderr[-3000:] + note

    expected, got = snapshot(reference), snapshot(db)
    served = {url_key(d.url) for d in world.served_documents(SITE)}
    assert set(expected) == set(first) | served and len(served - set(first)) > 30
    assert got.keys() == expected.keys(), note  # none lost, none extra
    assert got == expected, note  # same current versions and text hashes
    with sqlite3.connect(db) as conn, sqlite3.connect(reference) as ref:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        assert one("PRAGMA integrity_check") == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert one("PRAGMA journal_mode") == "wal"
        docs = one("SELECT COUNT(*) FROM documents")
        assert docs == one("SELECT COUNT(DISTINCT url_key) FROM documents") == len(expected)
        # no version written twice: the same versions as the uninterrupted crawls wrote
        versions = (
            "SELECT COUNT(*), COUNT(DISTINCT document_id || '/' || content_hash) FROM versions"
        )
        assert conn.execute(versions).fetchone() == ref.execute(versions).fetchone(), note
        assert one("SELECT COUNT(*) FROM versions") == docs
        assert one("SELECT COUNT(*) FROM documents d LEFT JOIN texts t ON t.hash = d.text_hash "
                   "WHERE t.hash IS NULL") == 0  # fmt: skip
        assert one("SELECT COUNT(*) FROM documents_fts") == docs
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
        # the killed crawls are reported as such, the last one as finished
        statuses = [r[0] for r in conn.execute("SELECT status FROM crawls ORDER BY id")]
    assert statuses[-1] == "finished" and "running" not in statuses, statuses
    assert statuses.count("interrupted") >= 1, statuses
