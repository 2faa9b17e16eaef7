"""Benchmark: the crawler on the replica (issue 5) — throughput, re-crawl cost, national sweep.

    /work/venv/bin/python bench/crawl_bench.py [--out bench/results_crawl.md] [--repeat 3]
        [--portals 3000] [--latency 0.2] [--mutations 30] [--only throughput,recrawl,sweep]

Targets (reported with PASS/FAIL, not asserted by tests):

1. Throughput: a full crawl (the real `govarchive crawl` path: spider, cleaners, archive) of the
   ten replica portals reaches >= 60 % of the pages/s of a bare Scrapy spider that only fetches
   the same URLs. Same run, same machine, same Scrapy settings; the two alternate, `--repeat`
   times each, and the medians are compared.
2. Re-crawl: an immediate re-crawl of the unchanged replica moves <= 5 % of the first crawl's
   bytes. After N seeded adds, edits and removals, a `--recheck` crawl finds all N (checked in
   the archive) and on the portals that send validators (ETag / Last-Modified) moves <= 20 % of
   the first crawl's bytes. Bytes and requests are counted by the replica server.
3. National sweep: `--portals` replica portals under real registry hostnames, answering after
   `--latency` s; the time until every 法治政府建设年度报告 is in the archive is < 15 minutes,
   and no host ever has more than 2 requests in flight (counted by the server). The crawl is
   `govarchive crawl KEYS` with the project's politeness settings and GOVARCHIVE_COLUMNS=reports.

Every crawl runs in its own process (`--worker SPEC`), as `govarchive crawl` would; the replica
server runs in this process, so its counters see every request.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Politeness delays turned down equally for both sides of the throughput comparison (a local
# replica needs no protection); concurrency stays at the project's settings for both.
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}
SEED = 20250401
THROUGHPUT_TARGET = 0.60
RECRAWL_TARGET = 0.05
RECHECK_TARGET = 0.20
SWEEP_TARGET_S = 15 * 60


# -- crawl workers (run in a child process) ------------------------------------------------------


def worker(spec_path: str) -> int:
    """Run one crawl described by a JSON spec; write its Scrapy stats next to it."""
    spec = json.loads(Path(spec_path).read_text("utf-8"))
    started = time.time()
    if spec["kind"] == "full":
        from govarchive.cli import run_crawl

        stats = run_crawl(db=spec["db"], sites=spec["sites"], replica=spec["replica"],
                          overrides=spec.get("settings", {}), recheck=spec.get("recheck", False))  # fmt: skip
    else:
        stats = bare_crawl(spec["urls"], spec["replica"], spec.get("settings", {}))
    out = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}
    out["process_started"] = started
    Path(spec["stats"]).write_text(json.dumps(out), "utf-8")
    return 0 if stats.get("finish_reason") == "finished" else 1


def bare_crawl(urls: list[str], replica: str, overrides: dict[str, str]) -> dict:
    """A bare Scrapy spider: fetch these URLs and do nothing with them.

    Same project settings (download handler, concurrency, robots.txt) minus what govarchive adds
    on top of fetching: no item pipelines (cleaners, archive), no govarchive middlewares.
    """
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

        def parse(self, response):
            return None

    settings = get_project_settings()
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    settings.set("GOVARCHIVE_REPLICA", replica, priority="cmdline")
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    settings.set("DOWNLOADER_MIDDLEWARES", {}, priority="cmdline")
    settings.set("EXTENSIONS", {}, priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    return crawler.stats.get_stats()


def run_worker(spec: dict, workdir: Path, env: dict[str, str] | None = None,
               log: Path | None = None) -> dict:  # fmt: skip
    """Run a crawl in a child process; its stats, with the wall time seen from here."""
    spec = dict(spec)
    name = f"{spec['kind']}-{time.monotonic_ns()}"
    spec["stats"] = str(workdir / f"{name}.stats.json")
    spec_path = workdir / f"{name}.json"
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), "utf-8")
    started = time.monotonic()
    wall_start = time.time()
    err = open(log or os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    try:
        result = subprocess.run(
            [sys.executable, __file__, "--worker", str(spec_path)], cwd=ROOT,
            env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
    finally:
        err.close()
    wall = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(f"crawl worker failed ({spec['kind']}); see {log or 'its stderr'}")
    stats = json.loads(Path(spec["stats"]).read_text("utf-8"))
    stats["wall_seconds"] = wall
    stats["wall_start"] = wall_start
    return stats


def pages_per_second(stats: dict) -> float:
    return stats.get("response_received_count", 0) / stats["elapsed_time_seconds"]


# -- 1. throughput -------------------------------------------------------------------------------


def logged_urls(server, start: int = 0) -> list[str]:
    """Absolute URLs of the requests the server answered (robots.txt left out: both sides fetch
    it themselves)."""
    from replica.sites import SITES_BY_HOST

    urls = []
    for host, method, target, _ in server.request_log[start:]:
        if method == "GET" and target != "/robots.txt":
            urls.append(f"{SITES_BY_HOST[host].scheme}://{host}{target}")
    return urls


def bench_throughput(workdir: Path, repeat: int) -> tuple[list[str], bool]:
    from replica import ReplicaServer, World
    from replica.sites import SITES

    keys = [s.key for s in SITES]
    world = World(generation=0)
    lines = ["## 1. Throughput: full crawl vs bare fetch", ""]
    with ReplicaServer(world) as server:
        # an untimed crawl finds the URL list (and warms caches and bytecode for both sides)
        db = workdir / "discover.db"
        run_worker({"kind": "full", "db": str(db), "sites": keys, "replica": server.address,
                    "settings": FAST}, workdir)  # fmt: skip
        urls = logged_urls(server)
        runs: dict[str, list[dict]] = {"full": [], "bare": []}
        for i in range(repeat):
            order = ("full", "bare") if i % 2 == 0 else ("bare", "full")
            for kind in order:
                spec = {"kind": kind, "replica": server.address, "settings": FAST}
                if kind == "full":
                    spec |= {"db": str(workdir / f"full-{i}.db"), "sites": keys}
                else:
                    spec |= {"urls": urls}
                mark = len(server.request_log)
                stats = run_worker(spec, workdir)
                stats["requests_served"] = len(server.request_log) - mark
                runs[kind].append(stats)
    full = [pages_per_second(s) for s in runs["full"]]
    bare = [pages_per_second(s) for s in runs["bare"]]
    ratio = statistics.median(full) / statistics.median(bare)
    ok = ratio >= THROUGHPUT_TARGET
    docs = sqlite3.connect(workdir / "full-0.db").execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    lines += [
        f"World: the ten replica portals at generation 0 ({len(urls)} listing and detail URLs "
        f"plus robots.txt; {docs} documents archived by each full crawl). Both sides use the "
        f"project's concurrency (CONCURRENT_REQUESTS, CONCURRENT_REQUESTS_PER_DOMAIN) and "
        f"robots.txt; politeness delays turned down equally for both: "
        + ", ".join(f"{k}={v}" for k, v in FAST.items())
        + f". {repeat} runs each, alternating which goes first; pages/s = responses / Scrapy "
        "elapsed time (process start-up excluded).",
        "",
        "| run | order | full crawl pages/s | bare fetch pages/s | full/bare |",
        "|---|---|---:|---:|---:|",
    ]
    for i in range(repeat):
        order = "full first" if i % 2 == 0 else "bare first"
        lines.append(f"| {i + 1} | {order} | {full[i]:.1f} | {bare[i]:.1f} | {full[i] / bare[i]:.2f} |")
    lines += [
        f"| **median** | | **{statistics.median(full):.1f}** | **{statistics.median(bare):.1f}** "
        f"| **{ratio:.2f}** |",
        "",
        f"Responses per run: full {runs['full'][0].get('response_received_count')}, bare "
        f"{runs['bare'][0].get('response_received_count')}. Cleaning + archiving cost: "
        f"{(1 - ratio) * 100:.0f} % of the bare rate.",
        "",
        f"**Target: full >= {THROUGHPUT_TARGET:.0%} of bare: {'PASS' if ok else 'FAIL'}** "
        f"({ratio:.0%})",
        "",
    ]
    return lines, ok


# -- 2. re-crawl ---------------------------------------------------------------------------------


def counters(server) -> tuple[int, int, dict[str, int]]:
    """(bytes, requests, bytes by host) since the last reset."""
    return sum(server.bytes_sent.values()), len(server.request_log), dict(server.bytes_sent)


def bench_recrawl(workdir: Path, n_mutations: int) -> tuple[list[str], bool]:
    from archive.identity import url_key
    from replica import ReplicaServer, World
    from replica.sites import SITES
    from replica.sweep import mutate

    keys = [s.key for s in SITES]
    world = World(generation=0)
    db = workdir / "recrawl.db"
    lines = ["## 2. Re-crawl: bytes and requests", ""]
    with ReplicaServer(world) as server:
        spec = {"kind": "full", "db": str(db), "sites": keys, "replica": server.address,
                "settings": FAST}  # fmt: skip
        server.reset_counters()
        run_worker(spec, workdir)
        first_bytes, first_requests, first_by_host = counters(server)
        server.reset_counters()
        run_worker(spec, workdir)
        again_bytes, again_requests, _ = counters(server)
        conn = sqlite3.connect(db)
        mark = conn.execute("SELECT MAX(id) FROM captures").fetchone()[0]
        conn.close()
        done = mutate(world, n_mutations, seed=SEED)
        server.reset_counters()
        run_worker(spec | {"recheck": True}, workdir)
        recheck_bytes, recheck_requests, recheck_by_host = counters(server)
        statuses: dict[int, int] = {}
        for _, _, _, status in server.request_log:
            statuses[status] = statuses.get(status, 0) + 1

    conn = sqlite3.connect(db)
    docs = {r[0]: r[1:] for r in conn.execute(
        "SELECT url_key, status, version_count, text FROM documents_with_text")}  # fmt: skip

    def lines_of(text: str | None) -> list[str]:
        return [x.strip() for x in (text or "").split("\n") if x.strip()]

    found_added = [d for d in done.added if docs.get(url_key(d.url), ("",))[:2] == ("live", 1)]
    found_edited = [d for d in done.edited
                    if docs.get(url_key(d.url), ("",))[:2] == ("live", 2)
                    and lines_of(docs[url_key(d.url)][2]) == lines_of(d.text)]  # fmt: skip
    found_removed = [d for d in done.removed if docs.get(url_key(d.url), ("",))[0] == "gone"]
    outcomes = dict(conn.execute(
        "SELECT outcome, COUNT(*) FROM captures WHERE kind = 'detail' AND id > ? GROUP BY outcome",
        [mark]).fetchall())  # fmt: skip
    conn.close()
    found = len(found_added) + len(found_edited) + len(found_removed)
    spurious = (outcomes.get("new", 0) - len(done.added)) + (
        outcomes.get("changed", 0) - len(done.edited)) + (outcomes.get("gone", 0) - len(done.removed))

    validating = [s for s in SITES if s.send_etag or s.send_last_modified]
    v_first = sum(first_by_host.get(s.host, 0) for s in validating)
    v_recheck = sum(recheck_by_host.get(s.host, 0) for s in validating)
    again_share = again_bytes / first_bytes
    v_share = v_recheck / v_first
    ok_again = again_share <= RECRAWL_TARGET
    ok_found = found == len(done) and spurious == 0
    ok_recheck = v_share <= RECHECK_TARGET
    mb = 1 / 1e6
    lines += [
        "World: the ten replica portals at generation 0, crawled into a fresh archive with the "
        "default (incremental) mode, then again at once, then `--recheck` after "
        f"{len(done)} seeded mutations (seed {SEED}). Bytes = status line, headers and body as "
        "sent by the replica server; delays turned down as in section 1.",
        "",
        "| crawl | requests | bytes | share of first crawl's bytes |",
        "|---|---:|---:|---:|",
        f"| first crawl (empty archive) | {first_requests} | {first_bytes * mb:.2f} MB | 100 % |",
        f"| immediate re-crawl, unchanged replica | {again_requests} | {again_bytes * mb:.3f} MB "
        f"| {again_share:.1%} |",
        f"| `--recheck` after {len(done)} mutations, all portals | {recheck_requests} | "
        f"{recheck_bytes * mb:.2f} MB | {recheck_bytes / first_bytes:.1%} |",
        f"| same, the {len(validating)} portals that send validators | | {v_recheck * mb:.2f} MB "
        f"of {v_first * mb:.2f} MB | {v_share:.1%} |",
        "",
        "Per portal (`--recheck` bytes / first-crawl bytes):",
        "",
        "| portal | family | validators | first crawl | recheck | share |",
        "|---|---|---|---:|---:|---:|",
    ]
    for s in SITES:
        validators = "+".join(v for v, on in (("ETag", s.send_etag),
                                              ("Last-Modified", s.send_last_modified)) if on)  # fmt: skip
        a, b = first_by_host.get(s.host, 0), recheck_by_host.get(s.host, 0)
        lines.append(f"| {s.key} | {s.family} | {validators or 'none'} | {a * mb:.2f} MB | "
                     f"{b * mb:.2f} MB | {b / a:.0%} |")  # fmt: skip
    lines += [
        "",
        f"Recheck responses by status: {', '.join(f'{k}: {v}' for k, v in sorted(statuses.items()))}. "
        f"Detail captures of the recheck by outcome: "
        + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) + ".",
        "",
        "| mutation | made | found in the archive |",
        "|---|---:|---:|",
        f"| added (live, 1 version) | {len(done.added)} | {len(found_added)} |",
        f"| edited (2 versions, new text) | {len(done.edited)} | {len(found_edited)} |",
        f"| removed (marked gone) | {len(done.removed)} | {len(found_removed)} |",
        f"| outcomes not caused by a mutation | 0 | {spurious} |",
        "",
        f"**Target: immediate re-crawl <= {RECRAWL_TARGET:.0%} of the first crawl's bytes: "
        f"{'PASS' if ok_again else 'FAIL'}** ({again_share:.1%})",
        "",
        f"**Target: `--recheck` finds all {len(done)} mutations: "
        f"{'PASS' if ok_found else 'FAIL'}** ({found}/{len(done)}, {spurious} spurious)",
        "",
        f"**Target: `--recheck` on portals with validators <= {RECHECK_TARGET:.0%} of the first "
        f"crawl's bytes: {'PASS' if ok_recheck else 'FAIL'}** ({v_share:.1%})",
        "",
    ]
    return lines, ok_again and ok_found and ok_recheck


# -- 3. national sweep ---------------------------------------------------------------------------


def bench_sweep(workdir: Path, portals: int, latency: float) -> tuple[list[str], bool]:
    from collections import Counter

    import sqlite_utils

    from archive.identity import url_key
    from archive.reports import find_annual_reports
    from replica import ReplicaServer
    from replica.sweep import LATEST_REPORT_YEAR, SweepWorld

    t0 = time.monotonic()
    world = SweepWorld(portals, seed=SEED)
    build_s = time.monotonic() - t0
    truth = world.annual_reports()
    keys = [s.key for s in world.sites]
    sites_file = workdir / "sweep_sites.toml"
    sites_file.write_text(world.sites_toml(), "utf-8")
    db = workdir / "sweep.db"
    log = workdir / "sweep.log"
    env = {"GOVARCHIVE_SITES": str(sites_file)}
    with ReplicaServer(world, latency=latency) as server:
        stats = run_worker({"kind": "full", "db": str(db), "sites": keys, "replica": server.address,
                            "settings": {"GOVARCHIVE_COLUMNS": "reports"}}, workdir, env, log)  # fmt: skip
        max_in_flight = dict(server.max_in_flight)
        requests = len(server.request_log)
        sent = sum(server.bytes_sent.values())
        statuses = Counter(status for *_, status in server.request_log)
    # when was each true report captured (seconds after the crawl process was started)
    conn = sqlite3.connect(db)
    first_capture: dict[str, str] = {}
    for key, fetched in conn.execute(
        "SELECT url_key, MIN(fetched_at) FROM captures WHERE kind = 'detail' AND status = 200 "
        "GROUP BY url_key"
    ):
        first_capture[key] = fetched
    conn.close()
    start = stats["wall_start"]
    times = [datetime.fromisoformat(first_capture[url_key(t.url)]).timestamp() - start
             for t in truth if url_key(t.url) in first_capture]  # fmt: skip
    # what the archive says (the `govarchive reports` query), year by year
    archive = sqlite_utils.Database(db)
    years = sorted({t.year for t in truth})
    found: set[str] = set()
    for year in years:
        found |= {url_key(r.url) for r in find_annual_reports(archive, year)}
    archive.close()
    want = {url_key(t.url) for t in truth}
    latest = {url_key(t.url) for t in truth if t.year == LATEST_REPORT_YEAR and t.government}
    missing = want - found
    extra = found - want
    all_found_s = max(times) + 1 if len(times) == len(truth) else float("inf")  # second stamps
    worst = max(max_in_flight.values(), default=0)
    crawl_s = stats["wall_seconds"]
    ok = not missing and all_found_s < SWEEP_TARGET_S and crawl_s < SWEEP_TARGET_S and worst <= 2
    families = Counter(s.family for s in world.sites)
    lines = [
        "## 3. National sweep",
        "",
        f"World: {len(world.sites)} portals under real hostnames and names of "
        "crawler/sites/registry.tsv (seeded sample when fewer than the whole list), each in one "
        "of the replica's family templates ("
        + ", ".join(f"{f} {n}" for f, n in sorted(families.items())) + "); every answer waits "
        f"{latency * 1000:.0f} ms. Each portal has a 法治政府建设 column (the government's annual "
        "reports of the last 3–6 years, some departments' reports, 1–3 look-alikes such as "
        "工作要点 or 信息公开年报; 8 % of columns run to a second listing page) and a 通知公告 "
        f"column. Built in {build_s:.1f} s. The column URLs reach the crawler as a sites file "
        "(GOVARCHIVE_SITES, sites.toml format, keyed by registry key) — the national registry "
        "itself knows the report column of only a few dozen portals.",
        "",
        f"Crawl: `govarchive crawl <{len(keys)} keys>` with GOVARCHIVE_COLUMNS=reports and the "
        "project's politeness settings unchanged (robots.txt, 2 requests per host, 1 s delay "
        "with AutoThrottle).",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| annual reports served (all years; government's own for {LATEST_REPORT_YEAR}) | "
        f"{len(want)} ({len(latest)}) |",
        f"| found by the archive's report query | {len(want & found)} |",
        f"| missing | {len(missing)} |",
        f"| look-alikes also counted as reports | {len(extra)} |",
        f"| time until the last report was archived | {all_found_s:.0f} s ({all_found_s / 60:.1f} min) |",
        f"| crawl wall time (process start to exit) | {crawl_s:.0f} s ({crawl_s / 60:.1f} min) |",
        f"| requests served | {requests} ({requests / crawl_s:.1f}/s; "
        + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())) + ") |",
        f"| bytes sent | {sent / 1e6:.1f} MB |",
        f"| max requests in flight on one host (server-side) | {worst} |",
        f"| hosts that ever had 2 in flight | {sum(1 for v in max_in_flight.values() if v >= 2)} |",
        "",
    ]
    if extra:
        conn = sqlite3.connect(db)
        titles = [r[0] for r in conn.execute(
            f"SELECT title FROM documents WHERE url_key IN ({','.join('?' * len(extra))}) LIMIT 5",
            sorted(extra))]  # fmt: skip
        conn.close()
        lines += ["Look-alikes the report query also accepts (archive/reports.py; not a crawler "
                  "matter), e.g.: " + "; ".join(titles), ""]  # fmt: skip
    lines += [
        f"**Target: every annual report found in < {SWEEP_TARGET_S // 60} min with <= 2 requests "
        f"in flight per host: {'PASS' if ok else 'FAIL'}** ({len(want & found)}/{len(want)} in "
        f"{all_found_s / 60:.1f} min; max in flight {worst})",
        "",
    ]
    return lines, ok


# -- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "bench" / "results_crawl.md"))
    ap.add_argument("--repeat", type=int, default=3, help="runs of each side in section 1")
    ap.add_argument("--mutations", type=int, default=30, help="adds+edits+removals in section 2")
    ap.add_argument("--portals", type=int, default=3000, help="portals in the sweep (section 3)")
    ap.add_argument("--latency", type=float, default=0.2, help="sweep response latency, seconds")
    ap.add_argument("--only", default="throughput,recrawl,sweep",
                    help="comma-separated sections to run")  # fmt: skip
    ap.add_argument("--workdir", help="keep archives and logs here (default: a temp dir)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args.worker)
    sections = {s.strip() for s in args.only.split(",") if s.strip()}
    tmp = None if args.workdir else tempfile.TemporaryDirectory(prefix="crawl_bench_")
    workdir = Path(args.workdir or tmp.name)
    workdir.mkdir(parents=True, exist_ok=True)
    for old in workdir.glob("*.db"):  # every crawl starts from an empty archive
        old.unlink()
    lines = [
        "# Crawl benchmark (issue 5)",
        "",
        f"`python bench/crawl_bench.py --repeat {args.repeat} --mutations {args.mutations} "
        f"--portals {args.portals} --latency {args.latency}` on {platform.node() or 'this machine'}"
        f" ({os.cpu_count()} CPUs, Python {platform.python_version()}), "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Seeds fixed ({SEED}).",
        "",
    ]
    verdicts = {}
    try:
        for name, run in (
            ("throughput", lambda: bench_throughput(workdir, args.repeat)),
            ("recrawl", lambda: bench_recrawl(workdir, args.mutations)),
            ("sweep", lambda: bench_sweep(workdir, args.portals, args.latency)),
        ):
            if name not in sections:
                continue
            t = time.monotonic()
            print(f"[crawl_bench] {name} ...", file=sys.stderr, flush=True)
            section, ok = run()
            verdicts[name] = ok
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            lines += section + [f"_(section took {time.monotonic() - t:.0f} s; load average at "
                                f"its end {load} — the machine is shared)_", ""]  # fmt: skip
            print("\n".join(section), file=sys.stderr, flush=True)
    finally:
        if tmp is not None:
            tmp.cleanup()
    lines += ["## Summary", "", "| target | result |", "|---|---|"]
    lines += [f"| {k} | {'PASS' if v else 'FAIL'} |" for k, v in verdicts.items()]
    Path(args.out).write_text("\n".join(lines) + "\n", "utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
