"""The benchmark runs end to end at a tiny N and writes its table and JSON (speed is not
checked), and the bounded ranking that keeps big searches fast loses no match."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from benchmarks import run
from benchmarks.generate import recipe, recipes
from recipes import search
from recipes.db import connect
from recipes.models import RecipeIn
from recipes.store import bulk_create
from recipes.users import create_user


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_benchmark_writes_table_and_json(tmp_path: Path) -> None:
    args = ["--n", "40", "--rounds", "1", "--creates", "5", "--cold-starts", "1"]
    args += ["--wrk-seconds", "1", "--import", "30", "--out", str(tmp_path)]
    if shutil.which("wrk") is None:
        args.append("--skip-wrk")
    report = run.main(args)

    saved = json.loads((tmp_path / "latest.json").read_text())
    assert saved["runs"].keys() == {"40"}
    result = saved["runs"]["40"]
    assert result["n"] == 40
    for figure in ("search_api", "search_html", "recipe_json", "recipe_html", "index_deep"):
        assert result[figure]["count"] > 0
        assert (
            0 < result[figure]["median_ms"] <= result[figure]["p95_ms"] <= result[figure]["max_ms"]
        )
    assert result["create_api"]["per_second"] > 0
    assert result["waitress_idle"]["rss_mb"] > 0
    assert result["database"]["total_mb"] > 0
    assert saved["imports"][0]["recipes"] == 30  # `recipes import` of a 30-recipe export
    assert saved["imports"][0]["seconds"] > 0
    table = (tmp_path / "latest.md").read_text()
    assert table.startswith("| figure | target at 100k | N = 40 |")
    assert "search API" in table and "cold start" in table
    assert report["runs"]["40"]["n"] == 40


def test_generator_is_seeded_and_valid() -> None:
    assert recipe(5) == recipe(5) and recipe(5) != recipe(6)
    for data in recipes(50):
        parsed = RecipeIn.model_validate(data)
        assert 5 <= sum(len(g.ingredients) for g in parsed.ingredient_groups or []) <= 25
        assert 3 <= len(parsed.instructions) <= 15


@pytest.fixture
def many(app, monkeypatch):
    """80 owned recipes matching "chicken", 20 of another user; ranking bounds set low."""
    monkeypatch.setattr(search, "RANK_ALL", 30)
    monkeypatch.setattr(search, "RANK_NEWEST", 25)
    db = connect(app.config["DATABASE"])
    ann = create_user(db, "ann", "correct horse 1")
    bob = create_user(db, "bob", "correct horse 2")
    body = RecipeIn(title="Stew", ingredients=["1 chicken", "salt"])
    titled = RecipeIn(title="Chicken pie", ingredients=["flour"])
    bulk_create(
        db, ann.household_id, [titled if i % 10 == 0 else body for i in range(80)], by=ann.id
    )
    bulk_create(db, bob.household_id, [titled] * 20, by=bob.id)
    bulk_create(db, ann.household_id, [body] * 40, by=ann.id)
    return SimpleNamespace(conn=db, household_id=ann.household_id)


@pytest.mark.parametrize("full", [False, True])
def test_bounded_ranking_pages_through_every_match_once(many, full) -> None:
    seen: list[int] = []
    for number in range(1, 20):
        page = search.search_recipes(many.conn, many.household_id, "chick", number, 7, full=full)
        assert page.total == 120
        ids = [item.data["id"] if full else item["id"] for item in page.items]
        if not ids:
            break
        seen += ids
    owned = {
        row[0]
        for row in many.conn.execute(
            "SELECT id FROM recipes WHERE household_id = ?", (many.household_id,)
        )
    }
    assert len(seen) == len(set(seen)) == 120
    assert set(seen) == owned


def test_bounded_ranking_puts_title_matches_first_among_the_newest(many) -> None:
    first = search.search_recipes(many.conn, many.household_id, "chicken", 1, 3)
    # The 25 newest matches are all body matches (the last 40 inserted), so the ranked
    # head is bm25 among those; snippets are still made for each item.
    assert all("\x02chicken\x03" in item["snippet"] for item in first.items)
    page = search.search_recipes(many.conn, many.household_id, "pie", 1, 50)
    assert page.total == 8 and {item["title"] for item in page.items} == {"Chicken pie"}


def test_bounded_ranking_counts_with_filters(many) -> None:
    page = search.search_recipes(many.conn, many.household_id, "chicken", category="none")
    assert page.total == 0 and page.items == []


def _recounted(db) -> tuple[list[tuple], list[tuple]]:
    tags = db.execute(
        "SELECT r.household_id, lower(t.tag), count(*) FROM recipe_tags t "
        "JOIN recipes r ON r.id = t.recipe_id GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    kept = db.execute(
        "SELECT household_id, lower(tag), count FROM tag_counts WHERE count > 0 ORDER BY 1, 2"
    ).fetchall()
    recipes_ = db.execute("SELECT household_id, count(*) FROM recipes GROUP BY 1 ORDER BY 1")
    counted = db.execute("SELECT household_id, count FROM recipe_counts WHERE count > 0 ORDER BY 1")
    return ([tuple(r) for r in tags], [tuple(r) for r in recipes_]), (
        [tuple(r) for r in kept],
        [tuple(r) for r in counted],
    )


def test_kept_counts_follow_every_write(app) -> None:
    """tag_counts and recipe_counts (migration 0003) match a full recount after creates,
    updates, deletes and a deleted account."""
    from recipes import store

    db = connect(app.config["DATABASE"])
    ann = create_user(db, "ann", "correct horse 1")
    bob = create_user(db, "bob", "correct horse 2")
    home, bobs = ann.household_id, bob.household_id
    ids = bulk_create(db, home, [RecipeIn.model_validate(r) for r in recipes(30)], by=ann.id)
    bulk_create(db, bobs, [RecipeIn(title="Pie", tags=["Dinner", "quick"])] * 3, by=bob.id)
    toast = RecipeIn(title="Toast", tags=["QUICK", "new"])
    store.update_recipe(db, home, ids[0], toast, by=bob.id)
    store.delete_recipe(db, home, ids[1])
    expected, kept = _recounted(db)
    assert expected == kept and expected[1] == [(home, 29), (bobs, 3)]
    assert store.list_recipes(db, home).total == 29
    db.execute("DELETE FROM users WHERE id = ?", (bob.id,))
    expected, kept = _recounted(db)
    assert expected == kept and expected[1] == [(home, 29)]
    assert store.tag_counts(db, bobs) == []


def test_static_files_are_versioned_and_cached_for_a_year(client) -> None:
    import re

    page = client.get("/auth/login").get_data(as_text=True)
    urls = re.findall(r'"(/static/style\.css\?v=[0-9a-f]{12})"', page)
    assert urls, "the stylesheet URL carries no content hash"
    versioned = client.get(urls[0])
    assert versioned.status_code == 200
    assert versioned.cache_control.max_age == 365 * 24 * 3600
    assert versioned.cache_control.immutable and not versioned.cache_control.no_cache
    for other in ("/static/style.css", "/static/style.css?v=000000000000"):
        assert client.get(other).cache_control.max_age is None
