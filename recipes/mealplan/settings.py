"""A household's planning settings, and the defaults a household starts with.

The first time a household opens the planner or a shopping list it gets the usual meal
slots, a shop's aisles in a common order and the usual pantry staples; all are editable.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from recipes.db import transaction

DEFAULT_SLOTS = ("Breakfast", "Lunch", "Dinner", "Snack")
DEFAULT_AISLES = (
    "Produce", "Bakery", "Meat & fish", "Dairy & eggs", "Pantry", "Spices", "Frozen",
    "Drinks", "Household", "Other",
)  # fmt: skip
OTHER_AISLE = "Other"
DEFAULT_STAPLES = ("salt", "pepper", "black pepper", "salt and pepper", "water", "oil")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class PlanSettings:
    first_day: int  # 0 = Monday ... 6 = Sunday
    ical_token: str | None


def ensure_settings(db: sqlite3.Connection, household_id: int) -> PlanSettings:
    """The household's settings, writing them and the defaults on first use."""
    row = _settings_row(db, household_id)
    if row is None:
        with transaction(db):
            created = db.execute(
                "INSERT OR IGNORE INTO planning_settings (household_id) VALUES (?)",
                (household_id,),
            ).rowcount
            if created:
                _seed(db, household_id)
        row = _settings_row(db, household_id)
    return PlanSettings(first_day=row["first_day"], ical_token=row["ical_token"])  # type: ignore[index]


def _settings_row(db: sqlite3.Connection, household_id: int) -> sqlite3.Row | None:
    return db.execute(
        "SELECT first_day, ical_token FROM planning_settings WHERE household_id = ?",
        (household_id,),
    ).fetchone()


def _seed(db: sqlite3.Connection, household_id: int) -> None:
    from recipes.shopping.foods import food_key  # the staples are matched by food key

    db.executemany(
        "INSERT INTO meal_slots (household_id, name, position) VALUES (?, ?, ?)",
        [(household_id, name, i) for i, name in enumerate(DEFAULT_SLOTS)],
    )
    db.executemany(
        "INSERT OR IGNORE INTO aisles (household_id, name, position) VALUES (?, ?, ?)",
        [(household_id, name, i) for i, name in enumerate(DEFAULT_AISLES)],
    )
    db.executemany(
        "INSERT OR IGNORE INTO pantry_staples (household_id, food_key, name) VALUES (?, ?, ?)",
        [(household_id, food_key(name), name) for name in DEFAULT_STAPLES],
    )


def set_first_day(db: sqlite3.Connection, household_id: int, first_day: int) -> None:
    ensure_settings(db, household_id)
    with transaction(db):
        db.execute(
            "UPDATE planning_settings SET first_day = ? WHERE household_id = ?",
            (first_day % 7, household_id),
        )


def set_ical_token(db: sqlite3.Connection, household_id: int, token: str | None) -> None:
    ensure_settings(db, household_id)
    with transaction(db):
        db.execute(
            "UPDATE planning_settings SET ical_token = ? WHERE household_id = ?",
            (token, household_id),
        )


def household_by_ical_token(db: sqlite3.Connection, token: str) -> int | None:
    row = db.execute(
        "SELECT household_id FROM planning_settings WHERE ical_token = ?", (token,)
    ).fetchone()
    return row[0] if row else None
