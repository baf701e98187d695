"""HTML exports that hold many recipes in one page, photos in `images/` beside it:
Copy Me That (`<div class="recipe">` blocks, fields marked by id and class) and Recipe
Keeper (`<div class="recipe-details">` blocks with schema.org-like `itemprop`s).

The page is split into one block per recipe while it streams, so a collection of
thousands is never parsed as one document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from recipes.importing import fields, text
from recipes.importing.archive import Member
from recipes.importing.entry import Entry
from recipes.importing.errors import PageTooLarge
from recipes.importing.limits import blocks, check_page_nodes, text_chunks

COPY_ME_THAT = "Copy Me That"
MAX_RECIPE_HTML = 1024 * 1024  # one recipe's markup; its photos are separate files
RECIPE_KEEPER = "Recipe Keeper"
_CMT_START = re.compile(r"<div\b[^>]*\bclass=[\"']recipe[\"']", re.I)
_RK_START = re.compile(r"<div\b[^>]*\bclass=[\"']recipe-details[\"']", re.I)


def detect(member: Member, head: str) -> str:
    """By the recipe blocks themselves, looked for past a long `<head>` if need be."""
    if head.lstrip()[:1] != "<":
        return ""
    if not (_RK_START.search(head) or _CMT_START.search(head)):
        head = member.head(256 * 1024).decode("utf-8", "replace")
    if _RK_START.search(head):
        return RECIPE_KEEPER
    if _CMT_START.search(head) and re.search(r"\bid=[\"']name[\"']", head):
        return COPY_ME_THAT
    return ""


def read(member: Member) -> Iterator[Entry]:
    label = detect(member, member.head(256 * 1024).decode("utf-8", "replace"))
    with member.text() as stream:
        start, convert = (
            (_RK_START, _recipe_keeper) if label == RECIPE_KEEPER else (_CMT_START, _copy_me_that)
        )
        for block in blocks(text_chunks(stream), start, MAX_RECIPE_HTML):
            yield _entry(member, block, convert)


def _entry(member: Member, block: str, convert: Callable[[Any, Member], tuple]) -> Entry:
    from lxml import etree
    from lxml import html as lxml_html

    try:
        check_page_nodes(block)  # a block could hold a tag that takes libxml2 minutes
    except PageTooLarge as error:
        return Entry(member.name, error=str(error))
    try:
        root = lxml_html.fragment_fromstring(block, create_parent="div")
    except (etree.ParserError, ValueError) as error:
        return Entry(member.name, error=f"unreadable recipe ({error})")
    draft, photo_ref = convert(root, member)
    return fields.entry(member.name, draft, photo=fields.photo_named(member, photo_ref))


def _text(node: Any) -> str:
    return text.line(node.text_content()) if node is not None else ""


def _first(root: Any, xpath: str) -> Any:
    found = root.xpath(xpath)
    return found[0] if found else None


def _block_lines(node: Any) -> list[str]:
    """A block's lines: one per paragraph, list item or line break."""
    if node is None:
        return []
    from lxml import html as lxml_html

    return text.lines(lxml_html.tostring(node, encoding="unicode"))


def _class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# --- Copy Me That -----------------------------------------------------------------------


