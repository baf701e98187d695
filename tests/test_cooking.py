"""Scaling lines, temperatures and timers in steps, the cooking log, and the pages and API."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from recipes.cooking import log
from recipes.cooking.scaling import Scale, scale_line, servings_base, servings_text
from recipes.cooking.steps import step_pieces, step_text, unnumbered
from recipes.db import get_db


@pytest.mark.parametrize(
    ("text", "base"),
    [("4 servings", 4), ("Makes 12 cookies", 12), ("6-8", 6), ("Serves 2 to 3", 2), ("", None)],
)
def test_servings_base(text, base):
    assert servings_base(text) == base


def test_servings_text_scales_ranges():
    assert servings_text("Serves 6-8", 2) == "Serves 12–16"
    assert servings_text("Makes 12 cookies", 0.5) == "Makes 6 cookies"


@pytest.mark.parametrize(
    ("line", "scale", "expected"),
    [
        ("2 cups flour, sifted", Scale(4, 8), "4 cups flour, sifted"),
        ("2 cups flour, sifted", Scale(4, 8, "metric"), "945 ml flour, sifted"),
        ("1-2 tbsp olive oil", Scale(4, 8), "2–4 tbsp olive oil"),
        ("160 g (2/3 cup) milk", Scale(4, 8), "320 g (1 ⅓ cups) milk"),
        ("1 (14 oz) can tomatoes", Scale(4, 8), "2 (14 oz) can tomatoes"),
        ("3 cloves garlic", Scale(4, 2), "1 ½ cloves garlic"),
        ("salt to taste", Scale(4, 12, "metric"), "salt to taste"),
        ("16 tbsp butter", Scale(2, 6), "3 cups butter"),
        ("1500 g potatoes", Scale(1, None, "metric"), "1.5 kg potatoes"),
        ("2 lb chicken", Scale(4, 4, "metric"), "905 g chicken"),
        # A bare count names its food in the number it calls for; other words stay.
        ("1 lemon, zested", Scale(4, 8), "2 lemons, zested"),
        ("2 large eggs", Scale(4, 2), "1 large egg"),
        ("1 large red onion, diced (1 cup)", Scale(2, 6), "3 large red onions, diced (3 cups)"),
        ("1-2 Leeks", Scale(4, 8), "2–4 Leeks"),
        ("4 potatoes", Scale(4, 1), "1 potato"),
        ("1 Zwiebel", Scale(1, 2), "2 Zwiebel"),
    ],
)
def test_scale_line(line, scale, expected):
    assert scale_line(line, None, scale) == expected


@pytest.mark.parametrize(
    ("words", "food", "many", "expected"),
    [
        (" leeks, sliced", "leek", False, " leek, sliced"),  # the food named either way
        (" leek", "Leeks", True, " leeks"),
        ("red onion", "red onion", True, "red onions"),
        (" Lemon (zest only)", "lemon", True, " Lemons (zest only)"),
        (" Zwiebel", "Zwiebel", True, " Zwiebel"),  # not an English count noun
        (" garlic, or 1 lemon", "lemon", True, " garlic, or 1 lemon"),  # past the comma
    ],
)
def test_a_count_noun_agrees_with_its_number(words, food, many, expected):
    from recipes.ingredients.words import counted_in

    assert counted_in(words, food, many) == expected


def test_temperatures_in_both_scales_and_timers():
    assert step_text("Bake at 350°F until golden.") == "Bake at 350°F (175°C) until golden."
    assert step_text("Roast at 200 C.") == "Roast at 200°C (400°F)."
    assert step_text("Heat to 220°C (425°F).") == "Heat to 220°C (425°F)."
    pieces = step_pieces("Bake for 25 minutes, then rest 1–2 hours at 180°C.")
    timers = [(p.text, p.seconds) for p in pieces if p.kind == "timer"]
    assert timers == [("25 minutes", 1500), ("1–2 hours", 3600)]
    assert [p.text for p in pieces if p.kind == "temperature"] == ["180°C (350°F)"]
    assert "".join(p.text for p in pieces).startswith("Bake for 25 minutes, then rest")


@pytest.mark.parametrize(
    ("steps", "shown"),
    [
        (["1 Mix the flour.", "2 Bake it."], ["Mix the flour.", "Bake it."]),
        (["1. Mix.", "2) Rest.", "3 - Bake."], ["Mix.", "Rest.", "Bake."]),
        (["Step 1: Mix.", "Step 2: Bake."], ["Mix.", "Bake."]),
        (["1 hour before, soften the butter.", "Beat it with sugar."], None),
        (["2 eggs go in first.", "1 cup milk after."], None),
        (["1. Mix."], None),
    ],
)
def test_steps_that_number_themselves_are_shown_without_their_numbers(steps, shown):
    assert unnumbered(steps) == (shown or steps)


def test_the_recipe_page_and_cook_mode_number_a_step_once(client, auth):
    auth.register()
    auth.login()
    steps = "1 Whisk the eggs.\n2 Fry them for 3 minutes."
    created = client.post("/recipes/new", data={"title": "Eggs", "instructions": steps})
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    shown = page[page.index('id="instructions-h"') :]
    assert "<li>Whisk the eggs.</li>" in shown and "1 Whisk" not in shown
    cook_page = client.get(created.headers["Location"] + "/cook").get_data(as_text=True)
    shown = cook_page[cook_page.index('id="cook-steps-h"') :]
    assert '<p class="step-text">Whisk the eggs.</p>' in shown and "1 Whisk" not in shown
    # The recipe is stored as written: the API gives the steps with their numbers.
    api = client.get("/api/v1/recipes/" + created.headers["Location"].rsplit("/", 1)[1])
    assert api.get_json()["instructions"][0] == "1 Whisk the eggs."


@pytest.fixture
def cook(client, auth):
    auth.register()
    auth.login()
    response = client.post(
        "/recipes/new",
        data={
            "title": "Cookies",
            "servings": "Makes 12 cookies",
            "ingredients": "2 cups flour\n48 tsp sugar\n3 eggs\nsalt",
            "instructions": "Preheat the oven to 350°F.\nBake for 12 minutes.",
            "prep_time": "10",
            "cook_time": "12",
        },
    )
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _items(html: str) -> list[str]:
    return re.findall(r"<li>([^<]*)</li>", html)


def test_recipe_page_scales_converts_and_remembers_units(client, cook):
    html = client.get(f"/recipes/{cook}?servings=24&units=metric").get_data(as_text=True)
    assert _items(html)[:4] == ["945 ml flour", "475 ml sugar", "6 eggs", "salt"]
    assert "Makes 24 cookies" in html
    assert "350°F (175°C)" in html
    html = client.get(f"/recipes/{cook}").get_data(as_text=True)  # metric remembered
    assert _items(html)[:2] == ["475 ml flour", "235 ml sugar"]
    html = client.get(f"/recipes/{cook}?units=original&set=6").get_data(as_text=True)
    assert _items(html)[:3] == ["1 cup flour", "½ cup sugar", "1 ½ eggs"]
    html = client.get(f"/recipes/{cook}").get_data(as_text=True)
    assert _items(html)[:2] == ["2 cups flour", "48 tsp sugar"]  # as written again
    assert "Total" in html and "22 min" in html  # prep + cook


def test_cook_mode_has_timers_and_ticks(client, cook):
    html = client.get(f"/recipes/{cook}/cook?servings=6").get_data(as_text=True)
    assert 'data-timer="720"' in html
    assert re.findall(r"<span>([^<]*)</span>", html)[:2] == ["1 cup flour", "½ cup sugar"]
    assert html.count("data-tick=") == 4
    assert "cook.js" in html and "<script>" not in html
    assert '<p class="muted">Makes 6 cookies (×0.5)</p>' in html
    soup = client.post("/recipes/new", data={"title": "Soup", "servings": "4"})
    page = client.get(soup.headers["Location"] + "/cook").get_data(as_text=True)
    assert '<p class="muted">Serves 4</p>' in page  # a bare number, not a lone "4"


def test_i_made_this(client, app, cook):
    day = date.today() - timedelta(days=1)
    response = client.post(
        f"/recipes/{cook}/cooked", data={"cooked_on": day.isoformat(), "rating": "4", "note": "ok"}
    )
    assert response.status_code == 302
    html = client.get(f"/recipes/{cook}").get_data(as_text=True)
    assert f"Made 1 time, last on {day.strftime('%-d %b %Y')}" in html
    future = (date.today() + timedelta(days=3)).isoformat()
    response = client.post(
        f"/recipes/{cook}/cooked", data={"cooked_on": future, "note": "kept text"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "cannot be in the future" in page and "kept text</textarea>" in page
    assert re.search(r"<title>Error: [^<]*</title>", page)
    # The page came back from a POST-only address: its scale buttons still GET the recipe.
    assert f'action="/recipes/{cook}" data-scale-form' in page
    assert '/cooked" data-scale-form' not in page
    assert "<title>Error:" not in client.get(f"/recipes/{cook}").get_data(as_text=True)
    with app.app_context():
        stats = log.cooking_stats(get_db(), 1, cook)
        assert (stats.times, stats.last_cooked) == (1, day)


def test_record_cooked_checks_the_owner(client, app, auth, cook):
    auth.logout()
    auth.register("bob")
    with app.app_context():
        bob = get_db().execute("SELECT id FROM users WHERE username = 'bob'").fetchone()[0]
        assert log.record_cooked(cook, bob, bob, date.today()) is None
        assert log.record_cooked(cook, 1, 1, date.today(), rating=5) is not None
        with pytest.raises(log.CookingLogError):
            log.record_cooked(cook, 1, 1, date.today(), rating=9)
    # Another account's recipe is not found, and nothing is logged.
    assert (
        client.post(f"/recipes/{cook}/cooked", data={"cooked_on": "2026-01-01"}).status_code == 404
    )


def test_api_scaled_recipe(client, cook):
    body = client.get(f"/api/v1/recipes/{cook}?servings=6&units=metric").get_json()
    assert body["ingredients"][:2] == ["235 ml flour", "120 ml sugar"]
    assert body["servings"] == "Makes 6 cookies"
    assert body["total_time"] == 22
    plain = client.get(f"/api/v1/recipes/{cook}").get_json()
    assert plain["ingredients"][:2] == ["2 cups flour", "48 tsp sugar"]
    bad = client.get(f"/api/v1/recipes/{cook}?units=imperial")
    assert bad.status_code == 422


def test_total_time_follows_prep_and_cook(client, cook):
    form = client.get(f"/recipes/{cook}/edit").get_data(as_text=True)
    assert re.search(r'name="total_time"[^>]*value=""', form)  # empty: it is prep + cook
    response = client.post(
        f"/recipes/{cook}/edit",
        data={"title": "Cookies", "prep_time": "15", "cook_time": "12", "total_time": ""},
    )
    assert response.status_code == 302
    assert client.get(f"/api/v1/recipes/{cook}").get_json()["total_time"] == 27
    client.post(f"/recipes/{cook}/edit", data={"title": "Cookies", "total_time": "90"})
    assert client.get(f"/api/v1/recipes/{cook}").get_json()["total_time"] == 90
