"""What every `recipes` subcommand shares: the app, a database connection, the account."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask


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
    from recipes.users import get_user_by_name

    if username:
        user = get_user_by_name(db, username)
        if user is None:
            raise click.ClickException(f"there is no account named {username!r}")
        return user.id
    rows = db.execute("SELECT id FROM users ORDER BY id LIMIT 2").fetchall()
    if len(rows) == 1:
        return int(rows[0]["id"])
    if not rows:
        raise click.ClickException("there are no accounts yet; create one with `recipes user add`")
    raise click.ClickException("there are several accounts; choose one with --user NAME")
