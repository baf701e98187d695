"""Parsed ingredients stored with recipes: on save, on read, and by the upgrade."""

from __future__ import annotations

import json

from recipes import create_app, store
from recipes.db import connect, migrate, migration_scripts, schema_version
from tests.test_api import make_user

LINES = ["200 g flour", "2 eggs", "1-2 tbsp sugar", "salt"]


def _upgrade_version() -> int:
    return next(v for v, name, _ in migration_scripts() if "ingredients_parsed" in name)


def _quantities(recipe: dict) -> list:
    return [(p["quantity"], p["quantity_max"], p["unit"]) for p in recipe["ingredients_parsed"]]


def test_saved_recipe_carries_its_parsed_lines(app, client):
    ann = make_user(app, "ann")
    body = {"title": "Pancakes", "ingredients": LINES}
    created = client.post("/api/v1/recipes", json=body, headers=ann).get_json()
    assert [p["text"] for p in created["ingredients_parsed"]] == LINES
    assert _quantities(created) == [(200, None, "g"), (2, None, None), (1, 2, "tbsp"),
                                    (None, None, None)]  # fmt: skip
    assert created["ingredients_parsed"][0]["food"] == "flour"

    body["ingredients"] = ["3 cups milk"]
    url = f"/api/v1/recipes/{created['id']}"
    replaced = client.put(url, json=body, headers=ann).get_json()
    assert _quantities(replaced) == [(3, None, "cup")]
    db = connect(app.config["DATABASE"])
    stored = db.execute("SELECT ingredients_parsed FROM recipes").fetchone()[0]
    assert json.loads(stored) == [["milk", None, [[3, None, "cup"]]]]  # [food, note, amounts]


def test_groups_are_parsed_in_display_order(app, client):
    ann = make_user(app, "ann")
    body = {
        "title": "Cake",
        "ingredient_groups": [
            {"title": "Sponge", "ingredients": ["100 g butter"]},
            {"title": "Icing", "ingredients": ["50 g icing sugar"]},
        ],
    }
    created = client.post("/api/v1/recipes", json=body, headers=ann).get_json()
    assert [p["food"] for p in created["ingredients_parsed"]] == ["butter", "icing sugar"]


def test_upgrade_parses_every_existing_recipe(tmp_path):
    path = tmp_path / "data" / "recipes.sqlite3"
    path.parent.mkdir()
    db = connect(path)
    migrate(db, target=_upgrade_version() - 1)
    db.execute("INSERT INTO users (username, password_hash, created_at) VALUES ('old', 'x', '')")
    for n in range(5):
        db.execute(
            "INSERT INTO recipes (user_id, title, ingredient_groups, created_at, updated_at) "
            "VALUES (1, ?, ?, '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')",
            (f"Old {n}", json.dumps([{"title": None, "ingredients": [f"{n + 1} cups rice"]}])),
        )
    db.commit()
    db.close()

    app = create_app({"DATA_DIR": str(path.parent)})
    db = connect(app.config["DATABASE"])
    assert schema_version(db) >= _upgrade_version()
    rows = db.execute("SELECT ingredients_parsed FROM recipes ORDER BY id").fetchall()
    assert [json.loads(r[0])[0][2] for r in rows] == [[[n, None, "cup"]] for n in range(1, 6)]


def test_upgrade_rewrites_named_field_entries_compactly(tmp_path):
    """Before 0015 each line was stored as an object with named fields (150 bytes a line)."""
    path = tmp_path / "data" / "recipes.sqlite3"
    path.parent.mkdir()
    db = connect(path)
    compact = next(v for v, name, _ in migration_scripts() if "derived_versions" in name)
    migrate(db, target=compact - 1)
    db.execute("INSERT INTO households (id, name, created_at) VALUES (1, 'Home', '')")
    db.execute(
        "INSERT INTO users (username, password_hash, created_at, household_id) "
        "VALUES ('old', 'x', '', 1)"
    )
    named = {"quantity": 2, "quantity_max": None, "unit": "cup", "food": "rice", "note": None}
    db.execute(
        "INSERT INTO recipes (user_id, household_id, title, ingredient_groups, "
        "ingredients_parsed, created_at, updated_at) VALUES (1, 1, 'Rice', ?, ?, ?, ?)",
        (
            json.dumps([{"title": None, "ingredients": ["2 cups rice"]}]),
            json.dumps(
                [{**named, "amounts": [{"quantity": 2, "quantity_max": None, "unit": "cup"}]}]
            ),
            "2020-01-01T00:00:00Z",
            "2020-01-01T00:00:00Z",
        ),
    )
    db.commit()
    db.close()

    app = create_app({"DATA_DIR": str(path.parent)})
    db = connect(app.config["DATABASE"])
    stored = db.execute("SELECT ingredients_parsed FROM recipes").fetchone()[0]
    assert json.loads(stored) == [["rice", None, [[2, None, "cup"]]]]
    recipe = store.get_recipe(db, 1, 1)
    assert recipe is not None and recipe.ingredients_parsed[0].model_dump() == {
        **named,
        "text": "2 cups rice",
        "amounts": [{"quantity": 2, "quantity_max": None, "unit": "cup"}],
    }


