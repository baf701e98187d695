"""Recipe photos in SQLite (table `recipe_photos`, migration 0008).

Every read and write names the owner (`owner_id`: the household that owns the recipe), so
no query crosses owners. Position 0 is the cover; positions stay 0..n-1 after every change.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from recipes.db import transaction, utcnow
from recipes.photos.processing import Processed

OWNER = "household_id"  # the recipes column naming the owner
Variant = Literal["display", "thumb"]
_INFO = "p.id, p.recipe_id, p.position, p.content_type, p.width, p.height, p.digest, p.thumb_digest"


@dataclass(frozen=True)
class PhotoInfo:
    id: int
    recipe_id: int
    position: int
    content_type: str
    width: int
    height: int
    digest: str
    thumb_digest: str


@dataclass(frozen=True)
class Blob:
    data: bytes
    content_type: str
    digest: str


def get_recipe_owner(db: sqlite3.Connection, recipe_id: int) -> int | None:
    row = db.execute(
        f"SELECT {OWNER} FROM recipes WHERE id = ?",  # noqa: S608 - a constant
        (recipe_id,),
    ).fetchone()
    return row[0] if row else None


def _owns(db: sqlite3.Connection, owner_id: int, recipe_id: int) -> bool:
    return get_recipe_owner(db, recipe_id) == owner_id


def digest_of(photo: Processed) -> str:
    return hashlib.sha256(photo.data).hexdigest()


# --- writes -------------------------------------------------------------------------------


def insert_photo(
    db: sqlite3.Connection, recipe_id: int, photo: Processed, *, cover: bool = False
) -> int:
    """Add a photo inside the caller's transaction: as the cover, or after the others."""
    if cover:
        _shift(db, recipe_id, 0, 1)
        position = 0
    else:
        position = db.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM recipe_photos WHERE recipe_id = ?",
            (recipe_id,),
        ).fetchone()[0]
    cursor = db.execute(
        "INSERT INTO recipe_photos (recipe_id, household_id, position, content_type, width, "  # noqa: S608 - OWNER is a constant
        f"height, digest, thumb_digest, created_at, thumb, data) SELECT id, {OWNER}, ?, ?, ?, "
        "?, ?, ?, ?, ?, ? FROM recipes WHERE id = ?",
        (
            position,
            photo.content_type,
            photo.width,
            photo.height,
            digest_of(photo),
            hashlib.sha256(photo.thumb).hexdigest(),
            utcnow(),
            photo.thumb,
            photo.data,
            recipe_id,
        ),
    )
    if cursor.lastrowid is None or cursor.rowcount == 0:
        raise LookupError(f"there is no recipe {recipe_id}")
    return cursor.lastrowid


def add_photo(
    db: sqlite3.Connection, owner_id: int, recipe_id: int, photo: Processed, cover: bool = False
) -> PhotoInfo | None:
    """Add a photo to one of the owner's recipes (its own transaction); None if not theirs."""
    with transaction(db):
        if not _owns(db, owner_id, recipe_id):
            return None
        photo_id = insert_photo(db, recipe_id, photo, cover=cover)
    return get_info(db, owner_id, photo_id)


def delete_photo(db: sqlite3.Connection, owner_id: int, recipe_id: int, photo_id: int) -> bool:
    with transaction(db):
        info = get_info(db, owner_id, photo_id)
        if info is None or info.recipe_id != recipe_id:
            return False
        db.execute("DELETE FROM recipe_photos WHERE id = ?", (photo_id,))
        _shift(db, recipe_id, info.position + 1, -1)
    return True


def arrange(
    db: sqlite3.Connection, owner_id: int, recipe_id: int, order: list[int]
) -> list[PhotoInfo] | None:
    """Put the recipe's photos in `order` (ids, cover first). Photos left out keep their
    relative order after the named ones; ids that are not this recipe's photos are ignored.
    None if the recipe is not the owner's."""
    with transaction(db):
        if not _owns(db, owner_id, recipe_id):
            return None
        current = [p.id for p in list_photos(db, recipe_id)]
        named = [i for i in dict.fromkeys(order) if i in current]
        final = named + [i for i in current if i not in named]
        # Two passes through negative positions: no two rows ever share a position.
        db.executemany(
            "UPDATE recipe_photos SET position = ? WHERE id = ?",
            [(-1 - n, photo_id) for n, photo_id in enumerate(final)],
        )
        db.execute(
            "UPDATE recipe_photos SET position = -1 - position WHERE recipe_id = ?", (recipe_id,)
        )
    return list_photos(db, recipe_id)


