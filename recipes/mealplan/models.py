"""Meal plan entries as clients send and receive them (API and pages share these rules)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from recipes.models import Line, clean_line

MAX_SERVINGS = 1000
SlotName = Annotated[str, Field(min_length=1, max_length=60), AfterValidator(clean_line)]
Servings = Annotated[float | None, Field(gt=0, le=MAX_SERVINGS)]
PlanText = Annotated[
    str | None, Field(max_length=300), AfterValidator(lambda v: v and clean_line(v) or None)
]


class EntryIn(BaseModel):
    """A new entry: a recipe (with servings) or a free text such as "leftovers"."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date
    slot: SlotName = Field(description="The slot's name, e.g. Dinner")
    recipe_id: Annotated[int | None, Field(ge=1, le=2**63 - 1)] = None
    text: PlanText = Field(default=None, description="Free text instead of a recipe")
    servings: Servings = None

    @model_validator(mode="after")
    def _recipe_or_text(self) -> EntryIn:
        if (self.recipe_id is None) == (self.text is None):
            raise ValueError("give either recipe_id or text")
        return self


class EntryPatch(BaseModel):
    """Any of an entry's fields; a move is a new date and/or slot."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date | None = None
    slot: SlotName | None = None
    recipe_id: Annotated[int | None, Field(ge=1, le=2**63 - 1)] = None
    text: PlanText = None
    servings: Servings = None
    cooked: bool | None = Field(
        default=None, description="true records the meal in the cooking log"
    )


class Entry(BaseModel):
    id: int
    date: dt.date
    slot: str
    slot_id: int
    recipe_id: int | None
    text: str | None
    title: str = Field(description="The recipe's title, or the free text")
    servings: float | None
    cooked_on: dt.date | None = None


class EntryList(BaseModel):
    items: list[Entry]


class RangeQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    start: dt.date | None = Field(default=None, description="First day (default: this week)")
    end: dt.date | None = Field(default=None, description="Last day, inclusive")


class SlotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: SlotName


class SuggestQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    tag: Line = ""
    category: Line = ""
    days: Annotated[int, Field(ge=0, le=365)] = 14