def test_a_row_not_yet_parsed_is_parsed_on_read(app):
    db = connect(app.config["DATABASE"])
    db.execute("INSERT INTO households (id, name, created_at) VALUES (1, 'Home', '')")
    db.execute(
        "INSERT INTO users (username, password_hash, created_at, household_id) "
        "VALUES ('old', 'x', '', 1)"
    )
    db.execute(
        "INSERT INTO recipes (user_id, household_id, title, ingredient_groups, created_at, "
        "updated_at) VALUES (1, 1, 'Soup', ?, '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')",
        (json.dumps([{"title": None, "ingredients": ["1 leek", "500 ml stock"]}]),),
    )
    db.commit()
    recipe = store.get_recipe(db, 1, 1)
    assert recipe is not None
    assert [(p.quantity, p.unit) for p in recipe.ingredients_parsed] == [(1, None), (500, "ml")]
    assert store.parse_stored_ingredients(db) == 1
    assert store.parse_stored_ingredients(db) == 0


def test_an_entry_in_another_form_is_parsed_again():
    from recipes.ingredients.stored import loads

    for stored in ('[{"unit": "cup"}]', '[["rice", null]]', "[5]"):
        assert [(p.quantity, p.unit, p.food) for p in loads(["2 cups rice"], stored)] == [
            (2, "cup", "rice")
        ]


DAMAGED = [
    "not json",
    '[["rice", null, [[2, null]]]]',  # an amount of two values
    '[["rice", null, [["two", null, "cup"]]]]',  # a quantity that is no number
    '[["rice", null, 7]]',  # amounts that are no list
    '[["rice", null, ["ab"]]]',
]


def test_a_damaged_entry_is_parsed_again_wherever_it_is_read(app, client):
    ann = make_user(app, "ann")
    body = {"title": "Rice", "ingredients": ["2 cups rice"]}
    recipe_id = client.post("/api/v1/recipes", json=body, headers=ann).get_json()["id"]
    db = connect(app.config["DATABASE"])
    expected = [{"text": "2 cups rice", "quantity": 2.0, "quantity_max": None, "unit": "cup",
                 "food": "rice", "note": None,
                 "amounts": [{"quantity": 2.0, "quantity_max": None, "unit": "cup"}]}]  # fmt: skip
    for stored in DAMAGED:
        db.execute("UPDATE recipes SET ingredients_parsed = ?", (stored,))
        db.commit()
        one = client.get(f"/api/v1/recipes/{recipe_id}", headers=ann)
        listed = client.get("/api/v1/recipes?q=rice", headers=ann)
        assert (one.status_code, listed.status_code) == (200, 200), stored
        assert one.get_json()["ingredients_parsed"] == expected, stored
        assert listed.get_json()["items"][0]["ingredients_parsed"] == expected, stored


def test_parses_made_by_another_model_are_made_again(app, monkeypatch):
    ann = make_user(app, "ann")
    client = app.test_client()
    client.post(
        "/api/v1/recipes", json={"title": "Rice", "ingredients": ["2 cups rice"]}, headers=ann
    )
    db = connect(app.config["DATABASE"])
    assert store.refresh_parsed_ingredients(db) is False  # made by this very parser
    db.execute("UPDATE recipes SET ingredients_parsed = '[[\"stale\", null, []]]'")
    db.commit()
    monkeypatch.setattr(store.parsed_lines, "version", lambda: "2:another-model")
    assert store.refresh_parsed_ingredients(db) is True
    assert store.parse_stored_ingredients(db) == 1
    stored = db.execute("SELECT ingredients_parsed FROM recipes").fetchone()[0]
    assert json.loads(stored) == [["rice", None, [[2, None, "cup"]]]]
    assert store.refresh_parsed_ingredients(db) is False


def test_lines_are_parsed_before_the_write_lock_is_taken(app, monkeypatch):
    # Parsing is the costly part of a save; inside BEGIN IMMEDIATE it would hold every
    # other writer (a second worker, a phone syncing) waiting for it.
    from recipes.ingredients import stored
    from recipes.models import RecipeIn

    db = connect(app.config["DATABASE"])
    db.execute("INSERT INTO households (id, name, created_at) VALUES (1, 'Home', '')")
    user = db.execute(
        "INSERT INTO users (username, password_hash, created_at, household_id) "
        "VALUES ('cook', 'x', '', 1)"
    ).lastrowid
    locked_while_parsing = []
    parse = stored.dumps
    monkeypatch.setattr(
        stored,
        "dumps",
        lambda *args: locked_while_parsing.append(db.in_transaction) or parse(*args),
    )
    data = RecipeIn(title="Soup", ingredients=["1 leek", "500 ml stock"])
    recipe_id = store.create_recipe(db, 1, data, by=user)
    store.update_recipe(db, 1, recipe_id, data.model_copy(update={"title": "Leek soup"}), by=user)
    assert locked_while_parsing == [False, False]
    recipe = store.get_recipe(db, 1, recipe_id)
    assert recipe is not None and recipe.title == "Leek soup"
    assert [(p.quantity, p.unit) for p in recipe.ingredients_parsed] == [(1, None), (500, "ml")]
