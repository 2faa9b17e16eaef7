"""The `govarchive` command: demo, crawl, schedule, clean, serve, history, reclean, export, sites,
replica."""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

DEFAULT_DB = "data/archive.db"
# Exit statuses a scheduler (systemd, cron, scrapyd wrapper) can tell apart.
EXIT_INCOMPLETE = 1  # the crawl did not finish (shut down, or failed)
EXIT_USAGE = 2
EXIT_ALERTS = 3  # finished, but a site yielded nothing or the cleaner degraded: look at it
EXIT_LOCKED = 75  # EX_TEMPFAIL: the same plan is being crawled into this archive; try later


class CliError(Exception):
    """A user error: printed as one line, exit status 2."""


class CrawlLocked(Exception):
    """Another `govarchive crawl` of the same plan holds the archive's lock."""


def lock_path(db: str, plan: str) -> Path:
    slug = re.sub(r"[^\w.,-]", "_", plan)[:80]
    return Path(db).with_name(f"{Path(db).name}.{slug}.lock")


@contextmanager
def crawl_lock(db: str, plan: str) -> Iterator[Path]:
    """Hold an fcntl lock per archive and plan for the crawl's lifetime.

    Overlapping runs of one plan (a slow crawl still going when the timer fires again) would
    fetch everything twice. The kernel drops the lock when the process dies, even by SIGKILL,
    so a crash never leaves a stale lock behind; the file itself stays (deleting it would race).
    """
    path = lock_path(db, plan)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "?"
        os.close(fd)
        raise CrawlLocked(f"another crawl of {plan} into {db} is running ({holder}; lock "
                          f"{path}); not starting a second one") from None  # fmt: skip
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)


# -- crawl -------------------------------------------------------------------------------------


