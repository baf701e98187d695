"""A web page's HTML (plus its URL) -> `RecipeIn`.

Sources, best first, merged field by field:
1. recipe-scrapers' site-specific parser, when it knows the site;
2. schema.org data we read ourselves (JSON-LD in any shape, microdata, RDFa);
3. recipe-plugin cards in the HTML (WP Recipe Maker, Tasty, Mediavine, ...);
4. recipe-scrapers' generic schema.org mode;
5. the page's own "Ingredients"/"Instructions" sections (`sections.py`);
6. Open Graph / <title> for the title, description and image.
Ingredient group headings come from whichever source has them.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from recipes.importing import limits, markup, schema, scripts, sections, shown, text
from recipes.importing.draft import to_recipe
from recipes.importing.errors import NoRecipeFound
from recipes.models import RecipeIn

if TYPE_CHECKING:  # lxml loads on first import, not at app start
    from lxml import html as lxml_html

log = logging.getLogger(__name__)

FIELDS = (
    "title",
    "description",
    "instructions",
    "servings",
    "prep_time",
    "cook_time",
    "total_time",
    "tags",
    "category",
    "cuisine",
    "image_url",
    "notes",
    "nutrition",
)
_LIBRARY_FIRST = ("servings", "prep_time", "cook_time", "total_time", "image_url")
_INGREDIENT_HEADING = re.compile(r"^(?:#+\s*)?[^\d:]{1,60}:$|^#+\s+\S.*$")
# "For the sauce", "Für den Teig": a group's purpose, not a food (no amount, no note).
_FOR_THE = re.compile(r"^(for|für|pour|para|per|voor) (the|den|die|das|la|le|les|el|il|het) ", re.I)
_WHOLE_NUMBER = re.compile(r"(?<![\d.,])(\d+)\.0+(?![\d.,])")
# A line that is only an amount: "250 g", "1 kilogram", "½ tsp", "3 łyżki".
_AMOUNT_ONLY = re.compile(r"^[\d½¼¾⅓⅔⅛][\d½¼¾⅓⅔⅛.,/ -]*(\s*[^\W\d_]+\.?){0,2}$")
# A rating in a title: "(4.8/5)", "4.5/5 stars".
_RATING = re.compile(r"\(\s*\d(?:[.,]\d+)?\s*/\s*5\s*\)|\b\d(?:[.,]\d+)?\s*/\s*5\s+stars?\b", re.I)
# A wiki page's namespace before its name: "Cookbook:Pumpkin Pie".
_NAMESPACE = re.compile(r"^[^\W\d_]\w*:(?=[^\W\d_])")
# A structure printed as text ("{'@type': 'HowToStep', ...}"): no step a page shows.
_SERIALISED = re.compile(r"^\{\s*['\"]@?\w+['\"]\s*:")
_ASIDE = re.compile(r"\s+\([^()]*\)$")
_SHORT_LABEL = re.compile(r"^[^\d,.;()]{3,40}$")
_BLOB_COVERED = 0.8  # share of a blob the lines that split it must hold
# A host name as an address bar takes it without a scheme: "example.com", "www.x.co.uk:8080".
_BARE_HOST = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}(?::\d{1,5})?$", re.I
)
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|_ga|igshid|ref)$", re.I)


def parse_html(html: str, url: str) -> RecipeIn:
    """The recipe on the page; raises NoRecipeFound when there is none."""
    return to_recipe(extract(html, url))


def parse_unaddressed(html: str) -> tuple[RecipeIn, str]:
    """A page given without its address, read against the address it names for itself,
    and where it names it ("canonical link", "og:url"). When it names none, the recipe has
    no source and relative links stay unresolved (""). The page is parsed once."""
    html = _decoded(html)
    root = _document(html)
    found, where = _named_address(root) if root is not None else ("", "")
    return to_recipe(_extract(html, root, found)), where


def extract(html: str, url: str) -> dict[str, Any]:
    """The merged draft of every source on the page (see the module docstring)."""
    html = _decoded(html)
    return _extract(html, _document(html), url)


def _extract(html: str, root: lxml_html.HtmlElement | None, url: str) -> dict[str, Any]:
    if root is None:
        raise NoRecipeFound("no recipe found: the page is empty")
    # Imported here: recipe-scrapers and extruct cost ~25 MB and ~0.3 s, needed only to import.
    from recipes.importing import scrapers

    site, generic = scrapers.drafts(html, url, root)
    base = base_url(root, url)
    structured = structured_fields(html, root, base)
    cards = markup.card_fields(root, base)
    headings: dict[str, Any] = {}
    in_scripts: dict[str, Any] = {}
    if site.get("ingredients") or site.get("instructions"):
        body = site
    else:
        found = (generic, structured, cards)
        if not any(plausible_ingredients(s) and plausible_steps(s) for s in found):
            # No structured data: the recipe may be in the scripts' data of the page.
            in_scripts = scripts.script_fields(root)
            if not (plausible_ingredients(in_scripts) and plausible_steps(in_scripts)):
                in_scripts = {}  # not a recipe: none of its fields is read either
        # The page's own sections: the recipe when nothing else has a whole one, the
        # lines of a blob, or the amounts the structured data left out.
        headings = sections.heading_fields(root)
        body = choose_body([*found, in_scripts, headings])
        _fuller_ingredients(body, headings)
        _split_blobs(body, root)
    meta = markup.meta_fields(root)
    draft = merge(body, [site, structured, cards, generic, in_scripts, headings, meta])
    if body is not site:
        if not (site or draft.get("servings")):  # the yield shown: "Serves 4", "4 adag"
            draft["servings"] = _yield_shown(root)
        if draft.get("total_time") is None:  # the time the page shows ("Total Time: 30 min")
            draft["total_time"] = sections.shown_total_time(root)
        _drop_bullets(draft)
        named = markup.meta_content(root, "og:site_name")
        draft["title"] = _recipe_name(draft.get("title") or "", meta.get("title") or "", named)
        # No image stated anywhere: the page's photo of the recipe, if one is named so.
        draft["image_url"] = draft.get("image_url") or markup.titled_image(
            root, draft["title"], base
        )
    draft["source_url"] = clean_source_url(url)
    return draft


def _yield_shown(root: lxml_html.HtmlElement) -> str:
    """The yield the page states, as the library's parsers write it; "" when none."""
    from recipes.importing import scrapers

    stated = sections.shown_yield(root)
    return scrapers.yields(stated) if stated else ""


