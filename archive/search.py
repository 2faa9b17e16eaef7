"""Chinese full-text search: a bigram-segmented, contentless FTS5 index of the current documents.

SQLite's unicode61 tokenizer makes a whole run of Han characters one token and the trigram
tokenizer ignores terms shorter than three characters, so neither finds 复议 inside
行政复议决定书. We segment in Python instead: every Han run becomes its overlapping character
bigrams plus its last character as a unigram (行政复议 → 行政 政复 复议 议), Latin/digit runs stay
words, and a user query is segmented the same way into FTS5 phrases. The trailing unigram is what
lets a single-character query (`法` → `"法"*`) also find 法 at the end of a run (宪法), and a
query like 2023年 reach 2023年度.

The index `documents_fts(title, body)` is contentless (content=''), rowid = documents.id: the
segmented text is about three times the size of the original, and Datasette only needs
`select rowid ... match` and bm25. SQLite before 3.43 cannot delete from a contentless table
except with the original values, so `documents_fts_docs` remembers what each row was built
from: the title and a reference to `texts` (or, for a text not in `texts`, the text itself).
The index is always built from `texts`, never from the caller's copy, so `index_document` and
`rebuild_search_index` produce the same tokens.

A document's body in the index is its text followed by the text of its attachments whose status
is ok (table `attachments`, see `archive.attachments`; one that is the document's own text, a
stub page's, is not repeated). `documents_fts_docs.extra_hashes` lists the `texts` hashes of the
attachments a row was built with, so a delete gives FTS5 exactly the tokens it indexed.
"""

from __future__ import annotations

import operator
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator

import sqlite_utils

FTS_TABLE = "documents_fts"
DOCS_TABLE = "documents_fts_docs"  # what each index row was built from (for deletes)
STATE_TABLE = "documents_fts_state"  # segmenter version the index was built with
# Bump when segment() changes: deleting with other tokens than were indexed corrupts the index.
SEGMENTER_VERSION = "bigram-1"
# bm25 column weights: a hit in the title counts as much as several in the body.
TITLE_WEIGHT, BODY_WEIGHT = 5.0, 1.0
MAX_QUERY_CHARS = 256  # longer input is cut: a pasted paragraph is not a sensible query
MAX_QUERY_TERMS = 32

# CJK ideographs (BMP, extension A, compatibility, supplementary planes) and 〇.
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# A Han run may be broken by whitespace (spaced-out titles like 通  知, line breaks in PDFs);
# a word is letters/digits of any other script.
_RUN_RE = re.compile(rf"(?P<han>[{_HAN}](?:\s*[{_HAN}])*)|(?P<word>[^\W_{_HAN}]+)")
_SPACE_RE = re.compile(r"\s+")


def _normalize(text: str) -> str:
    # Full-width letters/digits (ＡＢＣ１２３) and compatibility ideographs fold to the usual form.
    return unicodedata.normalize("NFKC", text)


def _runs(text: str) -> Iterator[tuple[bool, str]]:
    """(is_han, run) pairs of a normalized text; punctuation and spaces only separate runs."""
    for m in _RUN_RE.finditer(text):
        if m.group("han"):
            yield True, _SPACE_RE.sub("", m.group("han"))
        else:
            yield False, m.group("word").lower()


def _han_tokens(run: str, trailing_unigram: bool) -> list[str]:
    if len(run) == 1:
        return [run]
    tokens = [run[i : i + 2] for i in range(len(run) - 1)]
    if trailing_unigram:
        tokens.append(run[-1])
    return tokens


def segment(text: str | None, *, nfkc: bool = False) -> str:
    """Index form of a text: space-separated bigrams, end-of-run unigrams and words.

    `nfkc=True` says the caller already NFKC-normalised the text (ingest normalises once).
    """
    if not text:
        return ""
    # Hot path of ingest and rebuild: the same tokens as _runs/_han_tokens, inlined.
    out: list[str] = []
    extend, append = out.extend, out.append
    for han, word in _RUN_RE.findall(text if nfkc else _normalize(text)):
        if not han:
            append(word.lower())
        elif len(han) == 1:
            append(han)
        else:
            if not han.isalnum():  # whitespace inside the run
                han = "".join(han.split())
            extend(map(operator.add, han, han[1:]))
            append(han[-1])
    return " ".join(out)


