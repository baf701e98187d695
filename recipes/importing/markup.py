"""Recipes read from the page's HTML itself, for pages whose structured data is missing or
thin: recipe-plugin cards (WP Recipe Maker, Tasty Recipes, Mediavine Create, ...), the
h-recipe microformat, and as a last resort "Ingredients"/"Instructions" headings followed
by lists (`sections.py`).

Plugin markup is also where ingredient group headings live: schema.org has no place for
them, so even pages with good JSON-LD lose them unless we read the card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from recipes.importing import schema, text

if TYPE_CHECKING:  # lxml loads on first import, not at app start
    from lxml.html import HtmlElement


@dataclass(frozen=True)
class Card:
    """Class names (without dots) of one plugin's recipe card."""

    name: str
    container: str
    title: str = ""
    description: str = ""
    ingredient: str = ""
    ingredient_heading: str = ""
    instruction: str = ""
    instruction_heading: str = ""
    servings: str = ""
    servings_unit: str = ""
    prep_time: str = ""
    cook_time: str = ""
    total_time: str = ""
    category: str = ""
    cuisine: str = ""
    keywords: str = ""
    notes: str = ""
    image: str = ""


# The page's visible text nodes, in order. Written with `descendant::`, not `//text()[...]`:
# libxml2 orders text nodes under a predicate by walking their siblings, which took 4 s
# for 20,000 of them side by side (`x<br>x<br>...`).
VISIBLE_TEXT_NODES = (
    "//body/descendant::text()[normalize-space()][not(ancestor::script or ancestor::style)]"
)
CARDS = (
    Card(
        "wprm",
        container="wprm-recipe",
        title="wprm-recipe-name",
        description="wprm-recipe-summary",
        ingredient="wprm-recipe-ingredient",
        ingredient_heading="wprm-recipe-ingredient-group-name|wprm-recipe-group-name",
        instruction="wprm-recipe-instruction-text",
        instruction_heading="wprm-recipe-instruction-group-name",
        servings="wprm-recipe-servings-with-unit|wprm-recipe-servings",
        servings_unit="wprm-recipe-servings-unit",
        prep_time="wprm-recipe-prep_time-container|wprm-recipe-prep_time",
        cook_time="wprm-recipe-cook_time-container|wprm-recipe-cook_time",
        total_time="wprm-recipe-total_time-container|wprm-recipe-total_time",
        category="wprm-recipe-course",
        cuisine="wprm-recipe-cuisine",
        keywords="wprm-recipe-keyword",
        notes="wprm-recipe-notes",
        image="wprm-recipe-image",
    ),
    Card(
        "tasty",
        container="tasty-recipes",
        title="tasty-recipes-title",
        description="tasty-recipes-description-body|tasty-recipes-description",
        ingredient="tasty-recipes-ingredients-body//li|tasty-recipes-ingredients//li",
        ingredient_heading="tasty-recipes-ingredients-body//h4|tasty-recipes-ingredients-body//h3"
        "|tasty-recipes-ingredients-body//p/strong|tasty-recipes-ingredients-body//p/b"
        "|tasty-recipes-ingredients//h4",  # newer cards: no "-body" class
        instruction="tasty-recipes-instructions-body//li|tasty-recipes-instructions//li",
        instruction_heading="tasty-recipes-instructions-body//h4|tasty-recipes-instructions//h4",
        servings="tasty-recipes-yield",
        prep_time="tasty-recipes-prep-time",
        cook_time="tasty-recipes-cook-time",
        total_time="tasty-recipes-total-time",
        category="tasty-recipes-category",
        cuisine="tasty-recipes-cuisine",
        notes="tasty-recipes-notes-body|tasty-recipes-notes",
        image="tasty-recipes-image",
    ),
    Card(
        "mediavine",
        container="mv-create-card",
        title="mv-create-title",
        description="mv-create-description",
        ingredient="mv-create-ingredients//li",
        ingredient_heading="mv-create-ingredients//h4|mv-create-ingredients//h3",
        instruction="mv-create-instructions//li",
        instruction_heading="mv-create-instructions//h4|mv-create-instructions//h3",
        servings="mv-create-yield",
        prep_time="mv-create-time-prep",
        cook_time="mv-create-time-active",
        total_time="mv-create-time-total",
        category="mv-create-category",
        cuisine="mv-create-cuisine",
        notes="mv-create-notes-content|mv-create-notes",
        image="mv-create-image",
    ),
    Card(
        "wpzoom",
        container="wp-block-wpzoom-recipe-card-block-recipe-card",
        title="recipe-card-title",
        description="recipe-card-summary",
        ingredient="ingredient-item",
        ingredient_heading="ingredient-item-group-title|group-title",
        instruction="direction-step",
        instruction_heading="direction-step-group-title",
        servings="detail-item-0|recipe-card-servings",
        notes="recipe-card-notes",
        image="recipe-card-image",
    ),
    Card(
        "zip",
        container="zlrecipe-container|zlrecipe-container-border",
        title="zlrecipe-title|recipe-title",
        description="zlrecipe-summary",
        ingredient="ingredient",
        ingredient_heading="ingredient-label",
        instruction="instruction",
        instruction_heading="instruction-label",
        servings="yield",
        notes="zlrecipe-notes",
    ),
    Card(
        "easyrecipe",
        container="easyrecipe",
        title="ERSName",
        description="ERSSummary",
        ingredient="ingredient",
        ingredient_heading="ERSSectionHead",
        instruction="instruction",
        servings="ERSServes|yield",
        notes="ERSNotes",
    ),
    Card(
        "cooked",
        container="cooked-recipe-ingredients",
        ingredient="cooked-ingredient",
        ingredient_heading="cooked-heading",
    ),
    Card(
        "cooked-directions",
        container="cooked-recipe-directions",
        instruction="cooked-direction",
        instruction_heading="cooked-heading",
    ),
    Card(
        "wpurp",
        container="wpurp-container",
        title="wpurp-recipe-title",
        description="wpurp-recipe-description",
        ingredient="wpurp-recipe-ingredient",
        ingredient_heading="wpurp-recipe-ingredient-group",
        instruction="wpurp-recipe-instruction",
        instruction_heading="wpurp-recipe-instruction-group",
        servings="wpurp-recipe-servings",
        notes="wpurp-recipe-notes",
    ),
    Card(
        "jetpack",
        container="jetpack-recipe",
        title="jetpack-recipe-title",
        description="jetpack-recipe-description",
        ingredient="jetpack-recipe-ingredients//li",
        instruction="jetpack-recipe-directions//li|jetpack-recipe-directions//p",
        servings="jetpack-recipe-servings",
        notes="jetpack-recipe-notes",
    ),
    Card(
        "h-recipe",
        container="h-recipe|hrecipe",
        title="p-name|fn",
        description="p-summary|summary",
        ingredient="p-ingredient|ingredient",
        instruction="e-instructions//li|instructions//li",
        servings="p-yield|yield",
        total_time="dt-duration|duration",
        category="p-category",
    ),
)


