"""The last resort for a page without structured data or a known recipe card: an
"Ingredients" heading followed by its lines, and an "Instructions" heading followed by
its steps, read the way a person reads the page.

A heading is any element whose whole text is the word (an `<h2>`, a bold line, a
`<div>` holding a button, an `<em>`), widened to the largest wrapper holding nothing
else. Its section runs over the lists, paragraphs and text-only blocks that follow, up
to the next heading of its rank, another section's heading, or a change of kind (the
recipe's lists end where the post's paragraphs start again).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from recipes.importing import text
from recipes.importing.markup import VISIBLE_TEXT_NODES, element_text, is_hidden

if TYPE_CHECKING:  # lxml loads on first import, not at app start
    from lxml.html import HtmlElement

_END = r"\s*[:：*]?\s*$"
_INGREDIENT_WORDS = (
    r"(ingredients?|ingrédients|zutaten|ingredientes|ingredienti|ingrediënten|ingredienser"
    r"|składniki|hozzávalók|suroviny|ingrediencie|ainekset|sastojci|malzemeler|材料"
    r"|what you('|’)ll need|you('|’)ll need)"
)
_INSTRUCTION_WORDS = (
    r"((cooking |recipe )?(instructions?|directions?|method|procedure)|preparation"
    r"|steps|how to make( it)?|zubereitung"
    r"|préparation|preparación|preparazione|procedimento|bereiding|bereidingswijze"
    r"|fremgangsmåde|tilberedning|tillagning|gör så här|przygotowanie|sposób przygotowania"
    r"|elaboración|modo de preparo|elkészítés|postup|valmistus|priprema|做法|作り方)"
)
INGREDIENT_HEADINGS = re.compile(
    rf"^{_INGREDIENT_WORDS}"
    # "Ingredients for the dough", "Ingrédients pour le levain (1 nuit)"
    r"(\s+(for|pour|für|para|per|voor|til|för|do|na)\s.{1,40})?" + _END,
    re.I,
)
INSTRUCTION_HEADINGS = re.compile(rf"^{_INSTRUCTION_WORDS}" + _END, re.I)
BARE_INGREDIENTS = re.compile(rf"^{_INGREDIENT_WORDS}" + _END, re.I)
# A heading that starts another section ("Cooking Instructions [edit]", "Method 2").
_SECTION_START = re.compile(rf"^({_INGREDIENT_WORDS}|{_INSTRUCTION_WORDS})\b", re.I)
_OTHER_SECTION = re.compile(
    r"^(notes?|nutrition|tips|comments?|video|equipment|reviews?|related|more)\b", re.I
)
# An advertisement's label between two blocks of a recipe.
_AD_LABEL = re.compile(r"^(advertisements?|sponsored|anzeige|werbung|publicité|pubblicità)$", re.I)
_BOILERPLATE = re.compile(r"^(photo credit|©)|\b(newsletter|subscribe|sign up)\b", re.I)
_PREAMBLE_LINES = 3  # short lines before a section's list ("Prep: 15 min", "Serves 4")
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_CONTAINERS = ("div", "section", "span", "article", "figure", "header", "aside")
_BLOCK_CHILDREN = frozenset(("ul", "ol", "p", "table", *_HEADING_TAGS, *_CONTAINERS)) - {"span"}
# Wrappers a heading is never widened to: the page's main blocks.
_PAGE_BLOCKS = ("body", "html", "main", "article")
_NOT_HEADINGS = ("a", "li", "option", "button", "label")
_CANDIDATES = 8  # headings tried in turn; the first with lines after it wins
_MAX_INGREDIENT_PARAGRAPH = 150  # longer paragraphs under "Ingredients" are prose
_BREAK = re.compile(r"<br\s*/?>", re.I)
_BLANK_LINE = re.compile(r"<br\s*/?>\s*(?:<br\s*/?>\s*)+", re.I)
# A paragraph's segment that is only a bold run (tags around it allowed): a group title.
_BOLD_SEGMENT = re.compile(
    r"\s*(?:<(?!strong|b\b)[^>]*>\s*)*<(strong|b)\b[^>]*>[^<]*</\1>\s*(?:</?[^>]*>\s*)*", re.I
)
_MAX_ITEMS = 300
# An amount at the start of a line: "250 g", "1/2 cup", "½ tsp" (not a step's "1." label).
_QUANTITY = re.compile(r"^\s*(?:\d+(?:[.,/]\d+)?(?![.)\d])|[½¼¾⅓⅔⅛⅜⅝⅞])")
# A class naming a title: "__title", "-heading", "group-name" (BEM and plugin styles).
_TITLE_CLASS = re.compile(r"(?:__|-|_)(?:title|heading|header|subtitle|group-?name)(?:\s|$)", re.I)
_MIN_QUANTITY_LINES = 3
_STEP_LENGTH = 80  # mean characters a line: more, and a list reads as steps
_QUANTITY_SHARE = 0.6
Section = tuple[list[dict[str, Any]], "HtmlElement | None"]
Parts = list[tuple[str | None, list[str]]]  # lines under an optional group title


def heading_fields(root: HtmlElement) -> dict[str, Any]:
    """Ingredients (with group titles) and steps found under their headings."""
    draft: dict[str, Any] = {}
    groups, end = _first_section(root, INGREDIENT_HEADINGS, steps=False)
    if not groups:
        groups, end = _quantity_section(root)
    if groups:
        draft["ingredient_groups"] = groups
        draft["ingredients"] = [line for g in groups for line in g["ingredients"]]
    groups, _ = _first_section(root, INSTRUCTION_HEADINGS, steps=True)
    if not groups and end is not None:
        # No "Instructions" heading: the steps are what follows the ingredients.
        groups, _ = _read(_after_intro(_following(end)), 7, steps=True)
    if groups:
        # The method's own sub-headings ("Preparation", "For the glaze") head its parts;
        # a reader does not do them, so they are not steps.
        draft["instructions"] = [line for g in groups for line in g["ingredients"]]
    return draft


def _after_intro(blocks: Iterator[HtmlElement]) -> Iterator[HtmlElement]:
    """The blocks after the ingredients without the headings that open the method
    ("Let's get started!"); a heading of another section ("Notes") still ends it."""
    for element in blocks:
        title = text.line(element.text_content())
        if element.tag not in _HEADING_TAGS or _ends_section(title):
            yield element
            break
    yield from blocks


def _first_section(root: HtmlElement, pattern: re.Pattern[str], steps: bool) -> Section:
    """The fullest section under a matching heading: a menu link "Ingredients" has none,
    a "Preparation: 20 min" label only a few words of the recipe's details."""
    best: Section = ([], None)
    for anchor in islice(_headings(root, pattern), _CANDIDATES):
        found = _read(_following(anchor), _level(anchor), steps)
        if _size(found[0]) > _size(best[0]):
            best = found
    return best


