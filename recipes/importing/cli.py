"""`recipes import`, `recipes export` and `recipes backup` (registered through COMMANDS)."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from recipes.cli_context import account, app_and_db, build_app
from recipes.importing.entry import Entry, Imported
from recipes.importing.errors import ImportFailed

if TYPE_CHECKING:
    from recipes.importing.saving import Outcome, Report

LISTED = 20  # duplicates listed by name; failures are always listed in full


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _entries(source: str, allow_private: bool) -> Iterator[Entry]:
    """A URL as one entry, a file as its entries; an unreadable source as one failed entry."""
    from recipes.importing.photos import download_cover
    from recipes.importing.saving import recipe_from_web

    if _is_url(source):
        try:
            item = Imported(recipe_from_web(source, allow_private=allow_private))
            problem = download_cover(item, allow_private)
            if problem:
                click.echo(f"  {source}: {problem}", err=True)
            yield Entry(source, item=item)
        except ImportFailed as error:
            yield Entry(source, error=str(error))
        return
    if Path(source).is_dir():
        yield from _folder_entries(Path(source))
        return
    try:
        with open(source, "rb") as stream:
            yield from _file_entries(stream, source, allow_private)
    except OSError as error:
        yield Entry(source, error=f"cannot read the file ({error.strerror or error})")


def _folder_entries(root: Path) -> Iterator[Entry]:
    """An unpacked export (a Nextcloud Cookbook or Chowdown folder), read in place."""
    from recipes.importing.files import read_folder

    try:
        yield from read_folder(root)
    except ImportFailed as error:
        yield Entry(str(root), error=str(error))


def _file_entries(stream, source: str, allow_private: bool) -> Iterator[Entry]:
    from recipes.importing.files import read_file

    try:
        yield from read_file(stream, Path(source).name, allow_private=allow_private)
    except ImportFailed as error:
        yield Entry(source, error=str(error))


def _count(sources: tuple[str, ...]) -> int | None:
    from recipes.importing.jobs import count_entries

    total = 0
    for source in sources:
        counted = 1 if _is_url(source) else count_entries(Path(source))
        if counted is None:
            return None
        total += counted
    return total


@click.command("import")
@click.argument("sources", nargs=-1, required=True)  # files, folders or web addresses
@click.option("--user", "username", help="Import into this account.")
@click.option("--update", is_flag=True, help="Refresh recipes already imported from a URL.")
def import_command(sources: tuple[str, ...], username: str | None, update: bool) -> None:
    """Import recipes from web pages, or files: exports from Mealie, Tandoor, Nextcloud
    Cookbook, Paprika, Copy Me That, Plan to Eat, My Recipe Box, Recipe Keeper, Chowdown,
    MealMaster, MasterCook, Cooklang; JSON-LD, saved pages, lists of addresses, ours."""
    from recipes.importing.saving import Outcome, Report, save_entries, save_one

    report = Report()
    per_file: dict[str, Report] = {source: Report() for source in sources}
    with app_and_db() as (app, db):
        allow_private = bool(app.config.get("IMPORT_ALLOW_PRIVATE"))
        owner = account(db, username)

        def outcomes() -> Iterator[tuple[str, Outcome]]:
            for source in sources:
                if _is_url(source) and update:
                    for entry in _entries(source, allow_private):
                        if entry.item is None:
                            yield source, Outcome("failed", entry.name, reason=entry.error or "")
                        else:
                            yield (
                                source,
                                save_one(
                                    db,
                                    owner.household_id,
                                    entry.item,
                                    on_duplicate="update",
                                    by=owner.id,
                                ),
                            )
                else:
                    entries = _entries(source, allow_private)
                    for outcome in save_entries(db, owner.household_id, entries, by=owner.id):
                        yield source, outcome

        with click.progressbar(
            outcomes(), length=_count(sources), label="Importing", file=sys.stderr,
            item_show_func=lambda item: item[1].name[:40] if item else "",
        ) as bar:  # fmt: skip
            for source, outcome in bar:
                report.add(outcome)
                per_file[source].add(outcome)
    if len(sources) > 1:
        for source, counts in per_file.items():
            click.echo(f"{source}: {counts.summary()}")
    _print_report(report)
    if report.failed:
        sys.exit(1)


def _print_report(report: Report) -> None:
    click.echo(report.summary())
    for outcome in report.failed:
        click.echo(f"  failed: {outcome.name}: {outcome.reason}")
    for outcome in report.duplicates[:LISTED]:
        click.echo(f"  skipped (duplicate of recipe {outcome.recipe_id}): {outcome.name}")
    if len(report.duplicates) > LISTED:
        click.echo(f"  ... and {len(report.duplicates) - LISTED} more duplicates")


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--user", "username", help="Export this account's recipes.")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["zip", "paprika"]),
    help="Default: paprika for a .paprikarecipes file, else our lossless zip.",
)
def export_command(file: str, username: str | None, kind: str | None) -> None:
    """Export every recipe to FILE (our lossless zip, or .paprikarecipes)."""
    from recipes.importing.export import recipes_with_photos, write_export
    from recipes.importing.paprika import write_paprika

    kind = kind or ("paprika" if file.lower().endswith(".paprikarecipes") else "zip")

    with app_and_db() as (_, db):
        household_id = account(db, username).household_id
        writer = write_paprika if kind == "paprika" else write_export
        count = writer(file, recipes_with_photos(db, household_id))
    click.echo(f"Exported {count} recipes to {file}.")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def backup_command(file: str) -> None:
    """Copy the live database to FILE, consistently, with SQLite's online backup API."""
    app = build_app()
    target = Path(file)
    if target.exists():
        raise click.ClickException(f"{file} exists; choose a new file name")
    count = backup(app.config["DATABASE"], target)
    click.echo(f"Backed up the database ({count} recipes) to {file}.")


def backup(database: str | Path, target: Path) -> int:
    """Online backup (safe while the server runs), then an integrity check of the copy."""
    source = sqlite3.connect(database)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=1024)
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise click.ClickException("the backup copy failed its integrity check")
        count = copy.execute("SELECT count(*) FROM recipes").fetchone()[0]
    finally:
        copy.close()
        source.close()
    target.chmod(0o600)
    return count


COMMANDS = [import_command, export_command, backup_command]
