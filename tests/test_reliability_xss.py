"""XSS: a corpus of payloads through every field of the forms, the API and imported pages,
then a real browser (Debian chromium) opens every page that shows them.

The browser runs with the Content-Security-Policy bypassed, so escaping alone must hold:
no dialog may open, no payload script may run (window.__xss stays unset), no payload may
become an element (nothing carries data-xss), and no page error may occur.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.support.browser_support import CHROMIUM_ARGS, chromium, chromium_available
from tests.support.reliability_payloads import XSS, XSS_URLS
from tests.support.reliability_report import record
from tests.support.reliability_server import (
    PASSWORD,
    Browserless,
    add_token,
    add_user,
    api_session,
    csrf_of,
    running,
)
from tests.support.system import need

pytestmark = [pytest.mark.reliability, pytest.mark.browser]
PROBE = "() => [window.__xss === undefined, document.querySelectorAll('[data-xss]').length]"
# A username may hold no spaces; this one still tries to become markup in the nav.
XSS_USERNAME = "<img/src=x/data-xss/onerror=window.__xss=1;alert(30)>"


def form_fields(payload: str, n: int) -> dict[str, str]:
    """The payload in every field of the recipe form."""
    return {
        "title": f"{payload} web{n}",
        "description": payload,
        "ingredients": f"{payload}\nFor the {payload}:\n2 eggs {payload}",
        "instructions": f"{payload}\nStep two {payload}",
        "servings": payload[:100],
        "prep_time": "5",
        "cook_time": "10",
        "total_time": "15",
        "tags": f"{payload}, x{n}",
        "category": payload,
        "cuisine": payload,
        "source_url": XSS_URLS[n % len(XSS_URLS)],
        "image_url": XSS_URLS[(n + 1) % len(XSS_URLS)],
        "rating": "4",
        # One line: U+2028/2029 would start a new "name: value" line.
        "nutrition": f"fat{n}: {' '.join(payload.splitlines())}",
        "notes": payload,
    }


def api_fields(payload: str, n: int) -> dict[str, Any]:
    return {
        "title": f"{payload} api{n}",
        "description": payload,
        "ingredient_groups": [
            {"title": payload, "ingredients": [payload, f"1 leek {payload}"]},
            {"title": None, "ingredients": [payload]},
        ],
        "instructions": [payload, f"then {payload}"],
        "servings": payload[:100],
        "tags": [payload, f"y{n}"],
        "category": payload,
        "cuisine": payload,
        "source_url": XSS_URLS[n % len(XSS_URLS)],
        "image_url": XSS_URLS[(n + 2) % len(XSS_URLS)],
        "notes": payload,
        "rating": 3,
        "nutrition": {payload[:200]: payload, "salt": payload},
    }


def hostile_page(payload: str, n: int) -> str:
    """A recipe page whose every field (and its visible text) carries the payload."""
    data = {
        "@context": "https://schema.org",
        "@type": "Recipe",
        "name": f"{payload} import{n}",
        "description": payload,
        "recipeIngredient": [payload, f"1 cup {payload}"],
        "recipeInstructions": [{"@type": "HowToStep", "text": payload}],
        "recipeYield": payload[:100],
        "keywords": f"{payload}, z{n}",
        "recipeCategory": payload,
        "recipeCuisine": payload,
        "author": {"@type": "Person", "name": payload},
        "image": XSS_URLS[n % len(XSS_URLS)],
    }
    ld = json.dumps(data).replace("</", "<\\/")
    return (
        f"<html><head><title>{payload}</title>"
        f'<script type="application/ld+json">{ld}</script></head>'
        f"<body><h1>{payload}</h1><p>{payload}</p></body></html>"
    )


def hostile_zip(payload: str, n: int) -> bytes:
    """An import file whose entry names carry the payload: a recipe page, the same page
    again, and a page without a recipe (listed by name as failed)."""
    buffer = io.BytesIO()
    page = hostile_page(payload, 100 + n)
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{payload} {n}.html", page)
        archive.writestr(f"again {payload} {n}.html", page)
        archive.writestr(f"broken {payload} {n}.html", f"<html><p>{payload}</p></html>")
    return buffer.getvalue()


def upload_import(web: Browserless, api: Any, payload: str, n: int) -> tuple[str, list[int]]:
    """Import a hostile zip through the file form; the job page and the recipe ids."""
    token = csrf_of(web.get("/import").text)
    response = web.session.post(
        web.base + "/import/file",
        data={"csrf_token": token},
        files={"file": (f"{payload} {n}.zip", hostile_zip(payload, n), "application/zip")},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 303, response.text[:500]
    job = response.headers["Location"]
    deadline = time.monotonic() + 30
    while not (state := web.get(job + "?format=json").json())["done"]:
        assert time.monotonic() < deadline, state
        time.sleep(0.1)
    assert state["imported"] + state["duplicates"] == 2 and state["failed"] == 1, state
    found = api.get(web.base + "/api/v1/recipes", params={"q": f"import{100 + n}"}).json()
    ids = [item["id"] for item in found["items"]]
    assert ids, state
    return job, ids


def _recipe_id(location: str) -> int:
    return int(location.rstrip("/").rsplit("/", 1)[1])


def make_hostile_content(base: str, token: str) -> tuple[list[int], list[str]]:
    """Recipes with payloads through the forms, the API and imports; the extra pages
    that show payloads (confirm, settings, searches). Returns (recipe ids, paths)."""
    web = Browserless(base)
    assert web.login("ann").status_code == 302
    api = api_session(token)
    ids: list[int] = []
    paths: list[str] = []
    for n, payload in enumerate(XSS):
        response = web.submit("/recipes/new", form_fields(payload, n))
        assert response.status_code == 302, (payload, response.text[:2000])
        ids.append(_recipe_id(response.headers["Location"]))

        response = api.post(base + "/api/v1/recipes", json=api_fields(payload, n))
        assert response.status_code == 201, (payload, response.text[:500])
        ids.append(response.json()["id"])

        page = hostile_page(payload, n)
        url = f"https://example.com/recipes/{n}"
        response = web.submit("/import", {"url": url, "html": page}, action="/import/html")
        assert response.status_code == 302, (payload, response.status_code, response.text[:500])
        ids.append(_recipe_id(response.headers["Location"]))
        response = api.post(
            base + "/api/v1/recipes/import", json={"url": url + "/api", "html": page}
        )
        assert response.status_code == 201, (payload, response.text[:500])
        ids.append(response.json()["id"])

        # The bookmarklet's page waits on a confirm page before anything is saved.
        response = web.session.post(
            base + "/import/bookmarklet",
            data={"url": url + "/bm", "html": page},
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 303
        paths.append(response.headers["Location"])

        paths.append("/search?q=" + quote(payload))
        paths.append("/?tag=" + quote(payload))
        paths.append("/?category=" + quote(payload))
        paths.append("/auth/login?next=" + quote(payload))
        paths.append("/no-such-page/" + quote(payload, safe=""))

    for n, payload in enumerate(XSS[:6]):
        response = web.submit("/settings", {"name": f"{payload[:90]} {n}"})
        assert response.status_code == 200, response.text[:500]
        job, imported = upload_import(web, api, payload, n)
        paths.append(job)
        ids += imported
    paths += ["/", "/settings", "/search?q=web", "/search?q=api", "/search?q=import"]
    return ids, paths


def share_paths(base: str, token: str, ids: list[int]) -> list[str]:
    api = api_session(token)
    paths = []
    for recipe_id in ids:
        response = api.post(f"{base}/api/v1/recipes/{recipe_id}/share")
        assert response.status_code == 200
        paths.append(response.json()["url"].removeprefix(base))
    return paths


class Watch:
    """Dialogs, page errors and payload console output, across a browser context."""

    def __init__(self, context: Any) -> None:
        self.events: list[str] = []
        context.on("page", self._attach)

    def _attach(self, page: Any) -> None:
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.events.append(f"pageerror: {error}"))
        page.on("console", self._console)

    def _dialog(self, dialog: Any) -> None:
        self.events.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        if "xss" in message.text.lower() or "alert" in message.text.lower():
            self.events.append(f"console {message.type}: {message.text}")


def visit_all(base: str, paths: list[str], username: str) -> tuple[int, list[str]]:
    """Open every path in chromium (signed in), CSP bypassed. (pages visited, problems)"""
    problems: list[str] = []
    with chromium() as browser:
        context = browser.new_context(bypass_csp=True, java_script_enabled=True)
        watch = Watch(context)
        # Only our server: a payload's image or link never reaches the network.
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(base) else route.abort()
            ),
        )
        page = context.new_page()
        page.goto(base + "/auth/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit], form input[type=submit]")
        page.wait_for_load_state()
        assert "/auth/login" not in page.url, "could not log in in the browser"
        for path in paths:
            before = len(watch.events)
            page.goto(base + path, wait_until="load")
            page.wait_for_timeout(10)  # onerror/onload/autofocus handlers fire by now
            clean, marked = page.evaluate(PROBE)
            if not clean:
                problems.append(f"{path}: a payload script ran")
            if marked:
                problems.append(f"{path}: {marked} payload element(s) in the page")
            problems += [f"{path}: {event}" for event in watch.events[before:]]
        context.close()
    return len(paths), problems


@pytest.mark.timeout(300)
def test_xss_payloads_never_run_in_a_real_browser(tmp_path: Path) -> None:
    need(chromium_available(), "Debian chromium is not installed (apt-get install chromium)")
    assert "--no-sandbox" in CHROMIUM_ARGS
    data = tmp_path / "data"
    add_user(data, "ann")
    token = add_token(data, "ann")
    with running(data) as server:
        base = server.url
        ids, paths = make_hostile_content(base, token)
        recipe_pages = [
            f"/recipes/{recipe_id}{suffix}" for recipe_id in ids for suffix in ("", "/edit")
        ]
        recipe_pages += [
            f"/recipes/{ids[n]}{s}" for n in range(0, 8) for s in ("/delete", "/share")
        ]
        shared = share_paths(base, token, ids)
        visited, problems = visit_all(base, recipe_pages + shared + paths, "ann")

        # A hostile username, shown in the navigation of every page.
        assert Browserless(base).register(XSS_USERNAME).status_code == 302
        more, more_problems = visit_all(base, ["/", "/settings", "/recipes/new"], XSS_USERNAME)
    record(
        "xss",
        payloads=len(XSS) + len(XSS_URLS) + 1,
        recipes_with_payloads=len(ids),
        channels=[
            "form",
            "api",
            "import page (form)",
            "import page (api)",
            "bookmarklet",
            "import file (zip)",
            "token name",
            "username",
        ],
        pages_opened=visited + more,
        scripts_run=0 if not problems + more_problems else len(problems + more_problems),
    )
    assert problems + more_problems == [], "\n".join(problems + more_problems)
