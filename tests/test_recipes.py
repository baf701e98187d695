import re

import pytest

from recipes.db import connect

FULL = {
    "title": "Crème brûlée",
    "description": "A classic custard.",
    "ingredients": "For the custard:\n4 egg yolks\n500 ml cream\n\n# For the top\n2 tbsp sugar",
    "instructions": "Heat the cream.\nWhisk in the yolks.\nBake at 150 °C.",
    "servings": "4 ramekins",
    "prep_time": "15",
    "cook_time": "40",
    "total_time": "55",
    "tags": "dessert, French, dessert",
    "category": "Dessert",
    "cuisine": "French",
    "source_url": "https://example.com/creme-brulee",
    "image_url": "https://example.com/cb.jpg",
    "rating": "5",
    "nutrition": "calories: 420 kcal\nfat: 30 g",
    "notes": "Torch the sugar just before serving.",
}


@pytest.fixture
def logged_in(auth):
    auth.register()
    return auth


def create(client, **fields):
    response = client.post("/recipes/new", data={**FULL, **fields})
    assert response.status_code == 302, response.data[:500]
    return int(response.location.rsplit("/", 1)[1])


def test_create_and_view_every_field(client, logged_in, app):
    recipe_id = create(client)
    html = client.get(f"/recipes/{recipe_id}").get_data(as_text=True)
    for text in ["Crème brûlée", "A classic custard.", "For the custard", "For the top",
                 "4 egg yolks", "2 tbsp sugar", "Whisk in the yolks.", "4 ramekins", "15 min",
                 "40 min", "55 min", "French", "Dessert", "https://example.com/creme-brulee",
                 "https://example.com/cb.jpg", "420 kcal", "Torch the sugar", "★★★★★"]:  # fmt: skip
        assert text in html, text
    assert html.count(">dessert<") == 1  # tags are de-duplicated
    assert '<script type="application/ld+json">' in html
    assert '"@type": "Recipe"' in html
    row = connect(app.config["DATABASE"]).execute("SELECT * FROM recipes").fetchone()
    assert row["created_at"].endswith("Z") and row["updated_at"] == row["created_at"]


def test_steps_are_ordered(client, logged_in):
    recipe_id = create(client)
    html = client.get(f"/recipes/{recipe_id}").get_data(as_text=True)
    steps = re.findall(r"<li>([^<]+)</li>", html.split('id="instructions-h"')[1])
    assert steps[:3] == [
        "Heat the cream.",
        "Whisk in the yolks.",
        "Bake at 150°C (300°F).",
    ]  # both scales


def test_invalid_form_comes_back_with_everything_typed(client, logged_in):
    data = {**FULL, "title": "   ", "prep_time": "soon", "rating": "5",
            "source_url": "javascript:alert(1)", "nutrition": "no colon here"}  # fmt: skip
    response = client.post("/recipes/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.count('class="error"') == 4
    assert "required" in html
    assert "Enter whole minutes" in html
    assert "http:// or https://" in html
    assert "name: value" in html
    for kept in ["4 egg yolks", "Whisk in the yolks.", "4 ramekins", 'value="soon"',
                 "Torch the sugar", "dessert, French", "javascript:alert(1)"]:  # fmt: skip
        assert kept in html, kept
    assert '<option selected value="5">' in html
    assert client.get("/").get_data(as_text=True).count('class="card"') == 0


def test_edit_round_trips_the_form(client, logged_in):
    recipe_id = create(client)
    form = client.get(f"/recipes/{recipe_id}/edit").get_data(as_text=True)
    assert "For the custard:\n4 egg yolks\n500 ml cream\n\nFor the top:\n2 tbsp sugar" in form
    assert 'value="dessert, French"' in form
    response = client.post(f"/recipes/{recipe_id}/edit", data={**FULL, "title": "Better brûlée"})
    assert response.status_code == 302
    html = client.get(f"/recipes/{recipe_id}").get_data(as_text=True)
    assert "Better brûlée" in html and "edited" in html


def test_edit_with_errors_keeps_input(client, logged_in):
    recipe_id = create(client)
    response = client.post(
        f"/recipes/{recipe_id}/edit", data={**FULL, "title": "", "notes": "my new note"}
    )
    assert response.status_code == 422
    assert b"my new note" in response.data
    assert "Crème brûlée" in client.get(f"/recipes/{recipe_id}").get_data(as_text=True)


def test_delete_needs_confirmation(client, logged_in):
    recipe_id = create(client)
    confirm = client.get(f"/recipes/{recipe_id}/delete")
    assert confirm.status_code == 200 and b"Delete for good" in confirm.data
    assert client.get(f"/recipes/{recipe_id}").status_code == 200
    assert client.post(f"/recipes/{recipe_id}/delete").status_code == 302
    assert client.get(f"/recipes/{recipe_id}").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/recipes/{id}"),
        ("get", "/recipes/{id}/edit"),
        ("post", "/recipes/{id}/edit"),
        ("get", "/recipes/{id}/delete"),
        ("post", "/recipes/{id}/delete"),
        ("get", "/recipes/{id}/share"),
        ("post", "/recipes/{id}/share"),
        ("post", "/recipes/{id}/unshare"),
    ],
)
def test_other_users_get_404(client, auth, app, method, path):
    auth.register("ann")
    recipe_id = create(client)
    auth.logout()
    auth.register("bob", "bobs password 2")
    response = getattr(client, method)(path.format(id=recipe_id), data=FULL)
    assert response.status_code == 404
    row = (
        connect(app.config["DATABASE"])
        .execute("SELECT title, share_token FROM recipes WHERE id = ?", (recipe_id,))
        .fetchone()
    )
    assert tuple(row) == ("Crème brûlée", None)


def test_unknown_recipe_is_404(client, logged_in):
    response = client.get("/recipes/999")
    assert response.status_code == 404
    assert b"There is nothing here." in response.data


def test_index_newest_first_paginated_and_filtered(client, logged_in):
    for n in range(53):
        create(client, title=f"Recipe {n:02d}", tags="odd" if n % 2 else "even",
               category="Soup" if n < 5 else "Main")  # fmt: skip
    first = client.get("/").get_data(as_text=True)
    assert first.count('class="card"') == 50
    assert first.index("Recipe 52") < first.index("Recipe 51")
    assert "Page 1 of 2" in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert second.count('class="card"') == 3 and "Recipe 00" in second
    odd = client.get("/?tag=ODD").get_data(as_text=True)
    assert "26 recipes" in odd
    soup = client.get("/?category=soup").get_data(as_text=True)
    assert "5 recipes" in soup
    assert client.get("/?page=abc").status_code == 200
    assert client.get("/?page=99999999999").status_code == 200


def test_index_shows_only_own_recipes(client, auth):
    auth.register("ann")
    create(client, title="Ann's secret stew")
    auth.logout()
    auth.register("bob", "bobs password 2")
    html = client.get("/").get_data(as_text=True)
    assert "secret stew" not in html and "0 recipes" in html
    assert b"secret stew" not in client.get("/search?q=stew").data
