"""Meal planner pages: the week, moving and copying, slots, suggestions, the calendar feed."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from pydantic import ValidationError
from werkzeug.wrappers import Response

from recipes.api.payload import field_errors
from recipes.db import get_db
from recipes.forms import ConfirmForm
from recipes.households import current_household_id, require_writer

from . import calendar, settings, store
from .models import EntryIn, SlotIn, SuggestQuery
from .suggest import pick_recipe

bp = Blueprint("plan", __name__, url_prefix="/plan")
TOKEN_BYTES = 24


def _checked_post() -> None:
    """Every change: a writer, with the form's CSRF token."""
    require_writer()
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _day_arg(name: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return default


def cook_url(recipe_id: int, servings: float | None) -> str:
    """Cook mode at the planned servings (the recipe page when there is no cook mode)."""
    args: dict[str, Any] = {"recipe_id": recipe_id}
    if servings:
        args["servings"] = f"{servings:g}"
    if "cooking.cook" in current_app.view_functions:
        return url_for("cooking.cook", **args)
    return url_for("recipes.view", **args)


def _week(start: dt.date) -> dict[str, Any]:
    db, household_id = get_db(), current_household_id()
    days = [start + dt.timedelta(days=i) for i in range(store.WEEK)]
    slots = store.slots(db, household_id)
    cells: dict[tuple[str, int], list[Any]] = {}
    for entry in store.entries(db, household_id, days[0], days[-1]):
        cells.setdefault((entry.date.isoformat(), entry.slot_id), []).append(entry)
    return {
        "start": start,
        "days": days,
        "slots": slots,
        "cells": cells,
        "prev_week": start - dt.timedelta(days=store.WEEK),
        "next_week": start + dt.timedelta(days=store.WEEK),
        "today": dt.date.today(),
        "titles": store.recipe_titles(db, household_id),
        "settings": settings.ensure_settings(db, household_id),
        "day_names": settings.DAY_NAMES,
        "form": ConfirmForm(),
        "cook_url": cook_url,
    }


@bp.get("")
@login_required
def week() -> str:
    household = settings.ensure_settings(get_db(), current_household_id())
    start = store.week_start(_day_arg("week", dt.date.today()), household.first_day)
    values = {"date": request.args.get("day", ""), "slot": request.args.get("slot", "")}
    return render_template("plan/week.html", values=values, errors={}, **_week(start))


@bp.post("/entries")
@login_required
def add() -> str | Response:
    _checked_post()
    db, household_id = get_db(), current_household_id()
    values = {k: request.form.get(k, "").strip() for k in ("date", "slot", "what", "servings")}
    errors: dict[str, str] = {}
    entry = _entry_from_form(values, errors)
    if entry is not None:
        slot = store.slot_by_name(db, household_id, entry.slot)
        if slot is None:
            errors["slot"] = "Choose one of the slots."
        else:
            store.add_entry(
                db, household_id, entry.date, slot.id, entry.recipe_id, entry.text, entry.servings
            )
            return redirect(url_for("plan.week", week=entry.date.isoformat()))
    household = settings.ensure_settings(db, household_id)
    try:
        shown = dt.date.fromisoformat(values["date"])
    except ValueError:
        shown = dt.date.today()
    start = store.week_start(shown, household.first_day)
    page = render_template("plan/week.html", values=values, errors=errors, **_week(start))
    return page, 422  # type: ignore[return-value]


def _entry_from_form(values: dict[str, str], errors: dict[str, str]) -> EntryIn | None:
    """The form's "Recipe or note" is a recipe when it names one exactly, else free text."""
    what, chosen = values["what"], request.form.get("recipe_id", "")
    db, household_id = get_db(), current_household_id()
    if chosen.isdigit() and store.owns_recipe(db, household_id, int(chosen)):
        recipe_id: int | None = int(chosen)  # a suggestion names its recipe exactly
    else:
        recipe_id = store.recipe_by_title(db, household_id, what) if what else None
    data: dict[str, Any] = {"date": values["date"], "slot": values["slot"]}
    data["recipe_id" if recipe_id else "text"] = recipe_id or what or None
    if values["servings"]:
        try:
            data["servings"] = float(values["servings"].replace(",", "."))
        except ValueError:
            errors["servings"] = "Give servings as a number, e.g. 4."
            return None
    try:
        return EntryIn.model_validate(data)
    except ValidationError as exc:
        for field, message in field_errors(exc).items():
            name = {"recipe_id": "what", "text": "what", "body": "what"}.get(field, field)
            errors.setdefault(
                name, "Choose a recipe or type a note." if name == "what" else message
            )
        return None


def _owned_entry(entry_id: int) -> Any:
    entry = store.get_entry(get_db(), current_household_id(), entry_id)
    if entry is None:
        abort(404)
    return entry


@bp.post("/entries/<int:entry_id>/move")
@login_required
def move(entry_id: int) -> Response:
    """The keyboard (and no-script) way to move an entry; dragging uses the API."""
    _checked_post()
    entry = _owned_entry(entry_id)
    db, household_id = get_db(), current_household_id()
    try:
        day = dt.date.fromisoformat(request.form.get("date", ""))
    except ValueError:
        abort(400)
    slot_id = request.form.get("slot_id", type=int)
    if slot_id not in {s.id for s in store.slots(db, household_id)}:
        abort(400)
    store.update_entry(db, household_id, entry.id, {"day": day, "slot_id": slot_id})
    flash(f"Moved “{entry.title}”.", "success")
    return redirect(url_for("plan.week", week=day.isoformat()))


@bp.post("/entries/<int:entry_id>/delete")
@login_required
def delete(entry_id: int) -> Response:
    _checked_post()
    entry = _owned_entry(entry_id)
    store.delete_entry(get_db(), current_household_id(), entry.id)
    flash(f"Removed “{entry.title}”.", "info")
    return redirect(url_for("plan.week", week=entry.date.isoformat()))


@bp.post("/entries/<int:entry_id>/cooked")
@login_required
def cooked(entry_id: int) -> Response:
    _checked_post()
    entry = _owned_entry(entry_id)
    store.mark_cooked(get_db(), current_household_id(), entry, current_user.id)
    flash(f"“{entry.title}” is in the cooking log.", "success")
    return redirect(url_for("plan.week", week=entry.date.isoformat()))


@bp.post("/copy")
@login_required
def copy_week() -> Response:
    _checked_post()
    try:
        source = dt.date.fromisoformat(request.form.get("from", ""))
        target = dt.date.fromisoformat(request.form.get("to", ""))
    except ValueError:
        flash("Choose the week to copy to.", "error")
        return redirect(url_for("plan.week"))
    count = store.copy_week(get_db(), current_household_id(), source, target)
    flash(f"Copied {count} entr{'y' if count == 1 else 'ies'}.", "success")
    return redirect(url_for("plan.week", week=target.isoformat()))


def _slot_name() -> str | None:
    try:
        return SlotIn(name=request.form.get("name", "")).name
    except ValidationError:
        flash("Give the meal a name (at most 60 characters).", "error")
        return None


def _back_to_week() -> Response:
    return redirect(url_for("plan.week", week=request.form.get("week", "")))


@bp.post("/slots")
@login_required
def add_slot() -> Response:
    _checked_post()
    name = _slot_name()
    if name:
        store.add_slot(get_db(), current_household_id(), name)
    return _back_to_week()


@bp.post("/slots/<int:slot_id>")
@login_required
def rename_slot(slot_id: int) -> Response:
    _checked_post()
    name = _slot_name()
    if name and not store.rename_slot(get_db(), current_household_id(), slot_id, name):
        abort(404)
    return _back_to_week()


@bp.post("/first-day")
@login_required
def first_day() -> Response:
    _checked_post()
    day = request.form.get("first_day", type=int)
    if day is None or not 0 <= day <= 6:
        abort(400)
    settings.set_first_day(get_db(), current_household_id(), day)
    return _back_to_week()


@bp.get("/suggest")
@login_required
def suggest() -> str:
    """Pick a dinner: a random recipe with the tag or category not cooked or planned lately."""
    try:
        query = SuggestQuery.model_validate(request.args.to_dict())
    except ValidationError:
        query = SuggestQuery()
    db, household_id = get_db(), current_household_id()
    day = _day_arg("date", dt.date.today())
    skip = tuple(int(v) for v in request.args.getlist("skip") if v.isdigit())[:50]
    picked = pick_recipe(db, household_id, dt.date.today(), query.days, query.tag,
                         query.category, skip)  # fmt: skip
    return render_template(
        "plan/suggest.html",
        wanted=query,  # not "query": the layout's search box shows that one
        day=day,
        slot=request.args.get("slot", "Dinner")[:60],
        picked=picked,
        skip=skip,
        slots=store.slots(db, household_id),
        form=ConfirmForm(),
    )


@bp.post("/calendar")
@login_required
def calendar_link() -> Response:
    """Create (or replace: the old address stops working) the household's feed address."""
    _checked_post()
    settings.set_ical_token(get_db(), current_household_id(), secrets.token_urlsafe(TOKEN_BYTES))
    flash("The calendar address is ready. Any older address no longer works.", "success")
    return redirect(url_for("plan.week") + "#calendar")


@bp.post("/calendar/revoke")
@login_required
def calendar_revoke() -> Response:
    _checked_post()
    settings.set_ical_token(get_db(), current_household_id(), None)
    flash("The calendar address is revoked.", "info")
    return redirect(url_for("plan.week") + "#calendar")


@bp.get("/calendar/<token>.ics")
def feed(token: str) -> Response:
    """The private feed: the address is the secret, as calendar apps cannot log in."""
    db = get_db()
    household_id = settings.household_by_ical_token(db, token) if len(token) <= 100 else None
    if household_id is None:
        abort(404)
    today = dt.date.today()
    entries = store.entries(
        db, household_id, today - dt.timedelta(days=56), today + dt.timedelta(days=120)
    )

    def link(entry: Any) -> str | None:
        if entry.recipe_id is None:
            return None
        return url_for("recipes.view", recipe_id=entry.recipe_id, _external=True)

    body = calendar.calendar(entries, request.host, dt.datetime.now(dt.UTC), link)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="meal-plan.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
