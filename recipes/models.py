"""The one definition of a recipe: validation, serialization and the OpenAPI schema.

`RecipeIn` is what clients (forms, the API, importers) send; `Recipe` is what they get back.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

from recipes.ingredients.models import ParsedIngredient

MAX_TEXT = 20_000
MAX_LINE = 2_000
MAX_LINES = 500
MAX_MINUTES = 100_000

_WS = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _reject_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL bytes")
    return value


def clean_line(value: str) -> str:
    """One line of text: control characters dropped, whitespace runs folded."""
    value = unicodedata.normalize("NFC", _reject_nul(value))
    return _WS.sub(" ", _CONTROL.sub("", value)).strip()


def clean_text(value: str) -> str:
    """Free text: line breaks kept, trailing spaces and control characters dropped."""
    value = unicodedata.normalize("NFC", _reject_nul(value)).replace("\r\n", "\n")
    lines = [_CONTROL.sub("", line).rstrip() for line in value.replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def _clean_lines(values: list[str]) -> list[str]:
    return [line for line in (clean_line(v) for v in values) if line]


# Regex classes, written without \\s (its meaning differs between Python and JavaScript) so
# the OpenAPI patterns can reuse them: WHITESPACE is Python's whitespace, CONTROL the control
# characters `clean_line` deletes, INVISIBLE what renders as nothing (soft hyphen, zero-width
# spaces and joiners, direction marks, word joiner, BOM, Hangul fillers, braille blank).
WHITESPACE = (
    r"\t\n\r\u000b\u000c\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
CONTROL = r"\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f"
INVISIBLE = (
    r"\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u2064\u2066-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0"
)
_VISIBLE = re.compile(rf"[^{WHITESPACE}{CONTROL}{INVISIBLE}]")


def visible(value: str) -> bool:
    """Whether any character of `value` shows on screen."""
    return _VISIBLE.search(value) is not None


def required_line(value: str) -> str:
    value = clean_line(value)
    if not visible(value):
        raise ValueError("required")
    return value


_required_line = required_line  # the name the OpenAPI patterns know it by


def _http_url(value: str) -> str:
    # Not NFC-normalised like text: an address names bytes ("ñ" as n + U+0303 is another file).
    value = _WS.sub(" ", _CONTROL.sub("", _reject_nul(value))).strip()
    if value and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
        raise ValueError("must be an http:// or https:// address")
    return value


def _dedupe_tags(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in _clean_lines(values):
        tag = tag.strip(" ,#")
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return list(seen.values())


Line = Annotated[str, Field(max_length=MAX_LINE), AfterValidator(clean_line)]
Text = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(clean_text)]
Lines = Annotated[list[str], Field(max_length=MAX_LINES), AfterValidator(_clean_lines)]
Url = Annotated[str, Field(max_length=MAX_LINE), AfterValidator(_http_url)]
Minutes = Annotated[int | None, Field(ge=0, le=MAX_MINUTES)]


class IngredientGroup(BaseModel):
    """A titled (or untitled) run of ingredient lines, e.g. "For the sauce"."""

    model_config = ConfigDict(extra="forbid")

    title: Line | None = None
    ingredients: Lines = Field(default_factory=list)

    @model_validator(mode="after")
    def _empty_title_is_none(self) -> IngredientGroup:
        if not self.title:
            self.title = None
        return self


def flatten_groups(groups: list[IngredientGroup]) -> list[str]:
    return [line for group in groups for line in group.ingredients]


def normalise_groups(groups: list[IngredientGroup]) -> list[IngredientGroup]:
    """Drop empty groups; an untitled group directly after another untitled one merges in."""
    result: list[IngredientGroup] = []
    for group in groups:
        if not group.ingredients and not group.title:
            continue
        if result and group.title is None and result[-1].title is None:
            result[-1].ingredients.extend(group.ingredients)
        else:
            result.append(IngredientGroup(title=group.title, ingredients=list(group.ingredients)))
    return result


class RecipeFields(BaseModel):
    """Every field a client may set. Unknown fields are an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    title: Annotated[str, Field(max_length=300), AfterValidator(_required_line)]
    description: Text = ""
    ingredients: Lines | None = Field(
        default=None, description="Every ingredient line in order; use either this or groups."
    )
    ingredient_groups: list[IngredientGroup] | None = Field(
        default=None, max_length=100, description="Ingredient lines under optional headings."
    )
    instructions: Lines = Field(default_factory=list, description="One string per step.")
    servings: Line = ""
    prep_time: Minutes = Field(default=None, description="Minutes")
    cook_time: Minutes = Field(default=None, description="Minutes")
    total_time: Minutes = Field(default=None, description="Minutes")
    tags: Annotated[list[str], Field(max_length=100), AfterValidator(_dedupe_tags)] = Field(
        default_factory=list
    )
    category: Line = ""
    cuisine: Line = ""
    source_url: Url = ""
    image_url: Url = ""
    notes: Text = ""
    rating: Annotated[int | None, Field(ge=0, le=5)] = None
    nutrition: dict[Line, Line] = Field(default_factory=dict, max_length=100)


