"""HTTP front end: one ``ThreadingHTTPServer`` on 127.0.0.1 answering for all replica hosts.

The host is taken from an absolute request URI (proxy style, ``GET http://host/path``) or, for
origin-form requests, from the ``Host`` header.  https sites arrive as plain HTTP too.
"""

from __future__ import annotations

import random
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field, replace
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
    # "status" (an error page) or one of FAULT_KINDS; options as the kind documents them
    kind: str = "status"
    options: dict = field(default_factory=dict)


# Faults beyond an error status, for the crawler's fault matrix (tests/test_faults.py):
FAULT_KINDS = {
    "reset": "the connection is reset (RST) before any answer",
    "stall": "no answer for `seconds` (default 5), then the connection is closed",
    "truncate": "Content-Length larger than the body sent, then the connection is closed",
    "mislabel-gbk": "the real page re-encoded as GBK but declared UTF-8 (header and <meta>)",
    "huge": "a 200 text/html page of `mb` megabytes (default 30)",
    "binary": "a PDF file served as text/html",
    "malformed": "the real page with closing tags dropped and stray markup",
    "redirect": "302 to `to` (a path on the same host, or an absolute URL)",
    "trap": "TRS listing whose pager never ends: index_N.html exists for every N",
    "session-ids": "listing links carry ;jsessionid=…, each listed twice with other ids",
    "rewrite": "the real page with re.sub(`pattern`, `repl`) applied to its decoded text",
}