def _size(groups: list[dict[str, Any]]) -> int:
    return sum(len(line) for group in groups for line in group["ingredients"])


def _quantity_section(root: HtmlElement) -> Section:
    """No "Ingredients" heading: the list whose lines mostly start with an amount
    ("250 g", "½ cup") is the ingredient list, with the lists that continue it."""
    best, best_count = None, _MIN_QUANTITY_LINES - 1
    for element in root.xpath("//body//ul | //body//ol"):
        lines = _list_lines(element)
        if len(lines) > _MAX_ITEMS or _is_links(element):
            continue
        count = sum(1 for line in lines if _QUANTITY.match(line) and len(line) < 150)
        if count > best_count and count >= _QUANTITY_SHARE * len(lines):
            best, best_count = element, count
    if best is None:
        return [], None
    return _read(chain([best], _following(best)), 7, steps=False)


def _headings(root: HtmlElement, pattern: re.Pattern[str]) -> Iterator[HtmlElement]:
    """Elements whose whole text matches, in page order, widened to their bare wrappers."""
    for node in root.xpath(VISIBLE_TEXT_NODES):
        value = text.line(node)
        if len(value) >= 60 or not pattern.match(value) or getattr(node, "is_tail", False):
            continue
        element = node.getparent()
        if element is None or text.line(element.text_content()) != value:
            continue
        element = _widened(element, value)
        # A menu entry or a tab's label names a section shown elsewhere.
        if element.tag not in _NOT_HEADINGS:
            yield element


