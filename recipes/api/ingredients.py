"""JSON API v1: ingredient lines parsed (POST /ingredients/parse)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from werkzeug.wrappers import Response

from recipes.ingredients import ParsedIngredient, parse_lines

from .auth import api_blueprint
from .payload import json_body, validate
from .responses import json_response

bp = api_blueprint("api_ingredients", __name__)
MAX_LINES = 1000
MAX_LINE_LENGTH = 10_000
PARSE_PATH = "/ingredients/parse"
EXAMPLE = {"lines": ["1½ cups flour, sifted", "10g/½oz fresh tarragon", "salt to taste"]}


class ParseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[Annotated[str, Field(max_length=MAX_LINE_LENGTH)]] = Field(
        max_length=MAX_LINES, description=f"Ingredient lines, at most {MAX_LINES}"
    )


class ParsedLines(BaseModel):
    ingredients: list[ParsedIngredient] = Field(description="One per line, in the same order")


@bp.post(PARSE_PATH)
def parse() -> Response:
    request = validate(ParseRequest, json_body(), strict=True)
    result = ParsedLines(ingredients=parse_lines(request.lines))
    return json_response(result)


def parse_operation(body: dict[str, Any], responses: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI operation, given the document's request-body and response builders."""
    return {
        "operationId": "parseIngredients",
        "summary": "Parse ingredient lines",
        "description": "Quantity (fractions, decimals with a point or comma, ranges), a "
        "canonical unit, the food and the rest as a note, plus every amount in the line "
        "(`160 g (2/3 cup) milk`). A line with no amount has a null quantity. Nothing is "
        "stored.",
        "requestBody": body,
        "responses": responses,
    }
