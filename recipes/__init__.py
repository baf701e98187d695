"""Recipes: a self-hosted recipe manager."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

__version__ = "0.1.0"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app from `RECIPES_*` settings, then `test_config` on top."""
    from flask_wtf.csrf import CSRFProtect

    from recipes import api, auth, db, docs, errors, health, security, sharing, templating, views
    from recipes.datadir import ensure_data_dir, load_or_create_secret
    from recipes.importing import views as importing_views
    from recipes.settings import Settings

    app = Flask(__name__)
    app.config.from_mapping(Settings.from_env().flask_config())
    app.config.update(
        SESSION_COOKIE_NAME="recipes_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.update(test_config)
    folder = ensure_data_dir(Path(app.config["DATA_DIR"]))
    app.config["DATA_DIR"] = str(folder)
    app.config.setdefault("DATABASE", str(folder / "recipes.sqlite3"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret(folder)
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]

    db.init_app(app)
    CSRFProtect(app)
    auth.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    for blueprint in (views.bp, sharing.bp, health.bp, docs.bp):
        app.register_blueprint(blueprint)
    api.init_app(app)
    importing_views.init_app(app)

    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1
        )
    return app
