"""Reading API requests: JSON bodies and query strings, with JSON errors for bad ones."""

from __future__ import annotations

import json
import math
import re
from typing import Any, TypeVar

from flask import request
from pydantic import BaseModel, ValidationError
from werkzeug.wrappers import Response

from recipes.errors import error_response
from recipes.models import field_errors

Model = TypeVar("Model", bound=BaseModel)
JSON_TYPES = ("application/json",)
MAX_DEPTH_MESSAGE = "The JSON is nested too deeply."
# UTF-8 text holds no lone surrogate: only a "\ud800"-style escape can bring one in.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class ApiError(Exception):
    """Raised anywhere in an API view; becomes `{"error": {...}}` with the status."""

    def __init__(self, status: int, message: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra

    def response(self) -> Response:
        return error_response(self.status, self.message, **self.extra)


def json_body() -> dict[str, Any]:
    """The request's JSON object: 415 if not JSON, 400 if malformed, 422 if not an object."""
    mimetype = request.mimetype
    if mimetype not in JSON_TYPES and not mimetype.endswith("+json"):
        raise ApiError(415)
    raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH: 413
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_number)
        # Lone surrogates ("\ud800") parse, but can be neither stored nor sent back. The
        # full check costs 6 ms on a 500 KB page, so it runs only when an escape is there.
        if _SURROGATE_ESCAPE.search(text):
            json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeError:
        raise ApiError(
            400, "The body is not valid UTF-8 text (or holds lone surrogates)."
        ) from None
    except RecursionError:
        raise ApiError(400, MAX_DEPTH_MESSAGE) from None
    except ValueError as exc:
        raise ApiError(400, f"The body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ApiError(422, "Send a JSON object.", fields={"body": "must be an object"})
    return data


def _number(text: str) -> float | int:
    """JSON has one number type: 30.0 is the integer 30, as JSON Schema also says."""
    value = float(text)
    return int(value) if math.isfinite(value) and value.is_integer() else value


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def validate(model: type[Model], data: Any, strict: bool = False) -> Model:
    """The model built from data, or 422 with one message per field."""
    try:
        return model.model_validate(data, strict=strict)
    except ValidationError as exc:
        raise ApiError(422, fields=field_errors(exc)) from None


def query(model: type[Model]) -> Model:
    """Query-string arguments validated by a model (the first value of a repeated key)."""
    return validate(model, request.args.to_dict())
