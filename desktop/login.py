"""The desktop's one local account, always signed in: an app-factory hook of the desktop,
so the web app's own login code knows nothing of it."""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user, login_user

from recipes.db import get_db
from recipes.users import ensure_local_user, start_login

CONFIG_KEY = "AUTO_LOGIN_USER"  # templates read it to hide "Log out"


def init_app(app: Flask, username: str) -> None:
    """Sign `username` in (creating the account once) on the first request of a session."""
    app.config[CONFIG_KEY] = username

    def auto_login() -> None:
        if not current_user.is_authenticated and request.endpoint != "static":
            login_user(start_login(get_db(), ensure_local_user(get_db(), username)))

    app.before_request(auto_login)
