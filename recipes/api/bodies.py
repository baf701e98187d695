"""Strict validation of JSON bodies: a value of the wrong JSON type is refused (no "4" for
4), while dates arrive as the ISO strings JSON carries them in."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .payload import ApiError, field_errors

Model = TypeVar("Model", bound=BaseModel)


def validate_json(model: type[Model], body: dict[str, Any]) -> Model:
    try:
        return model.model_validate_json(json.dumps(body), strict=True)
    except ValidationError as exc:
        raise ApiError(422, fields=field_errors(exc)) from None
