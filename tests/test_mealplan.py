"""Meal planner: the week page, slots, moves, copies, suggestions, the calendar and the API."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from recipes.mealplan.calendar import fold
from recipes.mealplan.store import week_start
from tests.support.plan_support import Cook

MONDAY = dt.date(2026, 3, 2)


def day(offset: int) -> str:
    return (MONDAY + dt.timedelta(days=offset)).isoformat()


def test_week_start_follows_the_households_first_day() -> None:
    wednesday = dt.date(2026, 3, 4)
    assert week_start(wednesday, 0) == MONDAY
    assert week_start(wednesday, 6) == dt.date(2026, 3, 1)  # Sunday
    assert week_start(wednesday, 2) == wednesday


def test_plan_recipes_and_notes_through_the_api(ann: Cook) -> None:
    soup = ann.recipe("Leek soup", ["2 leeks", "1 l stock"])
    entry = ann.plan(day(0), recipe_id=soup, servings=2)
    assert entry["title"] == "Leek soup" and entry["servings"] == 2 and entry["slot"] == "Dinner"
    note = ann.plan(day(1), slot="lunch", text="  leftovers ")
    assert note["text"] == "leftovers" and note["recipe_id"] is None and note["slot"] == "Lunch"
    week = ann.call("GET", f"/mealplan?start={day(0)}&end={day(6)}").get_json()["items"]
    assert [(e["date"], e["title"]) for e in week] == [(day(0), "Leek soup"), (day(1), "leftovers")]
    outside = ann.call("GET", f"/mealplan?start={day(7)}&end={day(13)}").get_json()["items"]
    assert outside == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": "2026-03-02", "slot": "Dinner"}, "body"),
        ({"date": "2026-03-02", "slot": "Dinner", "text": "x", "recipe_id": 1}, "body"),
        ({"date": "2026-02-30", "slot": "Dinner", "text": "x"}, "date"),
        ({"date": "2026-03-02", "slot": " \t", "text": "x"}, "slot"),
        ({"date": "2026-03-02", "slot": "Dinner", "text": "x", "servings": 0}, "servings"),
        ({"date": "2026-03-02", "slot": "Dinner", "text": "x", "servings": "2"}, "servings"),
        ({"date": "2026-03-02", "slot": "Dinner", "text": " "}, "text"),
        ({"date": 20260302, "slot": "Dinner", "text": "x"}, "date"),
    ],
)
def test_bad_entries_are_refused_with_the_field(ann: Cook, body: dict, field: str) -> None:
    response = ann.call("POST", "/mealplan", body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert ann.call("GET", f"/mealplan?start={day(0)}").get_json()["items"] == []


def test_a_new_slot_name_adds_a_slot_and_unknown_recipes_are_409(ann: Cook) -> None:
    assert ann.plan(day(0), slot="Elevenses", text="cake")["slot"] == "Elevenses"
    entry = ann.plan(day(1), slot="elevenses", text="scones")
    assert entry["slot"] == "Elevenses"
    # The entry exists, so an unknown recipe in the body is a conflict, never a 404
    # (which would say the entry itself is gone).
    missing = ann.call("POST", "/mealplan", {"date": day(0), "slot": "Dinner", "recipe_id": 999})
    changed = ann.call("PATCH", f"/mealplan/{entry['id']}", {"recipe_id": 999})
    for response in (missing, changed):
        assert response.status_code == 409
        assert response.get_json()["error"]["reason"] == "unknown_recipe"
    assert ann.call("GET", f"/mealplan/{entry['id']}").get_json()["text"] == "scones"


def test_patch_moves_and_delete_removes(ann: Cook) -> None:
    entry = ann.plan(day(0), text="pizza night")
    moved = ann.call("PATCH", f"/mealplan/{entry['id']}", {"date": day(4), "slot": "Lunch"})
    assert moved.status_code == 200
    assert (moved.get_json()["date"], moved.get_json()["slot"]) == (day(4), "Lunch")
    assert ann.call("DELETE", f"/mealplan/{entry['id']}").status_code == 204
    assert ann.call("GET", f"/mealplan/{entry['id']}").status_code == 404


def test_deleting_a_recipe_leaves_its_plan_entries_as_notes(ann: Cook) -> None:
    soup = ann.recipe("Leek soup", ["2 leeks"])
    kept = ann.recipe("Bread", ["flour"])
    first = ann.plan(day(0), recipe_id=soup, servings=2)
    ann.plan(day(3), slot="Lunch", recipe_id=soup)
    other = ann.plan(day(1), recipe_id=kept)
    browser = ann.login()
    page = browser.get(f"/recipes/{soup}/delete").get_data(as_text=True)
    assert "on your meal plan 2 times" in page
    assert browser.post(f"/recipes/{soup}/delete").status_code == 302
    entry = ann.call("GET", f"/mealplan/{first['id']}").get_json()
    assert (entry["recipe_id"], entry["text"], entry["title"]) == (None, "Leek soup", "Leek soup")
    assert entry["servings"] == 2
    moved = ann.call("PATCH", f"/mealplan/{first['id']}", {"date": day(5)})
    assert moved.status_code == 200 and moved.get_json()["date"] == day(5)
    week = ann.call("GET", f"/mealplan?start={day(0)}&end={day(6)}").get_json()["items"]
    assert [(e["date"], e["title"], e["recipe_id"]) for e in week] == [
        (day(1), "Bread", kept), (day(3), "Leek soup", None), (day(5), "Leek soup", None)
    ]  # fmt: skip
    assert other["recipe_id"] == kept
    assert ann.call("DELETE", f"/recipes/{kept}").status_code == 204
    assert ann.call("GET", f"/mealplan/{other['id']}").get_json()["text"] == "Bread"


def test_other_households_cannot_see_or_touch_entries(ann: Cook, bob: Cook) -> None:
    soup = ann.recipe("Leek soup", ["2 leeks"])
    entry = ann.plan(day(0), recipe_id=soup)
    assert bob.call("GET", f"/mealplan/{entry['id']}").status_code == 404
    assert bob.call("PATCH", f"/mealplan/{entry['id']}", {"text": "mine"}).status_code == 404
    assert bob.call("DELETE", f"/mealplan/{entry['id']}").status_code == 404
    assert bob.call("GET", f"/mealplan?start={day(0)}").get_json()["items"] == []
    # Nor plan one of ann's recipes.
    stolen = bob.call("POST", "/mealplan", {"date": day(0), "slot": "Dinner", "recipe_id": soup})
    missing = bob.call("POST", "/mealplan", {"date": day(0), "slot": "Dinner", "recipe_id": 9999})
    # Answered exactly as a recipe that does not exist: nothing about ann's is confirmed.
    assert stolen.status_code == 409 and stolen.get_json() == missing.get_json()
    assert bob.call("GET", f"/mealplan?start={day(0)}").get_json()["items"] == []


def test_week_page_adds_by_title_or_note_and_keeps_bad_input(ann: Cook) -> None:
    ann.recipe("Leek soup", ["2 leeks"])
    browser = ann.login()
    added = browser.post(
        "/plan/entries",
        data={"date": day(2), "slot": "Dinner", "what": "leek SOUP", "servings": "3"},
    )
    assert added.status_code == 302
    browser.post("/plan/entries", data={"date": day(2), "slot": "Lunch", "what": "eat out"})
    page = browser.get(f"/plan?week={day(2)}").get_data(as_text=True)
    assert "Leek soup" in page and "eat out" in page and "3 servings" in page
    assert "servings=3" in page  # the recipe links to cooking it at the planned servings
    bad = browser.post(
        "/plan/entries", data={"date": day(2), "slot": "Dinner", "what": "stew", "servings": "-1"}
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert 'value="stew"' in text and 'value="-1"' in text and 'aria-invalid="true"' in text


def test_first_day_and_slots_are_the_households_to_change(ann: Cook) -> None:
    browser = ann.login()
    browser.post("/plan/first-day", data={"first_day": "6"})
    page = browser.get(f"/plan?week={day(2)}").get_data(as_text=True)
    assert "Week of 1 March 2026" in page  # the Sunday before
    slots = ann.call("GET", "/mealplan").get_json()  # the API still answers
    assert slots["items"] == []
    browser.post("/plan/slots", data={"name": "Brunch"})
    assert ann.plan(day(0), slot="brunch", text="eggs")["slot"] == "Brunch"
    page = browser.get("/plan").get_data(as_text=True)
    slot_id = int(page.split('action="/plan/slots/')[1].split('"')[0])
    browser.post(f"/plan/slots/{slot_id}", data={"name": "Morning"})
    assert ann.plan(day(0), slot="Morning", text="toast")["slot"] == "Morning"


def test_keyboard_move_form_and_cooked_and_remove(ann: Cook) -> None:
    entry = ann.plan(day(0), text="tacos")
    browser = ann.login()
    page = browser.get(f"/plan?week={day(0)}").get_data(as_text=True)
    lunch = page.split('<option value="')
    lunch_id = next(part.split('"')[0] for part in lunch if part.split(">")[1].startswith("Lunch"))
    moved = browser.post(
        f"/plan/entries/{entry['id']}/move", data={"date": day(3), "slot_id": lunch_id}
    )
    assert moved.status_code == 302
    got = ann.call("GET", f"/mealplan/{entry['id']}").get_json()
    assert (got["date"], got["slot"]) == (day(3), "Lunch")
    browser.post(f"/plan/entries/{entry['id']}/cooked")
    assert ann.call("GET", f"/mealplan/{entry['id']}").get_json()["cooked_on"] == day(3)
    browser.post(f"/plan/entries/{entry['id']}/delete")
    assert ann.call("GET", f"/mealplan/{entry['id']}").status_code == 404


def test_copy_a_week(ann: Cook) -> None:
    ann.plan(day(0), text="soup", servings=2)
    ann.plan(day(6), slot="Breakfast", text="pancakes")
    browser = ann.login()
    browser.post("/plan/copy", data={"from": day(0), "to": day(7)})
    copied = ann.call("GET", f"/mealplan?start={day(7)}&end={day(13)}").get_json()["items"]
    assert [(e["date"], e["slot"], e["title"], e["servings"]) for e in copied] == [
        (day(7), "Dinner", "soup", 2),
        (day(13), "Breakfast", "pancakes", None),
    ]


def test_pick_a_dinner_avoids_what_was_planned_lately(ann: Cook) -> None:
    curry = ann.recipe("Curry", ["1 onion"], tags=["dinner"])
    stew = ann.recipe("Stew", ["1 onion"], tags=["dinner"])
    ann.recipe("Porridge", ["oats"], tags=["breakfast"])
    ann.plan(dt.date.today().isoformat(), recipe_id=curry)
    browser = ann.login()
    for _ in range(5):
        page = browser.get("/plan/suggest?tag=dinner&days=14").get_data(as_text=True)
        assert "Stew" in page and "Curry" not in page.split("<h1>")[1].split("</main>")[0]
    skipped = browser.get(f"/plan/suggest?tag=dinner&days=14&skip={stew}").get_data(as_text=True)
    assert "No recipe fits" in skipped
    assert 'value="dinner"' in skipped and 'value="14"' in skipped  # the form keeps the ask
    # ... and the header's search box stays empty (it once showed "tag='dinner' ...").
    assert re.search(r'id="nav-q"[^>]*value=""', skipped)


def test_calendar_feed_is_private_and_revocable(ann: Cook) -> None:
    ann.plan(dt.date.today().isoformat(), text="Fish, chips; peas")
    browser = ann.login()
    assert browser.post("/plan/calendar").status_code == 302
    page = browser.get("/plan").get_data(as_text=True)
    url = page.split('id="ical-url" type="text" readonly value="')[1].split('"')[0]
    path = url.split("localhost", 1)[1]
    feed = ann.client.application.test_client().get(path)  # no login: the address is the key
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    body = feed.get_data(as_text=True)
    assert "BEGIN:VCALENDAR\r\n" in body and "SUMMARY:Dinner: Fish\\, chips\\; peas\r\n" in body
    browser.post("/plan/calendar/revoke")
    assert ann.client.application.test_client().get(path).status_code == 404


def test_long_calendar_lines_are_folded_without_splitting_characters() -> None:
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
