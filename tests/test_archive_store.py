"""The archive on a real SQLite file: captures, one document per URL key, versions on change."""

import sqlite3
import zlib

import pytest
import zstandard

from archive.store import Archive


def record(
    url, title="汶上县司法局2023年度法治政府建设报告", text="一、主要举措\n二、存在问题", **kw
):
    base = dict.fromkeys(
        [
            "index_no",
            "publisher",
            "written_date",
            "published_date",
            "doc_number",
            "category",
            "validity",
            "abolished_date",
            "disclosure",
            "source",
        ]
    )
    base.update(title=title, text=text, url=url, site="wenshang", **kw)
    return base


URL = "http://www.wenshang.gov.cn/art/2024/3/2/art_70805_2771991.html"
URL2 = "http://www.wenshang.gov.cn/art/2024/3/5/art_70805_2771999.html"


@pytest.fixture
def archive(tmp_path):
    a = Archive(tmp_path / "archive.db")
    yield a
    a.close()


def fetch(archive, url, rec, body=b"<html>v1</html>", headers=None):
    return archive.record_fetch(
        url=url,
        site="wenshang",
        status=200,
        headers=headers or {"ETag": '"abc"'},
        body=body,
        record=rec,
        cleaner_version="test",
    )


def test_new_unchanged_changed_and_gone(archive, tmp_path):
    assert fetch(archive, URL + "?xxgkhide=1", record(URL)).outcome == "new"
    # the same document under another URL variant, same content: no new document, no new version
    again = fetch(archive, URL, record(URL), body=b"<html>v1 with other counter</html>")
    assert again.outcome == "unchanged"
    changed = fetch(
        archive, URL, record(URL, text="一、主要举措\n二、存在问题\n三、下一步"), body=b"v2"
    )
    assert changed.outcome == "changed"
    gone = archive.record_failure(url=URL, site="wenshang", status=404, outcome="gone")
    assert gone.document_id == changed.document_id

    conn = sqlite3.connect(tmp_path / "archive.db")
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1
    assert conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0] == 2
    assert conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == 4
    status, versions, text = conn.execute(
        "SELECT status, version_count, text FROM documents_with_text"
    ).fetchone()
    assert (status, versions) == ("gone", 2)
    assert text.endswith("三、下一步")
    outcomes = [r[0] for r in conn.execute("SELECT outcome FROM captures ORDER BY id")]
    assert outcomes == ["new", "unchanged", "changed", "gone"]


def test_raw_bytes_stored_once_compressed(archive, tmp_path):
    body = "汶上县".encode() * 1000
    fetch(archive, URL, record(URL), body=body)
    fetch(archive, URL, record(URL), body=body)
    conn = sqlite3.connect(tmp_path / "archive.db")
    rows = conn.execute("SELECT digest, size, codec, body FROM raw").fetchall()
    assert len(rows) == 1
    digest, size, codec, blob = rows[0]
    assert codec == "zstd" and zstandard.ZstdDecompressor().decompress(blob) == body
    assert size == len(body) and len(blob) < len(body)
    assert archive.raw_body(digest) == body


