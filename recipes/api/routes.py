"""JSON API v1: recipes, sharing, tags and the caller's account."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request, url_for
from werkzeug.wrappers import Response

from recipes import sharing, store
from recipes.cooking.scaling import Scale, scaled_recipe, servings_base
from recipes.db import get_db
from recipes.households import require_writer
from recipes.models import Recipe, RecipeIn
from recipes.photos.views import attach_photos, photos_of
from recipes.search import search_recipes

from .auth import api_blueprint, api_user, public
from .openapi import openapi_document
from .payload import ApiError, json_body, query, validate
from .responses import json_response as _json
from .responses import no_content as _no_content
from .schemas import ListQuery, Me, ScaleQuery, ShareLink, TagCount, TagList

bp = api_blueprint("api", __name__)
PHOTO_ENDPOINT = "api.photo_file"  # in recipes/api/photos.py: photos read with a token


def _owned(recipe_id: int) -> Recipe:
    """The caller's recipe, or 404: another user's id is never confirmed."""
    recipe = store.get_recipe(get_db(), api_user().household_id, recipe_id)
    if recipe is None:
        raise ApiError(404, "There is no recipe with that id.")
    attach_photos([recipe], PHOTO_ENDPOINT)
    return sharing.with_share_url(recipe)


def etag(recipe: Recipe) -> str:
    """The recipe's ETag value: its version, which every save raises by one."""
    return f"v{recipe.version}"


def _tagged(recipe: Recipe, status: int = 200) -> Response:
    response = _json(recipe, status)
    response.set_etag(etag(recipe))
    return response


def _expected_version(recipe: Recipe) -> int | None:
    """The version an If-Match names (None without one); 412 when it is not current.

    Without If-Match the last save wins, as before; with it, a save that started from an
    older version never overwrites a newer one.
    """
    condition = request.if_match
    if not condition or condition.star_tag:
        return None
    if not condition.contains(etag(recipe)):
        raise _stale(recipe)
    return recipe.version


def _stale(current: Recipe) -> ApiError:
    return ApiError(
        412,
        "The recipe changed since that version: merge with the current one and send it "
        "again with its ETag.",
        etag=etag(current),
        current=current.model_dump(mode="json"),
    )


@bp.get("/openapi.json")
@public
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.get("/me")
def me() -> Response:
    user = api_user()
    return _json(Me(id=user.id, username=user.username, is_admin=user.is_admin, auth=g.api_auth))


@bp.get("/recipes")
def list_recipes() -> Response:
    args = query(ListQuery)
    options: dict[str, Any] = {
        "page": args.page,
        "per_page": args.per_page,
        "full": True,
        **args.filters(),
    }
    if args.q.strip():
        page = search_recipes(get_db(), api_user().household_id, args.q, **options)
    else:
        page = store.list_recipes(get_db(), api_user().household_id, **options)
    return _json(_page_data(page))


def _page_data(page: store.Page) -> dict[str, Any]:
    """The page as plain data in RecipePage's shape (see store.RecipeData): the same JSON as
    the models would write, in half the time."""
    photos = photos_of((item.data["id"] for item in page.items), PHOTO_ENDPOINT)
    for item in page.items:
        item.data["share_url"] = sharing.public_url(item.share_token) if item.share_token else None
        item.data["photos"] = photos[item.data["id"]]
    items = [item.data for item in page.items]
    return {"items": items, "total": page.total, "page": page.page, "per_page": page.per_page}


@bp.post("/recipes")
def create() -> Response:
    require_writer()
    data = validate(RecipeIn, json_body(), strict=True)
    user = api_user()
    recipe_id = store.create_recipe(get_db(), user.household_id, data, by=user.id)
    response = _tagged(_owned(recipe_id), 201)
    response.headers["Location"] = url_for("api.get", recipe_id=recipe_id)
    return response


@bp.get("/recipes/<int:recipe_id>")
def get(recipe_id: int) -> Response:
    args = query(ScaleQuery)
    recipe = _owned(recipe_id)
    scale = Scale(servings_base(recipe.servings), args.servings, args.units)
    response = _json(scaled_recipe(recipe, scale))
    response.set_etag(etag(recipe))
    return response.make_conditional(request)


@bp.put("/recipes/<int:recipe_id>")
def replace(recipe_id: int) -> Response:
    recipe = _owned(recipe_id)
    require_writer()
    # Invalid data is a 422 whatever If-Match says: the body is checked first.
    data = validate(RecipeIn, json_body(), strict=True)
    return _save(recipe_id, data, _expected_version(recipe))


@bp.patch("/recipes/<int:recipe_id>")
def patch(recipe_id: int) -> Response:
    recipe = _owned(recipe_id)
    require_writer()
    changes = json_body()
    merged = recipe.as_input()
    if "ingredients" in changes and "ingredient_groups" not in changes:
        # New flat lines replace the old groups rather than conflicting with them.
        del merged["ingredient_groups"]
    data = validate(RecipeIn, {**merged, **changes}, strict=True)
    expected = _expected_version(recipe)
    # The merge is based on the version just read: if another save lands before this one
    # is written, writing the merge would undo it, so that is a conflict too.
    return _save(recipe_id, data, recipe.version if expected is None else expected)


def _save(recipe_id: int, data: RecipeIn, expected: int | None) -> Response:
    user = api_user()
    try:
        saved = store.update_recipe(
            get_db(), user.household_id, recipe_id, data, by=user.id, expected_version=expected
        )
    except store.VersionConflict as conflict:
        raise _stale(conflict.current) from None
    if not saved:
        raise ApiError(404, "There is no recipe with that id.")
    return _tagged(_owned(recipe_id))


@bp.delete("/recipes/<int:recipe_id>")
def delete(recipe_id: int) -> Response:
    _owned(recipe_id)
    require_writer()
    if not store.delete_recipe(get_db(), api_user().household_id, recipe_id):
        raise ApiError(404, "There is no recipe with that id.")
    return _no_content()


@bp.post("/recipes/<int:recipe_id>/share")
def share(recipe_id: int) -> Response:
    _owned(recipe_id)
    require_writer()
    token = sharing.share(api_user().household_id, recipe_id)
    if token is None:
        raise ApiError(404, "There is no recipe with that id.")
    return _json(ShareLink(url=sharing.public_url(token)))


@bp.delete("/recipes/<int:recipe_id>/share")
def unshare(recipe_id: int) -> Response:
    _owned(recipe_id)
    require_writer()
    if not sharing.unshare(api_user().household_id, recipe_id):
        raise ApiError(404, "There is no recipe with that id.")
    return _no_content()


@bp.get("/tags")
def tags() -> Response:
    counts = store.tag_counts(get_db(), api_user().household_id)
    return _json(TagList(items=[TagCount(**row) for row in counts]))
