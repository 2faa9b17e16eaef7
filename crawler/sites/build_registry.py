"""Build `registry.tsv`, the packaged national registry, from the shared research tables.

    python -m crawler.sites.build_registry /work/shared/registry          # rewrite registry.tsv
    python -m crawler.sites.build_registry /work/shared/registry --check  # exit 1 if out of date

Installed users have no `../shared`, so the crawler reads this generated copy at run time. Inputs:
`government_portals.tsv` (one row per government portal) and `report_pages_seen.tsv` (real report
URLs). The CMS family and the report column are guessed from report URL shapes (DOMAIN.md §3.0);
only what the URL itself proves is written, the rest stays in `report_urls_seen`.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

OUTPUT = Path(__file__).with_name("registry.tsv")
COLUMNS = (
    "key", "admin_code", "level", "province", "prefecture", "name", "portal_url", "reachability",
    "working_url", "checked", "family", "report_columns", "report_urls_seen", "index_no_example",
    "source",
)  # fmt: skip
UNKNOWN = "unknown"

# URL shapes by family, most specific first (DOMAIN.md §3.0, §3.1-3.6). Matched on the path.
_FAMILY_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gkmlpt", re.compile(r"/gkmlpt/")),
    # The Guangdong 数字政府 platform's article pages; the same sites carry /gkmlpt/ (§3.4).
    ("gkmlpt", re.compile(r"/content/post_\d+\.html$")),
    (
        "shandong",
        re.compile(r"(?:/gongkai|/site_[^/]+)/channel_[^/]+/(?:doc_[0-9a-f]{24}\.html)?$"),
    ),
    ("jpaas", re.compile(r"/art_[0-9a-f]{32}\.html$")),
    (
        "hanweb",
        re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$|/col/col\d+/|/module/xxgk/"),
    ),
    ("trs", re.compile(r"/t\d{8}_\d+(?:_wap)?\.s?html?$")),
    ("lonsun", re.compile(r"/public/\d+/\d+\.html$|/public/column/\d+")),
)
_BIG5_GATE = re.compile(r"^/gate/big5/([^/]+)(/.*)$")
_HANWEB_COL = re.compile(r"/col/col(\d+)/")
_HANWEB_ART = re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_(\d+)_\d+\.html$")
_YYYYMM = re.compile(r"^\d{6}$")


def _unwrap(url: str) -> tuple[str, str, str]:
    """(scheme, host, path) of a report URL, seen through the big5 gateway and without port."""
    parts = urlsplit(url.strip())
    host, path = (parts.hostname or "").lower(), parts.path or "/"
    gate = _BIG5_GATE.match(path)
    if gate:
        host, path = gate.group(1).split(":")[0].lower(), gate.group(2)
    return parts.scheme or "http", host, path


def guess_family(url: str) -> str:
    """The CMS family a report URL's shape shows, or 'unknown'."""
    _, _, path = _unwrap(url)
    for family, shape in _FAMILY_SHAPES:
        if shape.search(path):
            return family
    return UNKNOWN


def derive_column(url: str) -> str | None:
    """The listing URL a report page certainly sits in, when its URL alone proves it.

    TRS: the channel directory (the t-date page's directory, above the /YYYYMM/ folder).
    Hanweb/jpaas: `/col/col{ID}/index.html` from `/col/col{ID}/` or `art_{ID}_{N}.html`.
    gkmlpt: the catalogue entry `{base}/gkmlpt/index`. Anything else: None.
    """
    family = guess_family(url)
    scheme, host, path = _unwrap(url)

    def build(p: str) -> str:
        return urlunsplit((scheme, host, p, "", ""))

    if family == "trs":
        parts = path.split("/")[:-1]
        if parts and _YYYYMM.match(parts[-1]):
            parts = parts[:-1]
        return build("/".join(parts) + "/") if len(parts) > 1 else None
    if family in ("hanweb", "jpaas"):
        m = _HANWEB_COL.search(path) or _HANWEB_ART.search(path)
        return build(f"/col/col{m.group(1)}/index.html") if m else None
    if family == "gkmlpt" and "/gkmlpt/" in path:
        return build(path.split("/gkmlpt/")[0] + "/gkmlpt/index")
    return None


