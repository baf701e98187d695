"""JSON API: the household's meal plan (GET/POST /mealplan, PATCH/DELETE /mealplan/{id})."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import url_for
from werkzeug.wrappers import Response

from recipes.db import get_db
from recipes.households import current_household_id, require_writer
from recipes.mealplan import store
from recipes.mealplan.models import Entry, EntryIn, EntryList, EntryPatch, RangeQuery
from recipes.mealplan.settings import ensure_settings

from .auth import api_blueprint, api_user
from .bodies import validate_json
from .payload import ApiError, json_body, query
from .responses import json_response, no_content

NO_RECIPE = "There is no recipe with that id in your household."
bp = api_blueprint("mealplan_api", __name__)
MAX_DAYS = 366


def _slot_id(name: str) -> int:
    """The slot with that name (any case); a new name adds a slot to the household."""
    return store.add_slot(get_db(), current_household_id(), name).id


def _check_recipe(recipe_id: int) -> None:
    # 409, not 404: the entry in the path exists; the body names a recipe that does not
    # (or no longer does) in this household, a conflict with the current state.
    if not store.owns_recipe(get_db(), current_household_id(), recipe_id):
        raise ApiError(409, NO_RECIPE, reason="unknown_recipe")


def _entry(entry_id: int) -> Entry:
    entry = store.get_entry(get_db(), current_household_id(), entry_id)
    if entry is None:
        raise ApiError(404, "There is no plan entry with that id.")
    return entry


@bp.get("/mealplan")
def list_entries() -> Response:
    args = query(RangeQuery)
    db, household_id = get_db(), current_household_id()
    first_day = ensure_settings(db, household_id).first_day
    start = args.start or store.week_start(dt.date.today(), first_day)
    end = args.end or start + dt.timedelta(days=store.WEEK - 1)
    end = min(end, start + dt.timedelta(days=MAX_DAYS))
    return json_response(EntryList(items=store.entries(db, household_id, start, end)))


@bp.post("/mealplan")
def create_entry() -> Response:
    require_writer()
    data = validate_json(EntryIn, json_body())
    slot_id = _slot_id(data.slot)
    if data.recipe_id is not None:
        _check_recipe(data.recipe_id)
    entry_id = store.add_entry(
        get_db(), current_household_id(), data.date, slot_id, data.recipe_id, data.text,
        data.servings,
    )  # fmt: skip
    response = json_response(_entry(entry_id), 201)
    response.headers["Location"] = url_for("mealplan_api.get_entry", entry_id=entry_id)
    return response


@bp.get("/mealplan/<int:entry_id>")
def get_entry(entry_id: int) -> Response:
    return json_response(_entry(entry_id))


@bp.patch("/mealplan/<int:entry_id>")
def update_entry(entry_id: int) -> Response:
    require_writer()
    entry = _entry(entry_id)
    patch = validate_json(EntryPatch, json_body())
    changes: dict[str, Any] = {}
    sent = patch.model_fields_set
    if "date" in sent and patch.date is not None:
        changes["day"] = patch.date
    if "slot" in sent and patch.slot is not None:
        changes["slot_id"] = _slot_id(patch.slot)
    if "servings" in sent:
        changes["servings"] = patch.servings
    if patch.recipe_id is not None:
        _check_recipe(patch.recipe_id)
        changes.update(recipe_id=patch.recipe_id, text="")
    elif patch.text is not None:
        changes.update(recipe_id=None, text=patch.text)
    if patch.cooked is False:
        changes["cooked_on"] = None
    store.update_entry(get_db(), current_household_id(), entry.id, changes)
    if patch.cooked:
        store.mark_cooked(get_db(), current_household_id(), _entry(entry_id), api_user().id)
    return json_response(_entry(entry_id))


@bp.delete("/mealplan/<int:entry_id>")
def delete_entry(entry_id: int) -> Response:
    require_writer()
    if not store.delete_entry(get_db(), current_household_id(), entry_id):
        raise ApiError(404, "There is no plan entry with that id.")
    return no_content()
