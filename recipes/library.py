"""Browsing the collection by eye: sorted pages of cards with covers, favourites, ratings.

Favourites are per person (table `favourites`, migration 0009); recipes and their ratings
belong to the owner (`OWNER`, the household once households exist).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from recipes import store
from recipes.db import transaction, utcnow
from recipes.photos import storage as photo_storage

OWNER = photo_storage.OWNER
# The day a recipe was last made (cooking log, migration 0013), by its (household, recipe) index.
LAST_COOKED = (
    "(SELECT max(c.cooked_on) FROM cooking_log c"
    " WHERE c.household_id = r.household_id AND c.recipe_id = r.id)"
)
SORTS = {
    "newest": ("Newest", "r.created_at DESC, r.id DESC"),
    "title": ("Title A–Z", "r.title COLLATE NOCASE, r.id"),
    "rating": ("Rating", "r.rating IS NULL, r.rating DESC, r.created_at DESC, r.id DESC"),
    "time": ("Total time", "r.total_time IS NULL, r.total_time, r.title COLLATE NOCASE, r.id"),
    "cooked": (
        "Recently cooked",
        f"{LAST_COOKED} IS NULL, {LAST_COOKED} DESC, r.created_at DESC, r.id DESC",
    ),
}
DEFAULT_SORT = "newest"


def browse(
    db: sqlite3.Connection,
    owner_id: int,
    user_id: int,
    *,
    page: int = 1,
    per_page: int = 50,
    tag: str | None = None,
    category: str | None = None,
    sort: str = DEFAULT_SORT,
    favourites: bool = False,
) -> store.Page:
    """One page of card summaries, each with `cover` and `favourite`."""
    where, params = store.filter_clause(tag, category)
    if favourites:
        where += " AND r.id IN (SELECT recipe_id FROM favourites WHERE user_id = ?)"
        params.append(user_id)
    if where:
        total = db.execute(
            f"SELECT count(*) FROM recipes r WHERE r.{OWNER} = ?{where}",  # noqa: S608
            (owner_id, *params),
        ).fetchone()[0]
    else:
        total = store.recipe_count(db, owner_id)
    order = SORTS.get(sort, SORTS[DEFAULT_SORT])[1]
    rows = db.execute(
        f"SELECT {store.SUMMARY_COLUMNS} FROM recipes r WHERE r.{OWNER} = ?{where} "  # noqa: S608
        f"ORDER BY {order} LIMIT ? OFFSET ?",
        (owner_id, *params, per_page, (page - 1) * per_page),
    ).fetchall()
    items = [store.summary_from_row(row) for row in rows]
    decorate(db, user_id, items)
    return store.Page(items, total, page, per_page)


def decorate(db: sqlite3.Connection, user_id: int, items: list[dict[str, Any]]) -> None:
    """Add each summary's `cover` ((photo id, thumbnail digest) or None) and `favourite`."""
    ids = [item["id"] for item in items]
    covers = photo_storage.covers(db, ids)
    starred = favourite_ids(db, user_id, ids)
    for item in items:
        item["cover"] = covers.get(item["id"])
        item["favourite"] = item["id"] in starred


def favourite_ids(db: sqlite3.Connection, user_id: int, recipe_ids: list[int]) -> set[int]:
    if not recipe_ids:
        return set()
    rows = db.execute(
        "SELECT recipe_id FROM favourites WHERE user_id = ? AND recipe_id IN "  # noqa: S608
        f"({', '.join('?' * len(recipe_ids))})",
        (user_id, *recipe_ids),
    ).fetchall()
    return {row[0] for row in rows}


def set_favourite(
    db: sqlite3.Connection, owner_id: int, user_id: int, recipe_id: int, on: bool
) -> bool:
    """Star or unstar one of the owner's recipes for this person; False if not theirs."""
    with transaction(db):
        if photo_storage.get_recipe_owner(db, recipe_id) != owner_id:
            return False
        if on:
            db.execute(
                "INSERT OR IGNORE INTO favourites (user_id, recipe_id, created_at) "
                "VALUES (?, ?, ?)",
                (user_id, recipe_id, utcnow()),
            )
        else:
            db.execute(
                "DELETE FROM favourites WHERE user_id = ? AND recipe_id = ?", (user_id, recipe_id)
            )
    return True


def set_rating(db: sqlite3.Connection, owner_id: int, recipe_id: int, rating: int | None) -> bool:
    """Change only the rating (0-5, or None for not rated); False if not the owner's."""
    with transaction(db):
        cursor = db.execute(
            f"UPDATE recipes SET rating = ?, updated_at = ? WHERE id = ? AND {OWNER} = ?",  # noqa: S608
            (rating, utcnow(), recipe_id, owner_id),
        )
    return cursor.rowcount > 0
