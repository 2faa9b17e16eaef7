"""Crawl reports and alerts: one `crawls` row per crawl, one `crawl_sites` row per site of it.

Crawls run unattended for months; nobody reads their logs. What a crawl did (pages, new /
changed / unchanged / removed documents, errors by kind, walls, how long) is kept in the archive
itself, where Datasette shows it, and compared with earlier crawls of the same sites to raise
alerts: a site that used to yield documents and yields none, or a cleaner whose output degrades
on a site (empty bodies, metadata missing where it used to be present: the template changed).

No Scrapy here: the crawler's extension hands plain per-site counts to `finish_crawl`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlite_utils

from cleaners.record import RECORD_FIELDS

# Record fields whose presence is watched (text is watched as "empty body").
WATCHED_FIELDS: tuple[str, ...] = tuple(f for f in RECORD_FIELDS if f not in ("url", "site", "text"))
EMPTY_BODY_CHARS = 20  # a cleaned body shorter than this is "empty"
MIN_PAGES = 3  # fewer cleaned pages than this in a crawl: too few to judge the cleaner
BASELINE_CRAWLS = 5  # earlier crawls of a site that make its baseline
WAS_PRESENT = 0.8  # a field present on at least this share of pages before ...
NOW_MISSING = 0.5  # ... and on less than this share now has gone missing
EMPTY_NOW = 0.5  # at least this share of empty bodies now ...
EMPTY_BEFORE = 0.2  # ... where fewer than this share were empty before

COUNTS: tuple[str, ...] = (
    "pages", "listed", "new", "changed", "unchanged", "not_modified", "removed", "errors",
    "blocked", "cleaned", "empty_bodies",
)  # fmt: skip


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def plan_key(sites: Iterable[str] = (), url: str | None = None) -> str:
    """A stable name for what a crawl covers: the lock and the report use it."""
    if url:
        return "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
    keys = sorted(set(sites))
    if not keys:
        return "all"
    joined = ",".join(keys)
    return joined if len(joined) <= 60 else f"{len(keys)}sites-" + hashlib.sha1(
        joined.encode("utf-8")).hexdigest()[:12]  # fmt: skip


_TIMEOUT = re.compile(r"timeout|timed ?out|took longer than", re.IGNORECASE)
_CONNECTION = re.compile(
    r"ConnectionLost|ConnectionDone|ConnectionRefused|ConnectionAborted|ResponseNeverReceived"
    r"|connection (was )?(closed|reset|lost|refused)|Connection to the other side",
    re.IGNORECASE,
)


def error_kind(status: int | None, message: str | None = None) -> str:
    """One short name per kind of failure, for counting (http-503, timeout, truncated …)."""
    text = message or ""
    if "anti-bot wall" in text:
        return "anti-bot-wall"
    if status:
        return f"http-{status}"
    checks = (
        ("redirect-loop", ("redirect loop", "max redirections")),
        ("offsite-redirect", ("offsite redirect",)),
        ("too-large", ("larger than download max size", "download max size")),
        ("truncated", ("DataLoss", "data loss")),
        ("binary-as-html", ("binary body",)),
        ("dns", ("DNSLookupError", "CannotResolveHost")),
    )
    for kind, needles in checks:
        if any(n.lower() in text.lower() for n in needles):
            return kind
    if _TIMEOUT.search(text):
        return "timeout"
    if _CONNECTION.search(text):
        return "connection"
    name = text.split(":", 1)[0].strip()
    return re.sub(r"[^A-Za-z0-9_.-]", "", name)[:40] or "error"


def ensure_crawls_tables(db: sqlite_utils.Database) -> None:
    """Create `crawls` and `crawl_sites` if missing (idempotent, inside one transaction)."""
    names = set(db.table_names())
    with db.atomic():
        if "crawls" not in names:
            db["crawls"].create(
                {
                    "id": int, "plan": str, "sites": str, "status": str, "finish_reason": str,
                    "started_at": str, "finished_at": str, "duration_s": float,
                    **{c: int for c in COUNTS}, "alert_count": int, "alerts": str,
                    "pid": int, "hostname": str,
                },
                pk="id",
            )  # fmt: skip
            db["crawls"].create_index(["plan", "id"])
        if "crawl_sites" not in names:
            db["crawl_sites"].create(
                {
                    "crawl_id": int, "site": str, **{c: int for c in COUNTS},
                    "errors_by_kind": str, "faults": str, "fields_present": str,
                    "duration_s": float,
                },
                pk=("crawl_id", "site"),
                foreign_keys=[("crawl_id", "crawls", "id")],
            )  # fmt: skip
            db["crawl_sites"].create_index(["site", "crawl_id"])


@dataclass
class SiteReport:
    """What one crawl did on one site (filled by the crawler from its stats)."""

    site: str
    counts: dict[str, int] = field(default_factory=dict)
    errors_by_kind: dict[str, int] = field(default_factory=dict)
    faults: dict[str, int] = field(default_factory=dict)  # every fault met, retried ones too
    fields_present: dict[str, int] = field(default_factory=dict)
    duration_s: float = 0.0

    def get(self, name: str) -> int:
        return int(self.counts.get(name, 0))

    @property
    def documents_yielded(self) -> int:
        """Documents the site showed this crawl: listed on its pages or fetched."""
        fetched = sum(self.get(k) for k in ("new", "changed", "unchanged", "not_modified"))
        return self.get("listed") + fetched


def _pid_alive(pid: int | None, hostname: str | None) -> bool:
    if not pid or hostname != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def begin_crawl(db: sqlite_utils.Database, plan: str, sites: Iterable[str]) -> tuple[int, list[str]]:
    """Insert the `running` row of a new crawl.

    Returns its id and the sites of earlier crawls of this plan that never finished (killed):
    their columns must be walked in full again, as some listed documents may not have been
    fetched before the kill.
    """
    ensure_crawls_tables(db)
    interrupted: set[str] = set()
    with db.atomic():
        for row in db.execute(
            "SELECT id, sites, pid, hostname FROM crawls WHERE plan = ? AND status = 'running'",
            [plan],
        ).fetchall():
            if _pid_alive(row[2], row[3]) and row[2] != os.getpid():
                continue  # another process still runs this plan (plain `scrapy crawl`)
            db.execute("UPDATE crawls SET status = 'interrupted' WHERE id = ?", [row[0]])
            interrupted.update(s for s in (row[1] or "").split(",") if s)
        crawl_id = db.execute(
            "INSERT INTO crawls (plan, sites, status, started_at, pid, hostname) "
            "VALUES (?, ?, 'running', ?, ?, ?)",
            [plan, ",".join(sorted(set(sites))), utcnow(), os.getpid(), socket.gethostname()],
        ).lastrowid
        if interrupted and "column_walks" in db.table_names():
            marks = ",".join("?" * len(interrupted))
            db.execute(f"DELETE FROM column_walks WHERE site IN ({marks})", sorted(interrupted))
    return int(crawl_id), sorted(interrupted)


def finish_crawl(
    db: sqlite_utils.Database,
    crawl_id: int,
    reports: Iterable[SiteReport],
    finish_reason: str,
    duration_s: float,
) -> list[str]:
    """Store the per-site rows and totals of a crawl, and return its alerts."""
    reports = list(reports)
    alerts = evaluate_alerts(db, crawl_id, reports) if finish_reason == "finished" else []
    totals = {c: sum(r.get(c) for r in reports) for c in COUNTS}
    with db.atomic():
        for r in reports:
            db["crawl_sites"].insert(
                {
                    "crawl_id": crawl_id, "site": r.site, **{c: r.get(c) for c in COUNTS},
                    "errors_by_kind": json.dumps(r.errors_by_kind, sort_keys=True),
                    "faults": json.dumps(r.faults, sort_keys=True),
                    "fields_present": json.dumps(r.fields_present, sort_keys=True),
                    "duration_s": round(r.duration_s, 2),
                },
                replace=True,
            )  # fmt: skip
        db.execute(
            "UPDATE crawls SET status = ?, finish_reason = ?, finished_at = ?, duration_s = ?, "
            + ", ".join(f"{c} = ?" for c in COUNTS)
            + ", alert_count = ?, alerts = ? WHERE id = ?",
            [
                "finished" if finish_reason == "finished" else "stopped", finish_reason,
                utcnow(), round(duration_s, 2), *totals.values(), len(alerts),
                "\n".join(alerts) or None, crawl_id,
            ],
        )  # fmt: skip
    return alerts


def _history(db: sqlite_utils.Database, site: str, before: int) -> list[dict]:
    cursor = db.execute(
        "SELECT s.* FROM crawl_sites s JOIN crawls c ON c.id = s.crawl_id "
        "WHERE s.site = ? AND s.crawl_id < ? AND c.status = 'finished' ORDER BY s.crawl_id DESC",
        [site, before],
    )
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, row, strict=True)) for row in cursor]


def evaluate_alerts(
    db: sqlite_utils.Database, crawl_id: int, reports: Iterable[SiteReport]
) -> list[str]:
    """Alerts for this crawl, judged against the earlier finished crawls of each site."""
    ensure_crawls_tables(db)
    alerts: list[str] = []
    for r in reports:
        history = _history(db, r.site, crawl_id)
        if r.documents_yielded == 0:
            earlier = [h for h in history if h["listed"] or h["new"] or h["changed"]
                       or h["unchanged"] or h["not_modified"]]  # fmt: skip
            if earlier:
                why = ", ".join(f"{k} ×{n}" for k, n in sorted(r.errors_by_kind.items()))
                alerts.append(
                    f"{r.site}: no documents this crawl, but crawl {earlier[0]['crawl_id']} "
                    f"found {earlier[0]['listed']} listed"
                    + (f" (errors: {why})" if why else "")
                    + (f"; {r.get('blocked')} blocked" if r.get("blocked") else "")
                )
                continue
        alerts.extend(_degradation(r, history))
    return alerts


def _degradation(r: SiteReport, history: list[dict]) -> list[str]:
    cleaned = r.get("cleaned")
    base = [h for h in history if h["cleaned"]][:BASELINE_CRAWLS]
    base_cleaned = sum(h["cleaned"] for h in base)
    if cleaned < MIN_PAGES or base_cleaned < MIN_PAGES:
        return []
    out = []
    empty_now = r.get("empty_bodies") / cleaned
    empty_before = sum(h["empty_bodies"] for h in base) / base_cleaned
    if empty_now >= EMPTY_NOW and empty_before < EMPTY_BEFORE:
        out.append(
            f"{r.site}: cleaner output degraded: empty body on {r.get('empty_bodies')} of "
            f"{cleaned} pages (was {empty_before:.0%}); the page template may have changed"
        )
    before: dict[str, int] = {}
    for h in base:
        for name, n in json.loads(h["fields_present"] or "{}").items():
            before[name] = before.get(name, 0) + n
    missing = []
    for name in WATCHED_FIELDS:
        was = before.get(name, 0) / base_cleaned
        now = r.fields_present.get(name, 0) / cleaned
        if was >= WAS_PRESENT and now < NOW_MISSING:
            missing.append(f"{name} ({now:.0%} of {cleaned} pages, was {was:.0%})")
    if missing:
        out.append(
            f"{r.site}: cleaner output degraded: metadata missing where it used to be present: "
            + "; ".join(missing) + "; the page template may have changed"
        )  # fmt: skip
    return out


def crawl_report(db: sqlite_utils.Database, crawl_id: int) -> tuple[dict, list[dict]]:
    """The `crawls` row and its `crawl_sites` rows (JSON columns decoded), for printing."""
    cursor = db.execute("SELECT * FROM crawls WHERE id = ?", [crawl_id])
    cols = [c[0] for c in cursor.description]
    row = cursor.fetchone()
    if row is None:
        raise KeyError(f"no crawl {crawl_id}")
    crawl = dict(zip(cols, row, strict=True))
    cursor = db.execute("SELECT * FROM crawl_sites WHERE crawl_id = ? ORDER BY site", [crawl_id])
    cols = [c[0] for c in cursor.description]
    sites = []
    for values in cursor:
        site = dict(zip(cols, values, strict=True))
        for name in ("errors_by_kind", "faults", "fields_present"):
            site[name] = json.loads(site[name] or "{}")
        sites.append(site)
    return crawl, sites


def site_reports_from_counts(counts: Mapping[str, Mapping[str, int]]) -> list[SiteReport]:
    """SiteReports from `{site: {name: n}}` where names are COUNTS, `error/KIND`,
    `fault/KIND` and `field/NAME` (the shape the crawler's stats give)."""
    reports = []
    for site in sorted(counts):
        r = SiteReport(site)
        for name, n in counts[site].items():
            head, _, tail = name.partition("/")
            target = {"error": r.errors_by_kind, "fault": r.faults, "field": r.fields_present}
            if tail and head in target:
                target[head][tail] = target[head].get(tail, 0) + int(n)
            else:
                r.counts[name] = r.counts.get(name, 0) + int(n)
        reports.append(r)
    return reports