def base_url(root: lxml_html.HtmlElement, url: str) -> str:
    """The address the page's relative links are read against: its `<base href>`
    (itself relative to the page's address), else the page's address."""
    from urllib.parse import urljoin

    for href in root.xpath("//base[@href]/@href")[:1]:
        joined = urljoin(url, text.line(href))
        if urlsplit(joined).scheme in ("http", "https"):
            return joined
    return url


def plausible_ingredients(source: dict[str, Any]) -> bool:
    """The quality check for a candidate's ingredient list: some lines, not the steps
    again, nor only the names of its steps (a card whose "ingredients" are its parts:
    "Sponge", "Ganache"), and lines that read like ingredients rather than sentences of a
    method."""
    lines = source.get("ingredients") or []
    if not lines or len(lines) > 200 or lines == source.get("instructions"):
        return False
    if _names_of_steps(lines, source.get("instructions") or []):
        return False
    long = sum(1 for line in lines if len(line) > 160)
    return long * 2 < len(lines)


def _names_of_steps(lines: list[str], steps: list[str]) -> bool:
    """Whether ingredient lines are the names of the steps: none has an amount, and most
    are lines of the method too."""
    if any(text.AMOUNT.match(line) for line in lines):
        return False
    named = {_folded(step) for step in steps}
    return 2 * sum(_folded(line) in named for line in lines) > len(lines)


def plausible_steps(source: dict[str, Any]) -> bool:
    """The quality check for a candidate's steps: some, and not the ingredients again."""
    steps = source.get("instructions") or []
    if any(_SERIALISED.match(step) for step in steps):
        return False
    return bool(steps) and len(steps) <= 300 and steps != source.get("ingredients")


