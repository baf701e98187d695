"""Households: the people who share one recipe library, their roles and invitations.

A household owns every recipe (and through them tags, photos and share links). Each account
belongs to exactly one household with a role: `admin` (members, invitations, settings),
`member` (reads and writes everything) or `viewer` (reads only). At least one admin remains.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from flask import abort, g
from flask_login import current_user

from recipes import store
from recipes.db import transaction, utcnow
from recipes.models import RecipeIn
from recipes.users import (
    ROLES,
    WRITER_ROLES,
    User,
    check_username,
    get_user,
    insert_user,
    new_household,
    new_password_hash,
)

INVITATION_DAYS = 7
INVITATION_BYTES = 24
Take = Literal["nothing", "copy"]


class HouseholdError(ValueError):
    """A user-facing reason a household change was refused; nothing was changed."""


@dataclass(frozen=True)
class Member:
    id: int
    username: str
    role: str


@dataclass(frozen=True)
class Household:
    id: int
    name: str
    members: list[Member]


@dataclass(frozen=True)
class Invitation:
    id: int
    household_id: int
    household_name: str
    role: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    used_by: str | None

    @property
    def usable(self) -> bool:
        return self.used_at is None and self.expires_at > datetime.now(UTC)


# --- the caller --------------------------------------------------------------------------


def current_member() -> User:
    """Who is asking: the API caller (token or session) or the signed-in web user."""
    return g.get("api_user") or current_user._get_current_object()


def current_household_id() -> int:
    """The household whose data this request may see and change."""
    return current_member().household_id


def require_writer() -> None:
    """403 for viewers: they read only. (The API answers it as JSON, pages as a page.)"""
    if current_member().role not in WRITER_ROLES:
        abort(403, "Viewers can read the household's recipes but not change them.")


def require_admin() -> None:
    if current_member().role != "admin":
        abort(403, "Only the household's admins can manage members and invitations.")


# --- reading ------------------------------------------------------------------------------


def get_household(db: sqlite3.Connection, household_id: int) -> Household:
    row = db.execute("SELECT id, name FROM households WHERE id = ?", (household_id,)).fetchone()
    return Household(id=row["id"], name=row["name"], members=members(db, household_id))


def members(db: sqlite3.Connection, household_id: int) -> list[Member]:
    rows = db.execute(
        "SELECT id, username, role FROM users WHERE household_id = ? "
        "ORDER BY CASE role WHEN 'admin' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, "
        "username COLLATE NOCASE",
        (household_id,),
    ).fetchall()
    return [Member(id=r["id"], username=r["username"], role=r["role"]) for r in rows]


def member_count(db: sqlite3.Connection, household_id: int) -> int:
    row = db.execute("SELECT count(*) FROM users WHERE household_id = ?", (household_id,))
    return row.fetchone()[0]


def all_households(db: sqlite3.Connection) -> list[Household]:
    rows = db.execute("SELECT id FROM households ORDER BY id").fetchall()
    return [get_household(db, row["id"]) for row in rows]


# --- changing members ---------------------------------------------------------------------


def _admins_left(db: sqlite3.Connection, household_id: int, without: int) -> int:
    row = db.execute(
        "SELECT count(*) FROM users WHERE household_id = ? AND role = 'admin' AND id != ?",
        (household_id, without),
    ).fetchone()
    return row[0]


def _check_admin_remains(db: sqlite3.Connection, user: User | Member, household_id: int) -> None:
    """Refuse when `user` is the household's last admin and others stay behind."""
    others = member_count(db, household_id) - 1
    if user.role == "admin" and others > 0 and _admins_left(db, household_id, user.id) == 0:
        raise HouseholdError(
            "You are the household's only admin: make someone else an admin first."
        )


def _member(db: sqlite3.Connection, household_id: int, user_id: int) -> Member:
    row = db.execute(
        "SELECT id, username, role FROM users WHERE id = ? AND household_id = ?",
        (user_id, household_id),
    ).fetchone()
    if row is None:
        raise LookupError(user_id)
    return Member(id=row["id"], username=row["username"], role=row["role"])