def _copy_me_that(root: Any, member: Member) -> tuple[dict[str, Any], Any]:
    def by_id(name: str) -> str:
        return _text(_first(root, f".//*[@id='{name}']"))

    groups: list[dict[str, Any]] = []
    for item in root.xpath(f".//li[{_class('recipeIngredient')}]"):
        line = _text(item)
        is_header = "header" in (item.get("class") or "") or (
            len(item) == 1 and item[0].tag in ("b", "strong") and _text(item[0]) == line
        )
        if is_header or fields.is_heading(line):
            fields.add_line(groups, "", line.rstrip(":"))
        elif line:
            fields.add_line(groups, line)
    steps = [_text(li) for li in root.xpath(f".//li[{_class('instruction')}]")]
    notes = [_text(li) for li in root.xpath(f".//li[{_class('recipeNote')}]")]
    tags = [_text(span) for span in root.xpath(f".//*[{_class('recipeCategory')}]")]
    link = _first(root, ".//a[@id='original_link']/@href")
    image = _first(root, f".//img[{_class('recipeImage')}]/@src") or _first(root, ".//img/@src")
    made = by_id("made_this")
    draft = {
        "title": by_id("name"),
        "description": by_id("description"),
        "ingredient_groups": groups,
        "instructions": [s for s in steps if s],
        "servings": by_id("recipeYield") or by_id("servings"),
        "prep_time": text.minutes(by_id("prepTime")),
        "cook_time": text.minutes(by_id("cookTime")),
        "total_time": text.minutes(by_id("totalTime")),
        "tags": [t for t in tags if t],
        "source_url": str(link or ""),
        "notes": fields.notes("\n".join(n for n in notes if n), ("Made it", made)),
        "rating": fields.rating(by_id("rating") or _first(root, ".//*[@id='rating']/@value")),
    }
    return draft, image


# --- Recipe Keeper ----------------------------------------------------------------------

_RK_NUTRITION = {
    "recipeNutServingSize": "servingSize",
    "recipeNutCalories": "calories",
    "recipeNutTotalFat": "fatContent",
    "recipeNutSaturatedFat": "saturatedFatContent",
    "recipeNutCholesterol": "cholesterolContent",
    "recipeNutSodium": "sodiumContent",
    "recipeNutTotalCarbohydrate": "carbohydrateContent",
    "recipeNutDietaryFiber": "fiberContent",
    "recipeNutSugars": "sugarContent",
    "recipeNutProtein": "proteinContent",
}


def _recipe_keeper(root: Any, member: Member) -> tuple[dict[str, Any], Any]:
    def prop(name: str) -> str:
        node = _first(root, f".//*[@itemprop='{name}']")
        if node is None:
            return ""
        return text.line(node.get("content")) if node.tag == "meta" else _text(node)

    def props(name: str) -> list[str]:
        nodes = root.xpath(f".//*[@itemprop='{name}']")
        values = [text.line(n.get("content")) if n.tag == "meta" else _text(n) for n in nodes]
        return [v for v in values if v]

    ingredients = _block_lines(_first(root, ".//*[@itemprop='recipeIngredients']"))
    steps = _block_lines(_first(root, ".//*[@itemprop='recipeDirections']"))
    notes = _block_lines(_first(root, ".//*[@itemprop='recipeNotes']"))
    category, tags = fields.category_and_tags(props("recipeCourse"), props("recipeCategory"))
    if prop("recipeIsFavourite").lower() == "true":
        tags.append("Favourite")
    source = prop("recipeSource")
    is_url = source.lower().startswith(("http://", "https://"))
    nutrition = fields.nutrition({label: prop(name) for name, label in _RK_NUTRITION.items()})
    prep, cook = text.minutes(prop("prepTime")), text.minutes(prop("cookTime"))
    image = _first(root, ".//img[contains(@class, 'recipe-photo')]/@src") or _first(
        root, ".//img/@src"
    )
    draft = {
        "title": prop("name"),
        "description": "\n".join(_block_lines(_first(root, ".//*[@itemprop='description']"))),
        "ingredient_groups": fields.grouped(ingredients),
        "instructions": steps,
        "servings": text.yield_text(prop("recipeYield")),
        "prep_time": prep,
        "cook_time": cook,
        "total_time": text.minutes(prop("totalTime")) or ((prep or 0) + (cook or 0)) or None,
        "tags": tags,
        "category": category,
        "source_url": source if is_url else "",
        "notes": fields.notes("\n".join(notes), ("Source", "" if is_url else source)),
        "rating": fields.rating(prop("recipeRating")),
        "nutrition": nutrition,
    }
    return draft, image