def _widened(element: HtmlElement, value: str) -> HtmlElement:
    """<p><strong>Ingredients</strong></p> and <div><button>Ingredients</button></div> are
    headings as a whole: their items follow the wrapper, not the word inside it."""
    while True:
        parent = element.getparent()
        if parent is None or parent.tag in _PAGE_BLOCKS:
            return element
        if text.line(parent.text_content()) != value:
            return element
        element = parent


def _level(element: HtmlElement) -> int:
    """The heading's rank: its own `<hN>` or one inside it; 7 for a bold line or a label."""
    for node in (element, *element.iterdescendants()):
        if node.tag in _HEADING_TAGS:
            return int(node.tag[1])
    return 7


def _read(blocks: Iterator[HtmlElement], level: int, steps: bool) -> Section:
    """A section's lines from the blocks after its heading, in groups, and the last block
    read: smaller headings in between become group titles; the section ends at a heading
    of its rank (`level`) or above, another section's heading, or a change from lists to
    paragraphs (or back) once it has lines."""
    groups: list[dict[str, Any]] = [{"title": None, "ingredients": []}]
    kind = ""  # "list" or "text": what the section's lines have been so far
    end = None
    for element in blocks:
        tag = element.tag
        if tag in _HEADING_TAGS:
            title = text.line(element.text_content()).rstrip(":： ")
            if not title:
                continue
            if kind and _ends_section(title):
                break
            # A heading of the section's own rank ends it, unless it titles the next
            # group of an ingredient list ("Crosses", "Glaze" after "Ingredients").
            if _level(element) <= level and not (
                level < 7 and not steps and kind == "list" and _is_label(title)
            ):
                break
            groups.append({"title": title, "ingredients": []})
            continue
        if _is_links(element):
            if kind:
                break
            continue
        if tag in ("ul", "ol", "table"):
            parts: Parts = _table_parts(element) if tag == "table" else _list_groups(element)
            lines = [line for _, part in parts for line in part]
            if not steps and _reads_as_steps(lines):
                break
            if kind == "text" and lines:
                if not _is_preamble(groups):
                    break
                groups = [{"title": None, "ingredients": []}]
            kind = "list" if lines else kind
            _add_parts(groups, parts)
            end = element if lines else end
        else:
            value = element_text(element)
            if not value or _AD_LABEL.match(value):
                continue
            if _ends_section(value):
                break
            if (
                _is_bold_line(element, value)
                or _is_titled(element, value)
                or kind == "list"
                and _is_label(value)
            ):
                groups.append({"title": value.rstrip(":： "), "ingredients": []})
                continue
            parts = _paragraph_groups(element) if not steps else [(None, _steps_in(element, value))]
            if kind == "list" or not parts:
                break
            kind, end = "text", element
            _add_parts(groups, parts)
        if sum(len(g["ingredients"]) for g in groups) > _MAX_ITEMS:
            break
    for group in groups:  # a credit, a sign-up box or a scaler's label is no line
        group["ingredients"] = [x for x in group["ingredients"] if not _furniture(x)]
    groups = [g for g in groups if g["ingredients"]]
    return groups, end if groups else None


