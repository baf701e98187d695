"""Meal plan entries as clients send and receive them (API and pages share these rules).

The JSON Schema of each input says exactly what is accepted (the API's property test sends
anything the schema allows): required text is never blank, and fields that may be left
out are not nullable unless null means something.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from recipes.db import MAX_ROW_ID
from recipes.models import Line, _required_line

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_SERVINGS = 1000
SlotName = Annotated[str, Field(max_length=60), AfterValidator(_required_line)]
Servings = Annotated[float, Field(gt=0, le=MAX_SERVINGS, strict=True)]
PlanText = Annotated[str, Field(max_length=300), AfterValidator(_required_line)]
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID, strict=True)]


def omit_null_defaults(schema: dict[str, Any]) -> None:
    """A field that may be left out but not sent as null: no `"default": null` in its schema
    (that default would contradict its type)."""
    for field in schema.get("properties", {}).values():
        if field.get("default", 0) is None and "type" in field:
            del field["default"]


def _entry_in_schema(schema: dict[str, Any]) -> None:
    omit_null_defaults(schema)
    schema["oneOf"] = [{"required": ["recipe_id"]}, {"required": ["text"]}]


class EntryIn(BaseModel):
    """A new entry: a recipe (with servings) or a free text such as "leftovers"."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_entry_in_schema)

    date: dt.date
    slot: SlotName = Field(description="A slot's name, e.g. Dinner; a new name adds that slot")
    recipe_id: RowId = Field(default=None)  # type: ignore[assignment]
    text: PlanText = Field(default=None, description="Free text instead of a recipe")  # type: ignore[assignment]
    servings: Servings | None = Field(
        default=None,
        description="Default: the recipe's own; batches of a recipe that states no servings",
    )

    @model_validator(mode="after")
    def _recipe_or_text(self) -> EntryIn:
        if (self.recipe_id is None) == (self.text is None):
            raise ValueError("give either recipe_id or text")
        return self


class EntryPatch(BaseModel):
    """Any of an entry's fields; a move is a new date and/or slot."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=omit_null_defaults)

    date: dt.date = Field(default=None)  # type: ignore[assignment]
    slot: SlotName = Field(default=None)  # type: ignore[assignment]
    recipe_id: RowId = Field(default=None, description="Plan this recipe instead")  # type: ignore[assignment]
    text: PlanText = Field(default=None, description="This free text instead")  # type: ignore[assignment]
    servings: Servings | None = Field(default=None, description="null: the recipe's own")
    cooked: bool = Field(  # type: ignore[assignment]
        default=None, strict=True, description="true records the meal in the cooking log"
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
    batches: bool = Field(
        default=False,
        description="`servings` counts batches: the recipe states no number of servings",
    )
    cooked_on: dt.date | None = None


class EntryList(BaseModel):
    items: list[Entry]


def _iso_date(value: Any) -> Any:
    """YYYY-MM-DD only (pydantic also reads "0" as a timestamp, Python 20260302)."""
    if not isinstance(value, str):
        return value
    if not ISO_DATE.fullmatch(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return dt.date.fromisoformat(value)


QueryDate = Annotated[dt.date | None, BeforeValidator(_iso_date)]


class RangeQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    start: QueryDate = Field(default=None, description="First day (default: this week)")
    end: QueryDate = Field(default=None, description="Last day, inclusive")


class SlotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: SlotName


class SuggestQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    tag: Line = ""
    category: Line = ""
    days: Annotated[int, Field(ge=0, le=365)] = 14
