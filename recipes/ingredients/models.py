"""The parsed shape of an ingredient line (API, storage and the cooking features share it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from pydantic import BaseModel, Field, TypeAdapter


class Amount(BaseModel):
    """One amount: `2-3 tbsp` is quantity 2, quantity_max 3, unit "tbsp"."""

    quantity: float | None = Field(default=None, description="The amount, or its lower end")
    quantity_max: float | None = Field(default=None, description="Top of a range, else null")
    unit: str | None = Field(
        default=None, description="A canonical unit (see docs/cooking.md), or null for a count"
    )


class ParsedIngredient(BaseModel):
    """An ingredient line understood; `quantity`/`quantity_max`/`unit` mirror `amounts[0]`."""

    text: str = Field(description="The line exactly as written")
    quantity: float | None = None
    quantity_max: float | None = None
    unit: str | None = None
    food: str | None = Field(default=None, description="What the ingredient is")
    note: str | None = Field(default=None, description="Preparation, comments, alternatives")
    amounts: list[Amount] = Field(default_factory=list, description="Every amount, in order")


class Reading(NamedTuple):
    """A parsed line as plain values: what the parser caches and the stored form holds.

    Amounts are `(quantity, quantity_max, unit)`. Pydantic models are built from it only
    where one is handed out, in one pydantic-core call (`reading_fields`).
    """

    food: str | None
    note: str | None
    amounts: Sequence[Sequence[Any]]


PARSED_LIST = TypeAdapter(list[ParsedIngredient])
# pydantic-core's validator called directly: 2 us a line, where model_validate took 2.7
validate_parsed = ParsedIngredient.__pydantic_validator__.validate_python


def reading_fields(text: str, reading: Reading | None) -> dict[str, Any]:
    """The fields of `ParsedIngredient` to validate; a reading of None: a line kept as text."""
    if reading is None:
        return {"text": text, "amounts": []}
    first = reading.amounts[0] if reading.amounts else (None, None, None)
    return {
        "text": text,
        "quantity": first[0],
        "quantity_max": first[1],
        "unit": first[2],
        "food": reading.food,
        "note": reading.note,
        "amounts": [
            {"quantity": q, "quantity_max": top, "unit": u} for q, top, u in reading.amounts
        ],
    }
