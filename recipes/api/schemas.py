"""API-only shapes (list, tags, user). The recipe and the list query are `recipes.models`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from recipes.models import MAX_PER_PAGE, ListQuery, Recipe

__all__ = ["ListQuery"]  # the API's name for the query model the web pages share


class RecipePage(BaseModel):
    items: list[Recipe]
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    per_page: int = Field(ge=1, le=MAX_PER_PAGE)


class TagCount(BaseModel):
    name: str
    count: int = Field(ge=1)


class TagList(BaseModel):
    items: list[TagCount]


class Me(BaseModel):
    id: int
    username: str
    is_admin: bool
    auth: Literal["token", "session"] = Field(description="How this request was authenticated")


class ShareLink(BaseModel):
    url: str = Field(description="Public read-only address of the recipe")


class ImportRequest(BaseModel):
    """POST /recipes/import: the server fetches `url`, or reads `html` when given."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, description="The recipe page's address (http or https)")
    html: str | None = Field(default=None, description="The page's HTML; no fetch when given")
    on_duplicate: Literal["error", "update"] = Field(
        default="error",
        description="When the source URL is already in your recipes: `error` answers 409, "
        "`update` refreshes that recipe from the page",
    )


class ErrorBody(BaseModel):
    status: int
    message: str
    fields: dict[str, str] | None = Field(default=None, description="Per-field messages (422 only)")


class Error(BaseModel):
    error: ErrorBody
