"""The `recipes` command: a thin layer over the package."""

from __future__ import annotations

import sys

import click
from flask import Flask


def _app() -> Flask:
    import sqlite3

    from recipes import create_app

    try:
        return create_app()
    except RuntimeError as exc:  # e.g. an empty or unreadable secret key file
        raise click.ClickException(str(exc)) from None
    except sqlite3.Error as exc:  # e.g. a read-only or full data folder
        raise click.ClickException(
            f"cannot open or update the database: {exc}. Is the data folder full or read-only?"
        ) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="recipes")
def cli() -> None:
    """Recipes: a self-hosted recipe manager."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8288, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--server",
    type=click.Choice(["gunicorn", "waitress"]),
    default=None,
    help="Default: gunicorn on POSIX, waitress on Windows.",
)
def serve(host: str, port: int, server: str | None) -> None:
    """Serve the web app."""
    from recipes.serving import run

    # Built once here, so bad settings fail before a server starts and migrations run once.
    run(host, port, server, app=_app())


@cli.command()
def info() -> None:
    """Show the data folder, database and versions."""
    from recipes import __version__
    from recipes.db import connect, latest_version, schema_version

    app = _app()
    db = connect(app.config["DATABASE"])
    try:
        version = schema_version(db)
        counts = db.execute(
            "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM recipes)"
        ).fetchone()
    finally:
        db.close()
    click.echo(f"Recipes {__version__}")
    click.echo(f"Data folder:    {app.config['DATA_DIR']}")
    click.echo(f"Database:       {app.config['DATABASE']}")
    click.echo(f"Schema version: {version} (latest {latest_version()})")
    click.echo(f"Users:          {counts[0]}")
    click.echo(f"Recipes:        {counts[1]}")


@cli.group()
def user() -> None:
    """Manage accounts."""


@user.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--admin", is_flag=True, help="Make the account a server administrator.")
@click.option(
    "--household-of",
    "household_of",
    metavar="USER",
    help="Join USER's household. Without it the account gets a household of its own.",
)
@click.option(
    "--role",
    type=click.Choice(["admin", "member", "viewer"]),
    help="Role in USER's household (default: member). A new household's account is its admin.",
)
def user_add(
    name: str, password_stdin: bool, admin: bool, household_of: str | None, role: str | None
) -> None:
    """Create an account."""
    from recipes.db import connect
    from recipes.users import AccountError, create_user, get_user_by_name

    if role and not household_of:
        raise click.UsageError(
            "--role needs --household-of USER (a new household's account is its admin)"
        )
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    app = _app()
    db = connect(app.config["DATABASE"])
    try:
        household_id = None
        if household_of:
            host = get_user_by_name(db, household_of)
            if host is None:
                raise click.ClickException(f"There is no user {household_of!r}.")
            household_id = host.household_id
        account = create_user(
            db, name, password, is_admin=admin, household_id=household_id, role=role or "member"
        )
    except AccountError as exc:
        raise click.ClickException(f"{exc.field}: {exc}") from None
    finally:
        db.close()
    kind = "administrator" if account.is_admin else "user"
    where = f"{household_of}'s household" if household_of else "a household of their own"
    click.echo(f"Created {kind} {account.username!r}, {account.role} of {where}.", err=True)


@cli.group()
def household() -> None:
    """Households: who shares which recipes."""


@household.command("list")
def household_list() -> None:
    """List households with their members and roles."""
    from recipes.db import connect
    from recipes.households import all_households

    db = connect(_app().config["DATABASE"])
    try:
        found = all_households(db)
    finally:
        db.close()
    for item in found:
        people = ", ".join(f"{m.username} ({m.role})" for m in item.members) or "no members"
        click.echo(f"{item.id}\t{item.name}\t{people}")


@cli.command()
def desktop() -> None:
    """Open the desktop app window."""
    from desktop.app import main as desktop_main

    raise SystemExit(desktop_main())


def _add_domain_commands() -> None:
    """Token and import/export commands live beside their code."""
    from recipes.api.cli import COMMANDS as API_COMMANDS
    from recipes.importing.cli import COMMANDS as IMPORT_COMMANDS

    for command in (*API_COMMANDS, *IMPORT_COMMANDS):
        cli.add_command(command)


_add_domain_commands()


def main() -> None:
    cli(prog_name="recipes")


if __name__ == "__main__":
    main()
