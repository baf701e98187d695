import pytest

from recipes import create_app
from recipes.db import connect, get_db


def test_register_logs_in_and_first_user_is_admin(client, auth, app):
    response = auth.register()
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/").status_code == 200
    auth.logout()
    auth.register("bob", "another pass 2")
    db = connect(app.config["DATABASE"])
    admins = dict(db.execute("SELECT username, is_admin FROM users").fetchall())
    assert admins == {"ann": 1, "bob": 0}


def test_index_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login")


@pytest.mark.parametrize(
    ("username", "password", "confirm", "message"),
    [
        ("", "correct horse 1", "correct horse 1", b"Choose a username."),
        ("ann", "short", "short", b"at least 8 characters"),
        ("ann", "password123", "password123", b"too common"),
        ("ann", "correct horse 1", "different 123", b"The passwords differ"),
        ("a b", "correct horse 1", "correct horse 1", b"without spaces"),
        ("x" * 65, "correct horse 1", "correct horse 1", b"64 characters"),
    ],
)
def test_register_rejects_bad_input_and_keeps_username(
    client, username, password, confirm, message
):
    response = client.post(
        "/auth/register", data={"username": username, "password": password, "confirm": confirm}
    )
    assert response.status_code == 422
    assert message in response.data
    if username:
        assert f'value="{username}"'.encode() in response.data


def test_duplicate_username_is_refused_case_insensitively(client, auth):
    auth.register("Ann")
    auth.logout()
    response = auth.register("ann")
    assert response.status_code == 422
    assert b"taken" in response.data


def test_login_errors_do_not_reveal_whether_user_exists(client, auth):
    auth.register()
    auth.logout()
    wrong_password = auth.login("ann", "wrong password 9")
    no_user = auth.login("nobody", "wrong password 9")
    assert wrong_password.status_code == no_user.status_code == 401
    assert b"Wrong username or password." in wrong_password.data
    assert b"Wrong username or password." in no_user.data


def test_login_and_logout(client, auth):
    auth.register()
    auth.logout()
    assert client.get("/").status_code == 302
    response = auth.login()
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/").status_code == 302


def test_logout_is_post_only(client, auth):
    auth.register()
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/search?q=x", "/search?q=x"), ("https://evil.example/", "/"), ("//evil.example", "/")],
)
def test_login_redirects_only_to_local_paths(client, auth, target, expected):
    auth.register()
    auth.logout()
    response = client.post(
        f"/auth/login?next={target}", data={"username": "ann", "password": "correct horse 1"}
    )
    assert response.location == expected


def test_signup_can_be_closed(data_dir):
    app = create_app(
        {"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False,
         "ALLOW_SIGNUP": False}
    )  # fmt: skip
    client = app.test_client()
    response = client.get("/auth/register")
    assert response.status_code == 403
    assert b"recipes user add" in response.data
    post = client.post(
        "/auth/register",
        data={"username": "eve", "password": "correct horse 1", "confirm": "correct horse 1"},
    )
    assert post.status_code == 403
    assert connect(app.config["DATABASE"]).execute("SELECT count(*) FROM users").fetchone()[0] == 0


def test_session_cookie_flags(client, auth):
    response = auth.register()
    cookie = response.headers["Set-Cookie"]
    assert "recipes_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_secure_cookie_setting(data_dir, monkeypatch):
    monkeypatch.setenv("RECIPES_SESSION_COOKIE_SECURE", "1")
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False})
    response = app.test_client().post(
        "/auth/register",
        data={"username": "ann", "password": "correct horse 1", "confirm": "correct horse 1"},
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_auto_login_user_for_the_desktop(data_dir):
    from desktop.app import build_app, local_user

    app = build_app(data_dir)
    app.testing = True
    client = app.test_client()
    response = client.get("/")
    assert response.status_code == 200
    assert b"Log out" not in response.data
    assert client.get("/recipes/new").status_code == 200  # still signed in: the login lasts
    db = connect(app.config["DATABASE"])
    assert [r[0] for r in db.execute("SELECT username FROM users")] == [local_user()]
    assert db.execute("SELECT count(*) FROM login_sessions").fetchone()[0] == 1


def test_a_bare_user_id_cookie_signs_nobody_in(app, client):
    """Only the desktop hook signs a user in without a password; the web app never does."""
    from recipes.users import create_user

    with app.app_context():
        create_user(get_db(), "ann", "correct horse 1")
    with client.session_transaction() as session:
        session["_user_id"] = "1"
    assert client.get("/").status_code == 302


LOOKS_TAKEN = "That username looks like one that is taken. Choose another."


@pytest.mark.parametrize(
    ("taken", "lookalike", "message"),
    [
        ("ann", "\u0430nn", "one alphabet"),  # Cyrillic а among Latin letters
        ("ann", "ANN", "That username is taken."),
        ("ann", "\uff41nn", LOOKS_TAKEN),  # fullwidth ａ
        ("ace", "\u0430\u0441\u0435", LOOKS_TAKEN),  # асе, all Cyrillic
    ],
)
def test_signup_refuses_a_username_that_looks_like_a_taken_one(
    client, auth, app, taken, lookalike, message
):
    auth.register(taken)
    auth.logout()
    response = auth.register(lookalike)
    assert message in response.get_data(as_text=True)
    users = connect(app.config["DATABASE"]).execute("SELECT count(*) FROM users").fetchone()[0]
    assert users == 1


def test_signup_still_takes_names_in_other_scripts_and_accents(client, auth, app):
    auth.register("ann")
    auth.logout()
    for name in ("Jörg", "李明", "\u0430\u043d\u044f"):  # аня: Cyrillic, like no Latin name
        auth.register(name)
        auth.logout()
    db = connect(app.config["DATABASE"])
    names = {row[0] for row in db.execute("SELECT username FROM users")}
    assert names == {"ann", "Jörg", "李明", "\u0430\u043d\u044f"}
