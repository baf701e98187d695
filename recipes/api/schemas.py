"""API-only shapes (list, tags, user). The recipe and the list query are `recipes.models`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from recipes.cooking.scaling import MAX_SERVINGS, MIN_SERVINGS
from recipes.models import MAX_PER_PAGE, ListQuery, PhotoOut, Recipe, required_line

__all__ = ["ListQuery"]  # the API's name for the query model the web pages share


class ScaleQuery(BaseModel):
    """Query string of GET /recipes/{id}: the recipe at another size or in other units."""

    model_config = ConfigDict(extra="ignore")

    servings: Annotated[
        float | None,
        Field(
            ge=MIN_SERVINGS,
            le=MAX_SERVINGS,
            description="Scale every amount to this many servings (from the recipe's "
            "servings text, e.g. “Makes 12 cookies”; 1 batch when it states none)",
        ),
    ] = None
    units: Annotated[
        Literal["metric", "us"] | None,
        Field(description="Convert amounts within their dimension (no density is guessed)"),
    ] = None


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


class ImportListed(BaseModel):
    name: str = Field(description="The recipe (or file entry) concerned")
    reason: str = Field(description="Why it failed, or what it duplicates")
    recipe_id: int | None = Field(description="The existing recipe a duplicate repeats")


class ImportJob(BaseModel):
    """A file import: its progress while it runs, then its report."""

    id: str
    filename: str
    formats: list[str] = Field(description="The exports recognised in the file")
    total: int | None = Field(description="Recipes in the file, when known up front")
    processed: int
    imported: int
    duplicates: int
    failed: int
    duplicate_list: list[ImportListed]
    failed_list: list[ImportListed]
    done: bool
    error: str = Field(description="Why the whole file could not be read, if it could not")
    summary: str


class ImportedRecipe(Recipe):
    """The recipe an import saved, and whether the page's image could be kept."""

    photo_problem: str | None = Field(
        default=None,
        description="Why the page's image could not be downloaded and kept as the recipe's "
        "photo (the recipe then links to the image's address), else null",
    )


class ImportRequest(BaseModel):
    """POST /recipes/import: the server fetches `url`, or reads `html` when given."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(
        default=None,
        min_length=1,
        description="The recipe page's address (http or https); required unless `html` is "
        "sent, and then optional: the page's canonical link or og:url stands in for it",
    )
    html: str | None = Field(
        default=None, description="The page's HTML (at most 5 MB); no fetch when given"
    )
    on_duplicate: Literal["error", "update"] = Field(
        default="error",
        description="When the source URL is already in your recipes: `error` answers 409, "
        "`update` refreshes that recipe from the page",
    )

    @model_validator(mode="after")
    def _address_unless_html(self) -> ImportRequest:
        if self.html is None and not (self.url or "").strip():
            raise ValueError("send the page's address (url), or its html")
        return self


class ErrorBody(BaseModel):
    status: int
    message: str
    fields: dict[str, str] | None = Field(default=None, description="Per-field messages (422 only)")


class Error(BaseModel):
    error: ErrorBody


class PhotoList(BaseModel):
    items: list[PhotoOut] = Field(description="Cover first")


class PhotoOrder(BaseModel):
    """PATCH /recipes/{id}/photos: the new order, cover first. Photos left out follow."""

    model_config = ConfigDict(extra="forbid")

    order: list[int] = Field(max_length=1000, json_schema_extra={"uniqueItems": True})

    @field_validator("order")
    @classmethod
    def _once_each(cls, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise ValueError("name each photo once")
        return value


class PhotoPatch(BaseModel):
    """PATCH /recipes/{id}/photos/{photo_id}: make it the cover, or move it."""

    model_config = ConfigDict(extra="forbid")

    cover: bool = Field(default=False, description="true: this photo becomes the cover")
    position: int | None = Field(
        default=None, ge=0, description="0-based place among the photos (0 is the cover)"
    )


Role = Literal["admin", "member", "viewer"]


class MemberOut(BaseModel):
    username: str
    role: Role


class HouseholdOut(BaseModel):
    name: str
    members: list[MemberOut] = Field(description="Admins first, then members, then viewers")


class HouseholdRename(BaseModel):
    """PATCH /household (admins)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(max_length=200), AfterValidator(required_line)]


class RoleChange(BaseModel):
    """PATCH /household/members/{username} (admins)."""

    model_config = ConfigDict(extra="forbid")

    role: Role


class InvitationIn(BaseModel):
    """POST /household/invitations (admins)."""

    model_config = ConfigDict(extra="forbid")

    role: Role = Field(default="member", description="The role whoever joins gets")


class InvitationOut(BaseModel):
    id: int
    role: Role
    created_at: datetime
    expires_at: datetime
    used: bool
    used_by: str | None = None
    url: str | None = Field(
        default=None, description="The one-time link; only in the answer that created it"
    )


class InvitationList(BaseModel):
    items: list[InvitationOut]


class LeaveIn(BaseModel):
    """POST /household/leave: go to a new household of your own."""

    model_config = ConfigDict(extra="forbid")

    take: Literal["nothing", "copy"] = Field(
        description="`copy` takes a copy of the recipes you added; they also stay here"
    )
