"""axe-core (WCAG 2.1 A/AA and best practice) over every page, in light and dark, wide and phone.

The pages are found by crawling: every same-origin link reachable from the home page of a
signed-in household with recipes, plus the pages a visitor sees (log in, register, a share
link, a missing page) and each form shown again with its errors. New pages are audited as soon
as a link leads to them. axe-core comes from npm (tests/axe, installed by .ci/setup-browser.sh)
and is injected through Playwright, with the page's CSP bypassed for the audit only.
"""

from __future__ import annotations

import datetime
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.support.browser_support import chromium, need_browser
from tests.support.live_server import PASSWORD, add_token, add_user, running_server
from tests.support.system import need

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDTHS = {"wide": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SCHEMES = ["light", "dark"]
MAX_PAGES = 60
PER_PATH = 2  # the same page with other query arguments (a week, a filter) adds little
# Links that change state, download files or leave HTML: never followed by the crawler.
SKIP_PREFIXES = ("/static/", "/api/", "/logout", "/healthz")
SKIP_SUFFIXES = (".json", ".zip", ".paprikarecipes", ".ics", ".txt", ".jpg", ".webp", ".png")

RECIPE = {
    "title": "Crème brûlée",
    "description": "A custard with a crisp top.",
    "ingredient_groups": [
        {"title": "Custard", "ingredients": ["500 ml double cream", "5 egg yolks", "100 g sugar"]},
        {"title": "Topping", "ingredients": ["2 tbsp demerara sugar"]},
    ],
    "instructions": ["Heat the oven to 150 °C.", "Bake for 40 minutes.", "Chill, then burn."],
    "servings": "4 servings",
    "prep_time": 20,
    "cook_time": 40,
    "tags": ["dessert", "french"],
    "category": "Dessert",
    "rating": 4,
    "notes": "Use a blowtorch.",
    "source_url": "https://example.com/creme-brulee",
}


def _api(base_url: str, token: str, method: str, path: str, body: Any = None) -> Any:
    request = urllib.request.Request(
        base_url + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    need_browser()
    need(AXE.exists(), "axe-core is not installed (run .ci/setup-browser.sh)")
    data_dir = tmp_path_factory.mktemp("axe") / "data"
    add_user(data_dir, "ann")
    token = add_token(data_dir, "ann")
    with running_server(data_dir) as base_url:
        recipe = _api(base_url, token, "POST", "/api/v1/recipes", RECIPE)
        _api(base_url, token, "POST", "/api/v1/recipes", {"title": "Toast", "tags": ["quick"]})
        shared = _api(base_url, token, "POST", f"/api/v1/recipes/{recipe['id']}/share")
        # A planned dinner and a shopping list built from it, so their pages have content.
        today = datetime.date.today().isoformat()
        plan = {"date": today, "slot": "Dinner", "recipe_id": recipe["id"], "servings": 6}
        _api(base_url, token, "POST", "/api/v1/mealplan", plan)
        listed = _api(base_url, token, "POST", "/api/v1/shopping-lists", {"name": "Weekly shop"})
        add = {"recipe_id": recipe["id"], "servings": 6}
        _api(base_url, token, "POST", f"/api/v1/shopping-lists/{listed['id']}/recipes", add)
        yield {"base_url": base_url, "share_url": shared["url"], "id": str(recipe["id"])}


@pytest.fixture(scope="module")
def browser(site: dict[str, str]) -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def _signed_in(browser: Any, base_url: str, scheme: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport=viewport)
    page = context.new_page()
    page.goto(base_url + "/auth/login")
    page.fill("input[name=username]", "ann")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:not(.inline) button[type=submit]")
    page.wait_for_load_state()
    assert "/auth/login" not in page.url, "logging in failed"
    return context


def _same_site_links(page: Any, base_url: str) -> set[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = set()
    for href in hrefs:
        url = urldefrag(href)[0]
        path = urlsplit(url).path
        if not url.startswith(base_url) or path.startswith(SKIP_PREFIXES):
            continue
        if path.endswith(SKIP_SUFFIXES) or "/s/" in path:
            continue
        found.add(url)
    return found


def crawl(context: Any, base_url: str) -> list[str]:
    """Every page reachable by links from the home page, breadth first."""
    page = context.new_page()
    seen, queue = {base_url + "/"}, [base_url + "/"]
    per_path: dict[str, int] = {}
    order = []
    while queue and len(order) < MAX_PAGES:
        url = queue.pop(0)
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        order.append(url)
        for link in sorted(_same_site_links(page, base_url) - seen):
            seen.add(link)
            path = urlsplit(link).path
            per_path[path] = per_path.get(path, 0) + 1
            if per_path[path] <= PER_PATH:
                queue.append(link)
    page.close()
    return order


def audit(page: Any) -> list[str]:
    """axe-core violations of the loaded page, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    lines = []
    for violation in result["violations"]:
        targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return lines


def audit_failed_forms(page: Any, base_url: str, paths: tuple[str, ...]) -> dict[str, list[str]]:
    """Forms submitted empty, so their error state is audited too."""
    problems = {}
    for path in paths:
        page.goto(base_url + path)
        page.click("main form:not(.inline) button[type=submit]")
        page.wait_for_load_state()
        problems[f"{path} (with errors)"] = audit(page)
    return problems


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_has_no_axe_violation(
    browser: Any, site: dict[str, str], scheme: str, width: str
) -> None:
    base_url = site["base_url"]
    viewport = WIDTHS[width]
    context = _signed_in(browser, base_url, scheme, viewport)
    pages = crawl(context, base_url)
    paths = {urlsplit(url).path for url in pages}
    expected = {"/", f"/recipes/{site['id']}", f"/recipes/{site['id']}/edit", "/recipes/new"}
    assert expected <= paths, f"the crawl missed pages: {sorted(paths)}"
    assert any(path.startswith("/shopping/") and path[10:].isdigit() for path in paths), paths
    problems: dict[str, list[str]] = {}
    page = context.new_page()
    for url in pages:
        page.goto(url)
        problems[url] = audit(page)
    problems.update(audit_failed_forms(page, base_url, ("/recipes/new",)))
    context.close()

    visitor = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport=viewport)
    page = visitor.new_page()
    for url in (base_url + "/auth/login", base_url + "/auth/register", site["share_url"]):
        page.goto(url)
        problems[url] = audit(page)
    page.goto(base_url + "/no-such-page")
    problems["404"] = audit(page)
    problems.update(audit_failed_forms(page, base_url, ("/auth/login", "/auth/register")))
    visitor.close()

    failing = {url: lines for url, lines in problems.items() if lines}
    assert not failing, json.dumps(failing, indent=1, ensure_ascii=False)


def _invalid_fields(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "input, textarea, select",
        "els => els.filter(e => e.getAttribute('aria-invalid') !== null"
        " && e.getAttribute('aria-invalid') !== 'false').map(e => e.name)",
    )


def _invalid_in_accessibility_tree(context: Any, page: Any) -> list[str]:
    """What Chromium tells a screen reader: the names of nodes whose invalid state is set."""
    session = context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    invalid = []
    for node in nodes:
        for prop in node.get("properties", []):
            if prop["name"] == "invalid" and prop["value"].get("value") not in (None, "false"):
                invalid.append(node.get("name", {}).get("value", "?"))
    return invalid


def test_fresh_forms_expose_no_invalid_field(browser: Any, site: dict[str, str]) -> None:
    base_url = site["base_url"]
    context = _signed_in(browser, base_url, "light", WIDTHS["wide"])
    page = context.new_page()
    for path in ("/recipes/new", f"/recipes/{site['id']}/edit", "/settings"):
        page.goto(base_url + path)
        assert _invalid_fields(page) == [], path
        assert _invalid_in_accessibility_tree(context, page) == [], path
    page.goto(base_url + "/recipes/new")
    page.click("main form:not(.inline) button[type=submit]")
    page.wait_for_load_state()
    assert _invalid_fields(page) == ["title"]
    assert page.title().startswith("Error:")
    context.close()

    visitor = browser.new_context()
    page = visitor.new_page()
    for path in ("/auth/login", "/auth/register"):
        page.goto(base_url + path)
        assert _invalid_fields(page) == [], path
    visitor.close()
