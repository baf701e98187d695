"""A recipe a page keeps only in its scripts' data: pages rendered by a framework (Next.js,
Nuxt, Inertia, a store's `window.__INITIAL_STATE__`) that carry no schema.org markup and
build their visible text from a JSON object in the page.

Any object shaped like a recipe is read: a name (`name`, `title`, `headline`), a list
under a key naming ingredients and a list under a key naming the method
(`instructions`, `steps`, `directions`, `method`, `preparation...`). Ingredient objects
give their text, or their amount, unit and name in that order; step objects their text.
Of several such objects, the one with the most lines wins.

Read only for pages where nothing else (schema.org data, a plugin card) holds the recipe:
the scripts of other pages are never parsed.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from recipes.importing import schema, text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_MAX_SCRIPT = 3_000_000  # characters of one script (or attribute) read at most
_MAX_NODES = 300_000  # JSON values visited per page at most
_MAX_CANDIDATES = 200  # objects shaped like recipes read per page at most
_MAX_DEPTH = 60  # a React tree nests deeply before it reaches its data
_NAME_KEYS = ("name", "title", "headline", "recipeName", "recipe_name")
_INGREDIENT_KEY = re.compile(r"ingredient", re.I)
# "preparationSteps", "directions", "method"; not "paymentMethods" or "preparationTime".
_STEP_KEY = re.compile(r"instruction|steps?$|direction|^methods?$|^preparation(?!.*time)", re.I)
_TEXT_KEYS = ("text", "displayText", "display", "fullText", "originalText", "original", "raw")
_BODY_KEYS = ("content", "text", "body", "html")
_LIST_KEYS = ("items", "list", "lines", "entries", "children")
_FOOD_KEYS = ("name", "title", "ingredient", "food", "product")
_STEP_TEXT_KEYS = ("text", "body", "instruction", "description", "content", "html")
_GROUP_TITLE_KEYS = ("title", "name", "header", "heading", "label")
# "quantity", "displayIngredientQuantity", "unitOfMeasure"; not "unit_id" or "unitId".
_AMOUNT_KEY = re.compile(r"^(?!.*_?id$).*(quantity|amount)|^qty$", re.I)
_UNIT_KEY = re.compile(r"^(?!.*_?id$).*unit", re.I)
# Other fields, from keys such as "totalTime", "total_time", "preparationTimeInMinutes".
_OTHER_FIELDS = (
    ("description", re.compile(r"^(description|summary|intro)$", re.I)),
    (
        "servings",
        re.compile(
            r"^(servings?|yields?|portions?|serves|recipe_?yield"
            r"|number_?of_?(persons|people|servings|portions))$",
            re.I,
        ),
    ),
    ("total_time", re.compile(r"^total_?time(_?in_?minutes)?$", re.I)),
    ("prep_time", re.compile(r"^prep(aration)?_?time(_?in_?minutes)?$", re.I)),
    ("cook_time", re.compile(r"^cook(ing)?_?time(_?in_?minutes)?$", re.I)),
    ("image_url", re.compile(r"^(image|image_?url|photo|photo_?url|picture)$", re.I)),
)
_READERS = {
    "description": text.paragraphs,
    "servings": text.yield_text,
    "total_time": text.minutes,
    "prep_time": text.minutes,
    "cook_time": text.minutes,
    "image_url": lambda value: value if re.match(r"https?://", str(value)) else None,
}
# Next.js (app router) streams its data as `self.__next_f.push([1, "<text>"])` calls.
_NEXT_FLIGHT = re.compile(r"self\.__next_f\.push\(\[\s*1\s*,\s*(?=\")")
# `window.__INITIAL_STATE__ = {...}`, `window.__APOLLO_STATE__={...}`: a store's state.
_ASSIGNED = re.compile(r"(?:window|self|globalThis)\.[\w$]+\s*=\s*(?=[{\[])")
_FLIGHT_ROW = re.compile(r"^[0-9a-f]+:(?=[\[{])")


def script_fields(root: HtmlElement) -> dict[str, Any]:
    """The fullest recipe-shaped object in the page's script data, as our fields; {} when
    there is none."""
    best: dict[str, Any] = {}
    budget = [_MAX_NODES]
    shaped = _MAX_CANDIDATES
    for document in _documents(root):
        for node in _objects(document, budget):
            shape = _shape(node)
            if shape is None:
                continue
            fields = _recipe(node, *shape)
            if fields and _size(fields) > _size(best):
                best = fields
            shaped -= 1
            if shaped <= 0:
                return best
        if budget[0] <= 0:
            break
    return best


def _shape(node: dict[str, Any]) -> tuple[list[list[Any]], list[list[Any]]] | None:
    """A cheap first look: with a name, the object's lists named like ingredients and
    like steps; None when it lacks the name or either kind of list."""
    if not any(isinstance(node.get(key), str) for key in _NAME_KEYS):
        return None
    lists = [(key, value) for key, value in node.items() if isinstance(value, list) and value]
    ingredient_lists = [value for key, value in lists if _INGREDIENT_KEY.search(key)]
    step_lists = [
        value for key, value in lists if _STEP_KEY.search(key) and not _INGREDIENT_KEY.search(key)
    ]
    return (ingredient_lists, step_lists) if ingredient_lists and step_lists else None


def _size(fields: dict[str, Any]) -> int:
    return 2 * len(fields.get("ingredients", [])) + len(fields.get("instructions", []))


def _documents(root: HtmlElement) -> list[Any]:
    """Every JSON document the page's scripts (and `data-page` attributes) hold."""
    found: list[Any] = []
    for script in root.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" in kind or script.get("src"):
            continue
        source = (script.text or "")[:_MAX_SCRIPT]
        if "json" in kind:
            _add(found, source)
            if script.get("id") == "__NUXT_DATA__" and found and isinstance(found[-1], list):
                found[-1] = _unflattened(found[-1])
        elif "__next_f" in source:
            # Joined below into one stream: a row may run over several pushes.
            found.extend(_pushed(source))
        elif "ngredient" in source:
            for assigned in _ASSIGNED.finditer(source):
                _add(found, source, assigned.end())
    flight = "".join(item for item in found if isinstance(item, str))
    documents = [item for item in found if not isinstance(item, str)]
    for row in flight.split("\n"):
        row_start = _FLIGHT_ROW.match(row)
        if row_start:
            _add(documents, row, row_start.end())
    for element in root.xpath("//*[@data-page]"):
        _add(documents, (element.get("data-page") or "")[:_MAX_SCRIPT])
    return documents


