"""Shopping list pages. Everything works as plain forms; static/shopping.js adds instant
check-offs, live updates from other devices (polling with ETags) and an offline queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from pydantic import ValidationError
from werkzeug.wrappers import Response

from recipes.db import get_db
from recipes.forms import ConfirmForm
from recipes.households import current_household_id, require_writer
from recipes.mealplan.store import owns_recipe, recipe_by_title, recipe_titles

from . import store
from .links import new_token, public_url
from .models import ItemIn, ListIn, PlannedRange, RecipeAtServings, ShoppingList

bp = Blueprint("shopping", __name__, url_prefix="/shopping")


def _checked_post() -> None:
    """Any member of the household, viewers included, may use its shopping lists."""
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _checked_writer_post() -> None:
    """Public links and the household's aisles and staples are for its writers."""
    require_writer()
    _checked_post()


def _owned(list_id: int) -> ShoppingList:
    found = store.get_list(get_db(), current_household_id(), list_id, public_url)
    if found is None:
        abort(404)
    return found


def _back(list_id: int) -> Response:
    return redirect(url_for("shopping.page", list_id=list_id))


def _dates() -> tuple[str, str]:
    return request.args.get("start", "")[:10], request.args.get("end", "")[:10]


@bp.get("")
@login_required
def lists() -> str:
    start, end = _dates()
    summaries = store.list_summaries(get_db(), current_household_id())
    return render_template(
        "shopping/lists.html", lists=summaries, start=start, end=end, form=ConfirmForm()
    )


@bp.post("")
@login_required
def create() -> Response:
    _checked_post()
    try:
        data = ListIn(name=request.form.get("name", "") or "Shopping")
    except ValidationError:
        flash("Give the list a name (at most 100 characters).", "error")
        return redirect(url_for("shopping.lists"))
    db, household_id = get_db(), current_household_id()
    list_id = store.create_list(db, household_id, data.name)
    if request.form.get("start") and request.form.get("end"):
        _add_planned(list_id, request.form["start"], request.form["end"])
    return _back(list_id)


@bp.post("/add-recipe")
@login_required
def add_recipe() -> Response:
    """From a recipe's page: the recipe, at the servings it is shown at, onto the chosen
    list or a new one."""
    _checked_post()
    servings = request.form.get("servings", "").strip()
    try:
        wanted = RecipeAtServings(
            recipe_id=int(request.form.get("recipe_id", "")),
            servings=float(servings) if servings else None,
        )
    except (ValueError, ValidationError):
        abort(400)
    db, household_id = get_db(), current_household_id()
    chosen = request.form.get("list_id", "")
    if not (chosen == "new" or chosen.isdigit()):
        abort(400)
    if not owns_recipe(db, household_id, wanted.recipe_id):
        abort(404)
    new = chosen == "new"
    list_id = store.create_list(db, household_id, "Shopping") if new else int(chosen)
    added = store.add_recipes(db, household_id, list_id, [(wanted.recipe_id, wanted.servings)])
    if added is None:
        abort(404)
    flash(f"Added “{added[0].title}” to this list.", "success")
    return _back(list_id)


def _add_planned(list_id: int, start: str, end: str) -> None:
    try:
        wanted = PlannedRange.model_validate({"start": start, "end": end})
    except ValidationError:
        flash("Choose a first and a last day.", "error")
        return
    added = store.add_planned(get_db(), current_household_id(), list_id, wanted.start, wanted.end)
    count = len(added or [])
    flash(f"Added {count} planned recipe{'' if count == 1 else 's'}.", "success")


@bp.get("/<int:list_id>")
@login_required
def page(list_id: int) -> Response | str:
    version = store.list_version(get_db(), current_household_id(), list_id)
    if version is None:
        abort(404)
    if request.args.get("partial"):
        # Devices poll this: unchanged lists answer 304 without rendering anything.
        etag = f"{list_id}-{version}"
        if etag in request.if_none_match:
            response = Response(status=304)
            response.set_etag(etag)
            return response
        response = Response(_render("shopping/_items.html", _owned(list_id)))
        response.set_etag(etag)
        response.headers["Cache-Control"] = "no-cache"
        return response
    return _render("shopping/list.html", _owned(list_id))


def _render(template: str, shopping_list: ShoppingList, **extra: Any) -> str:
    db, household_id = get_db(), current_household_id()
    return render_template(
        template,
        lst=shopping_list,
        aisles=store.aisle_order(db, household_id),
        titles=recipe_titles(db, household_id),
        form=ConfirmForm(),
        today=dt.date.today(),
        read_only=False,
        **extra,
    )


@bp.post("/<int:list_id>/items")
@login_required
def add_item(list_id: int) -> Response:
    _checked_post()
    try:
        item = ItemIn(text=request.form.get("text", ""))
    except ValidationError:
        flash("Type what to buy (at most 300 characters).", "error")
        return _back(list_id)
    if store.add_item(get_db(), current_household_id(), list_id, item.text) is None:
        abort(404)
    return _back(list_id)


