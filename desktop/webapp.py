"""The web app as the desktop serves it, set up through this app-factory hook so the
`recipes` package knows nothing of the desktop.

Cookies ignore ports: every request the window makes to any port of our host carries
the launch token and the session. So nothing on our pages may load from this machine or
its network: images only from ourselves or `https:` (CSP), and links to local hosts are
not rendered (`outside_url`).
"""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user, login_user

from recipes.db import get_db
from recipes.users import ensure_local_user, start_login

DESKTOP_CONFIG = {
    "IMPORT_ALLOW_PRIVATE": True,
    "CSP_IMG_SRC": "'self' data: https:",
    "LOCAL_RESOURCES_REFUSED": True,
}


def configure(app: Flask, username: str) -> None:
    """The desktop's settings, and `username` signed in (the account created once) on
    the first request of a session."""
    app.config.update(DESKTOP_CONFIG, AUTO_LOGIN_USER=username)  # the nav hides "Log out"

    def auto_login() -> None:
        if not current_user.is_authenticated and request.endpoint != "static":
            login_user(start_login(get_db(), ensure_local_user(get_db(), username)))

    app.before_request(auto_login)
