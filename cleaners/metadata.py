"""Disclosure metadata: the 索引号 table, the standard ``<meta>`` tags, the byline and the URL.

Trust order per field: disclosure table > ``<meta>`` > byline > URL. Every value that is used
records its origin in ``field_sources``; every raw label/value seen is kept in ``raw_fields``.
"""

from __future__ import annotations

import re

from . import locators as L
from .dates import date_from_url, parse_date
from .docnumber import normalize_doc_number
from .htmltext import compact, render_lines, tag_of
from .record import DATE_FIELDS, RECORD_FIELDS

_SHORT_GENERIC = {"时间", "日期", "来源", "分类", "名称", "标题", "文号"}

# labels recognised in text, longest first; all whitespace allowed between characters
_EXTRA_TERMINATORS = (
    "更新时间",
    "生成时间",
    "浏览时间",
    "办结时间",
    "施行日期",
    "实施日期",
    "有效日期",
    "有效期",
    "发布人",
    "录入时间",
)
_EXTRA_FIELDS = {"成文时间": "written_date", "印发日期": "written_date", "发文时间": "written_date"}
FIELD_LABELS: dict[str, str] = {**L.LABELS, **_EXTRA_FIELDS}
_KNOWN_LABELS = (*FIELD_LABELS, *(lab for lab in L.RAW_ONLY_LABELS if lab not in FIELD_LABELS))


def _label_pattern(label: str) -> str:
    body = r"\s*".join(map(re.escape, label))
    if label in _SHORT_GENERIC:
        body = r"(?<![\u4e00-\u9fff])" + body
    return body


_FIELD_ALT = "|".join(_label_pattern(lab) for lab in sorted(_KNOWN_LABELS, key=len, reverse=True))
_TERM_ALT_BODY = "|".join(
    r"\s*".join(map(re.escape, lab))
    for lab in sorted(set(L.TERMINATOR_LABELS) | set(_EXTRA_TERMINATORS), key=len, reverse=True)
)
# a toolbar word ends a value when followed by a colon, or when it starts a new word
_TERM_ALT = rf"[【\[]?(?:{_TERM_ALT_BODY})\s*[:：]|(?<![\u4e00-\u9fff])[【\[]?(?:{_TERM_ALT_BODY})"
# a label may be bracketed: 【索引号】, [ 索引号 ]
_CLOSE = r"\s*[】\]）)]?\s*"
_START = re.compile(rf"^[\s【\[（(]*(?P<label>{_FIELD_ALT}){_CLOSE}(?:[:：]|\t|\x1f)")
# a bracketed label with an empty value may end the line: "… [ 发文字号 ]"
_TOKEN = re.compile(
    rf"(?P<label>{_FIELD_ALT}){_CLOSE}(?:[:：]|\t|\x1f|(?<=[】\]])$)|(?P<term>{_TERM_ALT})"
)
_VALUE_STRIP = " \t\x1f|\u3000\u00a0\u2002\u2003\u2009\u200b:：【】[]"


def norm_label(label: str) -> str:
    return compact(label).rstrip(":：").strip("【】[]")


def clean_value(v: str) -> str:
    v = v.replace("\x1f", " ")
    v = re.sub(r"[ \t\u3000\u00a0\u2002\u2003]*\t[ \t\u3000\u00a0\u2002\u2003]*", " ", v)
    v = re.sub(r"\s{2,}", " ", v)
    return v.strip(_VALUE_STRIP)


def is_empty(v: str | None) -> bool:
    return v is None or compact(v).lower() in L.EMPTY_VALUES


def find_pairs(line: str) -> list[tuple[str, str]]:
    """``label：value`` pairs of a line that starts with a known label."""
    m = _START.match(line)
    if not m:
        return []
    pairs: list[tuple[str, str]] = []
    label = norm_label(m.group("label"))
    pos = m.end()
    for tok in _TOKEN.finditer(line, pos):
        if label is not None:
            pairs.append((label, clean_value(line[pos : tok.start()])))
        if tok.group("label"):
            label = norm_label(tok.group("label"))
            pos = tok.end()
        else:
            label = None
    if label is not None:
        pairs.append((label, clean_value(line[pos:])))
    return pairs


def meta_tags(root) -> dict[str, str]:
    """``<meta name=... content=...>`` as {lower-case name: content} (first non-empty wins)."""
    out: dict[str, str] = {}
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip().lower()
        if not name:
            continue
        content = (el.get("content") or "").strip()
        if content and name not in out:
            out[name] = content
    return out


def _ancestors(el, n: int):
    cur = el
    for _ in range(n):
        if cur is None:
            return
        yield cur
        cur = cur.getparent()


