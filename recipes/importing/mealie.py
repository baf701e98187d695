"""Mealie: the v1+ backup (a zip with `database.json`, a dump of every table, and
`data/recipes/<id>/images/original.*`), and single-recipe JSON (the pre-v1 export: a
folder per recipe with `<slug>.json` and `images/`; also what Mealie's API returns).

A backup of thousands of recipes is one large JSON document whose tables refer to each
other, so it is streamed row by row (`limits.JsonTables`) into a temporary SQLite file,
then read back one recipe at a time: memory stays flat whatever the size.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from recipes.importing import fields, text
from recipes.importing.archive import Member
from recipes.importing.entry import Entry
from recipes.importing.export import timestamp
from recipes.importing.ingredient_text import compose, plural
from recipes.importing.limits import JsonTables

LABEL = "Mealie"
BACKUP_LABEL = "Mealie backup"
_CHILDREN = {  # table -> what joins it to its recipe
    "recipes_ingredients": "recipe_id",
    "recipe_instructions": "recipe_id",
    "notes": "recipe_id",
    "recipe_nutrition": "recipe_id",
    "recipe_settings": "recipe_id",
    "recipes_to_tags": "recipe_id",
    "recipes_to_categories": "recipe_id",
    "users_to_recipes": "recipe_id",
}
_LOOKUPS = ("ingredient_units", "ingredient_foods", "tags", "categories")
_IMAGES = ("original.webp", "original.jpg", "original.jpeg", "original.png")


def is_backup(member: Member, head: str) -> bool:
    """`database.json` of a Mealie backup: an object of table dumps."""
    return member.base.lower() == "database.json" and any(
        f'"{table}"' in head for table in ("alembic_version", "recipes", "groups", "users")
    )


def is_recipe_json(data: Any) -> bool:
    """One recipe as Mealie writes it (pre-v1 export, or its API): slug plus its keys."""
    return (
        isinstance(data, dict)
        and "slug" in data
        and any(key in data for key in ("recipeIngredient", "recipe_ingredient"))
        and "@type" not in data
    )


# --- single-recipe JSON (pre-v1 export) ----------------------------------------------------


def read_json(data: dict[str, Any], member: Member) -> Iterator[Entry]:
    slug = text.line(data.get("slug"))
    photo = fields.photo_near(member, *(f"images/{name}" for name in _IMAGES), *_IMAGES)
    if photo is None and slug:
        for ext in ("webp", "jpg", "jpeg", "png"):
            photo = fields.photo_named(member, f"images/{slug}.{ext}")
            if photo is not None:
                break
    if photo is None:
        photo = fields.photo_named(member, data.get("image"))
    yield fields.entry(member.name, draft_from_json(data), photo=photo, created_at=_created(data))


def _get(data: dict[str, Any], *names: str) -> Any:
    for name in names:
        if data.get(name) not in (None, "", []):
            return data[name]
    return None


def _names(values: Any) -> list[str]:
    if isinstance(values, str):
        return [values]
    return [text.line(v.get("name") if isinstance(v, dict) else v) for v in values or []]


def draft_from_json(data: dict[str, Any]) -> dict[str, Any]:
    groups: list[dict[str, Any]] = []
    disable_amount = bool((data.get("settings") or {}).get("disable_amount")) if isinstance(
        data.get("settings"), dict) else False  # fmt: skip
    for item in _get(data, "recipeIngredient", "recipe_ingredient") or []:
        if isinstance(item, str):
            fields.add_line(groups, text.line(item))
        elif isinstance(item, dict):
            title = text.line(item.get("title")) or None
            fields.add_line(groups, ingredient_line(item, disable_amount), title)
    steps = _steps(_get(data, "recipeInstructions", "recipe_instructions") or [])
    notes = [n for n in data.get("notes") or [] if isinstance(n, dict)]
    return _draft(
        data, groups, steps,
        (_names(_get(data, "recipeCategory", "recipe_category")), _names(data.get("tags"))),
        notes, data.get("nutrition"), data.get("rating"),
    )  # fmt: skip


def _draft(
    row: dict[str, Any],
    groups: list[dict[str, Any]],
    steps: list[str],
    labels: tuple[list[str], list[str]],
    notes: list[dict[str, Any]],
    nutrition: Any,
    rating: Any,
) -> dict[str, Any]:
    """The fields both shapes share (camelCase in JSON, snake_case in the database);
    `labels` is (categories, tags)."""
    prep = text.minutes(_get(row, "prepTime", "prep_time"))
    cook = text.minutes(_get(row, "performTime", "perform_time", "cookTime", "cook_time"))
    total = text.minutes(_get(row, "totalTime", "total_time"))
    category, tags = fields.category_and_tags(*labels)
    return {
        "title": text.line(row.get("name")),
        "description": text.paragraphs(row.get("description")),
        "ingredient_groups": groups,
        "instructions": steps,
        "servings": _servings(row),
        "prep_time": prep,
        "cook_time": cook,
        "total_time": total or ((prep or 0) + (cook or 0)) or None,
        "tags": tags,
        "category": category,
        "cuisine": text.line(_get(row, "recipeCuisine", "recipe_cuisine")),
        "source_url": text.line(_get(row, "orgURL", "org_url", "originalURL")),
        "notes": fields.notes(*((n.get("title") or "", n.get("text")) for n in notes)),
        "rating": fields.rating(rating),
        "nutrition": _nutrition(nutrition),
    }


def _servings(row: dict[str, Any]) -> str:
    words = text.line(_get(row, "recipeYield", "recipe_yield"))
    number = _get(row, "recipeServings", "recipe_servings")
    quantity = _get(row, "recipeYieldQuantity", "recipe_yield_quantity")
    if isinstance(quantity, int | float) and quantity > 0 and words and not words[0].isdigit():
        words = f"{quantity:g} {words}"
    if words:
        return words
    if isinstance(number, int | float) and number > 0:
        return f"{number:g} servings"
    return ""


def _steps(items: list[Any]) -> list[str]:
    """Steps in order; a step's title (a section of the method) leads its text."""
    result: list[str] = []
    for item in items:
        if isinstance(item, str):
            step = text.line(item)
        elif isinstance(item, dict):
            step = text.line(item.get("text"))
            title = text.line(item.get("title"))
            if title and step:
                step = f"{title}: {step}"
        else:
            continue
        if step:
            result.append(step)
    return result


