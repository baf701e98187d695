"""Read-only public links to one recipe."""

from __future__ import annotations

import json
import re
import secrets
from urllib.parse import urljoin

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from recipes import store
from recipes.cooking.page import scale_context
from recipes.db import get_db
from recipes.forms import ConfirmForm
from recipes.households import current_household_id, require_writer
from recipes.jsonld import recipe_jsonld
from recipes.models import Recipe
from recipes.photos.views import attach_photos

bp = Blueprint("sharing", __name__)
TOKEN_BYTES = 24
REVOKED_MESSAGE = "This link was turned off by its owner."
# A shared page's path, as it appears in a request line, a URL or a Referer.
_SHARED_PATH = re.compile(r"/s/[^\s/?#\"']+")


def redact_share_tokens(text: str) -> str:
    """`text` with every share link's token replaced by "…": logs must not hold the keys."""
    return _SHARED_PATH.sub("/s/…", text)


def public_url(token: str) -> str:
    return url_for("sharing.shared", token=token, _external=True)


def with_share_url(recipe: Recipe) -> Recipe:
    """The recipe with the address of its public link, if it has one (views and the API
    build it here; the store only knows the token)."""
    recipe.share_url = public_url(recipe.share_token) if recipe.share_token else None
    return recipe


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def share(household_id: int, recipe_id: int) -> str | None:
    """Create the recipe's link if it has none; the link's token, or None if not owned."""
    db = get_db()
    token = store.get_share_token(db, household_id, recipe_id)
    if token:
        return token
    token = new_token()
    return token if store.set_share_token(db, household_id, recipe_id, token) else None


def unshare(household_id: int, recipe_id: int) -> bool:
    db = get_db()
    token = store.get_share_token(db, household_id, recipe_id)
    if token:
        store.record_revoked_share(db, token)
    return store.set_share_token(db, household_id, recipe_id, None)


@bp.route("/recipes/<int:recipe_id>/share", methods=["GET", "POST"])
@login_required
def manage(recipe_id: int) -> str | Response:
    recipe = store.get_recipe(get_db(), current_household_id(), recipe_id)
    if recipe is None:
        abort(404)
    recipe = with_share_url(recipe)
    form = ConfirmForm()
    if form.validate_on_submit():
        require_writer()
        share(current_household_id(), recipe_id)
        flash("Anyone with the link can now view this recipe.", "success")
        return redirect(url_for("sharing.manage", recipe_id=recipe_id))
    return render_template("share.html", recipe=recipe, form=form)


@bp.route("/recipes/<int:recipe_id>/unshare", methods=["POST"])
@login_required
def revoke(recipe_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    require_writer()
    if not unshare(current_household_id(), recipe_id):
        abort(404)
    flash("The link is revoked: it no longer works.", "info")
    return redirect(url_for("sharing.manage", recipe_id=recipe_id))


@bp.route("/s/<token>")
def shared(token: str) -> str:
    if len(token) > 100:
        abort(404)
    db = get_db()
    recipe = store.get_shared_recipe(db, token)
    if recipe is None:
        if store.share_was_revoked(db, token):
            abort(410, description=REVOKED_MESSAGE)
        abort(404)
    attach_photos([recipe], "photos.shared", token=token)
    context = scale_context(recipe)  # a reader may cook it at another size, or in grams
    if request.args.get("partial"):
        return render_template("_recipe_body.html", **context)
    jsonld = json.dumps(recipe_jsonld(recipe), ensure_ascii=False)
    return render_template(
        "shared.html",
        jsonld=jsonld,
        summary=link_preview_text(recipe),
        og_image=_preview_image(recipe),
        **context,
    )


def _preview_image(recipe: Recipe) -> str | None:
    """The stored cover (through the link), else the recipe's image address."""
    if recipe.photos:
        return urljoin(request.host_url, recipe.photos[0].url)
    return recipe.image_url if recipe.image_url.startswith(("https://", "http://")) else None


def link_preview_text(recipe: Recipe) -> str:
    """The line a chat app shows under a pasted link: the description, else what it takes."""
    if recipe.description:
        return " ".join(recipe.description.split())[:200]
    lines = [line for group in recipe.ingredient_groups for line in group.ingredients]
    parts = [f"{len(lines)} ingredient{'s' if len(lines) != 1 else ''}"] if lines else []
    if recipe.total_time:
        parts.append(f"ready in {recipe.total_time} min")
    return "A recipe" + (": " + ", ".join(parts) if parts else "") + "."
