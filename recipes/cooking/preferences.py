"""Per-account cooking preferences: the units recipes are shown in."""

from __future__ import annotations

import sqlite3

from recipes.cooking.quantities import SYSTEMS, System
from recipes.db import transaction


def units(db: sqlite3.Connection, user_id: int) -> System | None:
    """'metric', 'us', or None for amounts as written."""
    row = db.execute("SELECT units FROM users WHERE id = ?", (user_id,)).fetchone()
    return row["units"] if row and row["units"] in SYSTEMS else None


def set_units(db: sqlite3.Connection, user_id: int, system: System | None) -> None:
    with transaction(db):
        db.execute("UPDATE users SET units = ? WHERE id = ?", (system, user_id))
