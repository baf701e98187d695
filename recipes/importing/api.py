"""`POST /api/v1/recipes/import`: {"url"} fetches the page, {"url", "html"} does not.

201 + the recipe; 409 when the source URL is already in the collection (send
"on_duplicate": "update" to refresh it: 200); 422 when no recipe is found or the input
is wrong; 502 when the fetch failed. Every error carries the reason.
"""

from __future__ import annotations

from flask import jsonify, url_for
from werkzeug.wrappers import Response

from recipes import sharing, store
from recipes.api import ApiError, api_user, json_body, validate
from recipes.api.auth import api_blueprint
from recipes.api.routes import PHOTO_ENDPOINT
from recipes.api.schemas import ImportRequest
from recipes.db import get_db
from recipes.importing.entry import Imported
from recipes.importing.errors import BadUrl, FetchFailed, FetchRefused, ImportFailed
from recipes.importing.photos import download_cover
from recipes.importing.saving import find_duplicate, recipe_from_web, save_one
from recipes.importing.views import allow_private
from recipes.photos.views import attach_photos

bp = api_blueprint("import_api", __name__)


@bp.post("/recipes/import")
def import_recipe() -> Response:
    body = validate(ImportRequest, json_body(), strict=True)
    url, html, on_duplicate = body.url.strip(), body.html, body.on_duplicate
    if not url:
        raise ApiError(422, "Send the page's address.", fields={"url": "required"})
    try:
        recipe = recipe_from_web(url, html, allow_private=allow_private())
    except BadUrl as error:
        raise ApiError(422, str(error), reason=error.kind, fields={"url": str(error)}) from None
    except FetchRefused as error:
        raise ApiError(502, str(error), reason=error.kind, upstream_status=error.status) from None
    except FetchFailed as error:
        raise ApiError(502, str(error), reason=error.kind) from None
    except ImportFailed as error:
        raise ApiError(422, str(error), reason=error.kind) from None
    db, user = get_db(), api_user()
    item = Imported(recipe)
    download_cover(item, allow_private())  # kept as the cover when it can be; never fatal
    existing = find_duplicate(db, user.id, item)
    if existing is not None and on_duplicate != "update":
        raise ApiError(
            409,
            'This recipe is already in your collection; send "on_duplicate": "update" '
            "to refresh it from the page.",
            reason="duplicate",
            recipe_id=existing,
            location=url_for("api.get", recipe_id=existing),
        )
    outcome = save_one(db, user.id, item, on_duplicate="update")
    saved = store.get_recipe(db, user.id, outcome.recipe_id or 0)
    assert saved is not None
    attach_photos([saved], PHOTO_ENDPOINT)
    response = jsonify(sharing.with_share_url(saved).model_dump(mode="json"))
    response.status_code = 200 if outcome.status == "updated" else 201
    response.headers["Location"] = url_for("api.get", recipe_id=saved.id)
    return response
