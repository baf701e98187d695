"""schema.org Recipe data (JSON-LD, microdata, RDFa) -> a draft of our recipe fields.

The same mapping serves web pages and JSON-LD files, so it accepts every shape seen in
the wild: `@graph`, arrays, `ItemList`s of recipes, `mainEntity`, `@id` references,
`HowToSection`/`HowToStep` instructions, yields as numbers or lists, images as strings,
lists or `ImageObject`s, keywords as a string or a list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from recipes.importing import text

MAX_DEPTH = 12
# "Step 1", "stap 2", "3.": a step's label, never a step of its own.
STEP_LABEL = re.compile(
    r"^(?:(?:\S+\s+)?(?:step|stap|schritt|étape|etape|paso|passo|krok|trin|steg|lépés)\s*)?"
    r"\d{1,3}\s*[.:)]?$",
    re.I,
)


def type_names(node: dict[str, Any]) -> list[str]:
    """`@type` as short lower-case names ("schema:Recipe", "http://schema.org/Recipe": "recipe")."""
    raw = node.get("@type") or node.get("type") or []
    names = raw if isinstance(raw, list) else [raw]
    return [re.split(r"[/#:]", str(name))[-1].lower() for name in names if name]


def is_recipe(node: Any) -> bool:
    return isinstance(node, dict) and "recipe" in type_names(node)


def index_ids(data: Any) -> dict[str, dict[str, Any]]:
    """Every node with an `@id`, so that references like `{"@id": "#primaryimage"}` resolve."""
    found: dict[str, dict[str, Any]] = {}

    def walk(value: Any, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(value, dict):
            node_id = value.get("@id")
            if isinstance(node_id, str) and len(value) > 1:
                found.setdefault(node_id, value)
            for child in value.values():
                walk(child, depth + 1)
        elif isinstance(value, list):
            for child in value:
                walk(child, depth + 1)

    walk(data, 0)
    return found


def find_recipes(data: Any) -> Iterator[dict[str, Any]]:
    """Every Recipe node, wherever it sits (top level, arrays, @graph, ItemList, mainEntity)."""
    ids = index_ids(data)
    seen: set[int] = set()

    def walk(value: Any, depth: int) -> Iterator[dict[str, Any]]:
        if depth > MAX_DEPTH:
            return
        if isinstance(value, list):
            for child in value:
                yield from walk(child, depth + 1)
        elif isinstance(value, dict):
            ref = value.get("@id")
            if set(value) == {"@id"} and isinstance(ref, str) and ref in ids:
                value = ids[ref]
            if is_recipe(value):
                if id(value) not in seen:
                    seen.add(id(value))
                    yield value
                return
            for key, child in value.items():
                if key != "@context":
                    yield from walk(child, depth + 1)

    yield from walk(data, 0)


def _resolve(value: Any, ids: dict[str, dict[str, Any]]) -> Any:
    ref = value.get("@id") if isinstance(value, dict) else None
    if isinstance(ref, str) and set(value) <= {"@id", "@type"} and ref in ids:
        return ids[ref]
    if isinstance(value, list):
        return [_resolve(item, ids) for item in value]
    return value


def recipe_fields(
    node: dict[str, Any], base_url: str = "", ids: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Our recipe fields from one schema.org Recipe node; absent fields are left out."""
    ids = ids or {}
    get = _getter(node, ids)
    fields: dict[str, Any] = {
        "title": text.line(text.first(get("name", "headline", "alternativeHeadline"))),
        "description": text.paragraphs(text.first(get("description"))),
        "ingredients": ingredients(get("recipeIngredient", "ingredients", "ingredient")),
        "instructions": instructions(get("recipeInstructions", "instructions", "step")),
        "servings": text.yield_text(get("recipeYield", "yield", "yields", "servings")),
        "prep_time": text.minutes(get("prepTime")),
        "cook_time": text.minutes(get("cookTime")),
        "total_time": text.minutes(get("totalTime")),
        "tags": text.tags(get("keywords")),
        "category": text.joined(get("recipeCategory")),
        "cuisine": text.joined(get("recipeCuisine")),
        "image_url": image(get("image", "thumbnailUrl", "photo"), base_url, ids),
        "nutrition": nutrition(get("nutrition")),
    }
    if fields["total_time"] is None and (fields["prep_time"] or fields["cook_time"]):
        fields["total_time"] = (fields["prep_time"] or 0) + (fields["cook_time"] or 0)
    return {key: value for key, value in fields.items() if value not in ("", [], {}, None)}


def _getter(node: dict[str, Any], ids: dict[str, Any]):
    lowered = {str(key).lower(): value for key, value in node.items()}

    def get(*names: str) -> Any:
        for name in names:
            value = node.get(name)
            if value is None:
                value = lowered.get(name.lower())
            if value not in (None, "", []):
                return _resolve(value, ids)
        return None

    return get


