"""Our own export format: a zip with one JSON file per recipe, lossless.

    manifest.json              {"format": "recipes-export", "version": 1, "count": N, ...}
    recipes/000001.json        {"format": "recipes-export", "version": 1,
                                "recipe": {every RecipeIn field, groups included},
                                "created_at": ..., "updated_at": ...,
                                "photo": "photos/000001.webp",
                                "photos": ["photos/000001.webp", "photos/000001-2.jpg"]}
    photos/000001.webp         the recipe's stored photos as stored (cover first), if any;
                               "photo" names the cover for readers that know only one

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
MAX_PHOTOS = 50  # per recipe, read from one archive


def is_export(names: list[str]) -> bool:
    return "manifest.json" in names or any(
        n.startswith("recipes/") and n.endswith(".json") for n in names
    )


def recipe_document(recipe: Recipe, photo_names: list[str] | None = None) -> dict[str, Any]:
    names = photo_names or []
    return {
        "format": FORMAT,
        "version": VERSION,
        "recipe": recipe.as_input(),
        "created_at": _iso(recipe.created_at),
        "updated_at": _iso(recipe.updated_at),
        "photo": names[0] if names else None,
        "photos": names,
    }


def _iso(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def recipes_with_photos(
    db: sqlite3.Connection, household_id: int
) -> Iterator[tuple[Recipe, list[Photo]]]:
    """What an export holds: every recipe of the household (via the store), oldest first,
    each with its photos."""
    from recipes import store
    from recipes.importing import photos

    for recipe in store.all_recipes(db, household_id):
        yield recipe, photos.exported(db, recipe.id)


def write_export(out: IO[bytes] | str, items: Iterable[tuple[Recipe, list[Photo]]]) -> int:
    """Write the archive one recipe at a time; returns how many recipes were written."""
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for count, (recipe, photos) in enumerate(items, start=1):
            names = [
                f"photos/{count:06d}{f'-{n}' if n > 1 else ''}.{photo.extension}"
                for n, photo in enumerate(photos, start=1)
            ]
            document = recipe_document(recipe, names)
            archive.writestr(
                f"recipes/{count:06d}.json",
                json.dumps(document, ensure_ascii=False, indent=1),
            )
            for name, photo in zip(names, photos, strict=True):
                archive.writestr(zipfile.ZipInfo(name), photo.data, zipfile.ZIP_STORED)
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
    names = document.get("photos")
    if not isinstance(names, list):
        names = [document.get("photo")]
    photos = [p for p in (_photo(archive, name) for name in names[:MAX_PHOTOS]) if p]
    return Imported(
        recipe=recipe,
        photo=photos[0] if photos else None,
        created_at=timestamp(document.get("created_at")),
        updated_at=timestamp(document.get("updated_at")),
        gallery=photos[1:],
    )


def _photo(archive: zipfile.ZipFile | None, name: Any) -> Photo | None:
    """The named photo of the archive, if it is there and is an image of a sane size."""
    if archive is None or not isinstance(name, str) or not name.startswith("photos/"):
        return None
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    return Photo.sniff(archive.read(info)) if info.file_size <= MAX_PHOTO_BYTES else None


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