def _phrase(term: str) -> str | None:
    """One user term (a word or a quoted phrase) as an FTS5 phrase of index tokens.

    A Han run inside the term is followed by a unigram only when something follows it in the
    term, which mirrors the index, where every run ends with one. A term ending in a single Han
    character is a prefix query, so 法 finds 法治 and 宪法, and 2023年 finds 2023年度.
    """
    runs = list(_runs(_normalize(term)))
    if not runs:
        return None
    tokens: list[str] = []
    for i, (is_han, run) in enumerate(runs):
        last = i == len(runs) - 1
        tokens.extend(_han_tokens(run, trailing_unigram=not last) if is_han else [run])
    is_han, run = runs[-1]
    prefix = "*" if is_han and len(run) == 1 else ""
    # Tokens hold only letters, digits and ideographs, so the quotes cannot be broken out of.
    return '"' + " ".join(tokens) + '"' + prefix


_QUERY_TERM_RE = re.compile(r'"([^"]*)"?|(\S+)')


def segment_query(q: str | None) -> str | None:
    """A search-box query as an FTS5 MATCH expression: every term must occur (AND).

    Whitespace separates terms; "double quotes" keep an exact phrase. Everything else is plain
    text: FTS5 operators and punctuation (AND, NEAR, *, -, :, parentheses) are searched for as
    words or dropped, so user input can never be a syntax error. None when nothing is left.
    """
    return " ".join(query_phrases(q)) or None


def query_phrases(q: str | None) -> list[str]:
    """The FTS5 phrases of a search-box query (see `segment_query`), at most MAX_QUERY_TERMS."""
    if not q:
        return []
    phrases: list[str] = []
    for m in _QUERY_TERM_RE.finditer(q[:MAX_QUERY_CHARS]):
        phrase = _phrase(m.group(1) if m.group(1) is not None else m.group(2))
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    return phrases[:MAX_QUERY_TERMS]


# -- advanced ("raw") queries --------------------------------------------------------------------

_RAW_TOKEN_RE = re.compile(
    r'(?P<string>"(?:[^"]|"")*"?\*?)'
    r"|(?P<paren>[()])"
    r"|(?P<comma>,\s*\d+)"
    r"|(?P<near>NEAR(?=\())"
    r"|(?P<op>(?:AND|OR|NOT)(?![^\s()\"]))"
    r"|(?P<column>(?:title|body)\s*:)"
    r'|(?P<word>[^\s()",]+)'
)
_validator = threading.local()


def _fts5_accepts(expr: str) -> bool:
    """Whether SQLite parses `expr` as an FTS5 query (checked on an empty in-memory table)."""
    conn = getattr(_validator, "conn", None)
    if conn is None:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.execute("CREATE VIRTUAL TABLE q USING fts5(title, body)")
        _validator.conn = conn
    try:
        conn.execute("SELECT 1 FROM q WHERE q MATCH ?", [expr]).fetchall()
    except sqlite3.Error:
        return False
    return True


def segment_advanced_query(q: str | None) -> str | None:
    """FTS5 query syntax with its words segmented: AND, OR, NOT, NEAR(…, n), ( ), title:/body:,
    "phrases" and a trailing * keep their FTS5 meaning, so experts get boolean search without
    having to know the index holds bigrams. Anything FTS5 would reject falls back to the plain
    `segment_query`, so even this mode cannot produce a syntax error.
    """
    if not q or not q.strip():
        return None
    q = q[:MAX_QUERY_CHARS]
    out: list[str] = []
    for m in _RAW_TOKEN_RE.finditer(q):
        kind, value = m.lastgroup, m.group()
        if kind == "string":
            star = value.endswith("*")
            inner = value.rstrip("*")[1:]
            inner = inner[:-1] if inner.endswith('"') else inner
            phrase = _phrase(inner.replace('""', '"'))
            if phrase:
                out.append(phrase + ("*" if star and not phrase.endswith("*") else ""))
        elif kind in ("paren", "near", "op"):
            out.append(value)
        elif kind == "comma":
            out.append(", " + value.lstrip(", \t"))
        elif kind == "column":
            out.append(value.replace(" ", "").rstrip(":") + ":")
        else:
            star = value.endswith("*")
            phrase = _phrase(value)
            if phrase:
                out.append(phrase + ("*" if star and not phrase.endswith("*") else ""))
    expr = " ".join(out)
    if expr and _fts5_accepts(expr):
        return expr
    return segment_query(q)


