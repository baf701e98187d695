"""Import in a real browser (Debian chromium) against a real `recipes serve`:

- the bookmarklet, run on a recipe page of another site (localhost vs 127.0.0.1 are
  different sites, so SameSite=Lax cookies behave as they do in the wild);
- hostile pages and files imported, then shown, without any script running or CSP
  violation on our pages.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser_support import ConsoleLog, chromium, need_browser
from tests.support.live_server import running_server
from tests.support.local_site import local_site

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]

FIXTURES = Path(__file__).parent / "fixtures" / "import"
PASSWORD = "a long kitchen secret"
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


class SiteHandler(BaseHTTPRequestHandler):
    """Another website: serves the fixture pages."""

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        name = self.path.strip("/").split("?")[0] + ".html"
        path = FIXTURES / name
        body = path.read_bytes() if path.is_file() and "/" not in name else b"not found"
        self.send_response(200 if path.is_file() else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def other_site() -> Iterator[str]:
    with local_site(SiteHandler, host="localhost") as base:
        yield base


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_browser()
    with running_server(tmp_path_factory.mktemp("import-browser") / "data") as url:
        yield url


@pytest.fixture
def session(base_url: str) -> Iterator[tuple[Any, ConsoleLog, list[str]]]:
    with chromium() as browser:
        context = browser.new_context()
        context.set_default_timeout(15_000)
        log = ConsoleLog.attach(context)
        dialogs: list[str] = []

        def on_page(page: Any) -> None:
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        context.on("page", on_page)
        yield context, log, dialogs
        context.close()


def problems(log: ConsoleLog) -> list[str]:
    """Console problems of our own pages (the other site and the fixtures' made-up image
    hosts are not ours to judge)."""
    return [
        p for p in log.take()
        if "ERR_NAME_NOT_RESOLVED" not in p and "http://localhost:" not in p
    ]  # fmt: skip


def register(page: Any, base_url: str, username: str) -> None:
    page.goto(base_url + "/auth/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(base_url + "/")


def test_bookmarklet_imports_the_page_the_user_is_on(base_url, other_site, session):
    context, log, dialogs = session
    page = context.new_page()
    register(page, base_url, "bella")
    page.goto(base_url + "/import")
    bookmarklet = page.get_by_role("link", name="Import to Recipes").get_attribute("href")
    assert bookmarklet.startswith("javascript:")
    assert log.take() == []

    page.goto(other_site + "/wprm")
    with context.expect_page() as opened:
        # What the browser does when the bookmark is clicked on this page.
        page.evaluate(bookmarklet.removeprefix("javascript:"))
    confirm = opened.value
    confirm.wait_for_load_state()
    assert "/import/confirm/" in confirm.url
    assert "Chicken Tikka Masala" in confirm.locator("h1").inner_text()
    confirm.get_by_role("button", name="Import").click()
    confirm.wait_for_url("**/recipes/*")
    body = confirm.locator("main").inner_text().casefold()
    assert "chicken tikka masala" in body and "marinade" in body and "double cream" in body
    assert problems(log) == [] and dialogs == []


def test_hostile_imports_never_run_script(base_url, other_site, session, tmp_path):
    context, log, dialogs = session
    page = context.new_page()
    register(page, base_url, "carl")
    # A hostile web page, pasted with its address.
    page.goto(base_url + "/import")
    page.get_by_label("Recipe address").fill(other_site + "/hostile")
    page.get_by_label("…or paste the page's HTML").fill((FIXTURES / "hostile.html").read_text())
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url("**/recipes/*")
    assert "Evil Cake" in page.locator("h1").inner_text()
    # A file whose plain text looks like markup: shown as text, never run.
    evil = {"name": "Cake " + HOSTILE, "ingredients": f"1 egg {HOSTILE}", "directions": HOSTILE,
            "notes": HOSTILE, "description": HOSTILE}  # fmt: skip
    upload = tmp_path / "evil.paprikarecipe"
    upload.write_bytes(gzip.compress(json.dumps(evil).encode()))
    page.goto(base_url + "/import")
    page.get_by_label("…or choose a file").set_input_files(str(upload))
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_selector("text=Import finished")
    assert "1 imported" in " ".join(page.locator(".summary").inner_text().split())
    page.get_by_role("link", name="See your recipes").click()
    page.get_by_role("link", name="Cake <script>alert(1)</script>", exact=False).first.click()
    page.wait_for_url("**/recipes/*")
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
    page.goto(base_url + "/search?q=cake")
    assert dialogs == [] and problems(log) == []