def _furniture(line: str) -> bool:
    """A line between the blocks that is none of the recipe's: a credit, a sign-up box,
    a scaling widget's "Servings:" whose number is a control."""
    return bool(_BOILERPLATE.search(line) or _YIELD_LABEL.match(line))


def _reads_as_steps(lines: list[str]) -> bool:
    """A list of sentences, not of ingredients: the method after the ingredient list."""
    return bool(lines) and sum(map(len, lines)) > _STEP_LENGTH * len(lines)


def _list_lines(element: HtmlElement) -> list[str]:
    # A list written straight inside another (<ol><h4>..</h4><ol><li>) has no items of
    # its own: its innermost items are its lines.
    items = element.xpath("./li") or element.xpath(".//li[not(.//li)]")
    return [value for value in (element_text(li) for li in items if not is_hidden(li)) if value]


def _list_groups(element: HtmlElement) -> Parts:
    """A list's lines; an item holding a list of its own ("Seasonings" over three
    spices) titles that list's lines instead of being a line."""
    parts: Parts = [(None, [])]
    for li in element.xpath("./li"):
        inner = [child for child in li if child.tag in ("ul", "ol")]
        if is_hidden(li) or not inner:
            value = "" if is_hidden(li) else element_text(li)
            parts[-1][1].extend([value] if value else [])
            continue
        label = text.line("".join(_own_text(li, inner))).rstrip(":： ")
        lines = [line for lst in inner for line in _list_lines(lst)]
        if _notes_of(label, lines):
            parts[-1][1].append(element_text(li))
            continue
        parts.append((label or None, lines))
        parts.append((None, []))
    if len(parts) == 1 and not parts[0][1]:
        return [(None, _list_lines(element))]
    return [part for part in parts if part[1]]


def _notes_of(label: str, lines: list[str]) -> bool:
    """Whether an item's own list holds notes on it ("150 g onion, diced" over "roughly
    1 large onion", "2.5 g bay leaves" over "2"), not the lines of a group it titles: the
    item has an amount, they have none (a bare number is none)."""
    return bool(_QUANTITY.match(label)) and not any(
        _QUANTITY.match(line) and not _BARE_NUMBER.match(line) for line in lines
    )


def _own_text(li: HtmlElement, inner: list[HtmlElement]) -> list[str]:
    """An item's text outside the lists inside it."""
    parts = [li.text or ""]
    for child in li:
        if child not in inner:
            parts.append(element_text(child))
        parts.append(child.tail or "")
    return parts


def _add_parts(groups: list[dict[str, Any]], parts: Parts) -> None:
    for label, part in parts:
        if label:
            groups.append({"title": label, "ingredients": []})
        groups[-1]["ingredients"].extend(part)


def _table_parts(element: HtmlElement) -> Parts:
    """A table of ingredients reads a row a line, its cells side by side ("150ml" |
    "red wine" is "150ml red wine"). A row of one cell that holds a heading or lines of
    its own ("For dip:" over "1 cup yogurt<br>1 tbsp honey") gives those, under the
    heading; one of links only (downloads, a menu) gives none."""
    parts: Parts = [(None, [])]
    for row in element.iter("tr"):
        cells = [(cell, element_text(cell)) for cell in row.xpath("./td | ./th")]
        cells = [(cell, value) for cell, value in cells if value]
        if is_hidden(row) or not cells or _is_links(row):
            continue
        cell = cells[0][0]
        if len(cells) == 1 and cell.xpath(".//br | .//h1 | .//h2 | .//h3 | .//h4 | .//h5"):
            _add_cell(parts, cell)
        else:
            parts[-1][1].append(" ".join(value for _, value in cells))
    return [part for part in parts if part[1]]


def _add_cell(parts: Parts, cell: HtmlElement) -> None:
    """A cell's lines, a line per `<br>`, each heading in it titling the lines after it."""
    headed = any(child.tag in _HEADING_TAGS for child in cell)
    for block in cell if headed else [cell]:
        if block.tag in _HEADING_TAGS:
            parts.append((element_text(block).rstrip(":： ") or None, []))
            continue
        if _is_links(block):
            continue
        for label, lines in _paragraph_groups(block) or [(None, [element_text(block)])]:
            if label:
                parts.append((label, []))
            parts[-1][1].extend(line for line in lines if line)


