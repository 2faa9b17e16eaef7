"""法治政府建设年度报告: which document is each government's report for a year (DOMAIN.md §5).

Governments must publish the previous year's report before 1 April. It is found by its title
(the patterns of §5.3) or, for short titles like 2023年度报告, by the column it sits in (the
page's ColumnName <meta>). Look-alikes are excluded: 政府信息公开工作年度报告, 示范创建 items,
work plans (工作要点, 实施方案, 工作计划), half-year and quarterly summaries, 解读 and the like.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils

_TITLE = re.compile(
    r"(?P<year>20\d{2})年(?:度)?(?:的)?(?:全县|全区|全市|本县|本区|全旗)?"
    r"法治(?:政府)?建设(?:工作)?(?:情况|工作情况|工作总结|年度)?(?:的)?(?:年度)?(?:报告|总结)"
    r"|法治(?:政府)?建设(?:工作)?年度报告(?:[（(](?P<year2>20\d{2})年(?:度)?[）)])?"
)
_EXCLUDE = re.compile(
    r"政府信息公开|信息公开工作|网站工作|示范创建|实施方案|工作要点|任务分工|考核|督察反馈|调研|会议|培训|"
    r"解读|征求意见|通知$|通报|"
    # part-year summaries and plans are not the annual report
    r"半年|季度|月份|工作计划"
)
_COLUMN = re.compile(r"法治(?:政府)?建设.*(?:报告|年报)|法治建设年报|法治政府建设")
_YEAR = re.compile(r"(20\d{2})\s*年")


def report_year(title: str | None, column: str | None = None, published: str | None = None
                ) -> tuple[int, str] | None:
    """(report year, found_by) when this is a 法治政府建设年度报告, else None."""
    t = re.sub(r"\s+", "", title or "")
    if not t or _EXCLUDE.search(t):
        return None
    m = _TITLE.search(t)
    if m:
        year = m.group("year") or m.group("year2")
        if year:
            return int(year), "title"
        if published and published[:4].isdigit():
            return int(published[:4]) - 1, "title"  # published in Q1 for the previous year
        return None
    if column and _COLUMN.search(column) and ("报告" in t or "总结" in t):
        y = _YEAR.search(t)
        if y:
            return int(y.group(1)), "column"
        if published and published[:4].isdigit():
            return int(published[:4]) - 1, "column"
    return None


@dataclass(frozen=True)
class AnnualReport:
    site: str
    year: int
    document_id: int
    title: str
    url: str
    published_date: str | None
    found_by: str


def find_annual_reports(
    db: sqlite_utils.Database, year: int, sites: set[str] | None = None
) -> Iterator[AnnualReport]:
    """Every live document that is a report for `year` (several per site: departments too)."""
    rows = db.execute(
        "SELECT d.id, d.site, d.title, d.url, d.published_date, v.extras_json FROM documents d "
        "JOIN versions v ON v.id = d.current_version_id WHERE d.status = 'live' "
        "AND (d.title LIKE '%法治%') ORDER BY d.site, d.published_date DESC, d.id"
    )
    for doc_id, site, title, url, published, extras in rows:
        if sites is not None and site not in sites:
            continue
        column = (json.loads(extras or "{}").get("raw_fields") or {}).get("meta:columnname")
        found = report_year(title, column, published)
        if found and found[0] == year:
            yield AnnualReport(site, year, doc_id, title, url, published, found[1])


def record_annual_reports(db: sqlite_utils.Database, year: int, reports: list[AnnualReport]) -> None:
    """Keep the finding in the archive (table `annual_reports`), replacing that year's rows."""
    with db.atomic():
        if "annual_reports" not in db.table_names():
            db["annual_reports"].create(
                {"site": str, "year": int, "document_id": int, "title": str, "url": str,
                 "published_date": str, "found_by": str},
                pk=("site", "year", "document_id"),
                foreign_keys=[("document_id", "documents", "id")],
            )  # fmt: skip
        db.execute("DELETE FROM annual_reports WHERE year = ?", [year])
        db["annual_reports"].insert_all([r.__dict__ for r in reports])
