"""Safety: the archive served read-only, site configs taken as data only, crawls never doubled.

(Export file names safe against path traversal from titles: tests/test_export.py.)
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from archive.crawls import begin_crawl, ensure_crawls_tables
from archive.store import Archive
from crawler.sites import SiteConfigError, _entries
from govarchive.cli import EXIT_LOCKED, crawl_lock, datasette_metadata


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def small_archive(path: Path) -> Path:
    archive = Archive(path)
    record = {"title": "汶上县2023年度法治政府建设报告", "text": "现将有关情况报告如下",
              "published_date": "2024-03-02"}  # fmt: skip
    archive.record_fetch(url="http://www.wenshang.gov.cn/art/2024/3/2/art_70805_1.html",
                         site="wenshang", status=200, headers={}, body=b"<html></html>",
                         record=record)  # fmt: skip
    begin_crawl(archive.db, "wenshang", ["wenshang"])
    archive.close()
    return path


def fetch(url: str, data: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def test_serve_is_read_only(tmp_path):
    db = small_archive(tmp_path / "corpus.db")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "govarchive", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/corpus"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = fetch(f"{base}/crawls.json?_shape=objects")
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.3)
        assert status == 200 and json.loads(body)["rows"][0]["plan"] == "wenshang"
        _, page = fetch(f"{base}/crawl_sites")
        assert "按类型" in page or "crawl_sites" in page  # the crawl reports are browsable
        writes = [
            "INSERT INTO crawls (plan) VALUES ('x')",
            "UPDATE documents SET title = 'x'",
            "DELETE FROM documents",
            "DROP TABLE documents",
            "PRAGMA journal_mode=DELETE",
            "ATTACH DATABASE 'evil.db' AS evil",
        ]
        for sql in writes:
            query = urllib.parse.urlencode({"sql": sql})
            status, body = fetch(f"{base}.json?{query}")
            assert status >= 400, (sql, status, body[:300])
            status, body = fetch(f"{base}", data=query.encode())  # POST: no write path either
            assert status >= 400, (sql, status, body[:300])
        # a write hidden in a SELECT is refused by SQLite itself: the connection is read-only
        status, body = fetch(f"{base}.json?" + urllib.parse.urlencode(
            {"sql": "WITH x AS (SELECT 1) SELECT * FROM x; DELETE FROM documents"}))  # fmt: skip
        assert status >= 400
        _, dbs = fetch(f"http://127.0.0.1:{port}/-/databases.json")
        assert not (tmp_path / "evil.db").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before  # not one byte changed
    assert "corpus" in dbs


def test_served_metadata_has_no_write_queries(tmp_path):
    metadata = datasette_metadata(tmp_path / "archive.db")
    queries = metadata["databases"]["archive"].get("queries", {})
    assert queries and not any(q.get("write") for q in queries.values())
    tables = metadata["databases"]["archive"]["tables"]
    assert tables["crawls"]["columns"]["alerts"] and tables["crawl_sites"]["columns"]["faults"]


@pytest.mark.parametrize(
    "text, message",
    [
        ('[evil]\nname = "x"\nfamily = "trs"\nhome = "http://a.gov.cn/"\n__class__ = "os.system"\n',
         "unknown field '__class__'"),
        ('[evil]\nname = "x"\nfamily = "trs"\nhome = "file:///etc/passwd"\n', "is not an http(s) URL"),
        ('[evil]\nname = "x"\nfamily = "trs"\nhome = "http://a.gov.cn/"\n'
         'columns = [{ name = "c", url = "javascript:fetch(1)" }]\n', "is not an http(s) URL"),
        ('["../../etc"]\nname = "x"\nfamily = "trs"\nhome = "http://a.gov.cn/"\n', "a site key is"),
        ('[evil]\nname = { python = "__import__(\'os\').system(\'id\')" }\n', "name must be text"),
        ('[evil]\nname = "x"\ncolumns = [{ name = "c", url = "http://a/", exec = "rm -rf" }]\n',
         "columns = ["),
        ("import os; os.system('id')\n", "not valid TOML"),
    ],
)  # fmt: skip
def test_malicious_site_entries_are_rejected_clearly(text, message):
    with pytest.raises(SiteConfigError) as err:
        _entries(text, "mine.toml")
    assert message in str(err.value) and "mine.toml" in str(err.value)


def test_malicious_site_file_fails_the_command_without_running_anything(tmp_path):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.toml"
    evil.write_text(f'[evil]\nname = "x"\nfamily = "trs"\nhome = "http://a.gov.cn/"\n'
                    f'on_load = "__import__(\'pathlib\').Path(\'{marker}\').touch()"\n')  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "govarchive", "sites", "--count"], capture_output=True, text=True,
        timeout=120, env={**os.environ, "GOVARCHIVE_SITES": str(evil)},
    )  # fmt: skip
    assert result.returncode == 2
    assert "evil.toml [evil]: unknown field 'on_load'" in result.stderr
    assert not marker.exists()


def test_a_second_crawl_of_the_same_plan_is_refused(tmp_path):
    db = tmp_path / "archive.db"
    ensure_crawls_tables(Archive(db).db)
    with crawl_lock(str(db), "lushan"):
        result = subprocess.run(
            [sys.executable, "-m", "govarchive", "crawl", "lushan", "--db", str(db),
             "--replica", "127.0.0.1:9"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        # another plan into the same archive may run
        with crawl_lock(str(db), "wenshang"):
            pass
    assert result.returncode == EXIT_LOCKED
    assert "another crawl of lushan" in result.stderr and f"pid {os.getpid()}" in result.stderr
    with crawl_lock(str(db), "lushan"):  # released when its holder ends
        pass