def set_role(db: sqlite3.Connection, household_id: int, user_id: int, role: str) -> Member:
    """Change a member's role; LookupError if not in this household."""
    if role not in ROLES:
        raise HouseholdError(f"The role must be one of {', '.join(ROLES)}.")
    with transaction(db):
        member = _member(db, household_id, user_id)
        if role != "admin" and _admins_left(db, household_id, user_id) == 0:
            raise HouseholdError("A household needs at least one admin.")
        db.execute("UPDATE users SET role = ? WHERE id = ?", (role, user_id))
    return Member(id=member.id, username=member.username, role=role)


def remove_member(db: sqlite3.Connection, household_id: int, user_id: int, by: int) -> Member:
    """Move a member out to a household of their own; their recipes stay here."""
    if user_id == by:
        raise HouseholdError("To leave the household yourself, use Leave.")
    with transaction(db):
        member = _member(db, household_id, user_id)
        _move_out(db, member.id, member.username)
    return member


def leave(db: sqlite3.Connection, user: User, take: Take) -> int:
    """The user leaves for a new household of their own, taking nothing or a copy of the
    recipes they created. Returns the new household's id."""
    with transaction(db):
        fresh = get_user(db, user.id)
        assert fresh is not None
        if member_count(db, fresh.household_id) == 1:
            raise HouseholdError("You are the only member: there is no one to leave behind.")
        _check_admin_remains(db, fresh, fresh.household_id)
        new_id = _move_out(db, fresh.id, fresh.username)
        if take == "copy":
            copy_recipes(db, fresh.household_id, new_id, fresh.id, by=fresh.id)
    return new_id


def _move_out(db: sqlite3.Connection, user_id: int, username: str) -> int:
    household_id = new_household(db, f"{username}'s household")
    db.execute(
        "UPDATE users SET household_id = ?, role = 'admin' WHERE id = ?", (household_id, user_id)
    )
    return household_id


def copy_recipes(
    db: sqlite3.Connection, source: int, target: int, created_by: int | None, *, by: int
) -> int:
    """Copy the recipes `created_by` added to `source` (every recipe when None) into
    `target`, recorded as copied by `by` (caller's transaction).

    Dates, tags and stored photos come along; share links do not (they name the original).
    """
    copied = 0
    for row in list(store.household_rows(db, source, created_by=created_by)):
        recipe = store.recipe_from_row(row)
        data = RecipeIn.model_validate(recipe.as_input())
        new_id = store.insert_recipe(db, target, data, row["created_at"], row["updated_at"], by=by)
        _copy_photo(db, row["id"], new_id)
        copied += 1
    return copied


def _copy_photo(db: sqlite3.Connection, source_id: int, target_id: int) -> None:
    db.execute(
        "INSERT INTO recipe_photos (recipe_id, content_type, data) "
        "SELECT ?, content_type, data FROM recipe_photos WHERE recipe_id = ?",
        (target_id, source_id),
    )


def rename(db: sqlite3.Connection, household_id: int, name: str) -> None:
    with transaction(db):
        db.execute("UPDATE households SET name = ? WHERE id = ?", (name, household_id))