@bp.post("/<int:list_id>/recipes")
@login_required
def add_recipes(list_id: int) -> Response:
    _checked_post()
    _owned(list_id)
    if request.form.get("start") or request.form.get("end"):
        _add_planned(list_id, request.form.get("start", ""), request.form.get("end", ""))
        return _back(list_id)
    title = request.form.get("recipe", "").strip()
    recipe_id = recipe_by_title(get_db(), current_household_id(), title) if title else None
    try:
        servings = request.form.get("servings", "").strip().replace(",", ".")
        wanted = RecipeAtServings(
            recipe_id=recipe_id or 0, servings=float(servings) if servings else None
        )
    except (ValueError, ValidationError):
        flash("Choose one of your recipes by its title, and servings as a number.", "error")
        return _back(list_id)
    store.add_recipes(
        get_db(), current_household_id(), list_id, [(wanted.recipe_id, wanted.servings)]
    )
    return _back(list_id)


@bp.post("/<int:list_id>/recipes/<int:source_id>/delete")
@login_required
def remove_recipe(list_id: int, source_id: int) -> Response:
    _checked_post()
    if not store.remove_source(get_db(), current_household_id(), list_id, source_id):
        abort(404)
    flash("Removed the recipe and its amounts.", "info")
    return _back(list_id)


@bp.post("/<int:list_id>/items/<int:item_id>/check")
@login_required
def check(list_id: int, item_id: int) -> Response:
    _checked_post()
    checked = request.form.get("checked") == "1"
    if not store.update_item(get_db(), current_household_id(), list_id, item_id, checked=checked):
        abort(404)
    return _back(list_id)


@bp.post("/<int:list_id>/items/<int:item_id>/aisle")
@login_required
def move_aisle(list_id: int, item_id: int) -> Response:
    _checked_post()
    aisle = request.form.get("aisle", "").strip()[:100]
    if not aisle:
        abort(400)
    if not store.update_item(get_db(), current_household_id(), list_id, item_id, aisle=aisle):
        abort(404)
    return _back(list_id)


@bp.post("/<int:list_id>/items/<int:item_id>/delete")
@login_required
def delete_item(list_id: int, item_id: int) -> Response:
    _checked_post()
    if not store.delete_item(get_db(), current_household_id(), list_id, item_id):
        abort(404)
    return _back(list_id)


@bp.post("/<int:list_id>/staples")
@login_required
def add_staples(list_id: int) -> Response:
    _checked_post()
    if store.add_staples(get_db(), current_household_id(), list_id) is None:
        abort(404)
    return _back(list_id)


@bp.post("/<int:list_id>/clear")
@login_required
def clear_checked(list_id: int) -> Response:
    _checked_post()
    if store.clear_checked(get_db(), current_household_id(), list_id) is None:
        abort(404)
    return _back(list_id)


@bp.get("/<int:list_id>/text")
@login_required
def text(list_id: int) -> Response:
    return Response(store.plain_text(_owned(list_id)), mimetype="text/plain")


@bp.post("/<int:list_id>/share")
@login_required
def share(list_id: int) -> Response:
    _checked_writer_post()
    if _owned(list_id).share_url is None:
        store.set_share_token(get_db(), current_household_id(), list_id, new_token())
    flash("Anyone with the link can now read this list.", "success")
    return _back(list_id)


@bp.post("/<int:list_id>/unshare")
@login_required
def unshare(list_id: int) -> Response:
    _checked_writer_post()
    if not store.set_share_token(get_db(), current_household_id(), list_id, None):
        abort(404)
    flash("The link is revoked: it no longer works.", "info")
    return _back(list_id)


@bp.post("/<int:list_id>/delete")
@login_required
def delete(list_id: int) -> Response:
    _checked_post()
    if not store.delete_list(get_db(), current_household_id(), list_id):
        abort(404)
    flash("Deleted the list.", "info")
    return redirect(url_for("shopping.lists"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def household_settings() -> str | Response:
    """Aisle order (one per line, as the shop is laid out) and pantry staples."""
    db, household_id = get_db(), current_household_id()
    form = ConfirmForm()
    if request.method == "POST":
        _checked_writer_post()
        aisles = _lines(request.form.get("aisles", ""))
        staples = _lines(request.form.get("staples", ""))
        store.set_aisle_order(db, household_id, aisles)
        store.set_staples(db, household_id, staples)
        flash("Saved aisles and pantry staples.", "success")
        return redirect(url_for("shopping.household_settings"))
    return render_template(
        "shopping/settings.html",
        aisles=store.aisle_order(db, household_id),
        staples=store.staples(db, household_id),
        form=form,
    )


def _lines(text: str) -> list[str]:
    return [line.strip()[:100] for line in text.splitlines() if line.strip()][:200]


@bp.get("/shared/<token>")
def shared(token: str) -> str:
    """The read-only link: the list as it is now, without any controls."""
    db = get_db()
    found = store.shared_list(db, token) if len(token) <= 100 else None
    shopping_list = store.get_list(db, found[0], found[1]) if found else None
    if shopping_list is None:
        abort(404)
    return render_template("shopping/shared.html", lst=shopping_list)
