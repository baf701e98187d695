"""Households in real browsers (Debian chromium) against a real `recipes serve`.

ann and ben share a household: both see and edit one recipe, and when they edit it at the
same time ben gets the conflict page with both versions and merges by hand. ann invites a
viewer through a link from the household page. eve, in another household, sees nothing.
Every page loads without console errors or CSP violations and with readable contrast.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser_support import (
    ARTIFACTS,
    ConsoleLog,
    chromium,
    contrast_failures,
    need_browser,
)
from tests.support.live_server import PASSWORD, recipes_cli, running_server

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_browser()
    data = tmp_path_factory.mktemp("households") / "data"
    for args in (["ann"], ["ben", "--household-of", "ann", "--role", "member"], ["eve"]):
        recipes_cli(data, "user", "add", *args, "--password-stdin", stdin=PASSWORD + "\n")
    with running_server(data) as url:
        yield url


@pytest.fixture(scope="module")
def browser(site: str) -> Iterator[Any]:
    with chromium() as browser:
        yield browser


class Person:
    """One browser context, logged in; its console is checked at every step."""

    def __init__(self, browser: Any, base_url: str, name: str | None) -> None:
        self.base_url, self.name = base_url, name
        self.context = browser.new_context(base_url=base_url)
        self.context.set_default_timeout(10_000)
        self.log = ConsoleLog.attach(self.context)
        self.page = self.context.new_page()
        if name:
            self.goto("/auth/login")
            self.page.get_by_label("Username").fill(name)
            self.page.get_by_label("Password").fill(PASSWORD)
            self.page.get_by_role("button", name="Log in").click()
            self.page.wait_for_url(base_url + "/")

    def goto(self, path: str, status: int = 200) -> None:
        if status != 200:
            self.log.expect_status(self.base_url + path, status)
        response = self.page.goto(path)
        assert response is not None and response.status == status, (path, response)

    def clean(self, step: str) -> None:
        self.page.wait_for_load_state("load")
        assert self.log.take() == [], step
        assert contrast_failures(self.page) == [], step
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=ARTIFACTS / f"household-{step}.png", full_page=True)

    def text(self) -> str:
        return self.page.locator("main").inner_text()


def test_two_people_share_and_merge_a_third_sees_nothing(browser: Any, site: str) -> None:
    ann, ben, eve = (Person(browser, site, name) for name in ("ann", "ben", "eve"))
    ann.goto("/recipes/new")
    ann.page.get_by_label("Title").fill("Family stew")
    ann.page.get_by_label("Ingredients").fill("4 carrots\n1 onion")
    ann.page.get_by_label("Notes").fill("Grandma's")
    ann.page.get_by_role("button", name="Save").click()
    ann.page.wait_for_url("**/recipes/*")
    path = ann.page.url.removeprefix(site)

    ben.goto("/")
    assert ben.page.get_by_role("link", name="Family stew").is_visible()
    ben.goto(path)
    assert "Added by ann" in ben.text()
    ben.clean("shared-recipe")

    # Both open the form; ann saves first.
    ben.goto(path + "/edit")
    ann.goto(path + "/edit")
    ann.page.get_by_label("Notes").fill("Grandma's, with thyme")
    ann.page.get_by_role("button", name="Save").click()
    ann.page.wait_for_url("**" + path)
    ben.page.get_by_label("Notes").fill("Grandma's, with bay leaves")
    ben.log.expect_status(site + path + "/edit", 409)
    ben.page.get_by_role("button", name="Save").click()
    ben.page.wait_for_load_state("load")
    conflict = ben.page.locator(".conflict")
    assert "ann saved this recipe while you were editing it" in conflict.inner_text()
    cells = conflict.locator("td").all_inner_texts()
    assert "Grandma's, with thyme" in cells and "Grandma's, with bay leaves" in cells
    ben.clean("conflict")
    # ben merges by hand: the form holds his version; he adds ann's change and saves.
    ben.page.get_by_label("Notes").fill("Grandma's, with thyme and bay leaves")
    ben.page.get_by_role("button", name="Save").click()
    ben.page.wait_for_url("**" + path)
    assert "Grandma's, with thyme and bay leaves" in ben.text()

    ann.goto(path)
    byline = ann.page.locator(".byline").inner_text()
    assert "Added by ann" in byline and "edited by ben" in byline
    ann.clean("merged")

    # eve, of another household, finds nothing of it anywhere.
    eve.goto("/")
    assert "Family stew" not in eve.text()
    eve.goto("/search?q=stew")
    assert "Family stew" not in eve.text()
    eve.goto(path, status=404)
    eve.clean("stranger")
    for person in (ann, ben, eve):
        person.context.close()


def test_an_invitation_link_brings_in_a_viewer(browser: Any, site: str) -> None:
    ann = Person(browser, site, "ann")
    ann.goto("/household")
    assert "ben" in ann.page.locator("table.members").inner_text()
    ann.page.get_by_label("Role", exact=True).select_option("viewer")
    ann.page.get_by_role("button", name="Create invitation link").click()
    ann.page.wait_for_load_state("load")
    link = ann.page.locator("#invitation-link").input_value()
    ann.clean("invitation")

    guest = Person(browser, site, None)
    guest.goto(link.removeprefix(site))
    assert "invited as viewer" in guest.text()
    guest.page.get_by_role("link", name="Create an account").click()
    guest.page.get_by_label("Username").fill("vic")
    guest.page.get_by_label("Password", exact=True).fill(PASSWORD)
    guest.page.get_by_label("Repeat password").fill(PASSWORD)
    guest.page.get_by_role("button", name="Create account").click()
    guest.page.wait_for_url(site + "/")
    guest.page.get_by_role("link", name="Family stew").click()
    guest.page.wait_for_load_state("load")
    assert guest.page.get_by_role("link", name="Edit").count() == 0  # viewers read only
    guest.clean("viewer")

    # The link worked once.
    again = Person(browser, site, None)
    again.goto(link.removeprefix(site), status=404)
    assert "does not work" in again.text()
    again.clean("spent-link")
    ann.goto("/household")
    assert "vic" in ann.page.locator("table.members").inner_text()
    for person in (ann, guest, again):
        person.context.close()
