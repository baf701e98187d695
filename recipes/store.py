"""Recipe persistence. Every function takes the owning household's id: no query crosses
households. Writes also name the account making them (`by`), recorded as creator/editor."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from recipes.db import connect, transaction, utcnow
from recipes.ingredients import stored as parsed_lines
from recipes.models import IngredientGroup, Recipe, RecipeIn, flatten_groups

_COLUMNS = (
    "title", "description", "ingredient_groups", "instructions", "servings", "prep_time",
    "cook_time", "total_time", "tags", "category", "cuisine", "source_url", "image_url",
    "notes", "rating", "nutrition",
)  # fmt: skip
_JSON_COLUMNS = {"ingredient_groups", "instructions", "tags", "nutrition"}
_RECIPE_FIELDS = frozenset(Recipe.model_fields)
_RECIPE_FIELD_ORDER = tuple(Recipe.model_fields)
# A whole recipe with the names of who created and last edited it.
FULL_COLUMNS = "r.*, cu.username AS created_by_name, uu.username AS updated_by_name"
AUTHORS_JOIN = "LEFT JOIN users cu ON cu.id = r.user_id LEFT JOIN users uu ON uu.id = r.updated_by "
SUMMARY_COLUMNS = (
    "r.id, r.title, r.description, r.tags, r.category, r.cuisine, r.total_time, "
    "r.image_url, r.rating, r.created_at"
)


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


# --- writes -------------------------------------------------------------------------------


class VersionConflict(Exception):
    """A save started from an older version than the stored one; nothing was written."""

    def __init__(self, current: Recipe) -> None:
        super().__init__(f"recipe {current.id} is at version {current.version}")
        self.current = current


def create_recipe(
    db: sqlite3.Connection,
    household_id: int,
    data: RecipeIn,
    created_at: str | None = None,
    updated_at: str | None = None,
    *,
    by: int,
) -> int:
    parsed = stored_parse(data)
    with transaction(db):
        return insert_recipe(db, household_id, data, created_at, updated_at, by=by, parsed=parsed)


def bulk_create(
    db: sqlite3.Connection, household_id: int, batch: Iterable[RecipeIn], *, by: int
) -> list[int]:
    """Insert many recipes in one transaction: all of them, or none."""
    with transaction(db):
        return [insert_recipe(db, household_id, data, by=by) for data in batch]


def stored_parse(data: RecipeIn) -> str:
    """The ingredient lines' parse as stored: most of a save's CPU, so callers make it
    before taking the write lock, where it would keep every other writer waiting."""
    return parsed_lines.dumps(data.ingredients or [])


def insert_recipe(
    db: sqlite3.Connection,
    household_id: int,
    data: RecipeIn,
    created_at: str | None = None,
    updated_at: str | None = None,
    *,
    by: int,
    parsed: str | None = None,
) -> int:
    """Insert inside the caller's transaction; `by` is the creating account, `parsed` the
    ingredient lines' stored parse when the caller made it before taking the write lock."""
    values = _row_values(data)
    if parsed is None:
        parsed = stored_parse(data)
    now = utcnow()
    created = created_at or now
    cursor = db.execute(
        f"INSERT INTO recipes (household_id, user_id, updated_by, {', '.join(_COLUMNS)}, "  # noqa: S608
        f"ingredients_parsed, created_at, updated_at) "
        f"VALUES (?, ?, ?, {', '.join('?' * len(_COLUMNS))}, ?, ?, ?)",
        (household_id, by, by, *values, parsed, created,
         updated_at or created),
    )  # fmt: skip
    recipe_id = cursor.lastrowid
    assert recipe_id is not None
    _write_tags(db, recipe_id, data.tags)
    _write_fts(db, recipe_id, data)
    return recipe_id


