"""recipe-scrapers as one source among several: its site-specific parsers and its
generic schema.org mode, each field read on its own so that one failing field never
loses the others."""

from __future__ import annotations

import logging
import re
import warnings
from html import escape
from typing import TYPE_CHECKING, Any

from recipe_scrapers import scrape_html, scraper_exists_for
from recipe_scrapers._abstract import AbstractScraper
from recipe_scrapers._factory import SchemaScraperFactory

from recipes.importing import schema, text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

log = logging.getLogger(__name__)
_ATTRIBUTE_NAME = re.compile(r"^[^\s\"'<>/=]+$")
# A script or style written inside a JSON-LD string ("<script>..<\/script>", or entity-
# encoded): the library strips the tags but keeps the code as text, so it goes first.
# Read in one pass: a lazy regex from each unclosed opener rescans the rest of the page.
_JSON_LD_OPEN = re.compile(r"<script[^<>]*ld\+json[^<>]*>", re.I)
_SCRIPT_CLOSE = re.compile(r"</script\s*>", re.I)
_CODE_OPEN = re.compile(r"<(script|style)\b|&lt;(script|style)\b", re.I)
_CODE_CLOSE = {
    (tag, plain): re.compile(rf"<\\/{tag}\s*>" if plain else rf"&lt;/{tag}\s*&gt;", re.I)
    for tag in ("script", "style")
    for plain in (True, False)
}
# Python's html.parser (before 3.11.13, 3.12.11 and 3.13.5: CVE-2025-6069) rescans the
# rest of the page from each start tag or quote that never closes, so 20,000 of them took
# 50 s. Closing quotes and a ">" at the end give every such scan an end; inside a comment
# they are no text of the page.
_ENDS_ANY_TAG = "<!--'\">'\">-->"


def _defused(html: str) -> str:
    if "<\\/s" not in html and "&lt;s" not in html:
        return html
    parts, pos = [], 0
    for opener in _JSON_LD_OPEN.finditer(html):
        if opener.start() < pos:
            continue  # inside the block just read
        closer = _SCRIPT_CLOSE.search(html, opener.end())
        if closer is None:
            break  # no block closes after this one
        parts += [html[pos : opener.end()], _without_code(html[opener.end() : closer.start()])]
        pos = closer.start()
    parts.append(html[pos:])
    return "".join(parts)


def _without_code(block: str) -> str:
    """The JSON-LD text without the scripts and styles written in its strings."""
    parts, pos, unclosed = [], 0, set()
    for opener in _CODE_OPEN.finditer(block):
        kind = ((opener.group(1) or opener.group(2)).lower(), opener.group(1) is not None)
        if opener.start() < pos or kind in unclosed:
            continue
        closer = _CODE_CLOSE[kind].search(block, opener.end())
        if closer is None:
            unclosed.add(kind)  # none closes later either
            continue
        parts.append(block[pos : opener.start()])
        pos = closer.end()
    parts.append(block[pos:])
    return "".join(parts)


