"""Addresses of read-only list links (pages and API both show them)."""

from __future__ import annotations

import secrets

from flask import url_for

TOKEN_BYTES = 24


def public_url(token: str) -> str:
    return url_for("shopping.shared", token=token, _external=True)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)
