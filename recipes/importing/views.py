"""Blueprint `importer`: the /import page (URL, pasted or uploaded HTML, bookmarklet,
bulk files with a progress page and report), exports, and each recipe's JSON-LD."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from recipes import store
from recipes.db import get_db
from recipes.importing import jobs, photos, stash
from recipes.importing.entry import Imported, Photo
from recipes.importing.errors import FetchFailed, ImportFailed
from recipes.importing.export import write_export
from recipes.importing.fetch import MAX_BYTES as MAX_FETCH_BYTES
from recipes.importing.files import decode
from recipes.importing.paprika import write_paprika
from recipes.importing.saving import find_duplicate, recipe_from_web, save_one
from recipes.jsonld import recipe_jsonld as jsonld_for
from recipes.models import Recipe, RecipeIn

bp = Blueprint("importer", __name__, template_folder="templates")

BOOKMARKLET = (
    "javascript:(function(){{var f=document.createElement('form');f.method='post';"
    "f.action='{action}';f.acceptCharset='utf-8';f.target='_blank';"
    "[['url',location.href],['html',document.documentElement.outerHTML]].forEach("
    "function(p){{var t=document.createElement('textarea');t.name=p[0];t.value=p[1];"
    "f.appendChild(t)}});f.style.display='none';document.body.appendChild(f);f.submit();"
    "f.remove()}})();"
)


class UrlForm(FlaskForm):
    url = StringField("Recipe address", validators=[DataRequired(), Length(max=2000)])


class HtmlForm(FlaskForm):
    # Own ids: the URL form on the same page has a field named "url" too.
    url = StringField(
        "The page's address", id="page-url", validators=[DataRequired(), Length(max=2000)]
    )
    html = TextAreaField("The page's HTML", id="page-html", validators=[Optional()])
    html_file = FileField("…or a saved page (.html)", id="page-file")


class FileForm(FlaskForm):
    file = FileField("File to import")


class SaveForm(FlaskForm):
    action = HiddenField()


def allow_private() -> bool:
    """IMPORT_ALLOW_PRIVATE: off on the home server, on in the desktop app."""
    return bool(current_app.config.get("IMPORT_ALLOW_PRIVATE"))


def _page(status: int = 200, **forms: Any) -> tuple[str, int]:
    context = {
        "url_form": forms.get("url_form") or UrlForm(),
        "html_form": forms.get("html_form") or HtmlForm(),
        "file_form": forms.get("file_form") or FileForm(),
        "bookmarklet": BOOKMARKLET.format(
            action=url_for("importer.bookmarklet", _external=True).replace("'", "%27")
        ),
        "error": forms.get("error"),
    }
    return render_template("importing/import.html", **context), status


@bp.get("/import")
@login_required
def page() -> tuple[str, int]:
    return _page()


def _import(url: str, html: str | None) -> Response | tuple[str, int]:
    """Parse, then save or offer the duplicate choice. Failures re-show the page."""
    try:
        recipe = recipe_from_web(url, html, allow_private=allow_private())
    except ImportFailed as error:
        status = 502 if isinstance(error, FetchFailed) else 422
        return _page(status, error=str(error), url_form=UrlForm(url=url))
    return _save_or_ask(Imported(recipe))


def _save_or_ask(item: Imported) -> Response | tuple[str, int]:
    db = get_db()
    existing = find_duplicate(db, current_user.id, item)
    if existing is None:
        outcome = save_one(db, current_user.id, item)
        flash(f"Imported “{item.recipe.title}”.", "success")
        return redirect(url_for("recipes.view", recipe_id=outcome.recipe_id))
    token = stash.put(
        current_app.config["DATA_DIR"],
        {"user_id": current_user.id, "recipe": item.recipe.model_dump(mode="json")},
    )
    recipe = store.get_recipe(db, current_user.id, existing)
    return render_template(
        "importing/duplicate.html", recipe=recipe, new=item.recipe, token=token, form=SaveForm()
    ), 200


@bp.post("/import/url")
@login_required
def from_url() -> Response | tuple[str, int]:
    form = UrlForm()
    if not form.validate_on_submit():
        return _page(422, url_form=form, error="Enter the address of a recipe page.")
    return _import(form.url.data.strip(), None)


@bp.post("/import/html")
@login_required
def from_html() -> Response | tuple[str, int]:
    form = HtmlForm()
    if not form.validate_on_submit():
        return _page(422, html_form=form, error="Give the page's address and its HTML.")
    html = form.html.data or ""
    upload = request.files.get(form.html_file.name)
    if upload and upload.filename:
        raw = upload.read(MAX_FETCH_BYTES + 1)
        if len(raw) > MAX_FETCH_BYTES:
            return _page(413, html_form=form, error="The page is too large to import (over 5 MB).")
        html = decode(raw)
    if not html.strip():
        return _page(422, html_form=form, error="Paste the page's HTML or choose a saved page.")
    return _import(form.url.data.strip(), html)


@bp.post("/import/bookmarklet")
def bookmarklet() -> Response:
    """The bookmarklet's cross-site post. It creates nothing: the page waits in the stash
    until the signed-in user confirms on our own page (which has a CSRF token)."""
    url = (request.form.get("url") or "").strip()[:2000]
    html = request.form.get("html") or ""
    if not url or not html:
        abort(400, "The bookmarklet sends a page's address and HTML.")
    if len(html) > MAX_FETCH_BYTES:
        abort(413, "The page is too large to import (over 5 MB).")
    token = stash.put(current_app.config["DATA_DIR"], {"url": url, "html": html})
    if token is None:
        abort(503, "Too many pages are waiting to be imported; try again in a while.")
    return redirect(url_for("importer.confirm", token=token), 303)


@bp.get("/import/confirm/<token>")
@login_required
def confirm(token: str) -> Response | tuple[str, int]:
    held = stash.get(current_app.config["DATA_DIR"], token)
    if not held or "html" not in held:
        return _page(404, error="That page is no longer waiting; send it again.")
    try:
        recipe = recipe_from_web(held["url"], held["html"])
    except ImportFailed as error:
        stash.drop(current_app.config["DATA_DIR"], token)
        return _page(422, error=str(error))
    return render_template(
        "importing/confirm.html", recipe=recipe, token=token, form=SaveForm()
    ), 200


@bp.post("/import/confirm/<token>")
@login_required
def save_stashed(token: str) -> Response | tuple[str, int]:
    """Save what waits in the stash: a bookmarklet page, or a duplicate to update."""
    form = SaveForm()
    data_dir = current_app.config["DATA_DIR"]
    held = stash.get(data_dir, token)
    if not form.validate_on_submit() or not held:
        return _page(404, error="That import is no longer waiting; start it again.")
    if "recipe" in held:
        if held.get("user_id") != current_user.id:
            abort(404)
        item = Imported(RecipeIn.model_validate(held["recipe"]))
    else:
        try:
            item = Imported(recipe_from_web(held["url"], held["html"]))
        except ImportFailed as error:
            return _page(422, error=str(error))
    if form.action.data == "update":
        outcome = save_one(get_db(), current_user.id, item, on_duplicate="update")
        stash.drop(data_dir, token)
        flash(f"Updated “{item.recipe.title}” from its source.", "success")
        return redirect(url_for("recipes.view", recipe_id=outcome.recipe_id))
    stash.drop(data_dir, token)
    return _save_or_ask(item)


@bp.post("/import/file")
@login_required
def from_file() -> Response | tuple[str, int]:
    form = FileForm()
    upload = request.files.get(form.file.name)
    if not form.validate_on_submit() or not upload or not upload.filename:
        return _page(422, file_form=form, error="Choose a file to import.")
    job_id = jobs.start(
        current_app.config["DATABASE"],
        current_app.config["DATA_DIR"],
        current_user.id,
        upload.stream,
        upload.filename,
        allow_private=allow_private(),
    )
    return redirect(url_for("importer.job", job_id=job_id), 303)


@bp.get("/import/jobs/<job_id>")
@login_required
def job(job_id: str) -> Response:
    state = jobs.read_state(current_app.config["DATA_DIR"], job_id, current_user.id)
    if state is None:
        abort(404)
    if request.args.get("format") == "json":
        return Response(json.dumps(state), mimetype="application/json")
    response = make_response(render_template("importing/job.html", state=state, job_id=job_id))
    if not state["done"]:
        response.headers["Refresh"] = "1"  # progress without any script (CSP)
    return response


# --- export, JSON-LD, photos ------------------------------------------------------------


def user_recipes(user_id: int) -> Iterator[tuple[Recipe, list[Photo]]]:
    """Every recipe of the user with its photos, oldest first, one row at a time."""
    db = get_db()
    rows = db.execute("SELECT * FROM recipes WHERE user_id = ? ORDER BY id", (user_id,))
    yield from photos.with_photos(db, rows)


def _download(writer, filename: str, mimetype: str) -> Response:
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 - send_file closes it
    writer(spool, user_recipes(current_user.id))
    spool.seek(0)
    return send_file(spool, mimetype=mimetype, as_attachment=True, download_name=filename)


@bp.get("/export/recipes.zip")
@login_required
def export_zip() -> Response:
    return _download(write_export, "recipes-export.zip", "application/zip")


@bp.get("/export/recipes.paprikarecipes")
@login_required
def export_paprika() -> Response:
    return _download(write_paprika, "recipes.paprikarecipes", "application/zip")


@bp.get("/recipes/<int:recipe_id>.jsonld", endpoint="recipe_jsonld")
@login_required
def recipe_jsonld_view(recipe_id: int) -> Response:
    recipe = store.get_recipe(get_db(), current_user.id, recipe_id)
    if recipe is None:
        abort(404)
    body = json.dumps(jsonld_for(recipe), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/ld+json")


def init_app(app: Flask) -> None:
    """Register the blueprint, and the API endpoint when the API package is present."""
    app.register_blueprint(bp)
    app.extensions["csrf"].exempt(bookmarklet)
    try:
        from recipes.importing import api
    except ImportError:  # the JSON API is not installed
        return
    app.register_blueprint(api.bp)