# Nuxt 3 writes its state flattened ("devalue"): one array whose first value is the root
# and whose arrays and objects hold the indices of their values; a typed value is an
# array naming its type first: ["Reactive", 5], ["Set", 1, 2], ["Date", "2024-..."], or a
# type of the site's own (["ContentPageImpl", 7]) around its plain value.
_LITERAL_TYPES = {"Date", "RegExp", "BigInt", "URL"}


def _typed(item: list[Any], value: Any) -> Any:
    kind, rest = item[0], item[1:]
    if kind in _LITERAL_TYPES:
        return rest[0] if rest and isinstance(rest[0], str) else None
    if kind == "Set":
        return [value(child) for child in rest]
    if kind in ("Map", "null"):  # key, value, key, value... (a Map's keys are values too)
        pairs = zip(rest[::2], rest[1::2], strict=False)
        return {str(value(k) if kind == "Map" else k): value(v) for k, v in pairs}
    return value(rest[0]) if len(rest) == 1 else None


def _unflattened(values: list[Any]) -> Any:
    """The value a Nuxt page's flattened state stands for (cycles and repeats are read
    once; the page's budget bounds the work)."""
    done: dict[int, Any] = {}
    budget = [_MAX_NODES]

    def value(index: Any, depth: int) -> Any:
        if not isinstance(index, int) or not 0 <= index < len(values) or depth > _MAX_DEPTH:
            return None
        if index in done:
            return done[index]
        budget[0] -= 1
        if budget[0] < 0:
            return None
        item = values[index]
        if isinstance(item, dict):
            result: Any = {}
            done[index] = result
            for key, child in item.items():
                result[key] = value(child, depth + 1)
            return result
        if isinstance(item, list):
            if item and isinstance(item[0], str):
                done[index] = None
                done[index] = result = _typed(item, lambda child: value(child, depth + 1))
                return result
            result = []
            done[index] = result
            result.extend(value(child, depth + 1) for child in item)
            return result
        done[index] = item
        return item

    return value(0, 0)


def _pushed(source: str) -> list[str]:
    """The strings a Next.js script pushes onto its data stream."""
    strings = []
    for push in _NEXT_FLIGHT.finditer(source):
        try:
            value, _ = json.JSONDecoder(strict=False).raw_decode(source, push.end())
        except ValueError:
            continue
        if isinstance(value, str):
            strings.append(value)
    return strings


def _add(found: list[Any], source: str, start: int = 0) -> None:
    """The JSON value at `start` of `source` (what follows it is ignored), if any; only
    text that names ingredients somewhere is parsed."""
    source = source[start:].lstrip()
    if not source.startswith(("{", "[")) or "ngredient" not in source:
        return
    try:
        value, _ = json.JSONDecoder(strict=False).raw_decode(source)
    except (ValueError, RecursionError):
        return
    if isinstance(value, dict | list):
        found.append(value)


def _objects(document: Any, budget: list[int]):
    """The dicts within a JSON value, outermost first, within the page's budget."""
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack and budget[0] > 0:
        value, depth = stack.pop()
        budget[0] -= 1
        if depth > _MAX_DEPTH:
            continue
        if isinstance(value, dict):
            yield value
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        stack.extend((child, depth + 1) for child in reversed(children))