def ingredient_line(item: dict[str, Any], disable_amount: bool = False) -> str:
    """`2 cups flour, sifted` from quantity, unit, food and note; the note alone when the
    recipe keeps its ingredients as plain text."""
    quantity = item.get("quantity")
    quantity = quantity if isinstance(quantity, int | float) and quantity > 0 else None
    unit, food = item.get("unit"), item.get("food")
    note = text.line(item.get("note"))
    plain = disable_amount or item.get("disable_amount") or item.get("disableAmount")
    if plain and not (unit or food):
        return note or text.line(_get(item, "originalText", "original_text", "display"))
    if unit or food:
        return compose(quantity, _unit_name(unit, quantity), _food_name(food, quantity), note)
    if quantity and note:
        return compose(quantity, "", note)
    return note or text.line(_get(item, "display", "originalText", "original_text"))


def _unit_name(unit: Any, quantity: float | None) -> str:
    if isinstance(unit, str):
        return text.line(unit)
    if not isinstance(unit, dict):
        return ""
    if unit.get("use_abbreviation") or unit.get("useAbbreviation"):
        abbreviation = text.line(unit.get("abbreviation"))
        if abbreviation:
            return abbreviation
    if plural(quantity):
        many = text.line(_get(unit, "plural_name", "pluralName"))
        if many:
            return many
    return text.line(unit.get("name"))


def _food_name(food: Any, quantity: float | None) -> str:
    if isinstance(food, str):
        return text.line(food)
    if not isinstance(food, dict):
        return ""
    if plural(quantity):
        many = text.line(_get(food, "plural_name", "pluralName"))
        if many:
            return many
    return text.line(food.get("name"))


def _nutrition(raw: Any) -> dict[str, str]:
    """Mealie's columns are schema.org's names in snake case (`fat_content`)."""
    if not isinstance(raw, dict):
        return {}
    named = {_camel(str(key)): value for key, value in raw.items()}
    return fields.nutrition({k: v for k, v in named.items() if k in fields.NUTRITION_UNITS})


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def _created(row: dict[str, Any]) -> str | None:
    value = _get(row, "created_at", "createdAt", "dateAdded", "date_added")
    return timestamp(f"{value}T00:00:00" if isinstance(value, str) and len(value) == 10 else value)


# --- v1+ backup ------------------------------------------------------------------------------


def read_backup(member: Member) -> Iterator[Entry]:
    """Every recipe of a backup, photos from `data/recipes/<id>/images/`."""
    with tempfile.TemporaryDirectory(prefix="recipes-mealie-") as folder:
        db = sqlite3.connect(Path(folder) / "tables.db")
        try:
            _load(db, member)
            yield from _recipes(db, member)
        finally:
            db.close()


