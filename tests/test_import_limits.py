"""Import limits against real servers and a real SQLite file: fetch slots (per user and per
server), queued bulk jobs, bookmarklet stash quotas, the pasted-HTML cap, and /healthz
staying responsive while eight imports wait on a slow site."""

from __future__ import annotations

import io
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from recipes.importing import jobs, slots, stash
from tests.support.live_server import add_token, add_user, running_server
from tests.support.local_site import drip, local_site

FIXTURES = Path(__file__).parent / "fixtures" / "import"
PAGE = (FIXTURES / "jsonld_graph.html").read_text("utf-8")


class SlowSite(BaseHTTPRequestHandler):
    """Answers every request by dripping a header line every half second."""

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        drip(self, [b"HTTP/1.1 200 OK\r\n"] + [b"X-Wait: 1\r\n"] * 100, 0.5)


@pytest.fixture(scope="module")
def slow_site() -> Iterator[str]:
    with local_site(SlowSite) as base:
        yield base


@pytest.fixture
def ann(client, auth):
    assert auth.register().status_code == 302
    return client


def _api_import(base: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + "/api/v1/recipes/import",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.mark.slow  # 5-20 s: the full suite and CI run it, the quick lane does not
def test_healthz_answers_while_eight_imports_wait_on_a_slow_site(tmp_path, slow_site):
    """Four users start two slow imports each: the server runs four (its cap), refuses the
    rest at once, and keeps answering /healthz in well under a second throughout."""
    data_dir = tmp_path / "data"
    tokens = []
    for name in ("ann", "bob", "cat", "dan"):
        add_user(data_dir, name)
        tokens.append(add_token(data_dir, name))
    server = running_server(data_dir, timeout=30, RECIPES_IMPORT_ALLOW_PRIVATE="1")
    with server as base, ThreadPoolExecutor(8) as pool:
        started = time.monotonic()
        futures = [
            pool.submit(_api_import, base, token, {"url": f"{slow_site}/slow/{n}"})
            for n, token in enumerate(tokens * 2)
        ]
        health = []
        while time.monotonic() - started < 6:
            t0 = time.monotonic()
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                assert response.status == 200
            health.append(time.monotonic() - t0)
            time.sleep(0.2)
        results = [f.result() for f in futures]
    assert max(health) < 1, health
    statuses = sorted(status for status, _ in results)
    assert statuses == [502] * 4 + [503] * 4, results  # four timed out, four refused
    refused = [body for status, body in results if status == 503]
    assert all("busy" in body["error"]["message"] for body in refused)


def test_fetch_slots_per_user_and_per_server(app, ann, monkeypatch):
    """Imports that fetch need a slot; pasted pages never wait for one."""
    monkeypatch.setattr(slots, "fetches", slots.Slots(total=3, per_user=2))
    user_id = 1
    assert slots.fetches.acquire(user_id) and slots.fetches.acquire(user_id)
    mine = ann.post("/import", data={"url": "https://example.com/r"})
    assert mine.status_code == 429
    assert "2 imports running" in mine.get_data(as_text=True)
    pasted = ann.post("/import", data={"url": "https://example.com/r", "html": PAGE})
    assert pasted.status_code == 302  # no fetch, no slot needed
    slots.fetches.release(user_id)
    assert slots.fetches.acquire(99) and slots.fetches.acquire(98)  # others fill the server
    busy = ann.post("/import", data={"url": "https://example.com/r"})
    assert busy.status_code == 503 and "busy" in busy.get_data(as_text=True)


def test_at_most_two_jobs_per_user_run_and_the_rest_queue_visibly(app, ann, monkeypatch):
    gate = threading.Event()
    ran: list[str] = []

    def held_run(
        database, data_dir, job_id, user_id, upload, filename, allow_private=False, **owner
    ):
        ran.append(filename)
        gate.wait(10)
        jobs.write_state(data_dir, job_id, {"user_id": user_id, "done": True, "filename":
                         filename, "imported": 0, "duplicates": 0, "failed": 0})  # fmt: skip

    monkeypatch.setattr(jobs, "run", held_run)
    locations = []
    for n in range(3):
        upload = (io.BytesIO(b"https://example.com/a\n"), f"list-{n}.txt")
        response = ann.post("/import", data={"file": upload})
        assert response.status_code == 303
        locations.append(response.headers["Location"])
    assert sorted(ran) == ["list-0.txt", "list-1.txt"]
    third = ann.get(locations[2]).get_data(as_text=True)
    assert "Waiting to import" in third and "this one is next" in third
    assert "At most 2 of your imports" in third
    state = json.loads(ann.get(locations[2] + "?format=json").get_data(as_text=True))
    assert state["queued"] is True
    gate.set()
    deadline = time.monotonic() + 10
    while len(ran) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(ran) == ["list-0.txt", "list-1.txt", "list-2.txt"]


def test_bookmarklet_stash_has_a_quota_per_address(app, client, monkeypatch):
    monkeypatch.setattr(stash, "MAX_OWNER_FILES", 2)

    def post(address: str) -> int:
        return client.post(
            "/import/bookmarklet",
            data={"url": "https://x.example/", "html": "<p>x</p>"},
            environ_base={"REMOTE_ADDR": address},
        ).status_code

    assert [post("203.0.113.5") for _ in range(3)] == [303, 303, 429]
    assert post("203.0.113.6") == 303  # another sender still has room
    names = [p.name for p in (Path(app.config["DATA_DIR"]) / "import-stash").glob("*.json")]
    assert len(names) == 3 and not any("203.0.113" in name for name in names)


def test_pasted_html_is_capped_at_5_mb(app, ann):
    huge = "<p>" + "x" * (5 * 1024 * 1024) + "</p>"
    form = ann.post("/import", data={"url": "https://example.com/big", "html": huge})
    assert form.status_code == 413
    page = form.get_data(as_text=True)
    assert "too large" in page and "https://example.com/big" in page  # the address is kept
    api = ann.post("/api/v1/recipes/import", json={"url": "https://example.com/big", "html": huge})
    assert api.status_code == 413 and api.get_json()["error"]["reason"] == "too_large"


def test_a_pasted_page_of_too_many_nodes_is_refused_with_its_reason(app, ann):
    """Under the 5 MB cap, but 500,000 tags: refused at once, what was typed kept."""
    tags = PAGE.replace("</body>", "<b>x</b>" * 500_000 + "</body>")
    started = time.monotonic()
    api = ann.post("/api/v1/recipes/import", json={"url": "https://example.com/t", "html": tags})
    assert api.status_code == 422 and api.get_json()["error"]["reason"] == "too_large"
    assert "over 100,000 HTML elements" in api.get_json()["error"]["message"]
    form = ann.post("/import", data={"url": "https://example.com/t", "html": tags})
    assert form.status_code == 422 and "https://example.com/t" in form.get_data(as_text=True)
    assert time.monotonic() - started < 10


def test_pasted_page_without_address_resolves_no_link_against_a_made_up_one():
    from recipes.importing.saving import recipe_from_pasted

    ld = {"@type": "Recipe", "name": "Pie", "image": "/img/pie.jpg",
          "recipeIngredient": ["1 apple"], "recipeInstructions": ["Bake."]}  # fmt: skip
    html = f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head>'
    recipe, where = recipe_from_pasted(html)
    assert (recipe.image_url, recipe.source_url, where) == ("", "", "")
    named = html.replace("<head>", '<head><meta property="og:url" content="https://pie.example/a">')
    recipe, where = recipe_from_pasted(named)
    assert recipe.image_url == "https://pie.example/img/pie.jpg" and where == "og:url"
    absolute = json.dumps(ld).replace('"/img', '"https://cdn.example/img')
    recipe, _ = recipe_from_pasted(html.replace(json.dumps(ld), absolute))
    assert recipe.image_url == "https://cdn.example/img/pie.jpg"


def test_pasted_page_without_address_uses_its_canonical_link(app, ann):
    html = PAGE.replace(
        "<head>", '<head><link rel="canonical" href="https://bakery.example/lemon-drizzle">', 1
    )
    response = ann.post("/import", data={"html": html})
    assert response.status_code == 302
    page = ann.get(response.headers["Location"]).get_data(as_text=True)
    assert "canonical link" in page and "https://bakery.example/lemon-drizzle" in page
    api = ann.post(
        "/api/v1/recipes/import", json={"html": html.replace("lemon-drizzle", "lemon-2")}
    )
    assert api.status_code == 201
    assert api.get_json()["source_url"] == "https://bakery.example/lemon-2"
