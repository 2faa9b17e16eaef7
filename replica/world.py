"""The replica's state: the portals and the documents they currently serve.

Everything is deterministic: a ``World(generation=n)`` is always the same world.  ``advance()``
moves one generation on: every portal gains a document, one document is edited and one is
removed.
"""

from __future__ import annotations

import hashlib
import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cleaners.record import RECORD_FIELDS

from .content import DocDraft, draft_documents, fresh_document, load_seeds, revised_paragraph
from .sites import SITES, SITES_BY_HOST, SITES_BY_KEY, ColumnSpec, SiteSpec

#: "now" of generation 0 (China Standard Time, naive); each generation is one week later.
WORLD_EPOCH = datetime(2024, 6, 28, 9, 30, 0)
GENERATION_STEP = timedelta(days=7)
BASE_SEED = 20240628
#: documents per column at generation 0 (seed column: this many plus the seed)
COLUMN_SIZES = (38, 44)

#: the record's metadata fields (the shape shared with `govarchive clean` and the archive)
METADATA_KEYS = tuple(f for f in RECORD_FIELDS if f not in ("title", "text", "url", "site"))


@dataclass(frozen=True)
class ServedDoc:
    """What the replica currently serves for one document (the ground truth for tests)."""

    site: str
    url: str  # canonical detail URL (real scheme + host, no ?xxgkhide=1)
    title: str
    text: str  # body paragraphs joined by "\n" (incl. signature/date lines, no boilerplate)
    metadata: dict[str, str | None]
    is_seed: bool
    seed_id: str | None
    column_url: str
    doc_id: int = 0
    published_at: str = ""  # "YYYY-MM-DD HH:MM:SS" as shown on the page (CST)
    revision: int = 0


@dataclass
class Doc:
    site: str
    column: str
    doc_id: int
    published: datetime
    title: str
    department: str
    paragraphs: list[str]  # clean paragraphs
    metadata: dict[str, str | None]
    is_seed: bool = False
    seed_id: str | None = None
    raw_lines: list[str] | None = None  # seeds: lines as on the original page
    modified: datetime | None = None
    revision: int = 0
    serial: int = 0
    doc_number: str | None = None
    written: datetime | None = None
    kind: str = "report"
    # files the page links (replica.attachments.ServedAttachment), added by tests
    attachments: list = field(default_factory=list)

    @property
    def last_modified(self) -> datetime:
        return self.modified or self.published

    @property
    def html_lines(self) -> list[str]:
        return self.raw_lines if self.raw_lines is not None else self.paragraphs

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def _short_publisher(site: SiteSpec, dept: str) -> str:
    """汶上县司法局 -> 县司法局, 邢台市襄都区人民政府办公室 -> 政府办公室 (as the portals show)."""
    if site.key == "wenshang":
        name = dept.replace(site.county, "县", 1)
        return {"县人民政府": "县政府", "县人民政府办公室": "县政府办公室"}.get(name, name)
    if site.key == "xiangdu":
        name = dept.replace("邢台市", "", 1).replace(site.county, "", 1)
        if name.startswith("人民政府"):
            return name.replace("人民政府", "政府", 1)
        return "区" + name
    return dept


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _org_code(site: SiteSpec, dept: str) -> str:
    """A stable identifier of an issuing body, in the portal's 索引号 style."""
    digest = int(hashlib.sha1(f"{site.key}/{dept}".encode()).hexdigest(), 16)
    fixed = {
        ("wenshang", "汶上县司法局"): "11370830004335705P",
        ("suixi", "濉溪县司法局"): "11340621003189622B",
        ("lushan", "鲁山县司法局"): "lsx31",
        ("xiangdu", "邢台市襄都区人民政府办公室"): "zfbgs",
    }
    if (site.key, dept) in fixed:
        return fixed[(site.key, dept)]
    if site.family in ("gkmlpt", "shandong", "ucap"):  # USCC of the issuing body
        uscc = site.extra["uscc"]
        if dept == site.organizer:
            return uscc
        return f"{uscc[:8]}{digest % 10**9:09d}{_USCC_CHARS[digest % 31]}"
    if site.family in ("jpaas", "custom"):  # 9-character organisation code
        return site.extra["org_code"] if dept == site.organizer else f"{digest % 10**8:08d}X"
    if site.key == "wenshang":
        return f"11370830{digest % 10**9:09d}{_USCC_CHARS[digest % 31]}"
    if site.key == "suixi":
        return f"11340621{digest % 10**9:09d}{_USCC_CHARS[digest % 31]}"
    if site.key == "lushan":
        return f"lsx{digest % 30 + 1:02d}"
    if site.key == "xiangdu":
        initials = {
            "司法局": "sfj",
            "教育局": "jyj",
            "卫生健康局": "wsjkj",
            "市场监督管理局": "scjgj",
            "应急管理局": "yjglj",
            "生态环境分局": "sthjfj",
            "人民政府": "qzf",
        }
        return initials.get(dept.replace("邢台市", "").replace(site.county, ""), "qzf")
    return ""


