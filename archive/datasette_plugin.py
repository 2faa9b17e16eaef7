"""Datasette plugin: Chinese search (bigram segmentation) ranked by relevance on table pages.

Matching. Datasette's table search runs `… match escape_fts(:search)`. We register our own
`escape_fts` (→ `archive.search.segment_query`) with `trylast=True`, so it is created after
Datasette's built-in one in `datasette.sql_functions` and replaces it, whatever order the plugins
were registered in (entry point plugins load before the built-ins, `pm.register` after them).
It serves `_search`, `_search_<column>` and SQL users (`select … match escape_fts(:q)`).

`_searchmode=raw` (or `searchmode: raw` in metadata) would hand the user's text to FTS5 as is,
which against a bigram index means hand-writing bigrams. We keep the mode as "advanced syntax":
AND/OR/NOT, NEAR, ( ), title:/body: and * keep their FTS5 meaning while the words are segmented
(`archive.search.segment_advanced_query`); input FTS5 would reject falls back to plain search,
so no query string can cause an error page.

Ranking. Datasette 0.65 never orders a table by search rank (simonw/datasette#268): the SQL
is `… where id in (select rowid from fts where fts match …) order by <sort or pk>`, and `_sort`
only accepts real columns. No hook can change that ORDER BY, so for a search without explicit
`_sort`/`_sort_desc` on a table whose metadata `fts_table` is FTS5, an `asgi_wrapper` marks the
request (a context variable) and, for the duration of that request only:
- the table's metadata is seen without `sort`/`sort_desc` (else the default sort, e.g.
  published_date, would order the page and leak into the next-page link as an explicit sort);
- the page query (`select … order by <pk> limit n`) of that table is rewritten to join the FTS
  rank and order by it: `with _ranked as (select rowid, rank from fts where fts match … order
  by rowid desc limit RANK_WINDOW) select … join _ranked … order by rank, pk`. Datasette's own
  next-page token (the last row's pk) is turned into a rank keyset, so `_next` pages, CSV
  streaming and `_size` stay consistent.
`rank` is the FTS5 rank configured by `archive.search` (bm25, title weighted).
Explicit `_sort=` / `_sort_desc=` give Datasette's normal behaviour (matches sorted by that
column); `_search_<column>=` searches are not ranked. A blank `_search=` is dropped instead
of being an FTS5 syntax error. The SQL shown on the page ("View and edit SQL") is Datasette's,
not the rewritten one.

The rewrite patches `Database.execute`/`Datasette.table_metadata` on the instances it is used
with, and only acts on SQL shaped exactly as Datasette 0.65's table view writes it: anything
else (other versions, custom SQL) passes through unranked rather than broken.

Speed. Everything on a search page scales with the number of matches, so each part is bounded
by one number, RANK_WINDOW. Before the page runs, the plugin probes the index: does the query,
and does each of its phrases, match more than RANK_WINDOW documents (one read of that many
index entries each)?
- a specific query (every phrase within the window) is ranked by bm25 over all its matches.
  bm25 weighs a phrase by how many documents contain it, which FTS5 finds by a pass over all of
  that phrase's matches: at a million documents that pass alone takes longer than a page
  should (法治政府 is in most documents), so a query with a common phrase is ranked instead as a
  broad one, title matches first, then newest;
- a broad query (more than RANK_WINDOW matches) ranks its newest RANK_WINDOW matches, title
  matches first, then newest. It shows no count (Datasette shows none when its count query is
  interrupted, and counting is a pass over every match) and no default facets (each one a pass
  over every match); `_facet=` in the URL still asks for one, under the time budget below;
- count and facets of other searches get SIDE_QUERY_TIME_LIMIT_MS each; Datasette shows an
  unknown count or skips a facet that runs out. Facet suggestions, 3 queries per column over all
  matches, are turned off (`_nosuggest=1`) because Datasette does not guard their `count(*)`.
`_nocount=1` / `_nofacet=1` skip count and facets for API clients. bench/archive_scale.py
measures all of it through Datasette's HTTP interface.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils import escape_sqlite, tilde_decode

from archive.search import query_phrases, segment_advanced_query, segment_query

# A search whose phrases each match at most RANK_WINDOW documents is ranked by bm25 over all its
# matches; a broader one by title-then-recency among its newest RANK_WINDOW matches (see the
# module docstring). Finding out costs one index probe of RANK_WINDOW entries per phrase.
RANK_WINDOW = 2000
# Time budget (ms) for the filtered count and each facet of a search page; Datasette shows an
# unknown count or skips a facet that runs out, instead of failing the page.
SIDE_QUERY_TIME_LIMIT_MS = 25  # > 20: at <= 20 ms Datasette checks the clock every VM step
# Facet suggestions run 3 queries per column over all matches: off for search pages.
SUGGEST_FACETS_ON_SEARCH = False
# The metadata's default facets on search pages (`_facet=` in the URL always works). Each is a
# pass over all matches, bounded by SIDE_QUERY_TIME_LIMIT_MS; False saves up to 3 x that.
DEFAULT_FACETS_ON_SEARCH = True
# Rank offset of a match without the words in its title (larger than any rowid).
TITLE_TIER = 1 << 48
# Matches nothing, and is valid FTS5 (an empty phrase), for queries with nothing searchable.
MATCH_NOTHING = '""'
RAW_FUNCTION = "segment_fts_raw"

_TABLE_PATH = re.compile(r"^/(?P<database>[^/.]+)/(?P<table>[^/.]+)(?:\.(?P<format>\w+))?$")
_RAW_MATCH = re.compile(r"\bmatch :(search(?:_\d+)?)\b")


@dataclass(frozen=True)
class _SearchRequest:
    database: str
    table: str
    fts_table: str
    fts_pk: str
    ranked: bool
    raw: bool
    # more than RANK_WINDOW matches: no count, no default facets, newest-window ranking
    broad: bool = False
    # "bm25" (every phrase matches at most RANK_WINDOW documents, so bm25 is cheap), "title"
    # (title matches first, then newest) or "recent" (newest first; advanced queries)
    ranking: str = "bm25"


_current: ContextVar[_SearchRequest | None] = ContextVar("govarchive_search", default=None)


def escape_fts(query: str | None) -> str:
    return segment_query(query) or MATCH_NOTHING


def segment_fts_raw(query: str | None) -> str:
    return segment_advanced_query(query) or MATCH_NOTHING


@hookimpl(trylast=True)
def prepare_connection(conn: Any) -> None:
    conn.create_function("escape_fts", 1, escape_fts, deterministic=True)
    conn.create_function(RAW_FUNCTION, 1, segment_fts_raw, deterministic=True)


# -- SQL rewriting -------------------------------------------------------------------------------


def _search_clause(sql: str, req: _SearchRequest) -> tuple[str, str] | None:
    """Datasette's `_search` condition in `sql` and the MATCH argument it uses."""
    fts = escape_sqlite(req.fts_table)
    for match_arg in ("escape_fts(:search)", f"{RAW_FUNCTION}(:search)", ":search"):
        clause = (
            f"{escape_sqlite(req.fts_pk)} in (select rowid from {fts} "
            f"where {fts} match {match_arg})"
        )
        if clause in sql:
            return clause, match_arg
    return None


