"""Shopping lists as clients send and receive them (API and pages share these rules)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel

from recipes.mealplan.models import RowId, Servings, omit_null_defaults
from recipes.models import _required_line

Name = Annotated[str, Field(max_length=100), AfterValidator(_required_line)]
ItemText = Annotated[str, Field(max_length=300), AfterValidator(_required_line)]


class ListIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name


class RecipeAtServings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recipe_id: RowId
    servings: Servings | None = Field(
        default=None,
        description="Default: the recipe's own; batches of a recipe that states no servings",
    )


class PlannedRange(BaseModel):
    """Every recipe planned from `start` to `end` (both included), at planned servings."""

    model_config = ConfigDict(extra="forbid")

    start: dt.date
    end: dt.date


class RecipesIn(RootModel[RecipeAtServings | PlannedRange]):
    """One recipe at some servings, or every recipe planned from `start` to `end`."""


class ItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=omit_null_defaults)

    text: ItemText = Field(description='What to buy, e.g. "2 lemons" or "kitchen roll"')
    client_id: Annotated[str, Field(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] = Field(
        default=None,  # type: ignore[assignment]
        description="A device's own id for this item: sending it again adds nothing twice",
    )


class ItemPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=omit_null_defaults)

    checked: bool = Field(default=None, strict=True)  # type: ignore[assignment]
    aisle: Name = Field(  # type: ignore[assignment]
        default=None, description="Moving an item teaches the household where that food is"
    )


class ItemSource(BaseModel):
    source_id: int | None = Field(description="The recipe's place on this list; null if typed")
    recipe_id: int | None
    title: str | None
    servings: float | None
    batches: bool = Field(
        default=False,
        description="`servings` counts batches: the recipe states no number of servings",
    )
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
    batches: bool = Field(
        default=False,
        description="`servings` counts batches: the recipe states no number of servings",
    )


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
