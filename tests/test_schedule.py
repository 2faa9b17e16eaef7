"""`govarchive schedule`: systemd units and crontab lines that crawl the report season (January
to April) daily and the rest of the year weekly, with a command that really crawls."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from replica import ReplicaServer, World

YEAR = 2025
SEASON = {date(YEAR, 1, 1) + timedelta(days=i) for i in range(120)}  # Jan 1 .. Apr 30
MONDAYS_AFTER = {d for d in (date(YEAR, 5, 1) + timedelta(days=i) for i in range(245))
                 if d.weekday() == 0}  # fmt: skip


def schedule(tmp_path: Path, *args: str) -> dict[str, str]:
    out = tmp_path / "units"
    result = subprocess.run(
        [sys.executable, "-m", "govarchive", "schedule", "lushan", "--db", str(tmp_path / "a.db"),
         "--workdir", str(tmp_path), "--out", str(out), *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return {p.name: p.read_text("utf-8") for p in out.iterdir()}


def cron_days(line: str) -> set[date]:
    """The days of YEAR a crontab line fires on (numbers, ranges and * as we write them)."""
    minute, hour, dom, month, dow = line.split()[:5]

    def matches(field: str, value: int) -> bool:
        if field == "*":
            return True
        lo, _, hi = field.partition("-")
        return int(lo) <= value <= int(hi or lo)

    days = set()
    for i in range(365):
        d = date(YEAR, 1, 1) + timedelta(days=i)
        cron_dow = (d.weekday() + 1) % 7  # cron: 0 = Sunday
        if matches(month, d.month) and matches(dom, d.day) and matches(dow, cron_dow):
            days.add(d)
    assert (minute, hour) == ("15", "3")
    return days


def test_cron_crawls_the_report_season_daily_and_the_rest_weekly(tmp_path):
    files = schedule(tmp_path, "--format", "cron")
    (text,) = files.values()
    lines = [x for x in text.splitlines() if x and not x.startswith("#")]
    fired = [cron_days(x) for x in lines]
    assert set().union(*fired) == SEASON | MONDAYS_AFTER
    assert sum(len(f) for f in fired) == len(SEASON | MONDAYS_AFTER)  # never twice a day


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_timer_crawls_the_report_season_daily_and_the_rest_weekly(tmp_path):
    files = schedule(tmp_path, "--in-season", "daily", "--off-season", "weekly")
    assert set(files) == {"govarchive-lushan.service", "govarchive-lushan.timer"}
    units = tmp_path / "units"
    verify = subprocess.run(["systemd-analyze", "verify", *sorted(map(str, units.iterdir()))],
                            capture_output=True, text=True)  # fmt: skip
    assert verify.returncode == 0, verify.stderr
    calendars = re.findall(r"^OnCalendar=(.+)$", files["govarchive-lushan.timer"], re.M)
    fired: set[date] = set()
    for calendar in calendars:
        out = subprocess.run(
            ["systemd-analyze", "calendar", "--iterations=400",
             f"--base-time={YEAR - 1}-12-31 23:59:00", calendar],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        for day in re.findall(r"(\d{4}-\d{2}-\d{2}) 03:15:00", out):
            if day.startswith(str(YEAR)):
                fired.add(date.fromisoformat(day))
    assert fired == SEASON | MONDAYS_AFTER
    assert "SuccessExitStatus=75" in files["govarchive-lushan.service"]


def test_the_scheduled_command_crawls(tmp_path):
    files = schedule(tmp_path, "--format", "cron", "--set", "DOWNLOAD_DELAY=0.02",
                     "--set", "AUTOTHROTTLE_ENABLED=False")  # fmt: skip
    line = next(x for x in next(iter(files.values())).splitlines() if x and x[0].isdigit())
    command = line.split(None, 5)[5]
    with ReplicaServer(World()) as server:
        result = subprocess.run(["bash", "-c", f"{command} --replica {server.address}"],
                                capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == len(
            World().served_documents("lushan"))
        assert conn.execute("SELECT status FROM crawls").fetchall() == [("finished",)]


def test_bad_schedule_options_are_clear_errors(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "govarchive", "schedule", "lushan", "--season-months", "4-1"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2 and "1 <= FIRST <= LAST <= 12" in result.stderr


def test_plain_scrapy_crawl_as_scrapyd_runs_it_is_reported(tmp_path):
    """scrapyd runs `scrapy crawl portal -a … -s …` with the project's settings (scrapy.cfg)."""
    repo = Path(__file__).resolve().parents[1]
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=repo,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert listed.stdout.split() == ["portal"], listed.stderr[-2000:]
    db = tmp_path / "scrapyd.db"
    with ReplicaServer(World()) as server:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", "sites=lushan",
             "-s", f"GOVARCHIVE_DB={db}", "-s", f"GOVARCHIVE_REPLICA={server.address}",
             "-s", "DOWNLOAD_DELAY=0.02", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"],
            cwd=repo, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT plan, status, new FROM crawls").fetchone()
    assert row == ("lushan", "finished", len(World().served_documents("lushan")))
