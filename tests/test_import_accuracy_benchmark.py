"""`python -m benchmarks.import_accuracy` on a tiny corpus made of our own fixture pages
(the real corpus is never committed): it scores pages right and wrong, for us and for
recipe-scrapers alone, and times the API import."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from benchmarks import import_accuracy

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    sally = tmp_path / "sallysbakingaddiction.com"
    sally.mkdir()
    shutil.copy(FIXTURES / "site_tasty.html", sally / "cookies.testhtml")
    expected = {
        "canonical_url": "https://sallysbakingaddiction.com/birthday-cake-cookies/",
        "title": "Birthday Cake Cookies",
        "ingredients": [
            "1 and 1/3 cup (167g) all-purpose flour",
            "5 tablespoons butter, divided",
            "1 cup half & half",
            "125ml milk (see note)",
            "1/2 cup (100g) sugar",
        ],
        "instructions_list": [
            "Whisk the flour.",
            "Beat the butter and sugar. Add the milk.",
            "Bake for 12 minutes.",
        ],
        "yields": "24 cookies",
        "total_time": 32,
        "image": "https://sallysbakingaddiction.com/img/cookies-1200.jpg",
    }
    (sally / "cookies.json").write_text(json.dumps(expected))
    soup = tmp_path / "soup.example"
    soup.mkdir()
    shutil.copy(FIXTURES / "generic_mixups.html", soup / "pea.testhtml")
    (soup / "pea.json").write_text(
        json.dumps({"title": "Green Pea Soup", "ingredients": ["wrong on purpose"]})
    )
    return tmp_path


def test_scores_us_and_the_library(corpus: Path, capsys) -> None:
    assert import_accuracy.main([str(corpus), "--mode", "site", "--api"]) == 0
    out = capsys.readouterr().out
    assert "Recipes          pages right  50.0% (1/2)" in out
    assert "recipe-scrapers  pages right" in out
    assert "soup.example/pea: wrong ingredients, instructions" in out
    assert "API import time: median" in out


def test_generic_mode_hides_the_host(corpus: Path) -> None:
    assert import_accuracy.page_url("a.com", "x", {}, "generic").startswith(
        "https://recipes.example.invalid/"
    )
    expected = json.loads((corpus / "sallysbakingaddiction.com" / "cookies.json").read_text())
    got = import_accuracy.ours(
        (corpus / "sallysbakingaddiction.com" / "cookies.testhtml").read_text(),
        import_accuracy.page_url("sallysbakingaddiction.com", "cookies", expected, "generic"),
    )
    assert import_accuracy.score(got, expected) == dict.fromkeys(import_accuracy.FIELDS, True)
