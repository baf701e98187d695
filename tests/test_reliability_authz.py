"""Authorization matrix, generated from the app's URL map.

Two households on one server. Household A: the owner (its admin, who added the recipe),
a member and a viewer. Household B: "other", its admin. Also the server's first account
("admin", of a household of its own, with no rights over others' recipes), the anonymous
visitor, a holder of a share link and a holder of a revoked share link. Every rule and
method is requested as each of them; each pair has an expected status in RULES. A route
without a rule fails the test, so a new route cannot slip in unreviewed. Methods a path
does not serve get 405. Invitation links are tried used, expired, revoked and across
households.
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

from recipes import create_app, households, sharing, store
from recipes.api.tokens import create_token
from recipes.db import connect, transaction
from recipes.models import RecipeIn
from recipes.users import create_user, get_user
from tests.support.authz_plan import PlanCase
from tests.support.photo_files import plain
from tests.support.reliability_report import record

pytestmark = pytest.mark.reliability
PASSWORD = "correct horse 1"
HOUSEHOLD = ("owner", "member", "viewer")  # household A; the owner is its admin
OUTSIDERS = ("other", "admin")  # each the admin of another household
USERS = (*HOUSEHOLD, *OUTSIDERS)
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


def writers(status: int) -> Expect:
    """Signed-in people who may write; viewers get 403 wherever they are."""
    return {**signed_in(status), "viewer": 403}


def owned(status: int) -> Expect:
    """Everyone in the household reads; outsiders get 404, never 403, so ids are not
    confirmed."""
    return {
        **dict.fromkeys(VISITORS, LOGIN),
        **dict.fromkeys(HOUSEHOLD, status),
        **dict.fromkeys(OUTSIDERS, 404),
    }


def owned_write(status: int) -> Expect:
    """The household's writers; its viewer 403; outsiders 404."""
    return {**owned(status), "viewer": 403}


def admins(status: int, outsiders: int | str) -> Expect:
    """Household management: A's admin; A's member and viewer 403; the outsiders (admins
    of their own households) get `outsiders` (their own household, or 404 for A's things)."""
    return {
        **dict.fromkeys(VISITORS, LOGIN),
        "owner": status,
        "member": 403,
        "viewer": 403,
        **dict.fromkeys(OUTSIDERS, outsiders),
    }


def personal(status: int) -> Expect:
    """Belongs to the owner as a person (API tokens, import jobs): everyone else 404."""
    return {**dict.fromkeys(VISITORS, LOGIN), **dict.fromkeys(USERS, 404), "owner": status}


def as_api(expect: Expect) -> Expect:
    return {**expect, **dict.fromkeys(VISITORS, 401)}


def api(status: int) -> Expect:
    return as_api(signed_in(status))


def api_owned(status: int) -> Expect:
    return as_api(owned(status))