# -- the index -----------------------------------------------------------------------------------


def ensure_search_index(db: sqlite_utils.Database) -> None:
    """Create the index tables if missing; rebuild when the segmenter has changed since."""
    names = set(db.table_names())
    if FTS_TABLE not in names:
        db.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, content='', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        # Persistent rank: `ORDER BY rank` (Datasette plugin, search()) weights the title.
        db.execute(
            f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('rank', ?)",
            [f"bm25({TITLE_WEIGHT}, {BODY_WEIGHT})"],
        )
    if DOCS_TABLE not in names:
        db.execute(
            f"CREATE TABLE {DOCS_TABLE} (id INTEGER PRIMARY KEY, title TEXT, text_hash TEXT, "
            "text TEXT, extra_hashes TEXT)"
        )
    elif "extra_hashes" not in {c.name for c in db[DOCS_TABLE].columns}:  # before attachments
        db.execute(f"ALTER TABLE {DOCS_TABLE} ADD COLUMN extra_hashes TEXT")
    if STATE_TABLE not in names:
        db.execute(f"CREATE TABLE {STATE_TABLE} (key TEXT PRIMARY KEY, value TEXT)")
        db.execute(f"INSERT INTO {STATE_TABLE} VALUES ('segmenter', ?)", [SEGMENTER_VERSION])
        return
    row = db.execute(f"SELECT value FROM {STATE_TABLE} WHERE key = 'segmenter'").fetchone()
    if not row or row[0] != SEGMENTER_VERSION:
        rebuild_search_index(db)


def _stored_text(db: sqlite_utils.Database, text_hash: str | None) -> str | None:
    if not text_hash or "texts" not in db.table_names():
        return None
    row = db.execute("SELECT text FROM texts WHERE hash = ?", [text_hash]).fetchone()
    return row[0] if row else None


def _current_text_hash(db: sqlite_utils.Database, doc_id: int) -> str | None:
    try:
        row = db.execute("SELECT text_hash FROM documents WHERE id = ?", [doc_id]).fetchone()
    except sqlite3.OperationalError:  # no documents table, or no text_hash column
        return None
    return row[0] if row else None


def attachment_hashes(
    db: sqlite_utils.Database, doc_text_hashes: dict[int, str | None]
) -> dict[int, list[str]]:
    """Per document id: the `texts` hashes of its attachments that go into its index body (ok
    status, in page order, without repeats nor the document's own text)."""
    out: dict[int, list[str]] = {}
    ids = list(doc_text_hashes)
    for lo in range(0, len(ids), 500):
        chunk = ids[lo : lo + 500]
        try:
            rows = db.execute(
                # joined with texts: only a text that is stored can be indexed (and deleted)
                "SELECT a.document_id, a.text_hash FROM attachments a "
                "JOIN texts t ON t.hash = a.text_hash WHERE a.document_id IN "
                f"({', '.join('?' * len(chunk))}) AND a.status = 'ok' ORDER BY a.document_id, a.id",
                chunk,
            ).fetchall()
        except sqlite3.OperationalError:  # no attachments table (an index of another layout)
            return {}
        for doc_id, h in rows:
            hashes = out.setdefault(doc_id, [])
            if h != doc_text_hashes[doc_id] and h not in hashes:
                hashes.append(h)
    return out


