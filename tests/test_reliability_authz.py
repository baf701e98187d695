"""Authorization matrix, generated from the app's URL map.

Every rule and method is requested as: anonymous, the owner, another user, an admin (who
has no rights over others' recipes), a holder of a share link and a holder of a revoked
share link. Each pair has an expected status in RULES; a route without a rule fails the
test, so a new route cannot slip in unreviewed. Methods a path does not serve get 405.
"""

from __future__ import annotations

import io
import json
import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.routing import Rule

from recipes import create_app, sharing, store
from recipes.api.tokens import create_token
from recipes.db import connect
from recipes.mealplan.owner import user_household
from recipes.models import RecipeIn
from recipes.users import create_user
from tests.support.authz_plan import PlanCase
from tests.support.photo_files import plain
from tests.support.reliability_report import record

pytestmark = pytest.mark.reliability
PASSWORD = "correct horse 1"
USERS = ("owner", "other", "admin")
VISITORS = ("anon", "share", "revoked")  # not signed in
ROLES = (*VISITORS, *USERS)
LOGIN = "login"  # a 302 to the login page
ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
RECIPE_PAGE = (
    '<html><head><script type="application/ld+json">{"@context": "https://schema.org", '
    '"@type": "Recipe", "name": "Imported soup", "recipeIngredient": ["1 leek"], '
    '"recipeInstructions": ["Cook."]}</script></head><body>Soup</body></html>'
)

Expect = dict[str, int | str]


def public(status: int | str) -> Expect:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int) -> Expect:
    return {**dict.fromkeys(VISITORS, LOGIN), **dict.fromkeys(USERS, status)}


def owned(status: int) -> Expect:
    """Only the owner; others get 404, never 403, so ids are not confirmed."""
    return {**dict.fromkeys(VISITORS, LOGIN), "owner": status, "other": 404, "admin": 404}


def api(status: int) -> Expect:
    return {**dict.fromkeys(VISITORS, 401), **dict.fromkeys(USERS, status)}


def api_owned(status: int) -> Expect:
    return {**dict.fromkeys(VISITORS, 401), "owner": status, "other": 404, "admin": 404}


