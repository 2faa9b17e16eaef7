"""Date parsing: the formats seen on portal pages -> ISO ``YYYY-MM-DD``; unparseable -> None.

Rules first (fast, exact); ``dateparser`` only as a strict fallback (all of year, month and day
required). Nothing is guessed: a value without a full year-month-day gives None.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache

_FULLWIDTH = str.maketrans("０１２３４５６７８９／－．：", "0123456789/-.:")

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "o": 0,
    "０": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

_NUMERIC = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.年]|-\s*)\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?"
)
_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?:\d{4,6})?$")
_CN_DATE = re.compile(
    r"(?P<y>[〇零○Ｏ0-9０-９一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,3}|\d{1,2})\s*月\s*(?P<d>[一二三四五六七八九十]{1,3}|\d{1,2})\s*[日号]"
)


def _cn_year(s: str) -> int | None:
    digits = []
    for ch in s:
        if ch.isdigit():
            digits.append(int(ch.translate(_FULLWIDTH)))
        elif ch in _CN_DIGITS:
            digits.append(_CN_DIGITS[ch])
        else:
            return None
    return int("".join(map(str, digits)))


def _cn_small(s: str) -> int | None:
    """一..三十一 (also plain digits)."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        head, _, tail = s.partition("十")
        tens = _CN_DIGITS.get(head, None) if head else 1
        ones = _CN_DIGITS.get(tail, None) if tail else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    if len(s) == 1 and s in _CN_DIGITS:
        return _CN_DIGITS[s]
    return None


def _iso(y: int | None, m: int | None, d: int | None) -> str | None:
    if y is None or m is None or d is None:
        return None
    if not 1900 <= y <= 2100:
        return None
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def parse_date(value: str | None) -> str | None:
    """Parse one date string; return ISO ``YYYY-MM-DD`` or None (never a guess)."""
    if not value:
        return None
    s = value.strip().translate(_FULLWIDTH)
    if not s:
        return None
    m = _NUMERIC.search(s)
    if m:
        return _iso(int(m["y"]), int(m["m"]), int(m["d"]))
    m = _COMPACT.match(re.sub(r"\s+", "", s))
    if m:
        return _iso(int(m["y"]), int(m["m"]), int(m["d"]))
    m = _CN_DATE.search(s)
    if m:
        return _iso(_cn_year(m["y"]), _cn_small(m["m"]), _cn_small(m["d"]))
    return _dateparser_fallback(s)


def _dateparser_fallback(s: str) -> str | None:
    # Only worth trying when a 4-digit year is present; dateparser is slow and permissive.
    if not re.search(r"(?:19|20)\d{2}", s) or len(s) > 60:
        return None
    try:
        import dateparser  # lazy: ~70 ms import
    except Exception:  # pragma: no cover - dependency missing
        return None
    try:
        dt = dateparser.parse(
            s,
            languages=["zh", "en"],
            settings={
                "STRICT_PARSING": True,
                "REQUIRE_PARTS": ["day", "month", "year"],
                "PREFER_DATES_FROM": "past",
                "RETURN_AS_TIMEZONE_AWARE": False,
            },
        )
    except Exception:
        return None
    if dt is None:
        return None
    return _iso(dt.year, dt.month, dt.day)


_URL_PATTERNS = (
    # Hanweb /art/2024/3/2/art_123_456.html
    re.compile(r"/art/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/art_"),
    # TRS /202402/t20240228_123.html
    re.compile(r"/t(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})_\d+"),
    # gov.cn /2023-03/29/content_5748953.htm
    re.compile(r"/(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})/(?P<d>\d{2})/content_"),
    # /2024/0228/ or /20240228/ directories followed by a detail file
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})/[^/]+\.s?html?"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{2})(?P<d>\d{2})/[^/]+\.s?html?"),
)


def date_from_url(url: str | None) -> str | None:
    if not url:
        return None
    for pat in _URL_PATTERNS:
        m = pat.search(url)
        if m:
            iso = _iso(int(m["y"]), int(m["m"]), int(m["d"]))
            if iso:
                return iso
    return None
