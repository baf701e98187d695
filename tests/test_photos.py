"""Recipe photos: processing, storage, serving, the API, the form, imports and exports."""

from __future__ import annotations

import functools
import io
import sqlite3
import struct

import pytest
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


def rows(app, sql="SELECT count(*) FROM recipe_photos"):
    db = sqlite3.connect(app.config["DATABASE"])
    try:
        return db.execute(sql).fetchone()[0]
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
