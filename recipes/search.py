"""Full-text search: any user text becomes a safe FTS5 query, ranked by bm25."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from recipes.store import (
    SUMMARY_COLUMNS,
    Page,
    ShareUrl,
    _filters,
    recipe_from_row,
    summary_from_row,
)

MAX_TERMS = 16
MAX_TERM_LENGTH = 64
# Column weights: title, ingredients, instructions, description, notes, tags.
_RANK = "bm25(recipe_fts, 10.0, 4.0, 1.0, 2.0, 1.0, 6.0)"
_WORD = re.compile(r"\w+", re.UNICODE)
HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"


def fts_query(text: str) -> str | None:
    """Words only, each quoted (so operators are inert) and prefix-matched ("chick*").

    Returns None when the text holds no searchable word (only punctuation or emoji).
    """
    terms: list[str] = []
    for word in _WORD.findall(text[:10_000]):
        word = word.replace("_", "")[:MAX_TERM_LENGTH]
        if word and word.lower() not in {t.lower() for t in terms}:
            terms.append(word)
        if len(terms) == MAX_TERMS:
            break
    if not terms:
        return None
    return " ".join(f'"{term}"*' for term in terms)


def search_recipes(
    db: sqlite3.Connection,
    user_id: int,
    text: str,
    page: int = 1,
    per_page: int = 50,
    tag: str | None = None,
    category: str | None = None,
    full: bool = False,
    share_url: ShareUrl | None = None,
) -> Page:
    """Ranked matches; summary items carry a `snippet` with highlight markers."""
    query = fts_query(text)
    if query is None:
        return Page([], 0, page, per_page)
    where, params = _filters(tag, category)
    base = (
        "FROM recipe_fts JOIN recipes r ON r.id = recipe_fts.rowid "
        f"WHERE recipe_fts MATCH ? AND r.user_id = ?{where}"
    )
    total = db.execute(f"SELECT count(*) {base}", (query, user_id, *params)).fetchone()[0]  # noqa: S608
    columns = (
        "r.*"
        if full
        else (
            f"{SUMMARY_COLUMNS}, snippet(recipe_fts, -1, '{HIGHLIGHT_START}', "
            f"'{HIGHLIGHT_END}', '…', 16) AS snippet"
        )
    )
    rows = db.execute(
        f"SELECT {columns} {base} ORDER BY {_RANK}, r.id DESC LIMIT ? OFFSET ?",  # noqa: S608
        (query, user_id, *params, per_page, (page - 1) * per_page),
    ).fetchall()
    items: list[Any] = (
        [recipe_from_row(row, share_url) for row in rows]
        if full
        else [summary_from_row(row) for row in rows]
    )
    return Page(items, total, page, per_page)
