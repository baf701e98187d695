"""Nextcloud Cookbook: a folder per recipe with `recipe.json` (schema.org Recipe, plus
a few fields of its own) and `full.jpg` (also `thumb.jpg`, `thumb16.jpg`, not needed).
The JSON maps like any JSON-LD; this module adds what lies beside it."""

from __future__ import annotations

from typing import Any

from recipes.importing import fields, schema
from recipes.importing.archive import Member
from recipes.importing.entry import Photo

LABEL = "Nextcloud Cookbook"
_PHOTOS = ("full.jpg", "full.jpeg", "full.png", "full.webp")


def is_recipe_json(data: Any, member: Member) -> bool:
    """A schema.org Recipe stored as `recipe.json` (the name Nextcloud gives it), or one
    with a `full.jpg` beside it."""
    if not isinstance(data, dict) or not (schema.is_recipe(data) or "recipeIngredient" in data):
        return False
    return (
        member.base.lower() == "recipe.json"
        or member.tree.find(member.folder, *_PHOTOS) is not None
    )


def photo(member: Member) -> Photo | None:
    return fields.photo_near(member, *_PHOTOS)


def extras(data: dict[str, Any]) -> dict[str, Any]:
    """Fields Nextcloud adds to schema.org's: its tools list goes to the notes."""
    tools = data.get("tool")
    names = (
        [t for t in tools if isinstance(t, str) and t.strip()] if isinstance(tools, list) else []
    )
    return {"notes": fields.notes(("Tools", ", ".join(names)))} if names else {}