def _with_extras(db: sqlite_utils.Database, body_tokens: str, extra_hashes: Iterable[str]
                 ) -> str | None:
    """The index body: the document's tokens, then each attachment text's; None when one of
    those texts is no longer stored."""
    parts = [body_tokens] if body_tokens else []
    for h in extra_hashes:
        text = _stored_text(db, h)
        if text is None:
            return None
        if tokens := segment(text):
            parts.append(tokens)
    return " ".join(parts)


def _delete_entry(db: sqlite_utils.Database, doc_id: int) -> None:
    row = db.execute(
        f"SELECT title, text_hash, text, extra_hashes FROM {DOCS_TABLE} WHERE id = ?", [doc_id]
    ).fetchone()
    if row is None:
        return
    title, text_hash, text, extras = row
    if text is None and text_hash is not None:
        text = _stored_text(db, text_hash)
    body = _with_extras(db, segment(text), (extras or "").split())
    if (text is None and text_hash is not None) or body is None:
        # The text it was built from is gone: a targeted delete would corrupt the index.
        rebuild_search_index(db)
        return
    db.execute(
        f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, title, body) VALUES ('delete', ?, ?, ?)",
        [doc_id, segment(title), body],
    )
    db.execute(f"DELETE FROM {DOCS_TABLE} WHERE id = ?", [doc_id])


def index_document(
    db: sqlite_utils.Database,
    doc_id: int,
    title: str | None,
    text: str | None,
    *,
    text_hash: str | None = None,
) -> None:
    """(Re)index one document now; call after its current version changed.

    The body is taken from `texts` by `text_hash` (default: documents.text_hash), so it matches
    what a rebuild would index; `text` is used only when there is no such row.
    """
    text_hash = text_hash or _current_text_hash(db, doc_id)
    stored = _stored_text(db, text_hash)
    writer = IndexWriter(db)
    writer.put(doc_id, title, text_hash if stored is not None else None,
               stored if stored is not None else text)
    writer.flush()


class IndexWriter:
    """Index updates collected during a transaction and written together before it commits.

    FTS5 writes its pending terms out as a new segment whenever another statement of the
    transaction opens a statement journal (an UPDATE with indexes or constraints does). Indexing
    each document between the archive's other writes therefore made one tiny segment per
    document, plus the merge work to combine them: 0.8 of 4 ms per document at ingest. Written
    in one run, the terms of a whole batch go out as a few large segments.
    """

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        # doc_id -> (title, text_hash, body, body is NFKC, (title tokens, body tokens) or None)
        self._pending: dict[
            int, tuple[str | None, str | None, str | None, bool, tuple[str, str] | None]
        ] = {}

    def put(
        self,
        doc_id: int,
        title: str | None,
        text_hash: str | None,
        body: str | None,
        *,
        body_nfkc: str | None = None,
        tokens: tuple[str, str] | None = None,
    ) -> None:
        """Queue (re)indexing: `body` must be the stored text of `text_hash` (what a rebuild
        indexes), or the text itself when `text_hash` is None. `body_nfkc` is `body` already
        NFKC-normalised, `tokens` its `segment()`ed title and body, when the caller has them."""
        nfkc = body_nfkc is not None
        if nfkc and text_hash is None:
            raise ValueError("body_nfkc needs a text_hash: the original text would be lost")
        self._pending[doc_id] = (title, text_hash, body_nfkc if nfkc else body, nfkc, tokens)

    def discard(self) -> None:
        self._pending.clear()

    def queued(self) -> dict:
        """What is queued now, to `requeue` when a record's writes are undone."""
        return dict(self._pending)

    def requeue(self, queued: dict) -> None:
        self._pending = dict(queued)

    def __len__(self) -> int:
        return len(self._pending)

    def flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        ids = list(pending)
        indexed: set[int] = set()
        for lo in range(0, len(ids), 500):
            chunk = ids[lo : lo + 500]
            marks = ", ".join("?" * len(chunk))
            indexed.update(
                r[0]
                for r in self.db.execute(f"SELECT id FROM {DOCS_TABLE} WHERE id IN ({marks})", chunk)
            )
        for doc_id in ids:
            if doc_id in indexed:
                _delete_entry(self.db, doc_id)
        extras = attachment_hashes(self.db, {i: p[1] for i, p in pending.items()})

        def entry(doc_id: int, title, body, nfkc, tokens) -> tuple:
            title_tokens, body_tokens = tokens or (segment(title), segment(body, nfkc=nfkc))
            if doc_id in extras:
                body_tokens = _with_extras(self.db, body_tokens, extras[doc_id]) or body_tokens
            return doc_id, title_tokens, body_tokens

        self.db.conn.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (?, ?, ?)",
            (
                entry(doc_id, title, body, nfkc, tokens)
                for doc_id, (title, _, body, nfkc, tokens) in pending.items()
            ),
        )
        self.db.conn.executemany(
            f"INSERT INTO {DOCS_TABLE} (id, title, text_hash, text, extra_hashes) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                (doc_id, title, text_hash, None if text_hash is not None else body,
                 " ".join(extras[doc_id]) if doc_id in extras else None)
                for doc_id, (title, text_hash, body, _, _) in pending.items()
            ),
        )


