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

from . import tagger
from .models import PARSED_LIST, ParsedIngredient, Reading, reading_fields
from .parser import parse_lines, read_line

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # made once, not per line
_UNREAD = Reading(None, None, ())  # a blank line, or one too long to be an ingredient
FORMAT = 2  # 1 was one object with named fields per line
# What a damaged column raises as it is read (ValidationError is a ValueError): such a
# recipe is parsed again, never answered with an error.
_DAMAGED = (TypeError, ValueError, IndexError)


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
            entry = memo[line] = _entry(read_line(line) or _UNREAD)
        entries.append(entry)
    return "[" + ",".join(entries) + "]"


def _entry(reading: Reading) -> str:
    amounts = [[_number(q), _number(top), unit] for q, top, unit in reading.amounts]
    return _ENCODER.encode([reading.food, reading.note, amounts])


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and value.is_integer() else value


def loads(lines: Sequence[str], stored: str | None) -> list[ParsedIngredient]:
    """The parsed lines, from the column when it matches the lines, else parsed now."""
    readings = _stored_readings(lines, stored)
    if readings is not None:
        try:
            # pydantic-core validates the list in Rust: 3 us a line, where model_construct
            # took 7.
            pairs = zip(lines, readings, strict=True)
            return PARSED_LIST.validate_python([reading_fields(*pair) for pair in pairs])
        except _DAMAGED:
            pass
    return parse_lines(lines)


def plain(lines: Sequence[str], stored: str | None) -> list[dict[str, Any]]:
    """The parsed lines as the plain data `ParsedIngredient` serialises to (every field,
    numbers as floats), from the column when it matches the lines, else parsed now."""
    readings = _stored_readings(lines, stored)
    if readings is not None:
        try:
            return [_plain(line, reading) for line, reading in zip(lines, readings, strict=True)]
        except _DAMAGED:
            pass
    return [_plain(line, read_line(line) or _UNREAD) for line in lines]


def _stored_readings(lines: Sequence[str], stored: str | None) -> list[Reading] | None:
    """The column's readings, one per line; None when it does not hold one for each."""
    try:
        entries = json.loads(stored) if stored else None
        if not isinstance(entries, list) or len(entries) != len(lines):
            return None
        return [Reading(*entry) for entry in entries]
    except _DAMAGED:  # not JSON, or not the compact form: parse again rather than fail
        return None


def _plain(text: str, reading: Reading) -> dict[str, Any]:
    amounts = [
        {"quantity": _float(q), "quantity_max": _float(top), "unit": unit}
        for q, top, unit in reading.amounts
    ]
    first = amounts[0] if amounts else {"quantity": None, "quantity_max": None, "unit": None}
    return {"text": text, **first, "food": reading.food, "note": reading.note, "amounts": amounts}


def _float(value: float | None) -> float | None:
    # Stored compactly as 2 rather than 2.0; the model's numbers are floats.
    return None if value is None else float(value)