def api_owned_write(status: int) -> Expect:
    return as_api(owned_write(status))


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
    "recipes.new": {"GET": writers(200), "POST": writers(302)},
    "recipes.view": {"GET": owned(200)},
    "recipes.edit": {"GET": owned_write(200), "POST": owned_write(302)},
    "recipes.delete": {"GET": owned_write(200), "POST": owned_write(302)},
    "sharing.manage": {"GET": owned(200), "POST": owned_write(302)},
    "sharing.revoke": {"POST": owned_write(302)},
    # The anonymous visitor guesses a token; the revoked holder's token no longer works.
    "sharing.shared": {"GET": {**public(200), "anon": 404, "revoked": 404}},
    "settings.page": {"GET": signed_in(200), "POST": signed_in(200)},
    "settings.revoke": {"POST": personal(302)},
    "api.openapi": {"GET": public(200)},
    "api.me": {"GET": api(200)},
    "api.list_recipes": {"GET": api(200)},
    "api.create": {"POST": as_api(writers(201))},
    "api.get": {"GET": api_owned(200)},
    "api.replace": {"PUT": api_owned_write(200)},
    "api.patch": {"PATCH": api_owned_write(200)},
    "api.delete": {"DELETE": api_owned_write(204)},
    "api.share": {"POST": api_owned_write(200)},
    "api.unshare": {"DELETE": api_owned_write(204)},
    "api.tags": {"GET": api(200)},
    "api_ingredients.parse": {"POST": api(200)},  # owns nothing: parses the lines sent
    "importer.page": {"GET": signed_in(200)},
    "importer.start": {"POST": writers(302)},
    "importer.from_url": {"POST": writers(502)},  # a private address: refused, no fetch
    "importer.from_html": {"POST": writers(302)},
    # Cross-site by design: it only parks the page until a signed-in user confirms it
    # (a signed-in viewer may not import at all).
    "importer.bookmarklet": {"POST": {**public(303), "viewer": 403}},
    "importer.confirm": {"GET": signed_in(200)},
    "importer.save_stashed": {"POST": writers(302)},
    "importer.from_file": {"POST": writers(303)},
    "importer.job": {"GET": personal(200)},
    "importer.export_zip": {"GET": signed_in(200)},
    "importer.export_paprika": {"GET": signed_in(200)},
    "importer.recipe_jsonld": {"GET": owned(200)},
    "recipes.favourite": {"POST": owned(302)},  # a person's own star
    "recipes.rate": {"POST": owned_write(302)},
    "photos.serve": {"GET": owned(200)},
    "photos.shared": {"GET": {**public(200), "anon": 404, "revoked": 404}},
    "photos.upload": {"POST": owned_write(302)},
    "photos.delete": {"POST": owned_write(302)},
    "photos.move": {"POST": owned_write(302)},
    "api.list_photos": {"GET": api_owned(200)},
    "api.upload_photo": {"POST": api_owned_write(201)},
    "api.arrange_photos": {"PATCH": api_owned_write(200)},
    "api.update_photo": {"PATCH": api_owned_write(200)},
    "api.delete_photo": {"DELETE": api_owned_write(204)},
    "api.photo_file": {"GET": api_owned(200)},
    "imports_api.start": {"POST": as_api(writers(202))},
    "imports_api.status": {"GET": as_api(personal(200))},  # the job's owner only
    "import_api.import_recipe": {"POST": as_api(writers(201))},
    # Households. Changes are undone after each request (Case.restore).
    "household.page": {"GET": signed_in(200)},
    "household.rename": {"POST": admins(302, 302)},
    "household.invite": {"POST": admins(200, 200)},
    "household.revoke_invitation": {"POST": admins(302, 404)},
    "household.set_role": {"POST": admins(302, 404)},
    "household.remove": {"POST": admins(302, 404)},
    # Refusals (the only admin; the only member) come back as a message: 302 for all.
    "household.leave": {"GET": signed_in(200), "POST": signed_in(302)},
    # A usable invitation to A: visitors choose to register or log in; A's people are
    # already members (302 to the household page); outsiders see it and may join.
    "household.join": {
        "GET": {**public(200), **dict.fromkeys(HOUSEHOLD, 302)},
        "POST": {**public(200), **dict.fromkeys(USERS, 302)},
    },
    "household_api.get": {"GET": api(200)},
    "household_api.rename": {"PATCH": as_api(admins(200, 200))},
    "household_api.set_role": {"PATCH": as_api(admins(200, 404))},
    "household_api.remove": {"DELETE": as_api(admins(200, 404))},
    # The owner is A's only admin, the outsiders their household's only member: 409.
    "household_api.leave": {"POST": {**api(409), "member": 200, "viewer": 200}},
    "household_api.invitations": {"GET": as_api(admins(200, 200))},
    "household_api.invite": {"POST": as_api(admins(201, 201))},
    "household_api.revoke": {"DELETE": as_api(admins(204, 404))},
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
    "shopping.add_recipe": {"POST": owned(302)},  # outsiders: the recipe is not theirs
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
    "cooking.cooked": {"POST": owned_write(302)},  # "I made this": the household's writers
}

# Viewers read plans but change nothing (recipes.mealplan calls households.require_writer):
# 403 on every change, whatever the rule above says. They use shopping lists like everyone
# else, but share links and the household's aisles and staples are for writers.
_WRITERS_ONLY = ("shopping.share", "shopping.unshare", "shopping.household_settings")
for _endpoint, _methods in RULES.items():
    if _endpoint.startswith(("plan.", "mealplan_api.")) or _endpoint in _WRITERS_ONLY:
        for _method, _expect in _methods.items():
            if _method != "GET" and _expect.get("viewer") not in (LOGIN, 404, 401):
                _methods[_method] = {**_expect, "viewer": 403}