def run_crawl(
    *,
    db: str,
    sites: list[str] | None = None,
    url: str | None = None,
    family: str | None = None,
    replica: str | None = None,
    overrides: dict[str, str] | None = None,
    recheck: bool = False,
    plan: str | None = None,
) -> dict:
    """Run one Scrapy crawl in this process and return its stats."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from crawler.replica import parse_replica_address
    from crawler.spiders.portal import PortalSpider

    check_crawlable(sites or [], url, family)  # bad names fail before anything starts
    settings = get_project_settings()
    settings.set("GOVARCHIVE_DB", db, priority="cmdline")
    if plan:
        settings.set("GOVARCHIVE_PLAN", plan, priority="cmdline")
    # The command line shows progress lines and a summary; Scrapy's own INFO log is for -s LOG_LEVEL=INFO.
    settings.set("LOG_LEVEL", "WARNING", priority="project")
    if replica:
        settings.set("GOVARCHIVE_REPLICA", parse_replica_address(replica), priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    process.crawl(crawler, sites=",".join(sites or []), url=url or "", family=family or "",
                  recheck="1" if recheck else "")  # fmt: skip
    process.start()
    return crawler.stats.get_stats()


def _parse_overrides(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise CliError(f"--set expects NAME=VALUE, got {pair!r}")
        out[name] = value
    return out


def check_crawlable(keys: list[str], url: str | None, family: str | None) -> None:
    """Fail with one clear line for an unknown key, a key without a column or without an adapter."""
    from crawler.families import ADAPTERS
    from crawler.sites import get_site, site_for_url

    known = ", ".join(sorted(ADAPTERS))
    for key in keys:
        site = get_site(key)
        site.crawl_columns()
        if not site.family:
            raise CliError(f"CMS family of {site.name} ({key}) is not known; give --url COLUMN_URL")
        if site.family not in ADAPTERS:
            raise CliError(f"{site.name} ({key}) runs {site.family}, which has no adapter yet "
                           f"(known: {known})")  # fmt: skip
    site = site_for_url(url) if url and not family else None
    if site is not None and site.family and site.family not in ADAPTERS:
        raise CliError(f"the registry has {site.name} ({site.key}) as {site.family}, which has no "
                       f"adapter yet (known: {known}); give --family to override")  # fmt: skip


def _slice_requested(args: argparse.Namespace) -> bool:
    return bool(args.province or args.prefecture or args.level or (args.family and not args.url))


def select_crawl_keys(args: argparse.Namespace) -> list[str]:
    """The named sites plus the requested slice, keeping only entries a crawl can start from.

    A slice of the national registry is mostly entries without a known column (or with a family
    no adapter handles yet); they are skipped and counted by family on stderr, not failed on.
    """
    from collections import Counter

    from crawler.families import ADAPTERS
    from crawler.sites import select_sites

    keys = list(args.sites)
    if not _slice_requested(args):
        return keys
    chosen = select_sites(province=args.province, prefecture=args.prefecture,
                          family=None if args.url else args.family, level=args.level)  # fmt: skip
    no_column: Counter = Counter()
    no_adapter: Counter = Counter()
    for site in chosen:
        if not site.columns:
            no_column[site.family or "unknown"] += 1
        elif site.family not in ADAPTERS:
            no_adapter[site.family or "unknown"] += 1
        elif site.key not in keys:
            keys.append(site.key)

    def by_family(counts: Counter) -> str:
        return ", ".join(f"{f} {n}" for f, n in counts.most_common())

    taken = len(keys) - len(args.sites)
    print(f"slice: {len(chosen)} entries, {taken} with a known column", file=sys.stderr)
    if no_column:
        print(f"  skipped {no_column.total()} without a known column ({by_family(no_column)})",
              file=sys.stderr)  # fmt: skip
    if no_adapter:
        print(f"  skipped {no_adapter.total()} whose family has no adapter yet "
              f"({by_family(no_adapter)})", file=sys.stderr)  # fmt: skip
    if not keys:
        raise CliError("nothing to crawl in that slice: no entry has a known column "
                       "(see `govarchive sites ... -v`); give --url COLUMN_URL")  # fmt: skip
    return keys


def cmd_crawl(args: argparse.Namespace) -> int:
    if not (args.sites or args.url or _slice_requested(args)):
        raise CliError("name one or more sites (see `govarchive sites`), a slice (--province, "
                       "--prefecture, --family, --level) or give --url COLUMN_URL")  # fmt: skip
    keys = select_crawl_keys(args)
    if keys and args.url:
        raise CliError("give either sites (or a slice) or --url, not both")
    from archive.crawls import plan_key

    plan = plan_key(keys, args.url)
    try:
        with crawl_lock(args.db, plan):
            stats = run_crawl(
                db=args.db,
                sites=keys,
                url=args.url,
                family=args.family if args.url else None,
                replica=args.replica or os.environ.get("GOVARCHIVE_REPLICA"),
                overrides=_parse_overrides(args.set),
                recheck=args.recheck,
                plan=plan,
            )
    except CrawlLocked as exc:
        print(f"govarchive: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    return crawl_exit_status(print_summary(args.db, stats), stats)


def crawl_exit_status(alerts: list[str], stats: dict) -> int:
    if stats.get("finish_reason") != "finished":
        return EXIT_INCOMPLETE
    return EXIT_ALERTS if alerts else 0


# -- reporting ---------------------------------------------------------------------------------


def _run_outcomes(stats: dict) -> dict[str, dict[str, int]]:
    per_site: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        parts = key.split("/") if isinstance(key, str) else []
        if len(parts) == 4 and parts[0] == "govarchive" and parts[2] == "documents":
            per_site.setdefault(parts[1], {})[parts[3]] = value
        elif len(parts) == 3 and parts[0] == "govarchive" and parts[2] == "errors":
            per_site.setdefault(parts[1], {})["errors"] = value
    return per_site


def _pad(text: str, width: int) -> str:
    """Left-justify for a terminal, counting CJK characters as two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - shown, 1)


