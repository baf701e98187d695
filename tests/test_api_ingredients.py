"""POST /api/v1/ingredients/parse: shape, order, limits and authentication."""

from __future__ import annotations

import pytest

from recipes.api.ingredients import MAX_LINES
from tests.test_api import make_user

URL = "/api/v1/ingredients/parse"


@pytest.fixture
def ann(app):
    return make_user(app, "ann")


def test_parses_each_line_in_order(client, ann):
    lines = ["160 g (2/3 cup) milk", "2-3 tbsp olive oil", "salt"]
    response = client.post(URL, json={"lines": lines}, headers=ann)
    assert response.status_code == 200
    ingredients = response.get_json()["ingredients"]
    assert [i["text"] for i in ingredients] == lines
    milk, oil, salt = ingredients
    assert milk == {
        "text": "160 g (2/3 cup) milk",
        "quantity": 160,
        "quantity_max": None,
        "unit": "g",
        "food": "milk",
        "note": None,
        "amounts": [
            {"quantity": 160, "quantity_max": None, "unit": "g"},
            {"quantity": pytest.approx(2 / 3), "quantity_max": None, "unit": "cup"},
        ],
    }
    assert (oil["quantity"], oil["quantity_max"], oil["unit"]) == (2, 3, "tbsp")
    assert (salt["quantity"], salt["food"], salt["amounts"]) == (None, "salt", [])


def test_needs_credentials(client):
    assert client.post(URL, json={"lines": ["1 egg"]}).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "lines"),
        ({"lines": "1 egg"}, "lines"),
        ({"lines": [1]}, "lines.0"),
        ({"lines": ["1 egg"] * (MAX_LINES + 1)}, "lines"),
        ({"lines": [], "extra": 1}, "extra"),
    ],
)
def test_bad_bodies_get_field_errors(client, ann, body, field):
    response = client.post(URL, json=body, headers=ann)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_documented_in_openapi_and_docs(client, ann):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/ingredients/parse"]["post"]
    assert operation["operationId"] == "parseIngredients"
    parsed = document["components"]["schemas"]["ParsedIngredient"]
    assert {"text", "quantity", "quantity_max", "unit", "food", "note", "amounts"} <= set(
        parsed["properties"]
    )
    assert "/ingredients/parse" in client.get("/docs").get_data(as_text=True)
