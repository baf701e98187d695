"""Training and evaluating the tagger on labelled lines (the corpus CSV layout).

    python -m recipes.ingredients.train CSV... [--out PATH]          # the shipped model
    python -m recipes.ingredients.train CSV... --evaluate            # held-out figures

Each labelled line names its food, quantities, units and size as text; `align` turns that
into one tag per token. `--evaluate` trains on each file and tests on the others (one
source held out), and does a 5-fold cross-validation over all lines.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pycrfsuite

from .features import SIZE_WORDS, sentence_features
from .parser import forget_parsed
from .tagger import MODEL_NAME, use_model
from .tokens import NUMBER_WORDS, Token, normalise, tokenize
from .units import canonical_unit
from .words import singular

_LABEL_NUMBER = re.compile(r"(\d+(?:\.\d+)?)?(?:#(\d+)\$(\d+))?")
_WORD = re.compile(r"[^\W\d_]+(?:['.-][^\W\d_]+)*")
# 300 iterations: at 150 the loss was still falling (3% more by 300); held out, food +0.1
# to +0.4 points and qty+unit up to +0.1
PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 300, "feature.possible_transitions": True}

Row = dict[str, str]


def read_rows(paths: Iterable[Path]) -> list[Row]:
    rows: list[Row] = []
    for path in paths:
        with path.open(encoding="utf8") as handle:
            rows += [row for row in csv.DictReader(handle) if row["name"]]
    return rows


def label_number(text: str) -> float | None:
    """A corpus number: `150`, `#1$2` (½), `5#1$4` (5¼)."""
    match = _LABEL_NUMBER.fullmatch(text)
    if not match or not (match.group(1) or match.group(2)):
        return None
    whole = float(match.group(1) or 0)
    return whole + (int(match.group(2)) / int(match.group(3)) if match.group(2) else 0)


def label_quantity(text: str) -> float | None:
    """As `label_number`, and spelled-out numbers too ("One" in "One 28-ounce can"), and
    a count labelled with its times sign ("4x" in "4 x 400g"). Only a digit's "x" goes: a
    plain rstrip turned "Six" into "si", so that lines starting "Six" taught "six" is no
    quantity."""
    spelled = NUMBER_WORDS.get(text.lower())
    if spelled is not None:
        return float(spelled)
    return label_number(text[:-1] if text[-2:-1].isdigit() and text[-1:] in "xX" else text)


def _fold(word: str) -> str:
    word = word.lower().rstrip(".")
    return canonical_unit(word) or singular(word)


def align(row: Row) -> tuple[list[Token], list[str]]:
    """The line's tokens and one tag each, matching the labels' words in order."""
    tokens = tokenize(normalise(row["input"].strip()))
    tags = ["O"] * len(tokens)
    wanted = [label_quantity(q.partition("-")[0]) for q in row["quantity"].split()]
    quantities = [q for q in wanted if q is not None]
    for i, token in enumerate(tokens):
        if quantities and token.kind == "qty" and abs((token.value or 0) - quantities[0]) < 0.01:
            tags[i] = "Q"
            quantities.pop(0)
    units = row["unit"].split()
    _mark(tokens, tags, [u for u in units if u.lower() not in SIZE_WORDS], "U")
    _mark(tokens, tags, [u for u in units if u.lower() in SIZE_WORDS] + row["size"].split(), "S")
    _mark(tokens, tags, _WORD.findall(normalise(row["name"])), "F")
    return tokens, tags


def _mark(tokens: list[Token], tags: list[str], words: list[str], tag: str) -> None:
    wanted = [_fold(w) for w in words]
    for i, token in enumerate(tokens):
        if wanted and tags[i] == "O" and token.kind == "word" and _fold(token.text) == wanted[0]:
            tags[i] = tag
            wanted.pop(0)


def train(rows: list[Row], out: Path) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for row in rows:
        tokens, tags = align(row)
        if tokens:
            trainer.append(sentence_features(tokens), tags)
    trainer.set_params(PARAMS)
    trainer.train(str(out))


def _score(rows: list[Row], model: Path) -> tuple[float, float, float]:
    """qty+unit, food, and qty+unit with the label artifacts counted as right (percent)."""
    from benchmarks.ingredients import score_rows

    use_model(model)
    forget_parsed()
    try:
        score = score_rows(rows)
    finally:
        use_model(None)
        forget_parsed()
    return (
        100 * score.amount_ok / score.lines,
        100 * score.food_ok / score.lines,
        score.meant_percent,
    )


def evaluate(paths: list[Path], folds: int = 5) -> None:
    """Held-out figures: each source against a model trained on the others, then k-fold."""
    by_file = {path: read_rows([path]) for path in paths}
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / MODEL_NAME
        for held_out, rows in by_file.items():
            others = [r for path, rs in by_file.items() if path != held_out for r in rs]
            if not others:
                continue
            train(others, model)
            amount, food, meant = _score(rows, model)
            print(f"trained without {held_out.name}, tested on it: qty+unit {amount:.1f}% "
                  f"({meant:.1f}% with the label artifacts), food {food:.1f}%")  # fmt: skip
        everything = [r for rs in by_file.values() for r in rs]
        random.Random(15).shuffle(everything)
        results = []
        for k in range(folds):
            test = everything[k::folds]
            rest = [r for i, r in enumerate(everything) if i % folds != k]
            train(rest, model)
            results.append(_score(test, model))
        amount = sum(r[0] for r in results) / folds
        food = sum(r[1] for r in results) / folds
        meant = sum(r[2] for r in results) / folds
        print(f"{folds}-fold cross-validation: qty+unit {amount:.1f}% "
              f"({meant:.1f}% with the label artifacts), food {food:.1f}%")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name(MODEL_NAME))
    parser.add_argument("--evaluate", action="store_true", help="held-out figures only")
    args = parser.parse_args(argv)
    if args.evaluate:
        evaluate(args.csv)
    else:
        train(read_rows(args.csv), args.out)
        print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
