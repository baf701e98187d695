"""The OpenAPI document: valid 3.1, generated from the models, true to the app; the docs page."""

from __future__ import annotations

import re

import pytest
from flask import jsonify
from hypothesis import example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from pydantic import ValidationError
from referencing import Registry, Resource

from recipes import create_app
from recipes.api import api_blueprint, api_user, json_body
from recipes.api.openapi import EXAMPLE_IMPORT, EXAMPLE_PATCH, EXAMPLE_RECIPE, HTTP_URL, NOT_BLANK
from recipes.api.schemas import ImportRequest
from recipes.models import Recipe, RecipeIn
from tests.test_api import PANCAKES, make_user


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.json


def validator(document, name: str) -> Draft202012Validator:
    """A JSON Schema validator for one component, resolving its $refs in the document."""
    registry = Registry().with_resource("urn:api", Resource.from_contents(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", **document}
    ))  # fmt: skip
    schema = {"$ref": f"urn:api#/components/schemas/{name}"}
    return Draft202012Validator(schema, registry=registry)


def test_document_is_valid_openapi_31(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_component_schemas_are_the_models(document):
    schemas = document["components"]["schemas"]
    assert set(schemas["RecipeIn"]["properties"]) == set(RecipeIn.model_fields)
    assert set(schemas["Recipe"]["properties"]) == set(Recipe.model_fields)
    assert schemas["RecipeIn"]["additionalProperties"] is False  # unknown fields: 422
    assert schemas["RecipeIn"]["required"] == ["title"]
    assert "required" not in schemas["RecipePatch"]
    assert schemas["RecipeIn"]["properties"]["rating"] == {
        "anyOf": [{"maximum": 5, "minimum": 0, "type": "integer"}, {"type": "null"}],
        "default": None,
        "title": "Rating",
    }


def test_every_api_route_is_documented_and_back(app, document):
    def rule(path: str, item: dict) -> str:
        """`{x}` as Flask writes it: `<int:x>` for integer parameters, else `<x>`."""
        types = {p["name"]: p["schema"].get("type") for p in item.get("parameters", [])}
        return re.sub(
            r"\{(\w+)\}",
            lambda m: f"<int:{m[1]}>" if types.get(m[1], "integer") == "integer" else f"<{m[1]}>",
            path,
        )

    documented = {
        (method.upper(), "/api/v1" + rule(path, item))
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    routed = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == routed


def test_examples_are_valid_for_the_models(document):
    RecipeIn.model_validate(EXAMPLE_RECIPE, strict=True)
    RecipeIn.model_validate({"title": "x", **EXAMPLE_PATCH}, strict=True)
    ImportRequest.model_validate(EXAMPLE_IMPORT)
    validator(document, "RecipeIn").validate(EXAMPLE_RECIPE)
    validator(document, "RecipePatch").validate(EXAMPLE_PATCH)


def test_responses_conform_to_the_document(client, app, document):
    headers = make_user(app, "ann")
    created = client.post("/api/v1/recipes", headers=headers, json=PANCAKES)
    validator(document, "Recipe").validate(created.json)
    client.post(f"/api/v1/recipes/{created.json['id']}/share", headers=headers)
    checks = {
        "RecipePage": client.get("/api/v1/recipes?q=pancake", headers=headers),
        "Recipe": client.get(f"/api/v1/recipes/{created.json['id']}", headers=headers),
        "TagList": client.get("/api/v1/tags", headers=headers),
        "Me": client.get("/api/v1/me", headers=headers),
        "Error": client.post("/api/v1/recipes", headers=headers, json={"nope": 1}),
    }
    for name, response in checks.items():
        validator(document, name).validate(response.json)
    assert checks["Recipe"].json["share_url"]


def test_schema_rejects_what_the_model_rejects(document):
    recipe_in = validator(document, "RecipeIn")
    bad_inputs = [
        {"title": "  \t"},
        {"title": "a\x00"},
        {"title": "x", "source_url": "ftp://x"},
        {"title": "x", "rating": 6},
        {"title": "x", "rating": True},
        {"title": "x", "nutrition": {"a\x00": "b"}},
        {"title": "x", "y": 1},
    ]
    for bad in bad_inputs:
        assert not recipe_in.is_valid(bad), bad
        with pytest.raises(ValidationError):
            RecipeIn.model_validate(bad, strict=True)
    # Both ingredient shapes: the model's rule, stated in the schema it generates.
    both = {"title": "x", "ingredients": [], "ingredient_groups": []}
    assert not recipe_in.is_valid(both)
    with pytest.raises(ValidationError):
        RecipeIn.model_validate(both)
    assert recipe_in.is_valid({"title": "x", "ingredients": None, "ingredient_groups": []})


TEXT = st.text(
    alphabet=st.sampled_from(
        list("hHtTpPsS:/ .?#$ab\t\n\r\x00\x01\x0b\x1c\x1f\x7f\x85\xa0\u2000\u3000\ufeff")
    ),
    max_size=14,
)


URLS = ["http://a", " HTTPS://b.c/d ", "http:// a", "http://.a", "http://a b", "ht\x01tp://a",
        "http://a\x01", "\x00", ""]  # fmt: skip


def _model_accepts(field: str, value: str) -> bool:
    try:
        RecipeIn.model_validate(
            {"title": "x", field: value} if field != "title" else {field: value}
        )
    except ValidationError:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(st.one_of(TEXT, st.sampled_from(URLS)))
@example("http://a\x1cb")  # a control character that is also whitespace, deleted mid-address
@example("\u2008HT\x1eTPS:/\x1e/0\x1f\x0c*")  # what Schemathesis once found
def test_text_patterns_agree_with_the_validators(value):
    """The schema patterns say exactly what the models' validators accept."""
    assert bool(re.search(NOT_BLANK, value)) == _model_accepts("title", value)
    assert bool(re.search(HTTP_URL, value)) == _model_accepts("source_url", value)


# --- other API blueprints (the importer's) -------------------------------------------------

PAGE = """<html><head><title>x</title><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Recipe", "name": "Porridge",
 "recipeIngredient": ["oats", "milk"], "recipeInstructions": ["Simmer."]}
</script></head><body></body></html>"""


@pytest.fixture
def csrf_app(data_dir):
    return create_app({"DATA_DIR": str(data_dir)})  # CSRF on, as in production


def test_api_blueprint_gives_other_packages_the_same_auth(csrf_app):
    bp = api_blueprint("extension", __name__)

    @bp.post("/extension")
    def extension():
        return jsonify(body=json_body(), user=api_user().username), 201

    csrf_app.register_blueprint(bp)
    client = csrf_app.test_client()
    assert client.post("/api/v1/extension", json={}).status_code == 401
    headers = make_user(csrf_app, "ann")
    response = client.post("/api/v1/extension", json={"a": 1}, headers=headers)
    assert response.status_code == 201 and response.json == {"body": {"a": 1}, "user": "ann"}
    response = client.post("/api/v1/extension", data="x", headers=headers)
    assert response.status_code == 415 and response.json["error"]["status"] == 415


def test_import_endpoint_is_documented_and_works_as_the_docs_say(csrf_app):
    client = csrf_app.test_client()
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/recipes/import"]["post"]
    assert {"200", "201", "401", "409", "422", "502"} <= set(operation["responses"])
    headers = make_user(csrf_app, "ann")
    body = {"url": "https://example.com/porridge", "html": PAGE}
    assert client.post("/api/v1/recipes/import", json=body).status_code == 401
    response = client.post("/api/v1/recipes/import", json=body, headers=headers)
    assert response.status_code == 201, response.json
    validator(document, "Recipe").validate(response.json)
    assert response.json["title"] == "Porridge"
    again = client.post("/api/v1/recipes/import", json=body, headers=headers)
    assert again.status_code == 409
    validator(document, "Error").validate(again.json)
    html = client.get("/docs").get_data(as_text=True)
    assert 'id="api-import"' in html and "$BASE/recipes/import" in html


# --- docs page -----------------------------------------------------------------------------


def test_docs_page_has_curl_examples_from_the_document(client):
    html = client.get("/docs").get_data(as_text=True)
    assert 'id="api"' in html and "http://localhost/api/v1/openapi.json" in html
    assert "recipes token add" in html
    assert "BASE=http://localhost/api/v1" in html
    assert "curl -sS -X POST &#34;$BASE/recipes&#34;" in html  # create
    assert "$BASE/recipes?q=pancake" in html  # search
    assert html.count("Authorization: Bearer $TOKEN") >= 10
    for operation_id in ("listRecipes", "createRecipe", "getRecipe", "replaceRecipe",
                         "updateRecipe", "deleteRecipe", "shareRecipe", "unshareRecipe",
                         "listTags", "getMe", "getOpenapi"):  # fmt: skip
        assert f'id="op-{operation_id}"' in html
    assert "&lt;code&gt;" not in html and "`" not in html.split('id="api"')[1]


def test_docs_page_works_offline_and_under_the_csp(client):
    response = client.get("/docs")
    html = response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"(https?:)?//", html)  # no CDN
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert " style=" not in html and "<style" not in html