def print_summary(db: str, stats: dict, expected: dict[str, int] | None = None) -> list[str]:
    """The per-site table of this crawl (from the archive's `crawls` table), errors by kind,
    faults met and alerts; returns the alerts."""
    import sqlite_utils

    from archive.crawls import crawl_report
    from archive.store import Archive
    from crawler.sites import load_sites

    names = {k: s.name for k, s in load_sites().items()}
    archive = Archive(db)
    try:
        live = {row["site"]: row["live"] for row in archive.site_summary()}
    finally:
        archive.close()
    crawl, sites = {}, []
    if stats.get("govarchive_crawl_id"):
        report_db = sqlite_utils.Database(db)
        try:
            crawl, sites = crawl_report(report_db, stats["govarchive_crawl_id"])
        finally:
            report_db.conn.close()
    run = {s["site"]: s for s in sites} or {
        site: {"new": c.get("new", 0), "changed": c.get("changed", 0),
               "unchanged": c.get("unchanged", 0), "not_modified": c.get("not-modified", 0),
               "removed": c.get("gone", 0), "errors": c.get("errors", 0)}
        for site, c in _run_outcomes(stats).items()
    }  # fmt: skip
    columns = (("pages", 6), ("new", 6), ("changed", 8), ("unchanged", 10), ("not_modified", 5),
               ("removed", 6), ("errors", 7), ("blocked", 8))  # fmt: skip
    titles = {"not_modified": "304", "removed": "gone"}
    header = f"{'site':<14}{'name':<22}{'documents':>10}"
    header += "".join(f"{titles.get(c, c):>{w}}" for c, w in columns) + f"{'secs':>7}"
    if expected is not None:
        header += f"{'replica':>9}"
    print()
    print(header)
    for site in sorted(set(live) | set(run), key=lambda s: s or ""):
        r = run.get(site, {})
        line = f"{_pad(site or '?', 14)}{_pad(names.get(site, ''), 22)}{live.get(site, 0):>10}"
        line += "".join(f"{r.get(c) or 0:>{w}}" for c, w in columns)
        line += f"{r.get('duration_s') or 0:>7.1f}"
        if expected is not None:
            line += f"{expected.get(site, 0):>9}"
        print(line)
    print(f"{'total':<36}{sum(live.values()):>10}")
    for s in sites:
        if s["errors_by_kind"] or s["faults"]:
            errors = ", ".join(f"{k} ×{n}" for k, n in sorted(s["errors_by_kind"].items()))
            faults = ", ".join(f"{k} ×{n}" for k, n in sorted(s["faults"].items()))
            print(f"  {s['site']}: errors: {errors or 'none'}; faults met (retries included): "
                  f"{faults or 'none'}")  # fmt: skip
    print_walls(stats)
    alerts = (crawl.get("alerts") or "").splitlines()
    for alert in alerts:
        print(f"ALERT {alert}")
        print(f"govarchive: alert: {alert}", file=sys.stderr)
    where = f"crawl {crawl['id']} in table crawls, " if crawl else ""
    print(f"\narchive: {db}   ({where}finish reason: {stats.get('finish_reason')})")
    return alerts


def print_walls(stats: dict) -> None:
    """Anti-bot walls met, by prefecture (walls are usually deployed city-wide)."""
    from crawler.sites import load_sites

    walls: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        parts = key.split("/")
        if len(parts) == 4 and parts[0] == "govarchive" and parts[2] == "walls":
            walls.setdefault(parts[1], {})[parts[3]] = value
    if not walls:
        return
    sites = load_sites()
    by_prefecture: dict[str, list[str]] = {}
    for site, kinds in sorted(walls.items()):
        entry = sites.get(site)
        where = (entry.prefecture or entry.province or "?") if entry else "?"
        skipped = stats.get(f"govarchive/{site}/walled_skipped", 0)
        what = ", ".join(f"{kind} ×{n}" for kind, n in sorted(kinds.items()))
        by_prefecture.setdefault(where, []).append(
            f"{site} ({what}; {skipped} requests not sent, site backed off)"
        )
    print("\nanti-bot walls (challenge pages are recorded as blocked, never as documents):")
    for where, lines in sorted(by_prefecture.items()):
        print(f"  {where}: " + "; ".join(lines))


# -- demo --------------------------------------------------------------------------------------

# The replica is on this machine: the delays that protect real portals only slow the demo down.
LOCAL_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
}


def cmd_demo(args: argparse.Namespace) -> int:
    from replica import ReplicaServer, World

    world = World(generation=args.generation)
    served = world.served_documents()
    site_keys = sorted({doc.site for doc in served})
    with ReplicaServer(world) as server:
        print(f"replica portals at {server.address}: {', '.join(site_keys)}")
        stats = run_crawl(
            db=args.db,
            sites=site_keys,
            replica=server.address,
            overrides=LOCAL_SETTINGS | _parse_overrides(args.set),
            recheck=args.recheck,
        )
    expected: dict[str, int] = {}
    for doc in served:
        expected[doc.site] = expected.get(doc.site, 0) + 1
    alerts = print_summary(args.db, stats, expected)
    print(f"\nbrowse it:  govarchive serve --db {args.db}")
    return crawl_exit_status(alerts, stats)


