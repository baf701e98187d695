"""Scaling, units and cook mode in a real browser (Debian chromium) against `recipes serve`,
at phone width and at desktop width: 2x, metric, cook mode, a timer, ticked ingredients."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser_support import ConsoleLog, chromium, contrast_failures, need_browser
from tests.support.live_server import running_server

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]

PASSWORD = "a long kitchen secret"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1200, "height": 850}}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_browser()
    with running_server(tmp_path_factory.mktemp("cook") / "data") as url:
        yield url


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def _new_recipe(page: Any, username: str) -> str:
    page.goto("/auth/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.goto("/recipes/new")
    page.get_by_label("Title").fill("Pancakes")
    page.get_by_label("Ingredients").fill("1 cup milk\n2 tbsp sugar\n2 eggs\nsalt")
    steps = ["Whisk everything together.", "Rest the batter for 1 minute.", "Fry at 180°C."]
    for number, step in enumerate(steps, 1):  # the step editor: Enter starts the next box
        box = page.get_by_label(f"Step {number}", exact=True)
        box.fill(step)
        if number < len(steps):
            box.press("End")
            box.press("Enter")
    details = page.locator("details.more-details")
    if details.count() and details.get_attribute("open") is None:
        details.locator("summary").click()
    page.get_by_label("Servings or yield").fill("4 servings")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/recipes/*")
    return page.url


def _ingredients(page: Any) -> list[str]:
    return page.locator(".ingredients li").all_inner_texts()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_scale_convert_and_cook(browser: Any, base_url: str, size: str) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(base_url=base_url, viewport=SIZES[size])
    context.set_default_timeout(10_000)
    context.grant_permissions(["notifications"], origin=base_url)
    log = ConsoleLog.attach(context)
    page = context.new_page()
    recipe_url = _new_recipe(page, f"cook-{size}")
    assert _ingredients(page) == ["1 cup milk", "2 tbsp sugar", "2 eggs", "salt"]

    page.get_by_role("button", name="2×").click()  # swapped in by app.js
    expect(page.locator("#servings-input")).to_have_value("8")
    assert _ingredients(page) == ["2 cups milk", "¼ cup sugar", "4 eggs", "salt"]
    page.get_by_role("button", name="Metric").click()
    expect(page.locator(".ingredients li").first).to_have_text("475 ml milk")
    assert _ingredients(page) == ["475 ml milk", "59 ml sugar", "4 eggs", "salt"]
    assert "servings=8" in page.url and "units=metric" in page.url
    # Planning and shopping from the page take the servings it now shows.
    assert page.locator("input[data-keep-servings]").evaluate_all(
        "inputs => inputs.map(i => i.value)"
    ) == ["8", "8"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], "the recipe page scrolls sideways"
    assert contrast_failures(page) == []

    page.get_by_role("link", name="Cook mode").click()
    page.wait_for_url("**/cook?*")
    assert page.locator(".cook-ingredients li").all_inner_texts()[0] == "475 ml milk"
    assert page.locator("[data-step]:visible").count() == 1  # one step at a time
    assert "Step 1 of 3" in page.locator("[data-step-label]").inner_text()
    page.keyboard.press("ArrowRight")
    assert "Step 2 of 3" in page.locator("[data-step-label]").inner_text()
    page.get_by_role("button", name="⏱ 1 minute").click()
    timer = page.locator(".timers .timer")
    assert timer.count() == 1 and "Step 2: 1 minute" in timer.inner_text()
    page.get_by_role("button", name="Next →").click()
    step = page.locator("[data-step]:visible").inner_text()
    assert "180°C (350°F)" in step
    assert page.locator(".timers .timer").count() == 1  # the timer survives the step change
    page.get_by_role("button", name="← Previous").click()
    assert "Step 2 of 3" in page.locator("[data-step-label]").inner_text()

    page.get_by_label("475 ml milk").check()
    page.get_by_label("4 eggs").check()
    assert page.locator(".checklist li.done").count() == 2
    page.reload()  # ticks, step and timer are kept while the tab is open
    assert page.locator(".checklist li.done").count() == 2
    assert "Step 2 of 3" in page.locator("[data-step-label]").inner_text()
    assert page.locator(".timers .timer").count() == 1
    status = page.locator("[data-wakelock-status]").inner_text()
    assert "screen" in status and "needs the page's script" not in status
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], "cook mode scrolls sideways"
    assert log.take() == []

    page.goto(recipe_url)  # metric is remembered for the account
    assert _ingredients(page)[0] == "235 ml milk"
    context.close()