@dataclass
class World:
    app: Flask
    cookies: dict[str, str]  # role -> session cookie value
    tokens: dict[str, str]  # role -> API token
    ids: dict[str, int]  # username -> user id
    home: int  # household A
    places: list[tuple[int, int, int]]  # (user id, household id, role) to restore


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
    home = get_user(db, ids["owner"]).household_id  # type: ignore[union-attr]
    for name in ("member", "viewer"):
        ids[name] = create_user(db, name, PASSWORD, household_id=home, role=name).id
    assert db.execute("SELECT is_admin FROM users WHERE username = 'admin'").fetchone()[0] == 1
    tokens = {name: create_token(db, ids[name], "matrix")[1] for name in USERS}
    places = db.execute("SELECT id, household_id, role FROM users").fetchall()
    db.close()
    cookies = {name: _session_cookie(app, name) for name in USERS}
    return World(app, cookies, tokens, ids, home, [tuple(row) for row in places])


class Case:
    """One request's fresh resources: the owner's recipe, share links, token, job."""

    def __init__(self, world: World, role: str) -> None:
        self.world, self.role = world, role
        app = world.app
        owner, home = world.ids["owner"], world.home
        db = connect(app.config["DATABASE"])
        try:
            self.recipe_id = store.create_recipe(db, home, RecipeIn(title="Owner's soup"), by=owner)
            with app.test_request_context():
                live = sharing.new_token()
                revoked = sharing.new_token()
            store.set_share_token(db, home, self.recipe_id, revoked)
            store.set_share_token(db, home, self.recipe_id, live)  # the old link is dead
            self.share_token = {"revoked": revoked, "anon": secrets.token_urlsafe(24)}.get(
                role, live
            )
            self._photo(db)
            self.plan = PlanCase(db, get_user(db, owner).household_id, self.recipe_id, role)
        finally:
            db.close()

    def _member(self) -> tuple[int, str]:
        """A fresh member of household A, to change or remove."""
        name = f"target-{secrets.token_hex(4)}"
        db = connect(self.world.app.config["DATABASE"])
        try:
            db.execute(
                "INSERT INTO users (username, password_hash, created_at, household_id, role) "
                "VALUES (?, 'x', 'now', ?, 'member')",
                (name, self.world.home),
            )
            return db.execute("SELECT id FROM users WHERE username = ?", (name,)).fetchone()[
                0
            ], name
        finally:
            db.close()

    def _invitation(self) -> tuple[int, str]:
        """A fresh, usable invitation to household A: its id and its link's token."""
        db = connect(self.world.app.config["DATABASE"])
        try:
            record, secret = households.create_invitation(
                db, self.world.home, "member", self.world.ids["owner"]
            )
            return record.id, secret
        finally:
            db.close()

    def restore(self) -> None:
        """Put every account of the world back in its household with its role."""
        db = connect(self.world.app.config["DATABASE"])
        try:
            db.executemany(
                "UPDATE users SET household_id = ?, role = ? WHERE id = ?",
                [(household, role, user) for user, household, role in self.world.places],
            )
        finally:
            db.close()

    def _photo(self, db: Any) -> None:
        from recipes.photos import storage
        from recipes.photos.processing import process

        # BEGIN IMMEDIATE: a deferred transaction that reads first cannot wait for a writer
        # (a background job of an earlier case) and fails at once with "database is locked".
        with transaction(db):
            self.photo_id = storage.insert_photo(db, self.recipe_id, process(plain()))

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
            self.world.app.config["DATA_DIR"],
            {"url": f"https://example.com/r/{secrets.token_hex(4)}", "html": RECIPE_PAGE},
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
            elif name == "token" and rule.endpoint == "household.join":
                values[name] = self._invitation()[1]
            elif name == "invitation_id":
                values[name] = self._invitation()[0]
            elif name == "user_id":
                values[name] = self._member()[0]
            elif name == "username":
                values[name] = self._member()[1]
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
        try:
            return self.client().open(path, method=method, headers=headers, **body)
        finally:
            if rule.endpoint.startswith("household"):
                self.restore()


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
        "household.rename": {"name": f"Home {unique}"},
        "household.invite": {"role": "viewer"},
        "household.set_role": {"role": "viewer"},
        "household.leave": {"take": "nothing"},
        "household.join": {"take": "nothing"},
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
        "household_api.rename": {"name": f"Home {unique}"},
        "household_api.set_role": {"role": "viewer"},
        "household_api.leave": {"take": "nothing"},
        "household_api.invite": {"role": "viewer"},
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


