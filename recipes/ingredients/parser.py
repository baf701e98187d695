"""Reading one ingredient line: amounts by rule, then the food and the note.

Amounts come from the tokens (`tokens.py`) and the unit words (`units.py`): a quantity, an
optional unit right after it, and further amounts chained on with `/`, `(`, `;` or `=`
(`160 g (2/3 cup) milk`, `10g/½oz tarragon`). The food is the words left at the head of the
line, before the first comma or bracket, less size and preparation words.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from .models import Amount, ParsedIngredient
from .tokens import Token, normalise, tokenize
from .units import MAX_UNIT_WORDS, canonical_unit

MAX_LINE = 500  # longer "lines" are kept as text, not parsed
SIZES = frozenset({"small", "medium", "large", "big", "extra-large", "jumbo", "heaped", "level",
                   "heaping", "rounded", "scant", "generous", "good", "little", "x-large",
                   "lg", "sm", "med", "md"})  # fmt: skip
# Spelled only after a number: on their own they are ordinary words ("cut in half").
BARE_UNITS = frozenset({"in", "c", "t", "T", "pt", "gal", "lt", "sq", "tb", "gr"})
CHAIN = frozenset({"/", "(", ";", "=", "+", "or", "about", "approx", "approximately", "x"})
STOP_WORDS = frozenset({",", "(", ";", "[", ":"})
LEADING_FILLERS = frozenset({"of", "x", "a", "an", ")", "-", "/", "+", "."})


def parse_ingredient(text: str) -> ParsedIngredient:
    """The line understood; a line with no amount is simply one with no quantity."""
    return _parse(text).model_copy(deep=True)  # a copy: callers may scale it in place


@lru_cache(maxsize=8192)  # recipes repeat lines ("1 tsp salt") across a collection
def _parse(text: str) -> ParsedIngredient:
    line = text.strip()
    if not line or len(line) > MAX_LINE:
        return ParsedIngredient(text=text)
    tokens = tokenize(normalise(line))
    amounts, used = read_amounts(tokens)
    food_at = food_tokens(tokens, used)
    used.update(_fillers_before(tokens, used, food_at))
    food = " ".join(tokens[i].text for i in food_at) or None
    note = _note(tokens, used | set(food_at))
    first = amounts[0] if amounts else Amount()
    return ParsedIngredient(
        text=text,
        quantity=first.quantity,
        quantity_max=first.quantity_max,
        unit=first.unit,
        food=food,
        note=note,
        amounts=amounts,
    )


def parse_lines(lines: Iterable[str]) -> list[ParsedIngredient]:
    return [parse_ingredient(line) for line in lines]


def read_amounts(tokens: list[Token]) -> tuple[list[Amount], set[int]]:
    """The leading amount and those chained to it, plus the token positions they used."""
    amounts: list[Amount] = []
    used: set[int] = set()
    i = _first_quantity(tokens)
    if i is None:
        unit_at = _leading_unit(tokens)
        if unit_at is not None:
            at, width, unit = unit_at
            used.update(range(at, at + width))
            amounts.append(Amount(unit=unit))
        return amounts, used
    while i is not None and i < len(tokens):
        token = tokens[i]
        used.add(i)
        unit, width = _unit_at(tokens, i + 1)
        if unit is None and i + 2 < len(tokens) and tokens[i + 1].text.lower() in SIZES:
            unit, width = _unit_at(tokens, i + 2)
            width = width + 1 if unit else 0
        used.update(range(i + 1, i + 1 + width))
        amounts.append(Amount(quantity=token.value, quantity_max=token.value_max, unit=unit))
        i = _chained(tokens, i + 1 + width, used)
    _unit_after_brackets(tokens, amounts, used)
    return amounts, used


def _first_quantity(tokens: list[Token]) -> int | None:
    """A quantity among the first words ("Juice of 2 lemons", "About 3 cups")."""
    for i, token in enumerate(tokens[:4]):
        if token.kind == "qty" and token.value is not None:
            return i
        if token.text in STOP_WORDS:
            return None
    return None


def _leading_unit(tokens: list[Token]) -> tuple[int, int, str] | None:
    """`pinch of salt`, `a good handful of basil`: a unit with no number."""
    for i, token in enumerate(tokens[:3]):
        if token.text in BARE_UNITS:
            continue
        unit, width = _unit_at(tokens, i)
        if unit is not None:
            return i, width, unit
        if token.text.lower() not in SIZES | {"a", "an"}:
            return None
    return None


def _unit_at(tokens: list[Token], i: int) -> tuple[str | None, int]:
    """The unit spelled by the words starting at i (longest first), and how many words."""
    for width in range(min(MAX_UNIT_WORDS, len(tokens) - i), 0, -1):
        words = tokens[i : i + width]
        if any(t.kind == "qty" for t in words):
            continue
        unit = canonical_unit(" ".join(t.text for t in words))
        if unit is not None:
            if i + width < len(tokens) and tokens[i + width].text == ".":
                width += 1  # "oz." spelled with a dot
            return unit, width
    return None, 0


def _chained(tokens: list[Token], i: int, used: set[int]) -> int | None:
    """The position of the next quantity joined on by `/`, `(`, `;`, `about` ..., or None."""
    skipped = []
    while i < len(tokens) and tokens[i].text.lower() in CHAIN and len(skipped) < 3:
        skipped.append(i)
        i += 1
    if skipped and i < len(tokens) and tokens[i].kind == "qty":
        used.update(skipped)
        return i
    return None


def _unit_after_brackets(tokens: list[Token], amounts: list[Amount], used: set[int]) -> None:
    """`1 (400 g) can tomatoes`: the count's unit comes after the bracketed amount."""
    if not amounts or amounts[0].unit is not None or len(amounts) < 2:
        return
    last = max(used)
    if last + 1 < len(tokens) and tokens[last + 1].text == ")":
        used.add(last + 1)
        unit, width = _unit_at(tokens, last + 2)
        if unit is not None:
            amounts[0].unit = unit
            used.update(range(last + 2, last + 2 + width))


def food_tokens(tokens: list[Token], used: set[int]) -> list[int]:
    """Words after the amounts up to the first comma or bracket, less sizes and fillers."""
    start = max(used) + 1 if used else 0
    picked: list[int] = []
    for i in range(start, len(tokens)):
        token = tokens[i]
        if token.text in STOP_WORDS or token.text.lower() in {"for", "to"}:
            break
        if not picked and (token.text.lower() in LEADING_FILLERS | SIZES or token.kind != "word"):
            continue
        picked.append(i)
    while picked and tokens[picked[-1]].kind != "word":
        picked.pop()
    return picked


def _fillers_before(tokens: list[Token], used: set[int], food_at: list[int]) -> list[int]:
    """`of`, `)` and the like between the amounts and the food belong to neither note nor food."""
    start = max(used) + 1 if used else 0
    end = food_at[0] if food_at else start
    return [i for i in range(start, end) if tokens[i].text.lower() in LEADING_FILLERS]


def _note(tokens: list[Token], used: set[int]) -> str | None:
    rest = [t for i, t in enumerate(tokens) if i not in used]
    text = ""
    for token in rest:
        glue = token.kind == "punct" and token.text in ",;:).!?"
        text += token.text if glue or not text or text.endswith("(") else " " + token.text
    return text.strip(" ,;-") or None
