"""The desktop's cookies reach no other program: a recipe image pointing at another local
port, loaded in a real browser engine (Chromium), sends that listener no cookie."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.browser_support import chromium, need_browser

pytestmark = pytest.mark.browser
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@contextmanager
def listener(host: str) -> Iterator[tuple[int, list[dict[str, str]]]]:
    """Another program on this machine: it serves an image and notes every request."""
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def desktop_server(folder: Path) -> Iterator[tuple[object, object]]:
    """The desktop's own serving stack (app hook, launch guard, local server), no window."""
    from desktop.app import build_app
    from desktop.guard import LaunchGuard
    from desktop.server import LocalServer

    app = build_app(folder)
    guard = LaunchGuard(app)
    server = LocalServer(guard, max_body=app.config["MAX_CONTENT_LENGTH"])
    guard.host, guard.port = server.host, server.port
    server.start()
    try:
        yield app, guard
    finally:
        server.stop()


def add_recipe(app, image_url: str) -> int:  # type: ignore[no-untyped-def]
    from desktop.app import local_user
    from recipes.db import get_db
    from recipes.models import RecipeIn
    from recipes.store import create_recipe
    from recipes.users import ensure_local_user

    with app.app_context():
        user = ensure_local_user(get_db(), local_user())
        recipe = RecipeIn(title="Soup", ingredients=["salt"], image_url=image_url)
        return create_recipe(get_db(), user.household_id, recipe, by=user.id)


def test_a_local_image_gets_no_cookie_from_the_desktop_window(tmp_path: Path) -> None:
    need_browser()
    with desktop_server(tmp_path / "data") as (app, guard), listener("127.0.0.1") as (port, seen):
        hosts = {"127.0.0.1", guard.host}  # type: ignore[attr-defined]
        recipe_ids = [add_recipe(app, f"http://{host}:{port}/photo.png") for host in hosts]
        with chromium() as browser:
            page = browser.new_page()
            page.goto(guard.launch_url())  # type: ignore[attr-defined]
            cookies = page.context.cookies()
            assert any(c["name"].startswith("recipes_desktop_") for c in cookies), cookies
            for recipe_id in recipe_ids:
                page.goto(f"{guard.origin}/recipes/{recipe_id}", wait_until="networkidle")  # type: ignore[attr-defined]
                assert page.locator("h1").inner_text() == "Soup"
            # The page itself works: our own resources load with the cookie.
            assert page.evaluate("document.styleSheets.length") >= 1
    assert [request for request in seen if "cookie" in request] == []
