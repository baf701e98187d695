import re

from recipes.db import connect


def _share(client, recipe_id=None):
    if recipe_id is None:
        created = client.post("/recipes/new", data={"title": "Shared soup", "ingredients": "w"})
        recipe_id = int(created.location.rsplit("/", 1)[1])
    assert client.post(f"/recipes/{recipe_id}/share").status_code == 302
    html = client.get(f"/recipes/{recipe_id}/share").get_data(as_text=True)
    return re.search(r'value="http://localhost(/s/[^"]+)"', html).group(1)


def test_share_link_works_logged_out_and_shows_only_that_recipe(app, client, auth):
    auth.register()
    client.post("/recipes/new", data={"title": "Shared soup", "ingredients": "water"})
    client.post("/recipes/new", data={"title": "Private stew"})
    path = _share(client, recipe_id=1)
    token = path.rsplit("/", 1)[1]
    assert len(token) >= 22
    stranger = app.test_client()
    response = stranger.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Shared soup" in html and "Private stew" not in html
    assert "Edit" not in html and "Log out" not in html and "Delete" not in html
    assert '"@type": "Recipe"' in html
    assert stranger.get("/recipes/1").status_code == 302  # the recipe itself still needs login


def test_sharing_twice_keeps_the_link(client, auth):
    auth.register()
    first = _share(client)
    client.post("/recipes/1/share")
    html = client.get("/recipes/1/share").get_data(as_text=True)
    assert first in html


def test_revoke_turns_the_link_off(app, client, auth):
    auth.register()
    path = _share(client)
    assert client.post("/recipes/1/unshare").status_code == 302
    visitor = app.test_client().get(path)
    assert visitor.status_code == 410
    page = visitor.get_data(as_text=True)
    assert "This link was turned off by its owner." in page
    assert "Go to your recipes" not in page
    assert app.test_client().get("/s/" + "x" * 32).status_code == 404  # never a link
    stored = connect(app.config["DATABASE"]).execute("SELECT token_hash FROM revoked_share_links")
    assert path.rsplit("/", 1)[1] not in str(stored.fetchall())
    assert b"Create link" in client.get("/recipes/1/share").data
    assert (
        connect(app.config["DATABASE"]).execute("SELECT share_token FROM recipes").fetchone()[0]
        is None
    )


def test_new_link_after_revoke_is_different(app, client, auth):
    auth.register()
    first = _share(client)
    client.post("/recipes/1/unshare")
    client.post("/recipes/1/share")
    html = client.get("/recipes/1/share").get_data(as_text=True)
    assert first not in html and "/s/" in html
    assert app.test_client().get(first).status_code == 410


def test_deleting_a_recipe_kills_its_link(app, client, auth):
    auth.register()
    path = _share(client)
    client.post("/recipes/1/delete")
    assert app.test_client().get(path).status_code == 404


def test_unknown_and_absurd_tokens_are_404(client):
    assert client.get("/s/nope").status_code == 404
    assert client.get("/s/" + "a" * 5000).status_code == 404


def test_shared_page_previews_in_chat_apps_and_stays_unindexed(app, client, auth):
    auth.register()
    client.post(
        "/recipes/new",
        data={
            "title": "Soup & bread",
            "description": "A warming\n soup.",
            "image_url": "https://img.test/soup.jpg",
        },
    )
    html = app.test_client().get(_share(client, recipe_id=1)).get_data(as_text=True)
    assert '<meta name="robots" content="noindex">' in html
    assert '<meta property="og:title" content="Soup &amp; bread">' in html
    assert '<meta name="description" content="A warming soup.">' in html
    assert '<meta property="og:description" content="A warming soup.">' in html
    assert '<meta property="og:image" content="https://img.test/soup.jpg">' in html


def test_preview_text_without_a_description_says_what_it_takes(app, client, auth):
    auth.register()
    client.post(
        "/recipes/new", data={"title": "Tea", "ingredients": "tea\nwater", "total_time": "5"}
    )
    html = app.test_client().get(_share(client, recipe_id=1)).get_data(as_text=True)
    assert '<meta name="description" content="A recipe: 2 ingredients, ready in 5 min.">' in html
    assert 'property="og:image"' not in html


def test_a_shared_recipe_scales_and_converts_for_a_reader_without_an_account(app, client, auth):
    auth.register()
    created = client.post(
        "/recipes/new",
        data={"title": "Pancakes", "servings": "4", "ingredients": "1 cup milk\n2 eggs\n1 lemon"},
    )
    path = _share(client, int(created.location.rsplit("/", 1)[1]))
    stranger = app.test_client()
    page = stranger.get(path).get_data(as_text=True)
    assert f'action="{path}"' in page and 'id="scaled-recipe"' in page  # the controls stay here
    doubled = stranger.get(f"{path}?servings=8&units=metric").get_data(as_text=True)
    assert re.findall(r"<li>([^<]*)</li>", doubled)[:3] == ["475 ml milk", "4 eggs", "2 lemons"]
    assert '"recipeYield": "4"' in doubled  # the page's data stays the recipe as written
    partial = stranger.get(f"{path}?servings=2&partial=1").get_data(as_text=True)
    assert "<html" not in partial and "<li>½ cup milk</li>" in partial
    # A signed-in reader's own page keeps its controls pointing at itself after a form.
    own = client.get(created.location + "?servings=8").get_data(as_text=True)
    assert f'action="{created.location.replace("http://localhost", "")}"' in own
