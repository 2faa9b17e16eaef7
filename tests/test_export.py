"""Exports (jsonl, txt, warc) read back from a real SQLite archive file."""

import gzip
import hashlib
import json
import os
from collections import Counter
from pathlib import Path

import pytest

from archive.export import (
    DOCUMENT_FIELDS,
    MAX_NAME_BYTES,
    REVISIT_NOT_MODIFIED,
    VERSION_FIELDS,
    ExportFilter,
    check_format,
    export,
    export_jsonl,
    export_txt,
    export_warc,
    open_readonly,
    safe_name,
)
from archive.rawcodec import decompress
from archive.schema import METADATA_COLUMNS
from archive.store import Archive

warcio = pytest.importorskip("warcio")
from warcio.archiveiterator import ArchiveIterator  # noqa: E402

A_URL = "http://www.wenshang.gov.cn/art/2024/1/15/art_70805_2771991.html"
B_URL = "http://www.wenshang.gov.cn/art/2023/6/1/art_70801_2755102.html"
C_URL = "http://www.qufu.gov.cn/art/2024/1/30/art_55120_2801217.html"
QUFU_LIST = "http://www.qufu.gov.cn/col/col55120/index.html"

A_TITLE = "汶上县司法局2023年度法治政府建设工作报告"
A_TEXT_1 = "一、主要举措\n全面推进严格规范公正文明执法。\n二、存在问题\n基层执法力量不足。"
A_TEXT_2 = A_TEXT_1 + "\n三、下一步工作打算\n持续深化行政执法体制改革。"
B_TITLE = "汶上县人民政府关于印发汶上县城市生活垃圾分类实施方案的通知"
B_TEXT = "各镇人民政府、街道办事处，县政府各部门：\n现将《汶上县城市生活垃圾分类实施方案》印发给你们，请认真贯彻执行。"
C_TITLE = "曲阜市2023年政府信息公开工作年度报告"
C_TEXT = "本报告由曲阜市人民政府办公室编制。\n一、总体情况\n2023年，曲阜市坚持以公开为常态、不公开为例外。"

BODY_A1 = f"<html><head><title>{A_TITLE}</title></head><body>{A_TEXT_1}</body></html>".encode()
BODY_A2 = f"<html><head><title>{A_TITLE}</title></head><body>{A_TEXT_2}</body></html>".encode()
BODY_B = f"<html><body><h1>{B_TITLE}</h1>{B_TEXT}</body></html>".encode()
BODY_C = f"<html><body><h1>{C_TITLE}</h1>{C_TEXT}</body></html>".encode("gb18030")
BODY_LIST = (
    "<html><body><ul><li>曲阜市2023年政府信息公开工作年度报告</li></ul></body></html>".encode()
)


def record(url, site, title, text, **kw):
    base = dict.fromkeys(METADATA_COLUMNS)
    base.update(title=title, text=text, url=url, site=site, **kw)
    return base


