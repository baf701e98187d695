"""Parsed ingredient lines as stored with a recipe: a JSON list, one entry per line.

The line's text is not repeated (the recipe holds it); reading joins them back. A recipe
stored before parsing existed, or whose stored list no longer matches its lines, is parsed
on the spot, so a reader always gets one parsed entry per line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter

from .models import ParsedIngredient
from .parser import parse_ingredient, parse_shared

_FIELDS = ("quantity", "quantity_max", "unit", "food", "note")
_PARSED = TypeAdapter(list[ParsedIngredient])


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
    entry: dict[str, Any] = {name: getattr(parsed, name) for name in _FIELDS}
    entry["amounts"] = [
        {"quantity": a.quantity, "quantity_max": a.quantity_max, "unit": a.unit}
        for a in parsed.amounts
    ]
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def loads(lines: Sequence[str], stored: str | None) -> list[ParsedIngredient]:
    """The parsed lines, from the column when it matches the lines, else parsed now."""
    entries = json.loads(stored) if stored else None
    if not isinstance(entries, list) or len(entries) != len(lines):
        return [parse_ingredient(line) for line in lines]
    for line, entry in zip(lines, entries, strict=True):
        entry["text"] = line
    # pydantic-core validates a list in Rust: 3 us a line, where model_construct took 7.
    return _PARSED.validate_python(entries)
