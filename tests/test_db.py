import sqlite3
import threading

from recipes import create_app
from recipes.db import connect, latest_version, migrate, migration_scripts, schema_version


def test_fresh_database_is_at_latest_version_with_wal_and_foreign_keys(app):
    db = connect(app.config["DATABASE"])
    assert schema_version(db) == latest_version() >= 2
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_version_1_database_is_upgraded_in_place_keeping_data(tmp_path):
    path = tmp_path / "data" / "recipes.sqlite3"
    path.parent.mkdir()
    db = sqlite3.connect(path)
    db.executescript(migration_scripts()[0][2])
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO users (username, password_hash, created_at) VALUES ('old', 'x', '2020')"
    )
    db.execute(
        "INSERT INTO recipes (user_id, title, created_at, updated_at) VALUES (1, 'Old soup', "
        "'2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')"
    )
    db.commit()
    db.close()
    app = create_app({"DATA_DIR": str(path.parent)})
    db = connect(app.config["DATABASE"])
    assert schema_version(db) == latest_version()
    assert db.execute("SELECT title FROM recipes").fetchone()[0] == "Old soup"
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "api_tokens" in tables


def test_failed_migration_rolls_back(tmp_path, monkeypatch):
    db = connect(tmp_path / "x.sqlite3")
    migrate(db, target=1)
    scripts = migration_scripts()
    broken = [
        *scripts[:1],
        (2, "0002_broken.sql", "CREATE TABLE half (x);\nSELECT nope FROM nowhere;\n"),
    ]
    monkeypatch.setattr("recipes.db.migration_scripts", lambda: broken)
    try:
        migrate(db)
    except sqlite3.OperationalError:
        pass
    else:
        raise AssertionError("the broken migration should fail")
    assert schema_version(db) == 1
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0


def test_concurrent_migrations_from_many_processes_agree(tmp_path):
    path = tmp_path / "race.sqlite3"
    errors = []

    def run():
        try:
            conn = connect(path)
            migrate(conn)
            conn.close()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert schema_version(connect(path)) == latest_version()


def test_deleting_a_user_cascades(app):
    db = connect(app.config["DATABASE"])
    db.execute("INSERT INTO households (id, name, created_at) VALUES (1, 'h', 'now')")
    db.execute(
        "INSERT INTO users (username, password_hash, created_at, household_id) "
        "VALUES ('a', 'x', 'now', 1)"
    )
    db.execute(
        "INSERT INTO recipes (user_id, household_id, title, created_at, updated_at) "
        "VALUES (1, 1, 't', 'n', 'n')"
    )
    db.execute("DELETE FROM users")
    assert db.execute("SELECT count(*) FROM recipes").fetchone()[0] == 0
