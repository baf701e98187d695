"""Recipe photos: processing, storage, serving, the API, the form, imports and exports."""

from __future__ import annotations

import functools
import io
import json
import re
import sqlite3
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from PIL import Image

from recipes.photos.processing import (
    DISPLAY_SIZE,
    MAX_UPLOAD_BYTES,
    PhotoRejected,
    process,
)
from tests.support.photo_files import (
    BLUE,
    GPS_IFD,
    ORIENTATION,
    RED,
    exif_of,
    plain,
    png_bomb,
    sideways_jpeg,
)
from tests.test_api import PANCAKES, error, make_user
from tests.test_import_web import wait_for_job


@functools.cache
def bomb() -> bytes:
    return png_bomb()


def close(colour: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(colour[:3], expected, strict=True))


# --- processing ----------------------------------------------------------------------------


def test_sideways_photo_is_turned_upright_and_loses_gps_and_all_metadata():
    original = sideways_jpeg()
    assert exif_of(original)[ORIENTATION] == 6 and exif_of(original).get_ifd(GPS_IFD)
    photo = process(original)
    image = Image.open(io.BytesIO(photo.data))
    assert (image.width, image.height) == (photo.width, photo.height) == (200, 400)
    assert close(image.getpixel((100, 20)), RED) and close(image.getpixel((100, 380)), BLUE)
    assert len(exif_of(photo.data)) == 0 and b"Exif" not in photo.data
    assert not {"exif", "icc_profile", "xmp"} & set(image.info)
    thumb = Image.open(io.BytesIO(photo.thumb))
    assert thumb.format == "WEBP" and max(thumb.size) <= 480 and thumb.height > thumb.width


def test_large_photo_is_stored_at_display_size_with_a_small_thumbnail():
    photo = process(plain("JPEG", (3000, 1500)))
    assert (photo.width, photo.height) == (DISPLAY_SIZE, DISPLAY_SIZE // 2)
    assert Image.open(io.BytesIO(photo.thumb)).size == (480, 240)


def test_clean_jpeg_and_webp_are_kept_byte_for_byte():
    for kind in ("JPEG", "WEBP"):
        data = plain(kind)
        assert process(data).data == data
    stored = process(sideways_jpeg()).data
    assert process(stored).data == stored  # what we store is already clean


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is a text file renamed to photo.jpg\n", "not an image"),
        (b"", "empty"),
        (plain("JPEG")[:200], "damaged"),
        (b"\xff" * (MAX_UPLOAD_BYTES + 1), "larger than 20 MB"),
    ],
)
def test_not_a_usable_photo_is_refused_with_a_clear_message(data, message):
    with pytest.raises(PhotoRejected, match=message):
        process(data)


def test_decompression_bomb_is_refused():
    data = bomb()
    assert len(data) < 1_000_000 and struct.unpack(">II", data[16:24]) == (40_000, 40_000)
    with pytest.raises(PhotoRejected, match="too many pixels"):
        process(data)


# --- API -----------------------------------------------------------------------------------


@pytest.fixture
def ann(app):
    return make_user(app, "ann")


@pytest.fixture
def recipe(client, ann):
    response = client.post("/api/v1/recipes", headers=ann, json=PANCAKES)
    assert response.status_code == 201
    return response.json


