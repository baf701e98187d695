"""Scaling, unit conversion and kitchen formatting of amounts (recipes.cooking.quantities)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from recipes.cooking.quantities import (
    add_amounts,
    convert_amount,
    dimension,
    format_amount,
    format_decimal,
    format_fraction,
    scale_amount,
    to_pint,
)


class Amount(BaseModel):
    """The shape of recipes.ingredients.Amount, which the functions accept."""

    quantity: float | None = None
    quantity_max: float | None = None
    unit: str | None = None


def amount(quantity, unit=None, quantity_max=None) -> Amount:
    return Amount(quantity=quantity, quantity_max=quantity_max, unit=unit)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.125, "⅛"),
        (0.25, "¼"),
        (1 / 3, "⅓"),
        (0.5, "½"),
        (2 / 3, "⅔"),
        (0.75, "¾"),
        (1.5, "1 ½"),
        (2.34, "2 ⅓"),
        (0.98, "1"),
        (12.4, "12 ½"),
        (0.0625, "1/16"),
    ],
)
def test_fractions_a_measuring_cup_can_do(value, text):
    assert format_fraction(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(2.5, "2.5"), (12.4, "12"), (236.6, "235"), (7.0, "7"), (0.25, "0.25")]
)
def test_metric_rounding(value, text):
    assert format_decimal(value) == text


@pytest.mark.parametrize(
    ("given_amount", "system", "text"),
    [
        (amount(48, "tsp"), None, "1 cup"),
        (amount(1500, "g"), None, "1.5 kg"),
        (amount(1250, "g"), "metric", "1.25 kg"),
        (amount(0.5, "tbsp"), None, "1 ½ tsp"),
        (amount(4, "tbsp"), None, "¼ cup"),
        (amount(2, "tbsp"), None, "2 tbsp"),
        (amount(2, "cup"), "metric", "475 ml"),
        (amount(1, "cup", 2), "metric", "235–475 ml"),
        (amount(1, "lb"), "metric", "455 g"),
        (amount(200, "g"), "us", "7 oz"),
        (amount(250, "ml"), "us", "1 cup"),
        (amount(1, "tsp"), "metric", "1 tsp"),
        (amount(3, "clove"), "metric", "3 cloves"),
        (amount(1, "clove"), "us", "1 clove"),
        (amount(2.5, None), "us", "2 ½"),
        (amount(None, "pinch"), None, "pinch"),
        (amount(2, "cup"), None, "2 cups"),
    ],
)
def test_format_amount(given_amount, system, text):
    assert format_amount(given_amount, system) == text


def test_conversion_stays_within_a_dimension():
    # No density is guessed: a cup of flour is never turned into grams.
    assert convert_amount(amount(1, "cup"), "metric").unit == "ml"
    assert convert_amount(amount(100, "g"), "us").unit == "oz"
    assert add_amounts(amount(1, "cup"), amount(100, "g")) is None
    assert dimension("cup") == "volume"
    assert dimension("kg") == "mass"
    assert dimension("clove") == dimension(None) == "count"
    assert dimension("cm") is None


def test_add_amounts():
    total = add_amounts(amount(1, "cup"), amount(4, "tbsp"))
    assert total is not None and total.unit == "cup" and math.isclose(total.quantity, 1.25)
    total = add_amounts(amount(500, "g"), amount(0.75, "kg"))
    assert total is not None and total.unit == "kg" and math.isclose(total.quantity, 1.25)
    total = add_amounts(amount(1, "clove", 2), amount(3, "clove"))
    assert (total.quantity, total.quantity_max, total.unit) == (4, 5, "clove")
    assert add_amounts(amount(2, "clove"), amount(1, "can")) is None
    assert add_amounts(amount(None, None), amount(1, None)) is None
    assert isinstance(add_amounts(amount(2, "g"), amount(1, "g")), Amount)


def test_to_pint():
    quantity = to_pint(2, "cup")
    assert quantity is not None
    assert math.isclose(quantity.to("milliliter").magnitude, 473.176, rel_tol=1e-5)
    assert to_pint(2, "clove") is None
    assert to_pint(None, "cup") is None


def test_scale_rejects_a_non_positive_factor():
    with pytest.raises(ValueError):
        scale_amount(amount(1, "cup"), 0)


quantities = st.one_of(
    st.none(),
    st.fractions(min_value=0, max_value=500, max_denominator=8).map(float),
    st.floats(min_value=0.01, max_value=10_000, allow_nan=False),
)
units = st.sampled_from([None, "g", "kg", "ml", "l", "tsp", "tbsp", "cup", "oz", "lb", "clove"])
factors = st.one_of(
    st.sampled_from([0.5, 2, 3, 1.5, 0.25, 8 / 6, 12 / 4]),
    st.floats(min_value=0.01, max_value=100, allow_nan=False),
)


@given(quantities, quantities, units, factors)
def test_scaling_by_k_then_one_over_k_gives_back_the_original(low, high, unit, k):
    original = amount(low, unit, high)
    back = scale_amount(scale_amount(original, k), 1 / k)
    assert back.unit == original.unit
    for before, after in ((low, back.quantity), (high, back.quantity_max)):
        assert (before is None) == (after is None)
        if before is not None:
            assert math.isclose(before, after, rel_tol=1e-9, abs_tol=1e-12)
    for system in (None, "metric", "us"):
        assert format_amount(back, system) == format_amount(original, system)
