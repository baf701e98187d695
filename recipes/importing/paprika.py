"""Paprika's `.paprikarecipes` format: a zip of gzip-compressed JSON files, one recipe
each, photos inline as base64 (`photo_data`)."""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
import re
import uuid
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO, Any
from urllib.parse import urlsplit

from recipes.importing import text
from recipes.importing.archive import Member
from recipes.importing.draft import to_recipe
from recipes.importing.entry import Entry, Imported, Photo
from recipes.importing.errors import ImportFailed
from recipes.importing.limits import load_json, read_capped
from recipes.models import Recipe, clean_line, clean_text

LABEL = "Paprika"
# An entry holds its photos inline as base64, so it may be larger than other JSON; the
# object cap (limits.MAX_CONTAINERS) still holds, which is what bounds memory.
MAX_ENTRY_BYTES = 12 * 1024 * 1024
MAX_GALLERY = 50  # further photos per recipe
_HEADING = re.compile(r"^[^\d½¼¾⅓⅔]{1,60}:$")


def is_recipe_json(data: Any) -> bool:
    """A Paprika recipe saved as plain JSON (its own keys, not schema.org's)."""
    return (
        isinstance(data, dict)
        and "directions" in data
        and "name" in data
        and ("uid" in data or "photo_data" in data or "nutritional_info" in data)
    )


def read_json(data: dict[str, Any], member: Member | None = None) -> Iterator[Entry]:
    name = _s(data.get("name")) or (member.name if member else "recipe")
    try:
        yield Entry(name, item=from_paprika(data))
    except ImportFailed as error:
        yield Entry(name, error=str(error))


def read_member(member: Member) -> Iterator[Entry]:
    """One `.paprikarecipe` (gzip'd JSON) of a `.paprikarecipes` zip, or on its own."""
    try:
        with member.open() as stream:
            data = load_entry(stream)
        item = from_paprika(data)
    except ImportFailed as error:
        yield Entry(member.name, error=str(error))
    except (OSError, EOFError, ValueError, zlib.error, zipfile.BadZipFile) as error:
        yield Entry(member.name, error=f"unreadable Paprika recipe ({error})")
    else:
        yield Entry(_s(data.get("name")) or member.name, item=item)


def load_entry(stream: IO[bytes]) -> dict[str, Any]:
    """One `.paprikarecipe`: gzip'd JSON (plain JSON is accepted too), within the caps."""
    head = stream.read(2)
    body = head + read_capped(stream, MAX_ENTRY_BYTES, "the recipe")
    if head == b"\x1f\x8b":
        with gzip.GzipFile(fileobj=_Bytes(body), mode="rb") as unzipped:  # type: ignore[call-overload]
            body = read_capped(unzipped, MAX_ENTRY_BYTES, "the recipe")
    data = load_json(body, MAX_ENTRY_BYTES)
    if not isinstance(data, dict):
        raise ImportFailed("not a Paprika recipe (expected a JSON object)")
    return data


class _Bytes:
    """A minimal read-only stream over bytes (keeps gzip from copying)."""

    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size is None or size < 0 else self._pos + size
        chunk = bytes(self._data[self._pos : end])
        self._pos += len(chunk)
        return chunk


def _groups(raw: Any) -> list[dict[str, Any]]:
    """Ingredient lines; a short line ending in ":" ("For the sauce:") starts a group."""
    groups: list[dict[str, Any]] = [{"title": None, "ingredients": []}]
    for line in _split(raw):
        if _HEADING.match(line):
            groups.append({"title": line[:-1].strip(), "ingredients": []})
        else:
            groups[-1]["ingredients"].append(line)
    return [g for g in groups if g["ingredients"] or g["title"]]


def _s(raw: Any) -> str:
    """Paprika text is plain text: taken as it is (no HTML decoding), whitespace folded."""
    return clean_line(str(raw)) if isinstance(raw, str | int | float) else ""


def _split(raw: Any) -> list[str]:
    value = str(raw) if isinstance(raw, str) else ""
    return [line for line in (clean_line(part) for part in value.splitlines()) if line]


def _text(raw: Any) -> str:
    return clean_text(raw) if isinstance(raw, str) else ""


def _nutrition(raw: Any) -> tuple[dict[str, str], str]:
    """ "Calories: 200\\nFat: 9 g" -> a dict; lines that are not "name: value" come back as text."""
    result: dict[str, str] = {}
    rest: list[str] = []
    for line in _split(raw):
        name, sep, value = line.partition(":")
        if sep and name.strip() and value.strip() and len(name) <= 60:
            result[name.strip()] = value.strip()
        else:
            rest.append(line)
    return result, "\n".join(rest)


def from_paprika(data: dict[str, Any]) -> Imported:
    notes = [_text(data.get("notes"))]
    nutrition, nutrition_text = _nutrition(data.get("nutritional_info"))
    if nutrition_text:
        notes.append("Nutrition: " + nutrition_text)
    source = _s(data.get("source"))
    source_url = _s(data.get("source_url"))
    if source and not source_url.startswith(("http://", "https://")):
        notes.append("Source: " + source)
    if _s(data.get("difficulty")):
        notes.append("Difficulty: " + _s(data.get("difficulty")))
    rating = data.get("rating")
    draft = {
        "title": _s(data.get("name")),
        "description": _text(data.get("description")),
        "ingredient_groups": _groups(data.get("ingredients")),
        "instructions": _split(data.get("directions")),
        "servings": _s(data.get("servings")),
        "prep_time": text.minutes(data.get("prep_time")),
        "cook_time": text.minutes(data.get("cook_time")),
        "total_time": text.minutes(data.get("total_time")),
        "tags": [_s(c) for c in data.get("categories") or [] if isinstance(c, str)],
        "source_url": source_url,
        "image_url": _s(data.get("image_url")),
        "notes": "\n\n".join(part for part in notes if part),
        "rating": rating if isinstance(rating, int) and 1 <= rating <= 5 else None,
        "nutrition": nutrition,
    }
    if not draft["title"]:
        raise ImportFailed("the recipe has no name")
    return Imported(
        recipe=to_recipe(_allow_empty(draft)),
        photo=_photo(data),
        created_at=_created(data.get("created")),
        gallery=_gallery(data),
    )