def build_archive(path: Path) -> Path:
    """Two sites, four documents' worth of captures: a change, a 304, a 404 and a listing."""
    a = Archive(path)
    try:
        fetch = a.record_fetch
        fetch(
            url=A_URL, site="wenshang", province="山东省", status=200, body=BODY_A1,
            headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"a-1"',
                     "Last-Modified": "Mon, 15 Jan 2024 02:00:00 GMT"},
            record=record(A_URL, "wenshang", A_TITLE, A_TEXT_1, index_no="11370830004345012X/2024-00012",
                          publisher="汶上县司法局", published_date="2024-01-15", category="法治政府建设"),
            cleaner_version="c1", fetched_at="2024-01-20T08:00:00+00:00",
        )  # fmt: skip
        fetch(
            url=B_URL, site="wenshang", province="山东省", status=200, body=BODY_B,
            headers={"Content-Type": "text/html; charset=utf-8"},
            record=record(B_URL, "wenshang", B_TITLE, B_TEXT, publisher="汶上县人民政府办公室",
                          written_date="2023-05-28", published_date="2023-06-01",
                          doc_number="汶政发〔2023〕7号", category="政策文件", validity="有效"),
            cleaner_version="c1", fetched_at="2024-01-20T08:05:00+00:00",
        )  # fmt: skip
        fetch(
            url=C_URL, site="qufu", province="山东省", status=200, body=BODY_C,
            headers={"Content-Type": "text/html; charset=gb2312", "ETag": '"c-1"'},
            record=record(C_URL, "qufu", C_TITLE, C_TEXT, publisher="曲阜市人民政府办公室",
                          published_date="2024-01-30", category="政府信息公开年报"),
            cleaner_version="c1", fetched_at="2024-02-10T09:30:00+00:00",
        )  # fmt: skip
        fetch(
            url=QUFU_LIST, site="qufu", status=200, body=BODY_LIST, kind="listing", record=None,
            headers={"Content-Type": "text/html"}, fetched_at="2024-02-10T09:29:00+00:00",
        )  # fmt: skip
        fetch(  # the report was amended, fetched under a template variant of its URL
            url=A_URL + "?xxgkhide=1", site="wenshang", province="山东省", status=200, body=BODY_A2,
            headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"a-2"'},
            record=record(A_URL, "wenshang", A_TITLE, A_TEXT_2, index_no="11370830004345012X/2024-00012",
                          publisher="汶上县司法局", published_date="2024-01-15", category="法治政府建设"),
            cleaner_version="c2", fetched_at="2024-03-05T10:00:00+00:00",
        )  # fmt: skip
        a.record_not_modified(
            url=A_URL, site="wenshang", headers={"ETag": '"a-2"'},
            fetched_at="2024-04-01T06:00:00+00:00",
        )  # fmt: skip
        a.record_failure(
            url=B_URL, site="wenshang", status=404, outcome="gone",
            fetched_at="2024-04-01T06:01:00+00:00",
        )  # fmt: skip
    finally:
        a.close()
    return path


@pytest.fixture
def db_path(tmp_path):
    return build_archive(tmp_path / "archive.db")


@pytest.fixture
def db(db_path):
    database = open_readonly(db_path)
    yield database
    database.conn.close()


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- jsonl ------------------------------------------------------------------------------------


def test_jsonl_documents_in_id_order_with_all_fields(db, tmp_path):
    out = tmp_path / "out" / "docs.jsonl"
    assert export_jsonl(db, out) == 3
    raw = out.read_text(encoding="utf-8")
    assert A_TITLE in raw  # not \u-escaped
    assert not (tmp_path / "out" / "docs.jsonl.part").exists()
    rows = read_jsonl(out)
    assert [list(r) for r in rows] == [list(DOCUMENT_FIELDS)] * 3
    assert [r["title"] for r in rows] == [A_TITLE, B_TITLE, C_TITLE]
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    a, b, c = rows
    assert a["text"] == A_TEXT_2 and a["version_count"] == 2 and a["status"] == "live"
    assert a["url"] == A_URL and a["site"] == "wenshang" and a["province"] == "山东省"
    assert a["year"] == 2024 and a["publisher"] == "汶上县司法局"
    assert a["last_changed"].startswith("2024-03-05") and a["last_seen"].startswith("2024-04-01")
    assert a["first_seen"].startswith("2024-01-20")
    assert b["status"] == "gone" and b["doc_number"] == "汶政发〔2023〕7号" and b["year"] == 2023
    assert c["site"] == "qufu" and c["text"] == C_TEXT and c["cluster_id"] == c["id"]


def test_jsonl_filters(db, tmp_path):
    def titles(**kw):
        out = tmp_path / "f.jsonl"
        n = export_jsonl(db, out, **kw)
        rows = read_jsonl(out)
        assert n == len(rows)
        return [r["title"] for r in rows]

    assert titles(site="qufu") == [C_TITLE]
    assert titles(site="wenshang") == [A_TITLE, B_TITLE]
    assert titles(category="政策文件") == [B_TITLE]
    assert titles(category="政策") == []  # exact match, not a prefix
    assert titles(since="2024-02-01") == [A_TITLE, C_TITLE]  # changed or added since
    assert titles(since="2024-03-05") == [A_TITLE]  # the whole UTC day counts
    assert titles(since="2024-03-06") == []
    assert titles(site="wenshang", since="2024-02-01") == [A_TITLE]
    assert titles(site="nowhere") == []