def update_recipe(
    db: sqlite3.Connection,
    household_id: int,
    recipe_id: int,
    data: RecipeIn,
    *,
    by: int,
    expected_version: int | None = None,
) -> bool:
    """Replace a recipe's fields; False if the household has no such recipe.

    With `expected_version`, raises `VersionConflict` when someone saved in between.
    """
    assignments = ", ".join(f"{column} = ?" for column in _COLUMNS)
    parsed = stored_parse(data)
    with transaction(db):
        check = ""
        args: tuple[int, ...] = ()
        if expected_version is not None:
            check, args = " AND version = ?", (expected_version,)
        cursor = db.execute(
            f"UPDATE recipes SET {assignments}, ingredients_parsed = ?, updated_at = ?, "  # noqa: S608
            f"updated_by = ?, version = version + 1 WHERE id = ? AND household_id = ?{check}",
            (
                *_row_values(data),
                parsed,
                utcnow(),
                by,
                recipe_id,
                household_id,
                *args,
            ),  # fmt: skip
        )
        if cursor.rowcount == 0:
            current = get_recipe(db, household_id, recipe_id) if check else None
            if current is not None:
                raise VersionConflict(current)
            return False
        db.execute("DELETE FROM recipe_tags WHERE recipe_id = ?", (recipe_id,))
        _write_tags(db, recipe_id, data.tags)
        db.execute("DELETE FROM recipe_fts WHERE rowid = ?", (recipe_id,))
        _write_fts(db, recipe_id, data)
    return True


def delete_recipe(db: sqlite3.Connection, household_id: int, recipe_id: int) -> bool:
    with transaction(db):
        cursor = db.execute(
            "DELETE FROM recipes WHERE id = ? AND household_id = ?", (recipe_id, household_id)
        )
        if cursor.rowcount:
            db.execute("DELETE FROM recipe_fts WHERE rowid = ?", (recipe_id,))
    return cursor.rowcount > 0


def set_share_token(
    db: sqlite3.Connection, household_id: int, recipe_id: int, token: str | None
) -> bool:
    with transaction(db):
        cursor = db.execute(
            "UPDATE recipes SET share_token = ? WHERE id = ? AND household_id = ?",
            (token, recipe_id, household_id),
        )
    return cursor.rowcount > 0


def upgrade_data(path: str) -> None:
    """Data upgrades that SQL alone cannot do (run at start-up, after the migrations)."""
    db = connect(path)
    try:
        refresh_parsed_ingredients(db)
        parse_stored_ingredients(db)
    finally:
        db.close()


def refresh_parsed_ingredients(db: sqlite3.Connection) -> bool:
    """Clear every stored parse made by another parser version (stored form or model), so
    `parse_stored_ingredients` parses them again. True when it cleared them.

    Read first, so an ordinary start takes no write lock; cleared in one transaction that
    checks again, so of several processes starting at once only one clears."""
    current = parsed_lines.version()
    if _parsed_version(db) == current:
        return False
    with transaction(db):
        if _parsed_version(db) == current:
            return False
        db.execute("UPDATE recipes SET ingredients_parsed = NULL")
        db.execute(
            "INSERT OR REPLACE INTO derived_versions (name, version) "
            "VALUES ('ingredients_parsed', ?)",
            (current,),
        )
    return True


def _parsed_version(db: sqlite3.Connection) -> str | None:
    row = db.execute(
        "SELECT version FROM derived_versions WHERE name = 'ingredients_parsed'"
    ).fetchone()
    return row[0] if row else None


def parse_stored_ingredients(db: sqlite3.Connection, batch: int = 2000) -> int:
    """Parse the ingredients of every recipe stored without them (after the upgrade to 0011,
    or once `refresh_parsed_ingredients` cleared them).

    Runs at start-up in batches, each its own short transaction, so requests are not held
    up for long; several processes running it at once only repeat some work.
    """
    done = 0
    memo: dict[str, str] = {}  # each distinct line parsed once
    while True:
        rows = db.execute(
            "SELECT id, ingredient_groups FROM recipes WHERE ingredients_parsed IS NULL LIMIT ?",
            (batch,),
        ).fetchall()
        if not rows:
            return done
        updates = []
        for recipe_id, groups in rows:
            lines = [line for g in json.loads(groups) for line in g["ingredients"]]
            updates.append((parsed_lines.dumps(lines, memo), recipe_id))
        with transaction(db):
            db.executemany("UPDATE recipes SET ingredients_parsed = ? WHERE id = ?", updates)
        done += len(rows)


def _row_values(data: RecipeIn) -> tuple[Any, ...]:
    stored = data.storage_dict()
    return tuple(
        json.dumps(stored[c], ensure_ascii=False) if c in _JSON_COLUMNS else stored[c]
        for c in _COLUMNS
    )


def _write_tags(db: sqlite3.Connection, recipe_id: int, tags: list[str]) -> None:
    db.executemany(
        "INSERT OR IGNORE INTO recipe_tags (recipe_id, tag) VALUES (?, ?)",
        [(recipe_id, tag) for tag in tags],
    )