def _class_xpath(spec: str) -> str:
    """ "a|b//li" -> an XPath matching elements with class a, or li inside class b."""
    parts = []
    for alternative in spec.split("|"):
        name, _, rest = alternative.partition("//")
        if re.fullmatch(r"zlrecipe-[\w-]+", name) and not rest:
            parts.append(f".//*[@id='{name}' or {_has_class(name)}]")
            continue
        parts.append(f".//*[{_has_class(name)}]" + (f"//{rest}" if rest else ""))
    return " | ".join(parts)


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _find(root: HtmlElement, spec: str) -> list[HtmlElement]:
    if not spec:
        return []
    try:
        return root.xpath(_class_xpath(spec))
    except Exception:  # a malformed document can trip lxml's XPath engine
        return []


_SKIP_TAGS = {"script", "style", "noscript", "template", "button", "svg", "input", "select"}
# Elements a browser starts on a new line (or cell): their text never runs into the next.
_BLOCK_TAGS = re.compile(
    r"address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]"
    r"|header|hr|img|li|main|nav|ol|p|pre|section|table|td|th|tr|ul"
)
_HIDDEN = re.compile(
    r"screen-reader|sr-only|visually-hidden|yield-scale|wprm-checkbox|scale-container", re.I
)
# Class names that hide an element until a script shows it (the other unit system of a
# metric/imperial toggle, print-only copies).
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:hide|hidden|d-none|is-hidden|printonly|print-only)(?:\s|$)")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def is_hidden(element: HtmlElement) -> bool:
    """Whether the page hides the element from a reader when it loads."""
    return (
        element.get("hidden") is not None
        or bool(_HIDDEN_CLASS.search(element.get("class") or ""))
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
    )


