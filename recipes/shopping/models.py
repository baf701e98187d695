"""Shopping lists as clients send and receive them (API and pages share these rules)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from recipes.mealplan.models import Servings
from recipes.models import clean_line


def _required(value: str) -> str:
    value = clean_line(value)
    if not value:
        raise ValueError("required")
    return value


Name = Annotated[str, Field(max_length=100), AfterValidator(_required)]
ItemText = Annotated[str, Field(max_length=300), AfterValidator(_required)]
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ListIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name


class RecipesIn(BaseModel):
    """One recipe at some servings, or every recipe planned from `start` to `end`."""

    model_config = ConfigDict(extra="forbid")

    recipe_id: RowId | None = None
    servings: Servings = Field(default=None, description="Default: the recipe's own")
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> RecipesIn:
        by_recipe = self.recipe_id is not None
        by_dates = self.start is not None or self.end is not None
        if by_recipe == by_dates:
            raise ValueError("give either recipe_id (and servings) or start and end")
        if by_dates and (self.start is None or self.end is None):
            raise ValueError("give both start and end")
        if by_dates and self.end < self.start:  # type: ignore[operator]
            raise ValueError("end is before start")
        if by_dates and (self.end - self.start).days > 366:  # type: ignore[operator]
            raise ValueError("at most a year at a time")
        return self


class ItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: ItemText = Field(description='What to buy, e.g. "2 lemons" or "kitchen roll"')
    client_id: Annotated[str | None, Field(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] = Field(
        default=None,
        description="A device's own id for this item: sending it again adds nothing twice",
    )


class ItemPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    checked: bool | None = None
    aisle: Name | None = Field(
        default=None, description="Moving an item teaches the household where that food is"
    )


class ItemSource(BaseModel):
    source_id: int | None = Field(description="The recipe's place on this list; null if typed")
    recipe_id: int | None
    title: str | None
    servings: float | None
    text: str = Field(description="The line as written in the recipe or typed")


class Item(BaseModel):
    id: int
    text: str = Field(description="Amount and food as shown, e.g. '700 g flour'")
    food: str
    quantity: float | None
    unit: str | None
    aisle: str
    checked: bool
    pantry_staple: bool = Field(description="Left off the list until someone adds staples")
    recipes: list[ItemSource]


class Source(BaseModel):
    id: int
    recipe_id: int | None
    title: str
    servings: float | None


class ShoppingList(BaseModel):
    id: int
    name: str
    version: int = Field(description="Changes with every edit; also the ETag")
    items: list[Item] = Field(description="On the list, by aisle order then food")
    left_out_staples: list[Item] = Field(description="Pantry staples not yet added")
    recipes: list[Source]
    share_url: str | None = None


class ListSummary(BaseModel):
    id: int
    name: str
    version: int
    unchecked: int


class ListIndex(BaseModel):
    items: list[ListSummary]


class RecipesAdded(BaseModel):
    added: list[Source]
