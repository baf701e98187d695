"""Who owns cooking data: the household (issue 13), or the account until households exist.

Households give every existing account a household whose id is the account's id, so log
entries written before they arrive keep their owner.
"""

from __future__ import annotations

import sqlite3

from flask_login import current_user

try:
    from recipes.households import current_household_id, require_writer
except ImportError:  # households not merged yet: each account is a household of its own

    def current_household_id() -> int:
        return int(current_user.id)

    def require_writer() -> None:
        return None


__all__ = ["current_household_id", "owner_column", "require_writer"]


def owner_column(db: sqlite3.Connection) -> str:
    """The recipes column naming the owner: household_id once households exist."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(recipes)")}
    return "household_id" if "household_id" in columns else "user_id"