def element_text(element: HtmlElement) -> str:
    """The text a reader sees: scripts, buttons, screen-reader-only labels and checkbox
    glyphs left out, whitespace folded. Inline elements run together as a browser shows
    them (`<span>butter</span>, divided` reads "butter, divided", not "butter , divided");
    only block elements and line breaks part words. The tree is not changed."""
    parts: list[str] = []

    def walk(node: HtmlElement, depth: int) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if not tag or tag in _SKIP_TAGS or _HIDDEN.search(node.get("class") or ""):
            return
        if depth and is_hidden(node):
            return
        block = _BLOCK_TAGS.fullmatch(tag) is not None
        if block:
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        for child in node:
            if depth < 200:
                walk(child, depth + 1)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append(" ")

    walk(element, 0)
    return text.line("".join(parts).replace("▢", " "))


_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[,.;)])")


def block_lines(element: HtmlElement) -> list[str]:
    """The element's text cut where a browser starts a new line."""
    from lxml import html as lxml_html

    raw = lxml_html.tostring(element, encoding="unicode", with_tail=False)
    return text.html_lines(raw)


def item_text(element: HtmlElement) -> str:
    """A microdata property's text: a line per block or line break, inline elements run
    together as a browser shows them (`<b>8</b><b>Min.</b>` is "8Min.", not "8 Min."),
    and no space left before a comma after one (`<a>Garlic</a> , minced`)."""
    lines = (_SPACE_BEFORE_PUNCTUATION.sub("", line) for line in block_lines(element))
    return "\n".join(lines)


def _first_text(root: HtmlElement, spec: str) -> str:
    for element in _find(root, spec):
        value = element_text(element)
        if value:
            return value
    return ""


