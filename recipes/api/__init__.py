"""JSON API v1 (token or session auth), its OpenAPI document, and the API token settings."""

from __future__ import annotations

from flask import Flask

from .auth import api_blueprint, api_user
from .payload import ApiError, json_body, validate

__all__ = ["ApiError", "api_blueprint", "api_user", "init_app", "json_body", "validate"]


def init_app(app: Flask) -> None:
    # photos adds its routes to routes.bp on import, before the blueprint is registered.
    from . import household, imports, ingredients, mealplan, photos, routes, shopping, token_page  # noqa: F401

    app.register_error_handler(ApiError, lambda exc: exc.response())
    app.register_blueprint(routes.bp)
    app.register_blueprint(household.bp)
    app.register_blueprint(token_page.bp)
    app.register_blueprint(ingredients.bp)
    app.register_blueprint(imports.bp)
    app.register_blueprint(mealplan.bp)
    app.register_blueprint(shopping.bp)
