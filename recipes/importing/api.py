"""`POST /api/v1/recipes/import`: {"url"} fetches the page, {"url", "html"} does not;
{"html"} alone takes the address from the page's canonical link or og:url.

201 + the recipe; 409 when the source URL is already in the collection (send
"on_duplicate": "update" to refresh it: 200); 413 when the HTML is over 5 MB; 422 when
no recipe is found or the input is wrong; 429/503 when too many imports are fetching
(the user's own two, or the server's); 502 when the fetch failed. Every error carries
the reason.
"""

from __future__ import annotations

from flask import url_for
from werkzeug.wrappers import Response

from recipes import sharing, store
from recipes.api import ApiError, api_user, json_body
from recipes.api.auth import api_blueprint
from recipes.api.payload import validate
from recipes.api.responses import json_response
from recipes.api.routes import PHOTO_ENDPOINT
from recipes.api.schemas import ImportedRecipe, ImportRequest
from recipes.db import get_db
from recipes.households import require_writer
from recipes.importing.entry import Imported
from recipes.importing.errors import BadUrl, FetchFailed, FetchRefused, ImportFailed
from recipes.importing.fetch import MAX_BYTES
from recipes.importing.saving import find_duplicate, recipe_from_pasted, recipe_from_web, save_one
from recipes.importing.slots import Busy, fetch_slot
from recipes.importing.views import allow_private, cover_photo
from recipes.photos.views import attach_photos

bp = api_blueprint("import_api", __name__)


def _body() -> tuple[str, str | None, str]:
    body = validate(ImportRequest, json_body(), strict=True)
    if body.html is not None and len(body.html.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ApiError(
            413,
            f"The page is too large to import (over {MAX_BYTES // (1024 * 1024)} MB).",
            reason="too_large",
        )
    return (body.url or "").strip(), body.html, body.on_duplicate


@bp.post("/recipes/import")
def import_recipe() -> Response:
    require_writer()
    url, html, on_duplicate = _body()
    db, user = get_db(), api_user()
    try:
        if html is not None:
            recipe, _ = recipe_from_pasted(html, url)
        else:
            with fetch_slot(user.id):
                recipe = recipe_from_web(url, None, allow_private=allow_private())
    except Busy as error:
        status = 429 if error.per_user else 503
        raise ApiError(status, str(error), reason=error.kind, retry_after=5) from None
    except BadUrl as error:
        raise ApiError(422, str(error), reason=error.kind, fields={"url": str(error)}) from None
    except FetchRefused as error:
        raise ApiError(502, str(error), reason=error.kind, upstream_status=error.status) from None
    except FetchFailed as error:
        raise ApiError(502, str(error), reason=error.kind) from None
    except ImportFailed as error:
        raise ApiError(422, str(error), reason=error.kind) from None
    item = Imported(recipe)
    existing = find_duplicate(db, user.household_id, item)
    if existing is not None and on_duplicate != "update":
        raise ApiError(
            409,
            'This recipe is already in your collection; send "on_duplicate": "update" '
            "to refresh it from the page.",
            reason="duplicate",
            recipe_id=existing,
            location=url_for("api.get", recipe_id=existing),
        )
    photo_problem = cover_photo(item, user.id)  # kept as the cover if it can be; never fatal
    outcome = save_one(db, user.household_id, item, on_duplicate="update", by=user.id)
    saved = store.get_recipe(db, user.household_id, outcome.recipe_id or 0)
    assert saved is not None
    attach_photos([saved], PHOTO_ENDPOINT)
    shown = ImportedRecipe.model_construct(
        **dict(sharing.with_share_url(saved)), photo_problem=photo_problem
    )
    response = json_response(shown, 200 if outcome.status == "updated" else 201)
    response.headers["Location"] = url_for("api.get", recipe_id=saved.id)
    return response