def _write_fts(db: sqlite3.Connection, recipe_id: int, data: RecipeIn) -> None:
    groups = data.ingredient_groups or []
    ingredients = "\n".join(
        line for g in groups for line in ([g.title] if g.title else []) + g.ingredients
    )
    db.execute(
        "INSERT INTO recipe_fts (rowid, title, ingredients, instructions, description, notes, "
        "tags) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            recipe_id,
            data.title,
            ingredients,
            "\n".join(data.instructions),
            data.description,
            data.notes,
            " ".join(data.tags),
        ),
    )


# --- reads --------------------------------------------------------------------------------


def get_recipe(db: sqlite3.Connection, household_id: int, recipe_id: int) -> Recipe | None:
    """One recipe of the household, with the names of who created and last edited it."""
    row = db.execute(
        f"SELECT {FULL_COLUMNS} FROM recipes r {AUTHORS_JOIN}"  # noqa: S608
        "WHERE r.id = ? AND r.household_id = ?",
        (recipe_id, household_id),
    ).fetchone()
    return recipe_from_row(row) if row else None


def get_shared_recipe(db: sqlite3.Connection, token: str) -> Recipe | None:
    row = db.execute("SELECT * FROM recipes WHERE share_token = ?", (token,)).fetchone()
    return recipe_from_row(row) if row else None


def record_revoked_share(db: sqlite3.Connection, token: str) -> None:
    """Remember that a link existed and was turned off (by its hash only)."""
    with transaction(db):
        db.execute(
            "INSERT OR IGNORE INTO revoked_share_links (token_hash, revoked_at) VALUES (?, ?)",
            (_token_hash(token), utcnow()),
        )


def share_was_revoked(db: sqlite3.Connection, token: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM revoked_share_links WHERE token_hash = ?", (_token_hash(token),)
    ).fetchone()
    return row is not None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_share_token(db: sqlite3.Connection, household_id: int, recipe_id: int) -> str | None:
    row = db.execute(
        "SELECT share_token FROM recipes WHERE id = ? AND household_id = ?",
        (recipe_id, household_id),
    ).fetchone()
    return row["share_token"] if row else None


def rows_by_source_url(db: sqlite3.Connection, household_id: int, url: str) -> list[sqlite3.Row]:
    """The household's recipes imported from `url` (id, title, ingredient_groups), oldest
    first; none for an empty address."""
    if not url:
        return []
    return db.execute(
        "SELECT id, title, ingredient_groups FROM recipes "
        "WHERE household_id = ? AND source_url = ? AND source_url != '' ORDER BY id",
        (household_id, url),
    ).fetchall()


def household_rows(
    db: sqlite3.Connection, household_id: int, created_by: int | None = None
) -> Iterator[sqlite3.Row]:
    """Every recipe row of the household (optionally only one account's), oldest first."""
    if created_by is None:
        return db.execute(
            "SELECT * FROM recipes WHERE household_id = ? ORDER BY id", (household_id,)
        )
    return db.execute(
        "SELECT * FROM recipes WHERE household_id = ? AND user_id = ? ORDER BY id",
        (household_id, created_by),
    )


def recipe_from_row(row: sqlite3.Row) -> Recipe:
    """A stored row as a `Recipe`, built without re-running the input validators.

    Every row was validated and cleaned by `RecipeIn` on its way in; validating it again
    on each read cost ~0.5 ms a recipe, most of a 50-result search page.
    """
    fields, token = _stored_fields(row)
    groups = [
        IngredientGroup.model_construct(title=g.get("title"), ingredients=g["ingredients"])
        for g in fields["ingredient_groups"]
    ]
    lines = flatten_groups(groups)
    fields.update(
        ingredient_groups=groups,
        ingredients=lines,
        ingredients_parsed=parsed_lines.loads(lines, fields["ingredients_parsed"]),
    )
    return Recipe.from_storage(fields, token)


@dataclass(slots=True)
class RecipeData:
    """A stored recipe as the plain data its `Recipe` serialises to (same keys, same order),
    for pages of many recipes: building 50 `Recipe` models to serialise them took 4 ms."""

    data: dict[str, Any]
    share_token: str | None


