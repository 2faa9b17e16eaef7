"""Politeness over real HTTP: a host that answers 429 + Retry-After is left alone as long as it asks."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from archive.rawcodec import decompress
from crawler.middlewares import parse_retry_after
from replica import ReplicaServer, World

# A small real delay: with DOWNLOAD_DELAY=0 Scrapy 2.19 starts every queued request of a slot at
# once, so neither the per-host concurrency nor a held slot applies (the live default is 1 s).
FAST = ["--set", "DOWNLOAD_DELAY=0.02", "--set", "AUTOTHROTTLE_ENABLED=False"]
HOST = "www.hnls.gov.cn"


def test_parse_retry_after_seconds_and_http_date():
    assert parse_retry_after(b"120") == 120.0
    assert parse_retry_after("Sun, 22 Nov 2026 10:00:30 GMT", now=1795341600.0) == 30.0
    assert parse_retry_after("Sun, 22 Nov 2026 09:00:00 GMT", now=1795341600.0) == 0.0
    assert parse_retry_after(b"soon") is None and parse_retry_after(None) is None


@pytest.mark.parametrize("status", [429, 503])
def test_host_waits_for_retry_after_then_nothing_is_lost(tmp_path, status):
    world = World()
    served = [d for d in world.served_documents() if d.site == "lushan"]
    with ReplicaServer(world) as server:
        seen: list[tuple[float, str, str, int]] = []
        stop = threading.Event()

        def watch() -> None:  # timestamp each request as the replica logs it
            done = 0
            while not stop.is_set():
                log = server.request_log
                for host, _method, target, code in log[done:]:
                    seen.append((time.monotonic(), host, target, code))
                done = len(log)
                time.sleep(0.01)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        column = next(iter(served)).column_url
        path = "/" + column.split("/", 3)[3]
        server.inject_fault(HOST, path, status, times=1, retry_after=2)
        db = tmp_path / "archive.db"
        result = subprocess.run(
            [sys.executable, "-m", "govarchive", "crawl", "lushan", "--replica", server.address,
             "--db", str(db), *FAST],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        stop.set()
        watcher.join()
    assert result.returncode == 0, result.stderr[-3000:]
    refused = [t for t, host, target, code in seen if host == HOST and code == status]
    assert len(refused) == 1
    after = [t - refused[0] for t, host, _target, _code in seen if host == HOST and t > refused[0]]
    # Nothing new was asked of that host for the 2 s it asked for. Requests already handed to
    # the wire when the refusal arrived (at most the per-host concurrency, 2) may land just after.
    assert len([dt for dt in after if dt < 0.15]) <= 2
    assert not [dt for dt in after if 0.15 <= dt < 1.9]
    assert max(after) >= 1.9
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == len(served)


@pytest.mark.parametrize("status, kind", [(412, "ruishu"), (521, "jiasule")])
def test_anti_bot_wall_is_reported_never_archived_and_host_backed_off(tmp_path, status, kind):
    from replica.server import WALL_PAGES

    world = World()
    with ReplicaServer(world) as server:
        # the first listing page of a column is a challenge page; so would the rest be
        server.inject_fault(HOST, "/zwgk/", status, times=1000)
        db = tmp_path / "archive.db"
        result = subprocess.run(
            [sys.executable, "-m", "govarchive", "crawl", "lushan", "--replica", server.address,
             "--db", str(db), *FAST],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        walls = [x for x in server.request_log if x[3] == status]
    assert result.returncode == 0, result.stderr[-3000:]
    assert "anti-bot walls" in result.stdout and f"{kind} ×" in result.stdout
    assert "平顶山市" in result.stdout  # reported by prefecture
    assert len(walls) <= 2  # both columns may be asked at once; after that the host is left alone
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
        blocked = conn.execute(
            "SELECT outcome, status, error FROM captures WHERE status = ?", [status]
        ).fetchall()
        assert blocked and all(o == "blocked" and kind in e for o, _, e in blocked)
        # the challenge page's bytes are not stored as a page of the portal
        stored = [decompress(*r) for r in conn.execute("SELECT codec, body FROM raw")]
    assert not any(WALL_PAGES[status][0][:40] in b for b in stored)