def _paragraph_groups(element: HtmlElement) -> Parts:
    """A paragraph of ingredients is often one line per `<br>`, a bold line among them
    titling the lines after it; [] when a line is too long for an ingredient (prose)."""
    from lxml import html as lxml_html

    raw = lxml_html.tostring(element, encoding="unicode", with_tail=False)
    parts: Parts = [(None, [])]
    for segment in _BREAK.split(raw):
        value = text.line(segment)
        if len(value) > _MAX_INGREDIENT_PARAGRAPH:
            return []
        if value and _BOLD_SEGMENT.fullmatch(segment):
            parts.append((value.rstrip(":： "), []))
        elif value:
            parts[-1][1].extend(text.html_lines(segment))
    return [part for part in parts if part[1]]


def _steps_in(element: HtmlElement, value: str) -> list[str]:
    """A paragraph of the method is one step; one that parts its steps with blank lines
    (two `<br>`) holds a step a line."""
    from lxml import html as lxml_html

    raw = lxml_html.tostring(element, encoding="unicode", with_tail=False)
    segments = text.html_lines(raw) if _BLANK_LINE.search(raw) else []
    return segments if len(segments) > 1 else [value]


def _is_preamble(groups: list[dict[str, Any]]) -> bool:
    """A few short lines before the section's list ("Makes 6 servings", a scaling widget's
    "1x 2x", "Your device does not support cooking mode"): not the recipe's lines."""
    lines = [line for g in groups for line in g["ingredients"]]
    return len(lines) <= _PREAMBLE_LINES and all(len(line) < 60 for line in lines)


def _is_links(element: HtmlElement) -> bool:
    """Links and nothing else (tags, categories, share buttons, a menu): never part of a
    recipe. Punctuation between the links does not count."""
    words = _words(element.text_content())
    return bool(words) and words == _words(" ".join(a.text_content() for a in element.iter("a")))


def _words(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.casefold())


def _is_bold_line(element: HtmlElement, value: str) -> bool:
    bold = element.xpath("./strong | ./b")
    return bool(bold) and text.line(bold[0].text_content()) == value and len(value) < 80


def _is_titled(element: HtmlElement, value: str) -> bool:
    """A short line its class names a title ("recipe-ingredients__title", "group-heading")
    between a list's items: the next group's title."""
    named = _TITLE_CLASS.search(element.get("class") or "") is not None
    return named and _is_label(value) and not _QUANTITY.match(value)


def _is_label(value: str) -> bool:
    """A short line between two lists ("To serve", "Dressing:"): the next group's title."""
    return len(value) <= 40 and not re.search(r"[.!?]$", value)


def _ends_section(value: str) -> bool:
    return len(value) < 60 and bool(_SECTION_START.match(value) or _OTHER_SECTION.match(value))


def _following(anchor: HtmlElement) -> Iterator[HtmlElement]:
    """Blocks after `anchor` in page order (lists, paragraphs, headings, text-only
    blocks), climbing out of the anchor's wrappers as needed."""
    node = anchor
    budget = 2000
    while node is not None and budget > 0:
        sibling = node.getnext()
        while sibling is not None and budget > 0:
            budget -= 1
            yield from _blocks(sibling)
            sibling = sibling.getnext()
        node = node.getparent()
        if node is None or node.tag in _PAGE_BLOCKS:
            return


def _blocks(element: HtmlElement) -> Iterator[HtmlElement]:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag and is_hidden(element):
        return
    if tag in ("ul", "ol", "p", "table") or tag in _HEADING_TAGS:
        yield element
    elif tag in _CONTAINERS:
        if any(isinstance(child.tag, str) and _is_block(child) for child in element):
            for child in element:
                yield from _blocks(child)
        elif tag != "span":
            yield element  # a text-only block: one line, like a paragraph