def _shift(db: sqlite3.Connection, recipe_id: int, start: int, by: int) -> None:
    db.execute(
        "UPDATE recipe_photos SET position = position + ? WHERE recipe_id = ? AND position >= ?",
        (by, recipe_id, start),
    )


# --- reads --------------------------------------------------------------------------------


def _info(row: sqlite3.Row) -> PhotoInfo:
    return PhotoInfo(**dict(row))


def get_info(db: sqlite3.Connection, owner_id: int, photo_id: int) -> PhotoInfo | None:
    row = db.execute(
        f"SELECT {_INFO} FROM recipe_photos p WHERE p.id = ? AND p.household_id = ?",  # noqa: S608
        (photo_id, owner_id),
    ).fetchone()
    return _info(row) if row else None


def list_photos(db: sqlite3.Connection, recipe_id: int) -> list[PhotoInfo]:
    """A recipe's photos, cover first (the caller has checked the recipe is readable)."""
    rows = db.execute(
        f"SELECT {_INFO} FROM recipe_photos p WHERE p.recipe_id = ? ORDER BY p.position",  # noqa: S608
        (recipe_id,),
    ).fetchall()
    return [_info(row) for row in rows]


def photos_for(db: sqlite3.Connection, recipe_ids: Iterable[int]) -> dict[int, list[PhotoInfo]]:
    """Photos of many recipes in one query, each list cover first."""
    ids = list(recipe_ids)
    result: dict[int, list[PhotoInfo]] = {i: [] for i in ids}
    if not ids:
        return result
    rows = db.execute(
        f"SELECT {_INFO} FROM recipe_photos p WHERE p.recipe_id IN "  # noqa: S608
        f"({', '.join('?' * len(ids))}) ORDER BY p.recipe_id, p.position",
        ids,
    ).fetchall()
    for row in rows:
        result[row["recipe_id"]].append(_info(row))
    return result


def covers(db: sqlite3.Connection, recipe_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """(photo id, thumbnail digest) of each recipe's cover, from the covering index."""
    ids = list(recipe_ids)
    if not ids:
        return {}
    rows = db.execute(
        "SELECT recipe_id, id, thumb_digest FROM recipe_photos "  # noqa: S608
        f"WHERE position = 0 AND recipe_id IN ({', '.join('?' * len(ids))})",
        ids,
    ).fetchall()
    return {row[0]: (row[1], row[2]) for row in rows}


def read_blob(
    db: sqlite3.Connection, owner_id: int, photo_id: int, variant: Variant
) -> Blob | None:
    """The bytes of one of the owner's photos."""
    return _blob(db, "p.household_id = ?", owner_id, photo_id, variant)


def read_shared_blob(
    db: sqlite3.Connection, token: str, photo_id: int, variant: Variant
) -> Blob | None:
    """The bytes of a photo of the recipe behind a share link."""
    where = "p.recipe_id = (SELECT id FROM recipes WHERE share_token = ?)"
    return _blob(db, where, token, photo_id, variant)


def _blob(
    db: sqlite3.Connection, where: str, key: object, photo_id: int, variant: Variant
) -> Blob | None:
    if variant == "thumb":
        columns = "p.thumb, 'image/webp', p.thumb_digest"
    else:
        columns = "p.data, p.content_type, p.digest"
    row = db.execute(
        f"SELECT {columns} FROM recipe_photos p WHERE p.id = ? AND {where}",  # noqa: S608
        (photo_id, key),
    ).fetchone()
    return Blob(bytes(row[0]), row[1], row[2]) if row else None


def originals(db: sqlite3.Connection, recipe_id: int) -> list[Blob]:
    """The stored photos of a recipe, cover first, for exports."""
    rows = db.execute(
        "SELECT data, content_type, digest FROM recipe_photos WHERE recipe_id = ? "
        "ORDER BY position",
        (recipe_id,),
    ).fetchall()
    return [Blob(bytes(row[0]), row[1], row[2]) for row in rows]
