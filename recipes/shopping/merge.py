"""Shopping amounts: an ingredient line becomes (food, unit family, amount), and the amounts
of one item add up with pint. Parsing is `recipes.ingredients`, unit arithmetic and kitchen
formatting are `recipes.cooking.quantities`: this module only decides what goes together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from recipes.cooking.quantities import (
    FRACTIONS,
    add_amounts,
    convert_amount,
    dimension,
    format_amount,
    reads_plural,
    system_of,
    unit_label,
)
from recipes.cooking.scaling import servings_base
from recipes.ingredients import Amount, parse_ingredient
from recipes.ingredients.words import counted_in

from .foods import food_key

MEASURED = ("mass", "volume")  # any two amounts of one of these add up


@dataclass(frozen=True)
class Contribution:
    """What one line adds to a list: `unit_group` says which amounts may be added to it."""

    food_key: str
    food: str
    unit_group: str
    quantity: float | None
    unit: str | None
    text: str


def unit_group(unit: str | None) -> str:
    """Mass and volume each form one family; any other unit (clove, can) only adds to itself."""
    if not unit:
        return ""
    family = dimension(unit)
    return family if family in MEASURED else unit


@lru_cache(maxsize=8192)
def _parsed(line: str) -> Contribution:
    parsed = parse_ingredient(line)
    food = (parsed.food or "").strip() or line.strip()
    amount = parsed.amounts[0] if parsed.amounts else None
    quantity = unit = None
    if amount is not None:
        # "2-3 onions": buy enough for the larger amount.
        quantity = amount.quantity_max if amount.quantity_max is not None else amount.quantity
        unit = amount.unit
    return Contribution(food_key(food), food, unit_group(unit), quantity, unit, line)


def contribution(line: str, factor: float = 1.0) -> Contribution:
    """The line's food and amount, scaled by `factor` (planned servings / the recipe's)."""
    base = _parsed(line)
    if base.quantity is None or factor == 1.0:
        return base
    return Contribution(
        base.food_key, base.food, base.unit_group, base.quantity * factor, base.unit, base.text
    )


Amounts = tuple[tuple[float | None, str | None], ...]


def total(amounts: Amounts) -> Amount | None:
    """The sum of one item's amounts (None when none has a quantity). Amounts in the same
    unit add as plain numbers; pint only joins different units (g and kg)."""
    sums: dict[str | None, float] = {}
    for quantity, unit in amounts:
        if quantity is not None:
            sums[unit] = sums.get(unit, 0.0) + quantity
    result: Amount | None = None
    for unit, quantity in sums.items():
        amount = Amount(quantity=quantity, quantity_max=None, unit=unit)
        if result is None:
            result = amount
            continue
        added = add_amounts(result, amount)
        if added is None:  # the unit family said they add; keep the larger rather than fail
            added = max(result, amount, key=lambda a: a.quantity or 0)
        result = added
    if result is not None and not math.isfinite(result.quantity or 0):
        return None  # absurd servings on an absurd recipe: show the food without an amount
    return result


@lru_cache(maxsize=8192)
def shown(amounts: Amounts, food: str) -> tuple[str, float | None, str | None]:
    """(text, quantity, unit) of a line, summed and in a kitchen unit ('1.5 kg flour').
    Cached: a list is read again after every check-off, and its lines rarely change."""
    amount = total(amounts)
    if amount is None:
        return food, None, None
    amount = convert_amount(amount, None)
    return describe(amount, food), amount.quantity, amount.unit


def describe(amount: Amount, food: str) -> str:
    """'700 g flour', '1 ⅛ cups milk': `amount` already in its kitchen unit."""
    if system_of(amount.unit) == "us" and amount.quantity:
        # A list must not round away what was added: 1 cup + 2 tbsp is 1 ⅛ cups, where
        # cook mode's formatting (eighths only below one) would say 1 cup.
        number = eighths(amount.quantity)
        label = unit_label(amount.unit, number != "1")
        return f"{number} {label} {food}"
    if amount.unit is None:  # a bare count: "2 lemons", "1 leek"
        food = counted_in(food, food, reads_plural(amount))
    return f"{format_amount(amount)} {food}".strip()


_EIGHTHS = sorted({Fraction(0), Fraction(1), *FRACTIONS})


def eighths(value: float) -> str:
    """1.125 -> '1 ⅛': to the nearest eighth (or third), never rounded to nothing."""
    whole = int(value)
    rest = Fraction(value - whole).limit_denominator(1000)
    nearest = min(_EIGHTHS, key=lambda step: (abs(step - rest), step))
    if nearest == 1:
        whole, nearest = whole + 1, Fraction(0)
    if whole == 0 and nearest == 0:
        return format_amount(Amount(quantity=value, quantity_max=None, unit=None))
    glyph = FRACTIONS.get(nearest, "")
    return f"{whole} {glyph}".strip() if whole else glyph


def scale_factor(recipe_servings: str, wanted: float | None) -> float:
    """As the recipe page scales: `wanted` servings of those stated, or `wanted` batches
    of a recipe that states none."""
    return wanted / (servings_base(recipe_servings) or 1) if wanted else 1.0
