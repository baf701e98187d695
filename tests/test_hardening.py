"""Security review items (issue 11): each test fails on the code before the fix."""

from __future__ import annotations

import os
import socket
import stat
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from recipes import create_app
from recipes.db import connect, get_db
from recipes.models import RecipeIn
from recipes.store import bulk_create
from tests.conftest import csrf_token

PASSWORD = "correct horse 1"


def mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# 5. No 500 from query strings ------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["_method=POST", "_external=1", "_scheme=javascript", "_anchor=x", "endpoint=x", "_x=1"],
)
@pytest.mark.parametrize("path", ["/?", "/search?q=soup&"])
def test_pagination_ignores_url_for_arguments(app: Flask, auth, client, path, query) -> None:
    auth.register()
    with app.app_context():
        bulk_create(
            get_db(), 1, [RecipeIn(title=f"Soup {n}", ingredients=["x"]) for n in range(60)], by=1
        )
    response = client.get(path + query)
    assert response.status_code == 200
    assert 'rel="next"' in response.text
    assert "javascript" not in response.text.split('rel="next"')[1].split(">")[0]


# 6. Malformed bodies are refused before anything reads them -------------------------------


@pytest.fixture
def csrf_app(data_dir: Path) -> Flask:
    return create_app({"TESTING": True, "DATA_DIR": str(data_dir)})


def signed_in(app: Flask) -> FlaskClient:
    client = app.test_client()
    token = csrf_token(client.get("/auth/register").text)
    data = {"csrf_token": token, "username": "ann", "password": PASSWORD, "confirm": PASSWORD}
    assert client.post("/auth/register", data=data).status_code == 302
    return client


def recipe_count(app: Flask) -> int:
    return connect(app.config["DATABASE"]).execute("SELECT count(*) FROM recipes").fetchone()[0]


@pytest.mark.parametrize("title", [b"%ED%A0%80", b"Soup%FF", b"So%00up"])
def test_malformed_form_bytes_are_refused_with_csrf_on(csrf_app: Flask, title: bytes) -> None:
    client = signed_in(csrf_app)
    token = csrf_token(client.get("/recipes/new").text).encode()
    body = b"csrf_token=" + token + b"&title=" + title + b"&ingredients=salt"
    response = client.post(
        "/recipes/new", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert recipe_count(csrf_app) == 0


@pytest.mark.parametrize("title", ["\u200b", "\u200b\u2060\ufeff", "\u00ad \u3164", "\u202e\u200d"])
def test_a_title_of_invisible_characters_is_empty(csrf_app: Flask, title: str) -> None:
    client = signed_in(csrf_app)
    token = csrf_token(client.get("/recipes/new").text)
    response = client.post(
        "/recipes/new", data={"csrf_token": token, "title": title, "ingredients": "salt"}
    )
    assert response.status_code == 422
    assert recipe_count(csrf_app) == 0
    api = client.post("/api/v1/recipes", json={"title": title}, headers={"X-CSRFToken": token})
    assert api.status_code == 422, api.json
    assert recipe_count(csrf_app) == 0


# 7. Files are private ---------------------------------------------------------------------


def test_database_files_are_private_in_a_loose_folder(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    app = create_app({"TESTING": True, "DATA_DIR": str(folder), "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post(
        "/auth/register", data={"username": "ann", "password": PASSWORD, "confirm": PASSWORD}
    )
    client.post("/recipes/new", data={"title": "Soup", "ingredients": "salt"})
    database = app.config["DATABASE"]
    assert Path(f"{database}-wal").exists() and Path(f"{database}-shm").exists()
    for suffix in ("", "-wal", "-shm"):
        assert mode(f"{database}{suffix}") == 0o600, suffix
    assert mode(folder / "secret_key") == 0o600


def test_existing_loose_database_is_tightened(tmp_path: Path) -> None:
    create_app({"DATA_DIR": str(tmp_path / "data")})
    database = tmp_path / "data" / "recipes.sqlite3"
    database.chmod(0o644)
    create_app({"DATA_DIR": str(tmp_path / "data")})
    assert mode(database) == 0o600


def test_a_new_data_folder_is_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o000)
    try:
        create_app({"DATA_DIR": str(tmp_path / "a" / "data")})
        assert mode(tmp_path / "a" / "data") == 0o700
        assert mode(tmp_path / "a" / "data" / "recipes.sqlite3") == 0o600
    finally:
        os.umask(old)


# 2. Request bodies are capped before they are read (the desktop's server) ------------------


def test_desktop_server_refuses_a_big_body_before_reading_it(tmp_path: Path) -> None:
    from desktop.server import LocalServer

    app = create_app({"DATA_DIR": str(tmp_path / "data"), "MAX_CONTENT_LENGTH": 4096})
    server = LocalServer(app, max_body=app.config["MAX_CONTENT_LENGTH"])
    server.start()
    try:
        with socket.create_connection((server.host, server.port), timeout=10) as sock:
            sock.sendall(
                b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 524288000\r\n\r\n"
            )
            assert sock.recv(200).startswith(b"HTTP/1.1 413")
    finally:
        server.stop()


# 1. The desktop binds an address of its own ------------------------------------------------


def test_desktop_picks_a_random_loopback_address_where_the_os_allows() -> None:
    from desktop.server import pick_host

    hosts = {pick_host("linux") for _ in range(20)} | {pick_host("win32")}
    assert len(hosts) > 15
    for host in hosts:
        first, *rest = (int(part) for part in host.split("."))
        assert first == 127 and 0 < rest[-1] < 255
    assert pick_host("darwin") == "127.0.0.1"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux answers on 127/8")
def test_desktop_server_listens_on_its_random_address(tmp_path: Path) -> None:
    from desktop.server import LocalServer

    server = LocalServer(create_app({"DATA_DIR": str(tmp_path / "data")}))
    try:
        assert server.host.startswith("127.") and server.host != "127.0.0.1"
    finally:
        server.stop()


def test_desktop_falls_back_to_127_0_0_1(tmp_path: Path) -> None:
    from desktop.server import LocalServer

    app = create_app({"DATA_DIR": str(tmp_path / "data")})
    server = LocalServer(app, host="192.0.2.1")  # TEST-NET: never an address of ours
    try:
        assert server.host == "127.0.0.1"
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://127.0.0.1:9999/a.png", False),
        ("https://127.3.4.5/a.png", False),
        ("http://[::1]:8080/a.png", False),
        ("http://localhost:8080/a.png", False),
        ("http://192.168.1.10/a.png", False),
        ("http://169.254.169.254/latest", False),
        ("https://example.com/a.png", True),
    ],
)
def test_desktop_pages_do_not_load_local_resources(tmp_path: Path, url: str, shown: bool) -> None:
    from desktop.app import build_app

    app = build_app(tmp_path / "data")
    app.testing = True
    client = app.test_client()
    client.get("/")  # signs the local user in
    with app.app_context():
        (recipe_id,) = bulk_create(
            get_db(), 1, [RecipeIn(title="Soup", image_url=url, source_url=url)], by=1
        )
    response = client.get(f"/recipes/{recipe_id}")
    assert (f'src="{url}"' in response.text) is shown
    assert (f'href="{url}"' in response.text) is shown
    csp = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https:;" in csp
