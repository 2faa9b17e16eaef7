"""The fault matrix: every way a portal misbehaves, over real HTTP, in one crawl of the replica.

Each detail page of 鲁山县 (lushan, TRS) below gets its own fault (listing pages get the pager
trap and session ids); one crawl runs through all of them. For every case the crawl finishes,
what is stored equals what a clean crawl stores (nothing wrong, nothing half), and the crawl
report (`crawl_sites`) names the fault. 429 + Retry-After pacing and anti-bot walls are tested
in test_politeness.py; here they only have to be reported.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archive.identity import url_key
from archive.rawcodec import decompress
from replica import ReplicaServer, World

HOST = "www.hnls.gov.cn"
SITE = "lushan"
FAST = [
    "--set", "DOWNLOAD_DELAY=0.02", "--set", "AUTOTHROTTLE_ENABLED=False",
    "--set", "RETRY_TIMES=1", "--set", "DOWNLOAD_TIMEOUT=2",
]  # fmt: skip

# case -> (index of the lushan document it hits, fault options, stored in the end?)
DETAIL_FAULTS: dict[str, tuple[int, dict, bool]] = {
    "500 (persistent)": (0, {"status": 500, "times": 10}, False),
    "502 (once)": (1, {"status": 502}, True),
    "503 (once)": (2, {"status": 503}, True),
    "429 + Retry-After": (3, {"status": 429, "retry_after": 1}, True),
    "timeout (once)": (4, {"kind": "stall", "seconds": 4}, True),
    "timeout (persistent)": (5, {"kind": "stall", "seconds": 4, "times": 5}, False),
    "connection reset (once)": (6, {"kind": "reset"}, True),
    "connection reset (persistent)": (7, {"kind": "reset", "times": 5}, False),
    "truncated body": (8, {"kind": "truncate", "times": 5}, False),
    "GBK declared UTF-8": (9, {"kind": "mislabel-gbk", "times": 5}, True),
    "30 MB page": (10, {"kind": "huge", "mb": 30, "times": 5}, False),
    "binary as text/html": (11, {"kind": "binary", "times": 5}, False),
    "malformed HTML": (12, {"kind": "malformed", "times": 5}, True),
    "redirect loop": (13, {"kind": "redirect", "to": "SELF", "times": 50}, False),
    "redirect to another host": (
        14,
        {"kind": "redirect", "to": "http://www.evil-example.com/x.html", "times": 5},
        False,
    ),  # fmt: skip
    "redirect to a private address": (
        15,
        {"kind": "redirect", "to": "http://192.168.1.1/admin", "times": 5},
        False,
    ),  # fmt: skip
    "redirect within the site": (16, {"kind": "redirect", "to": "HTTP"}, True),
}
# what the crawl report must name for each case: (errors_by_kind, faults) entries
REPORTED: dict[str, tuple[str | None, str | None]] = {
    "500 (persistent)": ("http-500", "http-500"),
    "502 (once)": (None, "http-502"),
    "503 (once)": (None, "http-503"),
    "429 + Retry-After": (None, "http-429"),
    "timeout (once)": (None, "timeout"),
    "timeout (persistent)": ("timeout", "timeout"),
    "connection reset (once)": (None, "connection"),
    "connection reset (persistent)": ("connection", "connection"),
    "truncated body": ("truncated", "truncated"),
    "GBK declared UTF-8": (None, "mislabelled-encoding"),
    "30 MB page": ("too-large", None),
    "binary as text/html": ("binary-as-html", None),
    "malformed HTML": (None, None),
    "redirect loop": ("redirect-loop", "redirect-loop"),
    "redirect to another host": ("offsite-redirect", "offsite-redirect"),
    "redirect to a private address": ("offsite-redirect", "offsite-redirect"),
    "redirect within the site": (None, None),
}


def crawl(server: ReplicaServer, db: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "govarchive", "crawl", SITE, "--replica", server.address,
         "--db", str(db), *FAST, *extra],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def documents(db: Path) -> dict[str, tuple]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT d.url_key, d.title, d.text_hash, v.content_hash, d.index_no, d.publisher "
            "FROM documents d JOIN versions v ON v.id = d.current_version_id"
        ).fetchall()
    return {r[0]: r[1:] for r in rows}


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults")
    served = sorted(World().served_documents(SITE), key=lambda d: d.url)
    with ReplicaServer(World()) as server:
        clean = crawl(server, tmp / "clean.db")
        assert clean.returncode == 0, clean.stderr[-3000:]
        server.reset_counters()
        paths = {}
        for case, (index, options, _stored) in DETAIL_FAULTS.items():
            path = "/" + served[index].url.split("/", 3)[3]
            paths[case] = path
            options = dict(options)
            if options.get("to") == "SELF":
                options["to"] = served[index].url
            elif options.get("to") == "HTTP":  # same portal, https -> http
                options["to"] = f"http://{HOST}{path}"
            server.inject_fault(HOST, path, **options)
        # listing faults: an endless pager on one column, session ids on the other
        server.inject_fault(HOST, "/zwgk/fzzfjs/index", kind="trap", times=100_000)
        server.inject_fault(HOST, "/zwgk/tzgg/index", kind="session-ids", times=100_000)
        faulty = crawl(server, tmp / "faulty.db")
        log = list(server.request_log)
    with sqlite3.connect(tmp / "faulty.db") as conn:
        report = conn.execute(
            "SELECT errors_by_kind, faults, errors FROM crawl_sites WHERE site = ?", [SITE]
        ).fetchone()
        captures = conn.execute("SELECT url_key, kind, outcome, error, raw_digest FROM captures"
                                ).fetchall()  # fmt: skip
        raws = [decompress(*r) for r in conn.execute("SELECT codec, body FROM raw")]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    return {
        "served": served, "paths": paths, "clean": documents(tmp / "clean.db"),
        "faulty": documents(tmp / "faulty.db"), "result": faulty, "log": log,
        "errors": json.loads(report[0]), "faults": json.loads(report[1]), "n_errors": report[2],
        "captures": captures, "raws": raws, "integrity": integrity,
    }  # fmt: skip


def test_crawl_finishes_and_archive_is_consistent(matrix):
    result = matrix["result"]
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "finish reason: finished" in result.stdout
    assert matrix["integrity"] == "ok"
    # the per-site table names the faults
    line = next(x for x in result.stdout.splitlines() if x.strip().startswith(f"{SITE}: errors:"))
    assert "redirect-loop" in line and "timeout" in line and "http-502" in line


@pytest.mark.parametrize("case", list(DETAIL_FAULTS))
def test_fault_case(matrix, case):
    index, _options, stored = DETAIL_FAULTS[case]
    doc = matrix["served"][index]
    key = url_key(doc.url)
    clean, faulty = matrix["clean"], matrix["faulty"]
    assert key in clean  # the clean crawl has it
    if stored:  # stored, and exactly as the clean crawl stored it
        assert faulty.get(key) == clean[key], case
    else:  # not stored at all, and the failure is a capture saying why
        assert key not in faulty, case
        outcomes = {o for k, kind, o, _e, _d in matrix["captures"] if k == key and kind == "detail"}
        assert outcomes == {"error"}, (case, outcomes)
    error, fault = REPORTED[case]
    if error:
        assert matrix["errors"].get(error, 0) >= 1, (case, matrix["errors"])
    if fault:
        assert matrix["faults"].get(fault, 0) >= 1, (case, matrix["faults"])


def test_nothing_wrong_is_stored(matrix):
    clean, faulty = matrix["clean"], matrix["faulty"]
    lost = {url_key(matrix["served"][i].url) for i, _o, s in DETAIL_FAULTS.values() if not s}
    # every other document is there, exactly as without faults; nothing else is
    assert faulty == {k: v for k, v in clean.items() if k not in lost}
    assert len(clean) == len(matrix["served"])
    # no fault's body reached the raw store: no PDF, no 30 MB page, no half page
    assert not any(body.startswith(b"%PDF") for body in matrix["raws"])
    assert max(len(body) for body in matrix["raws"]) < 1024 * 1024
    truncated = url_key(matrix["served"][DETAIL_FAULTS["truncated body"][0]].url)
    assert all(d is None for k, _kind, _o, _e, d in matrix["captures"] if k == truncated)
    errors = sum(matrix["errors"].values())
    assert errors == matrix["n_errors"] == len(lost)


def test_redirects_never_leave_the_site(matrix):
    hosts = {host for host, _m, _t, _s in matrix["log"]}
    assert "www.evil-example.com" not in hosts and "192.168.1.1" not in hosts
    loop = matrix["paths"]["redirect loop"]
    # the loop is stopped at once, not after REDIRECT_MAX_TIMES
    assert len([t for h, _m, t, _s in matrix["log"] if h == HOST and t == loop]) <= 2


def test_pager_trap_is_cut_and_reported(matrix):
    listings = [
        t for h, _m, t, _s in matrix["log"] if h == HOST and t.startswith("/zwgk/fzzfjs/index")
    ]
    assert len(listings) <= 6  # 3 real pages, then one page repeating them
    assert matrix["faults"].get("listing-trap") == 1


def test_session_ids_do_not_duplicate_documents(matrix):
    with_session = [k for k, *_ in matrix["captures"] if "jsessionid" in k.lower()]
    assert not with_session
    details = [k for k, kind, *_ in matrix["captures"] if kind == "detail"]
    tzgg = [k for k in details if "/zwgk/tzgg/" in k]
    assert tzgg and len(tzgg) == len(set(tzgg))  # each listed twice, fetched once
    fetched = [t for h, _m, t, _s in matrix["log"] if h == HOST and "/zwgk/tzgg/2" in t]
    assert len(fetched) == len(set(tzgg))