def _is_block(element: HtmlElement) -> bool:
    return element.tag in _BLOCK_CHILDREN


_YIELD_WORDS = (
    r"(serves|servings?|yields?|makes|portions?|portionen|personen|porciones|raciones"
    r"|personas|porções|porzioni|persone|personnes|personer|portioner|porcje|adag"
    r"|rendimento|rendimiento)"
)
# "Serves 4", "Yield: 20 to 22", "MAKES 12 COOKIES"; not "Makes 10 minutes".
_YIELD_LABELLED = re.compile(
    rf"^{_YIELD_WORDS}\s*[:：]?\s*\d+(\s*[-–]\s*\d+)?\b(?!\s*(min|h\b|hr|hour|°))", re.I
)
_YIELD_LABEL = re.compile(rf"^{_YIELD_WORDS}\s*[:：]?$", re.I)
# "4 servings", "6 Servings (small)", "Pour 2 personnes :", "Até 4 porções", a heading
# "Zutaten für 4 Personen" or "Ingredients for 5 (small) servings"; the whole text, not
# "1309 people printed this".
_YIELD_COUNTED = re.compile(
    r"^((ingredients|zutaten|ingrédients|ingredientes|ingrediënten|ingredienti|ingredienser"
    r"|składniki)\s+)?((for|pour|für|per|para|voor|för|til|dla|até)\s+)?"
    r"\d+(\s*[-–]\s*\d+)?\s*(\([^()]{1,20}\)\s*)?"  # "5 (small) servings"
    r"(servings?|portions?|portionen|personen|personas|personnes"
    r"|porciones|porzioni|persons|people|persone|personer|portioner|porsjoner|porcje|porcji"
    r"|adag|porções)\s*([:：.]|\(.*\))?$",
    re.I,
)
_NOT_SHOWN = ("script", "style", "noscript", "template", "option")


_TOTAL_WORDS = (
    r"(total(\s+time)?|total\s+cook(ing)?\s+time|ready\s+in(\s+(about|around))?"
    r"|time(\s+required)?|tijd|prep\s+(&|and)\s+cook\s+time|gesamtzeit|temps\s+total"
    r"|tiempo\s+total|tempo\s+total(e)?|totale\s+tijd|tid\s+i\s+alt|total\s+tid"
    r"|czas\s+całkowity)"
)
# Prep and cook times, each shown on its own ("Prep Time: 5 minutes", "Cook Time" "30").
_PART_WORDS = (
    r"((prep(aration)?|cook(ing)?|baking|bake)(\s+time)?|tempo\s+de\s+(preparo|cozimento)"
    r"|zubereitungszeit|kochzeit|backzeit|bereidingstijd|kooktijd|oventijd"
    r"|temps\s+de\s+(préparation|cuisson)|tiempo\s+de\s+(preparación|cocción)"
    r"|tempo\s+di\s+(preparazione|cottura)|czas\s+przygotowania)"
)
_PART_LABELLED = re.compile(rf"^{_PART_WORDS}\s*[:：]?\s*(?P<time>\d.*)$", re.I)
_PART_LABEL = re.compile(rf"^{_PART_WORDS}\s*[:：]?$", re.I)
_TOTAL_LABELLED = re.compile(rf"^{_TOTAL_WORDS}\s*[:：]?\s*(?P<time>\d.*)$", re.I)
_TOTAL_LABEL = re.compile(rf"^{_TOTAL_WORDS}\s*[:：]?$", re.I)
_BARE_NUMBER = re.compile(r"^[\d.,\s]+$")