def _allow_empty(draft: dict[str, Any]) -> dict[str, Any]:
    """A saved recipe may be just a title and a note; keep it rather than refuse it."""
    if not draft["ingredient_groups"] and not draft["instructions"]:
        draft["instructions"] = _split(draft["notes"])[:1] or [draft["title"]]
    return draft


def _photo(data: dict[str, Any]) -> Photo | None:
    """The cover: `photo_data`, else the first of `photos`."""
    raw = data.get("photo_data")
    if not raw and data.get("photos"):
        first = data["photos"][0] if isinstance(data["photos"], list) else None
        raw = first.get("data") if isinstance(first, dict) else None
    return _decoded(raw)


def _gallery(data: dict[str, Any]) -> list[Photo]:
    """Further photos from `photos` (the first is the cover when there is no photo_data)."""
    extra = data.get("photos")
    if not isinstance(extra, list):
        return []
    extra = extra[: MAX_GALLERY + 1] if data.get("photo_data") else extra[1 : MAX_GALLERY + 1]
    found = (_decoded(item.get("data")) for item in extra if isinstance(item, dict))
    return [photo for photo in found if photo is not None]


def _decoded(raw: Any) -> Photo | None:
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return Photo.sniff(base64.b64decode(raw, validate=False))
    except (binascii.Error, ValueError):
        return None


def _created(raw: Any) -> str | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw.strip()[:19], fmt).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
        except ValueError:
            continue
    return None


# --- writing ----------------------------------------------------------------------------


def duration_text(minutes: int | None) -> str:
    if not minutes:
        return ""
    hours, mins = divmod(minutes, 60)
    parts = ([f"{hours} hr" + ("s" if hours > 1 else "")] if hours else []) + (
        [f"{mins} min" + ("s" if mins > 1 else "")] if mins else []
    )
    return " ".join(parts)


def to_paprika(recipe: Recipe, photos: list[Photo] | None = None) -> dict[str, Any]:
    lines: list[str] = []
    for group in recipe.ingredient_groups:
        if group.title:
            lines.append(group.title if group.title.endswith(":") else group.title + ":")
        lines.extend(group.ingredients)
    categories = list(recipe.tags)
    if recipe.category and recipe.category.casefold() not in {c.casefold() for c in categories}:
        categories.append(recipe.category)
    host = urlsplit(recipe.source_url).hostname or "" if recipe.source_url else ""
    data: dict[str, Any] = {
        "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"recipes:{recipe.id}")).upper(),
        "name": recipe.title,
        "ingredients": "\n".join(lines),
        "directions": "\n".join(recipe.instructions),
        "description": recipe.description,
        "notes": recipe.notes,
        "nutritional_info": "\n".join(f"{k}: {v}" for k, v in recipe.nutrition.items()),
        "servings": recipe.servings,
        "prep_time": duration_text(recipe.prep_time),
        "cook_time": duration_text(recipe.cook_time),
        "total_time": duration_text(recipe.total_time),
        "difficulty": "",
        "source": host.removeprefix("www."),
        "source_url": recipe.source_url,
        "image_url": recipe.image_url,
        "categories": categories,
        "rating": recipe.rating or 0,
        "created": recipe.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        "photo": None,
        "photo_hash": None,
        "photo_data": None,
        "photos": [],
        "scale": None,
        "on_favorites": False,
        "in_trash": False,
        "is_pinned": False,
        "on_grocery_list": None,
    }
    if photos:
        cover = photos[0]
        data["photo"] = f"{data['uid']}.{cover.extension}"
        data["photo_hash"] = hashlib.sha256(cover.data).hexdigest().upper()
        data["photo_data"] = base64.b64encode(cover.data).decode("ascii")
        data["photos"] = [
            {
                "name": f"{n}",
                "filename": f"{data['uid']}-{n}.{photo.extension}",
                "hash": hashlib.sha256(photo.data).hexdigest().upper(),
                "data": base64.b64encode(photo.data).decode("ascii"),
            }
            for n, photo in enumerate(photos[1:], start=1)
        ]
    data["hash"] = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest().upper()
    return data


def write_paprika(out: IO[bytes] | str, items: Iterable[tuple[Recipe, list[Photo]]]) -> int:
    """Write a `.paprikarecipes` archive, one recipe at a time; returns the count."""
    count = 0
    used: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for recipe, photos in items:
            base = re.sub(r"[^\w\- ]+", "", recipe.title).strip()[:80] or "Recipe"
            name, n = f"{base}.paprikarecipe", 1
            while name.lower() in used:
                n += 1
                name = f"{base} ({n}).paprikarecipe"
            used.add(name.lower())
            body = json.dumps(to_paprika(recipe, photos), ensure_ascii=False).encode()
            archive.writestr(name, gzip.compress(body, mtime=0))
            count += 1
    return count
