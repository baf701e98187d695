"""JSON API: shopping lists, their recipes and items (/shopping-lists...).

Every member of the household, viewers included, uses its lists.

GET of a list answers an ETag (the list's version): devices poll with If-None-Match and get
304 until someone changes the list.
"""

from __future__ import annotations

from flask import request, url_for
from werkzeug.wrappers import Response

from recipes.db import get_db
from recipes.households import current_household_id
from recipes.shopping import store
from recipes.shopping.links import public_url
from recipes.shopping.models import (
    ItemIn,
    ItemPatch,
    ListIn,
    ListIndex,
    PlannedRange,
    RecipesAdded,
    RecipesIn,
    ShoppingList,
)

from .auth import api_blueprint
from .bodies import validate_json
from .payload import ApiError, json_body
from .responses import json_response, no_content

bp = api_blueprint("shopping_api", __name__)
NO_LIST = "There is no shopping list with that id."


def _etag(list_id: int, version: int) -> str:
    return f"{list_id}-{version}"


def _list(list_id: int) -> ShoppingList:
    found = store.get_list(get_db(), current_household_id(), list_id, public_url)
    if found is None:
        raise ApiError(404, NO_LIST)
    return found


def _list_response(list_id: int, status: int = 200) -> Response:
    found = _list(list_id)
    response = json_response(found, status)
    response.set_etag(_etag(list_id, found.version))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/shopping-lists")
def lists() -> Response:
    return json_response(ListIndex(items=store.list_summaries(get_db(), current_household_id())))


@bp.post("/shopping-lists")
def create_list() -> Response:
    data = validate_json(ListIn, json_body())
    list_id = store.create_list(get_db(), current_household_id(), data.name)
    response = _list_response(list_id, 201)
    response.headers["Location"] = url_for("shopping_api.get_list", list_id=list_id)
    return response


@bp.get("/shopping-lists/<int:list_id>")
def get_list(list_id: int) -> Response:
    version = store.list_version(get_db(), current_household_id(), list_id)
    if version is None:
        raise ApiError(404, NO_LIST)
    if _etag(list_id, version) in request.if_none_match:
        response = Response(status=304)
        response.set_etag(_etag(list_id, version))
        return response
    return _list_response(list_id)


@bp.delete("/shopping-lists/<int:list_id>")
def delete_list(list_id: int) -> Response:
    if not store.delete_list(get_db(), current_household_id(), list_id):
        raise ApiError(404, NO_LIST)
    return no_content()


@bp.post("/shopping-lists/<int:list_id>/recipes")
def add_recipes(list_id: int) -> Response:
    data = validate_json(RecipesIn, json_body()).root
    db, household_id = get_db(), current_household_id()
    if store.list_version(db, household_id, list_id) is None:
        raise ApiError(404, NO_LIST)
    if isinstance(data, PlannedRange):
        added = store.add_planned(db, household_id, list_id, data.start, data.end)
    else:
        added = store.add_recipes(db, household_id, list_id, [(data.recipe_id, data.servings)])
    if added is None:  # the list exists (404 above): the body names no recipe of yours
        message = "There is no recipe with that id in your household."
        raise ApiError(409, message, reason="unknown_recipe")
    return json_response(RecipesAdded(added=added), 201)


@bp.delete("/shopping-lists/<int:list_id>/recipes/<int:source_id>")
def remove_recipe(list_id: int, source_id: int) -> Response:
    if not store.remove_source(get_db(), current_household_id(), list_id, source_id):
        raise ApiError(404, "There is no such recipe on that list.")
    return no_content()


@bp.post("/shopping-lists/<int:list_id>/items")
def add_item(list_id: int) -> Response:
    data = validate_json(ItemIn, json_body())
    item_id = store.add_item(get_db(), current_household_id(), list_id, data.text, data.client_id)
    if item_id is None:
        raise ApiError(404, NO_LIST)
    response = _list_response(list_id, 201)
    response.headers["Location"] = url_for(
        "shopping_api.get_list", list_id=list_id, _anchor=f"item-{item_id}"
    )
    return response


@bp.patch("/shopping-lists/<int:list_id>/items/<int:item_id>")
def update_item(list_id: int, item_id: int) -> Response:
    """Set `checked` (an absolute value, so a change sent again after being offline merges
    with everyone else's instead of toggling theirs) and/or move to an `aisle`."""
    data = validate_json(ItemPatch, json_body())
    found = store.update_item(
        get_db(), current_household_id(), list_id, item_id, data.checked, data.aisle
    )
    if not found:
        raise ApiError(404, "There is no such item on that list.")
    return _list_response(list_id)


@bp.delete("/shopping-lists/<int:list_id>/items/<int:item_id>")
def delete_item(list_id: int, item_id: int) -> Response:
    if not store.delete_item(get_db(), current_household_id(), list_id, item_id):
        raise ApiError(404, "There is no such item on that list.")
    return no_content()