def drafts(html: str, url: str, root: HtmlElement) -> tuple[dict[str, Any], dict[str, Any]]:
    """(site-specific draft, generic draft) of the page (`root` is its parsed tree); the
    one that does not apply is empty."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scraper = _scraper(_defused(html), url, root)
    except Exception:  # the library raises many kinds: no schema, bad markup, ...
        log.debug("recipe-scrapers found nothing", exc_info=True)
        return {}, {}
    if scraper is None:
        return {}, {}
    # The library's own choice (it knows "www2.site.com" is site.com): anything but its
    # generic schema.org scraper is a site-specific parser.
    specific = not isinstance(scraper, SchemaScraperFactory.SchemaScraper)
    # A parser's own groupings are read; the library's default one (CSS selects for WP
    # Recipe Maker and Tasty markup over the whole page, a quarter of an import's time)
    # is not: our card reader lays the same headings over the parser's lines.
    own_groups = type(scraper).ingredient_groups is not AbstractScraper.ingredient_groups
    draft = _draft(scraper, url, with_groups=specific and own_groups)
    return (draft, {}) if specific else ({}, draft)


def _scraper(html: str, url: str, root: HtmlElement) -> AbstractScraper | None:
    """The library's site parser for the host (its own choice), else its generic
    schema.org scraper, or None when the page has no schema.org data."""
    if scraper_exists_for(url):
        return scrape_html(html + _ENDS_ANY_TAG, org_url=url)
    # The generic scraper reads the schema from the whole page, and its page tree only for
    # a few head tags: built from those alone, it skips half of an import's time (the
    # library's pure-Python tree of every tag of the page) and reads the same fields.
    scraper = SchemaScraperFactory.SchemaScraper(html=_head_tags(root), url=url)
    scraper.page_data = html
    scraper.schema = scraper._schema_cls(html)
    return scraper if scraper.schema.data else None


def _head_tags(root: HtmlElement) -> str:
    """The page's html, meta and link tags, written out from its parsed tree: the language,
    the canonical link and the meta images the generic scraper reads from its own tree."""
    tags = []
    for element in root.iter("html", "meta", "link"):
        attributes = "".join(
            f' {name}="{escape(value)}"'
            for name, value in element.attrib.items()
            if _ATTRIBUTE_NAME.match(name)
        )
        tags.append(f"<{element.tag}{attributes}>")
    return "".join(tags)


def _call(scraper: Any, name: str) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return getattr(scraper, name)()
    except Exception:  # every field is optional; a missing one raises
        return None


def _relative_schema_image(scraper: Any) -> bool:
    """Whether the schema's image (its first, or that one's url) is a path without a host,
    which the library passes over for the page's og:image."""
    data = getattr(getattr(scraper, "schema", None), "data", None)
    image = data.get("image") if isinstance(data, dict) else None
    image = image[0] if isinstance(image, list) and image else image
    image = image.get("url") if isinstance(image, dict) else image
    return isinstance(image, str) and bool(image.strip()) and "://" not in image


def _draft(scraper: Any, url: str, with_groups: bool) -> dict[str, Any]:
    """The scraper's fields; its ingredient groups only `with_groups` (a site parser's own
    grouping). The library's default detection, slow CSS selects over the whole page, is
    never asked: our own card reader finds the same headings, and more."""
    draft: dict[str, Any] = {
        "title": text.line(_call(scraper, "title")),
        "description": text.paragraphs(_call(scraper, "description")),
        "ingredients": _lines(_call(scraper, "ingredients")),
        "instructions": _lines(_call(scraper, "instructions_list")),
        "servings": text.line(_call(scraper, "yields")),
        "prep_time": text.minutes(_call(scraper, "prep_time")),
        "cook_time": text.minutes(_call(scraper, "cook_time")),
        "total_time": text.minutes(_call(scraper, "total_time")),
        "tags": text.tags(_call(scraper, "keywords")),
        "category": text.line(_call(scraper, "category")),
        "cuisine": text.line(_call(scraper, "cuisine")),
        "image_url": schema.image(_call(scraper, "image"), url),
        # Its image is a fallback (Open Graph) when it could not read the schema's own; but
        # a schema image that is a bare path it passes over on purpose, and so do we: the
        # og:image is the address the page states in full.
        "image_fallback": not (
            _call(getattr(scraper, "schema", None), "image") or _relative_schema_image(scraper)
        ),
        "nutrition": schema.nutrition(_call(scraper, "nutrients")),
    }
    groups = (_call(scraper, "ingredient_groups") if with_groups else None) or []
    draft["ingredient_groups"] = [
        {
            "title": text.line(g.purpose) or None,
            "ingredients": [text.line(i) for i in g.ingredients],
        }
        for g in groups
        if getattr(g, "ingredients", None)
    ]
    return {key: value for key, value in draft.items() if value not in (None, "", [], {})}


def _lines(value: Any) -> list[str]:
    """A parser's list of lines; a parser that returns one text (cookinglight's
    ingredients) has a line per line break, not a line per character."""
    if isinstance(value, str):
        return text.lines(value)
    found = (text.line(item) for item in value or [] if isinstance(item, str))
    return [line for line in found if line]


def yields(shown: str) -> str:
    """A yield the page shows ("Serves 4 to 6", "MAKES 12 COOKIES", "4 personen") the
    way the library's site parsers write it ("6 servings", "12 cookies"); "" when it
    reads none."""
    from recipe_scrapers._utils import get_yields

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return text.line(get_yields(shown))
    except Exception:  # the library raises on text without a number
        return ""
