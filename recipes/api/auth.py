"""Who is calling the API: a bearer token, or the browser session (with a CSRF header).

Every API blueprint comes from `api_blueprint()`, so it is exempt from the app-wide form
CSRF check (bearer calls cannot be forged cross-site) and checks credentials itself.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from werkzeug.wrappers import Response
from wtforms.validators import ValidationError

from recipes.db import get_db
from recipes.errors import error_response
from recipes.users import User, get_user

from .tokens import check_token

URL_PREFIX = "/api/v1"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRFToken"
PUBLIC = "api_public"  # marker attribute on views that need no credentials


def public(view):  # type: ignore[no-untyped-def]
    """Mark a view as open to anyone (the OpenAPI document)."""
    setattr(view, PUBLIC, True)
    return view


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /api/v1 whose views all require an API caller."""
    bp = Blueprint(name, import_name, url_prefix=URL_PREFIX)
    bp.record_once(lambda state: state.app.extensions["csrf"].exempt(bp))
    bp.before_request(authenticate)
    return bp


def api_user() -> User:
    """The user making the current API request (set by `authenticate`)."""
    return g.api_user


def unauthorized(message: str) -> Response:
    response = error_response(401, message)
    response.headers["WWW-Authenticate"] = 'Bearer realm="Recipes API"'
    return response


def authenticate() -> Response | None:
    """Set `g.api_user`, or answer 401/403. Runs before every API view."""
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, PUBLIC, False):
        return None
    header = request.headers.get("Authorization")
    if header is not None:
        return _bearer(header)
    if current_user.is_authenticated:
        return _session()
    return unauthorized("Send an API token: Authorization: Bearer <token>.")


def _bearer(header: str) -> Response | None:
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return unauthorized("Use Authorization: Bearer <token>.")
    db = get_db()
    token = check_token(db, secret.strip())
    user = get_user(db, token.user_id) if token else None
    if user is None:
        return unauthorized("That API token is not valid; it may have been revoked.")
    g.api_user, g.api_auth = user, "token"
    return None


def _session() -> Response | None:
    """Session callers are browsers: unsafe methods must carry the page's CSRF token."""
    if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(_csrf_header())
        except ValidationError:
            return error_response(
                403, f"Session requests that change data need the {CSRF_HEADER} header."
            )
    g.api_user, g.api_auth = current_user._get_current_object(), "session"
    return None


def _csrf_header() -> str:
    for name in current_app.config.get("WTF_CSRF_HEADERS", [CSRF_HEADER]):
        if request.headers.get(name):
            return request.headers[name]
    return ""