def _recipe(
    node: dict[str, Any], ingredient_lists: list[list[Any]], step_lists: list[list[Any]]
) -> dict[str, Any]:
    """Our fields from a recipe-shaped object and its lists (`_shape`); {} when it is not
    a recipe."""
    name = next((node[k] for k in _NAME_KEYS if isinstance(node.get(k), str)), "")
    title = text.line(name)
    if not title:
        return {}
    if schema.is_recipe(node):  # schema.org data in a script of another type
        return schema.recipe_fields(node)
    # The first list of each kind that reads as lines ("ingredientIds" before
    # "ingredients" reads as none).
    groups = next(filter(None, map(_ingredient_groups, ingredient_lists)), [])
    lines = [line for group in groups for line in group["ingredients"]]
    steps = next(
        filter(None, ([s for item in found for s in _steps(item, 0)] for found in step_lists)), []
    )
    if not lines or not steps:
        return {}
    fields: dict[str, Any] = {"title": title, "ingredients": lines, "instructions": steps}
    for key, value in node.items():
        for field, pattern in _OTHER_FIELDS:
            if field not in fields and pattern.search(key) and _scalar(value):
                fields[field] = _READERS[field](value)
    fields = {key: value for key, value in fields.items() if value not in (None, "")}
    if any(group["title"] for group in groups):
        fields["ingredient_groups"] = groups
    return fields


def _ingredient_groups(items: list[Any]) -> list[dict[str, Any]]:
    """Ingredient lines, in groups when the items are groups: a title over a list of its
    own, or over a text of several lines (or of one, when another item's text has
    several: the items of one list share their shape)."""
    texts = [_body_lines(item) for item in items]
    least = 1 if any(len(lines) > 1 for lines in texts) else 2
    groups: list[dict[str, Any]] = [{"title": None, "ingredients": []}]
    for item, body in zip(items, texts, strict=True):
        inner = _inner_list(item, _INGREDIENT_KEY)
        lines = [line for line in map(_ingredient, inner) if line] if inner is not None else []
        if inner is None:
            lines = body if len(body) >= least else []
        if lines:
            groups.append({"title": _title(item) or None, "ingredients": lines})
            groups.append({"title": None, "ingredients": []})
        elif inner is None:
            line = _ingredient(item)
            if line:
                groups[-1]["ingredients"].append(line)
    return [group for group in groups if group["ingredients"]]


def _body_lines(item: Any) -> list[str]:
    """The lines of an item's text ("content": "<p>4 eggs</p><p>sugar</p>"), if any."""
    if not isinstance(item, dict):
        return []
    return text.lines(next((item[k] for k in _BODY_KEYS if isinstance(item.get(k), str)), ""))


def _title(item: dict[str, Any]) -> str:
    return next((text.line(item[k]) for k in _GROUP_TITLE_KEYS if isinstance(item.get(k), str)), "")


def _inner_list(item: Any, key: re.Pattern[str]) -> list[Any] | None:
    """A group's own list: under a key like the list's own ("ingredients", "steps") or a
    list's generic name ("items")."""
    if not isinstance(item, dict):
        return None
    return next(
        (v for k, v in item.items() if (key.search(k) or k in _LIST_KEYS) and isinstance(v, list)),
        None,
    )


def _ingredient(item: Any) -> str:
    """An ingredient line: a string, an object's text, or its amount, unit and name."""
    if isinstance(item, str):
        return text.line(item)
    if not isinstance(item, dict):
        return ""
    for key in _TEXT_KEYS:
        if isinstance(item.get(key), str) and item[key].strip():
            return text.line(item[key])
    amount, unit = _shortest(item, _AMOUNT_KEY), _shortest(item, _UNIT_KEY)
    name = next((item[k] for k in _FOOD_KEYS if isinstance(item.get(k), str) and item[k]), "")
    if not name:
        return ""
    parts = [_number(amount), unit, name]
    return text.line(" ".join(str(part) for part in parts if part not in (None, "")))


def _shortest(item: dict[str, Any], key: re.Pattern[str]) -> Any:
    """The value under the shortest matching key: "unit" before "unit_inflection"."""
    keys = sorted((k for k, v in item.items() if key.search(k) and _scalar(v)), key=len)
    return item[keys[0]] if keys else None


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _steps(item: Any, depth: int) -> list[str]:
    """A step's lines: a string, an object's text, or a section's steps after its title."""
    if depth > 3:
        return []
    if isinstance(item, str):
        return text.lines(item)
    if not isinstance(item, dict):
        return []
    for key in _STEP_TEXT_KEYS:
        if isinstance(item.get(key), str) and item[key].strip():
            return text.lines(item[key])
    inner = _inner_list(item, _STEP_KEY)
    if inner is None:
        return []
    title = _title(item)
    steps = [step for child in inner for step in _steps(child, depth + 1)]
    return [title, *steps] if title and steps else steps
