"""The live/replica switch works with any server that answers for real hostnames.

Here the server is not the built-in replica but a minimal replay server holding one recorded
real page (a TRS listing of www.pingtan.gov.cn); the crawl runs over real HTTP and the archive
keeps the real URLs.
"""

import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

LIST_URL = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"


class ReplayHandler(BaseHTTPRequestHandler):
    pages: dict[tuple[str, str], bytes] = {}
    seen: list[tuple[str, str, str]] = []

    def do_GET(self):
        target = urlsplit(self.path)
        host = target.hostname or self.headers.get("Host", "").split(":")[0]
        path = target.path + (f"?{target.query}" if target.query else "")
        self.seen.append((host, path, self.path))
        body = self.pages.get((host, path))
        if body is None:
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write("<html><body>404 页面不存在</body></html>".encode())
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def replay_server(realpages):
    ReplayHandler.pages = {
        ("www.pingtan.gov.cn", "/zwgk/zfxxgk/zfxxgknb/"): (
            realpages / "pingtan__list.html"
        ).read_bytes(),
        (
            "www.pingtan.gov.cn",
            "/robots.txt",
        ): b"User-agent: *\nDisallow: /zwgk/zfxxgk/zfxxgknb/202603/\n",
    }
    ReplayHandler.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), ReplayHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_crawl_through_a_replay_server_keeps_real_urls(replay_server, tmp_path):
    db = tmp_path / "archive.db"
    result = subprocess.run(
        [sys.executable, "-m", "govarchive", "crawl", "--url", LIST_URL, "--family", "trs",
         "--replica", replay_server, "--db", str(db), "--set", "DOWNLOAD_DELAY=0",
         "--set", "AUTOTHROTTLE_ENABLED=False"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    # Every request reached the replay server in absolute-URI form for the real host,
    # https URLs included (sent as plain HTTP to the replay server).
    hosts = {host for host, _, _ in ReplayHandler.seen}
    assert hosts == {"www.pingtan.gov.cn"}
    assert all(raw.startswith("http://www.pingtan.gov.cn/") for _, _, raw in ReplayHandler.seen)
    assert ("www.pingtan.gov.cn", "/robots.txt") in {(h, p) for h, p, _ in ReplayHandler.seen}

    conn = sqlite3.connect(db)
    listing = conn.execute(
        "SELECT url, status, outcome FROM captures WHERE kind = 'listing'"
    ).fetchall()
    assert listing == [(LIST_URL, 200, "new")]
    # The reports linked from the recorded page were requested at their real URLs; the replay
    # server has no recording of them, so they are captured as gone, not lost. robots.txt
    # disallows the newest one's directory: it was never requested.
    details = conn.execute(
        "SELECT url, status, outcome FROM captures WHERE kind = 'detail'"
    ).fetchall()
    assert len(details) == 9
    assert {(s, o) for _, s, o in details} == {(404, "gone")}
    assert "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm" in {
        u for u, _, _ in details
    }
    assert not [
        p for _, p, _ in ReplayHandler.seen if p.startswith("/zwgk/zfxxgk/zfxxgknb/202603/")
    ]


def test_bad_replica_address_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "govarchive", "crawl", "wenshang", "--replica", "localhost",
         "--db", str(tmp_path / "a.db")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "replica address must be HOST:PORT" in result.stderr


def test_unknown_site_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "govarchive", "crawl", "atlantis", "--db", str(tmp_path / "a.db")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "unknown site 'atlantis'" in result.stderr and "wenshang" in result.stderr