# endpoint -> method -> role -> status. Review any change here as a security change.
RULES: dict[str, dict[str, Expect]] = {
    "static": {"GET": public(200)},
    "health.healthz": {"GET": public(200)},
    "docs.guide": {"GET": public(200)},
    "auth.register": {"GET": public(200), "POST": public(302)},
    "auth.login": {
        "GET": {**dict.fromkeys(VISITORS, 200), **dict.fromkeys(USERS, 302)},
        "POST": public(302),
    },  # fmt: skip
    "auth.logout": {"POST": public(LOGIN)},
    "recipes.index": {"GET": signed_in(200)},
    "recipes.search": {"GET": signed_in(200)},
    "recipes.new": {"GET": signed_in(200), "POST": signed_in(302)},
    "recipes.view": {"GET": owned(200)},
    "recipes.edit": {"GET": owned(200), "POST": owned(302)},
    "recipes.delete": {"GET": owned(200), "POST": owned(302)},
    "sharing.manage": {"GET": owned(200), "POST": owned(302)},
    "sharing.revoke": {"POST": owned(302)},
    # The anonymous visitor guesses a token; the revoked holder's token no longer works.
    "sharing.shared": {"GET": {**public(200), "anon": 404, "revoked": 404}},
    "settings.page": {"GET": signed_in(200), "POST": signed_in(200)},
    "settings.revoke": {"POST": owned(302)},
    "api.openapi": {"GET": public(200)},
    "api.me": {"GET": api(200)},
    "api.list_recipes": {"GET": api(200)},
    "api.create": {"POST": api(201)},
    "api.get": {"GET": api_owned(200)},
    "api.replace": {"PUT": api_owned(200)},
    "api.patch": {"PATCH": api_owned(200)},
    "api.delete": {"DELETE": api_owned(204)},
    "api.share": {"POST": api_owned(200)},
    "api.unshare": {"DELETE": api_owned(204)},
    "api.tags": {"GET": api(200)},
    "api_ingredients.parse": {"POST": api(200)},  # owns nothing: parses the lines sent
    "importer.page": {"GET": signed_in(200)},
    "importer.start": {"POST": signed_in(302)},
    "importer.from_url": {"POST": signed_in(502)},  # a private address: refused, no fetch
    "importer.from_html": {"POST": signed_in(302)},
    # Cross-site by design: it only parks the page until a signed-in user confirms it.
    "importer.bookmarklet": {"POST": public(303)},
    "importer.confirm": {"GET": signed_in(200)},
    "importer.save_stashed": {"POST": signed_in(302)},
    "importer.from_file": {"POST": signed_in(303)},
    "importer.job": {"GET": owned(200)},
    "importer.export_zip": {"GET": signed_in(200)},
    "importer.export_paprika": {"GET": signed_in(200)},
    "importer.recipe_jsonld": {"GET": owned(200)},
    "recipes.favourite": {"POST": owned(302)},
    "recipes.rate": {"POST": owned(302)},
    "photos.serve": {"GET": owned(200)},
    "photos.shared": {"GET": {**public(200), "anon": 404, "revoked": 404}},
    "photos.upload": {"POST": owned(302)},
    "photos.delete": {"POST": owned(302)},
    "photos.move": {"POST": owned(302)},
    "api.list_photos": {"GET": api_owned(200)},
    "api.upload_photo": {"POST": api_owned(201)},
    "api.arrange_photos": {"PATCH": api_owned(200)},
    "api.update_photo": {"PATCH": api_owned(200)},
    "api.delete_photo": {"DELETE": api_owned(204)},
    "api.photo_file": {"GET": api_owned(200)},
    "import_api.import_recipe": {"POST": api(201)},
    "imports_api.start": {"POST": api(202)},
    "imports_api.status": {"GET": api_owned(200)},  # the job's owner only
    # Meal plans and shopping lists belong to the owner's household (tests/authz_plan.py).
    "plan.week": {"GET": signed_in(200)},
    "plan.add": {"POST": signed_in(302)},
    "plan.move": {"POST": owned(302)},
    "plan.delete": {"POST": owned(302)},
    "plan.cooked": {"POST": owned(302)},
    "plan.copy_week": {"POST": signed_in(302)},
    "plan.add_slot": {"POST": signed_in(302)},
    "plan.rename_slot": {"POST": owned(302)},
    "plan.first_day": {"POST": signed_in(302)},
    "plan.suggest": {"GET": signed_in(200)},
    "plan.calendar_link": {"POST": signed_in(302)},
    "plan.calendar_revoke": {"POST": signed_in(302)},
    # The calendar address is its own key (calendar apps cannot sign in).
    "plan.feed": {"GET": {**public(200), "anon": 404, "revoked": 404}},
    "shopping.lists": {"GET": signed_in(200)},
    "shopping.create": {"POST": signed_in(302)},
    "shopping.page": {"GET": owned(200)},
    "shopping.add_item": {"POST": owned(302)},
    "shopping.add_recipes": {"POST": owned(302)},
    "shopping.remove_recipe": {"POST": owned(302)},
    "shopping.check": {"POST": owned(302)},
    "shopping.move_aisle": {"POST": owned(302)},
    "shopping.delete_item": {"POST": owned(302)},
    "shopping.add_staples": {"POST": owned(302)},
    "shopping.clear_checked": {"POST": owned(302)},
    "shopping.text": {"GET": owned(200)},
    "shopping.share": {"POST": owned(302)},
    "shopping.unshare": {"POST": owned(302)},
    "shopping.delete": {"POST": owned(302)},
    "shopping.household_settings": {"GET": signed_in(200), "POST": signed_in(302)},
    "shopping.shared": {"GET": {**public(200), "anon": 404, "revoked": 404}},
    "mealplan_api.list_entries": {"GET": api(200)},
    "mealplan_api.create_entry": {"POST": api(201)},
    "mealplan_api.get_entry": {"GET": api_owned(200)},
    "mealplan_api.update_entry": {"PATCH": api_owned(200)},
    "mealplan_api.delete_entry": {"DELETE": api_owned(204)},
    "shopping_api.lists": {"GET": api(200)},
    "shopping_api.create_list": {"POST": api(201)},
    "shopping_api.get_list": {"GET": api_owned(200)},
    "shopping_api.delete_list": {"DELETE": api_owned(204)},
    "shopping_api.add_recipes": {"POST": api_owned(201)},
    "shopping_api.remove_recipe": {"DELETE": api_owned(204)},
    "shopping_api.add_item": {"POST": api_owned(201)},
    "shopping_api.update_item": {"PATCH": api_owned(200)},
    "shopping_api.delete_item": {"DELETE": api_owned(204)},
    "cooking.cook": {"GET": owned(200)},
    "cooking.cooked": {"POST": owned(302)},  # "I made this": the owner's household only
}


@dataclass
class World:
    app: Flask
    cookies: dict[str, str]  # role -> session cookie value
    tokens: dict[str, str]  # role -> API token
    ids: dict[str, int]  # username -> user id


