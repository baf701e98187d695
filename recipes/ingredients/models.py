"""The parsed shape of an ingredient line (API, storage and the cooking features share it)."""

from __future__ import annotations

from pydantic import BaseModel, Field


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