def _split_page_query(sql: str, table: str) -> tuple[str, str, str, str] | None:
    """(select list, where, order by, limit) of the table page's query, else None."""
    tail = re.search(r" ?order by ([^()]+) limit (\d+)$", sql)
    sep = f" from {table} "
    i = sql.find(" from ")
    if not (sql.startswith("select ") and tail and i > 0 and sql.startswith(sep, i)):
        return None
    return sql[:i], sql[i + len(sep) : tail.start()].strip(), tail[1], tail[2]


def _rewrite(sql: str, req: _SearchRequest, pks: list[str]) -> tuple[str, str]:
    """The SQL to run instead, and its part in the page: "page", "count" or "other"."""
    fts, table = escape_sqlite(req.fts_table), escape_sqlite(req.table)
    if req.raw and fts in sql:
        sql = _RAW_MATCH.sub(rf"match {RAW_FUNCTION}(:\1)", sql)
    found = _search_clause(sql, req)
    if found is None:
        return sql, "other"
    clause, match = found
    fts_count = f"select count(*) from {fts} where {fts} match {match}"
    # When only the search restricts the rows, count index entries instead of joining the
    # table: the table count, and the facet suggestions' unguarded `count(*) from (…)`.
    if sql == f"select count(*) from {table} where {clause} ":
        return fts_count, "count"
    if re.fullmatch(
        rf"select count\(\*\) from \(select [^()]* from {re.escape(table)} "
        rf"where {re.escape(clause)} \)",
        sql,
    ):
        return fts_count, "other"
    page = _split_page_query(sql, table)
    if page is None:
        return sql, "other"
    if req.ranked and len(pks) == 1 and page[2] == escape_sqlite(pks[0]):
        sql = _rank_page_query(page, req, clause, match, pks[0])
    return sql, "page"


