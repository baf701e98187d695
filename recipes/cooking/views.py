"""Cooking pages: cook mode and "I made this"."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from recipes.households import current_household_id, require_writer
from recipes.views import owned_recipe, recipe_page

from . import log
from .page import CookedForm, scale_context
from .steps import step_pieces, step_text, unnumbered

bp = Blueprint("cooking", __name__)


@bp.app_context_processor
def _step_helpers() -> dict[str, Any]:
    return {"step_pieces": step_pieces, "step_text": step_text, "unnumbered": unnumbered}


@bp.route("/recipes/<int:recipe_id>/cook")
@login_required
def cook(recipe_id: int) -> str:
    recipe = owned_recipe(recipe_id)
    return render_template("cook.html", **scale_context(recipe))


@bp.route("/recipes/<int:recipe_id>/cooked", methods=["POST"])
@login_required
def cooked(recipe_id: int) -> Response | tuple[str, int]:
    recipe = owned_recipe(recipe_id)
    require_writer()
    form = CookedForm()
    if form.validate_on_submit():
        try:
            log.record_cooked(
                recipe_id,
                current_user.id,
                current_household_id(),
                form.cooked_on.data,
                form.note.data,
                int(form.rating.data) if form.rating.data else None,
            )
        except log.CookingLogError as exc:
            form.cooked_on.errors = [*form.cooked_on.errors, str(exc)]
        else:
            flash("Logged. Enjoy your meal!", "success")
            return redirect(url_for("recipes.view", recipe_id=recipe_id) + "#cooking-log")
    return recipe_page(recipe, cooked_form=form), 422