def test_jsonl_all_versions(db, tmp_path):
    out = tmp_path / "versions.jsonl"
    assert export_jsonl(db, out, all_versions=True) == 4
    rows = read_jsonl(out)
    assert [list(r) for r in rows] == [list(VERSION_FIELDS)] * 4
    assert [(r["title"], r["version"]) for r in rows] == [
        (A_TITLE, 1), (A_TITLE, 2), (B_TITLE, 1), (C_TITLE, 1)
    ]  # fmt: skip
    a1, a2 = rows[0], rows[1]
    assert a1["document_id"] == a2["document_id"] and a1["version_id"] < a2["version_id"]
    assert (a1["text"], a2["text"]) == (A_TEXT_1, A_TEXT_2)
    assert (a1["cleaner_version"], a2["cleaner_version"]) == ("c1", "c2")
    assert (a1["is_current"], a2["is_current"]) == (False, True)
    assert a1["first_seen"].startswith("2024-01-20") and a2["first_seen"].startswith("2024-03-05")
    assert a2["last_seen"].startswith("2024-04-01")  # the 304 touched the current version
    assert a1["raw_digest"] == hashlib.sha256(BODY_A1).hexdigest()
    assert a1["url"] == A_URL and a1["site"] == "wenshang"
    # filters select documents; every version of a selected document comes with its number
    export_jsonl(db, out, all_versions=True, since="2024-03-01")
    assert [(r["title"], r["version"]) for r in read_jsonl(out)] == [(A_TITLE, 1), (A_TITLE, 2)]


def test_jsonl_to_stdout_and_dispatch(db, capsys):
    assert export(db, "JSONL", "-", site="qufu") == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["title"] == C_TITLE


def test_accepts_an_archive_object(db_path, tmp_path):
    archive = Archive(db_path)
    try:
        assert export_jsonl(archive, tmp_path / "x.jsonl", site="wenshang") == 2
    finally:
        archive.close()


# -- txt --------------------------------------------------------------------------------------


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_txt_tree_and_contents(db, tmp_path):
    out = tmp_path / "txt"
    assert export_txt(db, out) == 3
    files = tree(out)
    assert files == [
        f"qufu/2024/2024-01-30_3_{C_TITLE}.txt",
        f"wenshang/2023/2023-06-01_2_{B_TITLE}.txt",
        f"wenshang/2024/2024-01-15_1_{A_TITLE}.txt",
    ]
    assert (out / files[2]).read_text(encoding="utf-8") == f"{A_TITLE}\n\n{A_TEXT_2}\n"
    assert (out / files[0]).read_bytes().decode("utf-8") == f"{C_TITLE}\n\n{C_TEXT}\n"
    # re-running refreshes the same files
    assert export_txt(db, out, site="qufu") == 1 and tree(out) == files


def test_txt_all_versions(db, tmp_path):
    out = tmp_path / "txt"
    assert export_txt(db, out, all_versions=True, site="wenshang") == 3
    assert tree(out) == [
        f"wenshang/2023/2023-06-01_2_v1_{B_TITLE}.txt",
        f"wenshang/2024/2024-01-15_1_v1_{A_TITLE}.txt",
        f"wenshang/2024/2024-01-15_1_v2_{A_TITLE}.txt",
    ]
    v1 = out / f"wenshang/2024/2024-01-15_1_v1_{A_TITLE}.txt"
    assert v1.read_text(encoding="utf-8") == f"{A_TITLE}\n\n{A_TEXT_1}\n"


