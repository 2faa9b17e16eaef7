"""The `govarchive` command: demo, crawl, clean, serve, history, reclean, export, sites, replica."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import unicodedata
from importlib import resources
from pathlib import Path

DEFAULT_DB = "data/archive.db"


class CliError(Exception):
    """A user error: printed as one line, exit status 2."""


# -- crawl -------------------------------------------------------------------------------------


def run_crawl(
    *,
    db: str,
    sites: list[str] | None = None,
    url: str | None = None,
    family: str | None = None,
    replica: str | None = None,
    overrides: dict[str, str] | None = None,
) -> dict:
    """Run one Scrapy crawl in this process and return its stats."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from crawler.replica import parse_replica_address
    from crawler.sites import get_site
    from crawler.spiders.portal import PortalSpider

    for key in sites or []:
        get_site(key)  # unknown names fail before anything starts
    settings = get_project_settings()
    settings.set("GOVARCHIVE_DB", db, priority="cmdline")
    # The command line shows progress lines and a summary; Scrapy's own INFO log is for -s LOG_LEVEL=INFO.
    settings.set("LOG_LEVEL", "WARNING", priority="project")
    if replica:
        settings.set("GOVARCHIVE_REPLICA", parse_replica_address(replica), priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    process.crawl(crawler, sites=",".join(sites or []), url=url or "", family=family or "")
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


def cmd_crawl(args: argparse.Namespace) -> int:
    if not args.sites and not args.url:
        raise CliError("name one or more sites (see `govarchive sites`) or give --url COLUMN_URL")
    stats = run_crawl(
        db=args.db,
        sites=args.sites,
        url=args.url,
        family=args.family,
        replica=args.replica or os.environ.get("GOVARCHIVE_REPLICA"),
        overrides=_parse_overrides(args.set),
    )
    print_summary(args.db, stats)
    return 0 if stats.get("finish_reason") == "finished" else 1


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


def print_summary(db: str, stats: dict, expected: dict[str, int] | None = None) -> None:
    from archive.store import Archive
    from crawler.sites import load_sites

    names = {k: s.name for k, s in load_sites().items()}
    run = _run_outcomes(stats)
    archive = Archive(db)
    try:
        rows = archive.site_summary()
    finally:
        archive.close()
    header = f"{'site':<14}{'name':<22}{'documents':>10}{'new':>6}{'changed':>8}{'unchanged':>10}{'304':>5}{'gone':>6}{'errors':>7}"
    if expected is not None:
        header += f"{'replica':>9}"
    print()
    print(header)
    for row in rows:
        site = row["site"]
        r = run.get(site, {})
        line = (
            f"{_pad(site, 14)}{_pad(names.get(site, ''), 22)}{row['live']:>10}{r.get('new', 0):>6}"
            f"{r.get('changed', 0):>8}{r.get('unchanged', 0):>10}{r.get('not-modified', 0):>5}{r.get('gone', 0):>6}"
            f"{r.get('errors', 0):>7}"
        )
        if expected is not None:
            line += f"{expected.get(site, 0):>9}"
        print(line)
    total = sum(r["live"] for r in rows)
    print(f"{'total':<36}{total:>10}")
    print(f"\narchive: {db}   (finish reason: {stats.get('finish_reason')})")


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
        )
    expected: dict[str, int] = {}
    for doc in served:
        expected[doc.site] = expected.get(doc.site, 0) + 1
    print_summary(args.db, stats, expected)
    print(f"\nbrowse it:  govarchive serve --db {args.db}")
    return 0 if stats.get("finish_reason") == "finished" else 1


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
    return metadata


def cmd_serve(args: argparse.Namespace) -> int:
    db = Path(args.db)
    if not db.is_file():
        raise CliError(f"no archive at {db}: run `govarchive demo` or `govarchive crawl` first")
    with tempfile.TemporaryDirectory() as tmp:
        metadata_path = Path(tmp) / "metadata.json"
        metadata_path.write_text(json.dumps(datasette_metadata(db), ensure_ascii=False), "utf-8")
        cmd = [sys.executable, "-m", "datasette", "serve", str(db), "--port", str(args.port),
               "--host", args.host, "--metadata", str(metadata_path)]  # fmt: skip
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


# -- sites / replica ---------------------------------------------------------------------------


def cmd_sites(args: argparse.Namespace) -> int:
    from crawler.sites import load_sites

    for key, site in sorted(load_sites().items()):
        print(f"{key:<14}{site.family:<8}{site.admin_code or '':<8}{site.province or '':<6}{site.name}")
        for column in site.columns:
            print(f"{'':<14}  {column.name}: {column.url}")
    return 0


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
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="Scrapy setting")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("crawl", help="crawl registry sites or one column URL")
    p.add_argument("sites", nargs="*", help="site keys from the registry (govarchive sites)")
    p.add_argument("--url", help="one column URL of a portal (family detected from the page)")
    p.add_argument("--family", help="CMS family of --url when its page has no known fingerprint")
    p.add_argument("--db", default=DEFAULT_DB, help=f"archive file (default {DEFAULT_DB})")
    p.add_argument("--replica", metavar="HOST:PORT",
                   help="send every request to this server instead of the live portals")  # fmt: skip
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="Scrapy setting")
    p.set_defaults(func=cmd_crawl)

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

    p = sub.add_parser("sites", help="list the site registry")
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
        return 2


if __name__ == "__main__":
    sys.exit(main())
