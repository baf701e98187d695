"""Error pages: HTML for people, JSON under /api."""

from __future__ import annotations

import logging
import os
import sqlite3
from urllib.parse import unquote_to_bytes

from flask import Flask, current_app, g, jsonify, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from recipes.db import close_db
from recipes.sharing import redact_share_tokens

MESSAGES = {
    400: "The request could not be understood.",
    401: "Please log in.",
    403: "You may not do that.",
    404: "There is nothing here.",
    405: "That method is not allowed here.",
    413: "That upload is too large.",
    415: "Send JSON (Content-Type: application/json).",
    422: "Some of what was sent is not valid.",
    429: "Too many attempts. Wait a minute and try again.",
    500: "Something went wrong on our side.",
    503: "The database is unavailable right now.",
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def error_response(status: int, message: str | None = None, **extra: object) -> Response:
    message = message or MESSAGES.get(status, "Error")
    response: Response
    if wants_json():
        response = jsonify(error={"status": status, "message": message, **extra})
    else:
        response = Response(_error_page(status, message), mimetype="text/html")
    response.status_code = status
    return response


def _error_page(status: int, message: str) -> str:
    try:
        return render_template("error.html", status=status, message=message)
    except sqlite3.Error:
        # The layout looks up the signed-in user; with the database down that fails again,
        # so answer a plain page rather than letting the server print its bare 500.
        return FALLBACK_PAGE.format(
            status=status,
            message=escape(message),
            css=url_for("static", filename="style.css"),
            home=url_for("recipes.index"),
        )


FALLBACK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{status} · Recipes</title>
<link rel="stylesheet" href="{css}"></head>
<body><main id="main"><div class="error-page"><h1>Error {status}</h1><p>{message}</p>
<p><a href="{home}">Go to your recipes</a></p></div></main></body></html>
"""


CSRF_MESSAGE = "Your form expired or was sent from another site. Go back, reload and retry."


log = logging.getLogger(__name__)
# SQLite primary result codes (the low byte of an extended code).
SQLITE_FULL, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR = 13, 8, 14, 10
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
STORAGE_MESSAGE = (
    "The data folder is full or read-only, so nothing was saved. "
    "Free some space (or fix its permissions) and try again."
)
STORAGE_WORDS = ("full", "readonly", "read-only", "disk i/o", "unable to open")
BUSY_MESSAGE = "The database is busy or unavailable, so nothing was saved. Try again."


def _http_error(exc: HTTPException) -> Response:
    if isinstance(exc, CSRFError):
        message: str | None = CSRF_MESSAGE
    elif exc.code == 429:
        message = None  # Flask-Limiter's description is the limit itself ("5 per 1 minute")
    elif exc.code == 413 and g.get("too_large_message"):
        message = g.too_large_message  # the view's own limit, e.g. a photo's 20 MB
    else:
        custom = exc.description != type(exc).description
        message = exc.description if custom else None
    response = error_response(exc.code or 500, message)
    original = exc.get_response().headers
    for name in ("Allow", "Retry-After", "WWW-Authenticate"):
        if name in original:
            response.headers[name] = original[name]
    return response


def storage_problem(exc: sqlite3.Error) -> bool:
    """Whether the error comes from the disk (full, read-only, unwritable), not the data."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code in (SQLITE_FULL, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR):
        return True
    text = str(exc).lower()
    if any(word in text for word in STORAGE_WORDS):
        return True
    folder = current_app.config.get("DATA_DIR")
    return folder is not None and not os.access(folder, os.W_OK)


def _database_error(exc: sqlite3.Error) -> Response:
    # Logged without the request: the message names the SQLite error, never user data.
    path = redact_share_tokens(request.path)
    log.error("database error on %s %s: %s", request.method, path, exc)
    # Never reuse this connection: one opened while the folder was read-only (or that hit
    # an I/O error) stays that way even after the folder is fixed.
    close_db(exc)
    if storage_problem(exc):
        return error_response(503, STORAGE_MESSAGE)
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or isinstance(exc, sqlite3.OperationalError):
        return error_response(503, BUSY_MESSAGE)
    return error_response(500)


def _unexpected(exc: InternalServerError) -> Response:
    original = getattr(exc, "original_exception", None)
    if isinstance(original, sqlite3.Error):
        return _database_error(original)
    return error_response(500)


FORM_TYPE = "application/x-www-form-urlencoded"


def reject_malformed_input() -> Response | None:
    """413 for a body over the limit; 400 for a query string or form body that is not
    UTF-8 text, or a form with a NUL.

    Werkzeug would otherwise decode bad bytes to U+FFFD and store them silently. (A NUL
    in a query string is only ever read, e.g. searched for, so it is left to the view.)
    Multipart bodies are left to their fields' own checks (files are binary), and the
    JSON API to its own documented validation.
    """
    limit = request.max_content_length  # the config's, unless the view set its own
    if limit and (request.content_length or 0) > limit:
        # Refused up front, even where the view would never read the body.
        return error_response(413, g.get("too_large_message"))
    if wants_json():
        return None
    problem = _undecodable(request.query_string, allow_nul=True)
    if not problem and request.mimetype == FORM_TYPE:
        # Cached, so the form parser reads it again; over MAX_CONTENT_LENGTH this is a 413.
        problem = _undecodable(request.get_data(cache=True), allow_nul=False)
    return error_response(400, problem) if problem else None


def _undecodable(raw: bytes, allow_nul: bool) -> str | None:
    try:
        text = unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return "The request holds bytes that are not UTF-8 text."
    if not allow_nul and "\x00" in text:
        return "The form holds a NUL character."
    return None


def init_app(app: Flask) -> None:
    app.before_request(reject_malformed_input)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(sqlite3.Error, _database_error)
    app.register_error_handler(InternalServerError, _unexpected)
