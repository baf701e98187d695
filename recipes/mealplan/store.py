"""Meal plan persistence. Every function takes the household's id: no query crosses households."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from recipes.cooking.log import record_cooked
from recipes.cooking.scaling import counts_batches
from recipes.db import transaction, utcnow

from .models import Entry
from .settings import ensure_settings

WEEK = 7


@dataclass(frozen=True)
class Slot:
    id: int
    name: str
    position: int


def week_start(day: dt.date, first_day: int) -> dt.date:
    """The first day of the week holding `day`, for weeks starting on `first_day` (0 = Monday)."""
    return day - dt.timedelta(days=(day.weekday() - first_day) % WEEK)


# --- slots --------------------------------------------------------------------------------


def slots(db: sqlite3.Connection, household_id: int) -> list[Slot]:
    ensure_settings(db, household_id)
    rows = db.execute(
        "SELECT id, name, position FROM meal_slots WHERE household_id = ? ORDER BY position, id",
        (household_id,),
    )
    return [Slot(row["id"], row["name"], row["position"]) for row in rows]


def slot_by_name(db: sqlite3.Connection, household_id: int, name: str) -> Slot | None:
    wanted = name.strip().casefold()
    return next((s for s in slots(db, household_id) if s.name.casefold() == wanted), None)


def add_slot(db: sqlite3.Connection, household_id: int, name: str) -> Slot:
    existing = slot_by_name(db, household_id, name)
    if existing:
        return existing
    with transaction(db):
        position = db.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM meal_slots WHERE household_id = ?",
            (household_id,),
        ).fetchone()[0]
        slot_id = db.execute(
            "INSERT INTO meal_slots (household_id, name, position) VALUES (?, ?, ?)",
            (household_id, name, position),
        ).lastrowid
    return Slot(slot_id or 0, name, position)


def rename_slot(db: sqlite3.Connection, household_id: int, slot_id: int, name: str) -> bool:
    with transaction(db):
        cursor = db.execute(
            "UPDATE meal_slots SET name = ? WHERE id = ? AND household_id = ?",
            (name, slot_id, household_id),
        )
    return cursor.rowcount > 0


# --- entries ------------------------------------------------------------------------------

_ENTRY_SELECT = (
    "SELECT e.id, e.day, e.slot_id, s.name AS slot, e.recipe_id, e.text, e.servings, "
    "e.cooked_on, r.title AS recipe_title, r.servings AS recipe_servings "
    "FROM meal_plan_entries e "
    "JOIN meal_slots s ON s.id = e.slot_id LEFT JOIN recipes r ON r.id = e.recipe_id "
)


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(
        id=row["id"],
        date=row["day"],
        slot=row["slot"],
        slot_id=row["slot_id"],
        recipe_id=row["recipe_id"],
        text=row["text"] or None,
        title=row["recipe_title"] or row["text"],
        servings=row["servings"],
        batches=counts_batches(row["recipe_servings"]),
        cooked_on=row["cooked_on"],
    )


def entries(db: sqlite3.Connection, household_id: int, start: dt.date, end: dt.date) -> list[Entry]:
    """Entries from `start` to `end` inclusive, by day, slot order and position."""
    rows = db.execute(
        _ENTRY_SELECT + "WHERE e.household_id = ? AND e.day BETWEEN ? AND ? "
        "ORDER BY e.day, s.position, e.position, e.id",
        (household_id, start.isoformat(), end.isoformat()),
    )
    return [_entry(row) for row in rows]


def get_entry(db: sqlite3.Connection, household_id: int, entry_id: int) -> Entry | None:
    row = db.execute(
        _ENTRY_SELECT + "WHERE e.id = ? AND e.household_id = ?", (entry_id, household_id)
    ).fetchone()
    return _entry(row) if row else None


def times_planned(db: sqlite3.Connection, household_id: int, recipe_id: int) -> int:
    """How many plan entries name the recipe (deleting it leaves them as notes)."""
    return db.execute(
        "SELECT count(*) FROM meal_plan_entries WHERE recipe_id = ? AND household_id = ?",
        (recipe_id, household_id),
    ).fetchone()[0]


def owns_recipe(db: sqlite3.Connection, household_id: int, recipe_id: int) -> bool:
    row = db.execute(
        "SELECT 1 FROM recipes WHERE id = ? AND household_id = ?",
        (recipe_id, household_id),
    ).fetchone()
    return row is not None


def recipe_by_title(db: sqlite3.Connection, household_id: int, title: str) -> int | None:
    """The newest of the household's recipes with exactly this title (any case)."""
    row = db.execute(
        "SELECT id FROM recipes WHERE household_id = ? AND title = ? COLLATE NOCASE "
        "ORDER BY created_at DESC, id DESC LIMIT 1",
        (household_id, title.strip()),
    ).fetchone()
    return row[0] if row else None


