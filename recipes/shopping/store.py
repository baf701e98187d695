"""Shopping list persistence. Every function takes the household's id: a list, item or
source of another household is never found. Every change bumps the list's version, which
devices poll (as an ETag) to stay in step.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from recipes.cooking.scaling import counts_batches
from recipes.db import transaction, utcnow
from recipes.mealplan.settings import OTHER_AISLE, ensure_settings
from recipes.mealplan.store import planned_recipe_ids

from .foods import guess_aisle, learnt_aisles, staple_keys
from .merge import Contribution, contribution, scale_factor, shown
from .models import Item, ItemSource, ListSummary, ShoppingList, Source

# --- lists --------------------------------------------------------------------------------


def create_list(db: sqlite3.Connection, household_id: int, name: str) -> int:
    ensure_settings(db, household_id)
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO shopping_lists (household_id, name, created_at) VALUES (?, ?, ?)",
            (household_id, name, utcnow()),
        )
    return cursor.lastrowid or 0


def list_summaries(db: sqlite3.Connection, household_id: int) -> list[ListSummary]:
    rows = db.execute(
        "SELECT l.id, l.name, l.version, (SELECT count(*) FROM shopping_items i "
        "WHERE i.list_id = l.id AND NOT i.checked AND NOT i.staple) AS unchecked "
        "FROM shopping_lists l WHERE l.household_id = ? ORDER BY l.id DESC",
        (household_id,),
    )
    return [ListSummary(**dict(row)) for row in rows]


def list_version(db: sqlite3.Connection, household_id: int, list_id: int) -> int | None:
    """The list's version, or None if it is not the household's (the cheap poll)."""
    row = db.execute(
        "SELECT version FROM shopping_lists WHERE id = ? AND household_id = ?",
        (list_id, household_id),
    ).fetchone()
    return row[0] if row else None


def rename_list(db: sqlite3.Connection, household_id: int, list_id: int, name: str) -> bool:
    with transaction(db):
        cursor = db.execute(
            "UPDATE shopping_lists SET name = ?, version = version + 1 "
            "WHERE id = ? AND household_id = ?",
            (name, list_id, household_id),
        )
    return cursor.rowcount > 0


def delete_list(db: sqlite3.Connection, household_id: int, list_id: int) -> bool:
    with transaction(db):
        cursor = db.execute(
            "DELETE FROM shopping_lists WHERE id = ? AND household_id = ?", (list_id, household_id)
        )
    return cursor.rowcount > 0


def set_share_token(
    db: sqlite3.Connection, household_id: int, list_id: int, token: str | None
) -> bool:
    with transaction(db):
        cursor = db.execute(
            "UPDATE shopping_lists SET share_token = ? WHERE id = ? AND household_id = ?",
            (token, list_id, household_id),
        )
    return cursor.rowcount > 0


def shared_list(db: sqlite3.Connection, token: str) -> tuple[int, int] | None:
    """(household_id, list_id) of a shared list."""
    row = db.execute(
        "SELECT household_id, id FROM shopping_lists WHERE share_token = ?", (token,)
    ).fetchone()
    return (row[0], row[1]) if row else None


def _touch(db: sqlite3.Connection, list_id: int) -> None:
    db.execute("UPDATE shopping_lists SET version = version + 1 WHERE id = ?", (list_id,))


# --- reading a list ------------------------------------------------------------------------


def get_list(
    db: sqlite3.Connection,
    household_id: int,
    list_id: int,
    share_url: Callable[[str], str] | None = None,
) -> ShoppingList | None:
    """The list as shown; `share_url` turns its share token (if any) into an address."""
    head = db.execute(
        "SELECT id, name, version, share_token FROM shopping_lists "
        "WHERE id = ? AND household_id = ?",
        (list_id, household_id),
    ).fetchone()
    if head is None:
        return None
    items = _items(db, household_id, list_id)
    sources = [
        Source(
            id=row["id"],
            recipe_id=row["recipe_id"],
            title=row["title"],
            servings=row["servings"],
            batches=counts_batches(row["recipe_servings"]),
        )
        for row in db.execute(
            "SELECT s.id, s.recipe_id, s.title, s.servings, r.servings AS recipe_servings "
            "FROM shopping_sources s LEFT JOIN recipes r ON r.id = s.recipe_id "
            "WHERE s.list_id = ? ORDER BY s.id",
            (list_id,),
        )
    ]
    return ShoppingList(
        id=head["id"],
        name=head["name"],
        version=head["version"],
        items=[i for i in items if not i.pantry_staple],
        left_out_staples=[i for i in items if i.pantry_staple],
        recipes=sources,
        share_url=share_url(head["share_token"]) if share_url and head["share_token"] else None,
    )


def aisle_order(db: sqlite3.Connection, household_id: int) -> list[str]:
    ensure_settings(db, household_id)
    rows = db.execute(
        "SELECT name FROM aisles WHERE household_id = ? ORDER BY position, name", (household_id,)
    )
    return [row[0] for row in rows]


@dataclass
class _Row:
    item: sqlite3.Row
    amounts: list[tuple[float | None, str | None]]
    sources: list[ItemSource]


def _items(db: sqlite3.Connection, household_id: int, list_id: int) -> list[Item]:
    rows = db.execute(
        "SELECT i.id, i.food, i.aisle, i.checked, i.staple, a.quantity, a.unit, a.text, "
        "a.source_id, s.recipe_id, s.title, s.servings, r.servings AS recipe_servings "
        "FROM shopping_items i JOIN shopping_amounts a ON a.item_id = i.id "
        "LEFT JOIN shopping_sources s ON s.id = a.source_id "
        "LEFT JOIN recipes r ON r.id = s.recipe_id "
        "WHERE i.list_id = ? ORDER BY i.id, a.id",
        (list_id,),
    )
    grouped: dict[int, _Row] = {}
    for row in rows:
        entry = grouped.setdefault(row["id"], _Row(row, [], []))
        entry.amounts.append((row["quantity"], row["unit"]))
        entry.sources.append(
            ItemSource(
                source_id=row["source_id"],
                recipe_id=row["recipe_id"],
                title=row["title"],
                servings=row["servings"],
                batches=counts_batches(row["recipe_servings"]),
                text=row["text"],
            )  # fmt: skip
        )
    order = {name.casefold(): i for i, name in enumerate(aisle_order(db, household_id))}
    items = [_item(entry) for entry in grouped.values()]
    items.sort(
        key=lambda i: (order.get(i.aisle.casefold(), len(order)), i.aisle, i.food.casefold())
    )
    return items


def _item(entry: _Row) -> Item:
    row = entry.item
    text, quantity, unit = shown(tuple(entry.amounts), row["food"])
    return Item(
        id=row["id"],
        text=text,
        food=row["food"],
        quantity=quantity,
        unit=unit,
        aisle=row["aisle"],
        checked=bool(row["checked"]),
        pantry_staple=bool(row["staple"]),
        recipes=entry.sources,
    )


def plain_text(shopping_list: ShoppingList) -> str:
    """The list to paste into a message: aisles as headings, checked items left out."""
    lines = [shopping_list.name]
    aisle = None
    for item in shopping_list.items:
        if item.checked:
            continue
        if item.aisle != aisle:
            aisle = item.aisle
            lines += ["", f"{aisle}:"]
        lines.append(f"- {item.text}")
    return "\n".join(lines) + "\n"


# --- adding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Recipe:
    id: int
    title: str
    servings: str
    lines: list[str]


def _recipes(db: sqlite3.Connection, household_id: int, ids: Iterable[int]) -> dict[int, _Recipe]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.execute(
        "SELECT id, title, servings, ingredient_groups FROM recipes "  # noqa: S608
        f"WHERE household_id = ? AND id IN ({', '.join('?' * len(wanted))})",
        (household_id, *wanted),
    )
    found = {}
    for row in rows:
        groups = json.loads(row["ingredient_groups"])
        lines = [line for group in groups for line in group.get("ingredients", [])]
        found[row["id"]] = _Recipe(row["id"], row["title"], row["servings"], lines)
    return found


class _Adder:
    """Adds contributions to one list inside the caller's transaction, merging each into the
    unchecked line of the same food and unit family (a checked line was already bought)."""

    def __init__(self, db: sqlite3.Connection, household_id: int, list_id: int) -> None:
        self.db, self.household_id, self.list_id = db, household_id, list_id
        self.staples = staple_keys(db, household_id)
        self.lines: dict[tuple[str, str], int] = {
            (row[1], row[2]): row[0]
            for row in db.execute(
                "SELECT id, food_key, unit_group FROM shopping_items "
                "WHERE list_id = ? AND NOT checked ORDER BY id DESC",
                (list_id,),
            )
        }

    def add(
        self, parts: list[Contribution], source_id: int | None, client_id: str | None = None
    ) -> list[int]:
        aisles = learnt_aisles(self.db, self.household_id, [p.food_key for p in parts])
        item_ids = []
        for part in parts:
            item_id = self.lines.get((part.food_key, part.unit_group))
            if item_id is None:
                item_id = self._new_item(part, aisles.get(part.food_key))
            self.db.execute(
                "INSERT INTO shopping_amounts (item_id, source_id, quantity, unit, text, "
                "client_id) VALUES (?, ?, ?, ?, ?, ?)",
                (item_id, source_id, part.quantity, part.unit, part.text, client_id),
            )
            item_ids.append(item_id)
        return item_ids

    def _new_item(self, part: Contribution, aisle: str | None) -> int:
        cursor = self.db.execute(
            "INSERT INTO shopping_items (list_id, food_key, food, unit_group, aisle, staple, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.list_id, part.food_key, part.food, part.unit_group,
             aisle or guess_aisle(part.food_key), int(part.food_key in self.staples), utcnow()),
        )  # fmt: skip
        item_id = cursor.lastrowid or 0
        self.lines[(part.food_key, part.unit_group)] = item_id
        return item_id


def add_recipes(
    db: sqlite3.Connection,
    household_id: int,
    list_id: int,
    wanted: list[tuple[int, float | None]],
) -> list[Source] | None:
    """Add recipes at servings (None: the recipe's own). None if the list or a recipe is not
    the household's; nothing is added then."""
    if list_version(db, household_id, list_id) is None:
        return None
    recipes = _recipes(db, household_id, (recipe_id for recipe_id, _ in wanted))
    if any(recipe_id not in recipes for recipe_id, _ in wanted):
        return None
    added = []
    with transaction(db):
        adder = _Adder(db, household_id, list_id)
        for recipe_id, servings in wanted:
            recipe = recipes[recipe_id]
            factor = scale_factor(recipe.servings, servings)
            cursor = db.execute(
                "INSERT INTO shopping_sources (list_id, recipe_id, title, servings, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (list_id, recipe_id, recipe.title, servings, utcnow()),
            )
            source_id = cursor.lastrowid or 0
            adder.add([contribution(line, factor) for line in recipe.lines], source_id)
            added.append(
                Source(
                    id=source_id,
                    recipe_id=recipe_id,
                    title=recipe.title,
                    servings=servings,
                    batches=counts_batches(recipe.servings),
                )
            )
        _touch(db, list_id)
    return added


def add_planned(
    db: sqlite3.Connection, household_id: int, list_id: int, start: dt.date, end: dt.date
) -> list[Source] | None:
    """Every recipe planned from `start` to `end`, at its planned servings."""
    return add_recipes(db, household_id, list_id, planned_recipe_ids(db, household_id, start, end))


def add_item(
    db: sqlite3.Connection,
    household_id: int,
    list_id: int,
    text: str,
    client_id: str | None = None,
) -> int | None:
    """A typed item, merged like a recipe's line. A `client_id` sent before adds nothing."""
    if list_version(db, household_id, list_id) is None:
        return None
    with transaction(db):
        if client_id:
            row = db.execute(
                "SELECT a.item_id FROM shopping_amounts a "
                "JOIN shopping_items i ON i.id = a.item_id WHERE a.client_id = ? AND i.list_id = ?",
                (client_id, list_id),
            ).fetchone()
            if row:
                return row[0]
        (item_id,) = _Adder(db, household_id, list_id).add([contribution(text)], None, client_id)
        _touch(db, list_id)
    return item_id


# --- changing -------------------------------------------------------------------------------


def _item_row(
    db: sqlite3.Connection, household_id: int, list_id: int, item_id: int
) -> sqlite3.Row | None:
    return db.execute(
        "SELECT i.id, i.food_key FROM shopping_items i JOIN shopping_lists l ON l.id = i.list_id "
        "WHERE i.id = ? AND i.list_id = ? AND l.household_id = ?",
        (item_id, list_id, household_id),
    ).fetchone()


def update_item(
    db: sqlite3.Connection,
    household_id: int,
    list_id: int,
    item_id: int,
    checked: bool | None = None,
    aisle: str | None = None,
) -> bool:
    """Check or uncheck, or move to an aisle: the household learns where the food is, and
    the food's other lines on this list move too."""
    with transaction(db):
        row = _item_row(db, household_id, list_id, item_id)
        if row is None:
            return False
        if checked is not None:
            db.execute(
                "UPDATE shopping_items SET checked = ? WHERE id = ?", (int(checked), item_id)
            )
        if aisle is not None:
            _learn_aisle(db, household_id, list_id, row["food_key"], aisle)
        _touch(db, list_id)
    return True


def _learn_aisle(
    db: sqlite3.Connection, household_id: int, list_id: int, key: str, aisle: str
) -> None:
    known = db.execute(
        "SELECT name FROM aisles WHERE household_id = ? AND name = ?", (household_id, aisle)
    ).fetchone()
    if known is None:
        db.execute(
            "INSERT INTO aisles (household_id, name, position) SELECT ?, ?, "
            "coalesce(max(position), -1) + 1 FROM aisles WHERE household_id = ?",
            (household_id, aisle, household_id),
        )
    else:
        aisle = known[0]  # the household's spelling
    db.execute(
        "INSERT INTO food_aisles (household_id, food_key, aisle) VALUES (?, ?, ?) "
        "ON CONFLICT (household_id, food_key) DO UPDATE SET aisle = excluded.aisle",
        (household_id, key, aisle),
    )
    db.execute(
        "UPDATE shopping_items SET aisle = ? WHERE list_id = ? AND food_key = ?",
        (aisle, list_id, key),
    )


def delete_item(db: sqlite3.Connection, household_id: int, list_id: int, item_id: int) -> bool:
    with transaction(db):
        if _item_row(db, household_id, list_id, item_id) is None:
            return False
        db.execute("DELETE FROM shopping_items WHERE id = ?", (item_id,))
        _touch(db, list_id)
    return True


def remove_source(db: sqlite3.Connection, household_id: int, list_id: int, source_id: int) -> bool:
    """Take a recipe's amounts back out; lines left with no amount go."""
    if list_version(db, household_id, list_id) is None:
        return False
    with transaction(db):
        cursor = db.execute(
            "DELETE FROM shopping_sources WHERE id = ? AND list_id = ?", (source_id, list_id)
        )
        if cursor.rowcount == 0:
            return False
        _drop_empty(db, list_id)
        _touch(db, list_id)
    return True


def _drop_empty(db: sqlite3.Connection, list_id: int) -> None:
    db.execute(
        "DELETE FROM shopping_items WHERE list_id = ? AND NOT EXISTS "
        "(SELECT 1 FROM shopping_amounts a WHERE a.item_id = shopping_items.id)",
        (list_id,),
    )


def clear_checked(db: sqlite3.Connection, household_id: int, list_id: int) -> int | None:
    if list_version(db, household_id, list_id) is None:
        return None
    with transaction(db):
        cursor = db.execute("DELETE FROM shopping_items WHERE list_id = ? AND checked", (list_id,))
        _touch(db, list_id)
    return cursor.rowcount


def add_staples(db: sqlite3.Connection, household_id: int, list_id: int) -> int | None:
    """Put the left-out pantry staples on the list."""
    if list_version(db, household_id, list_id) is None:
        return None
    with transaction(db):
        cursor = db.execute(
            "UPDATE shopping_items SET staple = 0 WHERE list_id = ? AND staple", (list_id,)
        )
        _touch(db, list_id)
    return cursor.rowcount


# --- household settings: aisle order and pantry staples -----------------------------------


def set_aisle_order(db: sqlite3.Connection, household_id: int, names: list[str]) -> None:
    """The aisles in this order; aisles still used by items but not named keep their place
    after them, so nothing on a list loses its aisle."""
    ensure_settings(db, household_id)
    order = list(dict.fromkeys(n for n in names if n))
    with transaction(db):
        known = [
            row[0]
            for row in db.execute(
                "SELECT name FROM aisles WHERE household_id = ? ORDER BY position", (household_id,)
            )
        ]
        folded = {n.casefold() for n in order}
        rest = [n for n in known if n.casefold() not in folded and _aisle_used(db, household_id, n)]
        if OTHER_AISLE.casefold() not in folded and OTHER_AISLE not in rest:
            rest.append(OTHER_AISLE)
        db.execute("DELETE FROM aisles WHERE household_id = ?", (household_id,))
        db.executemany(
            "INSERT OR IGNORE INTO aisles (household_id, name, position) VALUES (?, ?, ?)",
            [(household_id, name, i) for i, name in enumerate(order + rest)],
        )


def _aisle_used(db: sqlite3.Connection, household_id: int, aisle: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM shopping_items i JOIN shopping_lists l ON l.id = i.list_id "
        "WHERE l.household_id = ? AND i.aisle = ? COLLATE NOCASE LIMIT 1",
        (household_id, aisle),
    ).fetchone()
    return row is not None


def staples(db: sqlite3.Connection, household_id: int) -> list[str]:
    ensure_settings(db, household_id)
    rows = db.execute(
        "SELECT name FROM pantry_staples WHERE household_id = ? ORDER BY name", (household_id,)
    )
    return [row[0] for row in rows]


def set_staples(db: sqlite3.Connection, household_id: int, names: list[str]) -> None:
    from .foods import food_key

    ensure_settings(db, household_id)
    with transaction(db):
        db.execute("DELETE FROM pantry_staples WHERE household_id = ?", (household_id,))
        db.executemany(
            "INSERT OR IGNORE INTO pantry_staples (household_id, food_key, name) VALUES (?, ?, ?)",
            [(household_id, food_key(name), name) for name in names if food_key(name)],
        )
