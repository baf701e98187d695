"""JSON responses of the API views."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from werkzeug.wrappers import Response


def json_response(model: Any, status: int = 200) -> Response:
    response = jsonify(model.model_dump(mode="json"))
    response.status_code = status
    return response


def no_content() -> Response:
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response