# --- invitations --------------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _invitation(row: sqlite3.Row) -> Invitation:
    def when(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return Invitation(
        id=row["id"],
        household_id=row["household_id"],
        household_name=row["household_name"],
        role=row["role"],
        created_at=datetime.fromisoformat(row["created_at"]),
        expires_at=datetime.fromisoformat(row["expires_at"]),
        used_at=when(row["used_at"]),
        used_by=row["used_by_name"],
    )


_INVITATION_SELECT = (
    "SELECT i.*, h.name AS household_name, u.username AS used_by_name FROM invitations i "
    "JOIN households h ON h.id = i.household_id LEFT JOIN users u ON u.id = i.used_by "
)


def create_invitation(
    db: sqlite3.Connection, household_id: int, role: str, by: int, days: int = INVITATION_DAYS
) -> tuple[Invitation, str]:
    """A one-time invitation link's record and secret (shown once; only its hash is kept)."""
    if role not in ROLES:
        raise HouseholdError(f"The role must be one of {', '.join(ROLES)}.")
    secret = secrets.token_urlsafe(INVITATION_BYTES)
    expires = (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO invitations (household_id, token_hash, role, created_by, created_at, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (household_id, _hash(secret), role, by, utcnow(), expires),
        )
    row = db.execute(_INVITATION_SELECT + "WHERE i.id = ?", (cursor.lastrowid,)).fetchone()
    return _invitation(row), secret


def list_invitations(db: sqlite3.Connection, household_id: int) -> list[Invitation]:
    rows = db.execute(
        _INVITATION_SELECT + "WHERE i.household_id = ? ORDER BY i.created_at DESC, i.id DESC",
        (household_id,),
    ).fetchall()
    return [_invitation(row) for row in rows]


def revoke_invitation(db: sqlite3.Connection, household_id: int, invitation_id: int) -> bool:
    with transaction(db):
        cursor = db.execute(
            "DELETE FROM invitations WHERE id = ? AND household_id = ?",
            (invitation_id, household_id),
        )
    return cursor.rowcount > 0


def find_invitation(db: sqlite3.Connection, secret: str) -> Invitation | None:
    """The invitation a link names, if it can still be used (not used, not expired)."""
    if not secret or len(secret) > 200:
        return None
    row = db.execute(_INVITATION_SELECT + "WHERE i.token_hash = ?", (_hash(secret),)).fetchone()
    invitation = _invitation(row) if row else None
    return invitation if invitation and invitation.usable else None


def claim_invitation(db: sqlite3.Connection, secret: str, user_id: int) -> Invitation:
    """Mark the invitation used by `user_id`, inside the caller's transaction.

    HouseholdError if it was used, expired or revoked in the meantime: one use only.
    """
    cursor = db.execute(
        "UPDATE invitations SET used_at = ?, used_by = ? "
        "WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        (utcnow(), user_id, _hash(secret), utcnow()),
    )
    if cursor.rowcount != 1:
        raise HouseholdError("This invitation link was already used, has expired or was revoked.")
    row = db.execute(_INVITATION_SELECT + "WHERE i.token_hash = ?", (_hash(secret),)).fetchone()
    return _invitation(row)


def register(db: sqlite3.Connection, username: str, password: str, secret: str) -> User:
    """A new account made through an invitation link joins that household with its role.

    AccountError for a bad username or password, HouseholdError for a link that can no
    longer be used; either way nothing is created and the link is not spent.
    """
    username = check_username(username)
    password_hash = new_password_hash(password)
    with transaction(db):
        invitation = find_invitation(db, secret)
        if invitation is None:
            raise HouseholdError(
                "This invitation link was already used, has expired or was revoked."
            )
        user = insert_user(
            db, username, password_hash, household_id=invitation.household_id, role=invitation.role
        )
        claim_invitation(db, secret, user.id)
    return user


def join(db: sqlite3.Connection, user: User, secret: str, take: Take = "nothing") -> Invitation:
    """An existing account joins the invitation's household with its role.

    The recipes it created in its old household stay there, or (take="copy") are copied.
    The last member of a household brings a copy of its whole library, whatever `take`
    says: a household with no one in it is a library no one can reach.
    """
    with transaction(db):
        fresh = get_user(db, user.id)
        assert fresh is not None
        invitation = claim_invitation(db, secret, fresh.id)
        if invitation.household_id == fresh.household_id:
            raise HouseholdError("You are already a member of this household.")
        _check_admin_remains(db, fresh, fresh.household_id)
        db.execute(
            "UPDATE users SET household_id = ?, role = ? WHERE id = ?",
            (invitation.household_id, invitation.role, fresh.id),
        )
        if member_count(db, fresh.household_id) == 0:
            copy_recipes(db, fresh.household_id, invitation.household_id, None, by=fresh.id)
        elif take == "copy":
            copy_recipes(db, fresh.household_id, invitation.household_id, fresh.id, by=fresh.id)
    return invitation