# Ingredients come in one shape: flat lines or groups. The rule is the validator below;
# the OpenAPI schema states it with this `not` (see RecipeIn's json_schema_extra).
ONE_INGREDIENT_SHAPE: JsonDict = {
    "description": "Not both `ingredients` and `ingredient_groups` as lists.",
    "required": ["ingredients", "ingredient_groups"],
    "properties": {"ingredients": {"type": "array"}, "ingredient_groups": {"type": "array"}},
}


class RecipeIn(RecipeFields):
    """A complete recipe as sent by a client (create, full replace, import)."""

    model_config = ConfigDict(json_schema_extra={"not": ONE_INGREDIENT_SHAPE})

    @field_validator("ingredient_groups")
    @classmethod
    def _not_both_shapes(
        cls, groups: list[IngredientGroup] | None, info: ValidationInfo
    ) -> list[IngredientGroup] | None:
        if groups is not None and info.data.get("ingredients") is not None:
            raise ValueError("send either ingredients or ingredient_groups, not both")
        return groups

    @model_validator(mode="after")
    def _one_ingredient_source(self) -> RecipeIn:
        if self.ingredient_groups is not None:
            groups = normalise_groups(self.ingredient_groups)
        else:
            groups = normalise_groups([IngredientGroup(ingredients=self.ingredients or [])])
        self.ingredient_groups = groups
        self.ingredients = flatten_groups(groups)
        self.nutrition = {k: v for k, v in self.nutrition.items() if k and v}
        if self.total_time is None and (self.prep_time is not None or self.cook_time is not None):
            # Forms, imports and the API alike: a missing total is prep plus cook.
            self.total_time = min((self.prep_time or 0) + (self.cook_time or 0), MAX_MINUTES)
        return self

    def storage_dict(self) -> dict[str, Any]:
        """The fields as they are stored, groups carrying the ingredient lines."""
        data = self.model_dump(exclude={"ingredients"})
        data["ingredient_groups"] = [g.model_dump() for g in self.ingredient_groups or []]
        return data


class PhotoOut(BaseModel):
    """One stored photo of a recipe, as clients see it."""

    id: int
    url: str = Field(description="The photo, at most 2048 px on its longest side")
    thumbnail_url: str = Field(description="About 480 px on its longest side (WebP)")
    width: int
    height: int


