"""Unattended crawl schedules: a systemd service + timer, or crontab lines, for one crawl plan.

Governments publish their 法治政府建设年度报告 before 1 April, so the report season (January to
April by default) is crawled often (daily) and the rest of the year less (weekly). The command
run is `govarchive crawl …`, which takes a lock per archive and plan: when a run is still going
as the next one is due, the next one exits with status 75 (EX_TEMPFAIL) and does nothing.
Exit status 3 means the crawl finished with alerts; systemd marks the run failed (OnFailure=
can notify), cron mails its output.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

FREQUENCIES = ("daily", "weekly", "monthly")


class ScheduleError(ValueError):
    """A schedule option that cannot be expressed."""


def parse_months(text: str) -> tuple[int, int]:
    """'1-4' -> (1, 4): the report season, a range of months within one year."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*-\s*(\d{1,2})\s*", text)
    if not match:
        raise ScheduleError(f"season months are FIRST-LAST (e.g. 1-4), got {text!r}")
    first, last = int(match.group(1)), int(match.group(2))
    if not 1 <= first <= last <= 12:
        raise ScheduleError(f"season months must be 1 <= FIRST <= LAST <= 12, got {text!r}")
    return first, last


def parse_time(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ScheduleError(f"time of day is HH:MM, got {text!r}")
    return int(match.group(1)), int(match.group(2))


def _month_ranges(first: int, last: int) -> list[tuple[int, int]]:
    """The months outside the season, as at most two ranges."""
    out = []
    if first > 1:
        out.append((1, first - 1))
    if last < 12:
        out.append((last + 1, 12))
    return out


@dataclass
class Schedule:
    """One crawl plan and when to run it."""

    name: str  # unit / comment name, e.g. govarchive-shandong
    argv: list[str]  # the crawl command
    workdir: str
    season: tuple[int, int] = (1, 4)
    in_season: str = "daily"
    off_season: str = "weekly"
    at: tuple[int, int] = (3, 15)
    environment: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for freq in (self.in_season, self.off_season):
            if freq not in FREQUENCIES:
                raise ScheduleError(f"frequency must be one of {', '.join(FREQUENCIES)}: {freq!r}")
        if not re.fullmatch(r"[A-Za-z0-9_.@-]+", self.name):
            raise ScheduleError(f"unit name may hold letters, digits and _.@- only: {self.name!r}")

    # -- systemd ----------------------------------------------------------------------------

    def _calendar(self, freq: str, months: tuple[int, int]) -> str:
        hh, mm = self.at
        first, last = months
        month = f"{first:02d}" if first == last else f"{first:02d}..{last:02d}"
        day = {"daily": "*", "weekly": "*", "monthly": "01"}[freq]
        weekday = "Mon " if freq == "weekly" else ""
        return f"{weekday}*-{month}-{day} {hh:02d}:{mm:02d}:00"

    def calendars(self) -> list[str]:
        """systemd OnCalendar= expressions: the season, then the rest of the year."""
        out = [self._calendar(self.in_season, self.season)]
        out += [self._calendar(self.off_season, r) for r in _month_ranges(*self.season)]
        return out

    def systemd_service(self) -> str:
        env = "".join(f"Environment={shlex.quote(f'{k}={v}')}\n" for k, v in sorted(self.environment.items()))
        return (
            f"[Unit]\nDescription=govarchive crawl ({self.name})\n"
            "Wants=network-online.target\nAfter=network-online.target\n\n"
            "[Service]\nType=oneshot\n"
            f"WorkingDirectory={self.workdir}\n{env}"
            f"ExecStart={shlex.join(self.argv)}\n"
            "# 75: the previous run of this plan still holds the lock; nothing to do\n"
            "SuccessExitStatus=75\n"
            "Nice=10\nIOSchedulingClass=idle\n"
        )

    def systemd_timer(self) -> str:
        lines = "".join(f"OnCalendar={c}\n" for c in self.calendars())
        season = f"months {self.season[0]}-{self.season[1]}"
        return (
            f"[Unit]\nDescription=govarchive crawl ({self.name}): {self.in_season} in the report "
            f"season ({season}), {self.off_season} otherwise\n\n"
            f"[Timer]\n{lines}"
            "# a run missed while the machine was off is made up at boot\n"
            "Persistent=true\nRandomizedDelaySec=20min\n\n"
            "[Install]\nWantedBy=timers.target\n"
        )

    # -- cron -------------------------------------------------------------------------------

    def _cron_fields(self, freq: str, months: tuple[int, int]) -> str:
        hh, mm = self.at
        first, last = months
        month = str(first) if first == last else f"{first}-{last}"
        day = {"daily": "*", "weekly": "*", "monthly": "1"}[freq]
        weekday = "1" if freq == "weekly" else "*"
        return f"{mm} {hh} {day} {month} {weekday}"

    def crontab(self) -> str:
        env = " ".join(shlex.quote(f"{k}={v}") for k, v in sorted(self.environment.items()))
        command = f"cd {shlex.quote(self.workdir)} && {env + ' ' if env else ''}{shlex.join(self.argv)}"
        lines = [
            f"# {self.name}: govarchive crawl, {self.in_season} in the report season (months "
            f"{self.season[0]}-{self.season[1]}), {self.off_season} otherwise; exit 75 = still "
            "running, 3 = alerts",
            f"{self._cron_fields(self.in_season, self.season)} {command}",
        ]
        lines += [f"{self._cron_fields(self.off_season, r)} {command}"
                  for r in _month_ranges(*self.season)]  # fmt: skip
        return "\n".join(lines) + "\n"
