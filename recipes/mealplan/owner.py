"""Whose plan and lists these are: the caller's household (issue 13). Until households are
merged each account is a household of its own, with the account's id, which is also the id
the households migration gives it, so nothing written before then changes owner.

Delete this module (and import from `recipes.households`) once households are on main.
"""

from __future__ import annotations

import sqlite3

from flask import g
from flask_login import current_user

try:
    from recipes.households import current_household_id, require_writer
except ImportError:  # households not merged yet

    def current_household_id() -> int:
        return int((g.get("api_user") or current_user).id)

    def require_writer() -> None:
        return None


__all__ = ["current_household_id", "recipe_owner", "require_writer"]


def recipe_owner(db: sqlite3.Connection) -> str:
    """The recipes column naming the owning household (user_id until households exist)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(recipes)")}
    return "household_id" if "household_id" in columns else "user_id"


def user_household(db: sqlite3.Connection, user_id: int) -> int:
    """The household an account belongs to (its own id until households exist)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(users)")}
    if "household_id" not in columns:
        return user_id
    return db.execute("SELECT household_id FROM users WHERE id = ?", (user_id,)).fetchone()[0]