def _session_cookie(app: Flask, username: str) -> str:
    client = app.test_client()
    response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    cookie = client.get_cookie("recipes_session")
    assert cookie is not None
    return cookie.value


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    data = tmp_path_factory.mktemp("authz") / "data"
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(data),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    db = connect(app.config["DATABASE"])
    ids = {name: create_user(db, name, PASSWORD).id for name in ("admin", "owner", "other")}
    assert db.execute("SELECT is_admin FROM users WHERE username = 'admin'").fetchone()[0] == 1
    tokens = {name: create_token(db, ids[name], "matrix")[1] for name in USERS}
    db.close()
    cookies = {name: _session_cookie(app, name) for name in USERS}
    return World(app, cookies, tokens, ids)


class Case:
    """One request's fresh resources: the owner's recipe, share links, token, job."""

    def __init__(self, world: World, role: str) -> None:
        self.world, self.role = world, role
        app = world.app
        owner = world.ids["owner"]
        db = connect(app.config["DATABASE"])
        try:
            self.recipe_id = store.create_recipe(db, owner, RecipeIn(title="Owner's soup"))
            with app.test_request_context():
                live = sharing.new_token()
                revoked = sharing.new_token()
            store.set_share_token(db, owner, self.recipe_id, revoked)
            store.set_share_token(db, owner, self.recipe_id, live)  # the old link is dead
            self.share_token = {"revoked": revoked, "anon": secrets.token_urlsafe(24)}.get(
                role, live
            )
            self._photo(db)
            self.plan = PlanCase(db, user_household(db, owner), self.recipe_id, role)
        finally:
            db.close()

    def _photo(self, db: Any) -> None:
        from recipes.photos import storage
        from recipes.photos.processing import process

        db.execute("BEGIN")
        self.photo_id = storage.insert_photo(db, self.recipe_id, process(plain()))
        db.execute("COMMIT")

    def _api_token(self) -> int:
        db = connect(self.world.app.config["DATABASE"])
        try:
            db.execute("DELETE FROM api_tokens WHERE name = 'victim'")
            return create_token(db, self.world.ids["owner"], "victim")[0].id
        finally:
            db.close()

    def _job(self) -> str:
        from recipes.importing import jobs

        job_id = secrets.token_urlsafe(18)
        state = {"user_id": self.world.ids["owner"], "done": True, "filename": "x.json"}
        jobs.write_state(self.world.app.config["DATA_DIR"], job_id, {**state, **_job_fields()})
        return job_id

    def _stash(self) -> str:
        from recipes.importing import stash

        token = stash.put(
            self.world.app.config["DATA_DIR"], {"url": "https://example.com/r", "html": RECIPE_PAGE}
        )
        assert token
        return token

    def client(self) -> FlaskClient:
        client = self.world.app.test_client()
        if self.role in USERS:
            client.set_cookie("recipes_session", self.world.cookies[self.role])
        return client

    def url(self, rule: Rule) -> str:
        values: dict[str, Any] = {}
        for name in rule.arguments:
            if name == "recipe_id":
                values[name] = self.recipe_id
            elif name == "token_id":
                values[name] = self._api_token()
            elif name == "filename":
                values[name] = "style.css"
            elif name == "job_id":
                values[name] = self._job()
            elif name == "photo_id":
                values[name] = self.photo_id
            elif name == "variant":
                values[name] = (rule.defaults or {}).get("variant", "display")
            elif name == "token" and rule.endpoint in ("sharing.shared", "photos.shared"):
                values[name] = self.share_token
            elif name == "token" and rule.endpoint.startswith("importer."):
                values[name] = self._stash()
            elif self.plan.url_value(name, rule.endpoint) is not None:
                values[name] = self.plan.url_value(name, rule.endpoint)
            else:
                pytest.fail(f"{rule.endpoint}: no value for <{name}>; extend Case.url")
        with self.world.app.test_request_context():
            return rule.build(values, append_unknown=False)[1]

    def request(self, rule: Rule, method: str) -> Any:
        path = self.url(rule)
        headers = {}
        if path.startswith("/api/") and self.role in USERS:
            headers["Authorization"] = f"Bearer {self.world.tokens[self.role]}"
        body = self.plan.body(rule.endpoint, method) or _body(rule, method)
        return self.client().open(path, method=method, headers=headers, **body)


def _job_fields() -> dict[str, Any]:
    return {"total": 1, "created": [], "updated": [], "skipped": [], "failed": []}


