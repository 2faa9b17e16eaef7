"""Worlds for the crawl benchmark: a national sweep of many portals, and seeded mutations.

``SweepWorld`` stands in for a national sweep: thousands of portals under the real hostnames and
names of the national registry (``crawler/sites/registry.tsv``), each rendered with one of the
replica's CMS family templates (the registry's family where the replica has it, otherwise the
families in turn). Each portal has a 法治政府建设 column — the government's annual reports for
the last few years, some departments' reports and look-alikes (工作要点, 信息公开年报, half-year
summaries) — and a 通知公告 column. ``annual_reports()`` is the ground truth a sweep must find,
and ``sites_toml()`` writes the column URLs in the crawler's ``sites.toml`` format, as a survey
of the portals would have recorded them.

``mutate()`` makes N seeded adds, edits and removals in any world (re-crawl benchmarks) and
returns what it did, so a crawl can be checked against it.
"""

from __future__ import annotations

import csv
import hashlib
import random
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from urllib.parse import urlsplit

from .content import (
    NOTICE_TITLES,
    REPORT_TITLES,
    fresh_document,
    notice_body,
    report_body,
    revised_paragraph,
)
from .sites import SITES, ColumnSpec, SiteSpec
from .world import Doc, Portal, ServedDoc, World, _metadata

#: replica template family -> crawler adapter name (the names differ for two of them)
CRAWLER_FAMILY = {
    "hanweb": "hanweb", "trs": "trs", "anhui": "lonsun", "gkmlpt": "gkmlpt",
    "jpaas": "jpaas", "shandong": "shandong", "ucap": "ucap", "custom": "generic",
}  # fmt: skip
REGISTRY_TO_REPLICA = {v: k for k, v in CRAWLER_FAMILY.items()}
ROTATION = ("hanweb", "trs", "anhui", "gkmlpt", "jpaas", "shandong", "ucap", "custom")
SWEEP_SEED = 20250401
#: the report year a sweep looks for first: published before 1 April of the next year
LATEST_REPORT_YEAR = 2023


@dataclass(frozen=True)
class RegistryRow:
    key: str
    admin_code: str
    name: str
    province: str
    level: str
    scheme: str
    host: str
    family: str


def registry_rows() -> list[RegistryRow]:
    """The national registry's rows, minus the governments the hand-made replica portals serve."""
    text = resources.files("crawler.sites").joinpath("registry.tsv").read_text("utf-8")
    taken_hosts = {s.host for s in SITES}
    taken_codes = {s.site_id_code[:6] for s in SITES}
    rows, seen = [], set()
    for row in csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE):
        parts = urlsplit(row["portal_url"])
        host = (parts.hostname or "").lower()
        if not host or host in seen or host in taken_hosts or row["admin_code"] in taken_codes:
            continue
        seen.add(host)
        rows.append(RegistryRow(row["key"], row["admin_code"], row["name"], row["province"],
                                row["level"], parts.scheme or "http", host, row["family"]))  # fmt: skip
    return rows


def choose_rows(n: int, seed: int = SWEEP_SEED) -> list[RegistryRow]:
    """``n`` registry rows: all of them in key order when n covers the list, else a seeded sample."""
    rows = registry_rows()
    if n >= len(rows):
        return rows
    return sorted(random.Random(seed).sample(rows, n), key=lambda r: r.key)


def _digits(key: str, salt: str, n: int) -> int:
    return int(hashlib.sha1(f"{salt}/{key}".encode()).hexdigest(), 16) % 10**n


