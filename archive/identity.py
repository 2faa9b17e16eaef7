"""Document identity: which URLs are the same document.

Portals serve one document under many addresses (Hanweb `?xxgkhide=1`, mobile `?isMobile=true`
and `_wap` pages, http/https, with/without `www`). The archive keys documents by a scheme-less
`url_key` so all of them collapse to one row; the crawler uses the same key to skip repeats.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that switch templates or track visits but never change the document.
PRESENTATION_PARAMS = frozenset({"xxgkhide", "ismobile", "from", "spm", "utm_source", "utm_medium",
                                 # server session ids (Java, PHP, ASP): one per visit
                                 "jsessionid", "phpsessid", "aspsessionid", "sessionid"})
# `;jsessionid=…` path parameters (Java servlet containers without cookies)
_SESSION_PATH_PARAM = re.compile(r";(?:jsessionid|phpsessid|sessionid)=[^/?#;]*", re.IGNORECASE)

_WAP_SUFFIX = re.compile(r"_wap(\.s?html?)$", re.IGNORECASE)
_BIG5_GATE = re.compile(r"^/gate/big5/([^/]+)(/.*)?$", re.IGNORECASE)


def _host_key(host: str) -> str:
    host = host.lower().rstrip(".")
    for prefix in ("www.", "wap.", "m."):
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def strip_session_ids(url: str) -> str:
    """The URL without `;jsessionid=…` path parameters: the same page for every visitor."""
    parts = urlsplit(url)
    path = _SESSION_PATH_PARAM.sub("", parts.path)
    return url if path == parts.path else urlunsplit(parts._replace(path=path))


def canonical_url(url: str) -> str:
    """The URL to show for a document: real scheme and host, presentation noise removed."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    path = _SESSION_PATH_PARAM.sub("", parts.path) or "/"
    gate = _BIG5_GATE.match(path)
    if gate:  # /gate/big5/www.example.gov.cn/path -> the simplified-Chinese original
        host, path = gate.group(1).lower().split(":")[0], gate.group(2) or "/"
    if host.startswith(("wap.", "m.")):
        host = "www." + host.split(".", 1)[1]
    path = _WAP_SUFFIX.sub(r"\1", path)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in PRESENTATION_PARAMS
    ]
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) and not gate else ""
    return urlunsplit((parts.scheme.lower() or "http", host + port, path, urlencode(query), ""))


def url_key(url: str) -> str:
    """Scheme-less identity key: `example.gov.cn/art/2024/3/2/art_1_2.html`."""
    parts = urlsplit(canonical_url(url))
    host = _host_key(parts.hostname or "")
    port = f":{parts.port}" if parts.port else ""
    query = "&".join(sorted(parts.query.split("&"))) if parts.query else ""
    return f"{host}{port}{parts.path}" + (f"?{query}" if query else "")