def upload(client, headers, recipe_id, data, name="photo.jpg"):
    return client.post(
        f"/api/v1/recipes/{recipe_id}/photos",
        headers=headers,
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def rows(app, sql="SELECT count(*) FROM recipe_photos", *params):
    db = sqlite3.connect(app.config["DATABASE"])
    try:
        return db.execute(sql, params).fetchone()[0]
    finally:
        db.close()


def test_api_upload_returns_201_and_the_recipe_lists_photos_cover_first(client, ann, recipe):
    first = upload(client, ann, recipe["id"], sideways_jpeg())
    assert first.status_code == 201, first.json
    body = first.json
    assert set(body) == {"id", "url", "thumbnail_url", "width", "height"}
    assert (body["width"], body["height"]) == (200, 400)
    second = upload(client, ann, recipe["id"], plain("PNG")).json
    got = client.get(f"/api/v1/recipes/{recipe['id']}", headers=ann).json
    assert [p["id"] for p in got["photos"]] == [body["id"], second["id"]]
    listed = client.get("/api/v1/recipes", headers=ann).json["items"][0]
    assert [p["id"] for p in listed["photos"]] == [body["id"], second["id"]]
    # PATCH: the second becomes the cover; then an explicit order
    patched = client.patch(
        f"/api/v1/recipes/{recipe['id']}/photos/{second['id']}", headers=ann, json={"cover": True}
    )
    assert [p["id"] for p in patched.json["items"]] == [second["id"], body["id"]]
    ordered = client.patch(
        f"/api/v1/recipes/{recipe['id']}/photos", headers=ann, json={"order": [body["id"]]}
    )
    assert [p["id"] for p in ordered.json["items"]] == [body["id"], second["id"]]
    repeated = {"order": [body["id"], body["id"]]}
    error(client.patch(f"/api/v1/recipes/{recipe['id']}/photos", headers=ann, json=repeated), 422)
    unknown = {"order": [999, second["id"]]}  # not this recipe's photo: ignored
    moved = client.patch(f"/api/v1/recipes/{recipe['id']}/photos", headers=ann, json=unknown)
    assert [p["id"] for p in moved.json["items"]] == [second["id"], body["id"]]
    client.patch(
        f"/api/v1/recipes/{recipe['id']}/photos", headers=ann, json={"order": [body["id"]]}
    )
    gone = client.delete(f"/api/v1/recipes/{recipe['id']}/photos/{body['id']}", headers=ann)
    assert gone.status_code == 204
    got = client.get(f"/api/v1/recipes/{recipe['id']}", headers=ann).json
    assert [p["id"] for p in got["photos"]] == [second["id"]]
    error(client.delete(f"/api/v1/recipes/{recipe['id']}/photos/{body['id']}", headers=ann), 404)


def test_api_refuses_bombs_non_images_and_oversized_uploads_and_saves_nothing(
    app, client, ann, recipe
):
    assert (
        "too many pixels"
        in error(upload(client, ann, recipe["id"], bomb(), "big.png"), 422)["message"]
    )
    text = upload(client, ann, recipe["id"], b"just some text\n", "photo.jpg")
    assert "not an image" in error(text, 422)["message"]
    huge = upload(client, ann, recipe["id"], b"\xff\xd8\xff" + b"0" * (MAX_UPLOAD_BYTES + 10))
    assert "larger than 20 MB" in error(huge, 413)["message"]
    error(client.post(f"/api/v1/recipes/{recipe['id']}/photos", headers=ann), 422)
    assert rows(app) == 0


def test_photos_are_served_with_a_strong_etag_and_long_caching(client, ann, recipe):
    photo = upload(client, ann, recipe["id"], sideways_jpeg()).json
    response = client.get(photo["url"], headers=ann)
    assert response.status_code == 200 and response.mimetype == "image/webp"
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]
    again = client.get(photo["url"], headers={**ann, "If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    thumb = client.get(photo["thumbnail_url"], headers=ann)
    assert thumb.status_code == 200 and max(Image.open(io.BytesIO(thumb.data)).size) <= 480


def test_other_households_and_visitors_cannot_read_photos(app, client, ann, recipe):
    photo = upload(client, ann, recipe["id"], plain("PNG")).json
    bob = make_user(app, "bob")
    error(upload(client, bob, recipe["id"], plain("PNG")), 404)
    error(client.get(f"/api/v1/recipes/{recipe['id']}/photos", headers=bob), 404)
    page_url = f"/photos/{photo['id']}/display"
    other = app.test_client()
    assert other.get(photo["url"]).status_code == 401
    assert other.get(page_url).status_code == 302  # to the login page
    other.post("/auth/register", data={"username": "cy", "password": "correct horse 1",
                                       "confirm": "correct horse 1"})  # fmt: skip
    assert other.get(photo["url"]).status_code == 404
    assert other.get(page_url).status_code == 404
    owner = app.test_client()
    owner.post("/auth/login", data={"username": "ann", "password": "correct horse 1"})
    assert owner.get(page_url).status_code == 200
    # A share link's visitors see the shared recipe's photos, through the link.
    link = client.post(f"/api/v1/recipes/{recipe['id']}/share", headers=ann).json["url"]
    page = app.test_client().get(link.replace("http://localhost", ""))
    shared_src = f"{link.replace('http://localhost', '')}/photos/{photo['id']}/display"
    assert shared_src in page.get_data(as_text=True)
    assert app.test_client().get(shared_src).status_code == 200
    client.delete(f"/api/v1/recipes/{recipe['id']}/share", headers=ann)
    assert app.test_client().get(shared_src).status_code == 404


def test_photos_are_deleted_with_their_recipe(app, client, ann, recipe):
    upload(client, ann, recipe["id"], plain("PNG"))
    upload(client, ann, recipe["id"], plain("JPEG"))
    assert rows(app) == 2
    assert client.delete(f"/api/v1/recipes/{recipe['id']}", headers=ann).status_code == 204
    assert rows(app) == 0


def test_openapi_documents_the_photo_endpoints(client):
    document = client.get("/api/v1/openapi.json").json
    photos = document["paths"]["/recipes/{recipe_id}/photos"]
    assert {"get", "post", "patch"} <= set(photos)
    assert "multipart/form-data" in photos["post"]["requestBody"]["content"]
    assert "delete" in document["paths"]["/recipes/{recipe_id}/photos/{photo_id}"]
    assert "photos" in document["components"]["schemas"]["Recipe"]["properties"]


# --- the recipe form -----------------------------------------------------------------------


@pytest.fixture
def signed_in(app, client, auth):
    auth.register()
    auth.login()
    return client


def test_form_upload_shows_cover_and_gallery_and_refuses_non_images(app, signed_in):
    client = signed_in
    page = client.post("/recipes/new", data={"title": "Soup", "ingredients": "1 leek"})
    recipe_id = int(page.headers["Location"].rsplit("/", 1)[1])
    sent = client.post(
        f"/recipes/{recipe_id}/photos",
        data={"file": [(io.BytesIO(sideways_jpeg()), "a.jpg"), (io.BytesIO(plain()), "b.png")]},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/edit#photos")
    html = client.get(f"/recipes/{recipe_id}").get_data(as_text=True)
    assert 'class="hero"' in html and 'class="gallery"' in html
    refused = client.post(
        f"/recipes/{recipe_id}/photos",
        data={"file": (io.BytesIO(b"plain text"), "note.jpg")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "note.jpg: The file is not an image" in refused.get_data(as_text=True)
    assert rows(app) == 2


# --- browsing ------------------------------------------------------------------------------


def new_recipe(client, title, **fields):
    response = client.post("/recipes/new", data={"title": title, "ingredients": "x", **fields})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_new_recipe_form_takes_photos_and_refuses_a_non_image_keeping_what_was_typed(
    app, signed_in
):
    client = signed_in
    sent = client.post(
        "/recipes/new",
        data={"title": "Soup", "ingredients": "leek", "photos": (io.BytesIO(plain()), "a.png")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302 and rows(app) == 1
    refused = client.post(
        "/recipes/new",
        data={"title": "Stew", "ingredients": "beef", "photos": (io.BytesIO(b"hi"), "b.jpg")},
        content_type="multipart/form-data",
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "b.jpg: The file is not an image" in html
    assert 'value="Stew"' in html and rows(app, "SELECT count(*) FROM recipes") == 1


def test_home_page_cards_sort_and_remember_the_choice(signed_in):
    client = signed_in
    soup = new_recipe(client, "Soup", total_time="20", rating="2")
    new_recipe(client, "Apple pie", total_time="90", rating="5")
    new_recipe(client, "Bread")
    client.post(
        f"/recipes/{soup}/photos",
        data={"file": (io.BytesIO(plain()), "a.png")},
        content_type="multipart/form-data",
    )

    def titles(url="/"):
        html = client.get(url).get_data(as_text=True)
        return [t for t in re.findall(r'class="card-title">([^<]+)<', html)]

    assert titles() == ["Bread", "Apple pie", "Soup"]  # newest first
    assert titles("/?sort=title") == ["Apple pie", "Bread", "Soup"]
    assert titles("/") == ["Apple pie", "Bread", "Soup"]  # the choice is kept
    assert titles("/?sort=rating") == ["Apple pie", "Soup", "Bread"]
    assert titles("/?sort=time") == ["Soup", "Apple pie", "Bread"]
    client.post(f"/recipes/{soup}/cooked", data={"cooked_on": "2026-01-02"})
    client.post(f"/recipes/{soup + 1}/cooked", data={"cooked_on": "2026-01-05"})
    # Apple pie (made last), then Soup, then the never-made Bread.
    assert titles("/?sort=cooked") == ["Apple pie", "Soup", "Bread"]
    html = client.get("/").get_data(as_text=True)
    assert html.count('loading="lazy" decoding="async" width="480" height="360"') == 1
    assert html.count('class="placeholder"') == 2


def test_favourites_star_filter_and_rating_without_the_editor(app, signed_in):
    client = signed_in
    soup = new_recipe(client, "Soup")
    new_recipe(client, "Stew")
    starred = client.post(f"/recipes/{soup}/favourite", data={"on": "1", "next": "/?x=1"})
    assert starred.headers["Location"] == "/?x=1"
    evil = client.post(f"/recipes/{soup}/favourite", data={"on": "1", "next": "//evil.test/"})
    assert evil.headers["Location"] == f"/recipes/{soup}"
    html = client.get("/?favourites=1").get_data(as_text=True)
    assert re.findall(r'class="card-title">([^<]+)<', html) == ["Soup"]
    assert 'aria-pressed="true"' in client.get(f"/recipes/{soup}").get_data(as_text=True)
    client.post(f"/recipes/{soup}/favourite", data={"on": "0"})
    assert "No favourites yet" in client.get("/?favourites=1").get_data(as_text=True)
    assert client.post(f"/recipes/{soup}/rating", data={"rating": "4"}).status_code == 302
    assert rows(app, "SELECT rating FROM recipes WHERE id = ?", soup) == 4
    client.post(f"/recipes/{soup}/rating", data={"rating": ""})
    assert rows(app, "SELECT rating FROM recipes WHERE id = ?", soup) is None
    assert client.post(f"/recipes/{soup}/rating", data={"rating": "9"}).status_code == 400
    other = app.test_client()
    other.post("/auth/register", data={"username": "bo", "password": "correct horse 1",
                                       "confirm": "correct horse 1"})  # fmt: skip
    assert other.post(f"/recipes/{soup}/rating", data={"rating": "1"}).status_code == 404
    assert other.post(f"/recipes/{soup}/favourite", data={"on": "1"}).status_code == 404


# --- imports, exports and backups ----------------------------------------------------------


class ImageSite(BaseHTTPRequestHandler):
    """A recipe page whose image is on the same local server; /broken.html's is not."""

    asked: list[str] = []  # every path requested, in order

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        self.asked.append(self.path)
        host = f"http://127.0.0.1:{self.server.server_address[1]}"
        image = {"/with-photo.html": "/photo.jpg", "/broken.html": "/missing.jpg"}
        if self.path in image:
            body = PAGE.format(image=host + image[self.path]).encode()
            kind = "text/html; charset=utf-8"
        elif self.path == "/photo.jpg":
            body, kind = sideways_jpeg(), "image/jpeg"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


PAGE = """<html><head><script type="application/ld+json">{{"@context": "https://schema.org",
"@type": "Recipe", "name": "Photo soup", "image": "{image}", "recipeIngredient": ["1 leek"],
"recipeInstructions": ["Cook."]}}</script></head><body>Soup</body></html>"""


@pytest.fixture
def image_site():
    ImageSite.asked.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), ImageSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_web_import_keeps_the_page_image_and_a_broken_one_does_not_fail_it(
    app, signed_in, image_site
):
    app.config["IMPORT_ALLOW_PRIVATE"] = True
    client = signed_in
    done = client.post("/import/url", data={"url": image_site + "/with-photo.html"})
    assert done.status_code == 302
    recipe_id = int(done.headers["Location"].rsplit("/", 1)[1])
    (stored,) = (
        sqlite3.connect(app.config["DATABASE"])
        .execute("SELECT data FROM recipe_photos WHERE recipe_id = ?", (recipe_id,))
        .fetchone()
    )
    image = Image.open(io.BytesIO(stored))
    assert image.size == (200, 400) and len(exif_of(stored)) == 0  # upright, no GPS
    broken = client.post("/import/url", data={"url": image_site + "/broken.html"})
    assert broken.status_code == 302
    page = client.get(broken.headers["Location"]).get_data(as_text=True)
    assert "The photo could not be kept" in page and rows(app) == 1


def test_api_import_says_whether_the_page_image_was_kept(app, client, ann, image_site):
    app.config["IMPORT_ALLOW_PRIVATE"] = True
    kept = client.post(
        "/api/v1/recipes/import", headers=ann, json={"url": image_site + "/with-photo.html"}
    )
    assert kept.status_code == 201
    assert kept.json["photo_problem"] is None and len(kept.json["photos"]) == 1
    broken = client.post(
        "/api/v1/recipes/import", headers=ann, json={"url": image_site + "/broken.html"}
    )
    assert broken.status_code == 201 and broken.json["photos"] == []
    assert broken.json["photo_problem"].startswith("The photo could not be kept")
    assert broken.json["image_url"].endswith("/missing.jpg")  # still linked


def test_api_import_of_a_duplicate_does_not_download_its_image(app, client, ann, image_site):
    app.config["IMPORT_ALLOW_PRIVATE"] = True
    body = {"url": image_site + "/with-photo.html"}
    assert client.post("/api/v1/recipes/import", headers=ann, json=body).status_code == 201
    again = client.post("/api/v1/recipes/import", headers=ann, json=body)
    assert again.status_code == 409
    assert ImageSite.asked == ["/with-photo.html", "/photo.jpg", "/with-photo.html"]


def test_form_import_of_a_duplicate_does_not_download_its_image(app, signed_in, image_site):
    app.config["IMPORT_ALLOW_PRIVATE"] = True
    body = {"url": image_site + "/with-photo.html"}
    assert signed_in.post("/import", data=body).status_code == 302
    again = signed_in.post("/import", data=body)
    assert again.status_code == 200 and "already" in again.get_data(as_text=True)
    assert ImageSite.asked == ["/with-photo.html", "/photo.jpg", "/with-photo.html"]


def test_bookmarklet_import_keeps_the_page_image_once_confirmed(app, signed_in, image_site):
    app.config["IMPORT_ALLOW_PRIVATE"] = True
    url = image_site + "/with-photo.html"
    held = app.test_client().post(
        "/import/bookmarklet",
        data={"url": url, "html": PAGE.format(image=image_site + "/photo.jpg")},
    )
    assert held.status_code == 303 and ImageSite.asked == []  # nothing fetched for a visitor
    saved = signed_in.post(held.headers["Location"], data={"action": "save"})
    assert saved.status_code == 302 and ImageSite.asked == ["/photo.jpg"]
    assert rows(app) == 1


def test_photos_fetch_command_stores_images_of_recipes_that_only_link_one(
    app, signed_in, image_site, monkeypatch
):
    from recipes.cli import cli

    client = signed_in
    new_recipe(client, "Linked", image_url=image_site + "/photo.jpg")
    new_recipe(client, "Dead link", image_url=image_site + "/missing.jpg")
    monkeypatch.setenv("RECIPES_DATA_DIR", app.config["DATA_DIR"])
    monkeypatch.setenv("RECIPES_IMPORT_ALLOW_PRIVATE", "1")
    result = CliRunner().invoke(cli, ["photos", "fetch"])
    assert "Stored 1 of 2 photos." in result.output and rows(app) == 1
    assert "HTTP 404" in result.output


def test_export_then_import_and_backup_keep_every_photo_byte_for_byte(app, signed_in, tmp_path):
    from recipes.importing.cli import backup

    client = signed_in
    recipe_id = new_recipe(client, "Gallery soup")
    for data in (sideways_jpeg(), plain("PNG"), plain("JPEG", colour=(200, 10, 10))):
        client.post(
            f"/recipes/{recipe_id}/photos",
            data={"file": (io.BytesIO(data), "p")},
            content_type="multipart/form-data",
        )
    db = sqlite3.connect(app.config["DATABASE"])
    before = [bytes(r[0]) for r in db.execute("SELECT data FROM recipe_photos ORDER BY position")]
    assert len(before) == 3
    for path in ("/export/recipes.zip", "/export/recipes.paprikarecipes"):
        archive = client.get(path).data
        other = app.test_client()
        other.post("/auth/register", data={"username": f"u{len(path)}",
                   "password": "correct horse 1", "confirm": "correct horse 1"})  # fmt: skip
        name = path.rsplit("/", 1)[1]
        job = other.post("/import/file", data={"file": (io.BytesIO(archive), name)})
        assert job.status_code == 303
        wait_for_job(other, job.headers["Location"])
        copied = db.execute(
            "SELECT p.data FROM recipe_photos p JOIN recipes r ON r.id = p.recipe_id "
            "WHERE r.id != ? ORDER BY r.id DESC, p.position LIMIT 3",
            (recipe_id,),
        ).fetchall()
        assert [bytes(r[0]) for r in copied] == before, path
    copy = tmp_path / "backup.sqlite3"
    backup(app.config["DATABASE"], copy)
    restored = sqlite3.connect(copy).execute(
        "SELECT data FROM recipe_photos WHERE recipe_id = ? ORDER BY position", (recipe_id,)
    )
    assert [bytes(r[0]) for r in restored] == before


def typed(body: bytes) -> object:
    """JSON with objects as key-value lists (order counts) and numbers tagged int or float."""
    return json.loads(
        body,
        object_pairs_hook=list,
        parse_int=lambda s: ("int", s),
        parse_float=lambda s: ("float", s),
    )


def test_list_and_search_items_are_the_recipes_own_json(client, ann, recipe):
    """Pages of recipes are written from plain data, not models (see store.RecipeData): each
    item must be exactly what GET /recipes/{id} answers, key order and number types included."""
    other = dict(
        PANCAKES,
        title="Crêpes « fines »",
        ingredient_groups=None,
        ingredients=["1 1/2 cups milk", "2-3 tbsp sugar", "160 g (2/3 cup) flour", "salt"],
        nutrition={},
        rating=None,
        prep_time=None,
    )
    second = client.post("/api/v1/recipes", headers=ann, json=other).json
    upload(client, ann, recipe["id"], sideways_jpeg())
    upload(client, ann, recipe["id"], plain("PNG"))
    client.post(f"/api/v1/recipes/{second['id']}/share", headers=ann)
    for path in ("/api/v1/recipes", "/api/v1/recipes?q=flour", "/api/v1/recipes?tag=quick"):
        items = typed(client.get(path, headers=ann).data)[0][1]
        assert items, path
        for item in items:
            recipe_id = int(dict(item)["id"][1])
            own = client.get(f"/api/v1/recipes/{recipe_id}", headers=ann).data
            assert item == typed(own), (path, recipe_id)
    listed = client.get("/api/v1/recipes", headers=ann).json["items"]
    assert {r["title"]: len(r["photos"]) for r in listed} == {"Pancakes": 2, other["title"]: 0}
    assert [r["share_url"] is not None for r in listed] == [True, False]
    assert {r["created_by"] for r in listed} == {"ann"}
