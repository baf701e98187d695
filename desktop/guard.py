"""WSGI middleware that lets only this launch's window talk to the local server.

Other programs and web pages on the same machine can reach loopback addresses too. Every
request must carry the per-launch token (a cookie the window receives once, through a
one-time launch URL) and a Host header naming exactly our host:port, which defeats DNS
rebinding.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from werkzeug.http import parse_cookie

LAUNCH_PATH = "/_desktop/launch"
FOCUS_PATH = "/_desktop/focus"
TOKEN_HEADER = "HTTP_X_RECIPES_TOKEN"  # noqa: S105 - a header name, not a secret

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


class LaunchGuard:
    """Wraps the Flask app; knows the address only once the server has bound it."""

    def __init__(self, app: WSGIApp, on_focus: Callable[[], Any] | None = None) -> None:
        self.app = app
        self.on_focus = on_focus
        self.token = secrets.token_urlsafe(32)
        self.host = "127.0.0.1"
        self.port: int | None = None
        self._nonce: str | None = secrets.token_urlsafe(32)
        self._nonce_lock = threading.Lock()

    @property
    def cookie_name(self) -> str:
        # Cookies ignore ports, so name it per port to keep two servers apart.
        return f"recipes_desktop_{self.port}"

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def launch_url(self) -> str:
        """The one URL the window opens first; it trades the nonce for the cookie."""
        return f"{self.origin}{LAUNCH_PATH}?nonce={self._nonce}"

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self.port is None or environ.get("HTTP_HOST") != f"{self.host}:{self.port}":
            return _forbidden(start_response, "wrong Host")
        path = environ.get("PATH_INFO", "")
        if path == LAUNCH_PATH:
            return self._launch(environ, start_response)
        if not self._has_token(environ):
            return _forbidden(start_response, "missing launch token")
        if path == FOCUS_PATH:
            return self._focus(environ, start_response)
        return self.app(environ, start_response)

    def _has_token(self, environ: dict) -> bool:
        offered = environ.get(TOKEN_HEADER) or parse_cookie(environ).get(self.cookie_name, "")
        return hmac.compare_digest(offered.encode(), self.token.encode())

    def _launch(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        offered = parse_qs(environ.get("QUERY_STRING", "")).get("nonce", [""])[0]
        with self._nonce_lock:
            valid = self._nonce is not None and hmac.compare_digest(
                offered.encode(), self._nonce.encode()
            )
            if valid:
                self._nonce = None  # usable once: a leaked launch URL is worth nothing
        if not valid:
            return _forbidden(start_response, "launch link already used")
        cookie = f"{self.cookie_name}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        start_response(
            "303 See Other",
            [("Location", "/"), ("Set-Cookie", cookie), ("Cache-Control", "no-store")],
        )
        return [b""]

    def _focus(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            start_response("405 Method Not Allowed", [("Allow", "POST")])
            return [b""]
        if self.on_focus is not None:
            self.on_focus()
        start_response("204 No Content", [])
        return [b""]


def _forbidden(start_response: Callable, reason: str) -> Iterable[bytes]:
    body = f"Forbidden: {reason}\n".encode()
    start_response(
        "403 Forbidden",
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]
