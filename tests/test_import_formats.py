"""Moving in from other apps: each app's export (tests/fixtures/formats/, packed by
tests/format_fixtures.py) is read field by field, through the CLI, the Import page and the
API; macOS metadata is never a failure; re-importing adds nothing; a file that is no
export writes nothing and names the formats we read."""

from __future__ import annotations

import io
import sqlite3
import time

import pytest

from recipes.importing.errors import BadFile
from recipes.importing.files import read_file
from tests.support.format_fixtures import KINDS, build, paprika_entry, zipped
from tests.test_import_web import count

G = "ingredient_groups"


def read(kind: str) -> list:
    name, data = build(kind)
    return list(read_file(io.BytesIO(data), name))


def fields(entry) -> dict:
    """Every field the recipe carries (defaults left out), plus what the file adds."""
    assert entry.ok, entry.error
    item = entry.item
    data = item.recipe.model_dump(exclude_defaults=True, exclude_none=True)
    data.pop("ingredients", None)  # the flat copy of the groups
    data["photo"] = item.photo.content_type if item.photo else None
    data["created"] = item.created_at
    return data


EXPECTED = {
    "mealie-backup": [
        {
            "title": "Fresh Pasta",
            "description": "Silky egg pasta, rolled by hand.",
            G: [
                {"title": "Dough", "ingredients": ["2 cups flour, sifted",
                 "3 eggs, at room temperature", "1/2 tsp salt"]},
                {"title": "To serve", "ingredients": ["40 g parmesan, finely grated"]},
            ],
            "instructions": [
                "Mound the flour, break the eggs into the centre and add the salt.",
                "Knead for 10 minutes, then rest for 30.",
                "Cooking: Boil in salted water for 3 minutes.",
            ],
            "servings": "4 servings",
            "prep_time": 45, "cook_time": 3, "total_time": 75,
            "tags": ["Pasta", "Italian", "Weekend"],
            "category": "Main course",
            "source_url": "https://pasta.example.com/fresh",
            "notes": "Storage: Dry the nests for a day to keep them a month.",
            "rating": 5,
            "nutrition": {"calories": "410 kcal", "fatContent": "9 g", "proteinContent": "15 g",
                          "carbohydrateContent": "66 g", "sodiumContent": "320 mg"},
            "photo": "image/webp",
            "created": "2023-03-04T10:20:30.000000Z",
        },
        {
            "title": "Grandma's Soup",
            G: [{"ingredients": ["2 carrots, diced", "1 onion, chopped"]}],
            "instructions": ["Simmer everything for 40 minutes."],
            "servings": "6 servings",
            "cook_time": 40, "total_time": 40,
            "category": "Main course",
            "rating": 4,
            "photo": None,
            "created": "2022-11-01T08:00:00.000000Z",
        },
    ],
    "mealie-v0": [
        {
            "title": "Banana Bread",
            "description": "Moist and easy.",
            G: [
                {"title": "Batter", "ingredients": ["3 ripe bananas, mashed", "3/4 cup sugar"]},
                {"title": "Topping", "ingredients": ["1 tbsp demerara sugar"]},
            ],
            "instructions": ["Heat the oven to 175 °C.",
                             "Mix, pour into a tin and bake for 1 hour."],
            "servings": "1 loaf",
            "prep_time": 15, "cook_time": 60, "total_time": 75,
            "tags": ["Snack", "Freezer friendly"],
            "category": "Baking",
            "source_url": "https://bakery.example.org/banana-bread",
            "notes": "Tip: The blacker the bananas, the better.",
            "rating": 4,
            "nutrition": {"calories": "250 kcal", "fatContent": "8 g", "sugarContent": "20 g"},
            "photo": "image/jpeg",
            "created": "2021-06-01T00:00:00.000000Z",
        }
    ],
    "tandoor": [
        {
            "title": "Chickpea Curry",
            "description": "A quick weeknight curry.",
            G: [
                {"title": "Base", "ingredients": ["2 onions, finely chopped", "1 tablespoon oil",
                 "2 teaspoons garam masala"]},
                {"title": "Curry", "ingredients": ["400 g chickpeas, drained",
                 "1 can coconut milk"]},
                {"title": "To finish", "ingredients": ["salt, to taste"]},
            ],
            "instructions": [
                "Fry the onion in the oil until golden.",
                "Add the spices and stir for a minute.",
                "Add the chickpeas and coconut milk; simmer for 15 minutes.",
            ],
            "servings": "4 portions",
            "prep_time": 10, "cook_time": 15, "total_time": 25,
            "tags": ["vegan", "curry"],
            "source_url": "https://curry.example.net/chickpea",
            "nutrition": {"calories": "390 kcal", "carbohydrateContent": "45 g",
                          "fatContent": "18.5 g", "proteinContent": "12 g"},
            "photo": "image/png",
            "created": None,
        }
    ],
    "nextcloud": [
        {
            "title": "Lemon Tart",
            "description": "Sharp, silky lemon curd in a crisp shell.",
            G: [{"ingredients": ["200 g plain flour", "100 g cold butter, diced",
                 "4 lemons, zest and juice", "150 g caster sugar", "4 eggs"]}],
            "instructions": ["Make the pastry and blind bake it for 15 minutes.",
                             "Whisk the curd ingredients, pour in and bake for 25 minutes."],
            "servings": "8 servings",
            "prep_time": 30, "cook_time": 40, "total_time": 70,
            "tags": ["citrus", "baking", "french"],
            "category": "Dessert",
            "source_url": "https://tarts.example.com/lemon",
            "image_url": "https://tarts.example.com/lemon.jpg",
            "notes": "Tools: tart tin (23 cm), baking beans",
            "nutrition": {"calories": "320 kcal", "fatContent": "14 g"},
            "photo": "image/jpeg",
            "created": "2022-02-03T04:05:06.000000Z",
        }
    ],
    "paprika": [
        {
            "title": title,
            G: [{"ingredients": ["1 cup rice", "2 cups water"]}],
            "instructions": ["Simmer for 18 minutes."],
            "tags": ["Sides"],
            "rating": 3,
            "photo": "image/png",
            "created": "2020-01-02T03:04:05.000000Z",
        }
        for title in ("Rice", "Porridge")
    ],
    "copymethat": [
        {
            "title": "Shakshuka",
            "description": "Eggs poached in a spiced tomato sauce.",
            G: [
                {"title": "Sauce", "ingredients": ["1 tbsp olive oil",
                 "1 can (400 g) chopped tomatoes", "1 tsp ground cumin"]},
                {"title": "To finish", "ingredients": ["4 eggs"]},
            ],
            "instructions": [
                "Warm the oil and cumin, add the tomatoes and simmer for 15 minutes.",
                "Make four wells, crack in the eggs, cover and cook for 8 minutes.",
            ],
            "servings": "2 servings",
            "prep_time": 10, "cook_time": 25, "total_time": 35,
            "tags": ["Breakfast", "Vegetarian"],
            "source_url": "https://eggs.example.com/shakshuka",
            "notes": "Feta on top is good too.\n\nMade it: Made this 3 times",
            "rating": 4,
            "photo": "image/jpeg",
            "created": None,
        },
        {
            "title": "Plain Rice & Peas",
            G: [{"ingredients": ["1 cup rice", "1 cup peas"]}],
            "instructions": ["Cook together for 18 minutes."],
            "photo": None,
            "created": None,
        },
    ],
    "plantoeat": [
        {
            "title": "Tomato Soup",
            "description": "A bright summer soup.",
            G: [
                {"title": "Soup", "ingredients": ["1 kg ripe tomatoes, halved", "1 onion, sliced"]},
                {"title": "Garnish", "ingredients": ["basil leaves"]},
            ],
            "instructions": ["Roast the tomatoes and onion for 25 minutes.",
                             "Blend with a little water and season."],
            "servings": "4 servings",
            "prep_time": 10, "cook_time": 30, "total_time": 40,
            "tags": ["summer", "quick", "Tomato"],
            "category": "Soup",
            "cuisine": "Italian",
            "source_url": "https://soup.example.com/tomato",
            "image_url": "https://images.example.com/soup.jpg",
            "notes": "Source: Aunt Ann",
            "rating": 4,
            "nutrition": {"calories": "180 kcal", "fatContent": "6 g",
                          "saturatedFatContent": "1 g", "cholesterolContent": "0 mg",
                          "sodiumContent": "600 mg", "sugarContent": "9 g",
                          "carbohydrateContent": "24 g", "fiberContent": "5 g",
                          "proteinContent": "4 g"},
            "photo": None,
            "created": "2021-09-10T12:30:00.000000Z",
        }
    ],
    "myrecipebox": [
        {
            "title": "Oat Cookies",
            "description": "Chewy oat cookies.",
            G: [{"ingredients": ["100 g butter", "100 g brown sugar", "150 g oats", "1 egg"]}],
            "instructions": ["Cream the butter and sugar.", "Beat in the egg, then the oats.",
                             "Bake spoonfuls at 180 °C for 12 minutes."],
            "servings": "24 cookies",
            "prep_time": 15, "cook_time": 12, "total_time": 27,  # prep + cook, as on every save
            "tags": ["biscuits", "kids"],
            "category": "Baking",
            "source_url": "https://cookies.example.com/oat",
            "image_url": "https://cookies.example.com/oat.jpg",
            "notes": "Keep in a tin.",
            "rating": 5,
            "photo": None,
            "created": None,
        }
    ],
    "recipekeeper": [
        {
            "title": "Red Lentil Dal",
            "description": "Comfort in a bowl.",
            G: [
                {"ingredients": ["250 g red lentils, rinsed", "1 onion, chopped"]},
                {"title": "Tarka", "ingredients": ["2 tbsp ghee", "1 tsp cumin seeds"]},
            ],
            "instructions": ["Simmer the lentils and onion in 1 litre of water for 25 minutes.",
                             "Fry the cumin in the ghee and pour over."],
            "servings": "4 servings",
            "prep_time": 10, "cook_time": 30, "total_time": 40,
            "tags": ["Indian", "Vegan", "Favourite"],
            "category": "Main",
            "source_url": "https://dal.example.com/red-lentil",
            "notes": "Freezes well.",
            "rating": 5,
            "nutrition": {"servingSize": "1 bowl", "calories": "340 kcal", "fatContent": "12 g",
                          "proteinContent": "18 g"},
            "photo": "image/jpeg",
            "created": None,
        }
    ],
    "chowdown": [
        {
            "title": "Buttermilk Pancakes",
            "description": "Sunday morning pancakes, the fluffy kind.",
            G: [
                {"ingredients": ["2 cups flour", "2 tbsp sugar", "2 cups buttermilk"]},
                {"title": "For serving", "ingredients": ["maple syrup"]},
            ],
            "instructions": ["Whisk the dry ingredients.",
                             "Stir in the buttermilk; leave the lumps.",
                             "Cook on a hot griddle until bubbles form, then flip."],
            "tags": ["breakfast", "sweet"],
            "notes": "Photo credit: https://photos.example.com/pancakes",
            "photo": "image/jpeg",
            "created": None,
        }
    ],
    "collection": [
        {
            "title": "Apple Crumble",
            G: [
                {"ingredients": ["6 medium Apples, peeled and sliced", "1/2 cup Sugar",
                 "1 tsp Cinnamon"]},
                {"title": "Topping", "ingredients": ["1 1/2 cups Flour",
                 "1/2 cup Butter, cold cut into cubes"]},
            ],
            "instructions": [
                "Heat the oven to 190 C. Toss the apples with the sugar and cinnamon and put "
                "them in a dish.",
                "Rub the butter into the flour and scatter over the apples. Bake for 40 minutes.",
            ],
            "servings": "6 servings",
            "tags": ["Fruit"],
            "category": "Desserts",
            "photo": None,
            "created": None,
        },
        {
            "title": "Garlic Bread",
            G: [{"ingredients": ["1 Baguette", "4 Garlic cloves, crushed", "4 tbsp Butter, soft"]}],
            "instructions": ["Mix the garlic and butter, spread into the cut loaf and bake for "
                             "10 minutes."],
            "servings": "4 servings",
            "category": "Breads",
            "photo": None,
            "created": None,
        },
    ],
    "roast": [
        {
            "title": "Roast Chicken",
            G: [{"ingredients": ["1 chicken (1.5 kg)", "2 tablespoons butter, softened",
                 "1 lemon, halved"]}],
            "instructions": ["Rub the chicken with the butter and put the lemon inside.",
                             "Roast at 200 C for 1 hour 20 minutes, then rest for 10."],
            "servings": "4 servings",
            "prep_time": 90, "total_time": 90,
            "tags": ["Sunday"],
            "category": "Poultry",
            "notes": "Recipe by: Jane Cook\n\nSave the bones for stock.",
            "photo": None,
            "created": None,
        }
    ],
    "risotto": [
        {
            "title": "Mushroom Risotto",
            G: [
                {"ingredients": ["1 l vegetable stock"]},
                {"title": "Risotto", "ingredients": ["1 onion, finely chopped", "30 g butter",
                 "160 g arborio rice", "1/2 cup parmesan", "salt"]},
            ],
            "instructions": [
                "Warm vegetable stock in a saucepan.",
                "Fry onion in butter for 5 minutes. Add arborio rice and stir, then add the "
                "stock a ladle at a time for 18 minutes.",
                "Stir in parmesan and season with salt.",
            ],
            "servings": "2 servings",
            "total_time": 40,
            "tags": ["vegetarian", "rice"],
            "category": "Main",
            "source_url": "https://risotto.example.com/mushroom",
            "notes": "Use good stock: it is most of the flavour.",
            "photo": None,
            "created": None,
        }
    ],
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_export_is_read_field_by_field(kind):
    label, count = KINDS[kind]
    entries = read(kind)
    assert [entry.format for entry in entries] == [label] * count
    assert [fields(entry) for entry in entries] == EXPECTED[kind]


def test_mac_metadata_is_skipped_silently():
    entries = read("paprika")
    assert [e.name for e in entries] == ["Rice", "Porridge"]
    assert all(e.ok for e in entries)


def test_a_non_export_writes_nothing_and_names_the_formats(
    app, auth, runner, tmp_path, data_dir, monkeypatch
):
    auth.register()
    monkeypatch.setenv("RECIPES_DATA_DIR", str(data_dir))
    junk = tmp_path / "holiday.zip"
    junk.write_bytes(zipped({"notes.txt": b"buy milk", "photo.jpg": b"\xff\xd8\xff junk"}))
    from recipes.cli import cli

    result = runner.invoke(cli, ["import", str(junk)])
    assert result.exit_code == 1
    names = ["Mealie", "Tandoor", "Nextcloud", "Paprika", "Copy Me That", "Plan to Eat",
             "My Recipe Box", "Recipe Keeper", "Chowdown", "MealMaster", "Cooklang"]  # fmt: skip
    for name in names:
        assert name in result.output
    assert count(app) == 0
    with pytest.raises(BadFile, match="We read: Mealie"):
        list(read_file(io.BytesIO(b"just some words"), "notes.txt"))


def test_one_bad_recipe_never_stops_the_rest():
    broken_tandoor = zipped({"recipe.json": b'{"name": "Broken", "steps": [], "keywords": []}'})
    upload = zipped({
        "2.zip": broken_tandoor,
        "3.zip": b"PK\x03\x04 not really a zip",
        "Rice.paprikarecipe": paprika_entry("Rice"),
        "Bad.paprikarecipe": b"\x1f\x8b broken gzip",
    })  # fmt: skip
    entries = list(read_file(io.BytesIO(upload), "mixed.zip"))
    good = [e.name for e in entries if e.ok]
    bad = {e.name: e.error for e in entries if not e.ok}
    assert good == ["Rice"]
    assert "no recipe found" in bad["2.zip: Broken"]
    assert "zip" in bad["3.zip"] and "Bad.paprikarecipe" in bad


def test_every_format_through_the_cli_twice_without_duplicates(
    app, auth, runner, tmp_path, data_dir, monkeypatch
):
    auth.register()
    monkeypatch.setenv("RECIPES_DATA_DIR", str(data_dir))
    from recipes.cli import cli

    paths = []
    for kind in sorted(KINDS):
        _, data = build(kind)
        path = tmp_path / f"{kind}-export"  # no telling suffix: the content decides
        path.write_bytes(data)
        paths.append(str(path))
    expected = sum(n for _, n in KINDS.values())
    first = runner.invoke(cli, ["import", *paths])
    assert first.exit_code == 0, first.output
    assert f"{expected} imported, 0 skipped as duplicates, 0 failed" in first.output
    for kind, (label, n) in KINDS.items():
        assert f"{kind}-export: Read as {label}: {n} imported" in first.output
    again = runner.invoke(cli, ["import", *paths])
    assert f"0 imported, {expected} skipped as duplicates, 0 failed" in again.output, again.output
    assert count(app) == expected
    db = sqlite3.connect(app.config["DATABASE"])
    photos = db.execute("SELECT count(*) FROM recipe_photos").fetchone()[0]
    db.close()
    assert photos == sum(1 for recipes in EXPECTED.values() for r in recipes if r["photo"])


@pytest.fixture
def ann(client, auth):
    assert auth.register().status_code == 302
    return client


def wait(client, location: str) -> dict:
    for _ in range(300):
        state = client.get(location, headers={"Accept": "application/json"}).get_json()
        if state is None:
            state = client.get(location + "?format=json").get_json()
        if state["done"]:
            return state
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def test_the_import_page_names_the_formats(ann):
    page = ann.get("/import").get_data(as_text=True)
    for name in ("Mealie", "Tandoor", "Nextcloud Cookbook", "Copy Me That", "Cooklang"):
        assert name in page


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_format_through_the_import_page(app, ann, kind):
    label, n = KINDS[kind]
    name, data = build(kind)
    response = ann.post("/import/file", data={"file": (io.BytesIO(data), name)})
    assert response.status_code == 303
    state = wait(ann, response.headers["Location"])
    assert (state["imported"], state["failed"], state["formats"]) == (n, 0, [label]), state
    assert count(app) == n


def test_every_format_through_the_api(app, ann):
    total = 0
    for kind in sorted(KINDS):
        label, n = KINDS[kind]
        name, data = build(kind)
        response = ann.post("/api/v1/imports", data={"file": (io.BytesIO(data), name)},
                            headers={"X-CSRFToken": "x"})  # fmt: skip
        assert response.status_code == 202, response.get_data(as_text=True)
        state = wait(ann, response.headers["Location"])
        assert (state["imported"], state["failed"], state["formats"]) == (n, 0, [label])
        total += n
    assert count(app) == total
    assert ann.get("/api/v1/imports/nosuchjob000000000000").status_code == 404


def test_unpacked_export_folders_through_the_cli(app, auth, runner, data_dir, monkeypatch):
    """Nextcloud Cookbook and Chowdown exports are often folders, not zips."""
    auth.register()
    monkeypatch.setenv("RECIPES_DATA_DIR", str(data_dir))
    from recipes.cli import cli
    from tests.support.format_fixtures import FIXTURES

    folders = [str(FIXTURES / "nextcloud"), str(FIXTURES / "chowdown")]
    result = runner.invoke(cli, ["import", *folders])
    assert result.exit_code == 0, result.output
    assert "Read as Nextcloud Cookbook, Chowdown: 2 imported, 0 skipped" in result.output
    db = sqlite3.connect(app.config["DATABASE"])
    titles = {row[0] for row in db.execute("SELECT title FROM recipes")}
    photos = db.execute("SELECT count(*) FROM recipe_photos").fetchone()[0]
    db.close()
    assert titles == {"Lemon Tart", "Buttermilk Pancakes"} and photos == 2