HOSTILE_TITLES = [
    "../../etc/passwd",
    "..\\..\\x",
    "a/b:c*?",
    "CON",
    "nul.txt",
    "COM1",
    "...",
    "  .hidden. . ",
    '<script>"|"</script>',
    "标题\x00带\x1b[31m控制\u202e字符\n第二行",
    "关于" + "汶上县城乡居民基本医疗保险" * 20 + "的通知",  # far over 120 bytes
    "",
]


def hostile_archive(path: Path, site: str = "../evil") -> None:
    a = Archive(path)
    try:
        for i, title in enumerate(HOSTILE_TITLES):
            url = f"http://www.example.gov.cn/art/2024/5/{i + 1}/art_1_{i}.html"
            a.record_fetch(
                url=url, site=site, status=200, headers={}, body=f"<p>{i}</p>".encode(),
                record=record(url, site, title, f"第{i}号文件正文，内容各不相同：{'甲乙丙丁'[i % 4] * i}",
                              published_date="2024-05-01" if i % 2 else "../2024"),
                fetched_at=f"2024-05-0{1 + i % 9}T00:00:00+00:00",
            )  # fmt: skip
    finally:
        a.close()


def test_txt_hostile_titles_stay_inside_out(tmp_path):
    hostile_archive(tmp_path / "h.db")
    db = open_readonly(tmp_path / "h.db")
    out = tmp_path / "deep" / "out"
    try:
        assert export_txt(db, out) == len(HOSTILE_TITLES)
        assert export_txt(db, out, all_versions=True) == len(HOSTILE_TITLES)
    finally:
        db.conn.close()
    # nothing was written beside OUT: only the archive files and OUT itself exist
    assert {p.name for p in tmp_path.iterdir()} <= {"h.db", "h.db-wal", "h.db-shm", "deep"}
    assert [p.name for p in (tmp_path / "deep").iterdir()] == ["out"]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) == 2 * len(HOSTILE_TITLES)  # unique names: nothing overwritten
    assert [p.name for p in out.iterdir()] == ["_evil"]  # the site name was sanitised too
    root = out.resolve()
    for path in files:
        assert path.resolve().is_relative_to(root)
        rel = path.relative_to(out)
        assert len(rel.parts) == 3 and rel.parts[1] in ("2024", "unknown")
        name = path.name
        assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
        assert not any(ch in name for ch in '<>:"/\\|?*') and ".." not in name
        assert not any(ord(ch) < 32 or ch == "\u202e" for ch in name)
        assert not name.startswith(".") and name == name.rstrip(". ")
        assert name.split(".")[0].upper() not in {"CON", "NUL", "COM1", "PRN", "AUX"}
    names = {p.name for p in files}
    assert "nodate_1__._etc_passwd.txt" in names and "nodate_1_v1__._etc_passwd.txt" in names
    long_name = next(n for n in names if "医疗保险" in n and "_v1_" not in n)
    assert long_name.endswith(".txt") and len(long_name.encode()) > MAX_NAME_BYTES - 4
    # the files still hold the real title, whatever their name
    contents = {p.read_text(encoding="utf-8").split("\n\n", 1)[0] for p in files}
    assert "../../etc/passwd" in contents and "a/b:c*?" in contents


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("../../etc/passwd", "_._etc_passwd"),
        ("..\\..\\x", "_._x"),
        ("a/b:c*?", "a_b_c__"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("Lpt9 .log", "_Lpt9 .log"),
        ("CONSOLE", "CONSOLE"),
        ("..", "_"),
        ("", "_"),
        (None, "_"),
        (" .env ", "env"),
        ("name. . .", "name"),
        ("曲阜市\t政府\r\n信息", "曲阜市 政府 信息"),
    ],
)
def test_safe_name(value, expected):
    assert safe_name(value) == expected


def test_safe_name_truncates_on_a_character_boundary():
    title = "曲阜市人民政府办公室关于" * 30
    name = safe_name(title)
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert title.startswith(name) and len(name) == MAX_NAME_BYTES // 3
    assert safe_name("a" + "政" * 50, max_bytes=10) == "a政政政"


# -- warc -------------------------------------------------------------------------------------


