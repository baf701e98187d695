"""Import and export through the web app, the API and the CLI, on a real SQLite file."""

from __future__ import annotations

import base64
import gzip
import io
import json
import sqlite3
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import html as lxml_html

from recipes import create_app
from recipes.importing.files import read_file
from tests.conftest import csrf_token

FIXTURES = Path(__file__).parent / "fixtures" / "import"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


@pytest.fixture
def ann(client, auth):
    assert auth.register().status_code == 302
    return client


def count(app) -> int:
    db = sqlite3.connect(app.config["DATABASE"])
    try:
        return db.execute("SELECT count(*) FROM recipes").fetchone()[0]
    finally:
        db.close()


def import_html(client, name: str, url: str = "https://example.com/lemon-cake"):
    return client.post("/import/html", data={"url": url, "html": fixture(name)})


class PageHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        path = self.path.split("?", 1)[0]
        if path == "/cake":
            body, status = fixture("jsonld_graph.html").encode(), 200
        elif path == "/empty":
            body, status = fixture("no_recipe.html").encode(), 200
        else:
            body, status = b"no", 403
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), PageHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# --- the import page ------------------------------------------------------------------


def test_import_page_has_one_form_for_every_way_in(ann):
    page = ann.get("/import").get_data(as_text=True)
    doc = lxml_html.fromstring(page)
    forms = doc.xpath("//form[@method='post'][.//button[normalize-space()='Import']]")
    assert len(forms) == 1 and forms[0].get("action") == "/import"
    assert {el.get("name") for el in forms[0].xpath(".//input|.//textarea")} >= {
        "url",
        "html",
        "file",
    }
    assert "javascript:" in page and "/import/bookmarklet" in page
    assert "/export/recipes.zip" in page and "/export/recipes.paprikarecipes" in page


def test_import_needs_login(client):
    assert client.get("/import").status_code in (302, 401)


def test_pasted_html_imports_field_by_field(app, ann):
    response = import_html(ann, "jsonld_graph.html")
    assert response.status_code == 302
    page = ann.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lemon Drizzle Cake" in page and "For the cake" in page
    data = ann.get(response.headers["Location"].rstrip("/") + ".jsonld")
    assert data.mimetype == "application/ld+json"
    recipe = json.loads(data.get_data(as_text=True))
    assert recipe["name"] == "Lemon Drizzle Cake"
    assert recipe["recipeIngredient"][-1] == "juice of 1½ lemons"
    assert recipe["totalTime"] == "PT1H"


def test_hostile_page_never_runs_script_on_our_pages(ann):
    response = import_html(ann, "hostile.html", "https://evil.example/cake")
    assert response.status_code == 302
    recipe_url = response.headers["Location"]
    for url in (recipe_url, "/", "/search?q=cake", recipe_url + ".jsonld"):
        body = ann.get(url).get_data(as_text=True)
        assert "alert(" not in body, url
        if not url.endswith(".jsonld"):
            _assert_inert(body, url)


def _assert_inert(body: str, where: str) -> None:
    """No script of the page's but our own files and JSON-LD; no event handlers; no
    javascript: links."""
    root = lxml_html.document_fromstring(body)
    for script in root.iter("script"):
        src, kind = script.get("src"), script.get("type")
        assert (src and src.startswith("/static/")) or kind == "application/ld+json", where
        if kind == "application/ld+json":
            json.loads(script.text)  # nothing broke out of the JSON
    for element in root.iter():
        if isinstance(element.tag, str):
            assert not [a for a in element.attrib if a.lower().startswith("on")], where
            for attr in ("href", "src", "action"):
                assert not (element.get(attr) or "").lower().startswith("javascript:"), where


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)></script><a href=javascript:x>"