def _gbk_ok(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def site_spec(row: RegistryRow, family: str) -> SiteSpec:
    """A replica portal for one registry government, in one family's template."""
    county = row.name
    gov = county if county.endswith("政府") else f"{county}人民政府"
    code = row.admin_code or f"{_digits(row.key, 'code', 6):06d}"
    n = _digits(row.key, "id", 9)
    report = dict(key="fzzfjs", name="法治政府建设", kind="report",
                  breadcrumb=("政务公开", "法定主动公开内容", "法治政府建设"))  # fmt: skip
    notice = dict(key="tzgg", name="通知公告", kind="notice",
                  breadcrumb=("政务公开", "法定主动公开内容", "通知公告"))  # fmt: skip
    base = f"{row.scheme}://{row.host}"
    uscc = f"11{code}{n:09d}X"[:18]
    extra: dict[str, str] = {"first_doc_id": str(10_000 + n % 900_000)}
    send_etag, send_lm, step = False, True, 1000
    if family == "hanweb":
        cid = 70000 + n % 20000
        columns = (ColumnSpec(url=f"{base}/col/col{cid}/index.html", column_id=cid, unit_id=cid * 3,
                              **report),
                   ColumnSpec(url=f"{base}/col/col{cid + 1}/index.html", column_id=cid + 1,
                              unit_id=cid * 3 + 1, **notice))  # fmt: skip
        extra |= {"webid": str(10 + n % 90), "xxgk_col": str(cid - 30)}
        send_etag = True
    elif family == "trs":
        columns = (ColumnSpec(url=f"{base}/zwgk/fzzfjs/index.html", path="zwgk/fzzfjs", **report),
                   ColumnSpec(url=f"{base}/zwgk/tzgg/index.html", path="zwgk/tzgg", **notice))
        send_etag, send_lm, step = True, False, 130
    elif family == "anhui":
        organ = str(800 + n % 9000)
        cat = 7000 + n % 900
        columns = tuple(
            ColumnSpec(url=f"{base}/zwgk/public/column/{organ}?type=4&catId={c}&action=list",
                       cat_id=c, **spec)
            for c, spec in ((cat, report), (cat + 1, notice))
        )  # fmt: skip
        extra |= {"organ_id": organ}
        send_lm, step = False, 45000
    elif family == "gkmlpt":
        sid = str(700_000 + n % 100_000)
        cat = 2600 + n % 300
        columns = tuple(
            ColumnSpec(url=f"{base}/gkmlpt/api/all/{c}?page=1&sid={sid}", column_id=c, **spec)
            for c, spec in ((cat, report), (cat + 1, notice))
        )
        extra |= {"sid": sid, "uscc": uscc}
        step = 900
    elif family == "jpaas":
        cid = 1_229_000_000 + n % 900_000
        columns = tuple(
            ColumnSpec(url=f"{base}/col/col{c}/index.html", column_id=c, **spec)
            for c, spec in ((cid, report), (cid + 1, notice))
        )
        extra |= {"web_id": str(3000 + n % 900), "tpl_set_id": f"{n:016x}"[-16:],
                  "org_code": f"{n % 10**8:08d}X"}  # fmt: skip
        send_etag = True
    elif family == "shandong":
        code_ = f"s{n % 10**6:06d}bgs"
        channel = hashlib.sha1(row.key.encode()).hexdigest()[:22]
        columns = tuple(
            ColumnSpec(url=f"{base}/gongkai/site_{code_}/channel_{channel}{i:02x}/",
                       channel=f"{channel}{i:02x}", **spec)
            for i, spec in ((1, report), (2, notice))
        )
        extra |= {"site_code": code_, "uscc": uscc}
        send_lm, step = False, 1
    elif family == "ucap":
        root = "xxgk/zfxxgk/fdzdgknr"
        columns = tuple(
            ColumnSpec(url=f"{base}/{root}/{k}/index.shtml", path=f"{root}/{k}", **spec)
            for k, spec in (("fzzfjs", report), ("tzgg", notice))
        )
        extra |= {"uscc": uscc, "kpy_id": str(10_000_000 + n % 9_000_000)}
        step = 1
    elif family == "custom":
        a, b = 20000 + n % 9000, 30000 + n % 9000
        columns = tuple(
            ColumnSpec(url=f"{base}/{a}/{b}/{b + i}/index.html", path=f"{a}/{b}/{b + i}", **spec)
            for i, spec in ((1, report), (2, notice))
        )
        extra |= {"org_code": f"{n % 10**8:08d}X"}
        send_lm, step = False, 700
    else:
        raise ValueError(f"no replica template for family {family!r}")
    departments = (gov, f"{county}司法局", f"{county}人民政府办公室", f"{county}教育局",
                   f"{county}财政局", f"{county}卫生健康局")  # fmt: skip
    gbk = family in ("trs", "custom") and _gbk_ok(gov + county)
    return SiteSpec(
        key=row.key, name=gov, county=county, scheme=row.scheme, host=row.host, family=family,
        encoding="gbk" if gbk else "utf-8", columns=columns, site_id_code=f"{code}0001",
        icp=f"ICP备{n % 10**8:08d}号", gongan=f"公网安备 {code}02{n % 10**6:06d}号",
        organizer=f"{gov}办公室", tech_support="县大数据中心", address=f"{county}人民路1号",
        phone=f"0{n % 900 + 100}-{n % 10**7:07d}", departments=departments, doc_id_step=step,
        send_etag=send_etag, send_last_modified=send_lm,
        list_content_type="text/html; charset=GBK" if gbk else "text/html; charset=UTF-8",
        detail_content_type="text/html; charset=GBK" if gbk else "text/html; charset=UTF-8",
        extra=extra,
    )  # fmt: skip


@dataclass(frozen=True)
class AnnualReportTruth:
    """One 法治政府建设年度报告 the sweep world serves (what a sweep must find)."""

    site: str
    url: str
    year: int
    title: str
    government: bool  # the government's own report (not a department's)


class SweepWorld(World):
    """Many registry portals with small report columns, at generation 0 (no ``advance``)."""

    def __init__(self, portals: int = 3000, seed: int = SWEEP_SEED,
                 rows: Sequence[RegistryRow] | None = None) -> None:  # fmt: skip
        self.generation = 0
        self.lock = threading.RLock()
        self.portals: dict[str, Portal] = {}
        self.seed = seed
        self.sites: list[SiteSpec] = []
        self._reports: dict[tuple[str, int], int] = {}  # (site, doc id) -> report year
        chosen = list(rows) if rows is not None else choose_rows(portals, seed)
        for i, row in enumerate(chosen):
            family = REGISTRY_TO_REPLICA.get(row.family) or ROTATION[i % len(ROTATION)]
            site = site_spec(row, family)
            self.sites.append(site)
            self.portals[site.key] = self._build_portal(site)
        self._by_host = {s.host: s.key for s in self.sites}

    def _build_portal(self, site: SiteSpec) -> Portal:
        rng = random.Random(f"{self.seed}/{site.key}")
        report_col, notice_col = site.columns
        gov = site.departments[0]
        docs: list[tuple[Doc, int | None]] = []  # (doc, annual report year or None)

        def add(col: ColumnSpec, title: str, dept: str, published: datetime, kind: str,
                year: int | None, paragraphs: list[str], number: str | None = None) -> None:
            doc = Doc(site=site.key, column=col.key, doc_id=0, published=published, title=title,
                      department=dept, paragraphs=paragraphs, metadata={}, doc_number=number,
                      written=published - timedelta(days=rng.randint(1, 6)), kind=kind)  # fmt: skip
            docs.append((doc, year))

        def published(year: int, months: tuple[int, int] = (1, 3)) -> datetime:
            return datetime(year, rng.randint(*months), rng.randint(1, 28), rng.randint(8, 17),
                            rng.randint(0, 59), rng.randint(0, 59))  # fmt: skip

        # the government's own annual reports: the same title pattern every year, as portals do
        patterns = [p for p, _ in REPORT_TITLES[:4]] + ["{y}年度法治政府建设情况报告"]
        style = rng.choice(patterns)
        first = LATEST_REPORT_YEAR - rng.randint(2, 5)
        for y in range(first, LATEST_REPORT_YEAR + 1):
            pub = published(y + 1)
            add(report_col, style.format(dept=gov, y=y), gov, pub, "report", y,
                report_body(rng, site, gov, y, pub))
        # departments' reports: most portals a few, some (paginated columns) many
        many = rng.random() < 0.08
        for dept in site.departments[1:]:
            for y in range(LATEST_REPORT_YEAR - (4 if many else 1), LATEST_REPORT_YEAR + 1):
                if many or rng.random() < 0.25:
                    pattern = rng.choice([p for p, _ in REPORT_TITLES[:4]])
                    pub = published(y + 1)
                    add(report_col, pattern.format(dept=dept, y=y), dept, pub, "report", y,
                        report_body(rng, site, dept, y, pub))
        # look-alikes in the same column: work plans, disclosure reports, half-year summaries
        for pattern, rule in rng.sample(REPORT_TITLES[4:], rng.randint(1, 3)):
            y = rng.randint(LATEST_REPORT_YEAR - 2, LATEST_REPORT_YEAR)
            pub = published(y, (7, 8)) if rule == "midyear" else published(y + 1)
            dept = rng.choice(site.departments)
            add(report_col, pattern.format(dept=dept, y=y, y1=y + 1), dept, pub, "report", None,
                report_body(rng, site, dept, y, pub))
        for pattern, _, numbered in rng.sample(NOTICE_TITLES, 3):
            y = rng.randint(2022, 2024)
            pub = published(y, (1, 5))
            dept = rng.choice(site.departments)
            title = pattern.format(county=site.county, dept=dept, y=y)
            number = f"{site.county[:2]}政办发〔{y}〕{rng.randint(1, 40)}号" if numbered else None
            add(notice_col, title, dept, pub, "notice", None,
                notice_body(rng, site, dept, pub, title), number)
        all_docs = [d for d, _ in docs]
        self._assign_ids(site, all_docs, None, rng)
        self._assign_serials(site, all_docs, None)
        portal = Portal(site)
        for doc, year in docs:
            doc.metadata = _metadata(site, site.column(doc.column), doc)
            portal.docs[doc.doc_id] = doc
            if year is not None:
                self._reports[(site.key, doc.doc_id)] = year
        for col in site.columns:
            portal.column_changed[col.key] = portal.column_docs(col.key)[0].published
        return portal

    # ------------------------------------------------------------------ queries
    def portal_for_host(self, host: str) -> Portal | None:
        key = self._by_host.get(host.lower().rstrip("."))
        return self.portals[key] if key else None

    @property
    def hosts(self) -> list[str]:
        return [s.host for s in self.sites]

    def advance(self) -> None:
        raise NotImplementedError("a sweep world does not evolve; use mutate()")

    def annual_reports(self, year: int | None = None) -> list[AnnualReportTruth]:
        """Every 法治政府建设年度报告 served (of one report year, or all)."""
        out = []
        for (key, doc_id), report_year in sorted(self._reports.items()):
            doc = self.portals[key].docs.get(doc_id)
            if doc is None or (year is not None and report_year != year):
                continue
            gov = doc.department == self.portals[key].site.departments[0]
            out.append(AnnualReportTruth(key, self.portals[key].url(doc), report_year, doc.title,
                                         gov))  # fmt: skip
        return out

    def sites_toml(self, keys: Iterable[str] | None = None) -> str:
        """The portals' columns as `crawler/sites/sites.toml` entries (for GOVARCHIVE_SITES)."""
        wanted = set(keys) if keys is not None else None
        out = ["# generated by replica.sweep.SweepWorld.sites_toml: the sweep portals' columns"]
        for site in self.sites:
            if wanted is not None and site.key not in wanted:
                continue
            cols = ", ".join(f'{{ name = "{c.name}", url = "{c.url}" }}' for c in site.columns)
            out += ["", f"[{site.key}]", f'name = "{site.name}"',
                    f'family = "{CRAWLER_FAMILY[site.family]}"',
                    f'home = "{site.base_url}/"', f"columns = [{cols}]"]  # fmt: skip
        return "\n".join(out) + "\n"


# -- seeded mutations ------------------------------------------------------------------------


@dataclass
class Mutations:
    """What ``mutate`` did, as the crawler should find it (canonical URLs)."""

    added: list[ServedDoc] = field(default_factory=list)
    edited: list[ServedDoc] = field(default_factory=list)
    removed: list[ServedDoc] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.added) + len(self.edited) + len(self.removed)