@pytest.mark.slow  # 5-20 s: the full suite and CI run it, the quick lane does not
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


@pytest.mark.slow  # 5-20 s: the full suite and CI run it, the quick lane does not
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


def _spent_links(world: World) -> dict[str, tuple[int, str]]:
    """Invitations to household A that no longer work, by why: (id, token)."""
    case = Case(world, "anon")
    used, expired, revoked = case._invitation(), case._invitation(), case._invitation()
    db = connect(world.app.config["DATABASE"])
    try:
        db.execute(
            "UPDATE invitations SET used_at = '2025-01-01T00:00:00Z', used_by = ? WHERE id = ?",
            (world.ids["member"], used[0]),
        )
        db.execute(
            "UPDATE invitations SET expires_at = '2025-01-01T00:00:00Z' WHERE id = ?",
            (expired[0],),
        )
        db.execute("DELETE FROM invitations WHERE id = ?", (revoked[0],))
    finally:
        db.close()
    return {"used": used, "expired": expired, "revoked": revoked}


def test_invitation_links_reused_expired_revoked_or_foreign(world: World) -> None:
    """A spent link joins no one, for anyone, by any route; another household's admin
    cannot see or revoke A's invitations; and nobody's household changes."""
    wrong: list[str] = []
    tried = 0
    before = world.places
    for why, (_, token) in _spent_links(world).items():
        for role in ROLES:
            case = Case(world, role)
            client = case.client()
            unique = secrets.token_hex(4)
            form = {"username": f"joiner{unique}", "password": PASSWORD, "confirm": PASSWORD}
            attempts = {
                f"GET /join ({why})": client.get(f"/join/{token}"),
                f"POST /join ({why})": client.post(f"/join/{token}", data={"take": "copy"}),
                f"register ({why})": client.post(f"/auth/register?invite={token}", data=form),
            }
            for label, response in attempts.items():
                tried += 1
                if response.status_code != 404:
                    wrong.append(f"{role:8} {label}: got {response.status_code}, expected 404")
    # Household B's admin and the server's admin: A's live invitation is not theirs.
    for role in OUTSIDERS:
        case = Case(world, role)
        invitation_id, _ = case._invitation()
        bearer = {"Authorization": f"Bearer {world.tokens[role]}"}
        client = case.client()
        attempts = {
            "API revoke": client.delete(
                f"/api/v1/household/invitations/{invitation_id}", headers=bearer
            ),
            "page revoke": client.post(f"/household/invitations/{invitation_id}/revoke"),
        }
        listed = client.get("/api/v1/household/invitations", headers=bearer).get_json()
        if invitation_id in [item["id"] for item in listed["items"]]:
            wrong.append(f"{role:8} sees household A's invitation {invitation_id}")
        for label, response in attempts.items():
            tried += 1
            if response.status_code != 404:
                wrong.append(f"{role:8} {label}: got {response.status_code}, expected 404")
    db = connect(world.app.config["DATABASE"])
    try:
        rows = db.execute("SELECT id, household_id, role FROM users").fetchall()
        people = {user for user, _, _ in before}
        after = [tuple(row) for row in rows if row["id"] in people]
        joined = db.execute("SELECT count(*) FROM users WHERE username LIKE 'joiner%'")
        if joined.fetchone()[0]:
            wrong.append("an account was created through a spent invitation")
    finally:
        db.close()
    if sorted(after) != sorted(before):
        wrong.append("a spent or foreign invitation moved someone")
    record("authz-invitations", requests=tried, wrong=len(wrong))
    assert wrong == [], "\n".join(wrong)
