"""Photos in a real Chromium: a sideways phone photo shows upright, bad files are refused
with clear messages, and a stored photo shows with every other host blocked (offline)."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.support.browser_support import ConsoleLog, chromium, need_browser
from tests.support.live_server import add_user, running_server
from tests.support.photo_files import GPS_IFD, exif_of, png_bomb, sideways_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]
PASSWORD = "correct horse 1"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    need_browser()
    data_dir = tmp_path_factory.mktemp("photos-browser") / "data"
    add_user(data_dir, "ann", PASSWORD)
    with running_server(data_dir) as url:
        yield url, data_dir


def signed_in_page(browser: Any, base_url: str) -> tuple[Any, ConsoleLog]:
    context = browser.new_context()
    log = ConsoleLog.attach(context)
    # Offline but for our own server: a photo we show must never need another host.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(base_url)
            else route.abort("internetdisconnected")
        ),
    )
    page = context.new_page()
    page.goto(base_url + "/auth/login")
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base_url + "/")
    return page, log


def test_sideways_upload_shows_upright_and_bad_files_are_refused(site) -> None:
    base_url, data_dir = site
    with chromium() as browser:
        page, log = signed_in_page(browser, base_url)
        page.goto(base_url + "/recipes/new")
        page.get_by_label("Title").fill("Sideways soup")
        page.get_by_label("Ingredients").fill("1 leek")
        page.set_input_files(
            "#photos", {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": sideways_jpeg()}
        )
        page.get_by_role("button", name="Save recipe").click()
        page.wait_for_selector("img.hero")
        recipe_url = page.url
        size = page.eval_on_selector(
            "img.hero", "img => img.complete && [img.naturalWidth, img.naturalHeight]"
        )
        assert size == [200, 400], "the stored photo is upright (portrait)"
        # The stored file has no EXIF at all, so no GPS position either.
        db = sqlite3.connect(data_dir / "recipes.sqlite3")
        (stored,) = db.execute("SELECT data FROM recipe_photos").fetchone()
        assert len(exif_of(stored)) == 0 and not exif_of(stored).get_ifd(GPS_IFD)
        assert Image.open(io.BytesIO(stored)).size == (200, 400)

        # The form's uploader (photos.js) refuses a bomb and a text file named .jpg.
        page.get_by_role("link", name="Edit").first.click()
        status = page.locator(".upload-status")
        log.expect_status(recipe_url + "/photos", 422)  # the refusals below, on purpose
        for name, kind, data, message in [
            ("huge.png", "image/png", png_bomb(), "too many pixels"),
            ("notes.jpg", "image/jpeg", b"shopping list: leeks\n", "not an image"),
        ]:
            page.set_input_files("#photo-file", {"name": name, "mimeType": kind, "buffer": data})
            page.get_by_role("button", name="Upload").click()
            page.wait_for_function(
                "m => document.querySelector('.upload-status').textContent.includes(m)", arg=message
            )
            assert name in status.inner_text()
        assert db.execute("SELECT count(*) FROM recipe_photos").fetchone()[0] == 1
        db.close()
        # The home page shows the cover thumbnail, loaded from our own server only.
        page.goto(base_url + "/")
        thumb = page.locator(".card-photo img").first
        thumb.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('.card-photo img').complete")
        assert page.eval_on_selector(".card-photo img", "img => img.naturalHeight") > 0
        assert log.take() == []
