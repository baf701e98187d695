"""Liveness with a real database query."""

from __future__ import annotations

import sqlite3

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from recipes.db import get_db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        get_db().execute("SELECT count(*) FROM users").fetchone()
    except sqlite3.Error as exc:
        return jsonify(status="error", reason=f"database unavailable: {exc}"), 503
    return jsonify(status="ok"), 200
