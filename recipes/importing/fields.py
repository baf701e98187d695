"""Field mapping shared by the file formats: headings in ingredient lists, categories and
tags, photos next to a recipe, and turning a draft into an `Entry` without ever raising."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from recipes.importing.archive import Member
from recipes.importing.draft import to_recipe
from recipes.importing.entry import MAX_PHOTO_BYTES, Entry, Imported, Photo
from recipes.importing.errors import ImportFailed
from recipes.importing.limits import TooLarge
from recipes.models import clean_line, clean_text

_HEADING = re.compile(r"^[^\d½¼¾⅓⅔⅛]{1,60}:$")


def is_heading(line: str) -> bool:
    """A short line ending in ":" with no amount ("For the sauce:") heads a group."""
    return bool(_HEADING.match(line))


def grouped(lines: Iterable[str]) -> list[dict[str, Any]]:
    """Ingredient lines with "Heading:" lines starting groups."""
    groups: list[dict[str, Any]] = [{"title": None, "ingredients": []}]
    for raw in lines:
        line = clean_line(raw)
        if not line:
            continue
        if is_heading(line):
            groups.append({"title": line[:-1].strip(), "ingredients": []})
        else:
            groups[-1]["ingredients"].append(line)
    return [group for group in groups if group["ingredients"] or group["title"]]


def add_line(groups: list[dict[str, Any]], line: str, title: str | None = None) -> None:
    """Append a line to the last group, or to a new group when the section changes."""
    if title is not None and (not groups or groups[-1]["title"] != title):
        groups.append({"title": title or None, "ingredients": []})
    elif not groups:
        groups.append({"title": None, "ingredients": []})
    if line:
        groups[-1]["ingredients"].append(line)


def category_and_tags(categories: Iterable[str], tags: Iterable[str]) -> tuple[str, list[str]]:
    """The first category is the recipe's category; the others join the tags (we hold one
    category per recipe, and tags are where the rest stay searchable)."""
    names = [clean_line(c) for c in categories if isinstance(c, str) and clean_line(c)]
    rest = [clean_line(t) for t in tags if isinstance(t, str) and clean_line(t)]
    return (names[0] if names else ""), list(dict.fromkeys(names[1:] + rest))


def notes(*parts: tuple[str, Any] | str) -> str:
    """Notes from several parts; a (label, text) pair is written as "Label: text"."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, tuple):
            label, value = part
            value = clean_text(value) if isinstance(value, str) else ""
            if value:
                out.append(f"{label}: {value}" if label else value)
        elif isinstance(part, str) and clean_text(part):
            out.append(clean_text(part))
    return "\n\n".join(out)


NUTRITION_UNITS = {  # schema.org name -> the unit apps mean by a bare number
    "calories": "kcal",
    "fatContent": "g",
    "saturatedFatContent": "g",
    "transFatContent": "g",
    "unsaturatedFatContent": "g",
    "cholesterolContent": "mg",
    "sodiumContent": "mg",
    "carbohydrateContent": "g",
    "fiberContent": "g",
    "sugarContent": "g",
    "proteinContent": "g",
}
_BARE_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def nutrition(values: dict[str, Any]) -> dict[str, str]:
    """Nutrition facts by schema.org name; a bare number gets its usual unit."""
    result: dict[str, str] = {}
    for name, value in values.items():
        if isinstance(value, bool) or value is None:
            continue
        value = clean_line(f"{value:g}" if isinstance(value, int | float) else str(value))
        if not value:
            continue
        unit = NUTRITION_UNITS.get(name)
        result[name] = f"{value} {unit}" if unit and _BARE_NUMBER.match(value) else value
    return result


def rating(value: Any, scale: int = 5) -> int | None:
    """A 1..scale rating as 1..5 (0 and junk are "not rated")."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not 0 < number <= scale:
        return None
    return max(1, min(5, round(number * 5 / scale)))


def photo(member: Member | None) -> Photo | None:
    """A photo file of the export, if it is a real image within the size cap."""
    if member is None or member.size > MAX_PHOTO_BYTES:
        return None
    try:
        return Photo.sniff(member.read(MAX_PHOTO_BYTES))
    except (OSError, TooLarge, ValueError, EOFError):
        return None


def photo_near(member: Member, *names: str) -> Photo | None:
    """The first of `names` in the member's folder that is a real image."""
    for name in names:
        found = photo(member.tree.find(member.folder, name))
        if found is not None:
            return found
    return None


def photo_named(member: Member, reference: Any) -> Photo | None:
    """A photo an export names by a relative path ("images/x.jpg"): tried from the
    member's folder, from the top of the archive, then by its file name anywhere."""
    if not isinstance(reference, str) or not reference.strip():
        return None
    reference = reference.strip().split("?")[0].lstrip("/")
    if reference.lower().startswith(("http://", "https://", "data:")):
        return None
    for candidate in (member.tree.find(member.folder, reference), member.tree.get(reference)):
        found = photo(candidate)
        if found is not None:
            return found
    for candidate in member.tree.by_base(reference.rsplit("/", 1)[-1])[:1]:
        return photo(candidate)
    return None


def entry(name: str, draft: dict[str, Any], **extra: Any) -> Entry:
    """An entry from a draft: the recipe, or the reason it is not one."""
    title = clean_line(str(draft.get("title") or "")) or name
    try:
        return Entry(title, item=Imported(recipe=to_recipe(draft), **extra))
    except ImportFailed as error:
        return Entry(title, error=str(error))