def _index_no(site: SiteSpec, dept: str, published: datetime, serial: int) -> str | None:
    code = _org_code(site, dept)
    if site.key in ("wenshang", "lushan") or site.family in (
        "gkmlpt", "jpaas", "shandong", "ucap", "custom"
    ):
        return f"{code}/{published.year}-{serial:05d}"
    if site.key == "suixi":
        return f"{code}/{published:%Y%m}-{serial:05d}"
    if site.key == "xiangdu":
        epoch_ms = int((published - timedelta(hours=8) - datetime(1970, 1, 1)).total_seconds())
        return f"{code}/{epoch_ms * 1000 + serial % 1000}"
    return None


def _metadata(site: SiteSpec, col: ColumnSpec, doc: Doc) -> dict[str, str | None]:
    pub = doc.published.strftime("%Y-%m-%d")
    written = doc.written.strftime("%Y-%m-%d") if doc.written else None
    md: dict[str, str | None] = dict.fromkeys(METADATA_KEYS)
    md["published_date"] = pub
    publisher = _short_publisher(site, doc.department)
    index_no = _index_no(site, doc.department, doc.published, doc.serial)
    if site.key == "wenshang":
        md.update(
            index_no=index_no,
            publisher=publisher,
            written_date=written,
            category=col.name,
            disclosure="主动公开",
            source=publisher,
            doc_number=doc.doc_number,
            validity="有效" if doc.doc_number else None,
        )
    elif site.key == "xiangdu":
        md.update(
            index_no=index_no,
            publisher=publisher,
            category="其他文件" if col.kind == "report" else "通知",
            doc_number=doc.doc_number,
            source=publisher,  # shown only as <meta name="ContentSource">, as on real TRS pages
            written_date=written if doc.doc_number else None,
        )
    elif site.key == "qingyuan_sfj":
        md.update(source="本网")
    elif site.key == "suixi":
        md.update(
            index_no=index_no,
            publisher=doc.department,
            written_date=pub,
            category=col.name,
            doc_number=doc.doc_number,
            validity="有效" if doc.doc_number else None,
            source=doc.department,
        )
    elif site.key == "lushan":
        md.update(
            index_no=index_no,
            publisher=doc.department,
            written_date=written if doc.doc_number else None,
            category=col.name,
            doc_number=doc.doc_number,
            validity="有效" if doc.doc_number else None,
            source=doc.department,
        )
    elif site.family in ("gkmlpt", "ucap"):
        md.update(
            index_no=index_no,
            publisher=doc.department,
            written_date=written,
            category="综合政务" if col.kind == "notice" else "公安、安全、司法",
            doc_number=doc.doc_number,
            source=doc.department,
        )
    elif site.family == "jpaas":
        md.update(
            index_no=index_no,
            publisher=doc.department,
            written_date=written,
            category=col.name,
            doc_number=doc.doc_number,
            validity="有效" if doc.doc_number else None,
            disclosure="主动公开",
            source=doc.department.replace(site.county, "县", 1),
        )
    elif site.family in ("shandong", "custom"):
        md.update(
            index_no=index_no,
            publisher=doc.department,
            written_date=written,
            category=col.name if site.family == "shandong" else "综合政务",
            doc_number=doc.doc_number,
            validity="有效" if doc.doc_number else None,
            disclosure="主动公开",
            source=doc.department,
        )
    return md


