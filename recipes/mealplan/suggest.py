""" "Pick a dinner": a random recipe that was neither cooked nor planned lately."""

from __future__ import annotations

import datetime as dt
import sqlite3


def _has_cooking_log(db: sqlite3.Connection) -> bool:
    row = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'cooking_log'").fetchone()
    return row is not None


def pick_recipe(
    db: sqlite3.Connection,
    household_id: int,
    today: dt.date,
    days: int,
    tag: str = "",
    category: str = "",
    exclude: tuple[int, ...] = (),
) -> tuple[int, str] | None:
    """(id, title) of a random recipe with the tag/category, not cooked or planned from
    `days` days ago onwards (plans ahead count too: no point suggesting it twice)."""
    since = (today - dt.timedelta(days=days)).isoformat()
    where = ["r.household_id = ?"]
    params: list[object] = [household_id]
    if tag:
        where.append("r.id IN (SELECT recipe_id FROM recipe_tags WHERE tag = ?)")
        params.append(tag)
    if category:
        where.append("r.category = ? COLLATE NOCASE")
        params.append(category)
    where.append(
        "r.id NOT IN (SELECT recipe_id FROM meal_plan_entries "
        "WHERE household_id = ? AND day >= ? AND recipe_id IS NOT NULL)"
    )
    params += [household_id, since]
    if _has_cooking_log(db):
        where.append(
            "r.id NOT IN (SELECT recipe_id FROM cooking_log WHERE household_id = ? "
            "AND cooked_on >= ?)"
        )
        params += [household_id, since]
    if exclude:
        where.append(f"r.id NOT IN ({', '.join('?' * len(exclude))})")
        params += list(exclude)
    row = db.execute(
        f"SELECT r.id, r.title FROM recipes r WHERE {' AND '.join(where)} "  # noqa: S608
        "ORDER BY random() LIMIT 1",
        params,
    ).fetchone()
    return (row[0], row[1]) if row else None
