"""Amounts as a cook reads them: scaling, metric/US conversion and kitchen formatting.

One pint `UnitRegistry` does the arithmetic; it converts within a dimension only (mass to
mass, volume to volume) and never guesses a density. Amounts are the `Amount` models of
`recipes.ingredients` (quantity, quantity_max, unit); the functions here accept any
pydantic model of that shape and return a copy of the same class.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

if TYPE_CHECKING:
    import pint

System = Literal["metric", "us"]
Dimension = Literal["mass", "volume", "count"]
SYSTEMS: tuple[System, ...] = ("metric", "us")

# Canonical unit (recipes.ingredients.units) -> pint's name for it. US customary measures.
PINT_NAMES = {
    "mg": "milligram",
    "g": "gram",
    "kg": "kilogram",
    "oz": "ounce",
    "lb": "pound",
    "ml": "milliliter",
    "cl": "centiliter",
    "dl": "deciliter",
    "l": "liter",
    "tsp": "teaspoon",
    "tbsp": "tablespoon",
    "fl oz": "fluid_ounce",
    "cup": "cup",
    "pint": "pint",
    "quart": "quart",
    "gallon": "gallon",
}
METRIC_UNITS = frozenset({"mg", "g", "kg", "ml", "cl", "dl", "l"})
US_UNITS = frozenset({"oz", "lb", "tsp", "tbsp", "fl oz", "cup", "pint", "quart", "gallon"})
SPOONS = frozenset({"tsp", "tbsp"})  # every kitchen has them, metric ones too (5 and 15 ml)
# Units that measure neither mass, volume nor a count: left alone, never added to a count.
OTHER_UNITS = frozenset({"mm", "cm", "m", "inch", "in", "°c", "°f", "minute", "hour"})

# The range of values (in the unit itself) a cook writes in that unit. Outside it the
# amount moves to a neighbour unit: 48 tsp -> 1 cup, 1500 g -> 1.5 kg, 0.5 tbsp -> 1.5 tsp.
COMFORTABLE: dict[str, tuple[float, float]] = {
    "mg": (0, 1000),
    "g": (0, 1000),
    "kg": (1, float("inf")),
    "ml": (0, 1000),
    "cl": (1, 100),
    "dl": (1, 10),
    "l": (1, float("inf")),
    "oz": (0, 16),
    "lb": (1, float("inf")),
    "tsp": (0, 3),
    "tbsp": (1, 4),
    "fl oz": (1, 32),
    "cup": (0.25, 16),
    "pint": (1, 4),
    "quart": (1, 4),
    "gallon": (1, float("inf")),
}

# Where an amount lands when it must move: (unit, smallest amount in base units g / ml),
# largest first. Metric keeps spoons up to a quarter cup.
_TBSP_ML = 14.786764781249996
_QUARTER_CUP_ML = 59.14705912499999
LADDERS: dict[tuple[System, str], list[tuple[str, float]]] = {
    ("us", "mass"): [("lb", 453.59237), ("oz", 0)],
    ("us", "volume"): [
        ("gallon", 3785.411784),
        ("cup", _QUARTER_CUP_ML),
        ("tbsp", _TBSP_ML),
        ("tsp", 0),
    ],  # fmt: skip
    ("metric", "mass"): [("kg", 1000), ("g", 0)],
    ("metric", "volume"): [("l", 1000), ("ml", 0)],
}
SPOON_LADDER = [("ml", _QUARTER_CUP_ML), ("tbsp", _TBSP_ML), ("tsp", 0)]
BASE_UNITS = {"mass": "g", "volume": "ml"}

FRACTIONS = {
    Fraction(1, 8): "⅛",
    Fraction(1, 4): "¼",
    Fraction(1, 3): "⅓",
    Fraction(3, 8): "⅜",
    Fraction(1, 2): "½",
    Fraction(5, 8): "⅝",
    Fraction(2, 3): "⅔",
    Fraction(3, 4): "¾",
    Fraction(7, 8): "⅞",
}
# What a cook measures: halves, thirds, quarters; eighths only below a whole one.
_SMALL_STEPS = sorted({Fraction(0), Fraction(1), *FRACTIONS})
_LARGE_STEPS = sorted({Fraction(0), Fraction(1), Fraction(1, 4), Fraction(1, 3),
                       Fraction(1, 2), Fraction(2, 3), Fraction(3, 4)})  # fmt: skip
_HALVES = [Fraction(0), Fraction(1, 2), Fraction(1)]
PLURALS = {"cup", "pint", "quart", "gallon", "clove", "can", "slice", "pinch", "dash",
           "stick", "sprig", "bunch", "head", "piece", "package", "jar", "bottle", "handful",
           "leaf", "stalk", "packet", "bag", "box", "drop", "sheet", "fillet", "rib"}  # fmt: skip
_IRREGULAR = {"pinch": "pinches", "dash": "dashes", "bunch": "bunches", "box": "boxes",
              "leaf": "leaves"}  # fmt: skip


class AmountLike(Protocol):
    quantity: float | None
    quantity_max: float | None
    unit: str | None

    def model_copy(self, *, update: dict | None = None, deep: bool = False) -> AmountLike: ...


A = TypeVar("A", bound=AmountLike)


@cache
def registry() -> pint.UnitRegistry:
    """The app's one unit registry, built on first use (it takes ~0.3 s)."""
    import pint

    return pint.UnitRegistry()


