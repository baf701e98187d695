"""Parsed ingredient lines as stored with a recipe: a JSON list, one entry per line.

Each entry is `[food, note, [[quantity, quantity_max, unit], ...]]`: the line's text is
not repeated (the recipe holds it) and `quantity`/`unit` are the first amount's, so the
column stays small (about 40 bytes a line; named fields took 150 and doubled the row, which
slowed every scan). A recipe stored before parsing existed, or whose stored list no longer
matches its lines, is parsed on the spot, so a reader always gets one parsed entry per line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter

from . import tagger
from .models import ParsedIngredient
from .parser import parse_ingredient, parse_shared

_PARSED = TypeAdapter(list[ParsedIngredient])
FORMAT = 2  # 1 was one object with named fields per line


def version() -> str:
    """What stored parses must have been made with: this form and the shipped model."""
    return f"{FORMAT}:{tagger.model_digest()}"


def dumps(lines: Sequence[str], memo: dict[str, str] | None = None) -> str:
    """The lines parsed, as compact JSON for the recipe's `ingredients_parsed` column.

    `memo` keeps each distinct line's JSON across calls (the upgrade passes one: a
    collection repeats lines such as "1 tsp salt" many times).
    """
    memo = {} if memo is None else memo
    entries = []
    for line in lines:
        entry = memo.get(line)
        if entry is None:
            entry = memo[line] = _entry(parse_shared(line))
        entries.append(entry)
    return "[" + ",".join(entries) + "]"


def _entry(parsed: ParsedIngredient) -> str:
    amounts = [[_number(a.quantity), _number(a.quantity_max), a.unit] for a in parsed.amounts]
    return json.dumps(
        [parsed.food, parsed.note, amounts], ensure_ascii=False, separators=(",", ":")
    )


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and value.is_integer() else value


def loads(lines: Sequence[str], stored: str | None) -> list[ParsedIngredient]:
    """The parsed lines, from the column when it matches the lines, else parsed now."""
    fields = plain(lines, stored)
    # pydantic-core validates the list in Rust: 3 us a line, where model_construct took 7.
    return _PARSED.validate_python(fields)


def plain(lines: Sequence[str], stored: str | None) -> list[dict[str, Any]]:
    """The parsed lines as plain data in `ParsedIngredient`'s shape (what it serialises to),
    from the column when it matches the lines, else parsed now."""
    entries = json.loads(stored) if stored else None
    if isinstance(entries, list) and len(entries) == len(lines):
        try:
            return [_fields(line, *entry) for line, entry in zip(lines, entries, strict=True)]
        except (TypeError, ValueError):  # not the compact form: parse again rather than fail
            pass
    return [parse_ingredient(line).model_dump() for line in lines]


def _fields(text: str, food: str | None, note: str | None, amounts: list[list[Any]]) -> dict:
    amounts = [[_float(q), _float(top), unit] for q, top, unit in amounts]
    first = amounts[0] if amounts else (None, None, None)
    return {
        "text": text,
        "quantity": first[0],
        "quantity_max": first[1],
        "unit": first[2],
        "food": food,
        "note": note,
        "amounts": [{"quantity": q, "quantity_max": top, "unit": u} for q, top, u in amounts],
    }


def _float(value: float | None) -> float | None:
    # Stored compactly as 2 rather than 2.0; the model's numbers are floats.
    return None if value is None else float(value)
