"""Building a shopping list from a week's plan (issue 16): target ≤ 50 ms on the server.

    python -m benchmarks.shopping [--rounds 30]

A fresh data folder, one household with 21 generated recipes (5-25 ingredient lines each,
benchmarks.generate) planned as breakfast, lunch and dinner for 7 days at other servings
than their own. Each round creates a new list and adds everything planned that week, as
POST /api/v1/shopping-lists/{id}/recipes {"start", "end"} does: parsing every line,
scaling, merging by food and unit family, aisles and staples, in one transaction. Timed
three ways: the domain call, the whole API request through the WSGI app, and the GET of
the built list (the sums are computed on reading). The first round runs on a cold parse
cache, as the first list after a server start does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.generate import recipe
from recipes import create_app
from recipes.api import tokens
from recipes.db import connect, get_db
from recipes.mealplan import store as plan_store
from recipes.shopping import store
from recipes.users import create_user, get_user

START = dt.date(2026, 3, 2)
SLOTS = ("Breakfast", "Lunch", "Dinner")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        report(*measure(Path(folder), rounds))


def measure(folder: Path, rounds: int) -> tuple[dict[str, list[float]], int, int]:
    app = create_app({"TESTING": True, "DATA_DIR": str(folder), "WTF_CSRF_ENABLED": False})
    db = connect(app.config["DATABASE"])
    user = create_user(db, "bench", "correct horse 1")
    _, secret = tokens.create_token(db, user.id, "bench")
    db.close()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    ids = []
    for index in range(21):
        response = client.post("/api/v1/recipes", json=recipe(index), headers=headers)
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    lines = 0
    with app.app_context():
        db = get_db()
        household = get_user(db, user.id).household_id
        slots = {s.name: s.id for s in plan_store.slots(db, household)}
        for n, recipe_id in enumerate(ids):
            day = START + dt.timedelta(days=n // 3)
            plan_store.add_entry(db, household, day, slots[SLOTS[n % 3]], recipe_id, None, 3)
        lines = sum(len(r.lines) for r in store._recipes(db, household, ids).values())
    end = START + dt.timedelta(days=6)
    times: dict[str, list[float]] = {"domain": [], "api": [], "get": []}
    items = 0
    for _ in range(rounds):
        with app.app_context():
            db = get_db()
            list_id = store.create_list(db, household, "Week")
            started = time.perf_counter()
            added = store.add_planned(db, household, list_id, START, end)
            times["domain"].append(time.perf_counter() - started)
            assert added is not None and len(added) == 21
        list_id = client.post("/api/v1/shopping-lists", json={"name": "W"}, headers=headers)
        list_id = list_id.get_json()["id"]
        body = {"start": START.isoformat(), "end": end.isoformat()}
        started = time.perf_counter()
        response = client.post(
            f"/api/v1/shopping-lists/{list_id}/recipes", json=body, headers=headers
        )
        times["api"].append(time.perf_counter() - started)
        assert response.status_code == 201
        started = time.perf_counter()
        response = client.get(f"/api/v1/shopping-lists/{list_id}", headers=headers)
        times["get"].append(time.perf_counter() - started)
        items = len(response.get_json()["items"]) + len(response.get_json()["left_out_staples"])
    return times, lines, items


def report(times: dict[str, list[float]], lines: int, items: int) -> None:
    print(f"21 planned recipes, {lines} ingredient lines -> {items} list items")
    print("| step | first (cold) | median | p95 | max |")
    print("|---|---|---|---|---|")
    labels = {
        "domain": "build the list (domain: parse, scale, merge, write)",
        "api": "POST /shopping-lists/{id}/recipes {start, end}",
        "get": "GET /shopping-lists/{id} (sums, aisles, JSON)",
    }
    for key, values in times.items():
        ms = [v * 1000 for v in values]
        p95 = sorted(ms)[max(0, int(len(ms) * 0.95) - 1)]
        print(f"| {labels[key]} | {ms[0]:.1f} ms | {statistics.median(ms):.1f} ms | "
              f"{p95:.1f} ms | {max(ms):.1f} ms |")  # fmt: skip


if __name__ == "__main__":
    main()