def _bare(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def site_key(row: dict[str, str]) -> str:
    """`gov{admin code}`; the few rows without a code get `gov_{host label}` (cannot collide)."""
    if row["admin_code"]:
        return f"gov{row['admin_code']}"
    host = _bare(urlsplit(row["portal_url"]).hostname or "")
    return "gov_" + re.sub(r"[^a-z0-9]+", "_", host.removesuffix(".gov.cn")).strip("_")


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _index_no(value: str) -> str:
    """A 索引号 as shown, or '' for the placeholders and query-string notes in the research TSV."""
    value = value.strip()
    if value in ("", "-", "(blank)") or value.startswith("area=") or " " in value:
        return ""
    return value


def build_rows(shared: Path) -> list[dict[str, str]]:
    """Registry rows: one per government portal, with what the report pages seen reveal."""
    portals = _read_tsv(shared / "government_portals.tsv")
    reports = _read_tsv(shared / "report_pages_seen.tsv")

    rows: list[dict[str, str]] = []
    by_host: dict[str, list[dict[str, str]]] = {}
    for p in portals:
        row = {
            "key": site_key(p),
            "admin_code": p["admin_code"],
            "level": p["level"],
            "province": p["province"],
            "prefecture": p["prefecture"],
            "name": p["name"],
            "portal_url": p["portal_url"],
            "reachability": p["access"],
            "working_url": p["working_url"],
            "checked": p["checked"],
        }
        rows.append(row)
        for url in {p["portal_url"], p["working_url"]} - {""}:
            by_host.setdefault(_bare(urlsplit(url).hostname or ""), []).append(row)

    seen: dict[str, list[dict[str, str]]] = {}
    for report in reports:
        _, host, _ = _unwrap(report["url"])
        # Only pages on the portal's own host (www. or not) say anything about that portal;
        # department sub-sites (sfj.…) run their own CMS and are left out.
        for row in by_host.get(_bare(host), []):
            seen.setdefault(row["key"], []).append(report)

    for row in rows:
        pages = seen.get(row["key"], [])
        families = Counter(f for r in pages if (f := guess_family(r["url"])) != UNKNOWN)
        columns = dict.fromkeys(c for r in pages if (c := derive_column(r["url"])))
        row["family"] = families.most_common(1)[0][0] if families else UNKNOWN
        row["report_columns"] = " ".join(columns)
        row["report_urls_seen"] = " ".join(dict.fromkeys(r["url"].strip() for r in pages))
        row["index_no_example"] = next(
            (n for r in pages if (n := _index_no(r["index_no_suoyinhao"]))), ""
        )
        row["source"] = "government_portals" + ("+report_pages_seen" if pages else "")

    keys = Counter(r["key"] for r in rows)
    duplicates = [k for k, n in keys.items() if n > 1]
    if duplicates:
        raise ValueError(f"registry keys collide: {duplicates}")
    rows.sort(key=lambda r: (r["admin_code"] == "", r["admin_code"], r["key"]))
    return rows


def render(shared: Path) -> str:
    """The registry.tsv text for these inputs (deterministic, so it can be compared)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, delimiter="\t", lineterminator="\n",
                            quoting=csv.QUOTE_NONE, escapechar="\\")  # fmt: skip
    writer.writeheader()
    writer.writerows(build_rows(shared))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", type=Path, help="directory holding government_portals.tsv")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="only check the output is current")
    args = parser.parse_args(argv)
    text = render(args.shared)
    if args.check:
        current = args.output.read_text("utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; rerun without --check", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, "utf-8")
    rows = text.count("\n") - 1
    print(f"wrote {rows} entries to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