# -- clean -------------------------------------------------------------------------------------


def cmd_clean(args: argparse.Namespace) -> int:
    import cleaners

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    headers = {}
    if args.content_type:
        headers["Content-Type"] = args.content_type
    url = args.url or path.resolve().as_uri()
    record = cleaners.clean(path.read_bytes(), url, headers, site=args.site)
    json.dump(record, sys.stdout, ensure_ascii=False, indent=2 if args.pretty else None)
    print()
    return 0


# -- serve -------------------------------------------------------------------------------------


def datasette_metadata(db: Path) -> dict:
    """The packaged metadata.yml, keyed by this database's name (Datasette uses the file stem)."""
    import yaml

    text = resources.files("archive").joinpath("datasette/metadata.yml").read_text("utf-8")
    metadata = yaml.safe_load(text)
    metadata["databases"] = {db.stem: metadata["databases"]["archive"]}
    # read-only: Datasette reads a mutable file through mode=ro connections and refuses
    # non-SELECT SQL; the only way it writes is a canned query marked `write`, so none is served
    queries = metadata["databases"][db.stem].get("queries", {})
    for name in [n for n, q in queries.items() if isinstance(q, dict) and q.get("write")]:
        del queries[name]
    return metadata


def cmd_serve(args: argparse.Namespace) -> int:
    db = Path(args.db)
    if not db.is_file():
        raise CliError(f"no archive at {db}: run `govarchive demo` or `govarchive crawl` first")
    with tempfile.TemporaryDirectory() as tmp:
        metadata_path = Path(tmp) / "metadata.json"
        metadata_path.write_text(json.dumps(datasette_metadata(db), ensure_ascii=False), "utf-8")
        cmd = [sys.executable, "-m", "datasette", "serve", str(db), "--port", str(args.port),
               "--host", args.host, "--metadata", str(metadata_path),
               # facet suggestions count(*) every column of a million-row table on each page
               "--setting", "suggest_facets", "off"]  # fmt: skip
        print(f"Datasette on http://{args.host}:{args.port}/{db.stem}  (Ctrl-C stops)", flush=True)
        return subprocess.call(cmd)


# -- history / reclean -----------------------------------------------------------------------


def open_archive(path: str):
    from archive.store import Archive

    if not Path(path).is_file():
        raise CliError(f"no archive at {path}: run `govarchive demo` or `govarchive crawl` first")
    return Archive(path)


def cmd_history(args: argparse.Namespace) -> int:
    from .history import DocumentNotFound, format_history, resolve_document

    archive = open_archive(args.db)
    try:
        doc = resolve_document(archive, args.doc)
        for line in format_history(archive, doc, context=args.context):
            print(line)
    except DocumentNotFound as exc:
        raise CliError(str(exc)) from None
    finally:
        archive.close()
    return 0


def cmd_reclean(args: argparse.Namespace) -> int:
    from cleaners import CLEANER_VERSION

    from .reclean import reclean

    archive = open_archive(args.db)
    try:
        counts, errors = reclean(archive, site=args.site)
    finally:
        archive.close()
    for doc_id, message in errors:
        print(f"document {doc_id}: cleaner failed: {message}", file=sys.stderr)
    summary = ", ".join(f"{counts[k]} {k}" for k in ("changed", "unchanged", "no-raw", "error"))
    print(f"reclean with cleaner {CLEANER_VERSION}: {summary}")
    return 1 if errors else 0


def cmd_export(args: argparse.Namespace) -> int:
    from collections import Counter

    from archive.export import export, export_warc, open_readonly

    if not Path(args.db).is_file():
        raise CliError(f"no archive at {args.db}: run `govarchive demo` or `govarchive crawl` first")
    db = open_readonly(args.db)
    skipped: Counter = Counter()
    try:
        options = dict(site=args.site, since=args.since, category=args.category,
                       all_versions=args.all_versions)  # fmt: skip
        if args.format == "warc":
            n = export_warc(db, args.out, skipped=skipped, **options)
        else:
            n = export(db, args.format, args.out, **options)
    finally:
        db.close()
    what = "captures" if args.format == "warc" else "versions" if args.all_versions else "documents"
    note = f" (skipped without a body: {dict(skipped)})" if skipped else ""
    print(f"exported {n} {what} as {args.format} to {args.out}{note}", file=sys.stderr)
    return 0