def unindex_document(db: sqlite_utils.Database, doc_id: int) -> None:
    """Remove a document from the index (no-op when it is not indexed)."""
    _delete_entry(db, doc_id)


def _documents_with_text(db: sqlite_utils.Database) -> Iterable[tuple]:
    columns = {c.name for c in db["documents"].columns}
    if "text_hash" in columns and "texts" in db.table_names():
        sql = (
            "SELECT d.id, d.title, d.text_hash, t.text FROM documents d "
            "LEFT JOIN texts t ON t.hash = d.text_hash ORDER BY d.id"
        )
    else:  # an older layout with the text on the document row
        body = "d.text" if "text" in columns else "NULL"
        sql = f"SELECT d.id, d.title, NULL, {body} FROM documents d ORDER BY d.id"
    return db.execute(sql)


def _provenance(text_hash: str | None, text: str | None) -> tuple[str | None, str | None]:
    """(text_hash, inline text) to remember for a row: a reference when `texts` has the text."""
    return (text_hash, None) if text_hash and text is not None else (None, text)


def rebuild_search_index(db: sqlite_utils.Database, batch: int = 2000) -> int:
    """Index every current document from scratch; returns how many were indexed."""
    if FTS_TABLE not in db.table_names():
        ensure_search_index(db)
    db.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('delete-all')")
    db.execute(f"DELETE FROM {DOCS_TABLE}")
    count = 0
    if "documents" in db.table_names():
        cursor = _documents_with_text(db)
        while rows := cursor.fetchmany(batch):
            extras = attachment_hashes(db, {i: h for i, _, h, _ in rows})
            db.conn.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (?, ?, ?)",
                [
                    (i, segment(title),
                     _with_extras(db, segment(text), extras[i]) if i in extras else segment(text))
                    for i, title, _, text in rows
                ],
            )  # fmt: skip
            db.conn.executemany(
                f"INSERT INTO {DOCS_TABLE} (id, title, text_hash, text, extra_hashes) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (i, title, *_provenance(h, text), " ".join(extras[i]) if i in extras else None)
                    for i, title, h, text in rows
                ],
            )
            count += len(rows)
    db.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
    db.execute(
        f"INSERT OR REPLACE INTO {STATE_TABLE} (key, value) VALUES ('segmenter', ?)",
        [SEGMENTER_VERSION],
    )
    return count


def search(db: sqlite_utils.Database, query: str, limit: int = 20) -> list[dict]:
    """Best matches first (bm25, title weighted): [{id, title, site, published_date, score}]."""
    expr = segment_query(query)
    if expr is None:
        return []
    present = {c.name for c in db["documents"].columns}
    extra = "".join(f"d.{c}, " for c in ("site", "published_date") if c in present)
    sql = (
        f"SELECT d.id, d.title, {extra}f.rank AS score "
        f"FROM (SELECT rowid, rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? "
        f"ORDER BY rank LIMIT ?) f JOIN documents d ON d.id = f.rowid ORDER BY f.rank, d.id"
    )
    cursor = db.execute(sql, [expr, limit])
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, row, strict=True)) for row in cursor]