def _rank_page_query(
    page: tuple[str, str, str, str], req: _SearchRequest, clause: str, match: str, pk: str
) -> str:
    """Datasette's page query ordered by rank instead of by primary key."""
    columns, where, _, limit = page
    table, fts, pk_sql = escape_sqlite(req.table), escape_sqlite(req.fts_table), escape_sqlite(pk)
    where = where.replace(clause, "1", 1)
    # Datasette's next-page condition `((pk > :pN))` becomes "after that row in rank order".
    where = re.sub(
        rf"\(\({re.escape(pk_sql)} > :(p\d+)\)\)",
        lambda m: (
            f"(_ranked._rank > (select _rank from _ranked where _id = cast(:{m[1]} as integer))"
            f" or (_ranked._rank = (select _rank from _ranked where _id = cast(:{m[1]} as integer))"
            f" and {table}.{pk_sql} > cast(:{m[1]} as integer)))"
        ),
        where,
    )
    window = (
        f"select rowid as _id from {fts} where {fts} match {match} "
        f"order by rowid desc limit {RANK_WINDOW}"
    )
    if req.ranking == "recent":
        ranked = f"_ranked as materialized (select _id, -_id as _rank from ({window}))"
    elif req.ranking == "bm25":
        ranked = (
            f"_ranked as materialized (select rowid as _id, rank as _rank from {fts} "
            f"where {fts} match {match} order by rowid desc limit {RANK_WINDOW})"
        )
    else:
        # Title matches first, then newest first: one more index pass, over the window only.
        in_title = (
            f"select rowid from {fts} where {fts} match 'title : (' || {match} || ')' "
            f"and rowid >= (select min(_id) from _window)"
        )
        ranked = (
            f"_window as materialized ({window}), "
            f"_ranked as materialized (select _id, (case when _id in ({in_title}) then 0 "
            f"else {TITLE_TIER} end) - _id as _rank from _window)"
        )
    return (
        f"with {ranked} "
        f"{columns} from {table} join _ranked on _ranked._id = {table}.{escape_sqlite(req.fts_pk)}"
        f" {where} order by _ranked._rank, {table}.{pk_sql} limit {limit}"
    )


