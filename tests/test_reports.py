"""法治政府建设年度报告 finder: title patterns of DOMAIN.md §5.3, look-alikes excluded, CLI on a real file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archive.reports import report_year
from archive.store import Archive

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("title, expected", [
    ("静海区2023年度法治政府建设情况报告", 2023),
    ("清水县人民政府关于清水县2023年度法治政府建设工作总结的报告", 2023),
    ("湖北省人民政府关于2023年度法治政府建设情况的报告", 2023),
    ("汶上县司法局2023年度法治政府建设报告", 2023),
    ("濉溪县人民政府办公室关于2022年度法治政府建设情况的报告", 2022),
    ("XX县司法局 2023 年 法治政府建设工作报告", 2023),
    ("法治政府建设年度报告（2021年度）", 2021),
    ("平潭综合实验区2011年政府信息公开工作年度报告", None),
    ("关于开展2023年法治政府建设示范创建活动的通知", None),
    ("汶上县2024年法治政府建设工作要点", None),
    ("《2023年度法治政府建设情况报告》解读", None),
    ("关于印发2023年法治政府建设实施方案的通知", None),
    ("XX县2021年上半年法治政府建设工作总结", None),
    ("XX区2023年第一季度法治政府建设工作总结", None),
    ("XX县2024年法治政府建设工作计划", None),
])  # fmt: skip
def test_report_titles(title, expected):
    found = report_year(title)
    assert (found[0] if found else None) == expected


def test_short_title_found_by_column_and_publication_year():
    assert report_year("年度报告", column="法治政府建设年度报告", published="2024-03-01") == (
        2023,
        "column",
    )
    assert report_year("年度报告", column="通知公告", published="2024-03-01") is None


def test_reports_command_lists_and_records(tmp_path):
    db = tmp_path / "archive.db"
    archive = Archive(db)
    docs = [
        ("wenshang", "汶上县人民政府2023年法治政府建设工作情况报告", "2024-01-20"),
        ("wenshang", "汶上县司法局2023年度法治政府建设报告", "2024-03-02"),
        ("wenshang", "汶上县2023年政府信息公开工作年度报告", "2024-01-30"),
        ("lushan", "鲁山县2024年法治政府建设工作要点", "2024-03-05"),
    ]
    for i, (site, title, date) in enumerate(docs):
        url = f"http://www.{site}.gov.cn/art/{i}.html"
        archive.record_fetch(
            url=url,
            site=site,
            status=200,
            headers={},
            body=url.encode(),
            record={"title": title, "text": title + "全文", "published_date": date},
        )
    archive.close()
    out = subprocess.run(
        [sys.executable, "-m", "govarchive", "reports", "--year", "2023", "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert "汶上县人民政府2023年法治政府建设工作情况报告  (+1 department reports)" in out
    assert "lushan" in out and "none yet" in out
    assert "1 governments with a report, 1 crawled without one yet" in out
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT site, title FROM annual_reports ORDER BY title").fetchall()
    assert [r[1] for r in rows] == sorted(d[1] for d in docs[:2])