def read_warc(path: Path) -> list[dict]:
    out = []
    with open(path, "rb") as stream:
        for rec in ArchiveIterator(stream, check_digests=True):
            out.append({
                "type": rec.rec_type,
                "uri": rec.rec_headers.get_header("WARC-Target-URI"),
                "date": rec.rec_headers.get_header("WARC-Date"),
                "headers": dict(rec.rec_headers.headers),
                "status": rec.http_headers.get_statuscode() if rec.http_headers else None,
                "http": dict(rec.http_headers.headers) if rec.http_headers else {},
                "payload": rec.content_stream().read(),
                "id": rec.rec_headers.get_header("WARC-Record-ID"),
            })  # fmt: skip
    return out


def test_warc_records_read_back(db, db_path, tmp_path):
    out = tmp_path / "crawl.warc.gz"
    skipped = Counter()
    assert export_warc(db, out, skipped=skipped) == 6
    assert skipped == Counter({"gone": 1})
    assert out.read_bytes()[:2] == b"\x1f\x8b"  # gzip
    assert gzip.decompress(out.read_bytes()).startswith(b"WARC/1.1\r\n")
    recs = read_warc(out)
    assert [(r["type"], r["uri"]) for r in recs] == [
        ("warcinfo", None),
        ("response", A_URL),
        ("response", B_URL),
        ("response", C_URL),
        ("response", QUFU_LIST),
        ("response", A_URL + "?xxgkhide=1"),
        ("revisit", A_URL),
    ]
    bodies = [BODY_A1, BODY_B, BODY_C, BODY_LIST, BODY_A2]
    assert [r["payload"] for r in recs[1:6]] == bodies
    # the bodies are exactly the ones stored in the archive
    stored = {d: decompress(c, b) for d, c, b in db.execute("SELECT digest, codec, body FROM raw")}
    assert all(stored[hashlib.sha256(b).hexdigest()] == b for b in bodies)
    a1, b, c = recs[1], recs[2], recs[3]
    assert a1["date"] == "2024-01-20T08:00:00Z" and a1["status"] == "200"
    assert a1["http"]["Content-Type"] == "text/html; charset=utf-8"
    assert a1["http"]["ETag"] == '"a-1"'
    assert a1["http"]["Last-Modified"] == "Mon, 15 Jan 2024 02:00:00 GMT"
    assert a1["http"]["Content-Length"] == str(len(BODY_A1))
    assert "ETag" not in b["http"] and c["http"]["Content-Type"] == "text/html; charset=gb2312"
    revisit = recs[6]
    h = revisit["headers"]
    assert revisit["status"] == "304" and revisit["payload"] == b""
    assert revisit["date"] == "2024-04-01T06:00:00Z"
    assert h["WARC-Profile"] == REVISIT_NOT_MODIFIED
    assert h["WARC-Refers-To-Target-URI"] == A_URL + "?xxgkhide=1"
    assert h["WARC-Refers-To-Date"] == "2024-03-05T10:00:00Z"
    assert h["WARC-Refers-To"] == recs[5]["id"]
    assert revisit["http"]["ETag"] == '"a-2"'
    # record ids are stable: a second export is the same apart from the warcinfo record
    again = tmp_path / "again.warc.gz"
    export_warc(db, again)
    assert [r["id"] for r in read_warc(again)[1:]] == [r["id"] for r in recs[1:]]


def test_warc_filters(db, tmp_path):
    out = tmp_path / "f.warc.gz"
    assert export_warc(db, out, site="qufu") == 2
    assert [r["uri"] for r in read_warc(out)[1:]] == [C_URL, QUFU_LIST]
    skipped = Counter()
    assert export_warc(db, out, since="2024-03-01", skipped=skipped) == 2
    recs = read_warc(out)
    assert [r["type"] for r in recs[1:]] == ["response", "revisit"] and skipped["gone"] == 1
    # the revisit still points at its response, which is in this file
    assert recs[2]["headers"]["WARC-Refers-To-Date"] == "2024-03-05T10:00:00Z"