def test_schema_2_archive_is_upgraded_and_its_zlib_bodies_stay_readable(tmp_path):
    path = tmp_path / "v2.db"
    archive = Archive(path)
    fetch(archive, URL, record(URL), body=b"<html>old</html>")
    archive.close()
    # make it what schema 2 wrote: column body_zlib, zlib-compressed, no codec column
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE raw DROP COLUMN codec")
    conn.execute("ALTER TABLE raw RENAME COLUMN body TO body_zlib")
    conn.execute("UPDATE raw SET body_zlib = ?", [zlib.compress(b"<html>old</html>")])
    conn.execute("UPDATE archive_meta SET value = '2' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    archive = Archive(path)
    fetch(archive, URL2, record(URL2), body=b"<html>new</html>")
    codecs = [r[0] for r in archive.db.execute("SELECT codec FROM raw ORDER BY codec")]
    assert codecs == ["zlib", "zstd"]
    bodies = {archive.raw_body(d) for (d,) in archive.db.execute("SELECT digest FROM raw")}
    assert bodies == {b"<html>old</html>", b"<html>new</html>"}
    version = archive.db.execute("SELECT value FROM archive_meta").fetchone()[0]
    assert version == "3"


def test_validators_come_from_latest_capture(archive):
    fetch(
        archive,
        URL,
        record(URL),
        headers={"ETag": '"v1"', "Last-Modified": "Sat, 02 Mar 2024 09:08:00 GMT"},
    )
    fetch(archive, URL + "?xxgkhide=1", record(URL), headers={"etag": '"v2"'})
    assert archive.validators(URL) == ('"v2"', None)
    assert archive.validators("http://www.wenshang.gov.cn/other.html") == (None, None)


def test_unknown_outcome_is_rejected(archive):
    with pytest.raises(ValueError, match="unknown outcome"):
        archive.record_failure(url=URL, site="x", status=None, outcome="exploded")


def test_reopening_existing_archive_keeps_data(tmp_path):
    a = Archive(tmp_path / "a.db")
    fetch(a, URL, record(URL))
    a.close()
    b = Archive(tmp_path / "a.db")
    assert [d["title"] for d in b.documents()] == ["汶上县司法局2023年度法治政府建设报告"]
    assert b.site_summary()[0]["documents"] == 1
    b.close()


def test_not_modified_capture_keeps_document_and_validators(archive, tmp_path):
    first = fetch(archive, URL, record(URL), headers={"ETag": '"v1"'})
    result = archive.record_not_modified(url=URL, site="wenshang", headers={})
    assert (result.outcome, result.document_id, result.version_id) == (
        "not-modified",
        first.document_id,
        first.version_id,
    )
    # the 304 carried no ETag: the next conditional GET still has one to send
    assert archive.validators(URL) == ('"v1"', None)
    conn = sqlite3.connect(tmp_path / "archive.db")
    assert conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0] == 1
    assert conn.execute(
        "SELECT outcome, status FROM captures ORDER BY id DESC LIMIT 1"
    ).fetchone() == (
        "not-modified",
        304,
    )


def test_a_batch_commits_its_records_together_and_undoes_a_failing_one_alone(
    archive, tmp_path, monkeypatch
):
    """open_batch/commit_batch (a crawl's pages, many per commit): other connections see the
    records only once committed; a record that fails midway leaves nothing of itself."""
    db = tmp_path / "archive.db"

    def seen(sql):
        with sqlite3.connect(db) as conn:
            return conn.execute(sql).fetchone()[0]

    archive.open_batch()
    fetch(archive, URL, record(URL), body=b"<html>one</html>")
    assert seen("SELECT COUNT(*) FROM captures") == 0  # not committed yet
    real_upsert = archive._upsert_document

    def broken(url, *args, **kwargs):
        if url == URL2:  # after the raw body and before the capture: a half-written record
            raise RuntimeError("cleaner output the archive cannot take")
        return real_upsert(url, *args, **kwargs)

    monkeypatch.setattr(archive, "_upsert_document", broken)
    with pytest.raises(RuntimeError):
        fetch(archive, URL2, record(URL2, title="另一份报告"), body=b"<html>two</html>")
    third = "http://www.wenshang.gov.cn/art/2024/3/9/art_70805_2772005.html"
    fetch(archive, third, record(third, title="第三份报告", text="三、下一步工作"),
          body=b"<html>three</html>")  # fmt: skip
    archive.commit_batch()
    assert not archive.in_batch
    assert seen("SELECT COUNT(*) FROM captures") == 2
    assert seen("SELECT COUNT(*) FROM raw") == 2  # the failed record's body is gone too
    assert seen("SELECT COUNT(*) FROM documents") == 2
    # and both committed documents are searchable: the batch's index was written at commit
    assert seen("SELECT COUNT(*) FROM documents_fts") == 2
