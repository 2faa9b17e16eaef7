"""文号 (document number) normalisation to ``prefix〔year〕num号`` (GB/T 9704-2012 §7.2.5)."""

from __future__ import annotations

import re

_OPEN = "〔[［(（【﹝〈<《{｛"
_CLOSE = "〕]］)）】﹞〉>》}｝"

DOC_NUMBER_RE = re.compile(
    r"(?P<prefix>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9·\-]{0,19}?)\s*"
    rf"[{re.escape(_OPEN)}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{re.escape(_CLOSE)}]\s*"
    r"第?\s*(?P<num>\d{1,6})\s*(?P<suffix>号|號)"
)

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalize_doc_number(raw: str | None) -> str | None:
    """Return the canonical 文号, or the cleaned raw string when it has another shape.

    ``岚综管办[2021]86号`` -> ``岚综管办〔2021〕86号``; ``汶政发（2024）003 号`` -> ``汶政发〔2024〕3号``.
    Empty input gives None. Unrecognised shapes are returned stripped (never invented).
    """
    if raw is None:
        return None
    s = re.sub(r"\s+", " ", raw.translate(_FULLWIDTH_DIGITS)).strip()
    if not s:
        return None
    m = DOC_NUMBER_RE.search(s)
    if not m:
        return s
    prefix = re.sub(r"\s+", "", m["prefix"])
    num = str(int(m["num"]))
    return f"{prefix}〔{m['year']}〕{num}号"


def find_doc_number(text: str) -> str | None:
    """First 文号-shaped substring of ``text`` (e.g. a title ending in ``（苏府办〔2018〕238号）``)."""
    m = DOC_NUMBER_RE.search(text.translate(_FULLWIDTH_DIGITS))
    return m.group(0) if m else None