def cmd_reports(args: argparse.Namespace) -> int:
    """Which governments have published their 法治政府建设年度报告 for a year, which have not."""
    from archive.reports import find_annual_reports, record_annual_reports
    from crawler.sites import select_sites

    governments = select_sites(province=args.province) if args.province else None
    archive = open_archive(args.db)
    try:
        crawled = {r[0] for r in archive.db.execute("SELECT DISTINCT site FROM captures")}
        keys = {g.key for g in governments} if governments is not None else None
        reports = list(find_annual_reports(archive.db, args.year, keys))
        record_annual_reports(archive.db, args.year, reports)
    finally:
        archive.close()
    by_site: dict[str, list] = {}
    for report in reports:
        by_site.setdefault(report.site, []).append(report)
    if governments is None:  # every crawled site
        from crawler.sites import load_sites

        sites = load_sites()
        governments = [sites[k] for k in sorted(crawled) if k in sites]
    found = none = uncrawled = 0
    for gov in governments:
        own = by_site.get(gov.key, [])
        if own:
            found += 1
            # the government's own report before its departments' (局, 委员会 …)
            main = sorted(own, key=lambda r: (bool(re.search("局|委员会|中心", r.title)), r.title))[0]
            more = f"  (+{len(own) - 1} department reports)" if len(own) > 1 else ""
            print(f"{gov.key:<14}{gov.name:<16}{main.published_date or '':<12}{main.title}{more}")
            print(f"{'':<14}{main.url}")
        elif gov.key in crawled:
            none += 1
            print(f"{gov.key:<14}{gov.name:<16}{'none yet':<12}")
        else:
            uncrawled += 1
            if args.all:
                print(f"{gov.key:<14}{gov.name:<16}{'not crawled':<12}")
    print(
        f"\n{args.year}: {found} governments with a report, {none} crawled without one yet, "
        f"{uncrawled} not crawled{'' if args.all else ' (--all lists them)'}; "
        f"{len(reports)} report documents recorded in table annual_reports"
    )
    return 0


# -- sites / replica ---------------------------------------------------------------------------


def cmd_sites(args: argparse.Namespace) -> int:
    """List a slice of the registry: hand-written entries first, then by admin code."""
    from crawler.sites import select_sites

    chosen = select_sites(province=args.province, prefecture=args.prefecture, family=args.family,
                          level=args.level, unknown=args.unknown)  # fmt: skip
    try:
        if args.count:
            _print_site_counts(chosen)
            return 0
        for site in chosen:
            print(f"{site.key:<14}{site.family or '-':<9}{site.admin_code or '-':<8}"
                  f"{_pad(site.province or '-', 18)}{_pad(site.prefecture or '-', 20)}"
                  f"{_pad(site.name, 24)}{site.home}")  # fmt: skip
            if args.verbose:
                for column in site.columns:
                    print(f"{'':<14}  column {column.name}: {column.url}")
                for url in site.report_urls_seen:
                    print(f"{'':<14}  report seen: {url}")
    except BrokenPipeError:  # `govarchive sites | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _print_site_counts(chosen: list) -> None:
    from collections import Counter

    def line(counts: Counter) -> str:
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return ", ".join(f"{k} {n}" for k, n in ranked)

    levels = Counter(s.level or "-" for s in chosen)
    with_column = sum(1 for s in chosen if s.columns)
    with_family = sum(1 for s in chosen if s.family)
    print(f"{len(chosen)} entries ({line(levels)}); {with_family} with a known family, "
          f"{with_column} with a known column")  # fmt: skip
    print(f"by family: {line(Counter(s.family or '-' for s in chosen))}")
    print("by province:")
    provinces: dict[str, list] = {}
    for site in chosen:
        provinces.setdefault(site.province or "-", []).append(site)
    def first_code(item: tuple[str, list]) -> str:
        return min(s.admin_code or "9" for s in item[1])

    for province, sites in sorted(provinces.items(), key=first_code):
        families = Counter(s.family or "-" for s in sites)
        columns = sum(1 for s in sites if s.columns)
        print(f"  {_pad(province, 18)}{len(sites):>5}  columns {columns:<4} {line(families)}")


