"""Blueprint `importer`: the /import page (URL, pasted or uploaded HTML, bookmarklet,
bulk files with a progress page and report), exports, and each recipe's JSON-LD."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator

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
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from recipes import store
from recipes.db import get_db
from recipes.households import current_household_id, require_writer
from recipes.importing import jobs, photos, slots, stash
from recipes.importing.entry import Imported, Photo
from recipes.importing.errors import FetchFailed, ImportFailed
from recipes.importing.export import write_export
from recipes.importing.fetch import MAX_BYTES as MAX_FETCH_BYTES
from recipes.importing.files import FILE_HELP, decode
from recipes.importing.paprika import write_paprika
from recipes.importing.saving import (
    find_duplicate,
    recipe_from_pasted,
    recipe_from_web,
    save_one,
)
from recipes.importing.slots import Busy, fetch_slot
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


class ImportForm(FlaskForm):
    """The one import form: an address, a pasted page, or a file (one of them)."""

    url = StringField(
        "Recipe address",
        validators=[Optional(), Length(max=2000)],
        description="The address of a recipe page, e.g. https://example.com/best-scones",
    )
    html = TextAreaField(
        "…or paste the page's HTML",
        validators=[Optional()],
        description="For a site that refuses our server: open the page, view its source, "
        "copy it all and paste it here. The address above is then optional: the page's "
        "own canonical link stands in for it.",
    )
    file = FileField("…or choose a file", description=FILE_HELP)


class SaveForm(FlaskForm):
    action = HiddenField()


@bp.before_request
def _writers_only() -> None:
    """Importing adds recipes: a household's viewers may look at the page, not import."""
    if request.method == "POST" and current_user.is_authenticated:
        require_writer()


def allow_private() -> bool:
    """IMPORT_ALLOW_PRIVATE: off on the home server, on in the desktop app."""
    return bool(current_app.config.get("IMPORT_ALLOW_PRIVATE"))


def _page(status: int = 200, form: ImportForm | None = None, error: str | None = None):
    context = {
        "form": form or ImportForm(),
        "bookmarklet": BOOKMARKLET.format(
            action=url_for("importer.bookmarklet", _external=True).replace("'", "%27")
        ),
        "error": error,
        "max_mb": MAX_FETCH_BYTES // (1024 * 1024),
    }
    return render_template("importing/import.html", **context), status


@bp.get("/import")
@login_required
def page() -> tuple[str, int]:
    return _page()


def _failure_status(error: ImportFailed) -> int:
    if isinstance(error, Busy):
        return 429 if error.per_user else 503
    return 502 if isinstance(error, FetchFailed) else 422


def _import_address(form: ImportForm, url: str) -> Response | tuple[str, int]:
    """Fetch the page (holding one of the user's fetch slots), parse, save or ask."""
    try:
        with fetch_slot(current_user.id):
            recipe = recipe_from_web(url, None, allow_private=allow_private())
    except ImportFailed as error:
        return _page(_failure_status(error), form, str(error))
    return _save_or_ask(Imported(recipe))


def _import_pasted(form: ImportForm, url: str, html: str) -> Response | tuple[str, int]:
    if len(html.encode("utf-8", "surrogatepass")) > MAX_FETCH_BYTES:
        form.html.data = ""  # not sent back: it is what was too large
        return _page(413, form, f"The page is too large to import (over {_mb()} MB).")
    try:
        recipe, where = recipe_from_pasted(html, url)
    except ImportFailed as error:
        return _page(_failure_status(error), form, str(error))
    if where:
        flash(f"The address came from the page's {where}: {recipe.source_url}", "info")
    elif not url:
        flash("The page names no address of its own, so the recipe has no source link.", "info")
    return _save_or_ask(Imported(recipe))


def _with_cover(item: Imported) -> Imported:
    """The item with its image downloaded as the cover when it can be (never fatal)."""
    problem = cover_photo(item, current_user.id)
    if problem:
        flash(problem, "info")
    return item


def cover_photo(item: Imported, user_id: int) -> str | None:
    """Download the page's image as the cover, holding one of the user's fetch slots like
    any fetch; with none free, the recipe just links to its image. Why it could not be
    kept, or None."""
    if not item.recipe.image_url or item.photo is not None:
        return None
    if not slots.fetches.acquire(user_id):
        return None
    try:
        return photos.download_cover(item, allow_private())
    finally:
        slots.fetches.release(user_id)


def _mb() -> int:
    return MAX_FETCH_BYTES // (1024 * 1024)


