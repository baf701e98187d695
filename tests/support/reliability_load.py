"""A write load on the real server through the JSON API, and the ledger that checks it.

Each client thread works only on its own recipes and remembers what the server
acknowledged: the content of every 2xx create/update, and every 2xx delete. Afterwards
the database is compared with the ledger, so a lost or altered write is found.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.support.reliability_server import api_session

LOCKED = "database is locked"


@dataclass
class Ledger:
    """What one thread was told: recipe id -> content acknowledged last, and deletions."""

    user: str
    live: dict[int, dict[str, Any]] = field(default_factory=dict)
    # id -> title of the deleted recipe. SQLite may give a later recipe the same id
    # (INTEGER PRIMARY KEY without AUTOINCREMENT), so "back" means the same recipe again.
    deleted: dict[int, str] = field(default_factory=dict)
    # Changes sent without an answer (the server died): either outcome is correct.
    # recipe id -> acceptable stored contents, None meaning "deleted".
    uncertain: dict[int, list[dict[str, Any] | None]] = field(default_factory=dict)
    unanswered: int = 0
    requests: int = 0
    writes_acked: int = 0
    failures: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def count(self, status: int) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1


def recipe_content(rng: random.Random, tag: str) -> dict[str, Any]:
    """A recipe whose every field is distinctive, so a mix-up between rows shows."""
    word = f"w{rng.getrandbits(48):012x}"
    return {
        "title": f"Load {tag} {word}",
        "description": f"Made under load by {tag}: «{word}» ✓",
        "ingredient_groups": [
            {"title": None, "ingredients": [f"{rng.randint(1, 900)} g flour", "1 egg"]},
            {"title": "Sauce", "ingredients": [f"{rng.randint(1, 9)} tbsp {word}"]},
        ],
        "instructions": [f"Step {n} of {word}" for n in range(1, rng.randint(2, 6))],
        "servings": str(rng.randint(1, 12)),
        "prep_time": rng.randint(0, 120),
        "cook_time": None,
        "total_time": rng.randint(0, 300),
        "tags": [tag, word[:6]],
        "category": "load",
        "cuisine": "",
        "source_url": "",
        "image_url": "",
        "notes": f"notes {word}\nsecond line",
        "rating": rng.randint(0, 5),
        "nutrition": {"calories": str(rng.randint(50, 900))},
    }


class Worker(threading.Thread):
    """Creates, edits, searches and deletes its own recipes until the deadline."""

    def __init__(
        self, base: str, token: str, ledger: Ledger, deadline: float, seed: int, tag: str
    ) -> None:
        super().__init__(daemon=True)
        self.base, self.ledger, self.deadline, self.tag = base, ledger, deadline, tag
        self.session = api_session(token)
        self.rng = random.Random(seed)  # noqa: S311 (load shape, not security)
        self.pending: tuple[int, dict[str, Any] | None] | None = None

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            self.pending = None
            try:
                self.step()
            except requests.RequestException as exc:
                self.unanswered(exc)

    def unanswered(self, exc: Exception) -> None:
        """No answer, so nothing was acknowledged: the change may or may not have landed."""
        self.ledger.unanswered += 1
        self.ledger.failures.append(f"no answer: {type(exc).__name__}")
        if self.pending is not None:
            recipe_id, new = self.pending
            old = self.ledger.live.pop(recipe_id)
            self.ledger.uncertain[recipe_id] = [old, new]
        time.sleep(0.05)

    def step(self) -> None:
        roll = self.rng.random()
        mine = list(self.ledger.live)
        if roll < 0.4 or not mine:
            self.create()
        elif roll < 0.6:
            self.replace(self.rng.choice(mine))
        elif roll < 0.7:
            self.patch(self.rng.choice(mine))
        elif roll < 0.9:
            self.search(self.rng.choice(mine))
        else:
            self.delete(self.rng.choice(mine))

    def call(self, method: str, path: str, expect: int, **kwargs: Any) -> requests.Response:
        response = self.session.request(method, self.base + path, timeout=60, **kwargs)
        self.ledger.requests += 1
        self.ledger.count(response.status_code)
        if response.status_code != expect or LOCKED in response.text:
            self.ledger.failures.append(
                f"{method} {path} -> {response.status_code}: {response.text[:300]}"
            )
        return response

    def create(self) -> None:
        content = recipe_content(self.rng, self.tag)
        response = self.call("POST", "/api/v1/recipes", 201, json=content)
        if response.status_code == 201:
            self.ledger.live[response.json()["id"]] = content
            self.ledger.writes_acked += 1

    def replace(self, recipe_id: int) -> None:
        content = recipe_content(self.rng, self.tag)
        self.pending = (recipe_id, content)
        response = self.call("PUT", f"/api/v1/recipes/{recipe_id}", 200, json=content)
        if response.status_code == 200:
            self.ledger.live[recipe_id] = content
            self.ledger.writes_acked += 1

    def patch(self, recipe_id: int) -> None:
        change = {"notes": f"patched {self.rng.getrandbits(32):08x}", "rating": None}
        self.pending = (recipe_id, {**self.ledger.live[recipe_id], **change})
        response = self.call("PATCH", f"/api/v1/recipes/{recipe_id}", 200, json=change)
        if response.status_code == 200:
            self.ledger.live[recipe_id] = {**self.ledger.live[recipe_id], **change}
            self.ledger.writes_acked += 1

    def search(self, recipe_id: int) -> None:
        # Read-your-writes: the word of an acknowledged title must be found at once.
        word = self.ledger.live[recipe_id]["title"].split()[-1]
        response = self.call("GET", "/api/v1/recipes", 200, params={"q": word})
        if response.status_code == 200:
            ids = [item["id"] for item in response.json()["items"]]
            if recipe_id not in ids:
                self.ledger.failures.append(f"search {word!r} misses recipe {recipe_id}")

    def delete(self, recipe_id: int) -> None:
        self.pending = (recipe_id, None)
        response = self.call("DELETE", f"/api/v1/recipes/{recipe_id}", 204)
        if response.status_code == 204:
            self.ledger.deleted[recipe_id] = self.ledger.live.pop(recipe_id)["title"]
            self.ledger.writes_acked += 1


def new_ledgers(tokens: dict[str, str], threads: int) -> list[Ledger]:
    users = list(tokens)
    return [Ledger(users[n % len(users)]) for n in range(threads)]


def start_load(
    base: str, tokens: dict[str, str], ledgers: list[Ledger], seconds: float, seed: int
) -> list[Worker]:
    """One worker per ledger (carrying on from what it already holds), for `seconds`."""
    deadline = time.monotonic() + seconds
    workers = [
        Worker(base, tokens[ledger.user], ledger, deadline, seed * 100 + n, f"t{n}")
        for n, ledger in enumerate(ledgers)
    ]
    for worker in workers:
        worker.start()
    return workers


def join(workers: list[Worker], timeout: float = 120) -> None:
    for worker in workers:
        worker.join(timeout=timeout)
        assert not worker.is_alive(), "a load thread did not finish"


def run_load(
    base: str, tokens: dict[str, str], threads: int, seconds: float, seed: int
) -> list[Ledger]:
    """`threads` workers spread over the users in `tokens`, for `seconds`."""
    ledgers = new_ledgers(tokens, threads)
    join(start_load(base, tokens, ledgers, seconds, seed), timeout=seconds + 120)
    return ledgers


@dataclass
class Verdict:
    verified: int = 0
    deletes_verified: int = 0
    uncertain_resolved: int = 0
    lost: list[str] = field(default_factory=list)


def _differences(row: sqlite3.Row, sent: dict[str, Any], user_id: int) -> list[str]:
    stored = stored_content(row)
    wrong = [key for key, value in sent.items() if stored[key] != value]
    return wrong + (["user_id"] if row["user_id"] != user_id else [])


def stored_content(row: sqlite3.Row) -> dict[str, Any]:
    data = {key: row[key] for key in row.keys()}  # noqa: SIM118 (sqlite3.Row)
    for column in ("ingredient_groups", "instructions", "tags", "nutrition"):
        data[column] = json.loads(data[column])
    return data


def verify(database: Path, ledgers: list[Ledger], user_ids: dict[str, int]) -> Verdict:
    """Every acknowledged write is stored as sent; every acknowledged delete is gone."""
    verdict = Verdict()
    db = sqlite3.connect(database, timeout=15)
    db.row_factory = sqlite3.Row
    try:
        for ledger in ledgers:
            for recipe_id, sent in ledger.live.items():
                row = db.execute("SELECT * FROM recipes WHERE id = ?", (recipe_id,)).fetchone()
                if row is None:
                    verdict.lost.append(f"recipe {recipe_id} missing")
                    continue
                wrong = _differences(row, sent, user_ids[ledger.user])
                if wrong:
                    verdict.lost.append(f"recipe {recipe_id} differs in {wrong}")
                else:
                    verdict.verified += 1
            for recipe_id, title in ledger.deleted.items():
                if db.execute(
                    "SELECT 1 FROM recipes WHERE id = ? AND title = ?", (recipe_id, title)
                ).fetchone():
                    verdict.lost.append(f"deleted recipe {recipe_id} is back")
                else:
                    verdict.deletes_verified += 1
            for recipe_id, outcomes in ledger.uncertain.items():
                row = db.execute("SELECT * FROM recipes WHERE id = ?", (recipe_id,)).fetchone()
                ok = any(
                    row is None or row["title"] != outcomes[0]["title"]  # type: ignore[index]
                    if outcome is None
                    else row is not None and not _differences(row, outcome, user_ids[ledger.user])
                    for outcome in outcomes
                )
                if ok:
                    verdict.uncertain_resolved += 1
                else:
                    verdict.lost.append(f"recipe {recipe_id} is neither before nor after")
    finally:
        db.close()
    return verdict


def fts_consistent(database: Path) -> list[str]:
    """Problems with the full-text index: internal damage, or rows out of step with recipes."""
    db = sqlite3.connect(database, timeout=15)
    try:
        problems = []
        try:
            db.execute("INSERT INTO recipe_fts (recipe_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as exc:
            problems.append(f"fts integrity-check: {exc}")
        orphans = db.execute(
            "SELECT count(*) FROM recipe_fts WHERE rowid NOT IN (SELECT id FROM recipes)"
        ).fetchone()[0]
        unindexed = db.execute(
            "SELECT count(*) FROM recipes WHERE id NOT IN (SELECT rowid FROM recipe_fts)"
        ).fetchone()[0]
        if orphans or unindexed:
            problems.append(f"fts rows: {orphans} orphaned, {unindexed} missing")
        return problems
    finally:
        db.close()
