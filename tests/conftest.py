"""flaskr-style fixtures: `app` on a temporary data folder, `client`, `runner`, `auth`."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from recipes import create_app

# Fixtures shared by test modules: `ann` and `bob` (meal plans and shopping lists).
pytest_plugins = ["tests.support.plan_support"]

# Tests never read the developer's real settings or data folder.
for _name in [n for n in os.environ if n.startswith("RECIPES_")]:
    del os.environ[_name]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def app(data_dir: Path) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False})
    yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


class AuthActions:
    """Register and log in through the real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def register(self, username: str = "ann", password: str = "correct horse 1"):
        return self._client.post(
            "/auth/register",
            data={"username": username, "password": password, "confirm": password},
        )

    def login(self, username: str = "ann", password: str = "correct horse 1"):
        return self._client.post("/auth/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


def csrf_token(html: str) -> str:
    """The hidden CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no csrf_token on the page"
    return match.group(1)
