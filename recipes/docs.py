"""The usage guide, with the API reference rendered from the OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, render_template, request
from markupsafe import Markup, escape

from recipes.api.openapi import ERRORS, openapi_document
from recipes.settings import descriptions

bp = Blueprint("docs", __name__)
METHODS = ("get", "post", "put", "patch", "delete")
REF_PREFIX = "#/components/schemas/"


@bp.route("/docs")
def guide() -> str:
    document = openapi_document()
    base = request.host_url.rstrip("/") + document["servers"][0]["url"]
    return render_template(
        "docs.html",
        settings=descriptions(),
        api=document,
        api_base=base,
        operations=operations(document),
        recipe_fields=fields(document, "Recipe"),
        input_fields=fields(document, "RecipeIn"),
        search_curl=curl("GET", "/recipes?q=pancake&tag=breakfast&per_page=10"),
        errors=ERRORS,
    )


UPLOAD = object()  # marks a multipart file upload (curl -F)


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation, in document order, with a curl command built from it."""
    result = []
    for path, item in document["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            example = _body_example(operation)
            result.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {**p, "type": type_name(p["schema"])}
                        for p in shared + operation.get("parameters", [])
                    ],
                    "body": _body_schema(operation),
                    "responses": sorted(operation["responses"].items()),
                    "public": operation.get("security") == [],
                    "curl": curl(method.upper(), path, example, operation.get("security") != []),
                }
            )
    return result


def _body_example(operation: dict[str, Any]) -> Any:
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        return UPLOAD
    return content.get("application/json", {}).get("example")


def _body_schema(operation: dict[str, Any]) -> str | None:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if "multipart/form-data" in content:
        return "multipart/form-data with the image as file"
    return type_name(schema) if schema else None


def curl(method: str, path: str, body: Any = None, authenticated: bool = True) -> str:
    """A copy-and-paste shell command using $BASE and $TOKEN."""
    path = path.replace("{recipe_id}", "1").replace("{photo_id}", "1")
    lines = [f'curl -sS{"" if method == "GET" else f" -X {method}"} "$BASE{path}"']
    if authenticated:
        lines.append('-H "Authorization: Bearer $TOKEN"')
    if body is UPLOAD:
        lines.append('-F "file=@photo.jpg"')
    elif body is not None:
        text = _compact_json(body).replace("'", "'\\''")
        lines += ['-H "Content-Type: application/json"', f"-d '{text}'"]
    return " \\\n  ".join(lines)


def _compact_json(body: Any) -> str:
    """One line per top-level field: readable, and short enough to copy."""
    text = json.dumps(body, ensure_ascii=False)
    if len(text) <= 60 or not isinstance(body, dict):
        return text
    members = (f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in body.items())
    return "{\n" + ",\n".join(members) + "\n}"


def type_name(schema: dict[str, Any]) -> str:
    """A short human name for a JSON schema: "list of string", "Recipe", "integer or null"."""
    if "$ref" in schema:
        return schema["$ref"].removeprefix(REF_PREFIX)
    if "anyOf" in schema:
        return " or ".join(type_name(option) for option in schema["anyOf"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {type_name(schema.get('items', {}))}"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"map of string to {type_name(schema['additionalProperties'])}"
    if "enum" in schema:
        return " | ".join(json.dumps(value) for value in schema["enum"])
    return str(kind)


def limits(schema: dict[str, Any]) -> str:
    """The schema's bounds in words: "0 to 5", "at most 300 characters"."""
    for option in schema.get("anyOf", [schema]):
        if "minimum" in option and "maximum" in option:
            return f"{option['minimum']} to {option['maximum']}"
        if "maxLength" in option:
            return f"at most {option['maxLength']} characters"
        if "maxItems" in option:
            return f"at most {option['maxItems']} items"
        if option.get("format") == "date-time":
            return "ISO 8601 date and time"
    return ""


def fields(document: dict[str, Any], name: str) -> list[dict[str, str]]:
    """The properties of one component schema, for a table."""
    schema = document["components"]["schemas"][name]
    required = set(schema.get("required", []))
    return [
        {
            "name": key,
            "type": type_name(prop),
            "required": "required" if key in required else "",
            "description": "; ".join(
                part for part in (prop.get("description", "").rstrip("."), limits(prop)) if part
            ),
        }
        for key, prop in schema["properties"].items()
    ]


@bp.app_template_filter("code_spans")
def code_spans(text: str) -> Markup:
    """`word` in OpenAPI descriptions becomes <code>word</code>; everything else is escaped."""
    parts = str(escape(text)).split("`")
    return Markup(  # noqa: S704 - every part was escaped above
        "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
    )