def _load(db: sqlite3.Connection, member: Member) -> None:
    db.execute("CREATE TABLE rows (tbl TEXT, key TEXT, data TEXT)")
    wanted = set(_CHILDREN) | set(_LOOKUPS) | {"recipes"}
    batch: list[tuple[str, str, str]] = []
    with member.open() as stream:
        for table, row in JsonTables(stream).rows():
            if table not in wanted or not isinstance(row, dict):
                continue
            key = row.get(_CHILDREN.get(table, "id"))
            batch.append((table, _key(key), json.dumps(row)))
            if len(batch) >= 2000:
                db.executemany("INSERT INTO rows VALUES (?, ?, ?)", batch)
                batch = []
    db.executemany("INSERT INTO rows VALUES (?, ?, ?)", batch)
    db.execute("CREATE INDEX rows_by_key ON rows (tbl, key)")
    db.commit()


def _key(value: Any) -> str:
    """Ids are UUIDs, written with or without dashes depending on the database."""
    return str(value).replace("-", "").lower() if value is not None else ""


def _rows(db: sqlite3.Connection, table: str, key: str) -> list[dict[str, Any]]:
    found = db.execute("SELECT data FROM rows WHERE tbl = ? AND key = ? ORDER BY rowid",
                       (table, key))  # fmt: skip
    return [json.loads(data) for (data,) in found]


def _lookup(db: sqlite3.Connection, table: str, key: Any) -> dict[str, Any] | None:
    rows = _rows(db, table, _key(key)) if key else []
    return rows[0] if rows else None


def _recipes(db: sqlite3.Connection, member: Member) -> Iterator[Entry]:
    cursor = db.execute("SELECT data FROM rows WHERE tbl = 'recipes' ORDER BY rowid")
    while chunk := cursor.fetchmany(100):
        for (data,) in chunk:
            row = json.loads(data)
            name = text.line(row.get("name")) or "recipe"
            try:
                yield _backup_entry(db, member, row)
            except (ValueError, TypeError, KeyError) as error:
                yield Entry(name, error=f"unreadable recipe ({error})")


def _position(row: dict[str, Any]) -> int:
    value = row.get("position")
    return value if isinstance(value, int) else 0


def _backup_entry(db: sqlite3.Connection, member: Member, row: dict[str, Any]) -> Entry:
    key = _key(row.get("id"))
    settings = _rows(db, "recipe_settings", key)
    disable_amount = bool(settings and settings[0].get("disable_amount"))
    groups: list[dict[str, Any]] = []
    for item in sorted(_rows(db, "recipes_ingredients", key), key=_position):
        item["unit"] = _lookup(db, "ingredient_units", item.get("unit_id"))
        item["food"] = _lookup(db, "ingredient_foods", item.get("food_id"))
        title = text.line(item.get("title")) or None
        fields.add_line(groups, ingredient_line(item, disable_amount), title)
    steps = _steps(sorted(_rows(db, "recipe_instructions", key), key=_position))
    tags = [_lookup(db, "tags", link.get("tag_id")) for link in _rows(db, "recipes_to_tags", key)]
    categories = [
        _lookup(db, "categories", link.get("category_id"))
        for link in _rows(db, "recipes_to_categories", key)
    ]
    nutrition = _rows(db, "recipe_nutrition", key)
    draft = _draft(
        row, groups, steps,
        (_names([c for c in categories if c]), _names([t for t in tags if t])),
        _rows(db, "notes", key), nutrition[0] if nutrition else None,
        row.get("rating") or _user_rating(_rows(db, "users_to_recipes", key)),
    )  # fmt: skip
    photo = None
    for name in dict.fromkeys((str(row.get("id")), key, _dashed(key))):
        photo = photo or fields.photo(_image(member, f"data/recipes/{name}/images"))
    return fields.entry(member.name, draft, photo=photo, created_at=_created(row),
                        updated_at=timestamp(_get(row, "updated_at", "update_at")))  # fmt: skip


def _dashed(key: str) -> str:
    """The UUID form Mealie names its data folders with."""
    try:
        return str(uuid.UUID(hex=key))
    except ValueError:
        return key


def _image(member: Member, folder: str) -> Member | None:
    base = f"{member.folder}/{folder}" if member.folder else folder
    return member.tree.find(base, *_IMAGES)


def _user_rating(rows: list[dict[str, Any]]) -> float | None:
    """Mealie 1.x keeps ratings per user; the recipe gets their average."""
    ratings = [r["rating"] for r in rows if isinstance(r.get("rating"), int | float) and
               r["rating"] > 0]  # fmt: skip
    return sum(ratings) / len(ratings) if ratings else None