def mutate(world: World, n: int, seed: int = SWEEP_SEED,
           sites: Iterable[str] | None = None) -> Mutations:  # fmt: skip
    """``n`` random adds, edits and removals (about a third each) on the given portals.

    Unlike ``World.advance`` the clock does not move and nothing else on the portals changes, so
    everything a re-crawl sees as new, changed or gone is exactly these ``n`` changes. A
    document is touched at most once; an edit rewrites one paragraph and sets Last-Modified.
    """
    rng = random.Random(seed)
    keys = sorted(sites) if sites is not None else sorted(world.portals)
    done = Mutations()
    touched: set[tuple[str, int]] = set()
    kinds = ["add", "edit", "remove"] * (n // 3 + 1)
    rng.shuffle(kinds)
    attempts = 0
    with world.lock:
        now = world.now
        while len(done) < n and attempts < 100 * (n + 1):
            kind = kinds[attempts % len(kinds)]
            attempts += 1
            portal = world.portals[rng.choice(keys)]
            site = portal.site
            col = rng.choice(site.columns)
            if kind == "add":
                used = {d.title for d in portal.docs.values()} | {
                    d.title for d in portal.removed.values()
                }
                published = now - timedelta(minutes=rng.randint(5, 600), seconds=rng.randint(0, 59))
                draft = fresh_document(site, col.kind, rng, published, used)
                every = list(portal.docs.values()) + list(portal.removed.values())
                doc = World._doc_from_draft(site, col, draft)
                doc.doc_id = max(d.doc_id for d in every) + site.doc_id_step + rng.randint(1, 9)
                year = [d.serial for d in every if d.published.year == published.year]
                doc.serial = max(year, default=0) + rng.randint(1, 3)
                doc.metadata = _metadata(site, col, doc)
                portal.docs[doc.doc_id] = doc
                touched.add((site.key, doc.doc_id))
                done.added.append(World._served(portal, col, doc))
            else:
                candidates = [d for d in portal.column_docs(col.key)
                              if not d.is_seed and (site.key, d.doc_id) not in touched]  # fmt: skip
                if kind == "remove":  # keep the newest few: a column never empties
                    candidates = candidates[5:]
                if not candidates:
                    continue
                doc = rng.choice(candidates)
                touched.add((site.key, doc.doc_id))
                if kind == "edit":
                    doc.paragraphs = list(doc.paragraphs)
                    k = rng.randint(1, max(1, len(doc.paragraphs) - 3))
                    doc.paragraphs[k] = revised_paragraph(rng, 1000 + len(done.edited))
                    doc.revision += 1
                    doc.modified = now
                    done.edited.append(World._served(portal, col, doc))
                else:
                    del portal.docs[doc.doc_id]
                    portal.removed[doc.doc_id] = doc
                    done.removed.append(World._served(portal, col, doc))
            portal.column_changed[col.key] = now
    return done


__all__ = [
    "AnnualReportTruth", "Mutations", "RegistryRow", "SweepWorld", "choose_rows", "mutate",
    "registry_rows", "site_spec",
]  # fmt: skip
