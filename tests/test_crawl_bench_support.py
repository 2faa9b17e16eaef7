"""What bench/crawl_bench.py relies on: replica latency and per-host counters, the sweep world,
seeded mutations, extra site files and the report-columns-only crawl — over real HTTP."""

from __future__ import annotations

import http.client
import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from archive.identity import url_key
from crawler.families import get_adapter
from replica import ReplicaServer, World
from replica.sweep import CRAWLER_FAMILY, LATEST_REPORT_YEAR, SweepWorld, mutate


def get(address: str, url: str) -> tuple[int, bytes]:
    """One proxy-form GET, as the crawler sends it."""
    host, port = address.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", url)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_latency_and_max_in_flight_per_host():
    world = World()
    wenshang, lushan = world.portal("wenshang").site, world.portal("lushan").site
    with ReplicaServer(world, latency=0.3) as server:
        results: list[float] = []

        def fetch(url: str) -> None:
            start = time.monotonic()
            status, _ = get(server.address, url)
            assert status == 200
            results.append(time.monotonic() - start)

        urls = [wenshang.columns[0].url] * 3 + [lushan.columns[0].url]
        threads = [threading.Thread(target=fetch, args=(u,)) for u in urls]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 4 and min(results) >= 0.3  # every answer waited
        # three overlapping requests to one host, one to the other
        assert server.max_in_flight == {wenshang.host: 3, lushan.host: 1}
        assert server.in_flight == {wenshang.host: 0, lushan.host: 0}
        assert server.bytes_sent[wenshang.host] > 3 * 10_000  # three full column pages
        server.reset_counters()
        assert not server.request_log and not server.max_in_flight and not server.bytes_sent


def test_sweep_world_serves_each_portal_and_its_report():
    world = SweepWorld(portals=8, seed=7)
    assert {s.family for s in world.sites} >= {"hanweb", "trs", "gkmlpt"}
    latest = {r.site: r for r in world.annual_reports(LATEST_REPORT_YEAR) if r.government}
    assert set(latest) == {s.key for s in world.sites}  # every government has its report
    with ReplicaServer(world) as server:
        for site in world.sites:
            report = latest[site.key]
            column = site.columns[0]
            status, body = get(server.address, column.url)
            assert status == 200, column.url
            text = body.decode(site.encoding)
            # the crawler's adapter for the family finds the report on the column's first page
            listing = get_adapter(CRAWLER_FAMILY[site.family]).parse_listing(column.url, text)
            assert url_key(report.url) in {url_key(u) for u in listing.details}, site.family
            status, body = get(server.address, report.url)
            assert status == 200 and report.title in body.decode(site.encoding)


def test_mutate_makes_exactly_n_changes_seen_over_http():
    world = World()
    before = {d.url: d for d in world.served_documents()}
    done = mutate(world, 9, seed=3, sites=["wenshang", "lushan"])
    assert len(done) == 9 and done.added and done.edited and done.removed
    after = {d.url: d for d in world.served_documents()}
    assert set(after) == (set(before) | {d.url for d in done.added}) - {d.url for d in done.removed}
    changed = {u for u in set(before) & set(after) if before[u].text != after[u].text}
    assert changed == {d.url for d in done.edited}
    assert world.now == World().now  # the clock did not move
    with ReplicaServer(world) as server:
        assert get(server.address, done.removed[0].url)[0] == 404
        assert get(server.address, done.added[0].url)[0] == 200


@pytest.fixture
def sites_file(tmp_path, monkeypatch):
    """A sweep world's columns as an extra sites file, loaded by the registry."""
    from crawler import sites

    world = SweepWorld(portals=4, seed=11)
    path = tmp_path / "survey.toml"
    path.write_text(world.sites_toml(), "utf-8")
    monkeypatch.setenv("GOVARCHIVE_SITES", str(path))
    sites.load_sites.cache_clear()
    sites._host_index.cache_clear()
    yield world, path
    monkeypatch.delenv("GOVARCHIVE_SITES")
    sites.load_sites.cache_clear()
    sites._host_index.cache_clear()


def test_extra_sites_file_gives_registry_rows_family_and_columns(sites_file):
    from crawler.sites import get_site, site_for_url

    world, _ = sites_file
    for spec in world.sites:
        site = get_site(spec.key)
        assert site.in_registry and site.admin_code  # the row's facts are kept
        assert site.family == CRAWLER_FAMILY[spec.family]
        assert [c.url for c in site.columns] == [c.url for c in spec.columns]
        assert [c.name for c in site.crawl_columns(reports_only=True)] == ["法治政府建设"]
        assert site_for_url(spec.columns[0].url).key == spec.key


def test_report_columns_only_crawl_finds_every_report(sites_file, tmp_path):
    from archive.reports import find_annual_reports

    world, path = sites_file
    db = tmp_path / "sweep.db"
    with ReplicaServer(world) as server:
        result = subprocess.run(
            [sys.executable, "-m", "govarchive", "crawl", *[s.key for s in world.sites],
             "--replica", server.address, "--db", str(db), "--set", "GOVARCHIVE_COLUMNS=reports",
             "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False"],
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "GOVARCHIVE_SITES": str(path)},
        )  # fmt: skip
        log = list(server.request_log)
    assert result.returncode == 0, result.stderr[-3000:]
    notice_columns = {c.url for s in world.sites for c in s.columns[1:]}
    fetched = {f"{s.scheme}://{h}{t}" for h, _, t, _ in log for s in world.sites if s.host == h}
    assert not fetched & notice_columns  # only the report columns were walked
    conn = sqlite3.connect(db)
    import sqlite_utils

    found = set()
    for year in {r.year for r in world.annual_reports()}:
        found |= {url_key(r.url) for r in find_annual_reports(sqlite_utils.Database(conn), year)}
    assert {url_key(r.url) for r in world.annual_reports()} <= found
