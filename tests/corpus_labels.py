"""Loader for the labelled corpus ``tests/corpus/labels.json`` (shared by tests and bench)."""

from __future__ import annotations

import json
import re
from pathlib import Path

LABELS_PATH = Path(__file__).resolve().parent / "corpus" / "labels.json"
# Pages written from the family templates by someone who had not read the cleaner: the blind part.
HELDOUT_DIR = Path(__file__).resolve().parent / "corpus" / "heldout"
REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "realpages"
METADATA_FIELDS = (
    "index_no",
    "publisher",
    "written_date",
    "published_date",
    "doc_number",
    "category",
    "validity",
    "abolished_date",
    "disclosure",
    "source",
)
_WS = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")


def norm(s: str | None) -> str:
    """Whitespace normalisation used for snippet matching: drop every whitespace character."""
    return _WS.sub("", s or "")


def load_labels() -> dict:
    labels = json.loads(LABELS_PATH.read_text(encoding="utf-8"))
    heldout = HELDOUT_DIR / "labels.json"
    if heldout.is_file():
        labels["pages"] += json.loads(heldout.read_text(encoding="utf-8"))["pages"]
    return labels


def pages(kind: str | None = None) -> list[dict]:
    return [p for p in load_labels()["pages"] if kind is None or p["kind"] == kind]


class Fetcher:
    """Raw bytes + response headers of a corpus page (real file or in-process replica render)."""

    def __init__(self) -> None:
        self._server = None

    def __call__(self, page: dict) -> tuple[bytes, dict[str, str]] | None:
        if page["kind"] == "real":
            path = REALPAGES / page["file"]
            if not path.is_file():
                return None
            return path.read_bytes(), {"Content-Type": "text/html"}
        if page["kind"] == "synthetic":
            return (HELDOUT_DIR / page["file"]).read_bytes(), dict(page.get("headers") or {})
        if self._server is None:
            from replica import ReplicaServer, World

            self._server = ReplicaServer(World(generation=0))
        _host, _target, resp = self._server.handle("GET", page["url"], {}, b"")
        if resp.status != 200:
            return None
        return resp.body, dict(resp.headers)
