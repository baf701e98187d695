"""The `recipes` command: a thin layer over the package."""

from __future__ import annotations

import sys

import click

from recipes.cli_context import app_and_db, build_app

# Other packages (the desktop app) add their subcommands through this entry point group,
# so this package never imports them.
COMMAND_GROUP = "recipes.commands"


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
    run(host, port, server, app=build_app())


@cli.command()
def info() -> None:
    """Show the data folder, database and versions."""
    from recipes import __version__
    from recipes.db import latest_version, schema_version

    with app_and_db() as (app, db):
        version = schema_version(db)
        counts = db.execute(
            "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM recipes)"
        ).fetchone()
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
    from recipes.users import AccountError, create_user, get_user_by_name

    if role and not household_of:
        raise click.UsageError(
            "--role needs --household-of USER (a new household's account is its admin)"
        )
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with app_and_db() as (_, db):
        household_id = None
        if household_of:
            host = get_user_by_name(db, household_of)
            if host is None:
                raise click.ClickException(f"There is no user {household_of!r}.")
            household_id = host.household_id
        try:
            account = create_user(
                db, name, password, is_admin=admin, household_id=household_id, role=role or "member"
            )
        except AccountError as exc:
            raise click.ClickException(f"{exc.field}: {exc}") from None
    kind = "administrator" if account.is_admin else "user"
    where = f"{household_of}'s household" if household_of else "a household of their own"
    click.echo(f"Created {kind} {account.username!r}, {account.role} of {where}.", err=True)


@cli.group()
def household() -> None:
    """Households: who shares which recipes."""


@household.command("list")
def household_list() -> None:
    """List households with their members and roles."""
    from recipes.households import all_households

    with app_and_db() as (_, db):
        found = all_households(db)
    for item in found:
        people = ", ".join(f"{m.username} ({m.role})" for m in item.members) or "no members"
        click.echo(f"{item.id}\t{item.name}\t{people}")


def _add_domain_commands() -> None:
    """Token and import/export commands live beside their code; installed packages add
    theirs through the `recipes.commands` entry points."""
    from importlib.metadata import entry_points

    from recipes.api.cli import COMMANDS as API_COMMANDS
    from recipes.importing.cli import COMMANDS as IMPORT_COMMANDS
    from recipes.photos.cli import COMMANDS as PHOTO_COMMANDS

    for command in (*API_COMMANDS, *IMPORT_COMMANDS, *PHOTO_COMMANDS):
        cli.add_command(command)
    for entry in entry_points(group=COMMAND_GROUP):
        cli.add_command(entry.load(), entry.name)


_add_domain_commands()


def main() -> None:
    cli(prog_name="recipes")


if __name__ == "__main__":
    main()
