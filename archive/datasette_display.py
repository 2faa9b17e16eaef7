"""Datasette plugin: show document texts as readable paragraphs, and link documents to them.

Texts are stored once in `texts` (documents point to them by `text_hash`), so a document row
would otherwise show a bare sha256. Here the hash reads as "全文 (N 字)" and links to the text,
and a text keeps its line breaks instead of running together as one cell.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

TEXT_STYLE = "white-space: pre-wrap; max-width: 48em; line-height: 1.7"


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str) -> Any:
    if table == "texts" and column == "text" and isinstance(value, str):
        return Markup(f'<div style="{TEXT_STYLE}">{escape(value)}</div>')
    if table in ("documents", "versions") and column == "text_hash" and isinstance(value, str):
        chars = _get(row, "text_chars")
        label = f"全文 ({chars} 字)" if chars is not None else "全文"
        return Markup(f'<a href="/{escape(database)}/texts/{escape(value)}">{escape(label)}</a>')
    return None


def _get(row: Any, key: str) -> Any:
    try:
        return row[key]
    except (KeyError, IndexError, TypeError):
        return None
