"""The cooking log: "I made this" with a date, an optional note and rating.

Entries belong to a household (everyone in it sees when a recipe was last made); the meal
planner records one when a planned meal is marked cooked.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from recipes.db import get_db, transaction, utcnow

MAX_NOTE = 2000


class CookingLogError(ValueError):
    """Bad input for a log entry (a future date, a rating outside 1-5); nothing was saved."""


@dataclass(frozen=True)
class Cooked:
    id: int
    recipe_id: int
    user_id: int | None
    username: str | None
    cooked_on: date
    note: str | None
    rating: int | None


@dataclass(frozen=True)
class CookingStats:
    times: int
    last_cooked: date | None


def _checked(cooked_on: date | str, note: str | None, rating: int | None) -> tuple[str, ...]:
    day = date.fromisoformat(cooked_on) if isinstance(cooked_on, str) else cooked_on
    if day > date.today():
        raise CookingLogError("The date cannot be in the future.")
    if rating is not None and not 1 <= rating <= 5:
        raise CookingLogError("A rating is 1 to 5 stars.")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise CookingLogError(f"A note is at most {MAX_NOTE} characters.")
    return day.isoformat(), note


def record_cooked(
    recipe_id: int,
    user_id: int,
    household_id: int,
    cooked_on: date | str,
    note: str | None = None,
    rating: int | None = None,
    db: sqlite3.Connection | None = None,
) -> int | None:
    """Log that the recipe was made; the new entry's id, or None if the household has no
    such recipe. Raises CookingLogError for a bad date, note or rating."""
    day, note = _checked(cooked_on, note, rating)
    db = db or get_db()
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO cooking_log (household_id, recipe_id, user_id, cooked_on, note, "
            "rating, created_at) SELECT ?, id, ?, ?, ?, ?, ? FROM recipes "
            "WHERE id = ? AND household_id = ?",
            (household_id, user_id, day, note or None, rating, utcnow(), recipe_id, household_id),
        )
    return cursor.lastrowid if cursor.rowcount else None


def cooking_stats(db: sqlite3.Connection, household_id: int, recipe_id: int) -> CookingStats:
    row = db.execute(
        "SELECT count(*) AS times, max(cooked_on) AS last FROM cooking_log "
        "WHERE household_id = ? AND recipe_id = ?",
        (household_id, recipe_id),
    ).fetchone()
    last = date.fromisoformat(row["last"]) if row["last"] else None
    return CookingStats(times=row["times"], last_cooked=last)


def entries(
    db: sqlite3.Connection, household_id: int, recipe_id: int, limit: int = 10
) -> list[Cooked]:
    """The recipe's latest log entries, newest first."""
    rows = db.execute(
        "SELECT l.id, l.recipe_id, l.user_id, u.username, l.cooked_on, l.note, l.rating "
        "FROM cooking_log l LEFT JOIN users u ON u.id = l.user_id "
        "WHERE l.household_id = ? AND l.recipe_id = ? "
        "ORDER BY l.cooked_on DESC, l.id DESC LIMIT ?",
        (household_id, recipe_id, limit),
    ).fetchall()
    return [
        Cooked(
            id=row["id"],
            recipe_id=row["recipe_id"],
            user_id=row["user_id"],
            username=row["username"],
            cooked_on=date.fromisoformat(row["cooked_on"]),
            note=row["note"],
            rating=row["rating"],
        )
        for row in rows
    ]
