"""Hostile input without a browser: SQL/FTS search payloads, oversized bodies, invalid
UTF-8 and NUL bytes, forms with missing fields, and security headers on every HTML page.

Routes are taken from the app's URL map, so new forms and pages are covered too.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from recipes import create_app, sharing, store
from recipes.api.tokens import create_token
from recipes.db import connect
from recipes.models import RecipeIn
from recipes.photos.processing import MAX_UPLOAD_BYTES
from recipes.photos.views import MAX_FILES
from recipes.users import create_user, get_user
from tests.support.authz_plan import PlanCase
from tests.support.reliability_payloads import SEARCH
from tests.support.reliability_report import record
from tests.support.reliability_server import add_token, add_user, api_session, running

pytestmark = pytest.mark.reliability
PASSWORD = "correct horse 1"
LIMIT = 64 * 1024  # a small MAX_CONTENT_LENGTH, so oversized bodies stay cheap
PHOTO_UPLOADS = {  # endpoint -> its own body limit
    "photos.upload": MAX_FILES * MAX_UPLOAD_BYTES + (1 << 20),
    "recipes.new": MAX_FILES * MAX_UPLOAD_BYTES + (1 << 20),  # takes photos too
    "api.upload_photo": MAX_UPLOAD_BYTES + (1 << 20),
}
BODY_METHODS = ("POST", "PUT", "PATCH")
PLAN_BLUEPRINTS = ("plan.", "shopping.", "mealplan_api.", "shopping_api.")
HEADERS = {
    "Content-Security-Policy": ("default-src 'self'", "frame-ancestors 'none'", "script-src"),
    "X-Content-Type-Options": ("nosniff",),
    "Referrer-Policy": ("",),
}


@dataclass
class Site:
    app: Flask
    token: str
    user_id: int
    other_recipe: int

    def client(self) -> FlaskClient:
        client = self.app.test_client()
        response = client.post("/auth/login", data={"username": "ann", "password": PASSWORD})
        assert response.status_code == 302
        return client

    def fresh_recipe(self) -> tuple[int, str]:
        """A new recipe of ann's and its share token (earlier requests may delete one)."""
        db = connect(self.app.config["DATABASE"])
        try:
            recipe_id = store.create_recipe(
                db, self.user_id, RecipeIn(title="Leek soup", ingredients=["leek"]), by=self.user_id
            )
            with self.app.test_request_context():
                share = sharing.new_token()
            store.set_share_token(db, self.user_id, recipe_id, share)
        finally:
            db.close()
        return recipe_id, share

    def url(self, rule: Rule) -> str:
        recipe_id, share = self.fresh_recipe()
        plan = self.plan(recipe_id) if rule.endpoint.startswith(PLAN_BLUEPRINTS) else None
        values: dict[str, Any] = {}
        for name in rule.arguments:
            if plan and plan.url_value(name, rule.endpoint) is not None:
                values[name] = plan.url_value(name, rule.endpoint)
                continue
            values[name] = {
                "recipe_id": recipe_id,
                "token_id": 1,
                "filename": "style.css",
                "job_id": "x" * 24,
                "token": share,
                "invitation_id": 1,
                "user_id": self.user_id,
                "username": "ann",
                "photo_id": 1,
                "variant": (rule.defaults or {}).get("variant", "display"),
            }[name]
        with self.app.test_request_context():
            return rule.build(values, append_unknown=False)[1]

    def plan(self, recipe_id: int) -> PlanCase:
        """ann's plan entry, shopping list (with an item and a recipe) and live links."""
        db = connect(self.app.config["DATABASE"])
        try:
            return PlanCase(db, get_user(db, self.user_id).household_id, recipe_id, "share")
        finally:
            db.close()

    def headers(self, path: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if path.startswith("/api/") else {}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    data = tmp_path_factory.mktemp("hostile") / "data"
    config = {"TESTING": True, "DATA_DIR": str(data), "WTF_CSRF_ENABLED": False}
    app = create_app({**config, "MAX_CONTENT_LENGTH": LIMIT, "RATELIMIT_ENABLED": False})
    db = connect(app.config["DATABASE"])
    ann = create_user(db, "ann", PASSWORD)
    eve = create_user(db, "eve", PASSWORD)
    assert ann.household_id == ann.id  # Site uses one id for both
    token = create_token(db, ann.id, "hostile")[1]
    other = store.create_recipe(
        db, eve.household_id, RecipeIn(title="Eve's secret soup"), by=eve.id
    )
    db.close()
    return Site(app, token, ann.id, other)


def body_rules(app: Flask) -> list[tuple[Rule, str]]:
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in BODY_METHODS
        if method in rule.methods
    ]


