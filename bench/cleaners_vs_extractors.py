"""Benchmark: the project cleaner against general-purpose extractors on the labelled corpus.

    /work/venv/bin/pip install -e '.[bench]'
    /work/venv/bin/python bench/cleaners_vs_extractors.py [--repeat 3] [--details]

Corpus: ``tests/corpus/labels.json`` (real pages from ../shared/realpages + replica pages rendered
in-process). For every page and extractor:

* must-snippet recall: share of the page's ``must`` sentences found in the extracted text;
* precision proxy: share of the page's ``must_not`` boilerplate strings absent from the text;
* F1 of those two (micro-averaged over all snippets of the split), and the number of leaked
  boilerplate strings;
* metadata exact match per labelled field (project cleaner; trafilatura's ``extract_metadata``
  for title and date -> published_date);
* pages per second: the same pages, each extraction call timed alone (``--repeat`` times).

Matching is done after whitespace normalisation (every whitespace character removed on both
sides), so line breaks / cell separators chosen by an extractor do not matter.

All non-project extractors get the same decoded HTML string (``cleaners.decode_html``, outside
the timing); the project cleaner gets the raw bytes and the response headers (it decodes itself,
inside the timing). An extractor that cannot be installed or imported is reported as
unavailable with the reason.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from corpus_labels import METADATA_FIELDS, Fetcher, norm, pages  # noqa: E402

import cleaners  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.md"


# ----------------------------------------------------------------------------- extractors
@dataclass
class Extractor:
    name: str
    run: Callable | None  # (page_input) -> text
    meta: Callable | None = None  # (page_input) -> {field: value}, not timed
    version: str = ""
    unavailable: str | None = None
    note: str = ""


@dataclass
class PageInput:
    body: bytes
    headers: dict
    html: str
    url: str
    site: str | None


def _version(dist: str) -> str:
    try:
        return importlib_metadata.version(dist)
    except importlib_metadata.PackageNotFoundError:
        return "?"


def _unavailable(name: str, exc: BaseException) -> Extractor:
    return Extractor(name, None, unavailable=f"{type(exc).__name__}: {exc}".splitlines()[0][:120])


def build_extractors() -> list[Extractor]:
    out: list[Extractor] = []

    def project(p: PageInput) -> str:
        return cleaners.clean(p.body, p.url, p.headers, site=p.site)["text"] or ""

    def project_meta(p: PageInput) -> dict:
        rec = cleaners.clean(p.body, p.url, p.headers, site=p.site)
        return {f: rec[f] for f in ("title", *METADATA_FIELDS)}

    out.append(
        Extractor(
            "govarchive cleaners",
            project,
            project_meta,
            cleaners.CLEANER_VERSION,
            note="clean(bytes, url, headers)['text']",
        )
    )

    try:
        import trafilatura

        def traf_meta(p: PageInput) -> dict:
            md = trafilatura.extract_metadata(p.html, default_url=p.url)
            if md is None:
                return {"title": None, "published_date": None}
            return {"title": md.title, "published_date": md.date}

        out.append(
            Extractor(
                "trafilatura.extract",
                lambda p: trafilatura.extract(p.html, url=p.url) or "",
                traf_meta,
                _version("trafilatura"),
                note="defaults",
            )
        )
        out.append(
            Extractor(
                "trafilatura favor_precision",
                lambda p: trafilatura.extract(p.html, url=p.url, favor_precision=True) or "",
                traf_meta,
                _version("trafilatura"),
                note="favor_precision=True",
            )
        )
    except Exception as exc:  # pragma: no cover - depends on the environment
        out.append(_unavailable("trafilatura.extract", exc))
        out.append(_unavailable("trafilatura favor_precision", exc))

    try:
        import lxml.html
        from readability import Document

        def readability_text(p: PageInput) -> str:
            summary = Document(p.html).summary()
            root = lxml.html.fromstring(summary)
            return "\n".join(t for t in root.itertext())

        out.append(
            Extractor(
                "readability-lxml",
                readability_text,
                version=_version("readability-lxml"),
                note="Document(html).summary() -> text",
            )
        )
    except Exception as exc:  # pragma: no cover
        out.append(_unavailable("readability-lxml", exc))

    try:
        import justext

        def justext_text(p: PageInput) -> str:
            paras = justext.justext(p.html, frozenset(), stopwords_low=0, stopwords_high=0)
            return "\n".join(par.text for par in paras if not par.is_boilerplate)

        out.append(
            Extractor(
                "jusText (no stoplist)",
                justext_text,
                version=_version("jusText"),
                note="language-independent mode: empty stoplist, stopwords_low=stopwords_high=0",
            )
        )
    except Exception as exc:  # pragma: no cover
        out.append(_unavailable("jusText (no stoplist)", exc))

    try:
        from gne import GeneralNewsExtractor

        gne_extractor = GeneralNewsExtractor()

        def gne_text(p: PageInput) -> str:
            return gne_extractor.extract(p.html).get("content") or ""

        out.append(
            Extractor(
                "GNE",
                gne_text,
                version=_version("gne"),
                note="GeneralNewsExtractor().extract(html)['content']",
            )
        )
    except Exception as exc:  # pragma: no cover
        out.append(_unavailable("GNE", exc))
    return out


# ----------------------------------------------------------------------------- scoring
@dataclass
class Score:
    pages: int = 0
    must: int = 0
    found: int = 0
    must_not: int = 0
    leaked: int = 0
    errors: int = 0
    empty: int = 0
    seconds: float = 0.0
    calls: int = 0
    meta: dict = field(default_factory=dict)  # field -> [hits, total]
    misses: list = field(default_factory=list)  # (page id, kind, snippet)

    def add(self, other: Score) -> None:
        for k in ("pages", "must", "found", "must_not", "leaked", "errors", "empty", "calls"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.seconds += other.seconds
        for f, (h, t) in other.meta.items():
            cur = self.meta.setdefault(f, [0, 0])
            cur[0] += h
            cur[1] += t
        self.misses += other.misses

    @property
    def recall(self) -> float:
        return self.found / self.must if self.must else float("nan")

    @property
    def precision(self) -> float:
        return 1 - self.leaked / self.must_not if self.must_not else float("nan")

    @property
    def f1(self) -> float:
        r, p = self.recall, self.precision
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def pps(self) -> float:
        return self.calls / self.seconds if self.seconds else float("nan")

    def meta_rate(self, fields=None) -> tuple[int, int]:
        h = t = 0
        for f, (hh, tt) in self.meta.items():
            if fields is None or f in fields:
                h, t = h + hh, t + tt
        return h, t


def score_page(ex: Extractor, page: dict, inp: PageInput, repeat: int) -> Score:
    s = Score(pages=1)
    text = ""
    try:
        for _ in range(repeat):
            t0 = time.perf_counter()
            text = ex.run(inp)
            s.seconds += time.perf_counter() - t0
            s.calls += 1
    except Exception:
        s.errors += 1
        s.misses.append((page["id"], "error", traceback.format_exc(limit=1).splitlines()[-1]))
        text = ""
    if not text.strip():
        s.empty += 1
    flat = norm(text)
    for snip in page["must"]:
        s.must += 1
        if norm(snip) in flat:
            s.found += 1
        else:
            s.misses.append((page["id"], "missing", snip))
    for junk in page["must_not"]:
        s.must_not += 1
        if norm(junk) in flat:
            s.leaked += 1
            s.misses.append((page["id"], "leaked", junk))
    if ex.meta is not None:
        try:
            got = ex.meta(inp)
        except Exception:
            got = {}
        gold = dict(page["metadata"])
        gold["title"] = page.get("title")
        for f, value in gold.items():
            if f not in got or (f == "title" and value is None):
                continue  # title labelled only by parts (title_contains)
            hit = got[f] == value
            cur = s.meta.setdefault(f, [0, 0])
            cur[0] += int(hit)
            cur[1] += 1
            if not hit:
                s.misses.append((page["id"], f"meta:{f}", f"{got[f]!r} != {value!r}"))
    return s


# ----------------------------------------------------------------------------- report
def _pct(x: float) -> str:
    return "n/a" if x != x else f"{100 * x:.1f}"


def _ratio(h: int, t: int) -> str:
    return "n/a" if not t else f"{100 * h / t:.1f} ({h}/{t})"


def split_table(title: str, extractors: list[Extractor], scores: dict[str, Score]) -> list[str]:
    lines = [
        f"### {title}",
        "",
        "| extractor | pages | must recall % | precision proxy % | F1 | leaked | empty/errors "
        "| title exact % | published_date exact % | all labelled metadata exact % | pages/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for ex in extractors:
        if ex.unavailable:
            lines.append(f"| {ex.name} | unavailable: {ex.unavailable} |||||||||| ")
            continue
        s = scores[ex.name]
        if ex.meta is not None:
            title = _ratio(*s.meta_rate({"title"}))
            date = _ratio(*s.meta_rate({"published_date"}))
            allm = _ratio(*s.meta_rate()) if ex.name == "govarchive cleaners" else "n/a"
        else:
            title = date = allm = "n/a"
        lines.append(
            f"| {ex.name} | {s.pages} | {_pct(s.recall)} | {_pct(s.precision)} | {s.f1:.3f} "
            f"| {s.leaked} | {s.empty}/{s.errors} | {title} | {date} | {allm} | {s.pps:.1f} |"
        )
    lines.append("")
    return lines


def field_table(score: Score, title: str) -> list[str]:
    lines = [f"### {title}", "", "| field | exact % (hits/labelled) |", "|---|---:|"]
    for f in ("title", *METADATA_FIELDS):
        if f in score.meta:
            lines.append(f"| {f} | {_ratio(*score.meta[f])} |")
    lines.append("")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="timed calls per page and extractor")
    ap.add_argument("--details", action="store_true", help="list every miss / leak")
    ap.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.name}")
    args = ap.parse_args(argv)

    corpus = pages()
    fetch = Fetcher()
    inputs: list[tuple[dict, PageInput]] = []
    skipped = []
    for page in corpus:
        try:
            got = fetch(page)
        except Exception as exc:  # replica not importable
            got = None
            skipped.append((page["id"], f"{type(exc).__name__}: {exc}"))
        if got is None:
            skipped.append((page["id"], "page not available"))
            continue
        body, headers = got
        html, _codec = cleaners.decode_html(body, headers)
        inputs.append(
            (page, PageInput(body, headers, html, page["url"], page.get("site", "bench")))
        )

    extractors = build_extractors()
    # warm-up (lazy imports, caches) outside the timing
    for ex in extractors:
        if ex.run is not None and inputs:
            try:
                ex.run(inputs[0][1])
            except Exception:
                pass

    per: dict[str, dict[str, Score]] = {"all": {}, "dev": {}, "heldout": {}, "real": {}}
    for ex in extractors:
        if ex.run is None:
            continue
        for bucket in per.values():
            bucket[ex.name] = Score()
        for page, inp in inputs:
            s = score_page(ex, page, inp, args.repeat)
            per["all"][ex.name].add(s)
            per[page["split"]][ex.name].add(s)
            if page["kind"] == "real":
                per["real"][ex.name].add(s)

    n_real = sum(1 for p, _ in inputs if p["kind"] == "real")
    n_held = sum(1 for p, _ in inputs if p["split"] == "heldout")
    out = [
        "# Cleaners vs general-purpose extractors",
        "",
        f"Corpus: `tests/corpus/labels.json`: {len(inputs)} pages ({n_real} real, "
        f"{len(inputs) - n_real} replica; {n_held} heldout). Python {platform.python_version()}, "
        f"{args.repeat} timed calls per page. Generated by `bench/cleaners_vs_extractors.py`.",
        "",
        "Extractors: "
        + "; ".join(
            f"**{ex.name}** {ex.version} ({ex.note})"
            if not ex.unavailable
            else f"**{ex.name}** unavailable"
            for ex in extractors
        )
        + ".",
        "",
        "Recall = share of `must` sentences found; precision proxy = share of `must_not` "
        "boilerplate strings absent; F1 of the two (micro over snippets); leaked = boilerplate "
        "strings found. Metadata: exact match on labelled fields (null labels count: the page "
        "carries no value). trafilatura metadata via `extract_metadata` (title, date).",
        "",
    ]
    for key, title in (
        ("all", "All pages"),
        ("dev", "Dev split"),
        ("heldout", "Heldout split"),
        ("real", "Real pages only"),
    ):
        out += split_table(title, extractors, per[key])
    out += field_table(
        per["all"]["govarchive cleaners"], "Project cleaner: metadata per field (all)"
    )
    out += field_table(
        per["heldout"]["govarchive cleaners"], "Project cleaner: metadata per field (heldout)"
    )
    if skipped:
        out += ["Skipped pages: " + ", ".join(f"{i} ({r})" for i, r in skipped), ""]
    misses = per["all"]["govarchive cleaners"].misses
    out += ["### Project cleaner: misses and leaks", ""]
    out += [f"- {pid}: {kind} {snip!r}" for pid, kind, snip in misses] or ["- none"]
    out.append("")
    if args.details:
        for ex in extractors:
            if ex.run is None or ex.name == "govarchive cleaners":
                continue
            out += [f"### {ex.name}: misses and leaks", ""]
            out += [f"- {pid}: {kind} {snip!r}" for pid, kind, snip in per["all"][ex.name].misses]
            out.append("")
    report = "\n".join(out)
    print(report)
    if not args.no_write:
        RESULTS.write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
