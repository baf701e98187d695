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


def test_revoke_makes_the_link_404(app, client, auth):
    auth.register()
    path = _share(client)
    assert client.post("/recipes/1/unshare").status_code == 302
    assert app.test_client().get(path).status_code == 404
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
    assert app.test_client().get(first).status_code == 404


def test_deleting_a_recipe_kills_its_link(app, client, auth):
    auth.register()
    path = _share(client)
    client.post("/recipes/1/delete")
    assert app.test_client().get(path).status_code == 404


def test_unknown_and_absurd_tokens_are_404(client):
    assert client.get("/s/nope").status_code == 404
    assert client.get("/s/" + "a" * 5000).status_code == 404