def _key(unit: str | None) -> str | None:
    return unit.strip().lower() if unit else None


def to_pint(quantity: float | None, unit: str | None) -> pint.Quantity | None:
    """The amount as a pint quantity, or None when it has no number or no measurable unit."""
    name = PINT_NAMES.get(_key(unit) or "")
    if quantity is None or name is None:
        return None
    return registry().Quantity(quantity, name)


@cache
def dimension(unit: str | None) -> Dimension | None:
    """mass or volume for a measure, count for a bare number or a count unit (clove, can),
    None for anything else (lengths, temperatures)."""
    key = _key(unit)
    if key is None or key not in PINT_NAMES and key not in OTHER_UNITS:
        return "count"
    if key in OTHER_UNITS:
        return None
    dims = registry().get_dimensionality(PINT_NAMES[key])
    if dims == registry().get_dimensionality("gram"):
        return "mass"
    if dims == registry().get_dimensionality("liter"):
        return "volume"
    return None


def system_of(unit: str | None) -> System | None:
    key = _key(unit)
    if key in METRIC_UNITS:
        return "metric"
    if key in US_UNITS:
        return "us"
    return None


@cache
def factor(unit: str, target: str) -> float:
    """How many `target` one `unit` is, from pint (asked once per pair: a page converts
    dozens of amounts, and a pint conversion costs ~20 µs)."""
    quantity = to_pint(1, unit)
    assert quantity is not None
    return float(quantity.to(PINT_NAMES[target]).magnitude)


def _convert(value: float | None, unit: str, target: str) -> float | None:
    return None if value is None else value * factor(unit, target)


def scale_amount(a: A, factor: float) -> A:
    """The amount times `factor` (servings scaling); units are left as they are."""
    if factor <= 0:
        raise ValueError("a scale factor must be positive")
    update = {
        "quantity": None if a.quantity is None else a.quantity * factor,
        "quantity_max": None if a.quantity_max is None else a.quantity_max * factor,
    }
    return a.model_copy(update=update)  # type: ignore[return-value]


def _comfortable(a: AmountLike, unit: str) -> bool:
    """The (lower) quantity sits in the unit's usual range: `2–4 tbsp` stays as it is."""
    low, high = COMFORTABLE[unit]
    return a.quantity is not None and low <= round(a.quantity, 9) < high


def _target_unit(a: AmountLike, key: str, system: System, dim: str) -> str:
    base = _convert(a.quantity, key, BASE_UNITS[dim]) or 0.0
    ladder = LADDERS[(system, dim)]
    if system == "metric" and dim == "volume" and key in SPOONS:
        ladder = SPOON_LADDER
    return next(unit for unit, least in ladder if base >= least * (1 - 1e-9))


def convert_amount(a: A, system: System | None) -> A:
    """The amount in the system's kitchen units (None: its own system), moved to a
    neighbour unit where a cook would. Counts and unknown units are left as they are."""
    key = _key(a.unit)
    dim = dimension(a.unit)
    if key is None or dim not in ("mass", "volume") or a.quantity is None:
        return a
    target_system = system or system_of(key)
    assert target_system is not None
    fits = system_of(key) == target_system or (target_system == "metric" and key in SPOONS)
    if fits and _comfortable(a, key):
        return a
    target = _target_unit(a, key, target_system, dim)
    if target == key:
        return a
    update = {
        "quantity": _convert(a.quantity, key, target),
        "quantity_max": _convert(a.quantity_max, key, target),
        "unit": target,
    }
    return a.model_copy(update=update)  # type: ignore[return-value]