def scan_pairs(root, skip=()) -> tuple[list[tuple[str, str]], list[tuple[str, str]], set]:
    """Return ``(table_pairs, byline_pairs, block_elements)`` found outside ``skip``."""
    lines = render_lines(root, cell_sep="\t", skip=skip, labels=_KNOWN_LABELS)
    found = []
    for i, (text, el) in enumerate(lines):
        pairs = find_pairs(text)
        if not pairs:
            continue
        # <dt>索引号：</dt><dd>value</dd>: a bare label line takes the next line as its value
        if (
            len(pairs) == 1
            and not pairs[0][1]
            and el is not None
            and tag_of(el) == "dt"
            and i + 1 < len(lines)
            and lines[i + 1][1] is not None
            and tag_of(lines[i + 1][1]) == "dd"
            and not find_pairs(lines[i + 1][0])
        ):
            pairs = [(pairs[0][0], clean_value(lines[i + 1][0]))]
        found.append((pairs, el))
    # disclosure blocks: the list / table / parent holding a line with a disclosure-only label
    blocks: set = set()
    for pairs, el in found:
        if el is not None and any(lab in L.DISCLOSURE_ONLY_LABELS for lab, _ in pairs):
            blocks.add(_enclosing_block(el))
    table_pairs: list[tuple[str, str]] = []
    byline_pairs: list[tuple[str, str]] = []
    for pairs, el in found:
        in_block = any(lab in L.DISCLOSURE_ONLY_LABELS for lab, _ in pairs) or any(
            a in blocks for a in _ancestors(el, 4)
        )
        (table_pairs if in_block else byline_pairs).extend(pairs)
    return table_pairs, byline_pairs, blocks


def _enclosing_block(el):
    for anc in _ancestors(el, 4):
        if tag_of(anc) in ("table", "ul", "ol", "dl"):
            return anc
    parent = el.getparent()
    return parent if parent is not None else el


def metadata_blocks_in(container, blocks: set) -> list:
    """Disclosure blocks that sit inside the body container (to be removed from the text)."""
    out = []
    for b in blocks:
        cur = b
        while cur is not None and cur is not container:
            cur = cur.getparent()
        if cur is container and b is not container:
            out.append(b)
    # keep only outermost
    res = []
    for b in out:
        if not any(o is not b and _inside(b, o) for o in out):
            res.append(b)
    return res


def _inside(el, anc) -> bool:
    cur = el.getparent()
    while cur is not None:
        if cur is anc:
            return True
        cur = cur.getparent()
    return False


# The record's metadata fields plus the title (which may also appear in a disclosure table).
_FIELDS = ("title", *(f for f in RECORD_FIELDS if f not in ("title", "text", "url", "site")))
_DATE_FIELDS = DATE_FIELDS


def _group(pairs: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    by_field: dict[str, list[tuple[str, str]]] = {}
    for lab, val in pairs:
        f = FIELD_LABELS.get(lab)
        if f:
            by_field.setdefault(f, []).append((lab, val))
    for f, prio in (("category", L.CATEGORY_PRIORITY), ("published_date", L.PUBLISHED_PRIORITY)):
        if f in by_field:
            order = {lab: i for i, lab in enumerate(prio)}
            by_field[f].sort(key=lambda p: order.get(p[0], len(order)))
    return by_field


def resolve(
    table_pairs: list[tuple[str, str]],
    byline_pairs: list[tuple[str, str]],
    meta: dict[str, str],
    url: str | None,
) -> tuple[dict, dict, dict, str | None]:
    """Combine the sources; return ``(values, field_sources, raw_fields, doc_number_raw)``."""
    raw: dict[str, str] = {}
    for lab, val in table_pairs:
        raw.setdefault(lab, val)
    for lab, val in byline_pairs:
        key = lab if lab not in raw else f"byline:{lab}"
        raw.setdefault(key, val)
    for name in L.META_KEEP:
        if name in meta:
            raw[f"meta:{name}"] = meta[name]

    meta_by_field: dict[str, list[tuple[str, str]]] = {}
    for name, field in L.META_FIELDS.items():
        if name in meta:
            meta_by_field.setdefault(field, []).append((name, meta[name]))

    sources = [
        ("table", _group(table_pairs)),
        ("meta", meta_by_field),
        ("byline", _group(byline_pairs)),
    ]
    values: dict = dict.fromkeys(_FIELDS)
    field_sources: dict[str, str] = {}
    doc_number_raw = None
    for field in _FIELDS:
        for src, grouped in sources:
            done = False
            for _lab, val in grouped.get(field, ()):
                if is_empty(val):
                    continue
                if field in _DATE_FIELDS:
                    iso = parse_date(val)
                    if iso is None:
                        continue  # raw stays in raw_fields; never guessed
                    values[field] = iso
                elif field == "doc_number":
                    doc_number_raw = val
                    values[field] = normalize_doc_number(val)
                else:
                    values[field] = val
                field_sources[field] = src
                done = True
                break
            if done:
                break
    # A ContentSource meta is often an abbreviation of the visible 来源 ("浙江" for
    # "浙江监管局"): when the byline value extends the meta value, the byline is the full name.
    if field_sources.get("source") == "meta" and values["source"]:
        meta_src = compact(values["source"])
        for _lab, val in _group(byline_pairs).get("source", ()):
            full = compact(val)
            if not is_empty(val) and len(full) > len(meta_src) and full.startswith(meta_src):
                values["source"], field_sources["source"] = val, "byline"
                break
    if values["published_date"] is None:
        iso = date_from_url(url)
        if iso:
            values["published_date"] = iso
            field_sources["published_date"] = "url"
    return values, field_sources, raw, doc_number_raw