def choose_body(candidates: list[dict[str, Any]]) -> dict[str, Any]:
    """Title, ingredients (with their groups) and steps for a page no site parser knows:
    each from the first candidate, in the order given, that passes its quality check."""
    body: dict[str, Any] = {}
    source = _ingredient_source(candidates)
    if source:
        body["ingredients"] = source["ingredients"]
        if source.get("ingredient_groups"):
            body["ingredient_groups"] = source["ingredient_groups"]
    for source in candidates:
        if plausible_steps(source):
            steps = _split_blob(source, candidates, "instructions")["instructions"]
            body["instructions"] = [s for s in steps if not schema.STEP_LABEL.match(s)] or steps
            break
    if body.get("instructions") and body.get("ingredients"):
        body["instructions"] = _not_the_ingredients(body["instructions"], body["ingredients"])
    if body.get("ingredients") and not _titled(body.get("ingredient_groups")):
        body.update(_headings_to_groups(body["ingredients"]))
    body["title"] = next((s["title"] for s in candidates if s.get("title")), "")
    return body


def _not_the_ingredients(steps: list[str], ingredients: list[str]) -> list[str]:
    """The steps without the ingredient list read again after them (a box's contents
    under the method): lines with an amount that are ingredient lines, when there are
    several and steps remain."""
    listed = {_folded(line) for line in ingredients}
    repeated = [s for s in steps if text.AMOUNT.match(s) and _folded(s) in listed]
    kept = [s for s in steps if s not in repeated]
    return kept if len(repeated) > 1 and kept else steps