def _body(rule: Rule, method: str) -> dict[str, Any]:
    """A valid body, so the status reflects who is asking rather than what was sent."""
    endpoint = rule.endpoint
    unique = secrets.token_hex(4)
    forms: dict[str, dict[str, Any]] = {
        "auth.register": {
            "username": f"new{unique}",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
        "auth.login": {"username": "owner", "password": PASSWORD},
        "recipes.new": {"title": "New soup"},
        "recipes.edit": {"title": "Edited soup"},
        "cooking.cooked": {"cooked_on": "2026-01-02", "rating": "4"},
        "settings.page": {"name": "matrix token"},
        "importer.from_url": {"url": "http://127.0.0.1:9/recipe"},
        "importer.from_html": {"url": f"https://example.com/{unique}", "html": RECIPE_PAGE},
        "importer.start": {"url": f"https://example.com/{unique}", "html": RECIPE_PAGE},
        "importer.bookmarklet": {"url": "https://example.com/b", "html": RECIPE_PAGE},
        "importer.from_file": {
            "file": (io.BytesIO(RECIPE_PAGE.encode()), f"soup-{unique}.html"),
        },
        "imports_api.start": {
            "file": (io.BytesIO(RECIPE_PAGE.encode()), f"soup-{unique}.html"),
        },
        "photos.upload": {"file": (io.BytesIO(plain()), "photo.png")},
        "photos.move": {"to": "later"},
        "recipes.favourite": {"on": "1"},
        "recipes.rate": {"rating": "3"},
        "api.upload_photo": {"file": (io.BytesIO(plain()), "photo.png")},
    }
    if endpoint in forms and method == "POST":
        return {"data": forms[endpoint]}
    payloads: dict[str, dict[str, Any]] = {
        "api.create": {"title": "API soup"},
        "api.replace": {"title": "Replaced soup"},
        "api.patch": {"notes": "patched"},
        "api.arrange_photos": {"order": []},
        "api.update_photo": {"cover": True},
        "api_ingredients.parse": {"lines": ["1 leek"]},
        "import_api.import_recipe": {
            "url": f"https://example.com/{unique}",
            "html": RECIPE_PAGE,
        },
    }
    if endpoint in payloads:
        return {"data": json.dumps(payloads[endpoint]), "content_type": "application/json"}
    return {}


def _outcome(response: Any) -> int | str:
    if response.status_code == 302 and "/auth/login" in response.headers.get("Location", ""):
        return LOGIN
    return response.status_code


def _cases(app: Flask) -> list[tuple[Rule, str]]:
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"OPTIONS"})
    ]


def test_every_route_has_a_rule(world: World) -> None:
    missing = sorted(
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule, method in _cases(world.app)
        if method != "HEAD" and method not in RULES.get(rule.endpoint, {})
    )
    assert missing == [], "routes without an authorization rule in RULES:\n" + "\n".join(missing)
    stale = sorted(set(RULES) - {rule.endpoint for rule in world.app.url_map.iter_rules()})
    assert stale == [], f"rules for routes that no longer exist: {stale}"


def test_authorization_matrix(world: World) -> None:
    wrong: list[str] = []
    tried = 0
    for rule, method in _cases(world.app):
        expected_by_role = RULES.get(rule.endpoint, {}).get("GET" if method == "HEAD" else method)
        if expected_by_role is None:
            continue  # reported by test_every_route_has_a_rule
        for role in ROLES:
            response = Case(world, role).request(rule, method)
            tried += 1
            if rule.endpoint == "auth.logout" and role in USERS:
                # Logging out ends that login for every copy of its cookie: log in again.
                world.cookies[role] = _session_cookie(world.app, role)
            got, expected = _outcome(response), expected_by_role[role]
            if got != expected:
                wrong.append(f"{role:8} {method:6} {rule.rule}: got {got}, expected {expected}")
    record("authz-matrix", requests=tried, wrong=len(wrong))
    assert wrong == [], "\n".join(wrong)


def _served(adapter: Any, path: str, method: str) -> bool:
    try:
        adapter.match(path, method=method)
    except MethodNotAllowed:
        return False
    return True


def test_methods_a_path_does_not_serve_are_refused(world: World) -> None:
    adapter = world.app.url_map.bind("127.0.0.1")
    wrong: list[str] = []
    for rule in world.app.url_map.iter_rules():
        for method in ALL_METHODS:
            for role in ("anon", "owner"):
                case = Case(world, role)
                path = case.url(rule)
                if _served(adapter, path, method):
                    continue  # by this rule or a sibling: covered by the matrix
                got = case.request(rule, method).status_code
                if got != 405:
                    wrong.append(f"{role} {method} {path}: got {got}, expected 405")
    assert wrong == [], "\n".join(wrong)
