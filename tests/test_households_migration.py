"""Upgrading a schema-12 database (before households) filled with data, also after a crash
in the middle of the migration: every account becomes the admin of its own household and
every recipe, tag, photo, token and share link keeps working."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from recipes import create_app
from recipes.api.tokens import hash_token
from recipes.db import connect, latest_version, migrate, schema_version

HOUSEHOLDS_VERSION = 14
PEOPLE = ("ann", "ben", "cat")
PER_PERSON = 40


def _fill_version_12(path: Path) -> dict[str, dict]:
    """A database at schema 12 written with that version's SQL: people, recipes with tags,
    full-text rows, photos, share links, API tokens and logins."""
    db = connect(path)
    assert migrate(db, target=13) == 13
    made: dict[str, dict] = {}
    db.execute("BEGIN")
    for number, name in enumerate(PEOPLE, start=1):
        db.execute(
            "INSERT INTO users (id, username, password_hash, is_admin, created_at) "
            "VALUES (?, ?, 'x', ?, '2025-01-01T00:00:00Z')",
            (number, name, int(number == 1)),
        )
        token = f"rcp_old-secret-{name}"
        db.execute(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) "
            "VALUES (?, 'old', ?, '2025-01-01T00:00:00Z')",
            (number, hash_token(token)),
        )
        db.execute(
            "INSERT INTO login_sessions (id, user_id, created_at) VALUES (?, ?, '2025')",
            (f"login-{name}", number),
        )
        ids = [_old_recipe(db, number, name, i) for i in range(PER_PERSON)]
        db.execute("UPDATE recipes SET share_token = ? WHERE id = ?", (f"share-{name}", ids[0]))
        data = b"\x89PNG" + name.encode()
        db.execute(
            "INSERT INTO recipe_photos (recipe_id, household_id, position, content_type, width, "
            "height, digest, thumb_digest, created_at, thumb, data) "
            "VALUES (?, ?, 0, 'image/png', 1, 1, ?, ?, '2025', ?, ?)",
            (ids[1], number, f"d{name}", f"t{name}", data, data),
        )
        made[name] = {"id": number, "recipes": ids, "token": token}
    db.execute("COMMIT")
    db.close()
    return made


def _old_recipe(db, user_id: int, name: str, i: int) -> int:
    tags = ["soup", f"{name}-tag"] if i % 2 else ["dinner"]
    cursor = db.execute(
        "INSERT INTO recipes (user_id, title, ingredient_groups, tags, category, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            user_id,
            f"{name} stew {i}",
            json.dumps([{"title": None, "ingredients": [f"{i} leeks"]}]),
            json.dumps(tags),
            "Mains" if i % 3 else "",
            f"2025-02-{1 + i % 28:02d}T10:00:00.{i:06d}Z",
            f"2025-03-{1 + i % 28:02d}T10:00:00.{i:06d}Z",
        ),
    )
    recipe_id = cursor.lastrowid
    db.executemany(
        "INSERT INTO recipe_tags (recipe_id, tag) VALUES (?, ?)", [(recipe_id, t) for t in tags]
    )
    db.execute(
        "INSERT INTO recipe_fts (rowid, title, ingredients, instructions, description, notes, "
        "tags) VALUES (?, ?, ?, '', '', '', ?)",
        (recipe_id, f"{name} stew {i}", f"{i} leeks", " ".join(tags)),
    )
    return recipe_id


def _snapshot(path: Path) -> dict[str, list]:
    """What must survive: every user, recipe, tag, photo, token and login, as rows."""
    db = connect(path)
    queries = {
        "users": "SELECT id, username, password_hash, is_admin FROM users ORDER BY id",
        "recipes": "SELECT id, user_id, title, ingredient_groups, tags, category, share_token, "
        "created_at, updated_at FROM recipes ORDER BY id",
        "tags": "SELECT recipe_id, tag FROM recipe_tags ORDER BY 1, 2",
        "photos": "SELECT recipe_id, content_type, data FROM recipe_photos ORDER BY 1",
        "tokens": "SELECT user_id, token_hash FROM api_tokens ORDER BY 1",
        "logins": "SELECT id, user_id FROM login_sessions ORDER BY 1",
        "fts": "SELECT rowid, title, ingredients, tags FROM recipe_fts ORDER BY rowid",
    }
    try:
        return {k: [tuple(r) for r in db.execute(q)] for k, q in queries.items()}
    finally:
        db.close()


@pytest.fixture
def old_database(tmp_path: Path) -> tuple[Path, dict[str, dict]]:
    path = tmp_path / "data" / "recipes.sqlite3"
    path.parent.mkdir()
    return path, _fill_version_12(path)


def _check_upgraded(path: Path, made: dict[str, dict], before: dict[str, list]) -> None:
    after = _snapshot(path)
    assert after == before, "the upgrade changed or lost data"
    db = connect(path)
    try:
        assert schema_version(db) == latest_version()
        rows = db.execute("SELECT id, household_id, role FROM users ORDER BY id").fetchall()
        assert [tuple(r) for r in rows] == [(p["id"], p["id"], "admin") for p in made.values()]
        names = [r[0] for r in db.execute("SELECT name FROM households ORDER BY id")]
        assert names == [f"{name}'s household" for name in PEOPLE]
        owners = db.execute(
            "SELECT count(*) FROM recipes WHERE household_id != user_id OR updated_by != user_id "
            "OR version != 1"
        ).fetchone()[0]
        assert owners == 0
        recount = db.execute(
            "SELECT r.household_id, t.tag, count(*) FROM recipe_tags t JOIN recipes r "
            "ON r.id = t.recipe_id GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        kept = db.execute("SELECT household_id, tag, count FROM tag_counts ORDER BY 1, 2")
        assert [tuple(r) for r in recount] == [tuple(r) for r in kept.fetchall()]
        counted = db.execute("SELECT household_id, count FROM recipe_counts ORDER BY 1")
        assert [tuple(r) for r in counted] == [(p["id"], PER_PERSON) for p in made.values()]
    finally:
        db.close()
    _check_app_serves_everything(path, made)


def _check_app_serves_everything(path: Path, made: dict[str, dict]) -> None:
    """Through the real app: old tokens list exactly their own recipes, search finds them,
    share links and photos still answer."""
    app = create_app({"TESTING": True, "DATA_DIR": str(path.parent), "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    for name, person in made.items():
        auth = {"Authorization": f"Bearer {person['token']}"}
        listed = client.get("/api/v1/recipes?per_page=200", headers=auth).get_json()
        assert sorted(r["id"] for r in listed["items"]) == person["recipes"]
        found = client.get(f"/api/v1/recipes?q={name}+stew", headers=auth).get_json()
        assert found["total"] == PER_PERSON
        me = client.get("/api/v1/household", headers=auth)
        assert me.get_json() == {
            "name": f"{name}'s household",
            "members": [{"username": name, "role": "admin"}],
        }
        assert client.get(f"/s/share-{name}").status_code == 200
        tags = client.get("/api/v1/tags", headers=auth).get_json()["items"]
        assert {"name": "soup", "count": PER_PERSON // 2} in tags
    # A photo: listed for its household, not for another.
    ann = {"Authorization": f"Bearer {made['ann']['token']}"}
    listed = client.get(f"/api/v1/recipes/{made['ann']['recipes'][1]}/photos", headers=ann)
    assert listed.status_code == 200 and len(listed.get_json()["items"]) == 1
    foreign = client.get(f"/api/v1/recipes/{made['ben']['recipes'][1]}/photos", headers=ann)
    assert foreign.status_code == 404


def test_upgrade_from_version_12_keeps_everything(old_database) -> None:
    path, made = old_database
    before = _snapshot(path)
    db = connect(path)
    assert migrate(db) == latest_version() >= HOUSEHOLDS_VERSION
    db.close()
    _check_upgraded(path, made, before)


CRASH_MIDWAY = """
import os, sys
from recipes.db import connect, migrate

db = connect(sys.argv[1])
def crash(statement):
    # Half-way through version 14: after the recipes got their household, before the
    # counts were rebuilt. The process dies without rolling back or closing anything.
    if statement.startswith("DROP TABLE tag_counts"):
        os._exit(9)
db.set_trace_callback(crash)
migrate(db)
"""


def test_interrupted_upgrade_leaves_version_12_and_then_completes(old_database) -> None:
    path, made = old_database
    before = _snapshot(path)
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH_MIDWAY, str(path)], capture_output=True, timeout=120
    )
    assert crashed.returncode == 9, crashed.stderr.decode()
    db = connect(path)
    try:
        assert schema_version(db) == HOUSEHOLDS_VERSION - 1
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        assert "households" not in tables and "invitations" not in tables
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()
    assert _snapshot(path) == before
    # The next start migrates again, from the beginning of version 14.
    db = connect(path)
    assert migrate(db) == latest_version()
    db.close()
    _check_upgraded(path, made, before)