def hex_id(site: SiteSpec, doc: Doc, length: int) -> str:
    """A stable hex id for CMSs that name documents by UUID / ObjectId instead of a number."""
    digest = hashlib.sha1(f"{site.key}/{doc.doc_id}".encode()).hexdigest()
    if length == 24:  # MongoDB ObjectId: 4-byte Unix time first (DOMAIN.md §3.6)
        stamp = int((doc.published - timedelta(hours=8) - datetime(1970, 1, 1)).total_seconds())
        return f"{stamp:08x}{digest[:10]}{doc.doc_id % 0xFFFFFF:06x}"
    return digest[:length]


def doc_path(site: SiteSpec, doc: Doc) -> str:
    """Path of a document's detail page (canonical: no query string)."""
    col = site.column(doc.column)
    p = doc.published
    if site.family == "hanweb":
        return f"/art/{p.year}/{p.month}/{p.day}/art_{col.column_id}_{doc.doc_id}.html"
    if site.family == "trs":
        return f"/{col.path}/{p:%Y%m}/t{p:%Y%m%d}_{doc.doc_id}.html"
    if site.family == "gkmlpt":
        return f"/gkmlpt/content/{doc.doc_id // 10**6}/{doc.doc_id // 1000}/post_{doc.doc_id}.html"
    if site.family == "jpaas":
        return f"/col/col{col.column_id}/art/{p.year}/art_{hex_id(site, doc, 32)}.html"
    if site.family == "shandong":
        code = site.extra["site_code"]
        return f"/gongkai/site_{code}/channel_{col.channel}/doc_{hex_id(site, doc, 24)}.html"
    if site.family == "ucap":
        return f"/{col.path}/{p:%Y%m}/{hex_id(site, doc, 32)}.shtml"
    if site.family == "custom":
        return f"/{col.path}/content_{doc.doc_id}.html"
    return f"/zwgk/public/{site.extra['organ_id']}/{doc.doc_id}.html"


@dataclass
class Portal:
    """One portal's document store."""

    site: SiteSpec
    docs: dict[int, Doc] = field(default_factory=dict)
    column_changed: dict[str, datetime] = field(default_factory=dict)
    removed: dict[int, Doc] = field(default_factory=dict)

    def column_docs(self, column: str) -> list[Doc]:
        """Documents of a column, newest first (the listing order)."""
        docs = [d for d in self.docs.values() if d.column == column]
        return sorted(docs, key=lambda d: (d.published, d.doc_id), reverse=True)

    def by_path(self, path: str) -> Doc | None:
        for doc in self.docs.values():
            if doc_path(self.site, doc) == path:
                return doc
        return None

    def url(self, doc: Doc) -> str:
        return self.site.base_url + doc_path(self.site, doc)

    @property
    def last_changed(self) -> datetime:
        return max(self.column_changed.values())


