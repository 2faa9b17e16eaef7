"""Bytes -> text with a verified codec.

Order of candidates: BOM, HTTP ``Content-Type`` charset, ``<meta charset>`` / ``http-equiv`` /
XML declaration, then UTF-8, GB18030 and charset-normalizer's best guess. GB2312/GBK are
decoded as GB18030 (a superset). Each candidate is verified: a strict decode must succeed
and the result must not look like mojibake (UTF-8 bytes read as GBK give runs of rare
hanzi; GBK read as Latin-1 gives ``Ã``-style runs). If no candidate decodes cleanly, the
one with the fewest replacement characters wins.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

_ALIASES = {
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gb2312-80": "gb18030",
    "gb231280": "gb18030",
    "csgb2312": "gb18030",
    "x-gbk": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "zh_cn": "gb18030",
    "euc-cn": "gb18030",
    "euccn": "gb18030",
    "x-euc-cn": "gb18030",
    "gb18030": "gb18030",
    "gb-18030": "gb18030",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5hkscs",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9_.:\-]+)", re.I)
_LATIN_MOJIBAKE = re.compile("[\u00c0-\u00ff][\u0080-\u00bf\u2018-\u203a\u0152-\u0178]")


def normalize_codec(name: str | None) -> str | None:
    """Canonical Python codec name for a declared charset, or None if unknown."""
    if not name:
        return None
    key = name.strip().strip("\"'").lower().replace("_", "-")
    key_us = name.strip().strip("\"'").lower()
    codec = _ALIASES.get(key) or _ALIASES.get(key_us)
    if codec:
        return codec
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    if info.name in ("gbk", "gb2312"):
        return "gb18030"
    if info.name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    return info.name


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    lname = name.lower()
    for k, v in headers.items():
        key = k.decode("latin-1") if isinstance(k, bytes) else str(k)
        if key.lower() == lname:
            if isinstance(v, (list, tuple)):
                v = v[0] if v else ""
            if isinstance(v, bytes):
                v = v.decode("latin-1")
            return str(v)
    return None


def header_charset(headers: Mapping[str, str] | None) -> str | None:
    ct = _header(headers, "content-type")
    if not ct:
        return None
    m = _CT_CHARSET.search(ct)
    return m.group(1) if m else None


def meta_charset(body: bytes) -> str | None:
    head = body[:8192]
    m = _XML_DECL.search(head)
    if m:
        return m.group(1).decode("ascii", "replace")
    m = _META_CHARSET.search(head)
    if m:
        return m.group(1).decode("ascii", "replace")
    return None


_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff]")


def _cjk_stats(text: str) -> tuple[int, int]:
    """(number of CJK ideographs, how many of them lie outside GB2312)."""
    chars = "".join(_CJK.findall(text))
    if not chars:
        return 0, 0
    common = len(chars.encode("gb2312", errors="ignore")) // 2
    return len(chars), len(chars) - common


def looks_like_mojibake(text: str, codec: str = "gb18030") -> bool:
    """Heuristic: rare-hanzi runs (UTF-8 read as GBK) or Latin-1 pairs (GBK/UTF-8 read as cp1252)."""
    sample = text if len(text) <= 200_000 else text[:100_000] + text[-100_000:]
    total, rare = _cjk_stats(sample)
    if codec == "gb18030" and total >= 20 and rare / total > 0.25:
        return True
    if total < 5:
        pairs = len(_LATIN_MOJIBAKE.findall(sample))
        if pairs >= 10:
            return True
    if sample.count("\ufffd") > max(3, len(sample) // 2000):
        return True
    return False


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _has_multibyte_utf8(body: bytes) -> bool:
    return any(b >= 0x80 for b in body[:200_000])


def _normalizer_guess(body: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except Exception:  # pragma: no cover
        return None
    try:
        best = from_bytes(body).best()
    except Exception:  # pragma: no cover
        return None
    return normalize_codec(best.encoding) if best is not None else None


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Decode a page body; return ``(text, codec)``. Never returns mojibake if any codec fits."""
    if not body:
        return "", normalize_codec(header_charset(headers)) or "utf-8"
    for bom, codec in _BOMS:
        if body.startswith(bom):
            text = body[len(bom) :].decode(codec, errors="replace")
            return text, codec

    declared_header = normalize_codec(header_charset(headers))
    declared_meta = normalize_codec(meta_charset(body))
    candidates: list[str] = []
    for c in (declared_header, declared_meta, "utf-8", "gb18030"):
        if c and c not in candidates:
            candidates.append(c)

    # Strong signal: bytes that are valid UTF-8 with multibyte sequences are UTF-8,
    # whatever the declaration says (GBK text essentially never forms valid UTF-8).
    utf8_text = _strict(body, "utf-8")
    if (
        utf8_text is not None
        and _has_multibyte_utf8(body)
        and not looks_like_mojibake(utf8_text, "utf-8")
    ):
        return utf8_text, "utf-8"

    for codec in candidates:
        if codec == "utf-8" and utf8_text is None:
            continue
        text = utf8_text if codec == "utf-8" else _strict(body, codec)
        if text is not None and not looks_like_mojibake(text, codec):
            return text, codec

    guess = _normalizer_guess(body)
    if guess and guess not in candidates:
        text = _strict(body, guess)
        if text is not None and not looks_like_mojibake(text, guess):
            return text, guess
        candidates.append(guess)

    # Nothing decodes cleanly: damaged page. Take the least damaged lenient decode.
    best: tuple[int, int, str, str] | None = None
    for i, codec in enumerate(candidates):
        try:
            text = body.decode(codec, errors="replace")
        except LookupError:
            continue
        total, rare = _cjk_stats(text[:100_000])
        score = text.count("\ufffd") * 4 + rare
        if best is None or (score, i) < (best[0], best[1]):
            best = (score, i, text, codec)
    if best is None:  # pragma: no cover
        return body.decode("utf-8", errors="replace"), "utf-8"
    return best[2], best[3]
