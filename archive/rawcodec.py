"""How raw response bodies are compressed in the `raw` table.

zstd (level 3) rather than zlib: on the real detail pages in `../shared/realpages` (median
~96 KB, mostly navigation, scripts and styles) it compresses 6x faster than zlib level 6 and a
little smaller (16.9 % vs 17.2 % of the original), and storing every capture's body is the
largest per-page cost of ingest. Rows written before schema 3 are zlib; the codec column says
which, so both stay readable.
"""

from __future__ import annotations

import threading
import zlib

import zstandard

CODEC = "zstd"
ZSTD_LEVEL = 3
_local = threading.local()  # zstandard (de)compressor objects must not be shared by threads


def _zstd() -> tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]:
    pair = getattr(_local, "zstd", None)
    if pair is None:
        pair = _local.zstd = (zstandard.ZstdCompressor(level=ZSTD_LEVEL), zstandard.ZstdDecompressor())
    return pair


def compress(body: bytes) -> tuple[str, bytes]:
    """(codec, compressed bytes) for a new `raw` row."""
    return CODEC, _zstd()[0].compress(body)


def decompress(codec: str | None, blob: bytes) -> bytes:
    if codec == "zstd":
        return _zstd()[1].decompress(blob)
    if codec in (None, "zlib"):
        return zlib.decompress(blob)
    raise ValueError(f"unknown raw body codec {codec!r}")
