"""User accounts."""

from __future__ import annotations

import functools
import secrets
import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from recipes import usernames
from recipes.db import transaction, utcnow

ROLES = ("admin", "member", "viewer")
WRITER_ROLES = frozenset({"admin", "member"})
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
USERNAME_MAX = 64
MIXED_SCRIPTS = "Use letters from one alphabet: this name mixes look-alike letters of several."
COMMON_PASSWORDS = frozenset(
    """password password1 password123 12345678 123456789 1234567890 11111111 00000000
    qwertyuiop qwerty123 1q2w3e4r iloveyou sunshine princess football baseball welcome
    welcome1 letmein1 admin123 administrator passw0rd trustno1 abc12345 abcd1234 87654321
    monkey123 dragon123 superman starwars whatever computer internet recipes recipes123
    changeme changeme1 p@ssw0rd q1w2e3r4 zaq12wsx 1qaz2wsx asdfghjk asdf1234""".split()  # noqa: SIM905
)


@functools.cache
def _dummy_hash() -> str:
    """Verified against when a username is unknown, so a failed login takes the same time."""
    return generate_password_hash(secrets.token_hex(16))


@dataclass(frozen=True)
class User(UserMixin):
    id: int
    username: str
    is_admin: bool
    household_id: int = 0
    role: str = "member"  # in the household: admin, member or viewer
    login_id: str | None = None  # the row in login_sessions this session belongs to

    def get_id(self) -> str:
        # What Flask-Login keeps in the cookie: the login rides along with the user id.
        return f"{self.id}:{self.login_id}" if self.login_id else str(self.id)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> User:
        return cls(
            id=row["id"],
            username=row["username"],
            is_admin=bool(row["is_admin"]),
            household_id=row["household_id"],
            role=row["role"],
        )

    @property
    def can_write(self) -> bool:
        """Viewers read only; admins and members change recipes."""
        return self.role in WRITER_ROLES


class AccountError(ValueError):
    """A user-facing reason an account could not be created."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_username(username: str) -> str:
    username = username.strip()
    if not username:
        raise AccountError("username", "Choose a username.")
    if len(username) > USERNAME_MAX:
        raise AccountError("username", f"Use at most {USERNAME_MAX} characters.")
    if any(ch.isspace() or not ch.isprintable() for ch in username):
        raise AccountError("username", "Use letters, digits and punctuation, without spaces.")
    return username


def check_password(password: str) -> str:
    if "\x00" in password:
        raise AccountError("password", "The password contains a NUL character.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password", f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError("password", f"Use at most {MAX_PASSWORD_LENGTH} characters.")
    if password.lower() in COMMON_PASSWORDS:
        raise AccountError("password", "That password is too common; choose another.")
    return password


def check_not_lookalike(db: sqlite3.Connection, username: str) -> None:
    """Refuse a name that reads the same as an existing one, or mixes look-alike scripts."""
    if usernames.mixes_scripts(username):
        raise AccountError("username", MIXED_SCRIPTS)
    existing = [row[0] for row in db.execute("SELECT username FROM users")]
    if usernames.lookalike_of(username, existing):
        raise AccountError(
            "username", "That username looks like one that is taken. Choose another."
        )


def count_users(db: sqlite3.Connection) -> int:
    return db.execute("SELECT count(*) FROM users").fetchone()[0]


def create_user(
    db: sqlite3.Connection,
    username: str,
    password: str,
    is_admin: bool = False,
    household_id: int | None = None,
    role: str = "admin",
) -> User:
    """Create an account. The first account is always an admin.

    Without `household_id` the account gets a household of its own, as its admin.
    """
    username = check_username(username)
    with transaction(db):
        return insert_user(db, username, new_password_hash(password), is_admin, household_id, role)


def new_password_hash(password: str) -> str:
    """The stored hash of an acceptable password; AccountError if it is not acceptable."""
    return generate_password_hash(check_password(password))


def insert_user(
    db: sqlite3.Connection,
    username: str,
    password_hash: str,
    is_admin: bool = False,
    household_id: int | None = None,
    role: str = "admin",
) -> User:
    """Insert inside the caller's transaction (joining by invitation checks it in the same)."""
    if role not in ROLES:
        raise AccountError("role", f"The role must be one of {', '.join(ROLES)}.")
    if db.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
        raise AccountError("username", "That username is taken.")
    check_not_lookalike(db, username)
    first = count_users(db) == 0
    if household_id is None:
        household_id, role = new_household(db, f"{username}'s household"), "admin"
    cursor = db.execute(
        "INSERT INTO users (username, password_hash, is_admin, created_at, household_id, role) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (username, password_hash, int(is_admin or first), utcnow(), household_id, role),
    )
    return User(
        id=cursor.lastrowid or 0,
        username=username,
        is_admin=is_admin or first,
        household_id=household_id,
        role=role,
    )


def new_household(db: sqlite3.Connection, name: str) -> int:
    """A new, empty household (inside the caller's transaction)."""
    cursor = db.execute(
        "INSERT INTO households (name, created_at) VALUES (?, ?)", (name[:200], utcnow())
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def get_user(db: sqlite3.Connection, user_id: int) -> User | None:
    row = db.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    return User.from_row(row) if row else None


def get_user_by_name(db: sqlite3.Connection, username: str) -> User | None:
    row = db.execute("SELECT * FROM users WHERE username = ?", (username.strip(),)).fetchone()
    return User.from_row(row) if row else None


LOGIN_MAX_AGE = timedelta(days=400)  # longer than any remember-me cookie


def start_login(db: sqlite3.Connection, user: User) -> User:
    """Record a new login; the returned user carries its id into the session cookie."""
    login_id = secrets.token_urlsafe(24)
    cutoff = (datetime.now(UTC) - LOGIN_MAX_AGE).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with transaction(db):
        db.execute(
            "DELETE FROM login_sessions WHERE user_id = ? AND created_at < ?", (user.id, cutoff)
        )
        db.execute(
            "INSERT INTO login_sessions (id, user_id, created_at) VALUES (?, ?, ?)",
            (login_id, user.id, utcnow()),
        )
    return replace(user, login_id=login_id)


def end_login(db: sqlite3.Connection, login_id: str) -> None:
    with transaction(db):
        db.execute("DELETE FROM login_sessions WHERE id = ?", (login_id,))


def get_login(db: sqlite3.Connection, user_id: int, login_id: str) -> User | None:
    """The user of a login that has not ended, or None."""
    row = db.execute(
        "SELECT u.* FROM users u JOIN login_sessions s ON s.user_id = u.id "
        "WHERE u.id = ? AND s.id = ?",
        (user_id, login_id),
    ).fetchone()
    return replace(User.from_row(row), login_id=login_id) if row else None


def authenticate(db: sqlite3.Connection, username: str, password: str) -> User | None:
    """The user when the password matches; None otherwise, in about the same time either way."""
    row = db.execute(
        "SELECT * FROM users WHERE username = ?", (username.strip()[:USERNAME_MAX],)
    ).fetchone()
    if row is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return User.from_row(row) if check_password_hash(row["password_hash"], password) else None


def ensure_local_user(db: sqlite3.Connection, username: str) -> User:
    """The desktop's single local account, created with an unguessable password if missing."""
    user = get_user_by_name(db, username)
    if user is not None:
        return user
    try:
        return create_user(db, username, secrets.token_urlsafe(32), is_admin=True)
    except AccountError:
        # Another thread created it between our look-up and insert.
        user = get_user_by_name(db, username)
        if user is None:
            raise
        return user
