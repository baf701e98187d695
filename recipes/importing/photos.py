"""Photos that come with imports: inside files (Paprika's `photo_data`, our export) or
as the page's image, downloaded through the guarded fetcher.

They go through the same processing as uploads (`recipes.photos.processing`) and are
stored in `recipe_photos`. A photo that cannot be used never fails its recipe's import.
Processing happens before the saving transaction (`prepare`), so a batch does not hold
the database's write lock while Pillow works.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from recipes import store
from recipes.importing.entry import Imported, Photo
from recipes.importing.errors import ImportFailed
from recipes.models import Recipe
from recipes.photos import storage
from recipes.photos.processing import PhotoRejected, Processed, process


def prepare(item: Imported) -> list[Processed]:
    """The item's photos (cover first) ready to store; unusable ones are left out."""
    ready = []
    for photo in item.photos:
        try:
            ready.append(process(photo.data))
        except PhotoRejected:
            continue
    return ready


def save_photos(db: sqlite3.Connection, recipe_id: int, photos: list[Processed]) -> int:
    """Add prepared photos inside the caller's transaction, the first as the cover; a photo
    the recipe already has (same bytes, e.g. on a re-import) is not added twice."""
    have = {p.digest for p in storage.list_photos(db, recipe_id)}
    added = 0
    for index, photo in enumerate(photos):
        if storage.digest_of(photo) in have:
            continue
        storage.insert_photo(db, recipe_id, photo, cover=index == 0)
        added += 1
    return added


def download_cover(item: Imported, allow_private: bool) -> str | None:
    """Fetch the page's image as the item's cover. None when done (or nothing to do), else
    why it could not be kept: the import goes on with just the image's address."""
    from recipes.importing.fetch import fetch_image

    url = item.recipe.image_url
    if item.photo is not None or not url:
        return None
    try:
        data = fetch_image(url, allow_private=allow_private)
        process(data)  # checked here, so the reason reaches the user
    except (ImportFailed, PhotoRejected) as error:
        return f"The photo could not be kept ({error}); the recipe links to it instead."
    item.photo = Photo.sniff(data) or Photo(data, "application/octet-stream")
    return None


def exported(db: sqlite3.Connection, recipe_id: int) -> list[Photo]:
    """A recipe's stored photos, cover first, as they go into exports (byte for byte)."""
    return [Photo(blob.data, blob.content_type) for blob in storage.originals(db, recipe_id)]


def with_photos(
    db: sqlite3.Connection, rows: Iterable[sqlite3.Row]
) -> Iterator[tuple[Recipe, list[Photo]]]:
    """(recipe, its photos) for each recipe row, for the export writers."""
    for row in rows:
        recipe = store.recipe_from_row(row)
        yield recipe, exported(db, recipe.id)
