"""`recipes token ...`: API tokens from the command line."""

from __future__ import annotations

import click

from recipes.cli_context import app_and_db, user_id
from recipes.db import MAX_ROW_ID

from .tokens import TokenError, create_token, list_tokens, revoke_token


@click.group("token")
def token() -> None:
    """Manage API tokens."""


@token.command("add")
@click.argument("username")
@click.option("--name", default="Command line", show_default=True, help="What the token is for.")
def token_add(username: str, name: str) -> None:
    """Create a token for USERNAME and print it (only the token, on stdout)."""
    with app_and_db() as (_, db):
        try:
            record, secret = create_token(db, user_id(db, username), name)
        except TokenError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(secret)
    click.echo(f"Created token {record.name!r} for {username}. It is shown only once.", err=True)


@token.command("list")
@click.argument("username")
def token_list(username: str) -> None:
    """List USERNAME's tokens (names and dates; the secrets are not stored)."""
    with app_and_db() as (_, db):
        tokens = list_tokens(db, user_id(db, username))
    for item in tokens:
        used = item.last_used_at.isoformat() if item.last_used_at else "never"
        click.echo(f"{item.id}\t{item.name}\tcreated {item.created_at.isoformat()}\tused {used}")


@token.command("revoke")
@click.argument("username")
@click.argument("token_id", type=click.IntRange(1, MAX_ROW_ID))
def token_revoke(username: str, token_id: int) -> None:
    """Revoke USERNAME's token TOKEN_ID (the first column of `token list`)."""
    with app_and_db() as (_, db):
        revoked = revoke_token(db, user_id(db, username), token_id)
    if not revoked:
        raise click.ClickException(f"{username} has no token {token_id}.")
    click.echo(f"Revoked token {token_id}; it stops working at once.", err=True)


COMMANDS = [token]