def _ingredient_source(candidates: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first candidate with plausible ingredients, its blob split by another, or
    another's same lines cut finer into whole ingredients; a single line is the list only
    when no other candidate has a longer one ("Chicken" as a recipe's ingredients, where
    the page lists ten)."""
    usable = [source for source in candidates if plausible_ingredients(source)]
    if not usable:
        return None
    source = _split_blob(usable[0], candidates, "ingredients")
    lines = source["ingredients"]
    source = next((other for other in usable if _cut_finer(other["ingredients"], lines)), source)
    if len(source["ingredients"]) == 1:
        source = next((other for other in usable if len(other["ingredients"]) > 1), source)
    return source


def _split_blobs(body: dict[str, Any], root: lxml_html.HtmlElement) -> None:
    """A single step that numbers its own steps is split at its numbers; else a single
    step or ingredient line the page shows cut into several lines is read as the page
    cuts it (`shown.page_cut`)."""
    steps = body.get("instructions") or []
    if len(steps) == 1:
        steps = text.numbered_steps(steps[0])
        body["instructions"] = steps if len(steps) > 1 else shown.page_cut(root, steps[0]) or steps
    lines = body.get("ingredients") or []
    cut = shown.page_cut(root, lines[0]) if len(lines) == 1 else []
    if cut:
        body["ingredients"] = cut
        body.pop("ingredient_groups", None)


def _drop_bullets(draft: dict[str, Any]) -> None:
    """Lines as a reader takes them from a list: a bullet typed into an ingredient's text
    ("• 130 g flour", "- 1 lemon") or a stray leading comma is list furniture."""
    draft["ingredients"] = [text.unbulleted(line) for line in draft.get("ingredients") or []]
    draft["instructions"] = [
        text.unbulleted(line, bullets=False) for line in draft.get("instructions") or []
    ]
    for group in draft.get("ingredient_groups") or []:
        group["ingredients"] = [text.unbulleted(line) for line in group["ingredients"]]


def _recipe_name(title: str, heading: str, site: str) -> str:
    """The recipe's name, not the page's: a title that carries the page's rating
    ("Tartlets Recipe - (4.8/5)") or the site's name ("Beet Bake Recipe - Site.hu") is
    the page's `<title>`, so the page's heading names the recipe; a wiki's namespace
    ("Cookbook:Pumpkin Pie") is no part of the name."""
    if _RATING.search(title) and heading and not _RATING.search(heading):
        title = heading
    elif _names_the_site(title, site) and not _names_the_site(heading, site):
        title = heading if heading and title.casefold().startswith(heading.casefold()) else title
    return _NAMESPACE.sub("", title)


def _names_the_site(title: str, site: str) -> bool:
    return bool(site) and site.casefold() in title.casefold()


def _decoded(html: str | bytes) -> str:
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    # lxml refuses str input that carries an XML encoding declaration.
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", html.replace("\x00", ""))


def _document(html: str) -> lxml_html.HtmlElement | None:
    from lxml import etree
    from lxml import html as lxml_html

    if not html.strip():
        return None
    limits.check_page_nodes(html)
    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    _drop_comments(root)
    return root


def _drop_comments(root: lxml_html.HtmlElement) -> None:
    """Remove comments and processing instructions, joining the text around them into one
    text node. No reader wants them, and libxml2's XPath orders a text node that follows
    one by walking its siblings: 40,000 `<!---->x` took 43 s to read."""
    from lxml import etree

    # Where each removed node's tail text goes: the text of the node before it (or of its
    # parent), joined once at the end so that a run of comments is not quadratic.
    joins: dict[tuple[Any, str], list[str]] = {}
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        parent = node.getparent()
        if parent is None:
            continue
        before = node.getprevious()  # the comments before it are gone already
        key = (parent, "text") if before is None else (before, "tail")
        if key not in joins:
            joins[key] = [getattr(*key) or ""]
        joins[key].append(node.tail or "")
        parent.remove(node)
    for (element, where), parts in joins.items():
        setattr(element, where, "".join(parts) or None)


def _headings_to_groups(lines: list[str]) -> dict[str, Any]:
    """Ingredient "lines" that are group headings ("For the sauce:", "## Dough") become
    the titles of the groups that follow them."""
    if not any(_is_ingredient_heading(line) for line in lines):
        return {"ingredients": lines}
    groups: list[dict[str, Any]] = [{"title": None, "ingredients": []}]
    for line in lines:
        if _is_ingredient_heading(line):
            groups.append({"title": line.strip("#: ").strip(), "ingredients": []})
        else:
            groups[-1]["ingredients"].append(line)
    groups = [g for g in groups if g["ingredients"]]
    flat = [line for g in groups for line in g["ingredients"]]
    return {"ingredients": flat, "ingredient_groups": groups} if flat else {"ingredients": lines}


def _is_ingredient_heading(line: str) -> bool:
    """A line of an ingredient list that titles the lines after it: "For the sauce:",
    "## Filling", a short line in capitals ("TO SERVE"), "For the topping"."""
    if _INGREDIENT_HEADING.match(line):
        return True
    # "DRESSING (whisk together; chill)": a heading with a word on how to make it, in
    # lower case ("SALT (TO TASTE)" is a line in capitals like the others).
    aside = _ASIDE.search(line)
    label = line[: aside.start()] if aside and not aside.group().isupper() else line
    return bool(_SHORT_LABEL.match(label)) and (label.isupper() or bool(_FOR_THE.match(label)))


def _split_blob(
    chosen: dict[str, Any], candidates: list[dict[str, Any]], key: str
) -> dict[str, Any]:
    """A single line that is really the whole list (a text blob flattened, paragraphs
    glued together): another candidate with the same text in several lines reads better."""
    lines = chosen[key]
    if len(lines) != 1:
        return chosen
    blob = _folded(lines[0])
    for other in candidates:
        found = other.get(key) or []
        if len(found) > 1 and _splits(found, blob):
            return other
    return chosen


def _fuller_ingredients(body: dict[str, Any], page: dict[str, Any]) -> None:
    """The chosen ingredient lines with the amounts the page shows ("tequila" where the
    page's own list says "4 cl tequila", "500.0 g" where it says "500 g"), when the
    page's list is the same list line for line, or holds every one of a list of bare
    foods: a reader sees the page's amounts."""
    lines, listed = body.get("ingredients") or [], page.get("ingredients") or []
    if not lines:
        return
    if _part_of_page(lines, page):
        body["ingredients"], body["ingredient_groups"] = listed, page["ingredient_groups"]
        return
    fuller = _amounts_beside(lines, listed) if len(listed) == 2 * len(lines) else []
    fuller = fuller or _bare_foods_shown(lines, listed)
    # The page's section may run on past the list (into the method): its first lines.
    if not fuller and len(listed) >= len(lines):
        pairs = list(zip(lines, listed[: len(lines)], strict=True))
        if all(_amounts_shown(line, seen) for line, seen in pairs):
            fuller = [seen if _folded(seen) != _folded(line) else line for line, seen in pairs]
    if fuller and fuller != lines:
        body["ingredients"] = fuller
        body.pop("ingredient_groups", None)


def _part_of_page(lines: list[str], page: dict[str, Any]) -> bool:
    """Whether the chosen lines are only part of the groups the page lists (data that
    holds a recipe's cake but not its icing, or some lines of each group): the page's list
    holds each of them, and what else it holds is mostly lines with an amount (not the
    equipment: "Bundt pan", nor the nutrition: "Sodium 709mg"). A list that starts with
    them must start a group right after them; any other must not repeat a line (one
    recipe listed for 2, 4 and 6 people)."""
    groups, listed = page.get("ingredient_groups") or [], page.get("ingredients") or []
    if len(groups) < 2 or len(listed) <= len(lines):
        return False
    chosen, shown = [_folded(line) for line in lines], [_folded(line) for line in listed]
    taken = set(chosen)
    if shown[: len(chosen)] == chosen:
        ends = itertools.accumulate(len(group["ingredients"]) for group in groups)
        if len(lines) not in ends:
            return False
    elif not taken <= set(shown) or len(set(shown)) < len(shown):
        return False
    more = [line for line, folded in zip(listed, shown, strict=True) if folded not in taken]
    return 2 * sum(bool(text.AMOUNT.match(line)) for line in more) > len(more)


def _amounts_beside(lines: list[str], listed: list[str]) -> list[str]:
    """The page's list as one line per ingredient when it shows each of `lines` with its
    amount on a line of its own next to it ("flour", "250 g" or "250 g", "flour"), in the
    page's order; [] when it does not."""
    for food, amount in ((0, 1), (1, 0)):
        joined = []
        for line, i in zip(lines, range(0, len(listed), 2), strict=True):
            name, quantity = listed[i + food], listed[i + amount]
            if _folded(name) != _folded(line) or not _AMOUNT_ONLY.match(quantity):
                break
            joined.append(f"{listed[i]} {listed[i + 1]}")
        else:
            return joined
    return []


def _bare_foods_shown(lines: list[str], listed: list[str]) -> list[str]:
    """The page's list when the chosen lines are bare foods ("gin", "sumac": not one has
    an amount) and the page's list holds every one of them, mostly with amounts: its
    lines up to the last that holds one; [] when it does not."""
    if any(text.AMOUNT.match(line) for line in lines):
        return []
    words = [" ".join(seen.casefold().split()) for seen in listed]
    last = -1
    for line in lines:
        food = re.compile(rf"(?<!\w){re.escape(' '.join(line.casefold().split()))}(?!\w)")
        found = next((i for i, seen in enumerate(words) if food.search(seen)), None)
        if found is None:
            return []
        last = max(last, found)
    while last + 1 < len(listed) and text.AMOUNT.match(listed[last + 1]):
        last += 1  # a line the chosen list left out, not yet the method
    shown = _without_common_tail(listed[: last + 1])
    with_amounts = sum(1 for seen in shown if text.AMOUNT.match(seen))
    return shown if with_amounts * 2 > len(shown) else []


def _without_common_tail(lines: list[str]) -> list[str]:
    """Lines without the words (two or more) every one of them ends in: a link repeated
    on each line of a list ("2 cups broccoli shopping list") is the list's furniture."""
    if len(lines) < 3:
        return lines
    words = [line.split() for line in lines]
    tail = 0
    while all(len(w) > tail + 1 for w in words) and len({w[-tail - 1] for w in words}) == 1:
        tail += 1
    # One shared word may be the food's ("onion, chopped", "carrots, chopped"): two or more.
    return [" ".join(w[:-tail]) for w in words] if tail > 1 else lines


def _amounts_shown(line: str, seen: str) -> bool:
    """Whether the page's `seen` is `line` with its amount in front, or with the same
    amounts written without a decimal point's zeros (a number type's "2.0")."""
    folded, on_page = _folded(line), _folded(seen)
    return on_page.endswith(folded) or on_page == _WHOLE_NUMBER.sub(r"\1", folded)


def _splits(lines: list[str], blob: str) -> bool:
    """Whether `lines` are the folded `blob` cut into lines: each found in it, in order,
    together making up nearly all of it (a label or stray word between them may differ)."""
    start, covered = 0, 0
    for line in lines:
        folded = _folded(line)
        found = blob.find(folded, start)
        if found < 0:
            return False
        start = found + len(folded)
        covered += len(folded)
    return covered >= _BLOB_COVERED * len(blob)


def _cut_finer(lines: list[str], chosen: list[str]) -> bool:
    """Whether `lines` are `chosen` with some lines cut in ingredient lines of their own
    (a list's line breaks that another reader read as spaces), the text the same."""
    if len(lines) <= len(chosen):
        return False
    rest = iter(lines)
    for line in chosen:
        target, pieces, built = _folded(line), [], ""
        while len(built) < len(target) and (piece := next(rest, None)):
            pieces.append(piece)
            built += _folded(piece)
        if built != target or (len(pieces) > 1 and not text.ingredient_lines(pieces)):
            return False
    return next(rest, None) is None


def _folded(value: str) -> str:
    return "".join(value.casefold().split())


def merge(body: dict[str, Any], sources: list[dict[str, Any]]) -> dict[str, Any]:
    """The body (title, ingredients, steps) as chosen; every other field, and any part of
    the body that is missing, from the first source that has it. Ingredient group headings
    from another source are laid over the body's lines, never replace them."""
    site, structured, cards, generic, *rest = sources
    # The library reads yields, times and the image well; our own readers keep the rest
    # (categories, keywords, nutrition) in better shape.
    library_first = [site, generic, structured, cards, *rest]
    known_site = body is site  # recipe-scrapers has a parser for the host
    draft: dict[str, Any] = {}
    for key in FIELDS:
        order = sources
        if key in _LIBRARY_FIRST:
            # When the site's parser gives none, the page shows none: we do not guess one.
            order = [site] if known_site else library_first
        if key == "image_url" and not known_site and generic.get("image_fallback"):
            order = sources
        for source in [body, *order]:
            value = source.get(key)
            if value not in (None, "", [], {}):
                draft[key] = value
                break
    owner = (
        body if body.get("ingredients") else next((s for s in sources if s.get("ingredients")), {})
    )
    groups = _groups_for(owner.get("ingredients", []), owner, sources)
    draft["ingredients"] = [line for group in groups for line in group["ingredients"]]
    draft["ingredient_groups"] = groups
    if (
        draft.get("total_time") is None
        and not known_site
        and (draft.get("prep_time") or draft.get("cook_time"))
    ):
        draft["total_time"] = (draft.get("prep_time") or 0) + (draft.get("cook_time") or 0)
    return draft


def _titled(groups: Any) -> bool:
    return isinstance(groups, list) and any(g.get("title") for g in groups)


def _groups_for(
    lines: list[str], owner: dict[str, Any], sources: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Group headings for the chosen ingredient lines: the owner's own groups (laid over
    its lines, in their order, when each group holds a run of them), or another source's
    groups when they hold the same number of lines (then the lines are ours)."""
    own: list[dict[str, Any]] = owner.get("ingredient_groups") or []
    if _titled(own):
        return _laid_over(lines, own) if _same_runs(lines, own) else own
    for source in sources:
        groups = source.get("ingredient_groups")
        if groups is None or not _titled(groups):
            continue
        if sum(len(g["ingredients"]) for g in groups) == len(lines):
            return _laid_over(lines, groups)
        titled = _titles_as_lines(lines, groups)
        if titled:
            return titled
    return [{"title": None, "ingredients": lines}]


def _laid_over(lines: list[str], groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The groups' titles over `lines`, each group taking as many lines as it holds."""
    result, start = [], 0
    for group in groups:
        size = len(group["ingredients"])
        result.append({"title": group["title"], "ingredients": lines[start : start + size]})
        start += size
    return result


def _same_runs(lines: list[str], groups: list[dict[str, Any]]) -> bool:
    """Whether each group holds the same lines as a run of `lines`, maybe in another order:
    a site parser whose groups (read from the page) order a group's lines otherwise than
    its list (read from the data), which is authoritative."""
    start = 0
    for group in groups:
        run = lines[start : start + len(group["ingredients"])]
        if sorted(map(_folded, run)) != sorted(map(_folded, group["ingredients"])):
            return False
        start += len(run)
    return start == len(lines)


def _titles_as_lines(lines: list[str], groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines in the other source's groups when they hold its group titles as lines of
    their own, each just before its group's lines ("Apple slaw" in the data's list, a
    heading on the page); [] when they do not, or when a title has an amount (a bold
    ingredient taken for one)."""
    result, start = [], 0
    for group in groups:
        title, size = group["title"], len(group["ingredients"])
        if title and text.AMOUNT.match(title):
            return []
        if title:
            if start >= len(lines) or _folded(lines[start]).rstrip(":：") != _folded(title):
                return []
            start += 1
        result.append({"title": title, "ingredients": lines[start : start + size]})
        start += size
    return result if start == len(lines) else []


def structured_fields(html: str, root: lxml_html.HtmlElement, url: str) -> dict[str, Any]:
    """The best schema.org Recipe on the page, gaps filled from its other copies."""
    data: list[Any] = json_ld_blocks(root)
    # Plain substring tests: a case-blind regex search of the page took 10 ms a page.
    lowered = html.lower()
    if "itemtype" in lowered or "typeof" in lowered or "vocab=" in lowered:
        rdfa = "typeof=" in lowered or "vocab=" in lowered
        data.extend(_microdata_rdfa(html, url, root, rdfa))
    ids = schema.index_ids(data)
    candidates = [schema.recipe_fields(node, url, ids) for node in schema.find_recipes(data)]
    candidates = [c for c in candidates if c]
    if not candidates:
        return {}
    best = max(candidates, key=_completeness)
    for other in candidates:
        if other is best or other.get("title", best.get("title")) != best.get("title"):
            continue
        for key, value in other.items():
            best.setdefault(key, value)
    return best


def _completeness(draft: dict[str, Any]) -> int:
    return (
        len(draft.get("ingredients", [])) * 2
        + len(draft.get("instructions", []))
        + sum(1 for value in draft.values() if value)
    )


def json_ld_blocks(root: lxml_html.HtmlElement) -> list[Any]:
    """Every parseable `<script type="application/ld+json">` block, and JSON-LD put in a
    `<meta name="application/ld+json" content>` (what Next.js writes for JSON-LD given as
    page metadata, where no script carries it); broken ones are skipped."""
    raw = [
        script.text_content() or ""
        for script in root.xpath("//script[@type]")
        if "ld+json" in (script.get("type") or "").lower()
    ]
    raw += root.xpath(
        "//meta[translate(@name, 'LDJSON', 'ldjson') = 'application/ld+json']/@content"
    )
    return [loaded for loaded in map(load_json_loosely, raw) if loaded is not None]


def load_json_loosely(raw: str) -> Any:
    """JSON as sites actually write it: CDATA/comment wrappers, raw newlines in strings,
    trailing commas."""
    raw = raw.strip()
    raw = re.sub(r"^(<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", raw)
    raw = re.sub(r"(-->|//\s*\]\]>|\]\]>)$", "", raw).strip()
    if not raw:
        return None
    for attempt in (raw, re.sub(r",\s*([\]}])", r"\1", raw)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def _microdata_rdfa(html: str, url: str, root: lxml_html.HtmlElement, rdfa_too: bool) -> list[Any]:
    import extruct  # deferred: see parse_html

    rdfa: list[dict[str, Any]] = []
    try:
        microdata = _microdata(root, url)
        if rdfa_too:
            found = extruct.extract(
                html, base_url=url, syntaxes=["rdfa"], uniform=True, errors="ignore"
            )
            rdfa = compact_rdfa(found.get("rdfa", []))
    except Exception:  # extruct/rdflib raise many kinds of errors on hostile markup
        log.debug("extruct failed", exc_info=True)
        return []
    if rdfa:
        _restore_order(rdfa, text.line(" ".join(root.itertext())))
    return microdata + rdfa


def _microdata(root: lxml_html.HtmlElement, url: str) -> list[Any]:
    """The page's microdata items, their text read as the page shows it: extruct's own
    reader puts a space between any two elements ("8 Min." for `<b>8</b><b>Min.</b>`)."""
    from extruct.uniform import _umicrodata_microformat
    from extruct.w3cmicrodata import LxmlMicrodataExtractor

    class Reader(LxmlMicrodataExtractor):
        def _extract_textContent(self, node: lxml_html.HtmlElement) -> str:  # noqa: N802
            return markup.item_text(node)

    items = Reader().extract_items(root, url)
    return list(_umicrodata_microformat(items, "http://schema.org"))


def _restore_order(nodes: list[dict[str, Any]], page_text: str) -> None:
    """RDFa comes back as an unordered graph: put ingredient and step lists back in the
    order their text appears on the page."""
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                node[key] = sorted(value, key=lambda v: _position(page_text, v))


def _position(page_text: str, value: str) -> int:
    found = page_text.find(text.line(value))
    return found if found >= 0 else len(page_text)


def compact_rdfa(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Expanded RDFa nodes ({"http://schema.org/name": [{"@value": ...}]}) in the compact
    shape JSON-LD uses, references inlined."""
    by_id = {node.get("@id"): node for node in nodes if isinstance(node, dict)}

    def compact(node: dict[str, Any], depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {"@type": [str(t) for t in node.get("@type", [])]}
        for key, values in node.items():
            if key.startswith("@") or not isinstance(values, list):
                continue
            short = re.split(r"[/#]", key)[-1]
            items = []
            for value in values:
                if not isinstance(value, dict):
                    continue
                if "@value" in value:
                    items.append(value["@value"])
                elif "@id" in value:
                    ref = by_id.get(value["@id"])
                    items.append(compact(ref, depth + 1) if ref and depth < 4 else value["@id"])
            if items:
                out[short] = items[0] if len(items) == 1 else items
        return out

    return [compact(node, 0) for node in nodes if isinstance(node, dict) and node.get("@type")]


def _named_address(root: lxml_html.HtmlElement) -> tuple[str, str]:
    """The address a page gives for itself, and where it says so: its canonical link, else
    its `og:url`; ("", "") when it names none."""
    for where, xpath in (
        (
            "canonical link",
            "//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href",
        ),
        ("og:url", "//meta[@property='og:url' or @name='og:url'][@content]/@content"),
    ):
        for value in root.xpath(xpath):
            url = clean_source_url(str(value))
            if url:
                return url, where
    return "", ""


def web_address(url: str) -> str:
    """The address as a browser's address bar reads it: "example.com/pie" and
    "//example.com/pie" are https://example.com/pie; anything else as given."""
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    if "://" not in url and _BARE_HOST.match(url.split("/", 1)[0]):
        return "https://" + url
    return url


def is_relative_address(url: str) -> bool:
    """A path without a scheme or host ("/recipes/pie", "pie.html"), not free text."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return bool(url) and not (parts.scheme or parts.netloc) and not any(c.isspace() for c in url)


def clean_source_url(url: str) -> str:
    """The page address without its fragment and tracking parameters (utm_*, fbclid ...)."""
    url = text.line(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING.match(k)
        ]
    )
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))