def _patch_database(db: Any) -> None:
    if getattr(db, "_govarchive_search", False):
        return
    original = db.execute
    pk_cache: dict[str, list[str]] = {}

    async def execute(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        req = _current.get()
        if req is not None and req.database == db.name and isinstance(sql, str):
            if req.table not in pk_cache:
                pk_cache[req.table] = await db.primary_keys(req.table)
            sql, part = _rewrite(sql, req, pk_cache[req.table])
            if part == "count" and req.broad:
                # counting more than RANK_WINDOW matches is a pass over all of them
                raise QueryInterrupted(None, sql, params)
            # Datasette gives facets and suggestions their own time limit and skips them when
            # it runs out, and tolerates a count timeout: both get a tighter budget here.
            if part == "count" or (part == "other" and kwargs.get("custom_time_limit")):
                limit = kwargs.get("custom_time_limit") or SIDE_QUERY_TIME_LIMIT_MS
                kwargs["custom_time_limit"] = min(limit, SIDE_QUERY_TIME_LIMIT_MS)
        return await original(sql, params, *args, **kwargs)

    db.execute = execute
    db._govarchive_search = True


def _patch_datasette(datasette: Any) -> None:
    if getattr(datasette, "_govarchive_search", False):
        return
    original = datasette.table_metadata

    def table_metadata(database: str, table: str) -> dict:
        metadata = original(database, table)
        req = _current.get()
        if req is not None and (database, table) == (req.database, req.table):
            drop = {"sort", "sort_desc"} if req.ranked else set()
            if not DEFAULT_FACETS_ON_SEARCH or req.broad:
                drop.add("facets")
            metadata = {k: v for k, v in metadata.items() if k not in drop}
        return metadata

    datasette.table_metadata = table_metadata
    datasette._govarchive_search = True


# -- request detection ---------------------------------------------------------------------------


async def _is_fts5(datasette: Any, db: Any, fts_table: str, cache: dict) -> bool:
    key = (db.name, fts_table)
    if key not in cache:
        rows = await db.execute("select sql from sqlite_master where name = ?", [fts_table])
        sql = rows.first()[0] if rows.first() else ""
        cache[key] = "using fts5" in (sql or "").lower()
    return cache[key]


async def _search_request(
    datasette: Any, path: str, args: list[tuple[str, str]], cache: dict
) -> _SearchRequest | None:
    m = _TABLE_PATH.match(path)
    if not m:
        return None
    database, table = tilde_decode(m["database"]), tilde_decode(m["table"])
    if database not in datasette.databases:
        return None
    metadata = datasette.table_metadata(database, table)
    fts_table = metadata.get("fts_table")
    if not fts_table:
        return None
    db = datasette.get_database(database)
    if not await _is_fts5(datasette, db, fts_table, cache):
        return None
    values = dict(args)
    searchmode = values.get("_searchmode") or metadata.get("searchmode")
    raw = searchmode == "raw"
    query = values.get("_search", "")
    ranked = bool(query.strip()) and not (values.get("_sort") or values.get("_sort_desc"))
    broad, ranking = False, "bm25"
    if query.strip():
        expr = segment_fts_raw(query) if raw else escape_fts(query)
        broad = await _more_than_window(db, fts_table, expr)
        if raw:
            ranking = "recent" if broad else "bm25"
        elif broad:
            ranking = "title"
        else:
            # bm25 weighs each phrase by its document frequency, a pass over all its matches
            for phrase in query_phrases(query):
                if phrase != expr and await _more_than_window(db, fts_table, phrase):
                    ranking = "title"
                    break
    return _SearchRequest(
        database=database,
        table=table,
        fts_table=fts_table,
        fts_pk=values.get("_fts_pk") or metadata.get("fts_pk", "rowid"),
        ranked=ranked,
        raw=raw,
        broad=broad,
        ranking=ranking,
    )


async def _more_than_window(db: Any, fts_table: str, expr: str) -> bool:
    """Whether `expr` matches more than RANK_WINDOW documents (reads that many index entries)."""
    fts = escape_sqlite(fts_table)
    rows = await db.execute(
        f"select 1 from {fts} where {fts} match ? order by rowid desc limit 1 offset {RANK_WINDOW}",
        [expr],
    )
    return rows.first() is not None


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    fts5_cache: dict = {}

    def wrap(app: Any) -> Any:
        async def wrapped(scope: dict, receive: Any, send: Any) -> None:
            if scope.get("type") != "http" or _current.get() is not None:
                return await app(scope, receive, send)
            path = scope.get("path", "")
            base_url = datasette.setting("base_url") or "/"
            if base_url != "/" and path.startswith(base_url):
                path = "/" + path[len(base_url) :]
            query = scope.get("query_string", b"").decode("latin-1")
            if "_search" not in query:
                return await app(scope, receive, send)
            args = parse_qsl(query, keep_blank_values=True)
            req = await _search_request(datasette, path, args, fts5_cache)
            if req is None:
                return await app(scope, receive, send)
            kept = [(k, v) for k, v in args if not (k == "_search" and not v.strip())]
            searching = any(k.startswith("_search") and k != "_searchmode" for k, _ in kept)
            if searching and SUGGEST_FACETS_ON_SEARCH is False and "_nosuggest" not in query:
                kept.append(("_nosuggest", "1"))
            if kept != args:
                scope = dict(scope, query_string=urlencode(kept).encode("latin-1"))
            _patch_datasette(datasette)
            _patch_database(datasette.get_database(req.database))
            token = _current.set(req)
            try:
                await app(scope, receive, send)
            finally:
                _current.reset(token)

        return wrapped

    return wrap
