"""Full-text search: any user text becomes a safe FTS5 query, ranked by bm25."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from recipes.store import (
    AUTHORS_JOIN,
    FULL_COLUMNS,
    SUMMARY_COLUMNS,
    Page,
    filter_clause,
    recipe_data_from_row,
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
    household_id: int,
    text: str,
    page: int = 1,
    per_page: int = 50,
    tag: str | None = None,
    category: str | None = None,
    full: bool = False,
) -> Page:
    """Ranked matches; summary items carry a `snippet` with highlight markers.

    The total is exact. Up to RANK_ALL matches are all ranked by bm25. Beyond that, bm25
    ranks the RANK_NEWEST newest matches and later pages continue newest first: ranking
    every match of a very common word ("salt" in 90% of 100,000 recipes) costs ~100 ms,
    and those words carry almost no weight in bm25 anyway (their idf is near zero).
    """
    query = fts_query(text)
    if query is None:
        return Page([], 0, page, per_page)
    where, params = filter_clause(tag, category)
    matches = Matches(db, query, household_id, where, params)
    total = matches.count()
    ids = matches.page_ids(total, (page - 1) * per_page, per_page)
    return Page(matches.items(ids, full), total, page, per_page)


# Beyond this many matches, rank only the newest RANK_NEWEST (see `search_recipes`).
RANK_ALL = 2_000
RANK_NEWEST = 1_000


class Matches:
    """One query's matches among one household's recipes. Every statement checks the owner."""

    def __init__(
        self, db: sqlite3.Connection, query: str, household_id: int, where: str, params: list[Any]
    ) -> None:
        self.db, self.query, self.household_id = db, query, household_id
        self.where, self.params = where, params
        # CROSS JOIN keeps FTS5 outermost: otherwise SQLite may walk the owner's recipes
        # and probe the index once per recipe (100,000 probes for a count). Without filters
        # the owner of each match comes from the narrow (id, household_id) index rather than
        # the recipe row, whose household_id sits after the long JSON columns: twice as fast.
        joined = "recipes r" if where else "recipes r INDEXED BY recipes_by_id_household"
        self.base = (
            f"FROM recipe_fts CROSS JOIN {joined} ON r.id = recipe_fts.rowid "
            f"WHERE recipe_fts MATCH ? AND r.household_id = ?{where}"
        )
        self.args = (query, household_id, *params)

    def count(self) -> int:
        if not self.where and self._owns_every_recipe():
            # Every indexed row is this household's: the index alone can count, without reading
            # one recipes row per match.
            sql = "SELECT count(*) FROM recipe_fts WHERE recipe_fts MATCH ?"
            return self.db.execute(sql, (self.query,)).fetchone()[0]
        return self.db.execute(f"SELECT count(*) {self.base}", self.args).fetchone()[0]  # noqa: S608

    def _owns_every_recipe(self) -> bool:
        """Two index probes (recipes_by_household_newest): another household's recipe below or
        above."""
        row = self.db.execute(
            "SELECT EXISTS (SELECT 1 FROM recipes WHERE household_id < ?) "
            "OR EXISTS (SELECT 1 FROM recipes WHERE household_id > ?)",
            (self.household_id, self.household_id),
        ).fetchone()
        return not row[0]

    def page_ids(self, total: int, offset: int, limit: int) -> list[int]:
        if total <= RANK_ALL:
            return self._ranked("", (), offset, limit)
        # The rowid of the RANK_NEWEST-th newest match: FTS5 walks its doclist backwards.
        row = self.db.execute(
            f"SELECT recipe_fts.rowid {self.base} ORDER BY recipe_fts.rowid DESC "  # noqa: S608
            "LIMIT 1 OFFSET ?",
            (*self.args, RANK_NEWEST - 1),
        ).fetchone()
        if row is None:  # recipes deleted since the count: few enough to rank them all
            return self._ranked("", (), offset, limit)
        floor = row[0]
        ids = self._ranked(" AND recipe_fts.rowid >= ?", (floor,), offset, limit)
        if len(ids) < limit:
            rest = self.db.execute(
                f"SELECT recipe_fts.rowid {self.base} AND recipe_fts.rowid < ? "  # noqa: S608
                "ORDER BY recipe_fts.rowid DESC LIMIT ? OFFSET ?",
                (*self.args, floor, limit - len(ids), max(0, offset - RANK_NEWEST)),
            ).fetchall()
            ids += [row[0] for row in rest]
        return ids

    def _ranked(self, extra: str, extra_args: tuple[Any, ...], offset: int, limit: int) -> list:
        rows = self.db.execute(
            f"SELECT recipe_fts.rowid {self.base}{extra} "  # noqa: S608
            f"ORDER BY {_RANK}, r.id DESC LIMIT ? OFFSET ?",
            (*self.args, *extra_args, limit, offset),
        ).fetchall()
        return [row[0] for row in rows]

    def items(self, ids: list[int], full: bool) -> list[Any]:
        """The page's recipes in rank order; snippets are made for these rows only."""
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        if full:
            rows = self.db.execute(
                # Unary +: look rows up by id, never scan the owner's index for them.
                f"SELECT {FULL_COLUMNS} FROM recipes r {AUTHORS_JOIN}"  # noqa: S608
                f"WHERE r.id IN ({marks}) AND +r.household_id = ?",
                (*ids, self.household_id),
            ).fetchall()
            by_id: dict[int, Any] = {row["id"]: recipe_data_from_row(row) for row in rows}
        else:
            # FTS5 reads the matches between the page's lowest and highest id; the unary +
            # keeps SQLite from turning the IN list into one full FTS scan per id.
            rows = self.db.execute(
                f"SELECT {SUMMARY_COLUMNS}, snippet(recipe_fts, -1, ?, ?, '…', 16) AS snippet "  # noqa: S608
                "FROM recipe_fts CROSS JOIN recipes r ON r.id = recipe_fts.rowid "
                "WHERE recipe_fts MATCH ? AND recipe_fts.rowid BETWEEN ? AND ? "
                f"AND +recipe_fts.rowid IN ({marks}) AND r.household_id = ?",
                (
                    HIGHLIGHT_START,
                    HIGHLIGHT_END,
                    self.query,
                    min(ids),
                    max(ids),
                    *ids,
                    self.household_id,
                ),
            ).fetchall()
            by_id = {row["id"]: summary_from_row(row) for row in rows}
        return [by_id[i] for i in ids if i in by_id]
