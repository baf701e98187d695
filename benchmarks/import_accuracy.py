"""Import accuracy on a folder of real recipe pages, in-process (no server):

    .venv/bin/python -m benchmarks.import_accuracy CORPUS_DIR [--mode site|generic]
        [--pages dev-set.json] [--verbose] [--limit N] [--api]

CORPUS_DIR holds `<site>/<stem>.testhtml` pages with `<stem>.json` expected fields (see
/work/shared/import-corpus/README.md; the pages belong to their sites and are never
committed). Each page is read twice: by our importer (`parse_html`) and by recipe-scrapers
alone (the baseline), and both are scored the same way as the corpus's score.py: a page is
right when title, ingredients and steps all match after folding whitespace and case and
dropping invisible characters; servings, total time and image are reported per field.

Mode `site` gives each page its own address, so recipe-scrapers' site parsers apply;
`generic` gives an unknown host, so only generic extraction can. `--api` also times the
whole API import (`POST /api/v1/recipes/import` with the HTML) through the Flask app.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.report import stats

FIELDS = ("title", "ingredients", "instructions", "servings", "total_time", "image_url")
CORE = ("title", "ingredients", "instructions")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def norm(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value or "").translate(_INVISIBLE)).strip().lower()


def pages(corpus: Path, listing: Path | None) -> list[tuple[str, str]]:
    """(site, stem) pairs: from the listing's "pages" when given, else every page found."""
    if listing is not None:
        return [tuple(p) for p in json.loads(listing.read_text("utf-8"))["pages"]]
    return sorted(
        (path.parent.name, path.stem)
        for path in corpus.glob("*/*.testhtml")
        if path.with_suffix(".json").exists()
    )


def page_url(site: str, stem: str, expected: dict[str, Any], mode: str) -> str:
    if mode == "generic":
        return f"https://recipes.example.invalid/{site}/{stem}"
    return expected.get("canonical_url") or f"https://{site}/"


def score(got: dict[str, Any] | None, expected: dict[str, Any]) -> dict[str, bool]:
    """Which fields are right (all wrong when nothing was imported)."""
    if got is None:
        return dict.fromkeys(FIELDS, False)

    def lines(value: Any) -> list[str]:
        return [norm(x) for x in value or []]

    return {
        "title": norm(got.get("title")) == norm(expected.get("title")),
        "ingredients": lines(got.get("ingredients")) == lines(expected.get("ingredients")),
        "instructions": lines(got.get("instructions")) == lines(expected.get("instructions_list")),
        "servings": norm(got.get("servings")) == norm(expected.get("yields")),
        "total_time": (got.get("total_time") or None) == (expected.get("total_time") or None),
        "image_url": norm(got.get("image_url")) == norm(expected.get("image")),
    }


def ours(html: str, url: str) -> dict[str, Any] | None:
    """Our import of the page as `POST /api/v1/recipes/import` with {"url", "html"} reads
    it (the address taken as the API takes it), without the app around it."""
    from recipes.importing.errors import ImportFailed
    from recipes.importing.saving import recipe_from_pasted

    try:
        return recipe_from_pasted(html, url)[0].model_dump(mode="json")
    except ImportFailed:
        return None


def library(html: str, url: str, mode: str) -> dict[str, Any] | None:
    """recipe-scrapers alone: its site parser (site mode) or its wild mode (generic)."""
    from recipe_scrapers import scrape_html

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scraper = scrape_html(html, org_url=url, supported_only=mode == "site")
    except Exception:  # the library raises many kinds when it finds nothing
        if mode != "site":
            return None
        return library(html, url, "wild")

    def call(name: str) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return getattr(scraper, name)()
        except Exception:  # a missing field raises
            return None

    return {
        "title": call("title"),
        "ingredients": call("ingredients"),
        "instructions": call("instructions_list"),
        "servings": call("yields"),
        "total_time": call("total_time"),
        "image_url": call("image"),
    }


