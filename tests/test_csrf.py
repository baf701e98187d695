"""CSRF is on for every form when the app runs as it does in production."""

import pytest

from recipes import create_app
from tests.conftest import csrf_token

FORMS = [
    "/auth/register",
    "/auth/login",
    "/auth/logout",
    "/recipes/new",
    "/recipes/1/edit",
    "/recipes/1/delete",
    "/recipes/1/share",
    "/recipes/1/unshare",
]


@pytest.fixture
def csrf_client(data_dir):
    app = create_app({"DATA_DIR": str(data_dir)})
    return app.test_client()


def _register(client):
    token = csrf_token(client.get("/auth/register").get_data(as_text=True))
    response = client.post(
        "/auth/register",
        data={"username": "ann", "password": "correct horse 1", "confirm": "correct horse 1",
              "csrf_token": token},
    )  # fmt: skip
    assert response.status_code == 302


def test_forms_without_token_are_refused(csrf_client):
    _register(csrf_client)
    token = csrf_token(csrf_client.get("/recipes/new").get_data(as_text=True))
    created = csrf_client.post("/recipes/new", data={"title": "Soup", "csrf_token": token})
    assert created.status_code == 302
    for path in FORMS:
        response = csrf_client.post(path, data={"title": "x", "username": "ann"})
        assert response.status_code == 400, path
        assert b"form expired" in response.data, path


def test_form_with_token_works_and_pages_carry_it(csrf_client):
    _register(csrf_client)
    html = csrf_client.get("/recipes/new").get_data(as_text=True)
    assert 'name="csrf_token"' in html
    response = csrf_client.post(
        "/recipes/new", data={"title": "Soup", "csrf_token": csrf_token(html)}
    )
    assert response.status_code == 302


def test_token_survives_a_restart(data_dir):
    """The secret key persists, so a form loaded before a restart still submits after it."""
    first = create_app({"DATA_DIR": str(data_dir)}).test_client()
    _register(first)
    html = first.get("/recipes/new").get_data(as_text=True)
    second = create_app({"DATA_DIR": str(data_dir)}).test_client()
    second.set_cookie("recipes_session", first.get_cookie("recipes_session").value)
    response = second.post("/recipes/new", data={"title": "Soup", "csrf_token": csrf_token(html)})
    assert response.status_code == 302