def recipe_data_from_row(row: sqlite3.Row) -> RecipeData:
    fields, token = _stored_fields(row)
    lines = [line for group in fields["ingredient_groups"] for line in group["ingredients"]]
    fields.update(
        ingredients=lines,
        ingredients_parsed=parsed_lines.plain(lines, fields["ingredients_parsed"]),
        photos=[],
    )
    return RecipeData({name: fields.get(name) for name in _RECIPE_FIELD_ORDER}, token)


def _stored_fields(row: sqlite3.Row) -> tuple[dict[str, Any], str | None]:
    """The row's recipe fields, JSON decoded, and its share token (kept apart: never output).

    `ingredients_parsed` is still the column's text; `created_by`/`updated_by` are the names
    from the query's join, when it made one.
    """
    data = dict(row)
    fields = {name: data[name] for name in _RECIPE_FIELDS if name in data}
    for column in _JSON_COLUMNS:
        fields[column] = json.loads(data[column])
    fields.update(
        created_at=datetime.fromisoformat(data["created_at"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
        created_by=data.get("created_by_name"),
        updated_by=data.get("updated_by_name"),
    )
    return fields, data.get("share_token")


def summary_from_row(row: sqlite3.Row) -> dict[str, Any]:
    data = dict(row)
    data["tags"] = json.loads(data["tags"])
    return data


def filter_clause(tag: str | None, category: str | None) -> tuple[str, list[Any]]:
    sql, params = "", []
    if tag:
        sql += " AND r.id IN (SELECT recipe_id FROM recipe_tags WHERE tag = ?)"
        params.append(tag)
    if category:
        sql += " AND r.category = ? COLLATE NOCASE"
        params.append(category)
    return sql, params


def list_recipes(
    db: sqlite3.Connection,
    household_id: int,
    page: int = 1,
    per_page: int = 50,
    tag: str | None = None,
    category: str | None = None,
    full: bool = False,
) -> Page:
    """Newest first. `full` returns `RecipeData` (whole recipes), otherwise summary dicts."""
    where, params = filter_clause(tag, category)
    if where:
        total = db.execute(
            f"SELECT count(*) FROM recipes r WHERE r.household_id = ?{where}",  # noqa: S608
            (household_id, *params),
        ).fetchone()[0]
    else:
        total = recipe_count(db, household_id)
    columns = FULL_COLUMNS if full else SUMMARY_COLUMNS
    rows = db.execute(
        f"SELECT {columns} FROM recipes r {AUTHORS_JOIN if full else ''}"  # noqa: S608
        f"WHERE r.household_id = ?{where} "
        "ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?",
        (household_id, *params, per_page, (page - 1) * per_page),
    ).fetchall()
    convert = recipe_data_from_row if full else summary_from_row
    return Page([convert(row) for row in rows], total, page, per_page)


def recipe_count(db: sqlite3.Connection, household_id: int) -> int:
    """From recipe_counts, which triggers keep in step (migrations 0003 and 0008)."""
    row = db.execute(
        "SELECT count FROM recipe_counts WHERE household_id = ?", (household_id,)
    ).fetchone()
    return row[0] if row else 0


def tag_counts(db: sqlite3.Connection, household_id: int) -> list[dict[str, Any]]:
    """From tag_counts, which triggers keep in step (migrations 0003 and 0008)."""
    rows = db.execute(
        "SELECT tag AS name, count FROM tag_counts WHERE household_id = ? AND count > 0 "
        "ORDER BY count DESC, name COLLATE NOCASE",
        (household_id,),
    ).fetchall()
    return [dict(row) for row in rows]


def categories(db: sqlite3.Connection, household_id: int) -> list[str]:
    """The household's categories, A-Z. One index probe per category (a skip scan of
    recipes_by_household_category): DISTINCT read all 100,000 entries, 7 ms a page."""
    rows = db.execute(
        "WITH RECURSIVE found(category) AS ("
        " SELECT min(category) FROM recipes WHERE household_id = ?1 AND category > ''"
        " UNION ALL SELECT (SELECT min(category) FROM recipes"
        "  WHERE household_id = ?1 AND category > found.category)"
        " FROM found WHERE found.category IS NOT NULL) "
        "SELECT category FROM found WHERE category IS NOT NULL ORDER BY category COLLATE NOCASE",
        (household_id,),
    ).fetchall()
    return [row["category"] for row in rows]


def all_recipes(db: sqlite3.Connection, household_id: int) -> Iterator[Recipe]:
    """Every recipe of the household, oldest first, read one row at a time (for exports)."""
    for row in household_rows(db, household_id):
        yield recipe_from_row(row)
