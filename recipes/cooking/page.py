"""What the recipe page and cook mode show: the recipe at the asked size and units, and
the cooking log with its "I made this" form."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from recipes.db import get_db
from recipes.households import current_household_id
from recipes.models import Recipe

from . import log, preferences
from .quantities import SYSTEMS, System
from .scaling import Scale, parse_servings, scaled_recipe, servings_base

UNIT_CHOICES = (("original", "As written"), ("metric", "Metric"), ("us", "US"))
MULTIPLIERS = ((0.5, "½×"), (2, "2×"), (3, "3×"))


class CookedForm(FlaskForm):
    """ "I made this": the day (today unless changed), a note and a rating, both optional."""

    cooked_on = DateField("Made on", validators=[DataRequired()], default=date.today)
    rating = SelectField(
        "Rating",
        choices=[("", "No rating")] + [(str(n), "★" * n) for n in range(1, 6)],
        validators=[Optional()],
    )
    note = TextAreaField(
        "Note", validators=[Optional(), Length(max=log.MAX_NOTE)], description="Optional."
    )


def requested_units() -> System | None:
    """?units= (remembered for a signed-in account), else the account's remembered choice."""
    asked = request.args.get("units")
    signed_in = current_user.is_authenticated
    if asked in (*SYSTEMS, "original"):
        system = asked if asked in SYSTEMS else None
        if signed_in and preferences.units(get_db(), current_user.id) != system:
            preferences.set_units(get_db(), current_user.id, system)  # type: ignore[arg-type]
        return system  # type: ignore[return-value]
    return preferences.units(get_db(), current_user.id) if signed_in else None


def requested_scale(recipe: Recipe) -> Scale:
    """The size and units asked for in the query string (?set= from a button wins)."""
    servings = parse_servings(request.args.get("set") or request.args.get("servings"))
    return Scale(base=servings_base(recipe.servings), servings=servings, units=requested_units())


def scale_context(recipe: Recipe) -> dict[str, Any]:
    """What the recipe page and cook mode need to show the recipe at the asked scale."""
    scale = requested_scale(recipe)
    shown = scale.shown_servings
    return {
        "recipe": scaled_recipe(recipe, scale),
        "scale": scale,
        "scale_steps": {
            "minus": max(shown - 1, 1) if shown > 1 else shown / 2,
            "plus": shown + 1 if shown >= 1 else shown * 2,
            "multiples": [(shown * k, label) for k, label in MULTIPLIERS],
        },
        "scale_args": _scale_args(scale),
        "unit_choices": UNIT_CHOICES,
    }


def _scale_args(scale: Scale) -> dict[str, Any]:
    args: dict[str, Any] = {}
    if scale.servings is not None:
        args["servings"] = _number(scale.servings)
    if scale.units is not None:
        args["units"] = scale.units
    return args


def _number(value: float) -> str:
    return f"{value:g}"


def log_context(recipe_id: int, form: CookedForm | None = None) -> dict[str, Any]:
    household = current_household_id()
    return {
        "cooked_form": form or CookedForm(formdata=None),
        "cooking_stats": log.cooking_stats(get_db(), household, recipe_id),
        "cooked_entries": log.entries(get_db(), household, recipe_id, limit=5),
    }