class World:
    """All five portals at one generation."""

    def __init__(self, generation: int = 0) -> None:
        self.generation = 0
        self.lock = threading.RLock()
        self.portals: dict[str, Portal] = {}
        self._build()
        for _ in range(generation):
            self.advance()

    # ------------------------------------------------------------------ construction
    @property
    def now(self) -> datetime:
        return WORLD_EPOCH + self.generation * GENERATION_STEP

    def _build(self) -> None:
        seeds = {s.site: s for s in load_seeds()}
        for site in SITES:
            rng = random.Random(f"{BASE_SEED}/{site.key}")
            portal = Portal(site)
            seed = seeds.get(site.key)  # the newer portals carry generated documents only
            docs: list[Doc] = []
            used = {seed.title} if seed else set()
            taken = set()
            if seed:
                year_digits = seed.title.split("年")[0][-4:]
                seed_year = int(year_digits) if year_digits.isdigit() else seed.published.year - 1
                taken = {(seed.department, seed_year, "fz")}
            for col, size in zip(site.columns, COLUMN_SIZES, strict=True):
                drafts = draft_documents(
                    site,
                    col.kind,
                    rng,
                    size + rng.randint(0, 4),
                    used,
                    self.now - timedelta(days=2),
                    taken,
                )
                for d in drafts:
                    used.add(d.title)
                    docs.append(self._doc_from_draft(site, col, d))
            seed_doc = None if seed is None else Doc(
                site=site.key,
                column=seed.column,
                doc_id=seed.doc_id,
                published=seed.published,
                title=seed.title,
                department=seed.department,
                paragraphs=seed.paragraphs,
                metadata=dict(seed.metadata),
                is_seed=True,
                seed_id=seed.seed_id,
                raw_lines=list(seed.raw_lines),
            )
            if seed_doc is not None:
                docs.append(seed_doc)
            self._assign_ids(site, docs, seed_doc, rng)
            self._assign_serials(site, docs, seed_doc)
            for doc in docs:
                if not doc.is_seed:
                    doc.metadata = _metadata(site, site.column(doc.column), doc)
                portal.docs[doc.doc_id] = doc
            if seed is not None:
                assert portal.url(seed_doc) == seed.url, (portal.url(seed_doc), seed.url)
            for col in site.columns:
                portal.column_changed[col.key] = portal.column_docs(col.key)[0].published
            if site.encoding == "gbk":
                for doc in docs:
                    (doc.title + doc.text).encode("gbk")
            self.portals[site.key] = portal

    @staticmethod
    def _doc_from_draft(site: SiteSpec, col: ColumnSpec, d: DocDraft) -> Doc:
        return Doc(
            site=site.key,
            column=col.key,
            doc_id=0,
            published=d.published,
            title=d.title,
            department=d.department,
            paragraphs=d.paragraphs,
            metadata={},
            doc_number=d.doc_number,
            written=d.written,
            kind=d.kind,
        )

    @staticmethod
    def _assign_ids(
        site: SiteSpec, docs: list[Doc], anchor: Doc | None, rng: random.Random
    ) -> None:
        """CMS ids grow with publication time; the seed keeps its real id."""
        docs.sort(key=lambda d: (d.published, d.title))
        pos = docs.index(anchor) if anchor else 0
        base = anchor.doc_id if anchor else int(site.extra["first_doc_id"])
        step = site.doc_id_step
        for i, doc in enumerate(docs):
            if doc is not anchor:
                doc.doc_id = base + (i - pos) * step + rng.randint(1, max(1, step // 3))
        assert docs[0].doc_id > 0

    @staticmethod
    def _assign_serials(site: SiteSpec, docs: list[Doc], anchor: Doc | None) -> None:
        """索引号 serials increase with publication time within a year."""
        anchor_serial = 0
        index_no = (anchor.metadata.get("index_no") or "") if anchor else ""
        if "-" in index_no:
            anchor_serial = int(index_no.rsplit("-", 1)[1])
        by_year: dict[int, list[Doc]] = {}
        for doc in docs:
            by_year.setdefault(doc.published.year, []).append(doc)
        for year, group in by_year.items():
            group.sort(key=lambda d: d.published)
            base, start = 11 + (year % 7) * 3, 0
            if anchor in group and anchor_serial:
                start = group.index(anchor)
                base = anchor_serial
            step = 3 if base - start * 3 > 0 else 1
            for i, doc in enumerate(group):
                doc.serial = max(1, base + (i - start) * step)

    # ------------------------------------------------------------------ evolution
    def advance(self) -> None:
        """Next generation: on each portal add one document, edit one, remove one."""
        with self.lock:
            self.generation += 1
            now = self.now
            for site in SITES:
                portal = self.portals[site.key]
                rng = random.Random(f"{BASE_SEED}/{site.key}/gen{self.generation}")
                col = site.columns[self.generation % 2]
                # add: newest document of the generation's column
                used = {d.title for d in portal.docs.values()} | {
                    d.title for d in portal.removed.values()
                }
                published = now - timedelta(minutes=rng.randint(5, 90))
                published = published.replace(microsecond=0)
                draft = fresh_document(site, col.kind, rng, published, used)
                new = self._doc_from_draft(site, col, draft)
                all_docs = list(portal.docs.values()) + list(portal.removed.values())
                new.doc_id = max(d.doc_id for d in all_docs) + site.doc_id_step
                new.doc_id += rng.randint(1, max(1, site.doc_id_step // 3))
                same_year = [
                    d.serial for d in all_docs if d.published.year == published.year and d.serial
                ]
                new.serial = max(same_year, default=0) + rng.randint(1, 3)
                new.metadata = _metadata(site, col, new)
                portal.docs[new.doc_id] = new
                # edit: a generated document anywhere on the portal
                candidates = sorted(
                    (d for d in portal.docs.values() if not d.is_seed and d is not new),
                    key=lambda d: d.doc_id,
                )
                edited = rng.choice(candidates)
                k = rng.randint(1, max(1, len(edited.paragraphs) - 3))
                edited.paragraphs = list(edited.paragraphs)
                edited.paragraphs[k] = revised_paragraph(rng, self.generation)
                edited.revision += 1
                edited.modified = now
                # remove: an older generated document of the same column
                removable = [
                    d
                    for d in portal.column_docs(col.key)[5:]
                    if not d.is_seed and d is not edited
                ]
                gone = rng.choice(removable)
                del portal.docs[gone.doc_id]
                portal.removed[gone.doc_id] = gone
                for c in site.columns:
                    portal.column_changed[c.key] = now

    def add_attachment_document(self, site: str, title: str, files: list, stub_text: str = "详见附件",
                                **kwargs) -> Doc:  # fmt: skip
        """A report published only as attached files (replica.attachments.AttachmentFile)."""
        from .attachments import add_attachment_document

        return add_attachment_document(self, site, title, files, stub_text, **kwargs)

    # ------------------------------------------------------------------ queries
    def portal_for_host(self, host: str) -> Portal | None:
        site = SITES_BY_HOST.get(host.lower().rstrip("."))
        return self.portals[site.key] if site else None

    def portal(self, key: str) -> Portal:
        return self.portals[key]

    @property
    def hosts(self) -> list[str]:
        return [s.host for s in SITES]

    def served_documents(self, site: str | None = None) -> list[ServedDoc]:
        out: list[ServedDoc] = []
        with self.lock:
            for portal in self.portals.values():
                if site is not None and portal.site.key != site:
                    continue
                for col in portal.site.columns:
                    for doc in portal.column_docs(col.key):
                        out.append(self._served(portal, col, doc))
        return out

    def removed_documents(self, site: str | None = None) -> list[ServedDoc]:
        """Documents that were served once and now answer 404."""
        out = []
        with self.lock:
            for portal in self.portals.values():
                if site is None or portal.site.key == site:
                    for doc in portal.removed.values():
                        out.append(self._served(portal, portal.site.column(doc.column), doc))
        return out

    @staticmethod
    def _served(portal: Portal, col: ColumnSpec, doc: Doc) -> ServedDoc:
        return ServedDoc(
            site=portal.site.key,
            url=portal.url(doc),
            title=doc.title,
            text=doc.text,
            metadata=dict(doc.metadata),
            is_seed=doc.is_seed,
            seed_id=doc.seed_id,
            column_url=col.url,
            doc_id=doc.doc_id,
            published_at=doc.published.strftime("%Y-%m-%d %H:%M:%S"),
            revision=doc.revision,
        )


__all__ = ["World", "ServedDoc", "Doc", "Portal", "doc_path", "SITES_BY_KEY", "WORLD_EPOCH"]
