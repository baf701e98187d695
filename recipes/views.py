"""Recipe pages: index, view, new, edit, delete and search."""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from recipes import store
from recipes.cooking.page import CookedForm, log_context, scale_context
from recipes.db import get_db
from recipes.forms import ConfirmForm, RecipeForm
from recipes.jsonld import recipe_jsonld
from recipes.models import Recipe
from recipes.photos.views import attach_photos
from recipes.search import search_recipes
from recipes.sharing import public_url

bp = Blueprint("recipes", __name__)
PER_PAGE = 50
MAX_PAGE = 100_000


def page_arg() -> int:
    raw = request.args.get("page", "1")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and int(raw) > 0 else 1


def owned_recipe(recipe_id: int) -> Recipe:
    """The current user's recipe with its photos, or 404 (never 403: others' ids are not
    confirmed)."""
    recipe = store.get_recipe(get_db(), current_user.id, recipe_id, public_url)
    if recipe is None:
        abort(404)
    attach_photos([recipe])
    return recipe


def _filters() -> dict[str, Any]:
    return {
        "tag": request.args.get("tag", "").strip()[:100] or None,
        "category": request.args.get("category", "").strip()[:100] or None,
    }


@bp.route("/")
@login_required
def index() -> str:
    filters = _filters()
    page = store.list_recipes(get_db(), current_user.id, page_arg(), PER_PAGE, **filters)
    return render_template(
        "index.html",
        page=page,
        filters=filters,
        tags=store.tag_counts(get_db(), current_user.id)[:40],
        categories=store.categories(get_db(), current_user.id),
    )


@bp.route("/search")
@login_required
def search() -> str:
    query = request.args.get("q", "")[:10_000]
    filters = _filters()
    page = search_recipes(get_db(), current_user.id, query, page_arg(), PER_PAGE, **filters)
    template = "_search_results.html" if request.args.get("partial") else "search.html"
    return render_template(template, page=page, query=query, filters=filters)


@bp.route("/recipes/<int:recipe_id>")
@login_required
def view(recipe_id: int) -> str:
    return recipe_page(owned_recipe(recipe_id))


def recipe_page(recipe: Recipe, cooked_form: CookedForm | None = None) -> str:
    """The recipe at the size and units asked for (?servings=, ?units=), with its cooking
    log; `?partial=1` is just the recipe body, for the page's script to swap in."""
    context = scale_context(recipe)
    if request.args.get("partial"):
        return render_template("_recipe_body.html", **context)
    return render_template(
        "recipe.html",
        jsonld=json.dumps(recipe_jsonld(recipe), ensure_ascii=False),
        form=ConfirmForm(),
        **context,
        **log_context(recipe.id, cooked_form),
    )


@bp.route("/recipes/new", methods=["GET", "POST"])
@login_required
def new() -> str | Response:
    form = RecipeForm()
    if form.validate_on_submit():
        data = form.to_recipe()
        if data is not None:
            recipe_id = store.create_recipe(get_db(), current_user.id, data)
            flash("Recipe saved.", "success")
            return redirect(url_for("recipes.view", recipe_id=recipe_id))
    status = 422 if form.is_submitted() else 200
    return render_template("recipe_form.html", form=form, recipe=None), status  # type: ignore[return-value]


@bp.route("/recipes/<int:recipe_id>/edit", methods=["GET", "POST"])
@login_required
def edit(recipe_id: int) -> str | Response:
    recipe = owned_recipe(recipe_id)
    form = RecipeForm()
    if form.validate_on_submit():
        data = form.to_recipe()
        if data is not None:
            if not store.update_recipe(get_db(), current_user.id, recipe_id, data):
                abort(404)
            flash("Changes saved.", "success")
            return redirect(url_for("recipes.view", recipe_id=recipe_id))
    elif not form.is_submitted():
        form.fill(recipe)
    status = 422 if form.is_submitted() else 200
    return render_template("recipe_form.html", form=form, recipe=recipe), status  # type: ignore[return-value]


@bp.route("/recipes/<int:recipe_id>/delete", methods=["GET", "POST"])
@login_required
def delete(recipe_id: int) -> str | Response:
    recipe = owned_recipe(recipe_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        store.delete_recipe(get_db(), current_user.id, recipe_id)
        flash(f"Deleted “{recipe.title}”.", "info")
        return redirect(url_for("recipes.index"))
    return render_template("recipe_delete.html", recipe=recipe, form=form)
