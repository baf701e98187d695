"""Security headers on every response."""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, current_app
from werkzeug.wrappers import Response

# Recipes link photos from anywhere on the web. The desktop narrows this to
# "'self' data: https:" (see desktop/login.py) so no image comes from a local port.
IMG_SRC = "'self' data: https: http:"


@lru_cache(maxsize=4)
def content_security_policy(img_src: str = IMG_SRC) -> str:
    """No inline script or style anywhere: templates load /static files only."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {img_src}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CSP = content_security_policy()
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def add_security_headers(response: Response) -> Response:
    img_src = current_app.config.get("CSP_IMG_SRC", IMG_SRC)
    response.headers.setdefault("Content-Security-Policy", content_security_policy(img_src))
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
