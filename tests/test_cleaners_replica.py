"""The cleaner against the replica's templates (Hanweb, TRS incl. GBK, Anhui/Lonsun).

The replica knows what it serves (``World.served_documents()``): title, body text and the
disclosure metadata of every document. Pages are rendered in-process (no socket) through
``ReplicaServer.handle`` with the replica's own response headers (GBK bodies, mislabelled
charsets, ...). Skipped when the replica package is not importable.
"""

from __future__ import annotations

import pytest

import cleaners

replica = pytest.importorskip("replica", reason="replica package not available")


@pytest.fixture(scope="module")
def served():
    world = replica.World(generation=0)
    server = replica.ReplicaServer(world)
    out = []
    for doc in world.served_documents():
        _host, _target, resp = server.handle("GET", doc.url, {}, b"")
        out.append((doc, resp))
    return out


def _sites(served):
    return sorted({doc.site for doc, _ in served})


def test_replica_documents_clean_exactly(served):
    assert served, "replica serves no documents"
    mismatches: dict[str, list] = {}
    counts: dict[str, int] = {}
    for doc, resp in served:
        assert resp.status == 200, doc.url
        rec = cleaners.clean(resp.body, doc.url, dict(resp.headers), site=doc.site)
        counts[doc.site] = counts.get(doc.site, 0) + 1
        problems = []
        if rec["title"] != doc.title:
            problems.append(("title", rec["title"], doc.title))
        if rec["text"] != doc.text:
            problems.append(("text", (rec["text"] or "")[:80], doc.text[:80]))
        for field, expected in doc.metadata.items():
            if field in rec and rec[field] != expected:
                problems.append((field, rec[field], expected))
        if problems:
            mismatches.setdefault(doc.site, []).append((doc.url, problems))
    report = {
        site: f"{len(bad)}/{counts[site]} differ, e.g. {bad[:3]}"
        for site, bad in mismatches.items()
    }
    assert report == {}


def test_replica_families_and_encodings(served):
    seen = {}
    for doc, resp in served:
        rec = cleaners.clean(resp.body, doc.url, dict(resp.headers), site=doc.site)
        seen.setdefault(doc.site, set()).add((rec["family"], rec["encoding"]))
        text = rec["text"] or ""
        for junk in (
            "Produced By",
            "扫一扫",
            "打印",
            "关闭",
            "当前位置",
            "索引号",
            "浏览次数",
            "ICP备",
            "网站标识码",
        ):
            assert junk not in text, (doc.url, junk)
    for site, pairs in seen.items():
        assert len(pairs) == 1, (site, pairs)  # one family / codec per site
        ((family, encoding),) = pairs
        # the made-up CMS portal carries no known fingerprint by design
        from replica.sites import SITES_BY_KEY

        assert family != "unknown" or SITES_BY_KEY[site].family == "custom", site
        assert encoding in ("utf-8", "gb18030"), (site, encoding)
