"""Lines as the page shows them, where the structured data glued them together.

Structured data often flattens a method (or an ingredient list) into one text: the page's
paragraphs run together ("...in feine Streifen schneiden.Öl in einer Pfanne..."), its
`<br>` lines lost. When the page shows that same text cut into blocks (paragraphs, list
items, line breaks), a reader takes it line by line, so do we.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from recipes.importing import markup, text

if TYPE_CHECKING:  # lxml loads on first import, not at app start
    from lxml.html import HtmlElement

_MIN_BLOB = 60  # folded characters: shorter texts are a line, not a glued list
_MIN_ANCHOR = 20  # folded characters of the page text that locates a blob
_GAP = 40  # folded characters allowed between two lines (a label, a stray word)
_COVERED = 0.9  # share of the blob the page's lines must hold
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_WAYS = 16  # ways of tiling a blob followed at once (the best covering ones)
_CLIMB = 6  # wrappers tried above the text that locates the blob


def folded(value: str) -> str:
    """Text compared as a reader would: case and all whitespace ignored."""
    return "".join(value.casefold().split())


def page_cut(root: HtmlElement, blob: str) -> list[str]:
    """`blob` as the page cuts it into lines (at least two, holding nearly all of it and
    in its order), or [] when the page does not show it so."""
    target = folded(blob)
    if len(target) < _MIN_BLOB:
        return []
    anchor = _anchor(root, target)
    if anchor is None:
        return []
    for depth, element in enumerate((anchor, *anchor.iterancestors())):
        if depth > _CLIMB or element.tag in ("body", "html"):
            break
        shown = _tiling(_block_lines(element), target)
        if len(shown) > 1:
            return shown
    return []


def _anchor(root: HtmlElement, target: str) -> HtmlElement | None:
    """The element holding the longest visible text found inside the blob."""
    best, best_size = None, _MIN_ANCHOR - 1
    for node in root.xpath(markup.VISIBLE_TEXT_NODES):
        piece = folded(str(node))
        if len(piece) > best_size and piece in target:
            best, best_size = node.getparent(), len(piece)
    return best


def _block_lines(element: HtmlElement) -> list[str]:
    """The element's text cut where a browser starts a new line; its headings left out
    (a "Method" heading over the steps is not one of them)."""
    headings = {text.line(h.text_content()) for h in element.iter(*_HEADINGS) if h is not element}
    return [line for line in markup.block_lines(element) if line not in headings]


def _tiling(lines: list[str], target: str) -> list[str]:
    """The lines that tile the folded `target` in order, each starting near where the
    previous one ended; [] unless together they hold nearly all of it. Of the ways to
    tile it, the one covering most wins: a block's short lines (the ingredients' names a
    step mentions) may match its start, and the steps themselves hold far more."""
    # Each way: the position it has reached -> (characters covered, lines taken).
    ways: dict[int, tuple[int, list[str]]] = {0: (0, [])}
    for line in lines:
        piece = folded(line)
        if not piece:
            continue
        grown = dict(ways)
        for position, (covered, found) in ways.items():
            at = target.find(piece, position)
            if at < 0 or at - position > _GAP:
                continue
            end = at + len(piece)
            if covered + len(piece) > grown.get(end, (-1, []))[0]:
                grown[end] = (covered + len(piece), [*found, line])
        ways = dict(sorted(grown.items(), key=lambda way: -way[1][0])[:_WAYS])
    covered, found = max(ways.values(), key=lambda way: way[0])
    if covered < _COVERED * len(target):
        return []
    return found