class Recipe(RecipeFields):
    """A stored recipe as returned to clients."""

    model_config = ConfigDict(extra="ignore")

    id: int
    ingredients: list[str] = Field(default_factory=list)
    ingredient_groups: list[IngredientGroup] = Field(default_factory=list)
    ingredients_parsed: list[ParsedIngredient] = Field(
        default_factory=list,
        description="Each ingredient line understood (quantity, unit, food, note), in order.",
    )
    created_at: datetime
    updated_at: datetime
    share_url: str | None = None  # filled in by views and the API (recipes.sharing)
    version: int = Field(default=1, description="Raised by one on every save (also the ETag)")
    created_by: str | None = Field(default=None, description="Username of who added it")
    updated_by: str | None = Field(default=None, description="Username of who last saved it")
    photos: list[PhotoOut] = Field(default_factory=list, description="Cover first")
    _share_token: str | None = PrivateAttr(default=None)

    @classmethod
    def from_storage(cls, fields: dict[str, Any], share_token: str | None) -> Recipe:
        """A stored, already validated recipe, built without validating it again."""
        for name, factory in _factories(cls).items():
            # model_construct inspects a factory's signature on every call: 80 us a recipe.
            fields.setdefault(name, factory())
        recipe = cls.model_construct(**fields)
        recipe._share_token = share_token
        return recipe

    @property
    def share_token(self) -> str | None:
        """The secret of its public link, if shared: never serialised."""
        return self._share_token

    def as_input(self) -> dict[str, Any]:
        """The client-settable fields, e.g. as the base for a partial update."""
        data = self.model_dump(include=set(RecipeFields.model_fields), exclude={"ingredients"})
        return data


RECIPE_FIELDS = tuple(RecipeFields.model_fields)


@functools.cache
def _factories(model: type[BaseModel]) -> dict[str, Callable[[], Any]]:
    return {
        name: field.default_factory  # type: ignore[misc]
        for name, field in model.model_fields.items()
        if field.default_factory is not None
    }


def field_errors(exc: ValidationError) -> dict[str, str]:
    """The one translation of pydantic's errors: the first message per field path
    ("title", "ingredient_groups.0.title"; "body" for the whole input), in plain words."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "body"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "required"
        elif error["type"] == "extra_forbidden":
            message = "unknown field"
        errors.setdefault(field, message)
    return errors


def errors_text(exc: ValidationError, whole: str = "recipe") -> str:
    """The same messages on one line, for import reports: "title: required; …"."""
    return "; ".join(
        f"{whole if field == 'body' else field}: {message}"
        for field, message in field_errors(exc).items()
    )


MAX_PER_PAGE = 200
MAX_PAGE = 100_000
MAX_FILTER = 100
MAX_QUERY = 10_000


class ListQuery(BaseModel):
    """The query string of a recipe list or search: the API's GET /recipes and the web's
    index and search pages. Unknown parameters are ignored."""

    model_config = ConfigDict(extra="ignore")

    q: Annotated[str, Field(max_length=MAX_QUERY, description="Full-text search")] = ""
    tag: Annotated[str, Field(max_length=MAX_FILTER, description="Only this tag")] = ""
    category: Annotated[str, Field(max_length=MAX_FILTER, description="Only this category")] = ""
    page: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 1
    per_page: Annotated[
        int,
        Field(
            ge=1, description=f"Recipes per page; values above {MAX_PER_PAGE} mean {MAX_PER_PAGE}"
        ),
    ] = 50

    @field_validator("per_page")
    @classmethod
    def _cap(cls, value: int) -> int:
        return min(value, MAX_PER_PAGE)

    @classmethod
    def from_web(cls, args: Mapping[str, str], per_page: int) -> ListQuery:
        """The same model as the API, read forgivingly: text is cut to its limit and a bad
        value (a page of "x") falls back to its default instead of an error page."""
        data: dict[str, Any] = {name: args[name] for name in ("q", "tag", "category", "page")
                                if name in args}  # fmt: skip
        data["per_page"] = per_page
        for name, limit in (("q", MAX_QUERY), ("tag", MAX_FILTER), ("category", MAX_FILTER)):
            if name in data:
                data[name] = data[name][:limit]
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            return cls.model_validate({k: v for k, v in data.items() if k not in field_errors(exc)})

    def filters(self) -> dict[str, str | None]:
        """The tag and category filters as the store and search take them."""
        return {"tag": self.tag.strip() or None, "category": self.category.strip() or None}