def _shown_texts(root: HtmlElement) -> list[str]:
    """The page's text nodes as a reader sees them, in order, whitespace folded; scripts
    and the like left out, and the site's menus (a "Time" menu of "15 min" links), but not
    a menu left open that the parser let swallow the page (it holds the page's `<h1>`)."""
    swallowed = root.xpath("boolean(//h1[ancestor::nav])")
    menus = "ancestor::a" if swallowed else "ancestor::nav or ancestor::a"
    return [
        " ".join(str(t).split())
        for t in root.xpath(  # descendant::, as in VISIBLE_TEXT_NODES
            f"//body/descendant::text()[normalize-space()][not({menus})]"
        )
        if t.getparent() is not None and t.getparent().tag not in _NOT_SHOWN
    ]


def _labelled(texts: list[str], label: re.Pattern[str]) -> Iterator[str]:
    """Each short text, joined to the next when it is only a label ("Servings:", "4"), or
    only a number that the label follows ("1", "Servings"; not "5", "Servings:" "4")."""
    for i, value in enumerate(texts):
        if len(value) > 60:
            continue
        after = texts[i + 1] if i + 1 < len(texts) else ""
        trailing = _BARE_NUMBER.match(value) and not after.endswith((":", "："))
        if label.match(value) or (trailing and label.match(after)):
            value = f"{value} {after}".strip()
        yield value


def shown_yield(root: HtmlElement) -> str:
    """The first yield the page shows as a short text of its own ("Serves 4", "Yield: 12
    muffins", "4 personen"; a label and its number in two elements: "Servings:" "4")."""
    for value in _labelled(_shown_texts(root), _YIELD_LABEL):
        labelled = _YIELD_LABELLED.match(value)
        if labelled:
            counted = value[labelled.end(1) :].lstrip(" :：")  # "Makes 12 servings"
            return counted if _YIELD_COUNTED.match(counted) else value
        if _YIELD_COUNTED.match(value):
            return value
    return ""


def _parts_time(texts: list[str]) -> int | None:
    """The prep and cook times shown, added up: each labelled part's first time; None
    when none is shown. A page that puts every time above its label ("10 min" "Prep Time"
    "5 min" "Cook Time") is read that way."""
    labels = [i for i, value in enumerate(texts) if _PART_LABEL.match(value)]
    above = bool(labels) and all(
        i > 0 and _a_time(texts[i - 1]) and not texts[i].endswith((":", "：")) for i in labels
    )
    found: dict[str, int] = {}
    for i, value in enumerate(texts):
        if _PART_LABEL.match(value):  # "Cook Time:" "5" "minutes"
            value = f"{value} {texts[i - 1]}" if above else " ".join(texts[i : i + 3])
        part = _PART_LABELLED.match(value) if len(value) <= 60 else None
        if not part:
            continue
        shown = part.group("time")
        minutes = None if _BARE_NUMBER.match(shown) else text.minutes(shown)
        label = part.group(1).casefold().removesuffix(" time")  # "prep" and "prep time"
        if minutes and label not in found:
            found[label] = minutes
    return sum(found.values()) or None


def _a_time(value: str) -> bool:
    """A text that is only a time ("10 min", "1 hr 5 mins")."""
    short = len(value) <= 30 and value[:1].isdigit() and not _BARE_NUMBER.match(value)
    return short and bool(text.minutes(value))


def shown_total_time(root: HtmlElement) -> int | None:
    """The first total time the page shows as a short text ("Total Time: 1 hr 45 mins",
    "Temps total 1h05", "Totale tijd" "20 minuten"), in minutes; a bare number after
    the label ("Total 589.15", a price) is no time. Without one, the prep and cook times
    it shows, added up."""
    texts = _shown_texts(root)
    for value in _labelled(texts, _TOTAL_LABEL):
        found = _TOTAL_LABELLED.match(value)
        if found and not _BARE_NUMBER.match(found.group("time")):
            minutes = text.minutes(found.group("time"))
            if minutes:
                return minutes
    return _parts_time(texts)