def _grouped(
    root: HtmlElement, item_spec: str, heading_spec: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """Items in document order, each under the latest heading seen before it."""
    items = _find(root, item_spec)
    # Nested matches (an ingredient inside an ingredient) would duplicate lines.
    item_set = set(items)
    items = [el for el in items if not any(a in item_set for a in el.iterancestors())]
    scope = _common_ancestor(items)
    # Only headings among the items count: an ingredient group's heading must not
    # become the title of the steps that follow it.
    headings = [
        h
        for h in _find(root, heading_spec)
        if h not in item_set and (scope is None or scope in h.iterancestors())
    ]
    order = {el: i for i, el in enumerate(root.iter())}
    events = sorted(
        [(order.get(el, 0), "item", el) for el in items]
        + [(order.get(el, 0), "heading", el) for el in headings],
        key=lambda event: event[0],
    )
    groups: list[dict[str, Any]] = [{"title": None, "ingredients": []}]
    flat: list[str] = []
    for _, kind, element in events:
        value = element_text(element)
        if not value:
            continue
        if kind == "heading":
            # The list's own title above it ("Instructions") is no group's.
            if not flat and _section_name(value):
                continue
            groups.append({"title": value, "ingredients": []})
        else:
            groups[-1]["ingredients"].append(value)
            flat.append(value)
    return [g for g in groups if g["ingredients"]], flat


def _section_name(value: str) -> bool:
    """Whether a heading is only a section's name: "Instructions", "Ingredients:"."""
    from recipes.importing import sections  # it reads text as this module does

    return bool(
        sections.INSTRUCTION_HEADINGS.match(value) or sections.BARE_INGREDIENTS.match(value)
    )


def _common_ancestor(items: list[HtmlElement]) -> HtmlElement | None:
    """The smallest element holding every item, widened past the list itself and a
    group wrapper (a lone group's heading sits beside its list, not inside it)."""
    if not items:
        return None
    scope = next(
        (a for a in items[0].iterancestors() if all(a in i.iterancestors() for i in items[1:])),
        None,
    )
    for _ in range(3):
        if scope is None or scope.getparent() is None:
            break
        if scope.tag in ("ul", "ol", "li") or "group" in (scope.get("class") or ""):
            scope = scope.getparent()
        else:
            break
    return scope


def card_fields(root: HtmlElement, base_url: str = "") -> dict[str, Any]:
    """Fields from the first recipe-plugin card(s) on the page."""
    draft: dict[str, Any] = {}
    # One pass over the page's class names and ids spares each absent plugin's search.
    present = {name for value in root.xpath("//@class|//@id") for name in value.split()}
    for card in CARDS:
        names = {part.partition("//")[0] for part in card.container.split("|")}
        containers = _find(root, card.container) if names & present else []
        if not containers:
            continue
        # A page may show a teaser of the card first (a "jump to recipe" snippet): the
        # card that holds the most lines is the recipe.
        readings = [_card(container, card, base_url) for container in containers[:5]]
        fields = max(readings, key=_card_size)
        for key, value in fields.items():
            draft.setdefault(key, value)
    return draft


def _card_size(fields: dict[str, Any]) -> int:
    return len(fields.get("ingredients", [])) + len(fields.get("instructions", []))


def _card(container: HtmlElement, card: Card, base_url: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if card.ingredient:
        groups, flat = _grouped(container, card.ingredient, card.ingredient_heading)
        if flat:
            fields["ingredients"] = flat
            fields["ingredient_groups"] = groups
    if card.instruction:
        steps, flat = _grouped(container, card.instruction, card.instruction_heading)
        if flat:
            fields["instructions"] = _with_headings(steps)
    for key in ("title", "servings", "category", "cuisine"):
        value = _first_text(container, getattr(card, key))
        if value:
            fields[key] = _drop_label(value) if key != "title" else value
    unit = _first_text(container, card.servings_unit)
    if unit and fields.get("servings", "").isdigit():
        fields["servings"] = f"{fields['servings']} {unit}"
    for key in ("description", "notes"):
        elements = _find(container, getattr(card, key))
        if elements:
            fields[key] = "\n".join(block_lines(elements[0]))
    for key in ("prep_time", "cook_time", "total_time"):
        minutes = text.minutes(_first_text(container, getattr(card, key)))
        if minutes:
            fields[key] = minutes
    if card.keywords:
        fields["tags"] = text.tags(_drop_label(_first_text(container, card.keywords)))
    if card.image:
        for element in _find(container, card.image):
            url = schema.image(_image_src(element), base_url)
            if url:
                fields["image_url"] = url
                break
    return {key: value for key, value in fields.items() if value}


def _drop_label(value: str) -> str:
    """ "Course: Dessert" -> "Dessert"; "Servings: 4 people" -> "4 people"."""
    return re.sub(
        r"^(course|cuisine|keywords?|servings?|yields?|serves|category|makes)\s*:?\s*",
        "",
        value,
        flags=re.I,
    ).strip()


def _with_headings(groups: list[dict[str, Any]]) -> list[str]:
    steps: list[str] = []
    for group in groups:
        if group["title"]:
            steps.append(group["title"])
        steps.extend(group["ingredients"])
    return steps


def _image_src(element: HtmlElement) -> str:
    images = [element] if element.tag == "img" else element.xpath(".//img")
    for img in images:
        for attr in ("data-lazy-src", "data-src", "src"):
            value = img.get(attr)
            if value and not value.startswith("data:"):
                return str(value)
    return ""


def titled_image(root: HtmlElement, title: str, base_url: str) -> str:
    """The recipe's photo on a page that states none: the first image whose alt text
    holds the recipe's name, or whose file is named after it ("Pumpkin_Pie.jpg");
    "" when none is."""
    name = _words(title)
    if not name:
        return ""
    for img in root.xpath("//body//img"):
        src = _image_src(img)
        if not src or is_hidden(img):
            continue
        label = _words(f"{img.get('alt') or ''} {img.get('title') or ''}")
        if f" {name} " in f" {label} " or _named_after(src, name):
            return schema.image(src, base_url)
    return ""


def _words(value: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", value.casefold()))


def _named_after(src: str, name: str) -> bool:
    """Whether an image's file name holds most of the recipe's name's words."""
    stem = src.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    words = [word for word in name.split() if len(word) > 2]
    found = set(_words(stem).split())
    return bool(words) and sum(word in found for word in words) >= 0.6 * len(words)


def meta_content(root: HtmlElement, *names: str) -> str:
    """The first non-blank `<meta>` content of the first of `names` the page has."""
    for name in names:
        for element in root.xpath("//meta[@property=$n or @name=$n][@content]", n=name):
            value = text.line(element.get("content"))
            if value:
                return value
    return ""


def meta_fields(root: HtmlElement) -> dict[str, Any]:
    """<h1> / Open Graph / Twitter / <title>: title, description and image only."""

    def meta(*names: str) -> str:
        return meta_content(root, *names)

    # The page's first heading names the recipe more often than og:title, which tends
    # to carry the site's name too ("Green Shakshuka - Farmhouse Delivery"); of several
    # headings, the one the page's title also names (not a section's "For Your Table").
    titles = root.xpath("//title")
    page_title = text.line(titles[0].text_content()) if titles else ""
    named = f"{meta('og:title', 'twitter:title')} {page_title}".casefold()
    h1s = [t for t in (element_text(h) for h in root.xpath("//h1")[:5]) if t]
    title = next((t for t in h1s if t.casefold() in named), h1s[0] if h1s else "")
    title = title or meta("og:title", "twitter:title") or page_title
    return {
        key: value
        for key, value in {
            "title": title,
            "description": meta("og:description", "description", "twitter:description"),
            "image_url": meta("og:image", "og:image:url", "twitter:image"),
        }.items()
        if value
    }
