"""Crawl reports and alerts, over real HTTP: every crawl is a row of `crawls` with per-site
counts; a site that stops yielding documents, or whose pages stop cleaning well, raises an
alert (exit status 3, a clear message, the GOVARCHIVE_ALERT_COMMAND hook)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from govarchive.cli import EXIT_ALERTS
from replica import ReplicaServer, World

HOST = "www.hnls.gov.cn"
SITE = "lushan"
FAST = ["--set", "DOWNLOAD_DELAY=0.02", "--set", "AUTOTHROTTLE_ENABLED=False"]


def crawl(server: ReplicaServer, db: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "govarchive", "crawl", SITE, "--replica", server.address,
         "--db", str(db), *FAST, *extra],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def copy_db(src: Path, dst: Path) -> Path:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


def rows(db: Path, sql: str, *params) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


@pytest.fixture(scope="module")
def replica():
    with ReplicaServer(World()) as server:
        yield server


@pytest.fixture(scope="module")
def first(replica, tmp_path_factory):
    """One clean crawl of lushan: the history later crawls are judged against."""
    db = tmp_path_factory.mktemp("reports") / "first.db"
    result = crawl(replica, db)
    assert result.returncode == 0, result.stderr[-3000:]
    return db, result


def test_every_crawl_is_a_row_with_per_site_counts(replica, first, tmp_path):
    db, result = first
    served = len(World().served_documents(SITE))
    (crawl_row,) = rows(db, "SELECT * FROM crawls")
    assert crawl_row["status"] == "finished" and crawl_row["finish_reason"] == "finished"
    assert crawl_row["new"] == served and crawl_row["duration_s"] > 0 and not crawl_row["alerts"]
    (site,) = rows(db, "SELECT * FROM crawl_sites WHERE crawl_id = ?", crawl_row["id"])
    assert site["site"] == SITE and site["new"] == served == site["listed"] == site["cleaned"]
    assert site["pages"] > served and site["errors"] == 0 and site["empty_bodies"] == 0
    assert json.loads(site["fields_present"])["index_no"] == served
    header = next(x for x in result.stdout.splitlines() if x.startswith("site"))
    assert all(
        c in header.split() for c in ("pages", "new", "changed", "gone", "errors", "blocked")
    )
    assert f"crawl {crawl_row['id']} in table crawls" in result.stdout

    # a second (incremental) crawl is a second row: nothing new, documents still listed
    db2 = copy_db(db, tmp_path / "second.db")
    again = crawl(replica, db2)
    assert again.returncode == 0, again.stderr[-3000:]
    second = rows(db2, "SELECT * FROM crawl_sites ORDER BY crawl_id")[-1]
    assert second["crawl_id"] == 2 and second["new"] == 0 and second["listed"] > 0


def test_alert_when_a_site_that_yielded_documents_yields_none(replica, first, tmp_path):
    db = copy_db(first[0], tmp_path / "archive.db")
    hook_out = tmp_path / "alert.txt"
    hook = f'{sys.executable} -c "import sys,pathlib; pathlib.Path({str(hook_out)!r}).write_text(sys.stdin.read())"'
    replica.inject_fault(HOST, "/zwgk/", 500, times=10_000)  # the portal is down
    try:
        result = crawl(replica, db, "--set", "RETRY_TIMES=0", "--set",
                       f"GOVARCHIVE_ALERT_COMMAND={hook}")  # fmt: skip
        fresh = crawl(replica, tmp_path / "fresh.db", "--set", "RETRY_TIMES=0")
    finally:
        replica.clear_faults()
    assert result.returncode == EXIT_ALERTS, result.stderr[-3000:]
    assert "govarchive: alert: lushan: no documents this crawl" in result.stderr
    assert "http-500" in result.stderr  # the alert says why
    assert "lushan: no documents" in hook_out.read_text("utf-8")
    last = rows(db, "SELECT * FROM crawls ORDER BY id DESC LIMIT 1")[0]
    assert last["alert_count"] == 1 and "no documents" in last["alerts"]
    site = rows(db, "SELECT * FROM crawl_sites WHERE crawl_id = ?", last["id"])[0]
    assert (
        json.loads(site["errors_by_kind"]) == {"http-500": site["errors"]} and site["errors"] >= 2
    )
    # a site never seen before that yields nothing is an error count, not an alert
    assert fresh.returncode == 0, fresh.stderr[-3000:]
    assert "alert" not in fresh.stderr


def test_alert_when_the_cleaner_output_degrades(replica, first, tmp_path):
    db = copy_db(first[0], tmp_path / "archive.db")
    # the portal moves to a script-rendered template: detail pages keep their URLs, lose content
    for column in ("/zwgk/fzzfjs/2", "/zwgk/tzgg/2"):
        replica.inject_fault(HOST, column, kind="rewrite", times=10_000, pattern=r"(?s)<body.*</body>",
                             repl='<body><div id="app"></div><script src="/static/app.js"></script></body>')  # fmt: skip
    try:
        result = crawl(replica, db, "--recheck", "--set", "GOVARCHIVE_CONDITIONAL_GET=False")
    finally:
        replica.clear_faults()
    assert result.returncode == EXIT_ALERTS, result.stdout[-2000:] + result.stderr[-3000:]
    alerts = [x for x in result.stderr.splitlines() if x.startswith("govarchive: alert: lushan")]
    assert any("empty body" in a for a in alerts), alerts
    assert any("metadata missing" in a and "index_no" in a for a in alerts), alerts
    assert "template may have changed" in result.stdout
