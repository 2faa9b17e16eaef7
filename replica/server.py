"""HTTP front end: one ``ThreadingHTTPServer`` on 127.0.0.1 answering for all replica hosts.

The host is taken from an absolute request URI (proxy style, ``GET http://host/path``) or, for
origin-form requests, from the ``Host`` header.  https sites arrive as plain HTTP too.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from .families import FamilyPortal, Request, Response, portal_renderer
from .world import World

FAULT_BODIES = {
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
    412: "Precondition Failed",
    521: "Web server is down",
}


# Anti-bot challenge pages as the two common walls serve them (DOMAIN.md §4.2, §4.3): 瑞数
# answers 412 with an obfuscated `$_ts` script, 加速乐 521 with a cookie-setting script.
WALL_PAGES: dict[int, tuple[bytes, tuple[tuple[str, str], ...]]] = {
    412: (
        b'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; '
        b'charset=utf-8"><meta id="9DhefwqGPrzGxEp9hPaoag" content="x7Jq0" r=\'m\'>'
        b"<script type=\"text/javascript\" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts=window['$_ts']"
        b"={};$_ts.nsd=40713;$_ts.cd=\"qhcTrrAlDqWqrrA\";</script>"
        b'<script type="text/javascript" charset="utf-8" src="/OTLSPqrl.4b8ba1a.js" r=\'m\'>'
        b"</script></head><body></body></html>",
        (("Content-Type", "text/html; charset=utf-8"), ("Server", "******"),
         ("Set-Cookie", "FSSBBIl1UgzbN7N80S=Wq1bYdJ8; Path=/; HttpOnly")),
    ),
    521: (
        b"<html><body><script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')"
        b"+('e')+('a')+('r')+('a')+('n')+('c')+('e')+('_')+('s')+('=')+(+!+[]+'')+"
        b"'|-1|0|'+';Max-age=3600;Path=/';location.href=location.pathname+location.search"
        b"</script></body></html>",
        (("Content-Type", "text/html"), ("X-Via-JSL", "b1a0b9e,-"),
         ("Set-Cookie", "__jsluid_h=5f8c2d; max-age=31536000; path=/; HttpOnly")),
    ),
}


@dataclass
class Fault:
    host: str
    path_prefix: str
    status: int
    remaining: int
    retry_after: int | None = None


class ReplicaServer:
    """Serves a :class:`World` over real HTTP.  Use as a context manager or start()/stop()."""

    def __init__(self, world: World | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.world = world if world is not None else World()
        self._bind = (host, port)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.request_log: list[tuple[str, str, str, int]] = []

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> ReplicaServer:
        if self._httpd is not None:
            return self
        handler = type("ReplicaHandler", (_Handler,), {"replica": self})
        self._httpd = ThreadingHTTPServer(self._bind, handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="replica-http", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Run in the foreground (``python -m replica``)."""
        self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        finally:
            self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def address(self) -> str:
        return f"{self._bind[0]}:{self.port}"

    @property
    def proxy_url(self) -> str:
        return f"http://{self.address}"

    # ------------------------------------------------------------------ faults
    def inject_fault(
        self,
        host: str,
        path_prefix: str,
        status: int,
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """The next ``times`` requests to ``host`` whose path starts with ``path_prefix``
        answer ``status`` (with ``Retry-After`` if given), then the portal behaves normally."""
        with self._lock:
            self._faults.append(Fault(host.lower(), path_prefix, status, times, retry_after))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, host: str, target: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.host == host and target.startswith(fault.path_prefix):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    # ------------------------------------------------------------------ dispatch
    def handle(self, method: str, raw_target: str, headers: dict[str, str],
               body: bytes) -> tuple[str, str, Response]:
        """Answer one request; returns (host, path_with_query, response)."""
        if raw_target.lower().startswith(("http://", "https://")):
            parts = urlsplit(raw_target)
            host = (parts.hostname or "").lower()
            path = parts.path or "/"
            query = parts.query
        else:
            host = headers.get("host", "").rsplit(":", 1)[0].lower() if headers.get("host") else ""
            if headers.get("host", "").startswith("["):
                host = headers["host"].split("]")[0] + "]"
            path, _, query = raw_target.partition("?")
            path = path or "/"
        target = path + ("?" + query if query else "")
        fault = self._take_fault(host, target)
        if fault is not None and fault.status in WALL_PAGES:
            body, hdrs = WALL_PAGES[fault.status]
            return host, target, Response(fault.status, body, list(hdrs))
        if fault is not None:
            text = FAULT_BODIES.get(fault.status, "Error")
            hdrs = [("Content-Type", "text/html; charset=UTF-8"), ("Server", "nginx")]
            if fault.retry_after is not None:
                hdrs.append(("Retry-After", str(fault.retry_after)))
            page = f"<html><head><title>{fault.status} {text}</title></head><body>" \
                   f"<center><h1>{fault.status} {text}</h1></center><hr><center>nginx</center>" \
                   f"</body></html>"
            return host, target, Response(fault.status, page.encode(), hdrs)
        portal = self.world.portal_for_host(host) if host else None
        if portal is None:
            msg = f"502 Bad Gateway: unknown host {host or '(none)'}\n"
            return host, target, Response(
                502, msg.encode(), [("Content-Type", "text/plain; charset=utf-8")]
            )
        renderer: FamilyPortal = portal_renderer(self.world, portal)
        req = Request(method=method, path=path, query=query, headers=headers, body=body)
        return host, target, renderer.serve(req)


class _Handler(BaseHTTPRequestHandler):
    replica: ReplicaServer
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def _serve(self, method: str) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        length = int(headers.get("content-length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        try:
            host, target, resp = self.replica.handle(method, self.path, headers, body)
        except Exception as exc:  # pragma: no cover - keep the server alive, report the bug
            host, target = headers.get("host", ""), self.path
            resp = Response(500, f"replica error: {exc!r}\n".encode(),
                            [("Content-Type", "text/plain; charset=utf-8")])
        # logged before answering, so a client that has its reply also finds it in the log
        self.replica.request_log.append((host, method, target, resp.status))
        self.send_response(resp.status)
        for name, value in resp.headers:
            self.send_header(name, value)
        if resp.status != 304:
            self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if method != "HEAD" and resp.status != 304:
            self.wfile.write(resp.body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._serve("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")
