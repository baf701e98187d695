from types import SimpleNamespace

import pytest

from recipes.db import connect
from recipes.models import RecipeIn
from recipes.search import fts_query, search_recipes
from recipes.store import create_recipe
from recipes.users import create_user


@pytest.fixture
def db(app):
    db = connect(app.config["DATABASE"])
    user = create_user(db, "ann", "correct horse 1")
    other = create_user(db, "bob", "correct horse 2")
    recipes = [
        RecipeIn(title="Crème brûlée", ingredients=["4 egg yolks", "cream"], tags=["dessert"]),
        RecipeIn(title="Roast chicken", ingredients=["1 chicken", "salt"], instructions=["Roast"]),
        RecipeIn(
            title="Salad",
            ingredients=["lettuce"],
            description="Good with roast chicken",
            notes="Use crème fraîche",
        ),  # fmt: skip
        RecipeIn(title="Tomato soup", ingredients=["tomatoes"], tags=["soup", "winter"]),
    ]
    for recipe in recipes:
        create_recipe(db, user.household_id, recipe, by=user.id)
    create_recipe(db, other.household_id, RecipeIn(title="Bob's chicken pie"), by=other.id)
    return SimpleNamespace(conn=db, household_id=user.household_id)


def titles(db, text, **kw):
    return [item["title"] for item in search_recipes(db.conn, db.household_id, text, **kw).items]


def test_prefix_matching_as_you_type(db):
    assert titles(db, "chick") == ["Roast chicken", "Salad"]
    assert titles(db, "tom") == ["Tomato soup"]


def test_title_matches_rank_first(db):
    assert titles(db, "chicken")[0] == "Roast chicken"


def test_case_and_accents_fold(db):
    assert titles(db, "creme brulee") == ["Crème brûlée"]
    assert titles(db, "CRÈME") == ["Crème brûlée", "Salad"]


def test_all_words_must_match(db):
    assert titles(db, "roast salt") == ["Roast chicken"]


def test_searches_tags_and_filters(db):
    assert titles(db, "winter") == ["Tomato soup"]
    assert titles(db, "chicken", tag="nope") == []


def test_never_sees_other_users(db):
    assert "Bob's chicken pie" not in titles(db, "pie chicken")
    assert titles(db, "pie") == []


def test_snippets_are_highlighted(db):
    item = search_recipes(db.conn, db.household_id, "fraiche").items[0]
    assert "\x02fraîche\x03" in item["snippet"]


ODD = [
    '"',
    '""',
    "'",
    "*",
    "chick*",
    "-chicken",
    "NOT",
    "AND",
    "OR chicken",
    "chicken NEAR salt",
    "NEAR(chicken salt)",
    "(((",
    ")",
    "title:chicken",
    "^chicken",
    "{title}: x",
    "x" * 10_000,
    "chicken " * 2000,
    "😀🍗",
    "🍗 chicken",
    "\x00",
    "\u202e",
    "%",
    "_",
    "a_b",
    "\\",
    "' OR 1=1 --",
    "'; DROP TABLE recipes; --",
    "chicken)",
    "col:",
    "+",
    "@",
    "1e999",
    "ñ",
    "中文",
]


@pytest.mark.parametrize("text", ODD)
def test_odd_queries_are_never_errors(db, text):
    search_recipes(db.conn, db.household_id, text)
    assert fts_query(text) is None or fts_query(text).count('"') % 2 == 0


def test_odd_queries_through_the_page(client, auth):
    auth.register()
    for text in ODD:
        response = client.get("/search", query_string={"q": text})
        assert response.status_code == 200, text


def test_search_page_shows_results(client, auth):
    auth.register()
    client.post("/recipes/new", data={"title": "Chicken curry", "ingredients": "chicken"})
    html = client.get("/search?q=chick").get_data(as_text=True)
    assert "1 match" in html and "<mark>Chicken</mark>" in html
    partial = client.get("/search?q=chick&partial=1").get_data(as_text=True)
    assert "<html" not in partial and "Chicken curry" in partial


def test_stored_markup_in_snippets_is_escaped(client, auth):
    auth.register()
    client.post("/recipes/new", data={"title": "<b>bold</b> soup", "notes": "<script>x</script>"})
    html = client.get("/search?q=soup").get_data(as_text=True)
    assert "<b>bold</b>" not in html and "&lt;b&gt;" in html
