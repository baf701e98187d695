"""Login: rate limits per IP and per username, session renewal, logout, no username
enumeration, password rules. Through the real forms with CSRF on."""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from recipes import create_app
from recipes.db import connect
from tests.conftest import csrf_token
from tests.support.reliability_report import record
from tests.support.reliability_server import Browserless, add_user, recipes_cli, running

pytestmark = pytest.mark.reliability
PASSWORD = "correct horse 1"


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data")})
    client = app.test_client()
    for name in ("ann", "bob"):
        assert register(client, name, PASSWORD).status_code == 302
        client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    return app


def client_from(app: Flask, ip: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def register(client: FlaskClient, username: str, password: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/auth/register").text)
    data = {"csrf_token": token, "username": username, "password": password, "confirm": password}
    return client.post("/auth/register", data=data)


def login(client: FlaskClient, username: str, password: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/auth/login").text)
    data = {"csrf_token": token, "username": username, "password": password}
    return client.post("/auth/login", data=data)


def logout(client: FlaskClient):  # type: ignore[no-untyped-def]
    return client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/").text)})


def test_failed_logins_are_limited_per_username_and_address(app: Flask) -> None:
    # Five wrong passwords from one address; case and spaces do not make a new name.
    attacker = client_from(app, "10.0.0.1")
    for name in ["ann", "ANN", " ann", "Ann ", "aNn"]:
        assert login(attacker, name, "wrong password").status_code == 401
    blocked = login(attacker, "ann", PASSWORD)
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.text
    assert "per 1 minute" not in blocked.text
    assert 0 < int(blocked.headers["Retry-After"]) <= 60
    # The real user, from another address, is not locked out.
    assert login(client_from(app, "10.0.1.1"), "ann", PASSWORD).status_code == 302
    # Another account from the attacker's address is not affected either.
    assert login(client_from(app, "10.0.0.1"), "bob", PASSWORD).status_code == 302


def test_failures_spread_over_addresses_do_not_lock_the_user_out(app: Flask) -> None:
    for n in range(30):
        assert login(client_from(app, f"10.0.0.{n}"), "ann", "wrong password").status_code == 401
    assert login(client_from(app, "10.0.1.1"), "ann", PASSWORD).status_code == 302


def test_a_burst_of_parallel_failures_stays_inside_the_limit(app: Flask) -> None:
    """40 wrong passwords at once from one address: exactly 5 are checked, 35 refused."""
    from concurrent.futures import ThreadPoolExecutor

    clients = [client_from(app, "10.5.5.5") for _ in range(40)]
    forms = []
    for client in clients:
        token = csrf_token(client.get("/auth/login").text)
        forms.append({"csrf_token": token, "username": "ann", "password": "wrong password"})

    def attempt(n: int) -> int:
        return clients[n].post("/auth/login", data=forms[n]).status_code

    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(attempt, range(40)))
    assert statuses.count(401) == 5, statuses
    assert statuses.count(429) == 35, statuses


def test_registration_is_limited_per_address(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data")})
    app.config["REGISTER_LIMIT_PER_ADDRESS"] = "3 per hour"
    for n in range(3):
        assert register(client_from(app, "10.7.7.7"), f"user{n}", PASSWORD).status_code == 302
    refused = register(client_from(app, "10.7.7.7"), "user9", PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert register(client_from(app, "10.7.7.8"), "user9", PASSWORD).status_code == 302
    users = [r[0] for r in connect(app.config["DATABASE"]).execute("SELECT username FROM users")]
    assert users == ["user0", "user1", "user2", "user9"]


def test_failed_logins_are_limited_per_ip(app: Flask) -> None:
    attacker = client_from(app, "10.9.9.9")
    for n in range(20):
        assert login(attacker, f"user{n}", "wrong password").status_code == 401
    assert login(attacker, "bob", PASSWORD).status_code == 429
    # Someone else, elsewhere, still logs in.
    assert login(client_from(app, "10.8.8.8"), "bob", PASSWORD).status_code == 302
    record("login-rate-limit", per_ip="20 failures/minute", per_username="5 failures/minute")


def test_successful_logins_are_never_limited(app: Flask) -> None:
    client = client_from(app, "10.1.1.1")
    for _ in range(25):
        assert login(client, "ann", PASSWORD).status_code == 302
        assert logout(client).status_code == 302


def test_session_is_renewed_at_login(app: Flask) -> None:
    client = app.test_client()
    token = csrf_token(client.get("/auth/login").text)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        before = dict(session)
    client.post("/auth/login", data={"csrf_token": token, "username": "ann", "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("_user_id")
        assert session.get("csrf_token") != before.get("csrf_token")


def test_logout_ends_the_session(app: Flask) -> None:
    client = app.test_client()
    assert login(client, "ann", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200
    assert logout(client).status_code == 302
    assert client.get("/").status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_a_copied_session_cookie_dies_at_logout(app: Flask) -> None:
    client = app.test_client()
    assert login(client, "ann", PASSWORD).status_code == 302
    stolen = client.get_cookie("recipes_session")
    assert stolen is not None
    assert logout(client).status_code == 302
    thief = app.test_client()
    thief.set_cookie("recipes_session", stolen.value)
    assert thief.get("/").status_code == 302


def _page_text(html: str) -> str:
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", html)


def test_login_errors_do_not_reveal_whether_a_username_exists(app: Flask) -> None:
    app.config["LOGIN_LIMIT_PER_USER_ADDRESS"] = "1000 per minute"
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "1000 per minute"
    client = app.test_client()
    known = login(client, "ann", "wrong password")
    unknown = login(client, "nobody-here", "wrong password")
    assert known.status_code == unknown.status_code == 401
    assert _page_text(known.text).replace("ann", "X") == _page_text(unknown.text).replace(
        "nobody-here", "X"
    )

    def timed(name: str) -> float:
        started = time.perf_counter()
        login(client, name, "wrong password")
        return time.perf_counter() - started

    # A password hash is checked either way, so the time does not tell them apart.
    # Interleaved, so a burst of load on the machine slows both sides alike.
    pairs = [(timed("ann"), timed("nobody-here")) for _ in range(6)]
    known_times, unknown_times = [k for k, _ in pairs], [u for _, u in pairs]
    ratio = statistics.median(known_times) / statistics.median(unknown_times)
    assert 0.5 < ratio < 2.0, (known_times, unknown_times)


@pytest.mark.parametrize(
    "password",
    ["short1", "1234567", "password123", "Password123", "qwertyuiop", "changeme", "recipes123"],
)
def test_weak_passwords_are_refused(app: Flask, password: str) -> None:
    client = app.test_client()
    response = register(client, "carol", password)
    assert response.status_code == 422
    assert "at least 8 characters" in response.text or "too common" in response.text
    assert login(client, "carol", password).status_code == 401


def test_rate_limit_holds_on_the_real_server(tmp_path: Path) -> None:
    """gunicorn, 2 workers, counters in memory per worker: at most twice the limit.

    10 failures can be spread 5 + 5 at most, so a 429 comes within 11 attempts."""
    data = tmp_path / "data"
    add_user(data, "ann")
    with running(data) as server:
        statuses = []
        while 429 not in statuses and len(statuses) < 11:
            statuses.append(Browserless(server.url).login("ann", "wrong password").status_code)
        assert statuses[-1] == 429, statuses
        assert statuses.count(401) <= 10
        assert "Traceback" not in server.log()


@pytest.mark.parametrize("password", ["short12", "password123"])
def test_the_command_line_refuses_weak_passwords_too(tmp_path: Path, password: str) -> None:
    result = recipes_cli(
        tmp_path / "data", "user", "add", "dave", "--password-stdin", stdin=password + "\n",
        check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "at least 8 characters" in result.stderr or "too common" in result.stderr