def evaluate(
    corpus: Path,
    todo: list[tuple[str, str]],
    mode: str,
    reader: Callable[[str, str], dict[str, Any] | None],
) -> tuple[dict[str, int], int, list[tuple[str, list[str]]], list[float], dict[str, set[str]]]:
    """Per-field right counts, whole pages right, failing pages, seconds per page, and the
    pages each field is wrong on."""
    fields = dict.fromkeys(FIELDS, 0)
    wrong: dict[str, set[str]] = {key: set() for key in FIELDS}
    full = 0
    failing: list[tuple[str, list[str]]] = []
    times: list[float] = []
    for site, stem in todo:
        expected = json.loads((corpus / site / f"{stem}.json").read_text("utf-8"))
        html = (corpus / site / f"{stem}.testhtml").read_text("utf-8", errors="replace")
        started = time.perf_counter()
        got = reader(html, page_url(site, stem, expected, mode))
        times.append(time.perf_counter() - started)
        right = score(got, expected)
        for key, ok in right.items():
            fields[key] += ok
            if not ok:
                wrong[key].add(f"{site}/{stem}")
        if all(right[key] for key in CORE):
            full += 1
        else:
            failing.append((f"{site}/{stem}", [k for k in FIELDS if not right[k]]))
    return fields, full, failing, times, wrong


def api_times(corpus: Path, todo: list[tuple[str, str]], mode: str) -> list[float]:
    """Seconds per `POST /api/v1/recipes/import` with the page's HTML, through the app."""
    import tempfile

    from recipes import create_app
    from recipes.api.tokens import create_token
    from recipes.db import get_db
    from recipes.users import create_user

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATA_DIR": folder, "DATABASE": f"{folder}/recipes.db"})
        with app.app_context():
            user = create_user(get_db(), "bench", "bench-password-1")
            _, token = create_token(get_db(), user.id, "benchmark")
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        times = []
        for site, stem in todo:
            expected = json.loads((corpus / site / f"{stem}.json").read_text("utf-8"))
            html = (corpus / site / f"{stem}.testhtml").read_text("utf-8", errors="replace")
            body = {"url": page_url(site, stem, expected, mode), "html": html}
            started = time.perf_counter()
            client.post("/api/v1/recipes/import", json=body, headers=headers)
            times.append(time.perf_counter() - started)
        return times


def _line(name: str, fields: dict[str, int], full: int, n: int) -> str:
    per = ", ".join(f"{k} {100 * v / n:.1f}%" for k, v in fields.items())
    return f"{name:<16} pages right {100 * full / n:5.1f}% ({full}/{n}); {per}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--mode", choices=("site", "generic"), default="site")
    parser.add_argument("--pages", type=Path, help="a dev-set.json listing the pages to use")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--verbose", action="store_true", help="list every failing page")
    parser.add_argument("--no-baseline", action="store_true", help="skip recipe-scrapers alone")
    parser.add_argument("--api", action="store_true", help="also time the API import")
    args = parser.parse_args(argv)
    todo = pages(args.corpus, args.pages)
    if args.limit:
        todo = todo[: args.limit]
    if not todo:
        print(f"no pages in {args.corpus}", file=sys.stderr)
        return 2
    n = len(todo)
    ours(" ", "https://example.com/")  # load the libraries before timing
    fields, full, failing, times, wrong = evaluate(args.corpus, todo, args.mode, ours)
    s = stats(times)
    print(f"import accuracy, mode {args.mode}, {n} pages")
    print(_line("Recipes", fields, full, n))
    if not args.no_baseline:
        base = evaluate(args.corpus, todo, args.mode, lambda h, u: library(h, u, args.mode))
        print(_line("recipe-scrapers", base[0], base[1], n))
        below = [k for k in FIELDS if fields[k] < base[0][k]]
        if below:
            print(f"BELOW the library on: {', '.join(below)}")
        lost = sorted({p for p, _ in failing} - {p for p, _ in base[2]})
        if lost:
            print(f"pages the library gets right and we do not ({len(lost)}): {' '.join(lost)}")
        for key in FIELDS:
            worse = sorted(wrong[key] - base[4][key])
            if worse:
                print(f"  {key} right by the library only ({len(worse)}): {' '.join(worse)}")
    print(f"parse time: median {s['median_ms']:.0f} ms, p95 {s['p95_ms']:.0f} ms")
    if args.api:
        a = stats(api_times(args.corpus, todo, args.mode))
        print(f"API import time: median {a['median_ms']:.0f} ms, p95 {a['p95_ms']:.0f} ms")
    shown = failing if args.verbose else failing[:30]
    print(f"failing pages ({len(failing)}):")
    for name, wrong in shown:
        print(f"  {name}: wrong {', '.join(wrong)}")
    if len(shown) < len(failing):
        print(f"  ... and {len(failing) - len(shown)} more (--verbose lists them all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