def test_text_that_looks_like_markup_is_shown_not_run(app, ann):
    """Paprika text is plain text, so markup in it survives the import verbatim; our
    pages must show it as text."""
    lines = f"1 egg {HOSTILE}\nFor {HOSTILE}:\n2 eggs"
    data = {"name": "Cake " + HOSTILE, "ingredients": lines,
            "directions": HOSTILE, "notes": HOSTILE, "description": HOSTILE, "servings": HOSTILE,
            "categories": [HOSTILE], "nutritional_info": "Fat: " + HOSTILE,
            "source_url": "https://x.example/" + HOSTILE}  # fmt: skip
    upload = io.BytesIO(gzip.compress(json.dumps(data).encode()))
    job = ann.post("/import/file", data={"file": (upload, "evil.paprikarecipe")})
    state = wait_for_job(ann, job.headers["Location"])
    assert state["imported"] == 1, state
    recipe_id = (
        sqlite3.connect(app.config["DATABASE"]).execute("SELECT id FROM recipes").fetchone()[0]
    )
    page = ann.get(f"/recipes/{recipe_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text
    for url in (
        f"/recipes/{recipe_id}",
        "/",
        "/search?q=cake",
        "/import/jobs/" + job.headers["Location"].rsplit("/", 1)[1],
    ):
        _assert_inert(ann.get(url).get_data(as_text=True), url)


def test_no_recipe_says_so_and_saves_nothing(app, ann):
    response = import_html(ann, "no_recipe.html", "https://example.com/about")
    assert response.status_code == 422
    assert "no recipe found" in response.get_data(as_text=True).lower()
    assert count(app) == 0


def test_same_source_twice_offers_open_or_update(app, ann):
    first = import_html(ann, "jsonld_graph.html")
    recipe_path = first.headers["Location"]
    changed = fixture("jsonld_graph.html").replace(
        '"name": "Lemon Drizzle Cake"', '"name": "Lemon Cake v2"'
    )
    second = ann.post(
        "/import/html", data={"url": "https://example.com/lemon-cake", "html": changed}
    )
    page = second.get_data(as_text=True)
    assert second.status_code == 200 and "already have this recipe" in page
    assert f'href="{recipe_path}"' in page
    assert count(app) == 1
    token = page.split("/import/confirm/")[1].split('"')[0]
    updated = ann.post(f"/import/confirm/{token}", data={"action": "update"})
    assert updated.headers["Location"] == recipe_path
    assert "Lemon Cake v2" in ann.get(recipe_path).get_data(as_text=True)
    assert count(app) == 1


def test_url_import_refuses_private_addresses_by_default(app, ann, site):
    response = ann.post("/import/url", data={"url": site + "/cake"})
    assert response.status_code == 502
    assert "private or local address" in response.get_data(as_text=True)
    assert count(app) == 0


def test_url_import_when_private_addresses_are_allowed(app, ann, site):
    app.config["IMPORT_ALLOW_PRIVATE"] = True
    response = ann.post("/import/url", data={"url": site + "/cake?utm_source=x"})
    assert response.status_code == 302
    refused = ann.post("/import/url", data={"url": site + "/forbidden"})
    assert refused.status_code == 502 and "HTTP 403" in refused.get_data(as_text=True)
    db = sqlite3.connect(app.config["DATABASE"])
    assert db.execute("SELECT source_url FROM recipes").fetchone()[0] == site + "/cake"


def test_bookmarklet_post_is_held_until_the_user_confirms(data_dir):
    app = create_app({"DATA_DIR": str(data_dir)})  # CSRF on, as in production
    client = app.test_client()
    token = csrf_token(client.get("/auth/register").get_data(as_text=True))
    client.post("/auth/register", data={
        "username": "ann", "password": "correct horse 1", "confirm": "correct horse 1",
        "csrf_token": token})  # fmt: skip
    # A cross-site form post carries no CSRF token (and, SameSite=Lax, no session).
    anonymous = app.test_client()
    held = anonymous.post("/import/bookmarklet", data={
        "url": "https://example.com/tikka", "html": fixture("wprm.html")})  # fmt: skip
    assert held.status_code == 303
    assert count(app) == 0  # nothing is created by the cross-site post
    page = client.get(held.headers["Location"])
    assert page.status_code == 200 and "Chicken Tikka Masala" in page.get_data(as_text=True)
    form_token = csrf_token(page.get_data(as_text=True))
    assert client.post(held.headers["Location"], data={"action": "save"}).status_code == 400
    saved = client.post(held.headers["Location"], data={"action": "save", "csrf_token": form_token})
    assert saved.status_code == 302 and count(app) == 1


# --- bulk files -------------------------------------------------------------------------


def paprika_upload() -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(30):
            data = {"name": f"Recipe {n}", "ingredients": "1 egg", "directions": "Cook.",
                    "source_url": f"https://p.example/{n % 25}",
                    "photo_data": base64.b64encode(PNG).decode() if n == 0 else None}  # fmt: skip
            archive.writestr(f"r{n}.paprikarecipe", gzip.compress(json.dumps(data).encode()))
        archive.writestr("bad.paprikarecipe", b"not gzip")
    buffer.seek(0)
    return buffer


def wait_for_job(client, location: str) -> dict:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        state = client.get(location + "?format=json").get_json()
        if state["done"]:
            return state
        time.sleep(0.1)
    raise AssertionError("the import job did not finish")


def test_bulk_file_import_reports_imported_duplicates_and_failures(app, ann):
    response = ann.post(
        "/import/file", data={"file": (paprika_upload(), "My Recipes.paprikarecipes")}
    )
    assert response.status_code == 303
    state = wait_for_job(ann, response.headers["Location"])
    assert (state["imported"], state["duplicates"], state["failed"]) == (25, 5, 1)
    assert state["total"] == 31 and state["processed"] == 31
    assert "unreadable" in state["failed_list"][0]["reason"]
    page = ann.get(response.headers["Location"])
    assert "Refresh" not in page.headers and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "25</strong> imported" in text and "bad.paprikarecipe" in text
    db = sqlite3.connect(app.config["DATABASE"])
    first = db.execute("SELECT id FROM recipes WHERE title = 'Recipe 0'").fetchone()[0]
    # The Paprika photo is kept (processed like an upload: a WebP of the same 1 x 1 pixel).
    (photo_id,) = db.execute(
        "SELECT id FROM recipe_photos WHERE recipe_id = ?", (first,)
    ).fetchone()
    assert f"/photos/{photo_id}/display" in ann.get(f"/recipes/{first}").get_data(as_text=True)
    photo = ann.get(f"/photos/{photo_id}/display")
    assert photo.status_code == 200 and photo.mimetype == "image/webp"
    assert db.execute("SELECT count(*) FROM recipe_photos").fetchone()[0] == 1


def test_bulk_list_of_addresses(app, ann, site):
    app.config["IMPORT_ALLOW_PRIVATE"] = True
    listing = f"# my bookmarks\n{site}/cake\n{site}/gone\n{site}/empty\n{site}/cake\n"
    response = ann.post("/import/file", data={"file": (io.BytesIO(listing.encode()), "links.txt")})
    state = wait_for_job(ann, response.headers["Location"])
    assert (state["total"], state["imported"], state["failed"]) == (3, 1, 2)
    reasons = {item["name"]: item["reason"] for item in state["failed_list"]}
    assert "HTTP 403" in reasons[f"{site}/gone"]
    assert "no recipe found" in reasons[f"{site}/empty"]


def test_a_running_job_page_refreshes_itself(app, ann, monkeypatch):
    from recipes.importing import jobs

    jobs.write_state(app.config["DATA_DIR"], "x" * 20, {"user_id": 1, "filename": "f", "total": 9,
                     "processed": 3, "done": False})  # fmt: skip
    page = ann.get("/import/jobs/" + "x" * 20)
    assert page.headers["Refresh"] == "1"
    assert "3 of 9" in page.get_data(as_text=True)


def test_other_users_cannot_see_a_job(app, client, auth):
    from recipes.importing import jobs

    jobs.write_state(app.config["DATA_DIR"], "y" * 20, {"user_id": 99, "done": True})
    auth.register()
    assert client.get("/import/jobs/" + "y" * 20).status_code == 404


# --- exports ----------------------------------------------------------------------------


def test_exports_download_and_reimport(app, ann):
    import_html(ann, "jsonld_graph.html")
    import_html(ann, "wprm.html", "https://example.com/tikka")
    ours = ann.get("/export/recipes.zip")
    assert ours.status_code == 200 and ours.mimetype == "application/zip"
    assert "attachment" in ours.headers["Content-Disposition"]
    entries = list(read_file(io.BytesIO(ours.data)))
    assert sorted(e.item.recipe.title for e in entries) == [
        "Chicken Tikka Masala",
        "Lemon Drizzle Cake",
    ]
    tikka = next(e.item.recipe for e in entries if e.item.recipe.title.startswith("Chicken"))
    assert [g.title for g in tikka.ingredient_groups] == ["Marinade", "Sauce"]
    paprika = ann.get("/export/recipes.paprikarecipes")
    entries = list(read_file(io.BytesIO(paprika.data)))
    assert len(entries) == 2 and all(e.ok for e in entries)
    # Re-importing our own export into the same account creates no duplicates.
    again = ann.post("/import/file", data={"file": (io.BytesIO(ours.data), "recipes.zip")})
    state = wait_for_job(ann, again.headers["Location"])
    assert (state["imported"], state["duplicates"]) == (0, 2)


def test_json_ld_is_private_to_the_owner(app, ann, client, auth):
    location = import_html(ann, "jsonld_graph.html").headers["Location"]
    auth.logout()
    auth.register("bob")
    assert client.get(location + ".jsonld").status_code == 404


# --- API --------------------------------------------------------------------------------


def test_api_import_from_html(app, ann):
    body = {"url": "https://example.com/lemon-cake", "html": fixture("jsonld_graph.html")}
    created = ann.post("/api/v1/recipes/import", json=body)
    assert created.status_code == 201, created.data
    recipe = created.get_json()
    assert recipe["title"] == "Lemon Drizzle Cake" and recipe["total_time"] == 60
    assert created.headers["Location"].endswith(f"/api/v1/recipes/{recipe['id']}")
    again = ann.post("/api/v1/recipes/import", json=body)
    assert again.status_code == 409 and again.get_json()["error"]["recipe_id"] == recipe["id"]
    updated = ann.post("/api/v1/recipes/import", json={**body, "on_duplicate": "update"})
    assert updated.status_code == 200 and updated.get_json()["id"] == recipe["id"]
    assert count(app) == 1


def test_api_takes_an_address_as_a_browser_address_bar_does(ann):
    """ "example.com/x" is https://example.com/x; a bare path names no site, so the page's
    own canonical link stands in for it, or no address when the page names none."""
    post = lambda url, name: ann.post(  # noqa: E731
        "/api/v1/recipes/import", json={"url": url, "html": fixture(name)}
    )
    bare = post("example.com/lemon-cake", "jsonld_graph.html")
    assert bare.status_code == 201, bare.data
    assert bare.get_json()["source_url"] == "https://example.com/lemon-cake"
    path = post("/birthday-cake-cookies", "site_tasty.html")
    assert path.status_code == 201, path.data
    expected = "https://sallysbakingaddiction.com/birthday-cake-cookies/"
    assert path.get_json()["source_url"] == expected
    unnamed = post("/recipes/rolls", "microdata.html")
    assert unnamed.status_code == 201 and unnamed.get_json()["source_url"] == ""
    for bad in ("javascript:alert(1)", "ftp://example.com/x", "a recipe I liked"):
        assert post(bad, "tasty.html").status_code == 422, bad


def test_one_address_can_hold_several_recipes(app, ann):
    """The same address with another title and other ingredients (a site's front page,
    a menu) is another recipe; with the same title or ingredients it is a duplicate."""
    cake = fixture("jsonld_graph.html")
    body = {"url": "https://example.com/", "html": cake}
    assert ann.post("/api/v1/recipes/import", json=body).status_code == 201
    other = {"url": "https://example.com/", "html": fixture("tasty.html")}
    assert ann.post("/api/v1/recipes/import", json=other).status_code == 201
    renamed = cake.replace('"name": "Lemon Drizzle Cake"', '"name": "Lemon Cake v2"')
    again = ann.post("/api/v1/recipes/import", json={**body, "html": renamed})
    assert again.status_code == 409
    assert count(app) == 2


def test_api_no_recipe_is_422_with_reason(ann):
    response = ann.post(
        "/api/v1/recipes/import",
        json={"url": "https://e.example/", "html": fixture("no_recipe.html")},
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "no recipe found" in error["message"] and error["reason"] == "no_recipe"


def test_api_fetch_failures_are_502_with_reason(app, ann, site):
    blocked = ann.post("/api/v1/recipes/import", json={"url": site + "/cake"})
    assert blocked.status_code == 502 and blocked.get_json()["error"]["reason"] == "blocked"
    app.config["IMPORT_ALLOW_PRIVATE"] = True
    refused = ann.post("/api/v1/recipes/import", json={"url": site + "/nope"})
    error = refused.get_json()["error"]
    assert refused.status_code == 502 and error["upstream_status"] == 403
    fetched = ann.post("/api/v1/recipes/import", json={"url": site + "/cake"})
    assert fetched.status_code == 201


@pytest.mark.parametrize("body", [{}, {"url": 3}, {"url": "ftp://x"}, {"url": "https://x", "x": 1}])
def test_api_bad_input_is_422(ann, body):
    assert ann.post("/api/v1/recipes/import", json=body).status_code == 422


# --- CLI --------------------------------------------------------------------------------


def test_cli_import_export_backup_and_restore(app, auth, runner, tmp_path, data_dir, monkeypatch):
    auth.register()
    monkeypatch.setenv("RECIPES_DATA_DIR", str(data_dir))
    source = tmp_path / "in.paprikarecipes"
    source.write_bytes(paprika_upload().getvalue())
    from recipes.cli import cli

    result = runner.invoke(cli, ["import", str(source)])
    assert result.exit_code == 1, result.output  # one entry failed
    assert "25 imported, 5 skipped as duplicates, 1 failed" in result.output
    assert "failed: bad.paprikarecipe" in result.output
    exported = tmp_path / "out.zip"
    result = runner.invoke(cli, ["export", str(exported)])
    assert result.exit_code == 0 and "Exported 25 recipes" in result.output
    assert sum(1 for e in read_file(exported.open("rb")) if e.ok) == 25
    backup = tmp_path / "backup.sqlite3"
    result = runner.invoke(cli, ["backup", str(backup)])
    assert result.exit_code == 0 and "25 recipes" in result.output
    assert backup.stat().st_mode & 0o777 == 0o600
    # Restore, as docs/import.md says: the backup becomes the database of a data folder.
    restored_dir = tmp_path / "restored"
    restored_dir.mkdir()
    (restored_dir / "recipes.sqlite3").write_bytes(backup.read_bytes())
    restored = create_app(
        {"TESTING": True, "DATA_DIR": str(restored_dir), "WTF_CSRF_ENABLED": False}
    )
    assert count(restored) == 25
    client = restored.test_client()
    login = client.post("/auth/login", data={"username": "ann", "password": "correct horse 1"})
    assert login.status_code == 302
    index = client.get("/")
    assert index.status_code == 200 and "Recipe 7" in index.get_data(as_text=True)


def test_bookmarklet_stash_is_bounded(app, client, monkeypatch):
    from recipes.importing import stash

    big = client.post(
        "/import/bookmarklet",
        data={"url": "https://x.example/", "html": "x" * (5 * 1024 * 1024 + 1)},
    )
    assert big.status_code == 413
    monkeypatch.setattr(stash, "MAX_TOTAL_BYTES", 60)  # room for one more small page
    statuses = [
        client.post(
            "/import/bookmarklet", data={"url": "https://x.example/", "html": "<p>x</p>"}
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [303, 303, 503]
    assert len(list((Path(app.config["DATA_DIR"]) / "import-stash").glob("*.json"))) == 2
    assert stash.get(app.config["DATA_DIR"], "../../etc/passwd") is None


def test_docs_explain_importing_and_every_failure_message(client):
    html = client.get("/docs").get_data(as_text=True)
    doc = lxml_html.fromstring(html)
    section = " ".join(doc.xpath("//h2[@id='import']/following-sibling::*[position() < 8]//text()"))
    for words in ("bookmarklet", ".paprikarecipes", "canonical link", "5 MB"):
        assert words in section, words
    # Each reason the importer gives has a row saying what to do about it.
    for message in ("no recipe found", "refused our server", "not found", "server error",
                    "took too long", "too large", "private or local address",
                    "not a web page", "http:// and https://", "could not find the site",
                    "2 imports running", "too many pages are waiting"):  # fmt: skip
        assert message in section, message
