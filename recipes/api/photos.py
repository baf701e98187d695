"""JSON API v1: a recipe's photos (upload, list, arrange, delete), on the API blueprint."""

from __future__ import annotations

from flask import request, url_for
from werkzeug.wrappers import Response

from recipes.db import get_db
from recipes.households import require_writer
from recipes.photos import storage
from recipes.photos.processing import TOO_LARGE, PhotoRejected, process
from recipes.photos.views import chosen_files, photo_out, send_blob, set_upload_limit

from .auth import api_user
from .payload import ApiError, json_body, validate
from .responses import json_response
from .routes import PHOTO_ENDPOINT, bp
from .schemas import PhotoList, PhotoOrder, PhotoPatch

NO_RECIPE = "There is no recipe with that id."
NO_PHOTO = "There is no photo with that id on this recipe."


def _owner() -> int:
    return api_user().household_id


def _checked(recipe_id: int) -> int:
    """The recipe id if the caller owns it, else 404 (another owner's id is not confirmed)."""
    if storage.get_recipe_owner(get_db(), recipe_id) != _owner():
        raise ApiError(404, NO_RECIPE)
    if request.method not in ("GET", "HEAD"):
        require_writer()  # viewers see photos but do not change them
    return recipe_id


def _listing(recipe_id: int) -> Response:
    items = [photo_out(info, PHOTO_ENDPOINT) for info in storage.list_photos(get_db(), recipe_id)]
    return json_response(PhotoList(items=items))


@bp.url_value_preprocessor
def _upload_limit(endpoint: str | None, values: dict | None) -> None:
    if endpoint == "api.upload_photo":
        set_upload_limit(1)


@bp.get("/recipes/<int:recipe_id>/photos")
def list_photos(recipe_id: int) -> Response:
    return _listing(_checked(recipe_id))


@bp.post("/recipes/<int:recipe_id>/photos")
def upload_photo(recipe_id: int) -> Response:
    _checked(recipe_id)
    files = chosen_files("file")
    if len(files) != 1:
        message = "Send one image as the multipart field `file`."
        raise ApiError(422, message, fields={"file": "required"})
    data = files[0].stream.read()
    try:
        photo = process(data)
    except PhotoRejected as error:
        status = 413 if str(error) == TOO_LARGE else 422
        raise ApiError(status, str(error), fields={"file": str(error)}) from None
    info = storage.add_photo(get_db(), _owner(), recipe_id, photo)
    if info is None:
        raise ApiError(404, NO_RECIPE)
    location = url_for("api.list_photos", recipe_id=recipe_id)
    response = json_response(photo_out(info, PHOTO_ENDPOINT), 201)
    response.headers["Location"] = location
    return response


@bp.get("/photos/<int:photo_id>", defaults={"variant": "display"})
@bp.get("/photos/<int:photo_id>/thumbnail", defaults={"variant": "thumb"})
def photo_file(photo_id: int, variant: storage.Variant) -> Response:
    """The image itself (display size, or the thumbnail), for a token or the session."""
    blob = storage.read_blob(get_db(), _owner(), photo_id, variant)
    if blob is None:
        raise ApiError(404, "There is no photo with that id.")
    return send_blob(blob)


@bp.patch("/recipes/<int:recipe_id>/photos")
def arrange_photos(recipe_id: int) -> Response:
    order = validate(PhotoOrder, json_body(), strict=True).order
    storage.arrange(get_db(), _owner(), _checked(recipe_id), order)
    return _listing(recipe_id)


@bp.patch("/recipes/<int:recipe_id>/photos/<int:photo_id>")
def update_photo(recipe_id: int, photo_id: int) -> Response:
    change = validate(PhotoPatch, json_body(), strict=True)
    order = [p.id for p in storage.list_photos(get_db(), _checked(recipe_id))]
    if photo_id not in order:
        raise ApiError(404, NO_PHOTO)
    order.remove(photo_id)
    position = 0 if change.cover else change.position
    if position is None:
        position = len(order)
    order.insert(min(position, len(order)), photo_id)
    storage.arrange(get_db(), _owner(), recipe_id, order)
    return _listing(recipe_id)


@bp.delete("/recipes/<int:recipe_id>/photos/<int:photo_id>")
def delete_photo(recipe_id: int, photo_id: int) -> Response:
    if not storage.delete_photo(get_db(), _owner(), _checked(recipe_id), photo_id):
        raise ApiError(404, NO_PHOTO)
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response
