"""API tokens: random secrets of which only a SHA-256 is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from recipes.db import transaction, utcnow

PREFIX = "rcp_"  # makes a leaked token recognisable to secret scanners
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 200
MAX_NAME_LENGTH = 100
MAX_TOKENS_PER_USER = 100
# last_used_at is a hint for people, not an audit log: write it at most this often.
TOUCH_INTERVAL = timedelta(minutes=1)


class TokenError(ValueError):
    """A user-facing reason a token could not be created."""


@dataclass(frozen=True)
class ApiToken:
    id: int
    user_id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> ApiToken:
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            name=row["name"],
            created_at=_parse_time(row["created_at"]),
            last_used_at=_parse_time(row["last_used_at"]) if row["last_used_at"] else None,
        )


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise TokenError("Give the token a name, e.g. “Phone shortcut”.")
    if len(name) > MAX_NAME_LENGTH or not name.isprintable():
        raise TokenError(f"Use at most {MAX_NAME_LENGTH} printable characters.")
    return name


def create_token(db: sqlite3.Connection, user_id: int, name: str) -> tuple[ApiToken, str]:
    """A new token for the user: its record, and the secret (shown once, never stored)."""
    name = clean_name(name)
    secret = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    with transaction(db):
        count = db.execute(
            "SELECT count(*) FROM api_tokens WHERE user_id = ?", (user_id,)
        ).fetchone()[0]
        if count >= MAX_TOKENS_PER_USER:
            raise TokenError(f"You already have {count} tokens; revoke one first.")
        row = db.execute(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) "
            "VALUES (?, ?, ?, ?) RETURNING *",
            (user_id, name, hash_token(secret), utcnow()),
        ).fetchone()
    return ApiToken.from_row(row), secret


def list_tokens(db: sqlite3.Connection, user_id: int) -> list[ApiToken]:
    rows = db.execute(
        "SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC",
        (user_id,),
    ).fetchall()
    return [ApiToken.from_row(row) for row in rows]


def revoke_token(db: sqlite3.Connection, user_id: int, token_id: int) -> bool:
    with transaction(db):
        cursor = db.execute(
            "DELETE FROM api_tokens WHERE id = ? AND user_id = ?", (token_id, user_id)
        )
    return cursor.rowcount > 0


def check_token(db: sqlite3.Connection, secret: str) -> ApiToken | None:
    """The token's record if the secret is a live token, else None.

    The look-up is by hash, so timing reveals nothing about the secret; revoked tokens
    are deleted rows and fail at once.
    """
    if not secret.startswith(PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        return None
    digest = hash_token(secret)
    row = db.execute("SELECT * FROM api_tokens WHERE token_hash = ?", (digest,)).fetchone()
    if row is None or not hmac.compare_digest(row["token_hash"], digest):
        return None
    token = ApiToken.from_row(row)
    _touch(db, token)
    return token


def _touch(db: sqlite3.Connection, token: ApiToken) -> None:
    """Record a use, but write at most once per TOUCH_INTERVAL per token."""
    now = datetime.now(UTC)
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    try:
        with transaction(db):
            db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (utcnow(), token.id))
    except sqlite3.OperationalError:
        pass  # a busy database must not fail a read request over a usage hint