# --- search -----------------------------------------------------------------------------


def _search_ok(client: FlaskClient, site: Site, text: str) -> list[int]:
    page = client.get("/search", query_string={"q": text})
    assert page.status_code == 200, (text, page.status_code)
    response = client.get(
        "/api/v1/recipes", query_string={"q": text}, headers=site.headers("/api/")
    )
    if len(text) > 10_000:  # the API's documented limit on q
        assert response.status_code == 422, (text[:50], response.status_code)
        return []
    assert response.status_code == 200, (text, response.status_code, response.text[:200])
    ids = [item["id"] for item in response.json["items"]]
    assert site.other_recipe not in ids, f"{text!r} reached another user's recipe"
    # The title's words: "Eve" alone turns up by chance in a random CSRF token.
    assert "secret soup" not in page.text
    return ids


def test_search_payloads_give_results_or_nothing(site: Site) -> None:
    client = site.client()
    for text in SEARCH:
        _search_ok(client, site, text)
    # Real words still find the recipe around the noise.
    recipe_id, _ = site.fresh_recipe()
    assert recipe_id in _search_ok(client, site, "leek' --")
    record("search-payloads", payloads=len(SEARCH), server_errors=0, leaks=0)


@pytest.mark.slow  # 150 searches through the app: about a minute on two busy cores
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=200))
def test_any_search_text_gives_results_or_nothing(site: Site, text: str) -> None:
    _search_ok(site.client(), site, text)


# --- oversized bodies, bad bytes, missing fields -------------------------------------------


@pytest.mark.slow  # 5-20 s: the full suite and CI run it, the quick lane does not
def test_oversized_bodies_get_413_everywhere(site: Site) -> None:
    wrong = []
    big = b"x" * (LIMIT + 1)
    for rule, method in body_rules(site.app):
        client, path = site.client(), site.url(rule)
        if rule.endpoint in PHOTO_UPLOADS:
            # Photo uploads have their own, larger limit: a body said to be over it is
            # refused before a byte is read, with a message naming the 20 MB cap.
            claimed = client.open(
                path,
                method=method,
                input_stream=io.BytesIO(b"x"),
                content_type="multipart/form-data; boundary=x",
                environ_overrides={"CONTENT_LENGTH": str(PHOTO_UPLOADS[rule.endpoint] + 1)},
                headers=site.headers(path),
            )
            if claimed.status_code != 413 or b"20 MB" not in claimed.data:
                wrong.append(f"{method} {path} (photo): {claimed.status_code}")
            continue
        form = client.open(
            path,
            method=method,
            data=b"title=" + big,
            content_type="application/x-www-form-urlencoded",
            headers=site.headers(path),
        )
        raw = client.open(
            path,
            method=method,
            data=b'{"title": "' + big + b'"}',
            content_type="application/json",
            headers=site.headers(path),
        )
        for kind, response in (("form", form), ("json", raw)):
            if response.status_code != 413:
                wrong.append(f"{method} {path} ({kind}): {response.status_code}")
    assert wrong == [], "\n".join(wrong)


