"""Recipe pages: index, view, new, edit, delete and search."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from recipes import library, store
from recipes.cooking.page import CookedForm, log_context, scale_context
from recipes.db import get_db
from recipes.forms import ConfirmForm, RecipeForm
from recipes.households import current_household_id, member_count, require_writer
from recipes.jsonld import recipe_jsonld
from recipes.mealplan.store import slots as plan_slots
from recipes.mealplan.store import times_planned
from recipes.models import ListQuery, Recipe
from recipes.photos.processing import PhotoRejected
from recipes.photos.views import attach_photos, chosen_files, owner_id, read_uploads, save_uploads
from recipes.search import search_recipes
from recipes.sharing import with_share_url
from recipes.shopping.store import list_summaries

bp = Blueprint("recipes", __name__)
PER_PAGE = 50


def owned_recipe(recipe_id: int) -> Recipe:
    """The current user's recipe with its photos, or 404 (never 403: others' ids are not
    confirmed)."""
    recipe = store.get_recipe(get_db(), current_household_id(), recipe_id)
    if recipe is None:
        abort(404)
    attach_photos([recipe])
    return with_share_url(recipe)


@bp.route("/")
@login_required
def index() -> str:
    args = ListQuery.from_web(request.args, PER_PAGE)
    filters = args.filters()
    sort = _sort()
    favourites = request.args.get("favourites") == "1"
    page = library.browse(
        get_db(), owner_id(), current_user.id, page=args.page, per_page=PER_PAGE,
        sort=sort, favourites=favourites, tag=filters["tag"], category=filters["category"],
    )  # fmt: skip
    card_links(page.items)
    return render_template(
        "index.html",
        page=page,
        filters=filters,
        sort=sort,
        sorts=library.SORTS,
        favourites=favourites,
        tags=store.tag_counts(get_db(), owner_id())[:40],
        categories=store.categories(get_db(), owner_id()),
    )


@bp.route("/search")
@login_required
def search() -> str:
    args = ListQuery.from_web(request.args, PER_PAGE)
    query, filters = args.q, args.filters()
    page = search_recipes(
        get_db(),
        current_household_id(),
        query,
        args.page,
        PER_PAGE,
        filters["tag"],
        filters["category"],
    )
    library.decorate(get_db(), current_user.id, page.items)
    card_links(page.items)
    template = "_search_results.html" if request.args.get("partial") else "search.html"
    return render_template(template, page=page, query=query, filters=filters)


_ID = 987_654_321  # a stand-in id: one url_for per endpoint, not one per card


def card_links(items: list[dict[str, Any]]) -> None:
    """Each card's addresses (recipe, star form, cover thumbnail). Building them from one
    url_for per endpoint instead of three per card halved the home page's render time."""
    view = url_for("recipes.view", recipe_id=_ID)
    star = url_for("recipes.favourite", recipe_id=_ID)
    thumb = url_for("photos.serve", photo_id=_ID, variant="thumb")
    for item in items:
        key = str(item["id"])
        item["href"], item["star_action"] = view.replace(str(_ID), key), star.replace(str(_ID), key)
        cover = item.get("cover")
        if cover:
            item["thumb"] = f"{thumb.replace(str(_ID), str(cover[0]))}?v={cover[1][:16]}"


def _sort() -> str:
    """The sort asked for, else the one chosen last time (kept in the session)."""
    asked = request.args.get("sort")
    if asked in library.SORTS:
        session["sort"] = asked
        return asked
    kept = session.get("sort")
    return kept if kept in library.SORTS else library.DEFAULT_SORT


def _back_to(default: str) -> Response:
    """To the page the form came from (a local path only), else `default`."""
    target = request.form.get("next", "")
    local = target.startswith("/") and not target.startswith(("//", "/\\"))
    return redirect(target if local else default)


