"""`recipes photos fetch`: keep a local copy of the image of recipes that only link to one."""

from __future__ import annotations

import click

from recipes.cli_context import app_and_db


@click.group("photos")
def photos_group() -> None:
    """Recipe photos."""


@photos_group.command("fetch")
def fetch_command() -> None:
    """Download the image of every recipe that has an image address but no stored photo
    (through the import's guarded fetcher), and store it as the cover."""
    from recipes.db import transaction
    from recipes.importing.errors import ImportFailed
    from recipes.importing.fetch import fetch_image
    from recipes.importing.photos import save_photos
    from recipes.photos.processing import PhotoRejected, process

    with app_and_db() as (app, db):
        allow_private = bool(app.config.get("IMPORT_ALLOW_PRIVATE"))
        rows = db.execute(
            "SELECT id, image_url FROM recipes r WHERE image_url != '' AND NOT EXISTS "
            "(SELECT 1 FROM recipe_photos p WHERE p.recipe_id = r.id) ORDER BY id"
        ).fetchall()
        kept = 0
        for recipe_id, url in rows:
            try:  # one bad address never stops the rest
                photo = process(fetch_image(url, allow_private=allow_private))
            except (ImportFailed, PhotoRejected) as error:
                click.echo(f"recipe {recipe_id}: {url}: {error}", err=True)
                continue
            with transaction(db):
                kept += save_photos(db, recipe_id, [photo])
    click.echo(f"Stored {kept} of {len(rows)} photos.")


COMMANDS = [photos_group]