def ingredients(value: Any) -> list[str]:
    """Ingredient lines from strings, lists (nested too) or PropertyValue/legacy objects.
    A text that is the whole list (alone, or the only item of a list) is split at its
    line breaks; so is an item whose lines are ingredients of their own."""
    result: list[str] = []

    def add(item: Any, depth: int, whole: bool = True) -> None:
        if depth > 4 or item is None:
            return
        if isinstance(item, list):
            for child in item:
                add(child, depth + 1, whole and len(item) == 1)
        elif isinstance(item, dict):
            result.append(_ingredient_object(item))
        elif isinstance(item, str) and ("\n" in item or "<li" in item.lower()) and whole:
            result.extend(text.lines(item))
        elif isinstance(item, str) and text.ingredient_lines(pieces := text.lines(item)):
            result.extend(pieces)
        else:
            result.append(text.line(item))

    add(value, 0)
    return [line for line in result if line]


def _ingredient_object(item: dict[str, Any]) -> str:
    if item.get("text"):
        return text.line(item["text"])
    parts = [
        item.get("value") or item.get("amount"),
        item.get("unitText") or item.get("unitCode"),
        item.get("name"),
    ]
    return text.line(" ".join(str(part) for part in parts if part not in (None, "")))


def instructions(value: Any) -> list[str]:
    """Steps in order; a HowToSection's name becomes a line of its own before its steps."""
    result: list[str] = []
    _walk_steps(value, result, 0)
    return [line for line in result if line]


def _walk_steps(value: Any, out: list[str], depth: int) -> None:
    if depth > MAX_DEPTH or value is None:
        return
    if isinstance(value, str):
        out.extend(text.lines(value))
    elif isinstance(value, list):
        for item in value:
            _walk_steps(item, out, depth + 1)
    elif isinstance(value, dict):
        _walk_step_object(value, out, depth)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        out.append(str(value))


def _walk_step_object(node: dict[str, Any], out: list[str], depth: int) -> None:
    kinds = type_names(node)
    children = node.get("itemListElement") or node.get("steps") or node.get("step")
    body = node.get("text") or node.get("description")
    name = text.line(node.get("name"))
    if "listitem" in kinds and isinstance(node.get("item"), dict | list):
        _walk_steps(node["item"], out, depth + 1)
        return
    if children and not body:
        # A HowToSection or an ItemList: its name is the section heading.
        if name and "itemlist" not in kinds and not STEP_LABEL.match(name):
            out.append(name)
        _walk_steps(children, out, depth + 1)
        return
    steps = text.lines(body) if isinstance(body, str) else []
    step = " ".join(steps)
    if name and not STEP_LABEL.match(name) and _adds_to(name, step):
        out.append(name)
    out.extend(steps)
    if not steps and not name and isinstance(body, list | dict):
        _walk_steps(body, out, depth + 1)
    if children:
        _walk_steps(children, out, depth + 1)


def _adds_to(name: str, step: str) -> bool:
    """Whether a step's name says something its text does not (sites often repeat or
    truncate the text as the name)."""
    if not step:
        return True
    stem = "".join(name.rstrip(".…").casefold().split())
    return not "".join(step.casefold().split()).startswith(stem)


def image(value: Any, base_url: str = "", ids: dict[str, Any] | None = None) -> str:
    """The first usable http(s) image URL from a string, list or ImageObject."""
    value = _resolve(value, ids or {})
    if isinstance(value, list):
        for item in value:
            url = image(item, base_url, ids)
            if url:
                return url
        return ""
    if isinstance(value, dict):
        return image(value.get("url") or value.get("contentUrl") or value.get("@id"), base_url)
    if not isinstance(value, str):
        return ""
    url = text.line(value)
    if not url or url.startswith("#"):
        return ""
    url = urljoin(base_url, url) if base_url else url
    if urlsplit(url).scheme not in ("http", "https"):
        return ""
    return url.replace(" ", "%20")


def images(value: Any, base_url: str = "", ids: dict[str, Any] | None = None) -> list[str]:
    """Every usable image URL the data offers, in order."""
    value = _resolve(value, ids or {})
    items = value if isinstance(value, list) else [value]
    found = (image(item, base_url, ids) for item in items)
    return list(dict.fromkeys(url for url in found if url))


def nutrition(value: Any) -> dict[str, str]:
    value = text.first(value)
    if not isinstance(value, dict):
        return {}
    result = {}
    for key, raw in value.items():
        if not isinstance(key, str) or key.startswith("@") or key.lower() == "type":
            continue
        item = text.line(text.first(raw) if isinstance(raw, list) else raw)
        name = text.line(re.split(r"[/#]", key)[-1])
        if name and item:
            result[name] = item
    return result
