"""Reading one ingredient line: tokens, tags, then amounts, food and note.

`tokens.py` reads the numbers (fractions, decimals, ranges) and `tagger.py` says which tokens
are quantity, unit, size, food or other. Each quantity starts an amount; a unit word goes to
the latest amount that has none (`1 (400 g) can`: the count's unit comes after the bracket).
A second amount in the line (`160 g (2/3 cup) milk`, `10g/½oz tarragon`) is one more
quantity, so it becomes `amounts[1]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from . import tagger
from .models import PARSED_LIST, ParsedIngredient, Reading, reading_fields, validate_parsed
from .tokens import Token, normalise, tokenize
from .units import MASS, VOLUME, canonical_unit
from .words import singular

MEASURES = frozenset(MASS + VOLUME)
MAX_LINE = 500  # longer "lines" are kept as text, not parsed
FILLERS = frozenset({"of", "x", "a", "an", "-", "/", "+", "about", "approx", "approximately"})
CLOSING = ",;:).!?"
# The ends of a size written as one word: medium-size, thumb-sized, paper-thin, inch-long.
SIZE_SUFFIXES = ("size", "sized", "thick", "thin", "long", "length", "wide", "square", "deep")
_EMPTY_BRACKETS = re.compile(r"\s*\(\s*[-/,]?\s*\)")


def parse_ingredient(text: str) -> ParsedIngredient:
    """The line understood; a line with no amount is simply one with no quantity."""
    # A new model each call, as callers may scale it in place; pydantic-core builds it in one
    # call (2 us; constructing and copying the models in Python took 15).
    parsed: ParsedIngredient = validate_parsed(reading_fields(text, read_line(text)))
    return parsed


def parse_lines(lines: Iterable[str]) -> list[ParsedIngredient]:
    return PARSED_LIST.validate_python([reading_fields(line, read_line(line)) for line in lines])


def forget_parsed() -> None:
    """Empty the cache of parsed lines (after the tagger's model changed)."""
    read_line.cache_clear()


@lru_cache(maxsize=4096)  # common lines ("1 tsp salt") repeat; each entry holds ~0.4 KB
def read_line(text: str) -> Reading | None:
    """The line understood, as plain values (shared by every caller); None for a blank line
    or one too long to be an ingredient, which is kept as text only."""
    line = text.strip()
    if not line or len(line) > MAX_LINE:
        return None
    tokens = tokenize(normalise(line))
    tags = measured_amounts(tokens, tagger.tag(tokens))
    amounts, used = read_amounts(tokens, tags)
    food_at = food_positions(tokens, tags)
    used.update(food_at)
    food = " ".join([tokens[i].text for i in food_at]) or None
    return Reading(food, _note(tokens, used), tuple(map(tuple, amounts)))


def measured_amounts(tokens: list[Token], tags: list[str]) -> list[str]:
    """After the first amount, a number followed by a weight or volume is an amount too,
    even where the tagger, trained on a few sites' habits, says not (`6 salmon fillets, 6
    ounces each`). Not before it: `Oil for frying, plus 2 tbsp` or `Giblets from a 4 pound
    chicken` have no amount of their own. Lengths are left to the tagger (`cut into 2 cm
    dice` is no amount)."""
    out = list(tags)
    if "Q" not in tags:
        return out
    for i in range(tags.index("Q") + 1, len(tokens) - 1):
        if (
            tokens[i].kind == "qty"
            and tags[i] not in ("Q", "U")
            and canonical_unit(tokens[i + 1].text) in MEASURES
        ):
            out[i], out[i + 1] = "Q", "U"
    return out


def read_amounts(tokens: list[Token], tags: list[str]) -> tuple[list[list[Any]], set[int]]:
    """Amounts in the order written, as [quantity, quantity_max, unit], and the token
    positions they used."""
    amounts: list[list[Any]] = []
    used: set[int] = set()
    after_unit = 0  # a unit's words are read with its first one
    for i, tag in enumerate(tags):
        if i < after_unit or (tag != "Q" and tag != "U"):
            continue
        token = tokens[i]
        if token.kind == "qty":  # a number is never a unit
            amounts.append([token.value, token.value_max, None])
            used.add(i)
        elif tag == "U" and token.kind == "word":
            after_unit = _read_unit(tokens, tags, i, amounts, used)
    return amounts, used


def _read_unit(
    tokens: list[Token], tags: list[str], i: int, amounts: list[list[Any]], used: set[int]
) -> int:
    """The unit starting at `i` given to the latest amount without one; where it ends."""
    end = _unit_end(tokens, tags, i)
    unit = unit_name(" ".join([t.text for t in tokens[i:end]]), _sized(tokens, i, used))
    if unit is None:  # a size ("medium-size cloves"): the unit comes after it
        return end
    owner = None
    for amount in reversed(amounts):
        if amount[2] is None:
            owner = amount
            break
    if owner is None and not amounts:
        owner = [None, None, None]
        amounts.append(owner)
    if owner is not None:
        owner[2] = unit
        used.update(range(i, end))
    return end


def food_positions(tokens: list[Token], tags: list[str]) -> list[int]:
    """The food-tagged words, up to a quantity after them: in `1 tbsp fresh basil or 1 tsp
    dried basil` the food is the first one named."""
    if "F" not in tags:
        return []
    picked: list[int] = []
    for i in range(tags.index("F"), len(tags)):
        if picked and tokens[i].kind == "qty":
            break
        if tags[i] == "F":
            picked.append(i)
    return picked


def _unit_end(tokens: list[Token], tags: list[str], i: int) -> int:
    """Past the unit's words (`fl oz`, not `pounds heads`) and a dot after them (`oz.`)."""
    end = i + 1
    while end < len(tokens) and tags[end] == "U" and tokens[end].kind == "word":
        if canonical_unit(" ".join([t.text for t in tokens[i : end + 1]])) is None:
            break
        end += 1
    if end < len(tokens) and tokens[end].text == ".":
        end += 1
    return end


@lru_cache(maxsize=1024)  # a few hundred unit spellings in all
def unit_name(words: str, sized: bool = False) -> str | None:
    """The canonical unit, or the word itself in the singular (`2 ears of corn`: "ear").

    A size written as one hyphenated word is no unit of its own: `½-inch-thick slices` has
    the unit of the number `sized` (hung on it by a hyphen) first, inch, and the count's
    unit, slice, follows; `medium-size cloves`, `thumb-sized piece` are None, so the word
    after them is the unit."""
    known = canonical_unit(words)
    if known or "-" not in words:
        return known or singular(words.lower().rstrip("."))
    head, _, rest = words.lower().partition("-")
    if sized and head != "in" and canonical_unit(head):  # "in-season" is no size
        return canonical_unit(head)
    if canonical_unit(head) or rest.rstrip(".").endswith(SIZE_SUFFIXES):
        return None
    return singular(words.lower().rstrip("."))


def _sized(tokens: list[Token], i: int, used: set[int]) -> bool:
    """Whether the word at `i` hangs on an amount's number by a hyphen (`½-inch-thick`)."""
    return i > 1 and tokens[i - 1].text == "-" and i - 2 in used and tokens[i - 2].kind == "qty"


def _note(tokens: list[Token], used: set[int]) -> str | None:
    """What is left: preparation, sizes, comments; fillers next to the amounts dropped."""
    rest = [t for i, t in enumerate(tokens) if i not in used]
    start = 0
    while start < len(rest) and (
        rest[start].text.lower() in FILLERS or rest[start].text in CLOSING
    ):
        start += 1
    parts: list[str] = []
    for token in rest[start:]:
        # a space before each word, none before closing punctuation or after "("
        if parts and parts[-1] != "(" and not (token.kind == "punct" and token.text in CLOSING):
            parts.append(" ")
        parts.append(token.text)
    text = "".join(parts)
    if "(" in text:  # brackets left holding only what joined the amounts: `1 (15-ounce) can`
        text = _EMPTY_BRACKETS.sub("", text)
    text = text.strip(" ,;-/")
    return text or None
