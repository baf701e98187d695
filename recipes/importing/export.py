"""Our own export format: a zip with one JSON file per recipe, lossless.

    manifest.json              {"format": "recipes-export", "version": 1, "count": N, ...}
    recipes/000001.json        {"format": "recipes-export", "version": 1,
                                "recipe": {every RecipeIn field, groups included},
                                "created_at": ..., "updated_at": ..., "photo": "photos/000001.jpg"}
    photos/000001.jpg          the recipe's stored photo, if any

Writing and reading go one recipe at a time, so memory stays flat for any size.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import IO, Any

from pydantic import ValidationError

from recipes.importing.draft import clean_strings
from recipes.importing.entry import MAX_PHOTO_BYTES, Entry, Imported, Photo
from recipes.models import Recipe, RecipeIn, errors_text

FORMAT = "recipes-export"
VERSION = 1
MAX_JSON_BYTES = 5 * 1024 * 1024


def is_export(names: list[str]) -> bool:
    return "manifest.json" in names or any(
        n.startswith("recipes/") and n.endswith(".json") for n in names
    )


def recipe_document(recipe: Recipe, photo_name: str | None = None) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "recipe": recipe.as_input(),
        "created_at": _iso(recipe.created_at),
        "updated_at": _iso(recipe.updated_at),
        "photo": photo_name,
    }


def _iso(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def recipes_with_photos(
    db: sqlite3.Connection, user_id: int
) -> Iterator[tuple[Recipe, Photo | None]]:
    """What an export holds: every recipe of the user (via the store), oldest first, each
    with its stored photo."""
    from recipes import store
    from recipes.importing import photos

    for recipe in store.all_recipes(db, user_id):
        yield recipe, photos.get_photo(db, user_id, recipe.id)


def write_export(out: IO[bytes] | str, items: Iterable[tuple[Recipe, Photo | None]]) -> int:
    """Write the archive one recipe at a time; returns how many recipes were written."""
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for count, (recipe, photo) in enumerate(items, start=1):
            photo_name = f"photos/{count:06d}.{photo.extension}" if photo else None
            document = recipe_document(recipe, photo_name)
            archive.writestr(
                f"recipes/{count:06d}.json",
                json.dumps(document, ensure_ascii=False, indent=1),
            )
            if photo is not None and photo_name:
                archive.writestr(zipfile.ZipInfo(photo_name), photo.data, zipfile.ZIP_STORED)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "count": count,
            "exported_at": _iso(datetime.now(UTC)),
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
    return count


def read_export(archive: zipfile.ZipFile) -> Iterator[Entry]:
    for info in archive.infolist():
        name = info.filename
        if not (name.startswith("recipes/") and name.endswith(".json")):
            continue
        try:
            if info.file_size > MAX_JSON_BYTES:
                raise ValueError("the entry is too large")
            document = json.loads(archive.read(info).decode("utf-8-sig"))
            yield Entry(name, item=from_document(document, archive))
        except ValidationError as error:
            yield Entry(name, error="invalid recipe: " + errors_text(error))
        except (ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
            yield Entry(name, error=f"unreadable recipe ({error})")


def from_document(document: Any, archive: zipfile.ZipFile | None = None) -> Imported:
    """One recipe document of our format (photo read from the archive when present)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError("not a recipes-export document")
    if int(document.get("version", 0)) > VERSION:
        raise ValueError(f"made by a newer version of Recipes (format {document['version']})")
    recipe = RecipeIn.model_validate(clean_strings(document["recipe"]))
    photo = None
    photo_name = document.get("photo")
    if archive is not None and isinstance(photo_name, str) and photo_name.startswith("photos/"):
        try:
            info = archive.getinfo(photo_name)
            if info.file_size <= MAX_PHOTO_BYTES:
                photo = Photo.sniff(archive.read(info))
        except KeyError:
            photo = None
    return Imported(
        recipe=recipe,
        photo=photo,
        created_at=timestamp(document.get("created_at")),
        updated_at=timestamp(document.get("updated_at")),
    )


def timestamp(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
