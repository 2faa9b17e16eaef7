"""`govarchive serve` opens the archive in Datasette with labels and facets."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

from archive.store import Archive


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_shows_documents_with_labels(tmp_path):
    db = tmp_path / "corpus.db"
    archive = Archive(db)
    record = dict.fromkeys(["index_no", "publisher", "written_date", "doc_number", "category",
                            "validity", "abolished_date", "disclosure", "source"])  # fmt: skip
    record.update(
        title="汶上县司法局2023年度法治政府建设报告",
        text="现将有关情况报告如下",
        published_date="2024-03-02",
    )
    archive.record_fetch(url="http://www.wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html",
                         site="wenshang", status=200, headers={}, body=b"<html></html>", record=record)  # fmt: skip
    archive.close()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "govarchive", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/corpus/documents.json?_shape=objects"
                ) as r:
                    rows = json.load(r)["rows"]
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.3)
        assert [row["title"] for row in rows] == ["汶上县司法局2023年度法治政府建设报告"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/corpus/documents") as r:
            page = r.read().decode()
        assert "索引号" in page and "发布机构" in page  # Chinese column labels from metadata.yml
        assert "wenshang" in page  # the site facet
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_without_archive_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "govarchive", "serve", "--db", str(tmp_path / "none.db")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and "no archive at" in result.stderr
