"""Blueprint `photos`: serving stored photos (household and share-link visitors only) and
managing them from the recipe form (upload, cover, order, delete) without any script."""

from __future__ import annotations

from collections.abc import Iterable

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    request,
    url_for,
)
from flask_login import login_required
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from recipes.db import get_db
from recipes.forms import ConfirmForm
from recipes.households import current_household_id, require_writer
from recipes.models import PhotoOut, Recipe
from recipes.photos import storage
from recipes.photos.processing import (
    MAX_UPLOAD_BYTES,
    TOO_LARGE,
    PhotoRejected,
    Processed,
    process,
)

bp = Blueprint("photos", __name__)
YEAR = 365 * 24 * 3600
MAX_FILES = 4  # per upload from the form (the script sends one at a time)
VARIANTS = "<any(display, thumb):variant>"


def owner_id() -> int:
    """Who owns what the signed-in user sees (their household once households exist)."""
    return current_household_id()


def set_upload_limit(most_files: int) -> None:
    """Let this request's body hold `most_files` photos, with a clear message beyond that.
    Runs before the app's size check (url_value_preprocessors run before before_request)."""
    request.max_content_length = most_files * MAX_UPLOAD_BYTES + (1 << 20)
    g.too_large_message = TOO_LARGE


@bp.url_value_preprocessor
def _upload_limit(endpoint: str | None, values: dict | None) -> None:
    if endpoint == "photos.upload":
        set_upload_limit(MAX_FILES)


@bp.app_url_value_preprocessor
def _new_recipe_limit(endpoint: str | None, values: dict | None) -> None:
    """The new-recipe form carries its photos too (multipart only; other bodies keep the
    app's limit)."""
    if endpoint == "recipes.new" and request.mimetype == "multipart/form-data":
        set_upload_limit(MAX_FILES)


# --- serving ------------------------------------------------------------------------------


def photo_out(info: storage.PhotoInfo, endpoint: str = "photos.serve", **values: str) -> PhotoOut:
    """The photo with its addresses at `endpoint` (pages, a share link, or the API)."""
    return PhotoOut(
        id=info.id,
        url=photo_url(info.id, "display", info.digest, endpoint, **values),
        thumbnail_url=photo_url(info.id, "thumb", info.thumb_digest, endpoint, **values),
        width=info.width,
        height=info.height,
    )


@bp.app_template_global()
def photo_url(
    photo_id: int, variant: str, digest: str, endpoint: str = "photos.serve", **values: str
) -> str:
    # The digest in the address makes it immutable: a changed photo gets a new address.
    return url_for(endpoint, photo_id=photo_id, variant=variant, v=digest[:16], **values)  # type: ignore[arg-type]


def attach_photos(recipes: Iterable[Recipe], endpoint: str = "photos.serve", **values: str) -> None:
    """Fill each recipe's `photos` (cover first) with one query."""
    recipes = list(recipes)
    found = photos_of((r.id for r in recipes), endpoint, **values)
    for recipe in recipes:
        recipe.photos = found[recipe.id]


def photos_of(
    recipe_ids: Iterable[int], endpoint: str = "photos.serve", **values: str
) -> dict[int, list[PhotoOut]]:
    """Each recipe's photos (cover first), with one query."""
    found = storage.photos_for(get_db(), recipe_ids)
    return {rid: [photo_out(i, endpoint, **values) for i in infos] for rid, infos in found.items()}


def send_blob(blob: storage.Blob | None) -> Response:
    """The bytes with a strong ETag; cached for a year when asked for by its digest."""
    if blob is None:
        abort(404)
    response = Response(blob.data, mimetype=blob.content_type)
    response.set_etag(blob.digest)
    response.cache_control.private = True
    if request.args.get("v") == blob.digest[:16]:
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get(f"/photos/<int:photo_id>/{VARIANTS}")
@login_required
def serve(photo_id: int, variant: storage.Variant) -> Response:
    return send_blob(storage.read_blob(get_db(), owner_id(), photo_id, variant))


@bp.get(f"/s/<token>/photos/<int:photo_id>/{VARIANTS}")
def shared(token: str, photo_id: int, variant: storage.Variant) -> Response:
    if len(token) > 100:
        abort(404)
    return send_blob(storage.read_shared_blob(get_db(), token, photo_id, variant))


# --- managing from the recipe form ---------------------------------------------------------


def read_uploads(files: list[FileStorage]) -> list[Processed]:
    """Process every chosen file; the first that is not a usable photo refuses them all."""
    processed: list[Processed] = []
    for upload in files[: MAX_FILES + 1]:
        if len(processed) == MAX_FILES:
            raise PhotoRejected(f"Choose at most {MAX_FILES} photos at a time.")
        data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
        try:
            processed.append(process(data))
        except PhotoRejected as error:
            name = upload.filename or "the file"
            raise PhotoRejected(f"{name}: {error}") from None
    return processed


def chosen_files(field: str = "file") -> list[FileStorage]:
    return [f for f in request.files.getlist(field) if f and f.filename]


def save_uploads(recipe_id: int, photos: list[Processed]) -> list[storage.PhotoInfo]:
    saved = []
    for photo in photos:
        info = storage.add_photo(get_db(), owner_id(), recipe_id, photo)
        if info is None:
            abort(404)
        saved.append(info)
    return saved


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _back(recipe_id: int) -> Response:
    return redirect(url_for("recipes.edit", recipe_id=recipe_id) + "#photos")


def _checked_form(recipe_id: int) -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if storage.get_recipe_owner(get_db(), recipe_id) != owner_id():
        abort(404)
    require_writer()  # viewers see photos but do not change them


@bp.post("/recipes/<int:recipe_id>/photos")
@login_required
def upload(recipe_id: int) -> Response | tuple[Response, int]:
    _checked_form(recipe_id)
    files = chosen_files()
    try:
        if not files:
            raise PhotoRejected("Choose a photo to upload.")
        saved = save_uploads(recipe_id, read_uploads(files))
    except PhotoRejected as error:
        if _wants_json():
            return jsonify(error=str(error)), 422
        flash(str(error), "error")
        return _back(recipe_id)
    if _wants_json():
        return jsonify(photos=[photo_out(i).model_dump() for i in saved]), 201
    flash("Photo added." if len(saved) == 1 else f"{len(saved)} photos added.", "success")
    return _back(recipe_id)


@bp.post("/recipes/<int:recipe_id>/photos/<int:photo_id>/delete")
@login_required
def delete(recipe_id: int, photo_id: int) -> Response:
    _checked_form(recipe_id)
    if not storage.delete_photo(get_db(), owner_id(), recipe_id, photo_id):
        abort(404)
    flash("Photo deleted.", "info")
    return _back(recipe_id)


@bp.post("/recipes/<int:recipe_id>/photos/<int:photo_id>/move")
@login_required
def move(recipe_id: int, photo_id: int) -> Response:
    """`to`: "cover", "earlier" or "later"."""
    _checked_form(recipe_id)
    order = [p.id for p in storage.list_photos(get_db(), recipe_id)]
    if photo_id not in order:
        abort(404)
    index = order.index(photo_id)
    target = {"cover": 0, "earlier": index - 1, "later": index + 1}.get(request.form.get("to", ""))
    if target is None:
        abort(400)
    order.insert(max(0, min(target, len(order) - 1)), order.pop(index))
    storage.arrange(get_db(), owner_id(), recipe_id, order)
    return _back(recipe_id)
