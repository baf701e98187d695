"""Households with recipes for the planner and shopping tests (through the real API)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from recipes.api import tokens
from recipes.db import connect
from recipes.users import create_user

PASSWORD = "correct horse 1"


class Cook:
    """One account: an API client with its token, and helpers for the calls tests repeat."""

    def __init__(self, app: Flask, name: str) -> None:
        db = connect(app.config["DATABASE"])
        try:
            self.user = create_user(db, name, PASSWORD)
            _, secret = tokens.create_token(db, self.user.id, "tests")
        finally:
            db.close()
        self.client: FlaskClient = app.test_client()
        self.headers = {"Authorization": f"Bearer {secret}"}

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        return self.client.open(
            "/api/v1" + path, method=method, json=body, headers={**self.headers, **headers}
        )

    def recipe(self, title: str, ingredients: list[str], servings: str = "4", **fields: Any) -> int:
        body = {"title": title, "ingredients": ingredients, "servings": servings, **fields}
        response = self.call("POST", "/recipes", body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def plan(self, date: str, slot: str = "Dinner", **fields: Any) -> dict[str, Any]:
        response = self.call("POST", "/mealplan", {"date": date, "slot": slot, **fields})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def new_list(self, name: str = "Groceries") -> int:
        response = self.call("POST", "/shopping-lists", {"name": name})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def shopping_list(self, list_id: int) -> dict[str, Any]:
        response = self.call("GET", f"/shopping-lists/{list_id}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def login(self) -> FlaskClient:
        """A browser-like client signed in as this cook (CSRF is off in the test app)."""
        browser = self.client.application.test_client()
        response = browser.post(
            "/auth/login", data={"username": self.user.username, "password": PASSWORD}
        )
        assert response.status_code == 302
        return browser


@pytest.fixture
def ann(app: Flask) -> Cook:
    return Cook(app, "ann")


@pytest.fixture
def bob(app: Flask) -> Cook:
    """Someone in another household."""
    return Cook(app, "bob")