def _save_or_ask(item: Imported) -> Response | tuple[str, int]:
    db = get_db()
    existing = find_duplicate(db, current_household_id(), item)
    if existing is None:
        outcome = save_one(db, current_household_id(), _with_cover(item), by=current_user.id)
        flash(f"Imported “{item.recipe.title}”.", "success")
        return redirect(url_for("recipes.view", recipe_id=outcome.recipe_id))
    try:
        token = stash.put(
            current_app.config["DATA_DIR"],
            {
                "user_id": current_user.id,
                "recipe": item.recipe.model_dump(mode="json", exclude={"ingredients"}),
            },  # one ingredient shape
            owner=f"user:{current_user.id}",
        )
    except stash.StashFull:
        token = None  # the page then offers only to open the existing recipe
    recipe = store.get_recipe(db, current_household_id(), existing)
    return render_template(
        "importing/duplicate.html", recipe=recipe, new=item.recipe, token=token, form=SaveForm()
    ), 200


def _uploaded_page(form: ImportForm, bulk_only: bool) -> tuple[FileStorage | None, str | None]:
    """(a bulk file, the HTML of a single saved page): at most one of them."""
    upload = request.files.get(form.file.name) or request.files.get("html_file")
    if not upload or not upload.filename:
        return None, None
    is_page = upload.filename.lower().endswith((".html", ".htm")) or upload.name == "html_file"
    if bulk_only or not is_page:
        return upload, None
    # One byte over the cap is enough for _import_pasted to refuse it as too large.
    return None, decode(upload.read(MAX_FETCH_BYTES + 1))


@bp.post("/import")
@login_required
def start() -> Response | tuple[str, int]:
    """The import form: a file (bulk, in the background; a saved .html page is read as
    one page), else pasted HTML (with or without its address), else the address to fetch.
    The older addresses /import/url and /import/html post the same fields."""
    return _start(bulk_only=False)


@bp.post("/import/file")
@login_required
def from_file() -> Response | tuple[str, int]:
    """The older file address: every file is a bulk import, as it always was."""
    return _start(bulk_only=True)


def _start(bulk_only: bool) -> Response | tuple[str, int]:
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(422, form, "Check the address: it is too long.")
    url = (form.url.data or "").strip()
    bulk, saved_page = _uploaded_page(form, bulk_only)
    if bulk is not None:
        job_id = jobs.start(
            current_app.config["DATABASE"],
            current_app.config["DATA_DIR"],
            current_user.id,
            bulk.stream,
            bulk.filename or "upload",
            allow_private=allow_private(),
            household_id=current_household_id(),
        )
        return redirect(url_for("importer.job", job_id=job_id), 303)
    html = saved_page if saved_page is not None else (form.html.data or "")
    if html.strip():
        return _import_pasted(form, url, html)
    if url:
        return _import_address(form, url)
    return _page(422, form, "Give a recipe's address, paste its page, or choose a file.")


# The older per-way addresses post the same fields.
for _path, _name in (("/import/url", "from_url"), ("/import/html", "from_html")):
    bp.add_url_rule(_path, _name, start, methods=["POST"])


@bp.post("/import/bookmarklet")
def bookmarklet() -> Response:
    """The bookmarklet's cross-site post. It creates nothing: the page waits in the stash
    until the signed-in user confirms on our own page (which has a CSRF token). Each
    sending address has its own share of the stash."""
    url = (request.form.get("url") or "").strip()[:2000]
    html = request.form.get("html") or ""
    if not url or not html:
        abort(400, "The bookmarklet sends a page's address and HTML.")
    if len(html) > MAX_FETCH_BYTES:
        abort(413, f"The page is too large to import (over {_mb()} MB).")
    try:
        token = stash.put(
            current_app.config["DATA_DIR"],
            {"url": url, "html": html},
            owner=f"address:{request.remote_addr}",
        )
    except stash.StashFull as full:
        abort(429 if full.per_owner else 503, str(full)[:1].upper() + str(full)[1:] + ".")
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
        outcome = save_one(
            get_db(), current_household_id(), item, on_duplicate="update", by=current_user.id
        )
        stash.drop(data_dir, token)
        flash(f"Updated “{item.recipe.title}” from its source.", "success")
        return redirect(url_for("recipes.view", recipe_id=outcome.recipe_id))
    stash.drop(data_dir, token)
    return _save_or_ask(item)


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


def household_recipes(household_id: int) -> Iterator[tuple[Recipe, list[Photo]]]:
    """Every recipe of the household with its photos, oldest first, one row at a time."""
    db = get_db()
    yield from photos.with_photos(db, store.household_rows(db, household_id))


def _download(writer, filename: str, mimetype: str) -> Response:
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 - send_file closes it
    writer(spool, household_recipes(current_household_id()))
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
    recipe = store.get_recipe(get_db(), current_household_id(), recipe_id)
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
