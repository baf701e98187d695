"""Recipes: a self-hosted recipe manager."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from recipes.db import MAX_ROW_ID

__version__ = "0.1.0"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app from `RECIPES_*` settings, then `test_config` on top."""
    from flask_wtf.csrf import CSRFProtect

    from recipes import (
        api,
        auth,
        db,
        docs,
        errors,
        health,
        household_pages,
        security,
        sharing,
        store,
        templating,
        views,
    )
    from recipes.cooking import views as cooking_views
    from recipes.datadir import ensure_data_dir, load_or_create_secret
    from recipes.importing import views as importing_views
    from recipes.mealplan import views as plan_views
    from recipes.photos import views as photo_views
    from recipes.settings import Settings
    from recipes.shopping import views as shopping_views

    app = Flask(__name__)
    # Before any route: an id beyond SQLite's integer range is a 404, not an
    # OverflowError (500) in the query.
    app.url_map.converters["int"] = _SQLiteInt
    app.config.from_mapping(Settings.from_env().flask_config())
    app.config.update(
        SESSION_COOKIE_NAME="recipes_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the model's field order
    if test_config:
        app.config.update(test_config)
    folder = ensure_data_dir(Path(app.config["DATA_DIR"]))
    app.config["DATA_DIR"] = str(folder)
    app.config.setdefault("DATABASE", str(folder / "recipes.sqlite3"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret(folder)
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]

    db.init_app(app)
    store.upgrade_data(app.config["DATABASE"])
    # Before CSRFProtect: malformed bytes are refused before anything parses the form.
    errors.init_app(app)
    CSRFProtect(app)
    auth.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    blueprints = (views.bp, sharing.bp, health.bp, docs.bp, photo_views.bp, cooking_views.bp)
    for blueprint in (*blueprints, plan_views.bp, shopping_views.bp):
        app.register_blueprint(blueprint)
    household_pages.init_app(app)
    api.init_app(app)
    importing_views.init_app(app)

    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1
        )
    # What start-up built lives as long as the app: keep it out of the cyclic collector,
    # whose full passes rescanned it (30 ms once every ~60 search requests, the p95 spikes).
    gc.freeze()
    return app


class _SQLiteInt(IntegerConverter):
    """`<int:...>` for row ids: one beyond SQLite's 64-bit range cannot exist, so it
    becomes 0 (never a row id) and the view answers its usual 404. (A `max` would make
    the router answer 405 instead.)"""

    def to_python(self, value: str) -> Any:
        number = super().to_python(value)
        return number if number <= MAX_ROW_ID else 0