class ReplicaServer:
    """Serves a :class:`World` over real HTTP.  Use as a context manager or start()/stop()."""

    def __init__(
        self,
        world: World | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
    ) -> None:
        self.world = world if world is not None else World()
        self._bind = (host, port)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.request_log: list[tuple[str, str, str, int]] = []
        # Seconds every answer waits before it is sent, like a distant portal (benchmarks).
        self.latency = latency
        # Per host: requests being answered now, the most seen at once, bytes sent (status
        # line, headers, body). Politeness is checked here, where the portal would feel it.
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.bytes_sent: dict[str, int] = {}

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> ReplicaServer:
        if self._httpd is not None:
            return self
        handler = type("ReplicaHandler", (_Handler,), {"replica": self})
        self._httpd = _HTTPServer(self._bind, handler)
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

    # ------------------------------------------------------------------ counters
    def _enter(self, host: str) -> None:
        with self._lock:
            now = self.in_flight.get(host, 0) + 1
            self.in_flight[host] = now
            if now > self.max_in_flight.get(host, 0):
                self.max_in_flight[host] = now

    def _leave(self, host: str, sent: int) -> None:
        with self._lock:
            self.in_flight[host] -= 1
            self.bytes_sent[host] = self.bytes_sent.get(host, 0) + sent

    def reset_counters(self) -> None:
        """Start counting anew (request log, in-flight maxima, bytes), e.g. between crawls."""
        with self._lock:
            self.request_log.clear()
            self.max_in_flight.clear()
            self.bytes_sent.clear()

    # ------------------------------------------------------------------ faults
    def inject_fault(
        self,
        host: str,
        path_prefix: str,
        status: int = 0,
        times: int = 1,
        retry_after: int | None = None,
        kind: str = "status",
        **options: object,
    ) -> None:
        """The next ``times`` requests to ``host`` whose path starts with ``path_prefix``
        answer ``status`` (with ``Retry-After`` if given), then the portal behaves normally.

        With ``kind`` (one of FAULT_KINDS) the fault is that misbehaviour instead."""
        if kind != "status" and kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")
        with self._lock:
            self._faults.append(Fault(host.lower(), path_prefix, status, times, retry_after,
                                      kind, dict(options)))  # fmt: skip

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
        if fault is not None and fault.kind != "status":
            req = Request(method=method, path=path, query=query, headers=headers, body=body)
            return host, target, self._fault_response(fault, host, req)
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

    def _render(self, host: str, req: Request) -> Response:
        """The portal's own answer, in full (no 304: a fault rewrites the body)."""
        portal = self.world.portal_for_host(host)
        if portal is None:
            return Response(502, b"unknown host", [("Content-Type", "text/plain")])
        headers = {k: v for k, v in req.headers.items()
                   if k not in ("if-none-match", "if-modified-since")}  # fmt: skip
        return portal_renderer(self.world, portal).serve(replace(req, headers=headers))

    def _fault_response(self, fault: Fault, host: str, req: Request) -> Response:
        """The answer of a FAULT_KINDS fault (transport faults are acted out by the handler)."""
        kind, opts = fault.kind, fault.options
        if kind in ("reset", "stall", "truncate"):
            resp = self._render(host, req) if kind == "truncate" else Response(200, b"", [])
            return _TransportFault(resp.status, resp.body, resp.headers, kind,
                                   float(opts.get("seconds", 5.0)))  # fmt: skip
        if kind == "huge":
            size = int(float(opts.get("mb", 30)) * 1024 * 1024)
            filler = b"<p>" + "政务公开".encode() * 64 + b"</p>\n"
            body = b"<html><head><title>huge</title></head><body>" + filler * (size // len(filler))
            return Response(200, body + b"</body></html>", [("Content-Type", "text/html")])
        if kind == "binary":
            rng = random.Random(req.path)
            body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + rng.randbytes(20000) + b"\n%%EOF\n"
            return Response(200, body, [("Content-Type", "text/html; charset=UTF-8")])
        if kind == "redirect":
            return Response(302, b"", [("Location", str(opts["to"])),
                                       ("Content-Type", "text/html")])  # fmt: skip
        if kind == "trap":
            match = re.search(r"index(?:_(\d+))?\.s?html?$", req.path)
            page = int(match.group(1) or 0) if match else 0
            resp = self._render(host, req)
            if resp.status != 200:  # past the real pages: the first one again, numbered on
                first = req.path[: match.start()] + "index.html" if match else req.path
                resp = self._render(host, replace(req, path=first))
            text, charset = _decode(resp)
            text = re.sub(r"createPageHTML\(\s*\d+\s*,\s*\d+",
                          f"createPageHTML(1000000, {page}", text)  # fmt: skip
            return Response(200, text.encode(charset, "replace"), resp.headers)
        resp = self._render(host, req)
        text, charset = _decode(resp)
        headers = resp.headers
        if kind == "mislabel-gbk":
            text = re.sub(r"charset=[\w-]+", "charset=utf-8", text, flags=re.IGNORECASE)
            headers = [(n, "text/html; charset=UTF-8") if n.lower() == "content-type" else (n, v)
                       for n, v in headers if n.lower() != "etag"]  # fmt: skip
            return Response(resp.status, text.encode("gbk", "replace"), headers)
        if kind == "malformed":
            # what real portals get wrong: closers missing or stray, attributes unquoted,
            # a tag never closed, markup after </html>
            text = re.sub(r"</(div|p|td|tr|span|li|tbody)>", "", text, flags=re.I)
            text = text.replace("<body>", "<body></div></span></table><font color=red><b>", 1)
            text = re.sub(r'class="([^" ]*)"', r"class=\1", text)
            text = text.replace("</html>", "</html><div <p>>", 1)
        elif kind == "session-ids":
            rng = random.Random(req.path + str(time.monotonic()))

            def twice(m: re.Match) -> str:
                line = m.group(0)
                return "".join(
                    re.sub(r'href="([^"]+\.s?html?)"',
                           lambda h: f'href="{h.group(1)};jsessionid={rng.getrandbits(64):016X}"',
                           line)  # fmt: skip
                    for _ in range(2)
                )

            text = re.sub(r"<li>[^\n]*?href=\"[^\"]+\.s?html?\"[^\n]*?</li>", twice, text)
        elif kind == "rewrite":
            text = re.sub(str(opts["pattern"]), str(opts.get("repl", "")), text)
        headers = [(n, v) for n, v in headers if n.lower() != "etag"]
        return Response(resp.status, text.encode(charset, "replace"), headers)


@dataclass
class _TransportFault(Response):
    """An answer the handler acts out on the socket: reset, stall or truncate."""

    transport: str = ""
    seconds: float = 0.0


def _decode(resp: Response) -> tuple[str, str]:
    """A rendered page's text and the charset it was encoded in."""
    ctype = next((v for n, v in resp.headers if n.lower() == "content-type"), "")
    match = re.search(r"charset=([\w-]+)", ctype, re.IGNORECASE)
    charset = match.group(1) if match else "utf-8"
    return resp.body.decode(charset, "replace"), charset


class _HTTPServer(ThreadingHTTPServer):
    # Many crawler connections may open at once; the stdlib backlog of 5 drops SYNs (1 s stalls).
    request_queue_size = 256


def _request_host(raw_target: str, headers: dict[str, str]) -> str:
    """The portal host a request is for (as `ReplicaServer.handle` finds it), for counting."""
    if raw_target.lower().startswith(("http://", "https://")):
        return (urlsplit(raw_target).hostname or "").lower()
    return headers.get("host", "").rsplit(":", 1)[0].lower()


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
        counted = _request_host(self.path, headers)
        self.replica._enter(counted)
        sent = 0
        try:
            if self.replica.latency > 0:
                time.sleep(self.replica.latency)
            try:
                host, target, resp = self.replica.handle(method, self.path, headers, body)
            except Exception as exc:  # pragma: no cover - keep the server alive, report the bug
                host, target = headers.get("host", ""), self.path
                resp = Response(500, f"replica error: {exc!r}\n".encode(),
                                [("Content-Type", "text/plain; charset=utf-8")])
            # logged before answering, so a client that has its reply also finds it in the log
            self.replica.request_log.append((host, method, target, resp.status))
            if isinstance(resp, _TransportFault):
                self._act_out(resp)
                return
            with_body = method != "HEAD" and resp.status != 304
            sent = len(resp.body) if with_body else 0
            sent += 17 + sum(len(n) + len(v) + 4 for n, v in resp.headers)
        finally:
            # left before the answer goes out: a client that has it may send its next request
            self.replica._leave(counted, sent)
        self.send_response(resp.status)
        for name, value in resp.headers:
            self.send_header(name, value)
        if resp.status != 304:
            self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if method != "HEAD" and resp.status != 304:
            try:
                self.wfile.write(resp.body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (too large)
                self.close_connection = True

    def _act_out(self, fault: _TransportFault) -> None:
        """Misbehave on the socket itself: what a broken portal or middlebox does."""
        self.close_connection = True
        if fault.transport == "stall":
            time.sleep(fault.seconds)
        elif fault.transport == "reset":  # SO_LINGER 0: close() sends RST, not FIN
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))  # fmt: skip
        elif fault.transport == "truncate":
            self.send_response(fault.status)
            for name, value in fault.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(fault.body) + 4096))
            self.end_headers()
            self.wfile.write(fault.body[: len(fault.body) // 2])
            self.wfile.flush()

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._serve("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")
