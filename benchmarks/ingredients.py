"""Ingredient parsing accuracy on labelled CSV files (issue 15).

    python -m benchmarks.ingredients ../shared/ingredient-corpus/bbc.csv ...

The CSV layout is the corpus's: `input,name,quantity,unit,...`; several amounts are separated
by spaces and fractions written `#1$2` (`1#1$2` is 1½). Two figures per file, as the corpus's
own scorer counts them: the first amount's quantity (with a range's top) and unit both right,
and the food right with case and plurals folded. Also the parse time per line.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from recipes.ingredients import parse_ingredient
from recipes.ingredients.units import canonical_unit

SIZE_WORDS = {"lg", "sm", "md", "med", "large", "small", "medium"}
_LABEL_NUMBER = re.compile(r"(\d+(?:\.\d+)?)?(?:#(\d+)\$(\d+))?")


@dataclass
class Score:
    lines: int = 0
    amount_ok: int = 0
    food_ok: int = 0
    seconds: float = 0.0

    def line(self, name: str) -> str:
        return (
            f"{name}: qty+unit {100 * self.amount_ok / self.lines:.1f}%, "
            f"food {100 * self.food_ok / self.lines:.1f}% of {self.lines} lines, "
            f"{1e6 * self.seconds / self.lines:.0f} µs/line"
        )


def label_number(text: str) -> float | None:
    match = _LABEL_NUMBER.fullmatch(text)
    if not match or not (match.group(1) or match.group(2)):
        return None
    whole = float(match.group(1) or 0)
    return whole + (int(match.group(2)) / int(match.group(3)) if match.group(2) else 0)


def unit_key(unit: str | None) -> str | None:
    """Spellings folded as the corpus scorer folds them (`cups` -> `cup`, `stalks` -> `stalk`)."""
    unit = (unit or "").strip().lower().rstrip(".")
    if not unit:
        return None
    known = canonical_unit(unit)
    if known in {"cup", "tbsp", "tsp", "oz", "lb", "g", "kg", "ml", "l", "quart", "pint",
                 "gallon", "fl oz"}:  # fmt: skip
        return known
    return re.sub(r"e?s$", "", unit) if len(unit) > 3 else unit


def label_unit(units: str) -> str | None:
    words = units.split()
    while words and words[0].lower() in SIZE_WORDS:
        words = words[1:]
    if len(words) > 1 and " ".join(words[:2]).lower() in {"fl oz", "fluid ounce", "fluid ounces"}:
        return "fl oz"
    return unit_key(words[0]) if words else None


def singular(word: str) -> str:
    for end, repl in (("ies", "y"), ("ves", "f"), ("oes", "o"), ("ches", "ch"), ("shes", "sh"),
                      ("xes", "x"), ("sses", "ss")):  # fmt: skip
        if word.endswith(end) and len(word) > len(end) + 1:
            return word[: -len(end)] + repl
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def food_key(food: str | None) -> str:
    return " ".join(singular(w) for w in re.findall(r"[a-zà-ÿ]+", (food or "").lower()))


def same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 0.01)


def score_file(path: Path, verbose: bool = False) -> Score:
    with path.open(encoding="utf8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["name"]]
    score = Score(lines=len(rows))
    started = time.perf_counter()
    parsed = [parse_ingredient(row["input"]) for row in rows]
    score.seconds = time.perf_counter() - started
    for row, got in zip(rows, parsed, strict=True):
        low, _, high = (row["quantity"].split() or [""])[0].partition("-")
        want_max = label_number(high) if high else None
        amount_ok = (
            same(label_number(low), got.quantity)
            and (want_max is None or same(want_max, got.quantity_max))
            and label_unit(row["unit"]) == unit_key(got.unit)
        )
        food_ok = food_key(row["name"]) == food_key(got.food)
        score.amount_ok += amount_ok
        score.food_ok += food_ok
        if verbose and not (amount_ok and food_ok):
            print(f"{row['input']!r}: want {row['quantity']!r} {row['unit']!r} {row['name']!r}; "
                  f"got {got.quantity} {got.quantity_max} {got.unit} {got.food!r}")  # fmt: skip
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="+", type=Path)
    parser.add_argument("--verbose", action="store_true", help="print every line missed")
    args = parser.parse_args(argv)
    total = Score()
    for path in args.csv:
        score = score_file(path, args.verbose)
        print(score.line(path.name))
        total.lines += score.lines
        total.amount_ok += score.amount_ok
        total.food_ok += score.food_ok
        total.seconds += score.seconds
    if len(args.csv) > 1:
        print(total.line("all"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
