"""Putting imported recipes into a user's collection: duplicates, batches, reports.

- A web import whose source URL is already in the collection is a duplicate: the caller
  chooses to open the existing recipe or to update it (`on_duplicate="update"`).
- File imports go in batches of one transaction each; a bad entry is reported and
  skipped, never the end of the batch. Nothing half-made is saved.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from recipes import store
from recipes.db import transaction
from recipes.importing import photos
from recipes.importing.entry import Entry, Imported
from recipes.importing.errors import BadUrl
from recipes.importing.fetch import fetch
from recipes.importing.page import (
    clean_source_url,
    is_relative_address,
    parse_html,
    parse_unaddressed,
    web_address,
)
from recipes.models import RecipeIn, flatten_groups

Status = Literal["imported", "updated", "duplicate", "failed"]
BATCH_SIZE = 200


@dataclass
class Outcome:
    status: Status
    name: str
    recipe_id: int | None = None
    reason: str = ""
    format: str = ""  # the export the entry came from


@dataclass
class Report:
    """The summary of a bulk import."""

    imported: int = 0
    updated: int = 0
    duplicates: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    photos_skipped: int = 0
    formats: dict[str, int] = field(default_factory=dict)  # recipes read, per export

    def add(self, outcome: Outcome) -> None:
        if outcome.format:
            self.formats[outcome.format] = self.formats.get(outcome.format, 0) + 1
        if outcome.status == "imported":
            self.imported += 1
        elif outcome.status == "updated":
            self.updated += 1
        elif outcome.status == "duplicate":
            self.duplicates.append(outcome)
        else:
            self.failed.append(outcome)

    @property
    def total(self) -> int:
        return self.imported + self.updated + len(self.duplicates) + len(self.failed)

    def summary(self) -> str:
        formats = ", ".join(self.formats)
        return (f"Read as {formats}: " if formats else "") + (
            f"{self.imported} imported, {len(self.duplicates)} skipped as duplicates, "
            f"{len(self.failed)} failed" + (f", {self.updated} updated" if self.updated else "")
        )


def recipe_from_web(url: str, html: str | None = None, *, allow_private: bool = False) -> RecipeIn:
    """Parse the given HTML, or fetch the URL first. Raises an `ImportFailed` subclass."""
    url = web_address(url)
    if html is None:
        page = fetch(url, allow_private=allow_private)
        recipe = parse_html(page.html, page.url)
        # Keep the address the user gave: it is what they will paste again next time.
        return recipe.model_copy(update={"source_url": clean_source_url(url) or recipe.source_url})
    return parse_html(html, url)


def recipe_from_pasted(html: str, url: str = "") -> tuple[RecipeIn, str]:
    """A pasted page: (the recipe, how its address was found). Without an address, or
    with only a path ("/recipes/pie": it names no site), the page's own canonical link or
    og:url stands in ("canonical link", "og:url"); failing both, the recipe is read
    without one ("")."""
    url = web_address(url)
    if url and not is_relative_address(url):
        if not clean_source_url(url):
            raise BadUrl("the address must start with http:// or https://")
        return parse_html(html, url), ""
    return parse_unaddressed(html)


def find_duplicate(db: sqlite3.Connection, household_id: int, item: Imported) -> int | None:
    """The existing recipe this one repeats: same source URL and the same title or
    ingredients (one address can hold several recipes: a site's front page, a menu); or,
    for recipes without one, the same title and creation time (a re-imported export); or,
    when the file gives neither (MealMaster, Cooklang ...), the same title, ingredients
    and steps."""
    if item.recipe.source_url:
        return _same_page_recipe(db, household_id, item.recipe)
    if item.created_at:
        row = db.execute(
            "SELECT id FROM recipes WHERE household_id = ? AND title = ? AND created_at = ? "
            "LIMIT 1",
            (household_id, item.recipe.title, item.created_at),
        ).fetchone()
        return row["id"] if row else None
    return _same_content(db, household_id, item.recipe)


def _same_page_recipe(db: sqlite3.Connection, household_id: int, recipe: RecipeIn) -> int | None:
    lines = flatten_groups(recipe.ingredient_groups or [])
    for row in store.rows_by_source_url(db, household_id, recipe.source_url):
        if row["title"].casefold() == recipe.title.casefold() or _lines(row) == lines:
            return int(row["id"])
    return None


def _lines(row: sqlite3.Row) -> list[str]:
    groups = json.loads(row["ingredient_groups"])
    return [line for group in groups for line in group.get("ingredients", [])]


def _same_content(db: sqlite3.Connection, household_id: int, recipe: RecipeIn) -> int | None:
    lines = flatten_groups(recipe.ingredient_groups or [])
    rows = db.execute(
        "SELECT id, ingredient_groups, instructions FROM recipes "
        "WHERE household_id = ? AND title = ?",
        (household_id, recipe.title),
    )
    for row in rows:
        if _lines(row) == lines and json.loads(row["instructions"]) == recipe.instructions:
            return row["id"]
    return None


def save_one(
    db: sqlite3.Connection,
    household_id: int,
    item: Imported,
    on_duplicate: Literal["skip", "update"] = "skip",
    *,
    by: int,
) -> Outcome:
    """Save one recipe (its own transaction); a duplicate is skipped or updated."""
    existing = find_duplicate(db, household_id, item)
    name = item.recipe.title
    if existing is not None and on_duplicate == "skip":
        return Outcome("duplicate", name, existing, "already in your recipes")
    ready = photos.prepare(item)
    if existing is not None:
        store.update_recipe(db, household_id, existing, item.recipe, by=by)
        if ready:
            with transaction(db):
                photos.save_photos(db, existing, ready)
        return Outcome("updated", name, existing)
    parsed = store.stored_parse(item.recipe)
    with transaction(db):
        recipe_id = store.insert_recipe(
            db, household_id, item.recipe, item.created_at, item.updated_at, by=by, parsed=parsed
        )
        photos.save_photos(db, recipe_id, ready)
    return Outcome("imported", name, recipe_id)


def save_entries(
    db: sqlite3.Connection,
    household_id: int,
    entries: Iterable[Entry],
    *,
    by: int,
    batch_size: int = BATCH_SIZE,
) -> Iterator[Outcome]:
    """Save good entries in batches (one transaction each); yield one outcome per entry."""
    batch: list[Entry] = []
    for entry in entries:
        if not entry.ok:
            yield Outcome("failed", entry.name, reason=entry.error or "unreadable",
                          format=entry.format)  # fmt: skip
            continue
        batch.append(entry)
        if len(batch) >= batch_size:
            yield from _save_batch(db, household_id, batch, by)
            batch = []
    if batch:
        yield from _save_batch(db, household_id, batch, by)


def _save_batch(
    db: sqlite3.Connection, household_id: int, batch: list[Entry], by: int
) -> Iterator[Outcome]:
    outcomes: list[Outcome] = []
    seen_urls: set[str] = set()
    ready = [photos.prepare(entry.item) if entry.item else [] for entry in batch]
    with transaction(db):
        for entry, entry_photos in zip(batch, ready, strict=True):
            item = entry.item
            assert item is not None
            url = item.recipe.source_url
            existing = find_duplicate(db, household_id, item)
            if existing is not None or (url and url in seen_urls):
                outcomes.append(Outcome("duplicate", entry.name, existing, "already imported"))
                continue
            try:
                with _savepoint(db):
                    recipe_id = store.insert_recipe(
                        db, household_id, item.recipe, item.created_at, item.updated_at, by=by
                    )
                    photos.save_photos(db, recipe_id, entry_photos)
            except (sqlite3.Error, UnicodeError, ValueError) as error:
                outcomes.append(Outcome("failed", entry.name, reason=f"could not save ({error})"))
                continue
            if url:
                seen_urls.add(url)
            outcomes.append(Outcome("imported", entry.name, recipe_id))
    for outcome, entry in zip(outcomes, batch, strict=True):
        outcome.format = entry.format
    yield from outcomes


class _savepoint:
    """One entry's writes inside the batch: undone alone if they fail."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("SAVEPOINT import_entry")

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            self.db.execute("ROLLBACK TO import_entry")
        self.db.execute("RELEASE import_entry")
        return None


def import_all(
    db: sqlite3.Connection,
    household_id: int,
    entries: Iterable[Entry],
    progress: Callable[[Outcome, Report], None] | None = None,
    *,
    by: int,
) -> Report:
    """Save every entry and return the report; `progress` hears about each entry."""
    report = Report()
    for outcome in save_entries(db, household_id, entries, by=by):
        report.add(outcome)
        if progress is not None:
            progress(outcome, report)
    return report
