"""Households: signup, invitations, roles, leaving, removal, the CLI, edit conflicts
(web and API) and the desktop's single-person view."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from recipes import create_app
from recipes.db import connect

PASSWORD = "correct horse 1"


def register(client: FlaskClient, name: str, invite: str | None = None):
    url = "/auth/register" + (f"?invite={invite}" if invite else "")
    return client.post(url, data={"username": name, "password": PASSWORD, "confirm": PASSWORD})


def login(client: FlaskClient, name: str):
    return client.post("/auth/login", data={"username": name, "password": PASSWORD})


def person(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    assert register(client, name).status_code == 302
    return client


def new_recipe(client: FlaskClient, title: str, **fields: str) -> int:
    response = client.post("/recipes/new", data={"title": title, **fields})
    assert response.status_code == 302, response.data[:300]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def invite(client: FlaskClient, role: str = "member") -> str:
    response = client.post("/household/invitations", data={"role": role})
    assert response.status_code == 200
    match = re.search(r'value="https?://[^"]*/join/([^"]+)"', response.get_data(as_text=True))
    assert match, "no invitation link on the page"
    return match.group(1)


def household_of(app: Flask, name: str) -> tuple[int, str]:
    db = connect(app.config["DATABASE"])
    try:
        row = db.execute("SELECT household_id, role FROM users WHERE username = ?", (name,))
        return tuple(row.fetchone())  # type: ignore[return-value]
    finally:
        db.close()


@pytest.fixture
def family(app: Flask) -> dict[str, FlaskClient]:
    """ann (admin) with ben (member) and vic (viewer) by invitation; eve on her own."""
    ann = person(app, "ann")
    people = {"ann": ann}
    for name, role in (("ben", "member"), ("vic", "viewer")):
        client = app.test_client()
        assert register(client, name, invite(ann, role)).status_code == 302
        people[name] = client
    people["eve"] = person(app, "eve")
    return people


def test_open_signup_makes_separate_households(app: Flask) -> None:
    ann, eve = person(app, "ann"), person(app, "eve")
    assert household_of(app, "ann")[0] != household_of(app, "eve")[0]
    assert household_of(app, "eve")[1] == "admin"
    soup = new_recipe(ann, "Ann's soup")
    assert eve.get(f"/recipes/{soup}").status_code == 404
    assert b"Ann&#39;s soup" not in eve.get("/search?q=soup").data
    assert eve.get("/api/v1/household").get_json() == {
        "name": "eve's household",
        "members": [{"username": "eve", "role": "admin"}],
    }


def test_invited_people_share_one_library_with_their_roles(app, family) -> None:
    ann, ben, vic, eve = (family[n] for n in ("ann", "ben", "vic", "eve"))
    assert household_of(app, "ben") == (household_of(app, "ann")[0], "member")
    soup = new_recipe(ben, "Leek soup", ingredients="2 leeks")
    assert b"Leek soup" in ann.get("/").data and b"Leek soup" in vic.get("/search?q=leek").data
    assert eve.get(f"/recipes/{soup}").status_code == 404
    # ann edits ben's recipe: the page names both.
    assert (
        ann.post(f"/recipes/{soup}/edit", data={"title": "Leek soup", "version": "1"}).status_code
        == 302
    )
    page = vic.get(f"/recipes/{soup}").get_data(as_text=True)
    assert "Added by ben" in page and "edited by ann" in page and "just now" in page
    # Each moment is a <time> whose title is plain text (a <time> there broke the tag).
    from lxml import html as lxml_html

    byline = lxml_html.fromstring(page).find_class("byline")[0]
    assert byline.text_content() == "Added by ben, just now · edited by ann, just now"
    moment_text = r"\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC"
    assert all(re.fullmatch(moment_text, t.get("title")) for t in byline.iter("time"))
    invite(ann)
    household = lxml_html.fromstring(ann.get("/household").get_data(as_text=True))
    buttons = household.xpath("//button[starts-with(@aria-label, 'Delete the invitation')]")
    assert len(buttons) == 3
    for button in buttons:
        label = button.get("aria-label")
        assert re.fullmatch("Delete the invitation of " + moment_text, label), label
    assert ">Edit<" not in page  # viewers are not offered what they may not do
    members = ann.get("/api/v1/household").get_json()["members"]
    assert members == [
        {"username": "ann", "role": "admin"},
        {"username": "ben", "role": "member"},
        {"username": "vic", "role": "viewer"},
    ]


def test_viewers_read_but_never_write(app, family) -> None:
    ann, vic = family["ann"], family["vic"]
    soup = new_recipe(ann, "Soup")
    assert vic.get(f"/recipes/{soup}").status_code == 200
    assert vic.post("/recipes/new", data={"title": "Mine"}).status_code == 403
    assert vic.post(f"/recipes/{soup}/edit", data={"title": "Vic's"}).status_code == 403
    assert vic.post(f"/recipes/{soup}/delete").status_code == 403
    assert vic.post(f"/recipes/{soup}/share").status_code == 403
    assert vic.post("/household/invitations", data={"role": "admin"}).status_code == 403
    api = {"X-CSRFToken": "unused"}
    assert vic.put(f"/api/v1/recipes/{soup}", json={"title": "x"}, headers=api).status_code == 403
    assert vic.post("/api/v1/recipes", json={"title": "x"}, headers=api).status_code == 403
    assert ann.get(f"/api/v1/recipes/{soup}").get_json()["title"] == "Soup"


def test_viewers_use_the_shopping_lists(app, family) -> None:
    """Issue 13: a viewer reads only, "but can still use shopping lists"."""
    ann, vic = family["ann"], family["vic"]
    api = {"X-CSRFToken": "unused"}
    made = vic.post("/api/v1/shopping-lists", json={"name": "Market"}, headers=api)
    assert made.status_code == 201
    list_id = made.get_json()["id"]
    url = f"/api/v1/shopping-lists/{list_id}"
    added = vic.post(f"{url}/items", json={"text": "2 lemons"}, headers=api)
    assert added.status_code == 201
    item = added.get_json()["items"][0]["id"]
    assert vic.post(f"/shopping/{list_id}/items", data={"text": "bread"}).status_code == 302
    assert vic.patch(f"{url}/items/{item}", json={"checked": True}, headers=api).status_code == 200
    seen = ann.get(url).get_json()
    assert "bread" in str(seen) and "lemons" in str(seen)
    # Public links and the household's aisles stay with the writers.
    assert vic.post(f"/shopping/{list_id}/share").status_code == 403
    assert vic.post("/shopping/settings", data={"aisles": "Bakery"}).status_code == 403
    page = vic.get(f"/shopping/{list_id}").get_data(as_text=True)
    assert "Create read-only link" not in page and "Add an item" in page
    assert ann.post(f"/shopping/{list_id}/share").status_code == 302


def test_invitation_links_work_once_and_expire(app, family) -> None:
    ann = family["ann"]
    token = invite(ann, "member")
    stranger = app.test_client()
    assert b"Join" in stranger.get(f"/join/{token}").data
    assert register(stranger, "cat", token).status_code == 302
    again = app.test_client()
    assert again.get(f"/join/{token}").status_code == 404  # one use only
    assert register(again, "dan", token).status_code == 404
    late = invite(ann, "viewer")
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE invitations SET expires_at = '2000-01-01T00:00:00Z' WHERE used_at IS NULL")
    db.close()
    assert app.test_client().get(f"/join/{late}").status_code == 404
    assert register(app.test_client(), "fay", late).status_code == 404
    db = connect(app.config["DATABASE"])
    names = {r[0] for r in db.execute("SELECT username FROM users")}
    db.close()
    assert "cat" in names and not {"dan", "fay"} & names


def test_signing_in_through_a_link_joins_with_a_copy(app, family) -> None:
    ann, eve = family["ann"], family["eve"]
    mine = new_recipe(eve, "Eve's pie", tags="sweet")
    token = invite(ann, "member")
    eve.post("/auth/logout")
    assert login(eve, "eve").status_code == 302
    assert b"Join" in eve.get(f"/join/{token}").data
    assert eve.post(f"/join/{token}", data={"take": "copy"}).status_code == 302
    assert household_of(app, "eve") == (household_of(app, "ann")[0], "member")
    titles = [r["title"] for r in ann.get("/api/v1/recipes").get_json()["items"]]
    assert titles.count("Eve's pie") == 1
    assert eve.get(f"/recipes/{mine}").status_code == 404  # the original stayed behind


def test_the_last_member_brings_the_library_along(app, family) -> None:
    """Joining from a household of one never leaves recipes where no one can reach them."""
    ann, eve = family["ann"], family["eve"]
    for title in ("Eve's pie", "Eve's bread"):
        new_recipe(eve, title)
    token = invite(ann, "member")
    page = eve.get(f"/join/{token}").get_data(as_text=True)
    assert "only member of your current household" in page and 'name="take"' not in page
    assert eve.post(f"/join/{token}", data={"take": "nothing"}).status_code == 302
    titles = [r["title"] for r in ann.get("/api/v1/recipes").get_json()["items"]]
    assert sorted(titles) == ["Eve's bread", "Eve's pie"]


def test_at_least_one_admin_remains(app, family) -> None:
    ann = family["ann"]
    home = household_of(app, "ann")[0]
    db = connect(app.config["DATABASE"])
    ann_id = db.execute("SELECT id FROM users WHERE username = 'ann'").fetchone()[0]
    db.close()
    ann.post(f"/household/members/{ann_id}/role", data={"role": "member"})
    assert household_of(app, "ann") == (home, "admin")
    assert ann.post("/household/leave", data={"take": "nothing"}).status_code == 302
    assert household_of(app, "ann") == (home, "admin")  # refused: the only admin
    response = ann.patch(
        "/api/v1/household/members/ann", json={"role": "viewer"}, headers={"X-CSRFToken": "x"}
    )
    assert response.status_code == 409 and household_of(app, "ann") == (home, "admin")
    # With a second admin, the first may step down.
    ben = ann.patch("/api/v1/household/members/ben", json={"role": "admin"})
    assert ben.status_code == 200
    assert ann.patch("/api/v1/household/members/ann", json={"role": "member"}).status_code == 200
    assert household_of(app, "ann") == (home, "member")


def test_removed_members_leave_their_recipes_behind(app, family) -> None:
    ann, ben = family["ann"], family["ben"]
    soup = new_recipe(ben, "Ben's soup")
    response = ann.delete("/api/v1/household/members/ben")
    assert response.status_code == 200
    assert [m["username"] for m in response.get_json()["members"]] == ["ann", "vic"]
    assert ann.get(f"/recipes/{soup}").status_code == 200
    assert ben.get(f"/recipes/{soup}").status_code == 404
    assert household_of(app, "ben")[1] == "admin"  # of a household of his own
    assert ann.delete("/api/v1/household/members/eve").status_code == 404  # not ours


def test_leaving_takes_nothing_or_a_copy(app, family) -> None:
    ann, ben, vic = family["ann"], family["ben"], family["vic"]
    new_recipe(ben, "Ben's stew")
    new_recipe(ann, "Ann's bread")
    page = ben.get("/household/leave").get_data(as_text=True)
    assert "Take a copy" in page and "Leave the household" in page
    assert ben.post("/household/leave", data={"take": "copy"}).status_code == 302
    assert [r["title"] for r in ben.get("/api/v1/recipes").get_json()["items"]] == ["Ben's stew"]
    assert {r["title"] for r in ann.get("/api/v1/recipes").get_json()["items"]} == {
        "Ben's stew",
        "Ann's bread",
    }
    assert vic.post("/api/v1/household/leave", json={"take": "nothing"}).status_code == 200
    assert vic.get("/api/v1/recipes").get_json()["total"] == 0


def test_api_invitations_for_admins_only(app, family) -> None:
    ann, ben = family["ann"], family["ben"]
    created = ann.post("/api/v1/household/invitations", json={"role": "viewer"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["role"] == "viewer" and "/join/" in body["url"] and body["used"] is False
    listed = ann.get("/api/v1/household/invitations").get_json()["items"]
    assert body["id"] in [i["id"] for i in listed] and all(i["url"] is None for i in listed)
    assert ben.get("/api/v1/household/invitations").status_code == 403
    assert ben.post("/api/v1/household/invitations", json={"role": "admin"}).status_code == 403
    eve = family["eve"]
    assert eve.delete(f"/api/v1/household/invitations/{body['id']}").status_code == 404
    assert ann.delete(f"/api/v1/household/invitations/{body['id']}").status_code == 204
    token = body["url"].rsplit("/", 1)[1]
    assert app.test_client().get(f"/join/{token}").status_code == 404


def test_cli_adds_people_to_households_and_lists_them(app, runner) -> None:
    from recipes.cli import cli

    env = {"RECIPES_DATA_DIR": app.config["DATA_DIR"]}

    def add(*args: str):
        return runner.invoke(
            cli, ["user", "add", *args, "--password-stdin"], input=PASSWORD, env=env
        )

    assert add("ann").exit_code == 0
    result = add("ben", "--household-of", "ann", "--role", "viewer")
    assert result.exit_code == 0, result.output
    assert add("cat", "--household-of", "nobody").exit_code != 0
    assert add("dan", "--role", "viewer").exit_code != 0  # a role needs a household to join
    assert add("eve").exit_code == 0
    listed = runner.invoke(cli, ["household", "list"], env=env)
    assert listed.exit_code == 0
    lines = listed.output.strip().splitlines()
    assert lines[0].endswith("ann's household\tann (admin), ben (viewer)")
    assert lines[1].endswith("eve's household\teve (admin)") and len(lines) == 2


# --- conflicts ------------------------------------------------------------------------


def test_a_stale_form_save_shows_both_versions_and_loses_nothing(app, family) -> None:
    ann, ben = family["ann"], family["ben"]
    soup = new_recipe(ann, "Soup", notes="salt")
    assert 'name="version" type="hidden" value="1"' in ann.get(f"/recipes/{soup}/edit").get_data(
        as_text=True
    )
    first = ann.post(
        f"/recipes/{soup}/edit", data={"title": "Soup", "notes": "ann: pepper", "version": "1"}
    )
    assert first.status_code == 302
    stale = ben.post(
        f"/recipes/{soup}/edit", data={"title": "Soup", "notes": "ben: chili", "version": "1"}
    )
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "ann saved this recipe while you were editing it" in page
    assert "ann: pepper" in page and "ben: chili" in page
    assert 'name="version" type="hidden" value="2"' in page
    assert ben.get(f"/api/v1/recipes/{soup}").get_json()["notes"] == "ann: pepper"
    merged = ben.post(
        f"/recipes/{soup}/edit", data={"title": "Soup", "notes": "pepper and chili", "version": "2"}
    )
    assert merged.status_code == 302
    saved = ann.get(f"/api/v1/recipes/{soup}").get_json()
    assert saved["notes"] == "pepper and chili" and saved["version"] == 3
    assert saved["updated_by"] == "ben" and saved["created_by"] == "ann"


def test_api_if_match_refuses_stale_writes_with_412(app, family) -> None:
    ann, ben = family["ann"], family["ben"]
    created = ann.post("/api/v1/recipes", json={"title": "Stew", "notes": "v1"})
    recipe_id, first_etag = created.get_json()["id"], created.headers["ETag"]
    got = ben.get(f"/api/v1/recipes/{recipe_id}")
    assert got.headers["ETag"] == first_etag == '"v1"'
    assert (
        ben.get(f"/api/v1/recipes/{recipe_id}", headers={"If-None-Match": first_etag}).status_code
        == 304
    )
    ok = ann.put(
        f"/api/v1/recipes/{recipe_id}",
        json={"title": "Stew", "notes": "ann"},
        headers={"If-Match": first_etag},
    )
    assert ok.status_code == 200 and ok.headers["ETag"] == '"v2"'
    for method in ("put", "patch"):
        stale = getattr(ben, method)(
            f"/api/v1/recipes/{recipe_id}",
            json={"title": "Stew", "notes": "ben"},
            headers={"If-Match": first_etag},
        )
        assert stale.status_code == 412
        error = stale.get_json()["error"]
        assert error["current"]["notes"] == "ann" and error["current"]["version"] == 2
        assert error["etag"] == '"v2"' or error["etag"] == "v2"
        # Invalid data is refused as invalid, stale or not.
        invalid = getattr(ben, method)(
            f"/api/v1/recipes/{recipe_id}",
            json={"title": "x" * 501},
            headers={"If-Match": first_etag},
        )
        assert invalid.status_code == 422 and "title" in invalid.get_json()["error"]["fields"]
    assert ann.get(f"/api/v1/recipes/{recipe_id}").get_json()["notes"] == "ann"
    fresh = ben.patch(
        f"/api/v1/recipes/{recipe_id}", json={"notes": "ben"}, headers={"If-Match": '"v2"'}
    )
    assert fresh.status_code == 200 and fresh.get_json()["version"] == 3
    # Without If-Match the last save wins, as before.
    assert ben.put(f"/api/v1/recipes/{recipe_id}", json={"title": "Stew"}).status_code == 200


# --- desktop ----------------------------------------------------------------------------


def test_desktop_shows_nothing_of_households_until_a_second_account(tmp_path) -> None:
    from desktop import webapp

    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "d"), "WTF_CSRF_ENABLED": False})
    webapp.configure(app, "me")
    client = app.test_client()
    soup = new_recipe(client, "Soup")
    client.post(f"/recipes/{soup}/edit", data={"title": "Soup 2", "version": "1"})
    index, page = (
        client.get("/").get_data(as_text=True),
        client.get(f"/recipes/{soup}").get_data(as_text=True),
    )
    assert "Household" not in index and "household" not in page.lower()
    assert "Added, " in page and " by " not in page
    from recipes.users import create_user

    db = connect(app.config["DATABASE"])
    create_user(db, "guest", PASSWORD, household_id=household_of(app, "me")[0], role="member")
    db.close()
    assert "Household" in client.get("/").get_data(as_text=True)
    assert "Added by me" in client.get(f"/recipes/{soup}").get_data(as_text=True)
