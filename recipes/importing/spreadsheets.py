"""CSV exports, one recipe a row: Plan to Eat and My Recipe Box (and other recipe tables
with a title, ingredients and directions column). Columns are matched by name, not by
position, so a reordered or extended export still reads; rows stream one at a time.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import Any

from recipes.importing import fields, text
from recipes.importing.archive import Member
from recipes.importing.entry import Entry
from recipes.importing.export import timestamp

PLAN_TO_EAT = "Plan to Eat"
MY_RECIPE_BOX = "My Recipe Box"
MAX_FIELD = 1024 * 1024
_PLAN_TO_EAT_ONLY = {
    "mainingredient",
    "urlhost",
    "photourl",
    "publicurl",
    "nutritionalscorerelative",
}
_ALIASES = {
    "title": ("title", "name", "recipename", "recipe"),
    "description": ("description", "summary", "introduction"),
    "ingredients": ("ingredients", "ingredient", "ingredientlist"),
    "instructions": ("directions", "instructions", "preparation", "method", "steps"),
    "servings": ("servings", "serves", "portions", "yield", "quantity"),
    "prep": ("preptime", "preparationtime", "prep"),
    "cook": ("cooktime", "cookingtime", "cook"),
    "total": ("totaltime", "time", "readyin"),
    "tags": ("tags", "keywords", "labels"),
    "category": ("course", "category", "categories", "mealtype"),
    "cuisine": ("cuisine",),
    "url": ("url", "sourceurl", "originalurl", "link", "weblink"),
    "source": ("source", "author", "sourcename"),
    "photo": ("photourl", "imageurl", "image", "photo", "picture"),
    "notes": ("notes", "comments", "comment", "tips", "note"),
    "rating": ("rating", "stars"),
    "created": ("createdat", "datecreated", "created", "dateadded"),
    "updated": ("updatedat", "datemodified", "updated"),
    "main": ("mainingredient",),
}
_NUTRITION = {
    "calories": "calories", "fat": "fatContent", "saturatedfat": "saturatedFatContent",
    "cholesterol": "cholesterolContent", "sodium": "sodiumContent", "sugar": "sugarContent",
    "carbohydrate": "carbohydrateContent", "carbohydrates": "carbohydrateContent",
    "fiber": "fiberContent", "protein": "proteinContent",
}  # fmt: skip


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _columns(header: list[str]) -> dict[str, int]:
    keys = [_key(name) for name in header]
    found: dict[str, int] = {}
    for field, aliases in _ALIASES.items():
        for alias in aliases:
            if alias in keys:
                found[field] = keys.index(alias)
                break
    return found


def _header(head: str) -> list[str]:
    first = head.split("\n", 1)[0] if "\n" in head else ""
    try:
        return next(csv.reader([first.lstrip("\ufeff")]))
    except (csv.Error, StopIteration):
        return []


def detect(member: Member, head: str) -> str:
    header = _header(head)
    if len(header) < 3:
        return ""
    columns = _columns(header)
    if not {"title", "ingredients", "instructions"} <= set(columns):
        return ""
    if _PLAN_TO_EAT_ONLY & {_key(name) for name in header}:
        return PLAN_TO_EAT
    return MY_RECIPE_BOX


def read(member: Member) -> Iterator[Entry]:
    csv.field_size_limit(MAX_FIELD)
    with member.text() as stream:
        reader = csv.reader(stream)
        header = next(reader, [])
        columns = _columns(header)
        nutrition = {index: _NUTRITION[_key(name)] for index, name in enumerate(header)
                     if _key(name) in _NUTRITION}  # fmt: skip
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            name = f"{member.name} row {number}"
            try:
                values = {field: row[index] if index < len(row) else ""
                          for field, index in columns.items()}  # fmt: skip
                facts = {label: row[index] for index, label in nutrition.items()
                         if index < len(row) and row[index].strip()}  # fmt: skip
                yield _entry(name, values, facts)
            except csv.Error as error:
                yield Entry(name, error=f"unreadable row ({error})")


def _entry(name: str, row: dict[str, str], nutrition: dict[str, str]) -> Entry:
    get = row.get
    category, tags = fields.category_and_tags(
        re.split(r"\s*[,;]\s*", get("category", "")), text.tags(get("tags", ""))
    )
    if text.line(get("main")):
        tags.append(text.line(get("main")))
    url = text.line(get("url"))
    source = text.line(get("source"))
    if not url and source.lower().startswith(("http://", "https://")):
        url, source = source, ""
    photo = text.line(get("photo"))
    draft: dict[str, Any] = {
        "title": text.line(get("title")),
        "description": text.paragraphs(get("description")),
        "ingredient_groups": fields.grouped(str(get("ingredients", "")).splitlines()),
        "instructions": [
            line
            for line in (text.line(s) for s in str(get("instructions", "")).splitlines())
            if line
        ],
        "servings": text.yield_text(get("servings")),
        "prep_time": text.minutes(get("prep")),
        "cook_time": text.minutes(get("cook")),
        "total_time": text.minutes(get("total")),
        "tags": tags,
        "category": category,
        "cuisine": text.line(get("cuisine")),
        "source_url": url,
        "image_url": photo if photo.lower().startswith(("http://", "https://")) else "",
        "notes": fields.notes(str(get("notes", "")), ("Source", source if source != url else "")),
        "rating": fields.rating(get("rating")),
        "nutrition": fields.nutrition(nutrition),
    }
    return fields.entry(name, draft, created_at=timestamp(_date(get("created"))),
                        updated_at=timestamp(_date(get("updated"))))  # fmt: skip


def _date(value: str | None) -> str | None:
    """ "2023-04-05 10:20:30 UTC" and "2023-04-05" as ISO 8601."""
    if not value or not value.strip():
        return None
    value = value.strip().removesuffix(" UTC").replace(" ", "T", 1)
    return value if "T" in value else f"{value}T00:00:00"
