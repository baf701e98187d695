"""HTML forms (Flask-WTF, so every one carries a CSRF token).

Recipe fields are validated by `recipes.models.RecipeIn`; the form only turns text areas
into lists and back, so pages and the API share one set of rules.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from pydantic import ValidationError
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length

from recipes.models import IngredientGroup, Recipe, RecipeIn, field_errors

RATING_CHOICES = [("", "Not rated")] + [(str(n), "★" * n or "0") for n in range(6)]
FORM_TO_MODEL = {"ingredient_groups": "ingredients"}
TIME_FIELDS = ("prep_time", "cook_time", "total_time")


class LoginForm(FlaskForm):
    username = StringField(
        "Username", validators=[DataRequired("Enter your username."), Length(max=64)]
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=1024)]
    )
    remember = BooleanField("Keep me signed in")


class RegisterForm(FlaskForm):
    username = StringField(
        "Username", validators=[DataRequired("Choose a username."), Length(max=64)]
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Choose a password."), Length(max=1024)]
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", "The passwords differ: type the same password twice."),
        ],
    )


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token (delete, share, revoke, log out)."""


class RecipeForm(FlaskForm):
    title = StringField("Title")
    description = TextAreaField("Description")
    ingredients = TextAreaField(
        "Ingredients",
        description="One per line. A line ending in a colon, or starting with #, "
        "starts a section, e.g. “For the sauce:”.",
    )
    instructions = TextAreaField("Instructions", description="One step per line.")
    servings = StringField("Servings or yield")
    prep_time = StringField("Prep time (minutes)")
    cook_time = StringField("Cook time (minutes)")
    total_time = StringField("Total time (minutes)", description="Left empty: prep + cook.")
    tags = StringField("Tags", description="Separated by commas.")
    category = StringField("Category")
    cuisine = StringField("Cuisine")
    source_url = StringField("Source URL")
    image_url = StringField("Image URL")
    rating = SelectField("Rating", choices=RATING_CHOICES, validate_choice=False)
    nutrition = TextAreaField("Nutrition", description="One “name: value” per line.")
    notes = TextAreaField("Notes")
    # The version the edit started from: a save over a newer one is a conflict.
    version = HiddenField()

    def started_from(self) -> int | None:
        raw = (self.version.data or "").strip()
        return int(raw) if raw.isdigit() and len(raw) < 19 else None

    def restart_from(self, version: int) -> None:
        """Carry a newer version, so the next save replaces that one (after a conflict)."""
        self.version.data = str(version)
        self.version.raw_data = [str(version)]

    def as_text(self) -> dict[str, str]:
        """Every recipe field as the text in the form, by label (for side-by-side views)."""
        return {
            field.label.text: str(field.data or "").replace("\r\n", "\n").strip()
            for field in self
            if field.name not in ("csrf_token", "version")
        }

    def to_recipe(self) -> RecipeIn | None:
        """The validated recipe, or None with errors attached to the fields."""
        data, errors = self._collect()
        try:
            recipe = RecipeIn.model_validate(data)
        except ValidationError as exc:
            errors = {**pydantic_field_errors(exc), **errors}
        else:
            if not errors:
                return recipe
        for name, message in errors.items():
            field = getattr(self, FORM_TO_MODEL.get(name, name), None) or self.title
            field.errors = [*field.errors, message]
        return None

    def _collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        data: dict[str, Any] = {
            name: (getattr(self, name).data or "")
            for name in ("title", "description", "servings", "category", "cuisine",
                         "source_url", "image_url", "notes")
        }  # fmt: skip
        data["ingredient_groups"] = parse_ingredients(self.ingredients.data or "")
        data["instructions"] = lines(self.instructions.data or "")
        data["tags"] = [t for t in (self.tags.data or "").split(",") if t.strip()]
        data["rating"] = int(self.rating.data) if (self.rating.data or "").isdigit() else None
        for name in TIME_FIELDS:
            raw = (getattr(self, name).data or "").strip()
            if raw and not raw.isdigit():
                errors[name] = "Enter whole minutes, e.g. 45."
            data[name] = int(raw) if raw.isdigit() else None
        try:
            data["nutrition"] = parse_nutrition(self.nutrition.data or "")
        except ValueError as exc:
            errors["nutrition"] = str(exc)
        return data, errors

    def fill(self, recipe: Recipe) -> None:
        """Put a stored recipe into the form, in the same text shapes the user types."""
        for name in ("title", "description", "servings", "category", "cuisine", "source_url",
                     "image_url", "notes"):  # fmt: skip
            getattr(self, name).data = getattr(recipe, name)
        self.ingredients.data = format_ingredients(recipe.ingredient_groups)
        self.instructions.data = "\n".join(recipe.instructions)
        self.tags.data = ", ".join(recipe.tags)
        self.rating.data = "" if recipe.rating is None else str(recipe.rating)
        self.nutrition.data = "\n".join(f"{k}: {v}" for k, v in recipe.nutrition.items())
        for name in TIME_FIELDS:
            value = getattr(recipe, name)
            getattr(self, name).data = "" if value is None else str(value)
        times = (recipe.prep_time, recipe.cook_time)
        if times != (None, None) and recipe.total_time == sum(t or 0 for t in times):
            # A total that is just prep + cook stays empty, so it follows a changed prep/cook.
            self.total_time.data = ""
        self.version.data = str(recipe.version)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_ingredients(text: str) -> list[dict[str, Any]]:
    """Lines into groups; a heading is a line starting with # or ending with a colon."""
    groups: list[dict[str, Any]] = [{"title": None, "ingredients": []}]
    for line in lines(text):
        heading = _heading(line)
        if heading is not None:
            groups.append({"title": heading, "ingredients": []})
        else:
            groups[-1]["ingredients"].append(line)
    return groups


def _heading(line: str) -> str | None:
    if line.startswith("#"):
        return line.lstrip("#").strip().removesuffix(":").strip() or None
    if line.endswith(":") and len(line) <= 80:
        return line[:-1].strip() or None
    return None


def format_ingredients(groups: list[IngredientGroup]) -> str:
    out: list[str] = []
    for group in groups:
        if group.title:
            if out:
                out.append("")
            out.append(f"{group.title}:")
        out.extend(group.ingredients)
    return "\n".join(out)


def parse_nutrition(text: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for line in lines(text):
        name, sep, value = line.partition(":")
        if not sep or not name.strip() or not value.strip():
            raise ValueError(f"Write “name: value” on each line (not “{line[:40]}”).")
        result[name.strip()] = value.strip()
    return result


def pydantic_field_errors(exc: ValidationError) -> dict[str, str]:
    """The first message per form field (a nested path counts for its field)."""
    errors: dict[str, str] = {}
    for path, message in field_errors(exc).items():
        field = path.split(".")[0] if path != "body" else "title"
        if field == "title" and message in {"required", "String should have at least 1 character"}:
            message = "Enter a title."
        errors.setdefault(field, message)
    return errors