def cmd_replica(args: argparse.Namespace) -> int:
    from replica import ReplicaServer, World

    server = ReplicaServer(World(generation=args.generation), port=args.port)
    server.start()
    sites = sorted({doc.site for doc in server.world.served_documents()})
    print(f"replica serving on {server.address} (generation {args.generation}): {', '.join(sites)}")
    print(f"crawl it with:  govarchive crawl SITE --replica {server.address}   (Ctrl-C stops)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


# -- schedule ----------------------------------------------------------------------------------


def cmd_schedule(args: argparse.Namespace) -> int:
    """Write (or print) a systemd service + timer, or crontab lines, for one crawl plan."""

    from archive.crawls import plan_key

    from .schedule import Schedule, ScheduleError, parse_months, parse_time

    if not (args.sites or args.url or args.province):
        raise CliError("name the sites (or --province, or --url) the scheduled crawl covers")
    if args.sites:
        check_crawlable(args.sites, None, None)
    # absolute, as systemd wants it, and the same Python (and virtual environment) as now
    crawl = [sys.executable, "-m", "govarchive", "crawl", *args.sites]
    for option in ("url", "province"):
        if getattr(args, option):
            crawl += [f"--{option}", getattr(args, option)]
    crawl += ["--db", str(Path(args.db).resolve())]
    for pair in args.set:
        crawl += ["--set", pair]
    name = args.name or "govarchive-" + re.sub(r"[^A-Za-z0-9_.@-]", "_",
                                                 plan_key(args.sites, args.url))[:60]  # fmt: skip
    env = {"GOVARCHIVE_ALERT_COMMAND": args.alert_command} if args.alert_command else {}
    try:
        schedule = Schedule(
            name=name, argv=crawl, workdir=str(Path(args.workdir).resolve()),
            season=parse_months(args.season_months), in_season=args.in_season,
            off_season=args.off_season, at=parse_time(args.at), environment=env,
        )  # fmt: skip
    except ScheduleError as exc:
        raise CliError(str(exc)) from None
    if args.format == "cron":
        files = {f"{name}.cron": schedule.crontab()}
    else:
        files = {f"{name}.service": schedule.systemd_service(),
                 f"{name}.timer": schedule.systemd_timer()}  # fmt: skip
    if not args.out:
        for filename, text in files.items():
            print(f"# --- {filename}\n{text}")
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for filename, text in files.items():
        (out / filename).write_text(text, "utf-8")
        print(out / filename)
    if args.format == "systemd":
        print(f"install: cp {out}/{name}.* /etc/systemd/system/ && systemctl daemon-reload && "
              f"systemctl enable --now {name}.timer", file=sys.stderr)  # fmt: skip
    else:
        print(f"install: crontab -l | cat - {out}/{name}.cron | crontab -", file=sys.stderr)
    return 0


# -- entry point -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govarchive",
        description="Crawl Chinese government disclosure portals into a versioned SQLite archive.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="crawl the built-in replica portals into an archive")
    p.add_argument("--db", default=DEFAULT_DB, help=f"archive file (default {DEFAULT_DB})")
    p.add_argument("--generation", type=int, default=0, help="replica content generation")
    p.add_argument("--recheck", action="store_true", help="re-check every known document")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="Scrapy setting")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("crawl", help="crawl registry sites, a registry slice or one column URL")
    p.add_argument("sites", nargs="*", help="site keys from the registry (govarchive sites)")
    p.add_argument("--url", help="one column URL of a portal (family detected from the page)")
    p.add_argument("--family", help="with --url: its CMS family when the page has no known "
                   "fingerprint; otherwise: crawl the entries of this family")  # fmt: skip
    p.add_argument("--province", help="crawl the entries of this province that have a column")
    p.add_argument("--prefecture", help="crawl the entries of this prefecture (地级) that have a column")
    p.add_argument("--level", help="only entries of this level (省级, 地级, 县级)")
    p.add_argument("--recheck", action="store_true",
                   help="walk every listing to its end and re-check every known document now "
                   "(default: newest first until known documents, known ones when due)")  # fmt: skip
    p.add_argument("--db", default=DEFAULT_DB, help=f"archive file (default {DEFAULT_DB})")
    p.add_argument("--replica", metavar="HOST:PORT",
                   help="send every request to this server instead of the live portals")  # fmt: skip
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="Scrapy setting")
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("schedule", help="write a systemd timer or crontab entry for a crawl plan")
    p.add_argument("sites", nargs="*", help="site keys the scheduled crawl covers")
    p.add_argument("--url", help="or one column URL")
    p.add_argument("--province", help="or every entry of a province that has a column")
    p.add_argument("--format", choices=["systemd", "cron"], default="systemd")
    p.add_argument("--out", help="directory to write the files to (default: print them)")
    p.add_argument("--name", help="unit name (default govarchive-PLAN)")
    p.add_argument("--db", default=DEFAULT_DB, help=f"archive file (default {DEFAULT_DB})")
    p.add_argument("--workdir", default=".", help="working directory of the crawl")
    p.add_argument("--season-months", default="1-4",
                   help="the annual-report season, crawled more often (default 1-4)")  # fmt: skip
    p.add_argument("--in-season", choices=["daily", "weekly", "monthly"], default="daily")
    p.add_argument("--off-season", choices=["daily", "weekly", "monthly"], default="weekly")
    p.add_argument("--at", default="03:15", help="time of day, HH:MM (default 03:15)")
    p.add_argument("--alert-command", help="GOVARCHIVE_ALERT_COMMAND for the crawl")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="Scrapy setting")
    p.set_defaults(func=cmd_schedule)

    p = sub.add_parser("clean", help="print the cleaned record of one saved page as JSON")
    p.add_argument("file")
    p.add_argument("--url", help="the page's URL (dates and identity come from it)")
    p.add_argument("--site")
    p.add_argument("--content-type", help="the HTTP Content-Type header it was served with")
    p.add_argument("--pretty", action="store_true")
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser("serve", help="browse the archive in Datasette")
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--host", default="127.0.0.1")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("history", help="every version of one document, with diffs")
    p.add_argument("doc", help="document id, one of its URLs, or its 索引号")
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--context", type=int, default=1, help="lines of context around changes")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("reclean", help="re-run the cleaners over stored pages (no network)")
    p.add_argument("--site", help="only this site")
    p.add_argument("--db", default=DEFAULT_DB)
    p.set_defaults(func=cmd_reclean)

    p = sub.add_parser("export", help="write documents as JSONL, plain text files or WARC")
    p.add_argument("--format", required=True, choices=["jsonl", "txt", "warc"])
    p.add_argument("--out", required=True, help="file (jsonl, warc; '-' = stdout) or directory (txt)")
    p.add_argument("--site", help="only this site")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="only documents added or changed since")
    p.add_argument("--category", help="only documents of this category (exact)")
    p.add_argument("--all-versions", action="store_true", help="every version, not just the current")
    p.add_argument("--db", default=DEFAULT_DB)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("reports", help="which governments have their 法治政府建设年度报告 for a year")
    p.add_argument("--year", type=int, required=True, help="report year (published the next spring)")
    p.add_argument("--province", help="only this province (default: every crawled site)")
    p.add_argument("--all", action="store_true", help="also list governments not crawled yet")
    p.add_argument("--db", default=DEFAULT_DB)
    p.set_defaults(func=cmd_reports)

    p = sub.add_parser("sites", help="list the site registry (hand-written + national list)")
    p.add_argument("--province", help="only this province (山东省; 山东 is enough)")
    p.add_argument("--prefecture", help="only this prefecture (济宁市), itself included")
    p.add_argument("--family", help="only this CMS family (hanweb, trs, lonsun, gkmlpt, ...)")
    p.add_argument("--unknown", action="store_true", help="only entries whose family is not known")
    p.add_argument("--level", help="only this level (省级, 地级, 县级)")
    p.add_argument("--count", action="store_true", help="totals by level, family and province")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="also the columns and the report URLs seen")  # fmt: skip
    p.set_defaults(func=cmd_sites)

    p = sub.add_parser("replica", help="run the replica portals in the foreground")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--generation", type=int, default=0)
    p.set_defaults(func=cmd_replica)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CliError, ValueError, KeyError) as exc:
        print(f"govarchive: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
