"""Plan a week and shop for it, in real browsers against a real `recipes serve`.

One person plans seven dinners on the week page (one moved by drag and drop), builds a
shopping list from the week and checks items off on a phone; a second browser sees each
check-off within 2 seconds. While the phone is offline its check-offs wait, and on
reconnect they are sent and merged with what the other browser did meanwhile.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser_support import ConsoleLog, chromium, contrast_failures, need_browser
from tests.support.live_server import PASSWORD, add_token, add_user, running_server

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

PHONE = {"width": 390, "height": 844}
LIVE_WITHIN = 2.0  # seconds, from the issue
DINNERS = [
    ("Leek soup", ["2 leeks", "400 g potatoes", "1 l stock", "1 tsp salt"]),
    ("Lentil dal", ["200 g red lentils", "1 onion", "400 ml coconut milk", "1 tsp salt"]),
    ("Tomato pasta", ["300 g spaghetti", "400 g tomatoes", "2 cloves garlic"]),
    ("Potato gratin", ["0.6 kg potatoes", "200 ml cream", "1 onion"]),
    ("Chickpea curry", ["1 onion", "400 g chickpeas", "1 cup rice"]),
    ("Fried rice", ["2 tbsp rice", "2 eggs", "2 cloves garlic"]),
    ("Omelette", ["3 eggs", "50 g cheese", "pepper"]),
]


def monday(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    need_browser()
    data_dir = tmp_path_factory.mktemp("plan-browser") / "data"
    add_user(data_dir, "cook")
    token = add_token(data_dir, "cook")
    with running_server(data_dir) as url:
        for title, lines in DINNERS:
            body = json.dumps({"title": title, "ingredients": lines, "servings": "2"}).encode()
            request = urllib.request.Request(
                url + "/api/v1/recipes",
                data=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 201
        yield url, token


@pytest.fixture(scope="module")
def browser(server: tuple[str, str]) -> Iterator[Any]:
    with chromium() as browser:
        yield browser


class Person:
    """One browser context, signed in, whose console must stay clean."""

    def __init__(self, browser: Any, base_url: str, **options: Any) -> None:
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url, **options)
        self.context.set_default_timeout(10_000)
        self.log = ConsoleLog.attach(self.context)
        self.page = self.context.new_page()
        self.page.goto("/auth/login")
        self.page.get_by_label("Username").fill("cook")
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url(base_url + "/")

    def clean(self, step: str) -> None:
        self.page.wait_for_load_state("load")
        assert self.log.take() == [], step
        assert contrast_failures(self.page) == [], step


def plan_week(person: Person, start: dt.date) -> None:
    page = person.page
    page.goto(f"/plan?week={start.isoformat()}")
    person.clean("week page")
    # The recipe cards' frameless style once reached every card: the form's text touched
    # its border.
    box, title = page.locator("#add").bounding_box(), page.locator("#add-title").bounding_box()
    assert box and title and title["x"] - box["x"] >= 8, (box, title)
    for offset, (title, _) in enumerate(DINNERS):
        form = page.locator("#add")
        form.get_by_label("Day").fill((start + dt.timedelta(days=offset)).isoformat())
        form.get_by_label("Meal").select_option("Dinner")
        form.get_by_label("Recipe or note").fill(title)
        form.get_by_label("Servings").fill("4")
        form.get_by_role("button", name="Add", exact=True).click()
        page.wait_for_load_state("load")
    dinners = page.locator(".day .slot[data-slot=Dinner] .entry a")
    assert dinners.all_inner_texts() == [title for title, _ in DINNERS]
    assert "servings=4" in (dinners.first.get_attribute("href") or "")
    person.clean("seven dinners planned")


def drag_to_lunch(person: Person, start: dt.date) -> None:
    """Drag Monday's dinner to Monday's lunch and back: the plan keeps the move."""
    page = person.page
    monday_iso = start.isoformat()
    entry = page.locator(f".slot[data-date='{monday_iso}'][data-slot=Dinner] .entry").first
    lunch = page.locator(f".slot[data-date='{monday_iso}'][data-slot=Lunch]")
    with page.expect_navigation():
        entry.drag_to(lunch)
    assert (
        page.locator(f".slot[data-date='{monday_iso}'][data-slot=Lunch] .entry a").inner_text()
        == "Leek soup"
    )
    back = page.locator(f".slot[data-date='{monday_iso}'][data-slot=Lunch] .entry").first
    with page.expect_navigation():
        back.drag_to(page.locator(f".slot[data-date='{monday_iso}'][data-slot=Dinner]"))
    person.clean("dragged and back")


def shop_for_week(person: Person) -> str:
    page = person.page
    page.get_by_role("link", name="Shop for this week").click()
    page.get_by_role("button", name="Create list").click()
    page.wait_for_url("**/shopping/*")
    person.clean("list from the week")
    return page.url


def item(page: Any, food: str) -> Any:
    return page.locator("[data-items] li.item", has_text=food).first


def seen_checked_within(page: Any, food: str, checked: bool = True) -> float:
    started = time.monotonic()
    state = ".checked" if checked else ":not(.checked)"
    page.locator(f"[data-items] li.item{state}", has_text=food).first.wait_for(
        timeout=LIVE_WITHIN * 1000 + 500
    )
    return time.monotonic() - started


def test_plan_a_week_shop_for_it_and_check_off_live(browser: Any, server: tuple[str, str]) -> None:
    base_url, _ = server
    start = monday(dt.date.today())
    planner = Person(browser, base_url)
    plan_week(planner, start)
    drag_to_lunch(planner, start)
    list_url = shop_for_week(planner)
    page = planner.page
    texts = page.locator("[data-items] li.item .item-text").all_inner_texts()
    # 7 dinners at 4 servings from recipes for 2: doubled and merged.
    assert "2 kg potatoes" in texts  # 800 g + 1.2 kg
    assert "8 eggs" in texts or "10 eggs" in texts
    assert "2 pantry staples left out" in page.locator(".staples").inner_text()

    phone = Person(browser, base_url, viewport=PHONE, has_touch=True, is_mobile=True)
    phone.page.goto(list_url)
    phone.clean("list on the phone")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the list scrolls sideways on a phone"
    box = item(phone.page, "leeks").locator("button.tick").bounding_box()
    assert box and box["height"] >= 44, "tick targets are big enough for a thumb"

    for food in ("leeks", "spaghetti", "coconut milk"):
        item(phone.page, food).locator("button.tick").tap()
        assert seen_checked_within(page, food) <= LIVE_WITHIN
    item(page, "spaghetti").locator("button.tick").click()  # undo, from the other browser
    assert seen_checked_within(phone.page, "spaghetti", checked=False) <= LIVE_WITHIN

    # Offline on the phone: its check-off waits; the other browser changes the list too.
    phone.context.set_offline(True)
    item(phone.page, "cream").locator("button.tick").tap()
    assert "waiting to be sent" in phone.page.locator("[data-sync-status]").inner_text()
    item(page, "chickpeas").locator("button.tick").click()
    time.sleep(LIVE_WITHIN)
    assert not item(page, "cream").evaluate("el => el.classList.contains('checked')")
    phone.context.set_offline(False)
    phone.page.evaluate("window.dispatchEvent(new Event('online'))")
    assert seen_checked_within(page, "cream") <= LIVE_WITHIN + 1
    for who in (phone.page, page):  # merged: both changes, on both devices
        seen_checked_within(who, "cream")
        seen_checked_within(who, "chickpeas")
        seen_checked_within(who, "leeks")
    phone.log.take()  # the offline requests' network errors are expected
    planner.clean("checked off live")
    planner.context.close()
    phone.context.close()
