"""JSON API v1: every endpoint, every error status, ownership, tokens and session auth."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from recipes import create_app
from recipes.api import tokens
from recipes.db import connect
from recipes.users import create_user
from tests.conftest import csrf_token

PANCAKES = {
    "title": "Pancakes",
    "ingredient_groups": [
        {"title": None, "ingredients": ["200 g flour", "2 eggs"]},
        {"title": "To serve", "ingredients": ["maple syrup"]},
    ],
    "instructions": ["Whisk.", "Fry."],
    "servings": "8",
    "prep_time": 5,
    "cook_time": 20,
    "total_time": 25,
    "tags": ["breakfast", "quick"],
    "category": "Breakfast",
    "cuisine": "French",
    "source_url": "https://example.com/pancakes",
    "image_url": "https://example.com/pancakes.jpg",
    "notes": "Rest the batter.",
    "rating": 5,
    "nutrition": {"calories": "300 kcal"},
    "description": "Thin ones.",
}


def make_user(app, name: str) -> dict[str, str]:
    """A user with an API token; the Authorization header for it."""
    db = connect(app.config["DATABASE"])
    try:
        user = create_user(db, name, "correct horse 1")
        _, secret = tokens.create_token(db, user.id, "tests")
    finally:
        db.close()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def ann(app):
    return make_user(app, "ann")


@pytest.fixture
def bob(app):
    return make_user(app, "bob")


@pytest.fixture
def recipe(client, ann):
    response = client.post("/api/v1/recipes", headers=ann, json=PANCAKES)
    assert response.status_code == 201, response.json
    return response.json


def error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.data[:300])
    assert response.mimetype == "application/json"
    body = response.json["error"]
    assert body["status"] == status and body["message"]
    return body


# --- recipes -------------------------------------------------------------------------------


def test_create_returns_201_location_and_every_field(client, ann, recipe):
    for name, value in PANCAKES.items():
        assert recipe[name] == value, name
    assert recipe["ingredients"] == ["200 g flour", "2 eggs", "maple syrup"]
    assert recipe["share_url"] is None
    assert recipe["created_at"].endswith("Z") and recipe["updated_at"] == recipe["created_at"]
    response = client.get(f"/api/v1/recipes/{recipe['id']}", headers=ann)
    assert response.status_code == 200 and response.json == recipe


def test_create_location_header(client, ann):
    response = client.post("/api/v1/recipes", headers=ann, json={"title": "Soup"})
    assert response.headers["Location"] == f"/api/v1/recipes/{response.json['id']}"
    assert client.get(response.headers["Location"], headers=ann).json["title"] == "Soup"


def test_create_with_flat_ingredients(client, ann):
    body = {"title": "Toast", "ingredients": ["bread", " butter "]}
    response = client.post("/api/v1/recipes", headers=ann, json=body)
    assert response.status_code == 201
    assert response.json["ingredients"] == ["bread", "butter"]
    assert response.json["ingredient_groups"] == [
        {"title": None, "ingredients": ["bread", "butter"]}
    ]


def test_both_ingredient_shapes_is_422(client, ann):
    body = {"title": "x", "ingredients": ["a"], "ingredient_groups": [{"ingredients": ["a"]}]}
    fields = error(client.post("/api/v1/recipes", headers=ann, json=body), 422)["fields"]
    assert fields == {"ingredient_groups": "send either ingredients or ingredient_groups, not both"}


def test_list_pages_and_caps_per_page(client, ann):
    for n in range(5):
        client.post("/api/v1/recipes", headers=ann, json={"title": f"Dish {n}"})
    response = client.get("/api/v1/recipes?per_page=2&page=2", headers=ann)
    assert response.status_code == 200
    body = response.json
    assert set(body) == {"items", "total", "page", "per_page"}
    assert (body["total"], body["page"], body["per_page"]) == (5, 2, 2)
    assert [r["title"] for r in body["items"]] == ["Dish 2", "Dish 1"]  # newest first
    assert body["items"][0]["ingredients"] == []  # full recipe objects
    assert client.get("/api/v1/recipes?per_page=5000", headers=ann).json["per_page"] == 200
    assert client.get("/api/v1/recipes?page=9", headers=ann).json["items"] == []


def test_search_filters_and_tag_category(client, ann, recipe):
    client.post("/api/v1/recipes", headers=ann, json={"title": "Crème brûlée", "tags": ["dessert"]})

    def titles(query):
        response = client.get(f"/api/v1/recipes?{query}", headers=ann)
        assert response.status_code == 200
        return [r["title"] for r in response.json["items"]]

    assert titles("q=pan") == ["Pancakes"]
    assert titles("q=creme+brulee") == ["Crème brûlée"]
    assert titles("q=flour&tag=breakfast") == ["Pancakes"]
    assert titles("q=flour&tag=dessert") == []
    assert titles("tag=dessert") == ["Crème brûlée"]
    assert titles("category=breakfast") == ["Pancakes"]
    assert titles("q=%22%29+OR+*+NEAR(") == []  # FTS syntax is inert


@pytest.mark.parametrize(
    "query", ["page=abc", "per_page=-1", "page=0", "per_page=0", "page=1.5", "page=" + "9" * 5000]
)
def test_bad_query_params_are_422(client, ann, query):
    body = error(client.get(f"/api/v1/recipes?{query}", headers=ann), 422)
    assert set(body["fields"]) <= {"page", "per_page"}


def test_put_replaces_whole_recipe(client, ann, recipe):
    url = f"/api/v1/recipes/{recipe['id']}"
    response = client.put(url, headers=ann, json={"title": "Crêpes", "ingredients": ["milk"]})
    assert response.status_code == 200
    assert response.json["title"] == "Crêpes" and response.json["ingredients"] == ["milk"]
    assert response.json["tags"] == [] and response.json["rating"] is None
    assert response.json["created_at"] == recipe["created_at"]
    assert response.json["updated_at"] >= recipe["updated_at"]
    assert error(client.put(url, headers=ann, json={"rating": 3}), 422)["fields"] == {
        "title": "required"
    }


def test_patch_changes_only_sent_fields(client, ann, recipe):
    url = f"/api/v1/recipes/{recipe['id']}"
    response = client.patch(url, headers=ann, json={"rating": 2, "tags": ["brunch"]})
    assert response.status_code == 200
    assert response.json["rating"] == 2 and response.json["tags"] == ["brunch"]
    assert response.json["ingredient_groups"] == PANCAKES["ingredient_groups"]
    assert response.json["notes"] == PANCAKES["notes"]
    # Flat lines replace the groups instead of conflicting with them.
    response = client.patch(url, headers=ann, json={"ingredients": ["oats"]})
    assert response.json["ingredient_groups"] == [{"title": None, "ingredients": ["oats"]}]
    assert error(client.patch(url, headers=ann, json={"title": ""}), 422)["fields"] == {
        "title": "required"
    }
    assert client.get(url, headers=ann).json["title"] == "Pancakes"


def test_delete_is_204_then_404(client, ann, recipe):
    url = f"/api/v1/recipes/{recipe['id']}"
    response = client.delete(url, headers=ann)
    assert response.status_code == 204 and response.data == b""
    error(client.get(url, headers=ann), 404)
    error(client.delete(url, headers=ann), 404)


def test_share_and_unshare(app, client, ann, recipe):
    url = f"/api/v1/recipes/{recipe['id']}/share"
    response = client.post(url, headers=ann)
    assert response.status_code == 200
    link = response.json["url"]
    assert link.startswith("http://localhost/s/")
    assert client.post(url, headers=ann).json["url"] == link  # idempotent
    assert client.get(f"/api/v1/recipes/{recipe['id']}", headers=ann).json["share_url"] == link
    public = app.test_client()
    assert public.get(link).status_code == 200
    assert client.delete(url, headers=ann).status_code == 204
    assert public.get(link).status_code == 410  # revoked: gone, not unknown
    assert client.get(f"/api/v1/recipes/{recipe['id']}", headers=ann).json["share_url"] is None


def test_tags_with_counts(client, ann, recipe):
    client.post("/api/v1/recipes", headers=ann, json={"title": "Eggs", "tags": ["Breakfast"]})
    response = client.get("/api/v1/tags", headers=ann)
    assert response.status_code == 200
    items = [(t["name"].lower(), t["count"]) for t in response.json["items"]]
    assert items == [("breakfast", 2), ("quick", 1)]  # tags are case-insensitive


def test_me(client, ann):
    assert client.get("/api/v1/me", headers=ann).json == {
        "id": 1, "username": "ann", "is_admin": True, "auth": "token",
    }  # fmt: skip


# --- ownership -----------------------------------------------------------------------------

OWNED = [
    ("get", ""), ("put", ""), ("patch", ""), ("delete", ""), ("post", "/share"),
    ("delete", "/share"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "suffix"), OWNED)
def test_other_users_recipe_is_404_for_every_verb(client, ann, bob, recipe, method, suffix):
    url = f"/api/v1/recipes/{recipe['id']}{suffix}"
    body = {"json": {"title": "Mine now"}} if method in {"put", "patch"} else {}
    error(getattr(client, method)(url, headers=bob, **body), 404)
    # And nothing changed for the owner.
    assert client.get(f"/api/v1/recipes/{recipe['id']}", headers=ann).json == recipe


def test_lists_and_tags_show_only_own(client, ann, bob, recipe):
    assert client.get("/api/v1/recipes", headers=bob).json["total"] == 0
    assert client.get("/api/v1/recipes?q=pancakes", headers=bob).json["items"] == []
    assert client.get("/api/v1/tags", headers=bob).json == {"items": []}


@pytest.mark.parametrize("recipe_id", ["99999", str(2**63), "9" * 40])
def test_missing_and_huge_ids_are_404(client, ann, recipe_id):
    for method in ("get", "delete", "patch"):
        kwargs = {"json": {}} if method == "patch" else {}
        error(getattr(client, method)(f"/api/v1/recipes/{recipe_id}", headers=ann, **kwargs), 404)
    error(client.post(f"/api/v1/recipes/{recipe_id}/share", headers=ann), 404)


# --- errors --------------------------------------------------------------------------------


def test_malformed_json_is_400(client, ann):
    for raw in (b"{bad", b'{"title": NaN}', b"[" * 100_000, b'{"title": "a"', b""):
        response = client.post(
            "/api/v1/recipes", headers=ann, data=raw, content_type="application/json"
        )
        error(response, 400)


def test_invalid_utf8_and_lone_surrogates_are_400(client, ann):
    lone = (
        b'{"title": "\\ud800"}',
        b'{"title": "x", "n\\uDFFF": 1}',
        b'{"title": "\\ude00\\ud83d"}',
    )
    for raw in (b'{"title": "\xff\xfe"}', *lone):
        response = client.post(
            "/api/v1/recipes", headers=ann, data=raw, content_type="application/json"
        )
        error(response, 400)
    # A pair of surrogate escapes is one character (an emoji), and welcome.
    raw = b'{"title": "Pie \\ud83e\\udd67"}'
    response = client.post(
        "/api/v1/recipes", headers=ann, data=raw, content_type="application/json"
    )
    assert response.status_code == 201 and response.get_json()["title"] == "Pie \U0001f967"


def test_nul_bytes_are_422(client, ann):
    body = error(client.post("/api/v1/recipes", headers=ann, json={"title": "a\x00b"}), 422)
    assert "NUL" in body["fields"]["title"]
    body = {"title": "ok", "nutrition": {"a\x00": "b"}}
    error(client.post("/api/v1/recipes", headers=ann, json=body), 422)


def test_not_json_is_415(client, ann):
    response = client.post("/api/v1/recipes", headers=ann, data={"title": "x"})
    error(response, 415)
    response = client.post(
        "/api/v1/recipes", headers=ann, data='{"title": "x"}', content_type="text/plain"
    )
    error(response, 415)


def test_json_with_charset_and_plus_json_are_accepted(client, ann):
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = client.post(
            "/api/v1/recipes", headers=ann, data='{"title": "x"}', content_type=content_type
        )
        assert response.status_code == 201, content_type


def test_body_over_limit_is_413(app, client, ann):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/api/v1/recipes", headers=ann, json={"title": "x" * 5000})
    error(response, 413)


def test_wrong_method_is_405_json_with_allow(client, ann):
    response = client.put("/api/v1/tags", headers=ann)
    error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_unknown_api_path_is_404_json(client, ann):
    error(client.get("/api/v1/nothing", headers=ann), 404)
    error(client.get("/api/v2/recipes"), 404)


def test_validation_422_names_each_field(client, ann):
    body = {
        "title": "   ",
        "unknown": 1,
        "rating": 9,
        "total_time": True,
        "prep_time": -1,
        "source_url": "javascript:alert(1)",
        "tags": "not a list",
    }
    fields = error(client.post("/api/v1/recipes", headers=ann, json=body), 422)["fields"]
    assert fields["title"] == "required"
    assert fields["unknown"] == "unknown field"
    assert set(fields) == {"title", "unknown", "rating", "total_time", "prep_time",
                           "source_url", "tags"}  # fmt: skip


def test_body_must_be_an_object(client, ann):
    for body in ([], "x", 3, None):
        response = client.post(
            "/api/v1/recipes", headers=ann, data=json.dumps(body), content_type="application/json"
        )
        assert error(response, 422)["fields"] == {"body": "must be an object"}


def test_integral_floats_are_integers(client, ann):
    response = client.post("/api/v1/recipes", headers=ann, json={"title": "x", "rating": 4.0})
    assert response.status_code == 201 and response.json["rating"] == 4
    error(client.post("/api/v1/recipes", headers=ann, json={"title": "x", "rating": 4.5}), 422)


# --- authentication ------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "/api/v1/recipes"), ("post", "/api/v1/recipes"), ("get", "/api/v1/recipes/1"),
    ("put", "/api/v1/recipes/1"), ("patch", "/api/v1/recipes/1"),
    ("delete", "/api/v1/recipes/1"), ("post", "/api/v1/recipes/1/share"),
    ("delete", "/api/v1/recipes/1/share"), ("get", "/api/v1/tags"), ("get", "/api/v1/me"),
]  # fmt: skip
BAD_HEADERS = [
    {},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer rcp_wrong"},
    {"Authorization": "Bearer " + "x" * 5000},
    {"Authorization": "Basic YW5uOmNvcnJlY3QgaG9yc2UgMQ=="},
    {"Authorization": "Token rcp_abc"},
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
@pytest.mark.parametrize("headers", BAD_HEADERS)
def test_no_or_bad_credentials_are_401_json(client, ann, recipe, method, url, headers):
    response = getattr(client, method)(url, headers=headers, json={"title": "x"})
    error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Location" not in response.headers  # never a redirect to the login page


def test_openapi_needs_no_credentials(client):
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_tokens_are_stored_as_sha256_only(app, client):
    db = connect(app.config["DATABASE"])
    user = create_user(db, "cat", "correct horse 1")
    record, secret = tokens.create_token(db, user.id, "  My   script ")
    rows = [tuple(row) for row in db.execute("SELECT * FROM api_tokens")]
    db.close()
    assert record.name == "My script"
    assert secret.startswith("rcp_") and len(secret) >= 40
    assert not any(secret in str(value) for row in rows for value in row)
    assert rows[0][3] == hashlib.sha256(secret.encode()).hexdigest()


def test_revoked_token_fails_at_once(app, client, ann):
    assert client.get("/api/v1/me", headers=ann).status_code == 200
    db = connect(app.config["DATABASE"])
    (token,) = tokens.list_tokens(db, 1)
    assert tokens.revoke_token(db, 2, token.id) is False  # not another user's
    assert tokens.revoke_token(db, 1, token.id) is True
    db.close()
    error(client.get("/api/v1/me", headers=ann), 401)


def test_deleted_user_token_fails(app, client, ann):
    db = connect(app.config["DATABASE"])
    db.execute("DELETE FROM users")
    db.close()
    error(client.get("/api/v1/me", headers=ann), 401)


def test_last_used_is_recorded_at_most_once_a_minute(app, client, ann):
    db = connect(app.config["DATABASE"])
    assert tokens.list_tokens(db, 1)[0].last_used_at is None
    client.get("/api/v1/me", headers=ann)
    first = tokens.list_tokens(db, 1)[0].last_used_at
    assert first is not None and datetime.now(UTC) - first < timedelta(seconds=10)
    client.get("/api/v1/me", headers=ann)
    assert tokens.list_tokens(db, 1)[0].last_used_at == first  # no write within the minute
    stale = (datetime.now(UTC) - timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    db.execute("UPDATE api_tokens SET last_used_at = ?", (stale,))
    client.get("/api/v1/me", headers=ann)
    assert tokens.list_tokens(db, 1)[0].last_used_at > first
    db.close()


def test_locked_database_does_not_fail_reads_for_the_usage_hint(app, client, ann):
    """A locked database: the token still authenticates; only the last-use hint is skipped."""
    locker = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")
    import recipes.db as dbmod

    old = dbmod.BUSY_TIMEOUT_MS
    try:
        dbmod.BUSY_TIMEOUT_MS = 100
        response = client.get("/api/v1/me", headers=ann)
    finally:
        dbmod.BUSY_TIMEOUT_MS = old
        locker.execute("ROLLBACK")
        locker.close()
    assert response.status_code == 200


def test_token_limits(app):
    db = connect(app.config["DATABASE"])
    user = create_user(db, "dan", "correct horse 1")
    for bad in ("", "   ", "x" * 101, "tab\x00"):
        with pytest.raises(tokens.TokenError):
            tokens.create_token(db, user.id, bad)
    for n in range(tokens.MAX_TOKENS_PER_USER):
        tokens.create_token(db, user.id, f"t{n}")
    with pytest.raises(tokens.TokenError, match="revoke one"):
        tokens.create_token(db, user.id, "one too many")
    db.close()


# --- browser session -----------------------------------------------------------------------


@pytest.fixture
def csrf_app(data_dir):
    return create_app({"DATA_DIR": str(data_dir)})


def _session(csrf_app):
    client = csrf_app.test_client()
    page = client.get("/auth/register").get_data(as_text=True)
    response = client.post(
        "/auth/register",
        data={"username": "ann", "password": "correct horse 1", "confirm": "correct horse 1",
              "csrf_token": csrf_token(page)},
    )  # fmt: skip
    assert response.status_code == 302
    return client, csrf_token(client.get("/settings").get_data(as_text=True))


def test_session_works_for_reads_without_csrf(csrf_app):
    client, _ = _session(csrf_app)
    response = client.get("/api/v1/me")
    assert response.status_code == 200 and response.json["auth"] == "session"


def test_session_writes_need_the_csrf_header(csrf_app):
    client, token = _session(csrf_app)
    body = error(client.post("/api/v1/recipes", json={"title": "Soup"}), 403)
    assert "X-CSRFToken" in body["message"]
    error(
        client.post("/api/v1/recipes", json={"title": "Soup"}, headers={"X-CSRFToken": "no"}), 403
    )
    response = client.post(
        "/api/v1/recipes", json={"title": "Soup"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201
    url = f"/api/v1/recipes/{response.json['id']}"
    error(client.delete(url), 403)
    assert client.delete(url, headers={"X-CSRF-Token": token}).status_code == 204


def test_bearer_needs_no_csrf_even_with_csrf_on(csrf_app):
    db = connect(csrf_app.config["DATABASE"])
    user = create_user(db, "ann", "correct horse 1")
    _, secret = tokens.create_token(db, user.id, "x")
    db.close()
    client = csrf_app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.post("/api/v1/recipes", json={"title": "x"}, headers=headers).status_code == 201


def test_logged_out_session_is_401(csrf_app):
    client, token = _session(csrf_app)
    client.post("/auth/logout", data={"csrf_token": token})
    error(client.get("/api/v1/me"), 401)


# --- settings page -------------------------------------------------------------------------


def test_settings_needs_login(client):
    response = client.get("/settings")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_settings_creates_lists_and_revokes_tokens(client, auth):
    auth.register()
    html = client.get("/settings").get_data(as_text=True)
    assert "You have no API tokens" in html
    response = client.post("/settings", data={"name": "Phone shortcut"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    secret = html.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("rcp_") and "Phone shortcut" in html and "Never" in html
    # Shown once: a reload does not show it again.
    assert secret not in client.get("/settings").get_data(as_text=True)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).json["username"] == "ann"
    html = client.get("/settings").get_data(as_text=True)
    assert "Never" not in html  # last use shown
    token_id = html.split("/settings/tokens/")[1].split("/")[0]
    response = client.post(f"/settings/tokens/{token_id}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.post(f"/settings/tokens/{token_id}/revoke").status_code == 404


def test_settings_rejects_empty_name_and_others_tokens(app, client, auth, bob):
    auth.register()
    assert client.post("/settings", data={"name": ""}).status_code == 422
    assert client.post("/settings/tokens/1/revoke").status_code == 404  # bob's token
    assert client.get("/api/v1/me", headers=bob).status_code == 200


def test_settings_in_nav(client, auth):
    auth.register()
    assert 'href="/settings"' in client.get("/").get_data(as_text=True)


def test_settings_revoke_needs_csrf(csrf_app):
    client, token = _session(csrf_app)
    client.post("/settings", data={"name": "x", "csrf_token": token})
    assert client.post("/settings/tokens/1/revoke").status_code == 400
    assert client.post("/settings/tokens/1/revoke", data={"csrf_token": token}).status_code == 302


# --- CLI -----------------------------------------------------------------------------------


def test_cli_token_add_prints_only_the_token(app, runner):
    from click.testing import CliRunner

    from recipes.cli import cli

    env = {"RECIPES_DATA_DIR": app.config["DATA_DIR"]}
    cli_runner = CliRunner()
    result = cli_runner.invoke(
        cli, ["user", "add", "ann", "--password-stdin"], input="correct horse 1\n", env=env
    )
    assert result.exit_code == 0, result.output
    result = cli_runner.invoke(cli, ["token", "add", "ann", "--name", "Backup"], env=env)
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert result.stdout == secret + "\n" and secret.startswith("rcp_")
    assert secret not in result.stderr
    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.json["username"] == "ann"
    listing = cli_runner.invoke(cli, ["token", "list", "ann"], env=env)
    assert "Backup" in listing.stdout and secret not in listing.stdout
    missing = cli_runner.invoke(cli, ["token", "add", "nobody"], env=env)
    assert missing.exit_code != 0 and missing.stdout == ""
    token_id = listing.stdout.split("\t")[0]
    assert cli_runner.invoke(cli, ["token", "revoke", "ann", token_id], env=env).exit_code == 0
    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    again = cli_runner.invoke(cli, ["token", "revoke", "ann", token_id], env=env)
    assert again.exit_code != 0 and "no token" in again.stderr


def test_json_errors_never_html(client, ann):
    for response in (
        client.get("/api/v1/recipes/1", headers=ann),
        client.get("/api/v1/me"),
        client.post("/api/v1/recipes", headers=ann, data="x", content_type="text/plain"),
    ):
        assert response.mimetype == "application/json"
        assert json.loads(response.data)["error"]
