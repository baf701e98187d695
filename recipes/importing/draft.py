"""A draft (a plain dict of recipe fields from any source) -> a valid `RecipeIn`.

Pages are messy: over-long titles, hundreds of lines, a relative image URL. A draft is
trimmed to what the model accepts instead of failing the whole import over one field.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from recipes.importing.errors import InvalidRecipe, NoRecipeFound
from recipes.models import (
    MAX_LINE,
    MAX_LINES,
    MAX_MINUTES,
    MAX_TEXT,
    RecipeIn,
    clean_line,
    errors_text,
)

TITLE_MAX = 300
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_FIELDS = ("servings", "category", "cuisine")
_TEXT_FIELDS = ("description", "notes")
_TIME_FIELDS = ("prep_time", "cook_time", "total_time")


def _cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _lines(values: Any) -> list[str]:
    if not isinstance(values, list):
        return []
    return [_cut(str(v), MAX_LINE) for v in values if isinstance(v, str) and v.strip()][:MAX_LINES]


_HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _url(value: Any) -> str:
    """An http(s) address the model accepts (spaces encoded), or "" rather than a failure."""
    value = " ".join(str(value or "").split()).replace(" ", "%20")  # not NFC: see models
    if len(value) > MAX_LINE or not _HTTP_URL.match(value):
        return ""
    return value


def clean_strings(value: Any) -> Any:
    """NUL bytes (which the model refuses) dropped and lone surrogates (which cannot be
    stored as UTF-8, e.g. from "\\ud800" in JSON) replaced, in every string."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value.replace("\x00", ""))
    if isinstance(value, list):
        return [clean_strings(item) for item in value]
    if isinstance(value, dict):
        return {clean_strings(k): clean_strings(v) for k, v in value.items()}
    return value


def fit(draft: dict[str, Any]) -> dict[str, Any]:
    """The draft with every value cut to the model's limits and unknown keys dropped."""
    draft = clean_strings(draft)
    data: dict[str, Any] = {"title": _cut(clean_line(str(draft.get("title") or "")), TITLE_MAX)}
    groups = draft.get("ingredient_groups")
    if groups:
        data["ingredient_groups"] = [
            {
                "title": _cut(clean_line(str(g.get("title") or "")), MAX_LINE) or None,
                "ingredients": _lines(g.get("ingredients")),
            }
            for g in groups[:100]
        ]
    else:
        data["ingredients"] = _lines(draft.get("ingredients"))
    data["instructions"] = _lines(draft.get("instructions"))
    for key in _LINE_FIELDS:
        data[key] = _cut(str(draft.get(key) or ""), MAX_LINE)
    for key in _TEXT_FIELDS:
        data[key] = _cut(str(draft.get(key) or ""), MAX_TEXT)
    for key in _TIME_FIELDS:
        value = draft.get(key)
        data[key] = min(value, MAX_MINUTES) if isinstance(value, int) and value >= 0 else None
    data["tags"] = [_cut(t, MAX_LINE) for t in draft.get("tags") or [] if isinstance(t, str)][:100]
    data["source_url"] = _url(draft.get("source_url"))
    data["image_url"] = _url(draft.get("image_url"))
    rating = draft.get("rating")
    data["rating"] = rating if isinstance(rating, int) and 0 <= rating <= 5 else None
    nutrition = draft.get("nutrition") or {}
    data["nutrition"] = {
        _cut(str(k), MAX_LINE): _cut(str(v), MAX_LINE) for k, v in list(nutrition.items())[:100]
    }
    return data


def to_recipe(draft: dict[str, Any]) -> RecipeIn:
    """Validate a draft; a draft without a title or without any content is no recipe."""
    data = fit(draft)
    has_content = (
        data["instructions"]
        or data.get("ingredients")
        or any(g["ingredients"] for g in data.get("ingredient_groups") or [])
    )
    if data["title"] and not has_content:
        # Pages that build the recipe's lines with JavaScript name it in their metadata only.
        raise NoRecipeFound(
            f"no recipe found: the page names “{data['title']}” but holds none of its "
            "ingredients or steps (it may load them in the browser): import it with the "
            "bookmarklet from the open page, or paste the page as your browser shows it"
        )
    if not has_content:
        raise NoRecipeFound("no recipe found: the page has no recipe title, ingredients or steps")
    if not data["title"]:
        raise NoRecipeFound("no recipe found: the page has no recipe title")
    try:
        return RecipeIn.model_validate(data)
    except ValidationError as error:
        problems = errors_text(error)
        raise InvalidRecipe(f"the recipe data is not usable: {problems}") from None
