"""Tandoor's export: a zip holding one zip per recipe, each with `recipe.json` and
`image.*`. Steps carry their own ingredients (amount, unit, food, note), which become
ingredient groups named after the step when a recipe has several."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from recipes.importing import fields, text
from recipes.importing.archive import Member
from recipes.importing.entry import Entry
from recipes.importing.ingredient_text import compose, plural

LABEL = "Tandoor"
_PARAGRAPHS = re.compile(r"\n\s*\n")
_NUTRITION = {
    "calories": "calories",
    "carbohydrates": "carbohydrateContent",
    "fats": "fatContent",
    "proteins": "proteinContent",
}


def is_recipe_json(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("steps"), list)
        and ("keywords" in data or "working_time" in data or "servings_text" in data)
    )


def read_json(data: dict[str, Any], member: Member) -> Iterator[Entry]:
    photo = fields.photo_near(member, "image.jpg", "image.jpeg", "image.png", "image.webp")
    yield fields.entry(member.name, draft(data), photo=photo)


def _name(value: Any, amount: float | None, *, use_plural: bool = False) -> str:
    """A unit's or food's name, plural when the amount calls for it and one is given."""
    if not isinstance(value, dict):
        return text.line(value) if isinstance(value, str) else ""
    singular = text.line(value.get("name"))
    plural_name = text.line(value.get("plural_name"))
    if plural_name and (use_plural or plural(amount)):
        return plural_name
    return singular


def _amount(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def ingredient_line(item: dict[str, Any]) -> str:
    amount = None if item.get("no_amount") else _amount(item.get("amount"))
    unit = _name(item.get("unit"), amount, use_plural=bool(item.get("always_use_plural_unit")))
    food = _name(item.get("food"), amount, use_plural=bool(item.get("always_use_plural_food")))
    line = compose(amount, unit, food, text.line(item.get("note")))
    return line or text.line(item.get("original_text"))


def _order(item: dict[str, Any]) -> int:
    order = item.get("order")
    return order if isinstance(order, int) else 0


def _steps(data: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    steps = [s for s in data.get("steps") or [] if isinstance(s, dict)]
    steps.sort(key=_order)
    with_ingredients = sum(1 for s in steps if s.get("ingredients"))
    groups: list[dict[str, Any]] = []
    instructions: list[str] = []
    for step in steps:
        title = text.line(step.get("name")) if with_ingredients > 1 else None
        items = [i for i in step.get("ingredients") or [] if isinstance(i, dict)]
        items.sort(key=_order)
        for index, item in enumerate(items):
            if item.get("is_header"):
                header = text.line(item.get("note")) or _name(item.get("food"), None)
                fields.add_line(groups, "", header)
            else:
                fields.add_line(groups, ingredient_line(item), title if index == 0 else None)
        paragraphs = [text.line(p) for p in _PARAGRAPHS.split(str(step.get("instruction") or ""))]
        paragraphs = [p for p in paragraphs if p]
        name = text.line(step.get("name"))
        if paragraphs and name and not title and name.casefold() not in paragraphs[0].casefold():
            paragraphs[0] = f"{name}: {paragraphs[0]}"
        instructions.extend(paragraphs)
    return groups, instructions


def _nutrition(data: dict[str, Any]) -> dict[str, str]:
    old = data.get("nutrition")
    old = old if isinstance(old, dict) else {}
    result = fields.nutrition({name: _amount(old.get(key)) for key, name in _NUTRITION.items()})
    for prop in data.get("properties") or []:  # Tandoor 1.5+: food properties
        if not isinstance(prop, dict) or not isinstance(prop.get("property_type"), dict):
            continue
        kind = prop["property_type"]
        value = _amount(prop.get("property_amount"))
        if value is not None and text.line(kind.get("name")):
            unit = text.line(kind.get("unit"))
            result[text.line(kind.get("name"))] = f"{value:g} {unit}".strip()
    return result


def draft(data: dict[str, Any]) -> dict[str, Any]:
    groups, instructions = _steps(data)
    servings = data.get("servings")
    servings_text = text.line(data.get("servings_text")) or "servings"
    prep = text.minutes(data.get("working_time"))
    cook = text.minutes(data.get("waiting_time"))
    keywords = [text.line(k.get("name") if isinstance(k, dict) else k) for k in
                data.get("keywords") or []]  # fmt: skip
    return {
        "title": text.line(data.get("name")),
        "description": text.paragraphs(data.get("description")),
        "ingredient_groups": groups,
        "instructions": instructions,
        "servings": f"{servings:g} {servings_text}"
        if isinstance(servings, int | float) and servings > 0
        else "",
        "prep_time": prep,
        "cook_time": cook,
        "total_time": (prep or 0) + (cook or 0) or None,
        "tags": [k for k in keywords if k],
        "source_url": text.line(data.get("source_url")),
        "nutrition": _nutrition(data),
    }