@bp.post("/recipes/<int:recipe_id>/favourite")
@login_required
def favourite(recipe_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    on = request.form.get("on") == "1"
    if not library.set_favourite(get_db(), owner_id(), current_user.id, recipe_id, on):
        abort(404)
    return _back_to(url_for("recipes.view", recipe_id=recipe_id))


@bp.post("/recipes/<int:recipe_id>/rating")
@login_required
def rate(recipe_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    require_writer()
    raw = request.form.get("rating", "")
    if raw not in ("", "0", "1", "2", "3", "4", "5"):
        abort(400)
    if not library.set_rating(get_db(), owner_id(), recipe_id, int(raw) if raw else None):
        abort(404)
    flash("Rating saved." if raw else "Rating cleared.", "success")
    return redirect(url_for("recipes.view", recipe_id=recipe_id))


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
    db, household_id = get_db(), current_household_id()
    starred = library.favourite_ids(db, current_user.id, [recipe.id])
    return render_template(
        "recipe.html",
        favourite=recipe.id in starred,
        meal_slots=plan_slots(db, household_id) if current_user.can_write else [],
        shopping_lists=list_summaries(db, household_id),
        today=dt.date.today(),
        jsonld=json.dumps(recipe_jsonld(recipe), ensure_ascii=False),
        form=cooked_form,  # the layout titles the page "Error: …" when it comes back invalid
        # Names only where there is more than one person to tell apart.
        shared=member_count(db, household_id) > 1,
        **context,
        **log_context(recipe.id, cooked_form),
    )


@bp.route("/recipes/new", methods=["GET", "POST"])
@login_required
def new() -> str | Response:
    require_writer()
    form = RecipeForm()
    photo_error = None
    if form.validate_on_submit():
        data = form.to_recipe()
        try:
            photos = read_uploads(chosen_files("photos"))
        except PhotoRejected as error:
            data, photo_error = None, str(error)
        if data is not None:
            recipe_id = store.create_recipe(
                get_db(), current_household_id(), data, by=current_user.id
            )
            save_uploads(recipe_id, photos)
            flash("Recipe saved.", "success")
            return redirect(url_for("recipes.view", recipe_id=recipe_id))
    status = 422 if form.is_submitted() else 200
    page = render_template("recipe_form.html", form=form, recipe=None, photo_error=photo_error)
    return page, status  # type: ignore[return-value]


@bp.route("/recipes/<int:recipe_id>/edit", methods=["GET", "POST"])
@login_required
def edit(recipe_id: int) -> str | Response | tuple[str, int]:
    recipe = owned_recipe(recipe_id)
    require_writer()
    form = RecipeForm()
    if form.validate_on_submit():
        data = form.to_recipe()
        if data is not None:
            try:
                saved = store.update_recipe(
                    get_db(),
                    current_household_id(),
                    recipe_id,
                    data,
                    by=current_user.id,
                    expected_version=form.started_from(),
                )
            except store.VersionConflict as conflict:
                return _conflict(form, conflict.current)
            if not saved:
                abort(404)
            flash("Changes saved.", "success")
            return redirect(url_for("recipes.view", recipe_id=recipe_id))
    elif not form.is_submitted():
        form.fill(recipe)
    status = 422 if form.is_submitted() else 200
    return render_template("recipe_form.html", form=form, recipe=recipe), status  # type: ignore[return-value]


def _conflict(form: RecipeForm, current: Recipe) -> tuple[str, int]:
    """Someone saved since this edit began: show both versions side by side. The form
    keeps what this person typed and now carries the newer version, so saving it
    replaces theirs (after merging by hand, or as is)."""
    theirs = RecipeForm(formdata=None)
    theirs.fill(current)
    mine_text, theirs_text = form.as_text(), theirs.as_text()
    rows = [(label, theirs_text[label], mine) for label, mine in mine_text.items()]
    form.restart_from(current.version)
    html = render_template(
        "recipe_form.html",
        form=form,
        recipe=current,
        conflict=[row for row in rows if row[1] != row[2]],
    )
    return html, 409


@bp.route("/recipes/<int:recipe_id>/delete", methods=["GET", "POST"])
@login_required
def delete(recipe_id: int) -> str | Response:
    recipe = owned_recipe(recipe_id)
    require_writer()
    form = ConfirmForm()
    if form.validate_on_submit():
        store.delete_recipe(get_db(), current_household_id(), recipe_id)
        flash(f"Deleted “{recipe.title}”.", "info")
        return redirect(url_for("recipes.index"))
    planned = times_planned(get_db(), current_household_id(), recipe_id)
    return render_template("recipe_delete.html", recipe=recipe, form=form, planned=planned)
