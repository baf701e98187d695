"""Ingredient lines rebuilt from structured data (Tandoor, Mealie, Cooklang, MealMaster),
written the way a person writes them: `2 cups flour, sifted`, `1 1/2 tsp salt`."""

from __future__ import annotations

import math
from fractions import Fraction

from recipes.models import clean_line

_FRACTIONS = {2, 3, 4, 8}


def quantity_text(value: float | int | str | None) -> str:
    """1.5 -> "1 1/2", 0.333 -> "1/3", 2.0 -> "2", 0.1 -> "0.1"; None or 0 -> ""."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return clean_line(value)
    if not math.isfinite(value) or value <= 0:
        return ""
    whole = int(value)
    rest = value - whole
    if rest < 1e-6:
        return str(whole)
    fraction = Fraction(rest).limit_denominator(8)
    if fraction.denominator in _FRACTIONS and abs(float(fraction) - rest) < 0.01:
        if fraction.numerator == fraction.denominator:
            return str(whole + 1)
        text = f"{fraction.numerator}/{fraction.denominator}"
        return f"{whole} {text}" if whole else text
    return f"{value:.2f}".rstrip("0").rstrip(".")


def plural(value: float | int | str | None) -> bool:
    """Whether an amount reads as plural ("2 cups", "1 cup", "1/2 cup")."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value > 1
    return False


def compose(
    quantity: float | int | str | None,
    unit: str = "",
    food: str = "",
    note: str = "",
    quantity_max: float | int | None = None,
) -> str:
    """ "2", "cups", "flour", "sifted" -> "2 cups flour, sifted"; parts may be missing."""
    amount = quantity_text(quantity)
    if amount and quantity_max and quantity_max != quantity:
        amount = f"{amount}-{quantity_text(quantity_max)}"
    head = " ".join(part for part in (amount, clean_line(unit), clean_line(food)) if part)
    note = clean_line(note).lstrip(",; ").strip()
    if not head:
        return note
    if not note:
        return head
    if note.startswith("("):
        return f"{head} {note}"
    return f"{head}, {note}"