def add_amounts(a: A, b: AmountLike) -> A | None:
    """a + b in a's unit (then moved to a kitchen unit), or None when they cannot be added:
    different dimensions, different count units, or one without a number."""
    ka, kb = _key(a.unit), _key(b.unit)
    if a.quantity is None or b.quantity is None:
        return a.model_copy() if a.quantity is None and b.quantity is None and ka == kb else None  # type: ignore[return-value]
    if ka == kb:
        b_low, b_high = b.quantity, b.quantity_max
    elif dimension(ka) in ("mass", "volume") and dimension(ka) == dimension(kb):
        assert ka is not None and kb is not None
        b_low, b_high = _convert(b.quantity, kb, ka), _convert(b.quantity_max, kb, ka)  # type: ignore[assignment]
    else:
        return None
    assert b_low is not None
    high = None
    if a.quantity_max is not None or b_high is not None:
        high = (a.quantity_max or a.quantity) + (b_high if b_high is not None else b_low)
    total = a.model_copy(update={"quantity": a.quantity + b_low, "quantity_max": high})
    return convert_amount(total, None)  # type: ignore[return-value]  # a's own type back


# --- formatting ---------------------------------------------------------------------------


def format_fraction(value: float) -> str:
    """1.5 -> '1 ½', 0.333 -> '⅓', 12.4 -> '12 ½': what a measuring cup can do."""
    value = round(value, 9)
    if value <= 0:
        return "0"
    whole = int(value)
    rest = Fraction(value - whole).limit_denominator(1000)
    if value < Fraction(1, 8):
        return str(Fraction(value).limit_denominator(64))  # 1/16 tsp: rare, said exactly
    steps = _SMALL_STEPS if whole == 0 else _LARGE_STEPS if whole < 10 else _HALVES
    nearest = min(steps, key=lambda step: (abs(step - rest), step))
    if nearest == 1:
        whole, nearest = whole + 1, Fraction(0)
    if nearest == 0:
        return str(whole)
    glyph = FRACTIONS[nearest]
    return f"{whole} {glyph}" if whole else glyph


def format_decimal(value: float, big_unit: bool = False) -> str:
    """Metric rounding: 2.5 g, 12 g, 235 ml (nearest 5 above 100), 1.25 kg."""
    value = round(value, 9)
    if value >= 100:
        return str(int(5 * round(value / 5)))
    if value >= 10:
        return str(round(value))
    if big_unit:  # 1.25 kg, 1.8 kg: to the nearest 50 g or ml
        value = round(value * 20) / 20 or value
    digits = 1 if value >= 1 and not big_unit else 2
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text if text != "0" else f"{value:.2g}"


def format_number(value: float, unit: str | None) -> str:
    if system_of(unit) == "metric":
        return format_decimal(value, big_unit=_key(unit) in ("kg", "l"))
    return format_fraction(value)


def unit_label(unit: str | None, plural: bool) -> str:
    if not unit:
        return ""
    if plural and unit.lower() in PLURALS:
        return _IRREGULAR.get(unit.lower(), unit + "s")
    return unit


def format_amount(a: AmountLike, system: System | None = None) -> str:
    """The amount as a cook writes it, converted to `system` first: '1 ½ cups', '1.5 kg',
    '2–3 cloves'. An amount without a number is just its unit ('' if none)."""
    a = convert_amount(a, system)  # type: ignore[type-var]
    if a.quantity is None:
        return unit_label(a.unit, False)
    number, plural = _number(a)
    label = unit_label(a.unit, plural)
    return f"{number} {label}" if label else number


def reads_plural(a: AmountLike) -> bool:
    """Whether the amount, as written, calls for a plural ("2", "1–2", not "1" or "½")."""
    return a.quantity is not None and _number(a)[1]


def _number(a: AmountLike) -> tuple[str, bool]:
    number = format_number(a.quantity or 0, a.unit)
    top = a.quantity or 0
    if a.quantity_max is not None:
        upper = format_number(a.quantity_max, a.unit)
        if upper != number:
            number, top = f"{number}–{upper}", a.quantity_max
    return number, round(top, 9) > 1 and number not in ("1", "1–1")