def test_revisit_without_earlier_response(tmp_path):
    a = Archive(tmp_path / "r.db")
    a.record_not_modified(url=C_URL, site="qufu", headers={}, fetched_at="2024-06-01T00:00:00Z")
    a.close()
    db = open_readonly(tmp_path / "r.db")
    assert export_warc(db, tmp_path / "r.warc.gz") == 1
    db.conn.close()
    (rec,) = read_warc(tmp_path / "r.warc.gz")[1:]
    assert rec["type"] == "revisit" and rec["date"] == "2024-06-01T00:00:00Z"
    assert "WARC-Refers-To-Target-URI" not in rec["headers"]


# -- arguments --------------------------------------------------------------------------------


@pytest.mark.parametrize("since", ["2024/03/01", "2024-02-30", "yesterday", "20240301", " "])
def test_bad_since_is_a_clear_error(db, tmp_path, since):
    with pytest.raises(ValueError, match="--since"):
        export_jsonl(db, tmp_path / "x.jsonl", since=since)
    assert not (tmp_path / "x.jsonl").exists() and not (tmp_path / "x.jsonl.part").exists()


def test_bad_arguments(db, tmp_path):
    with pytest.raises(ValueError, match="unknown export format 'pdf'.*jsonl, txt, warc"):
        export(db, "pdf", tmp_path / "x")
    with pytest.raises(ValueError, match="unknown export format"):
        check_format("")
    with pytest.raises(ValueError, match="--category does not apply to the warc format"):
        export_warc(db, tmp_path / "x.warc.gz", category="政策文件")
    with pytest.raises(ValueError, match="--all-versions does not apply"):
        export(db, "warc", tmp_path / "x.warc.gz", all_versions=True)
    with pytest.raises(ValueError, match="--out must be a directory"):
        export_txt(db, "-")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="not a directory"):
        export_txt(db, tmp_path / "file")
    with pytest.raises(ValueError, match="is a directory"):
        export_jsonl(db, tmp_path)
    with pytest.raises(ValueError, match="--site must be a non-empty string"):
        ExportFilter(site="")
    assert ExportFilter(since="2024-03-01").since == "2024-03-01"
    with pytest.raises(FileNotFoundError):
        open_readonly(tmp_path / "missing.db")
    with pytest.raises(ValueError, match="not a govarchive archive"):
        import sqlite3

        sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.close()
        open_readonly(tmp_path / "other.db")


def test_export_does_not_write_to_the_archive(db_path, tmp_path):
    before = os.stat(db_path).st_mtime_ns, db_path.read_bytes()
    db = open_readonly(db_path)
    export_jsonl(db, tmp_path / "a.jsonl")
    export_txt(db, tmp_path / "t")
    export_warc(db, tmp_path / "a.warc.gz")
    with pytest.raises(Exception, match="readonly"):
        db.execute("DELETE FROM documents")
    db.conn.close()
    assert (os.stat(db_path).st_mtime_ns, db_path.read_bytes()) == before


@pytest.mark.parametrize(
    "filters",
    [{}, {"site": "qufu"}, {"since": "2024-02-01"}, {"category": "政策文件", "site": "wenshang"}],
)
def test_queries_stream_without_sorting(db, tmp_path, filters):
    """Each export query walks its table in id order: no temporary B-tree holding the result."""
    seen: list[tuple[str, list]] = []
    with db.tracer(lambda sql, params: seen.append((sql, params))):
        export_jsonl(db, tmp_path / "a.jsonl", **filters)
        export_jsonl(db, tmp_path / "v.jsonl", all_versions=True, **filters)
        warc_filters = {k: v for k, v in filters.items() if k != "category"}
        export_warc(db, tmp_path / "a.warc.gz", **warc_filters)
    queries = [(sql, p) for sql, p in seen if "ORDER BY" in sql and "LIMIT" not in sql]
    assert len(queries) == 3
    for sql, params in queries:
        plan = " | ".join(r[-1] for r in db.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "TEMP B-TREE" not in plan, plan
