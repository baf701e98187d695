"""A recipe at another size and in other units: servings, ingredient lines, temperatures.

The text a cook wrote is kept: only the amounts in a line are rewritten (`2 cups flour,
sifted` at 2x in metric -> `475 ml flour, sifted`); a line without amounts stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from recipes.ingredients import Amount, ParsedIngredient, parse_ingredient
from recipes.ingredients.units import canonical_unit
from recipes.ingredients.words import counted_in
from recipes.models import IngredientGroup, Recipe

from .quantities import (
    System,
    convert_amount,
    dimension,
    format_amount,
    format_number,
    reads_plural,
    scale_amount,
)

MIN_SERVINGS = 0.01
MAX_SERVINGS = 1000

_FRACTION_CHARS = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
_VALUES = {"½": 1 / 2, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 1 / 4, "¾": 3 / 4, "⅕": 1 / 5,
           "⅖": 2 / 5, "⅗": 3 / 5, "⅘": 4 / 5, "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 1 / 8,
           "⅜": 3 / 8, "⅝": 5 / 8, "⅞": 7 / 8}  # fmt: skip
_NUMBER = rf"(?:\d+(?:[.,]\d+)?(?:\s+\d+/\d+|/\d+|\s?[{_FRACTION_CHARS}])?|[{_FRACTION_CHARS}])"
# An amount as written: a number or range, then maybe one or two unit words.
_AMOUNT = re.compile(
    rf"(?<![\w.,])(?P<low>{_NUMBER})(?:\s*(?:-|–|—|to|or)\s*(?P<high>{_NUMBER}))?"
    r"(?P<gap>[\s-]*)(?P<unit>[^\W\d_]+\.?(?:\s[^\W\d_]+\.?)?)?"
)
_SERVINGS = re.compile(r"(?<![\w.,/])(\d+(?:[.,]\d+)?)(?:\s*(?:-|–|to)\s*(\d+(?:[.,]\d+)?))?")


def read_number(text: str) -> float | None:
    """`2`, `2.5`, `2,5`, `1/2`, `1 1/2`, `1½`, `½` as a float."""
    total = 0.0
    text = text.strip()
    if text and text[-1] in _VALUES:
        total, text = _VALUES[text[-1]], text[:-1].strip()
    for part in text.split():
        if "/" in part:
            top, _, bottom = part.partition("/")
            if not int(bottom):
                return None
            total += int(top) / int(bottom)
        else:
            total += float(part.replace(",", "."))
    return total


# --- servings -----------------------------------------------------------------------------


def servings_base(text: str) -> float | None:
    """The number of servings a recipe makes: `4 servings` 4, `Makes 12 cookies` 12, `6-8` 6."""
    match = _SERVINGS.search(text or "")
    if not match:
        return None
    value = read_number(match.group(1))
    return value if value and value > 0 else None


def counts_batches(recipe_servings: str | None) -> bool:
    """Whether servings asked of this recipe count batches: it states no number of its own
    (None, a recipe no longer there: not known, so no)."""
    return recipe_servings is not None and servings_base(recipe_servings) is None


def servings_text(text: str, factor: float) -> str:
    """The servings text with its number (or range) multiplied: `Makes 24 cookies`."""
    if factor == 1:
        return text

    def times(number: str) -> str:
        value = read_number(number)
        return number if value is None else format_number(value * factor, None)

    def scaled(match: re.Match[str]) -> str:
        low = times(match.group(1))
        return low if match.group(2) is None else f"{low}–{times(match.group(2))}"

    return _SERVINGS.sub(scaled, text, count=1)


@dataclass(frozen=True)
class Scale:
    """How a recipe is shown: `servings` (None: as written) and `units` (None: as written)."""

    base: float | None
    servings: float | None = None
    units: System | None = None

    @property
    def factor(self) -> float:
        if self.servings is None:
            return 1.0
        return self.servings / (self.base or 1)

    @property
    def shown_servings(self) -> float:
        return self.servings if self.servings is not None else (self.base or 1)

    @property
    def changed(self) -> bool:
        return self.factor != 1 or self.units is not None


def parse_servings(raw: str | None) -> float | None:
    """A requested number of servings (0.01 to 1000), or None."""
    try:
        value = read_number(raw or "")
    except ValueError:
        return None
    if value is None or not MIN_SERVINGS <= value <= MAX_SERVINGS:
        return None
    return round(value, 4)


# --- ingredient lines ---------------------------------------------------------------------


def _shown(amount: Amount, scale: Scale, size: bool) -> Amount:
    shown = convert_amount(amount if size else scale_amount(amount, scale.factor), scale.units)
    return shown.model_copy(
        update={
            "quantity": None if shown.quantity is None else round(shown.quantity, 3),
            "quantity_max": None if shown.quantity_max is None else round(shown.quantity_max, 3),
        }
    )


def is_size(amounts: list[Amount], index: int) -> bool:
    """`1 (14 oz) can`: a measure after a counted container is its size, which never scales."""
    first = amounts[0]
    return (
        index > 0
        and first.unit is not None
        and dimension(first.unit) == "count"
        and (dimension(amounts[index].unit) in ("mass", "volume"))
    )


def scale_parsed(parsed: ParsedIngredient, scale: Scale) -> ParsedIngredient:
    """The parsed line with every amount scaled and converted (`text` rewritten to match)."""
    amounts = [_shown(a, scale, is_size(parsed.amounts, i)) for i, a in enumerate(parsed.amounts)]
    first = amounts[0] if amounts else Amount()
    return parsed.model_copy(
        update={
            "text": scale_line(parsed.text, parsed, scale),
            "amounts": amounts,
            "quantity": first.quantity,
            "quantity_max": first.quantity_max,
            "unit": first.unit,
        }
    )


def scale_line(text: str, parsed: ParsedIngredient | None, scale: Scale) -> str:
    """The line with each of its amounts rewritten; the words around them stay."""
    if not scale.changed:
        return text
    parsed = parsed or parse_ingredient(text)
    pieces: list[str] = []
    position = 0
    many: bool | None = None  # after a bare count, the food's number ("2 lemons")
    for index, amount in enumerate(parsed.amounts):
        found = _find_amount(text, position, amount) if amount.quantity is not None else None
        if found is None:
            continue
        match, unit_end = found
        if unit_end is not None:
            end = unit_end
        else:
            end = match.end("high") if match.group("high") else match.end("low")
        size = is_size(parsed.amounts, index)
        pieces.append(_agreeing(text[position : match.start()], parsed.food, many))
        if size and scale.units is None:
            pieces.append(text[match.start() : end])
        else:
            pieces.append(_rewrite(match, amount, unit_end is not None, scale, size))
        many = reads_plural(scale_amount(amount, scale.factor)) if amount.unit is None else None
        position = end
    return "".join(pieces) + _agreeing(text[position:], parsed.food, many)


def _agreeing(words: str, food: str | None, many: bool | None) -> str:
    return words if many is None else counted_in(words, food, many)


def _find_amount(text: str, start: int, amount: Amount) -> tuple[re.Match[str], int | None] | None:
    """The next written amount from `start` whose number is this amount's, and where the
    unit words right after it end (None when they do not name this amount's unit)."""
    for match in _AMOUNT.finditer(text, start):
        try:
            value = read_number(match.group("low"))
        except ValueError:
            continue
        if value is not None and abs(value - (amount.quantity or 0)) < 1e-6:
            return match, _unit_end(match, amount.unit)
    return None


def _unit_end(match: re.Match[str], unit: str | None) -> int | None:
    words = match.group("unit")
    if not words or unit is None:
        return None
    if canonical_unit(words) == unit:
        return match.end("unit")
    first = words.split()[0]
    if canonical_unit(first) == unit:  # "2 cups flour": the unit is the first word only
        return match.start("unit") + len(first)
    return None


def _rewrite(
    match: re.Match[str], amount: Amount, with_unit: bool, scale: Scale, size: bool
) -> str:
    scaled = amount if size else scale_amount(amount, scale.factor)
    if with_unit:
        return format_amount(scaled, scale.units)
    # The unit is not next to the number ("1 (14 oz) can"): scale the number only.
    number = format_number(scaled.quantity or 0, amount.unit)
    if scaled.quantity_max is not None and match.group("high"):
        number += "–" + format_number(scaled.quantity_max, amount.unit)
    return number


def scale_lines(
    lines: Iterable[str], parsed: list[ParsedIngredient] | None, scale: Scale
) -> list[str]:
    lines = list(lines)
    known: list[ParsedIngredient | None] = (
        list(parsed) if parsed is not None and len(parsed) == len(lines) else [None] * len(lines)
    )
    return [scale_line(line, p, scale) for line, p in zip(lines, known, strict=True)]


def scaled_recipe(recipe: Recipe, scale: Scale) -> Recipe:
    """A copy of the recipe at the scale: ingredient lines (flat and grouped), their parsed
    form and the servings text; everything else as stored."""
    if not scale.changed:
        return recipe
    parsed = getattr(recipe, "ingredients_parsed", None)
    if not parsed or len(parsed) != len(recipe.ingredients):
        parsed = [parse_ingredient(line) for line in recipe.ingredients]
    shown = [scale_parsed(p, scale) for p in parsed]
    lines = iter([p.text for p in shown])
    groups = [
        IngredientGroup.model_construct(
            title=g.title, ingredients=[next(lines) for _ in g.ingredients]
        )
        for g in recipe.ingredient_groups
    ]
    update: dict[str, Any] = {
        "ingredients": [p.text for p in shown],
        "ingredient_groups": groups,
        "servings": servings_text(recipe.servings, scale.factor),
    }
    if "ingredients_parsed" in type(recipe).model_fields:
        update["ingredients_parsed"] = shown
    return recipe.model_copy(update=update)
