"""Recipe photos that came inside import files (Paprika's `photo_data`, our export).

`RecipeIn.image_url` holds only http(s) addresses, so an embedded photo is stored in the
database (table `recipe_photos`, migration 0006), keyed by recipe, and served at
/recipes/<id>/photo.
"""

from __future__ import annotations

import sqlite3

from recipes.importing.entry import Photo


def save_photo(db: sqlite3.Connection, recipe_id: int, photo: Photo) -> bool:
    """Store (or replace) a recipe's photo inside the caller's transaction."""
    db.execute(
        "INSERT INTO recipe_photos (recipe_id, content_type, data) VALUES (?, ?, ?) "
        "ON CONFLICT (recipe_id) DO UPDATE SET content_type = excluded.content_type, "
        "data = excluded.data",
        (recipe_id, photo.content_type, photo.data),
    )
    return True


def get_photo(db: sqlite3.Connection, household_id: int, recipe_id: int) -> Photo | None:
    """The photo of one of the household's recipes."""
    row = db.execute(
        "SELECT p.content_type, p.data FROM recipe_photos p JOIN recipes r ON r.id = p.recipe_id "
        "WHERE p.recipe_id = ? AND r.household_id = ?",
        (recipe_id, household_id),
    ).fetchone()
    return Photo(bytes(row["data"]), row["content_type"]) if row else None