def test_oversized_body_on_the_real_server(tmp_path: Path) -> None:
    """16 MiB is the default limit; 17 MiB gets 413 and the workers carry on."""
    data = tmp_path / "data"
    add_user(data, "ann")
    token = add_token(data, "ann")
    body = b'{"title": "' + b"x" * (17 * 1024 * 1024) + b'"}'
    with running(data) as server:
        api = api_session(token)
        response = api.post(
            server.url + "/api/v1/recipes",
            data=body,
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        assert response.status_code == 413
        response = requests.post(
            server.url + "/auth/login", data={"username": "x" * (17 * 1024 * 1024)}, timeout=60
        )
        assert response.status_code in (400, 413)  # CSRF may refuse it first; never a 5xx
        assert api.get(server.url + "/api/v1/me", timeout=10).status_code == 200


BAD_FORMS = {
    "invalid UTF-8 (escaped)": b"title=%FF%FEsoup&username=%C3%28&name=%80",
    "invalid UTF-8 (raw)": b"title=\xff\xfesoup&username=\xc3\x28&name=\x80",
    "NUL": b"title=so%00up&username=a%00b&password=correct%00horse&name=x%00&url=https://e.com/%00",
}


@pytest.mark.slow  # 5-20 s: the full suite and CI run it, the quick lane does not
@pytest.mark.parametrize("kind", list(BAD_FORMS))
def test_invalid_utf8_and_nul_in_forms_get_400_or_422(site: Site, kind: str) -> None:
    wrong = []
    for rule, method in body_rules(site.app):
        path = site.url(rule)
        if path.startswith("/api/"):
            continue
        response = site.client().open(
            path,
            method=method,
            data=BAD_FORMS[kind],
            content_type="application/x-www-form-urlencoded",
        )
        if response.status_code not in (400, 422):
            wrong.append(f"{method} {path}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)
    # Nothing was stored with a replacement character or a NUL.
    db = connect(site.app.config["DATABASE"])
    try:
        titles = [row[0] for row in db.execute("SELECT title FROM recipes")]
    finally:
        db.close()
    assert not [t for t in titles if "\ufffd" in t or "\x00" in t]


def test_invalid_utf8_and_nul_in_query_strings(site: Site) -> None:
    client = site.client()
    assert client.get("/search?q=%FF%FE").status_code == 400
    assert client.get("/?tag=%C3%28").status_code == 400
    # A NUL in a search is only searched for: no error, no match.
    assert client.get("/search?q=so%00up").status_code == 200


@pytest.mark.parametrize(  # each body walks every API route (~3 s): two in the quick lane
    "body",
    [b'{"title": "\xff\xfe"}', b'{"title": "a\x00b"}',
     pytest.param(b'{"title": "a\\u0000b"}', marks=pytest.mark.slow),
     pytest.param(b'{"title": "\\ud800"}', marks=pytest.mark.slow),
     pytest.param(b"\xef\xbb\xbf\xff", marks=pytest.mark.slow)],
)  # fmt: skip
def test_invalid_utf8_and_nul_in_api_bodies(site: Site, body: bytes) -> None:
    wrong = []
    for rule, method in body_rules(site.app):
        path = site.url(rule)
        if not path.startswith("/api/"):
            continue
        response = site.client().open(
            path,
            method=method,
            data=body,
            content_type="application/json",
            headers=site.headers(path),
        )
        # Endpoints without a body (share) ignore it; none may fail or store it.
        if response.status_code not in (400, 422) and not path.endswith("/share"):
            wrong.append(f"{method} {path}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.slow  # 5-20 s: the full suite and CI run it, the quick lane does not
def test_missing_fields_get_a_message_not_a_500(site: Site) -> None:
    wrong = []
    for rule, method in body_rules(site.app):
        path = site.url(rule)
        client = site.client()
        if path.startswith("/api/"):
            response = client.open(path, method=method, json={}, headers=site.headers(path))
            if response.status_code >= 500 or (
                response.status_code >= 400 and "message" not in response.json["error"]
            ):
                wrong.append(f"{method} {path}: {response.status_code} {response.text[:100]}")
            continue
        response = client.open(path, method=method, data={})
        if response.status_code >= 500:
            wrong.append(f"{method} {path}: {response.status_code}")
        elif response.status_code >= 400:
            text = response.text
            has_message = any(
                marker in text for marker in ('class="error', "flash", "errors", "<p>")
            )
            if not has_message:
                wrong.append(f"{method} {path}: {response.status_code} without a message")
    assert wrong == [], "\n".join(wrong)


def test_the_main_forms_say_what_is_missing(site: Site) -> None:
    client = site.client()
    for path in ("/recipes/new", f"/recipes/{site.fresh_recipe()[0]}/edit"):
        response = client.post(path, data={})
        assert response.status_code == 422
        assert "required" in response.text.lower()
    anonymous = site.app.test_client()
    assert anonymous.post("/auth/login", data={}).status_code == 401
    response = anonymous.post("/auth/register", data={})
    assert response.status_code == 422
    assert "required" in response.text.lower()


# --- security headers ---------------------------------------------------------------------


def _check_headers(response: Any, where: str) -> list[str]:
    if not response.headers.get("Content-Type", "").startswith("text/html"):
        return []
    problems = []
    for name, parts in HEADERS.items():
        value = response.headers.get(name)
        if value is None or not all(part in value for part in parts):
            problems.append(f"{where}: {name} = {value!r}")
    return problems


@pytest.mark.slow  # 5-20 s: the full suite and CI run it, the quick lane does not
def test_security_headers_on_every_html_response(site: Site) -> None:
    problems: list[str] = []
    pages = 0
    for rule in site.app.url_map.iter_rules():
        path = site.url(rule)
        for client in (site.client(), site.app.test_client()):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                kwargs: dict[str, Any] = {"headers": site.headers(path)}
                if method in BODY_METHODS:
                    kwargs["data"] = {}
                response = client.open(path, method=method, **kwargs)
                pages += 1
                problems += _check_headers(response, f"{method} {path} ({response.status_code})")
    client = site.client()
    extra = {
        "404": client.get("/no/such/page"),
        "405": client.put("/recipes/new"),
        "400": client.post("/recipes/new", data=b"title=%FF", content_type=BAD_FORM_TYPE),
        "413": client.post("/recipes/new", data={"title": "x" * (LIMIT + 1)}),
        "422": client.post("/recipes/new", data={}),
        "search": client.get("/search", query_string={"q": SEARCH[0]}),
        "shared": site.app.test_client().get(f"/s/{site.fresh_recipe()[1]}"),
    }
    for name, response in extra.items():
        pages += 1
        problems += _check_headers(response, name)
        assert response.headers.get("Content-Type", "").startswith("text/html"), name
    assert problems == [], "\n".join(problems)
    record("security-headers", html_responses_checked=pages, missing=0)


BAD_FORM_TYPE = "application/x-www-form-urlencoded"


def test_error_bodies_are_never_stack_traces(site: Site) -> None:
    client = site.client()
    responses = [
        client.post("/recipes/new", data=b"\xff", content_type=BAD_FORM_TYPE),
        client.post("/api/v1/recipes", data=b"{", content_type="application/json",
                    headers=site.headers("/api/")),
        client.post("/api/v1/recipes", data=json.dumps([1] * 3), content_type="application/json",
                    headers=site.headers("/api/")),
        client.get("/api/v1/recipes/99999999999999999999999", headers=site.headers("/api/")),
        client.get("/recipes/99999999999999999999999"),
    ]  # fmt: skip
    for response in responses:
        assert response.status_code < 500, response.text[:300]
        assert "Traceback" not in response.text and 'File "' not in response.text