def recipe_titles(db: sqlite3.Connection, household_id: int, limit: int = 500) -> list[str]:
    """Titles to offer while typing (the newest first)."""
    rows = db.execute(
        "SELECT DISTINCT title FROM recipes WHERE household_id = ? "
        "ORDER BY created_at DESC LIMIT ?",
        (household_id, limit),
    )
    return [row[0] for row in rows]


def add_entry(
    db: sqlite3.Connection,
    household_id: int,
    day: dt.date,
    slot_id: int,
    recipe_id: int | None = None,
    text: str | None = None,
    servings: float | None = None,
) -> int:
    """Add at the end of the day's slot. The caller has checked that slot and recipe are ours."""
    with transaction(db):
        return _insert_entry(db, household_id, day, slot_id, recipe_id, text, servings)


def _insert_entry(
    db: sqlite3.Connection,
    household_id: int,
    day: dt.date,
    slot_id: int,
    recipe_id: int | None,
    text: str | None,
    servings: float | None,
) -> int:
    position = db.execute(
        "SELECT coalesce(max(position), -1) + 1 FROM meal_plan_entries "
        "WHERE household_id = ? AND day = ? AND slot_id = ?",
        (household_id, day.isoformat(), slot_id),
    ).fetchone()[0]
    cursor = db.execute(
        "INSERT INTO meal_plan_entries "
        "(household_id, day, slot_id, recipe_id, text, servings, position, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (household_id, day.isoformat(), slot_id, recipe_id, text or "", servings, position,
         utcnow()),
    )  # fmt: skip
    return cursor.lastrowid or 0


def update_entry(
    db: sqlite3.Connection, household_id: int, entry_id: int, changes: dict[str, Any]
) -> bool:
    """Set some of day, slot_id, recipe_id, text, servings, cooked_on."""
    columns = {"day", "slot_id", "recipe_id", "text", "servings", "cooked_on"}
    assert set(changes) <= columns, changes
    if not changes:
        return get_entry(db, household_id, entry_id) is not None
    values = [v.isoformat() if isinstance(v, dt.date) else v for v in changes.values()]
    assignments = ", ".join(f"{column} = ?" for column in changes)
    with transaction(db):
        cursor = db.execute(
            f"UPDATE meal_plan_entries SET {assignments} WHERE id = ? AND household_id = ?",  # noqa: S608
            (*values, entry_id, household_id),
        )
    return cursor.rowcount > 0


def delete_entry(db: sqlite3.Connection, household_id: int, entry_id: int) -> bool:
    with transaction(db):
        cursor = db.execute(
            "DELETE FROM meal_plan_entries WHERE id = ? AND household_id = ?",
            (entry_id, household_id),
        )
    return cursor.rowcount > 0


def copy_week(db: sqlite3.Connection, household_id: int, source: dt.date, target: dt.date) -> int:
    """Copy the 7 days from `source` onto the 7 days from `target` (added to what is there)."""
    shift = target - source
    copied = entries(db, household_id, source, source + dt.timedelta(days=WEEK - 1))
    with transaction(db):
        for entry in copied:
            _insert_entry(
                db, household_id, entry.date + shift, entry.slot_id, entry.recipe_id,
                entry.text, entry.servings,
            )  # fmt: skip
    return len(copied)


def planned_recipe_ids(
    db: sqlite3.Connection, household_id: int, start: dt.date, end: dt.date
) -> list[tuple[int, float | None]]:
    """(recipe_id, servings) of every recipe entry from `start` to `end`, in plan order."""
    return [(e.recipe_id, e.servings) for e in entries(db, household_id, start, end) if e.recipe_id]


def mark_cooked(db: sqlite3.Connection, household_id: int, entry: Entry, user_id: int) -> None:
    """Record a planned recipe in the cooking log (once), on the day it was planned for."""
    if entry.cooked_on is not None:
        return
    cooked_on = min(entry.date, dt.date.today())
    if entry.recipe_id is not None:
        record_cooked(entry.recipe_id, user_id, household_id, cooked_on)
    update_entry(db, household_id, entry.id, {"cooked_on": cooked_on})
