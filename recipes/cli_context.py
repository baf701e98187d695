"""What every `recipes` subcommand shares: the app, a database connection, the account."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
from flask import Flask

if TYPE_CHECKING:
    from recipes.users import User


def build_app() -> Flask:
    """create_app() with its start-up failures as one-line command errors, no traceback."""
    from recipes import create_app

    try:
        return create_app()
    except (RuntimeError, ValueError) as exc:  # an unreadable secret key, a bad RECIPES_* value
        raise click.ClickException(str(exc)) from None
    except sqlite3.Error as exc:  # e.g. a read-only or full data folder
        raise click.ClickException(
            f"cannot open or update the database: {exc}. Is the data folder full or read-only?"
        ) from None


@contextmanager
def app_and_db() -> Iterator[tuple[Flask, sqlite3.Connection]]:
    """The app (its context pushed) and a connection of the command's own, closed after."""
    from recipes.db import connect

    app = build_app()
    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            yield app, db
    finally:
        db.close()


def user_id(db: sqlite3.Connection, username: str | None) -> int:
    """The named account's id; without a name, the only account's."""
    return account(db, username).id


def account(db: sqlite3.Connection, username: str | None) -> User:
    """The named account (with its household); without a name, the only account."""
    from recipes.users import get_user, get_user_by_name

    if username:
        user = get_user_by_name(db, username)
        if user is None:
            raise click.ClickException(f"there is no account named {username!r}")
        return user
    rows = db.execute("SELECT id FROM users ORDER BY id LIMIT 2").fetchall()
    if len(rows) == 1:
        only = get_user(db, int(rows[0]["id"]))
        assert only is not None
        return only
    if not rows:
        raise click.ClickException("there are no accounts yet; create one with `recipes user add`")
    raise click.ClickException("there are several accounts; choose one with --user NAME")
