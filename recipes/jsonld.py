"""schema.org Recipe JSON-LD for a recipe."""

from __future__ import annotations

from typing import Any

from recipes.models import Recipe


def iso_duration(minutes: int | None) -> str | None:
    if minutes is None:
        return None
    hours, mins = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{mins}M" if mins or not hours else "")


def recipe_jsonld(recipe: Recipe) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Recipe",
        "name": recipe.title,
        "description": recipe.description or None,
        "recipeIngredient": recipe.ingredients,
        "recipeInstructions": [{"@type": "HowToStep", "text": s} for s in recipe.instructions],
        "recipeYield": recipe.servings or None,
        "prepTime": iso_duration(recipe.prep_time),
        "cookTime": iso_duration(recipe.cook_time),
        "totalTime": iso_duration(recipe.total_time),
        "keywords": ", ".join(recipe.tags) or None,
        "recipeCategory": recipe.category or None,
        "recipeCuisine": recipe.cuisine or None,
        "image": recipe.image_url or None,
        "url": recipe.source_url or None,
        "datePublished": recipe.created_at.isoformat(),
        "dateModified": recipe.updated_at.isoformat(),
    }
    if recipe.nutrition:
        data["nutrition"] = {**recipe.nutrition, "@type": "NutritionInformation"}
    if recipe.rating is not None:
        data["aggregateRating"] = {"@type": "AggregateRating", "ratingValue": recipe.rating,
                                   "ratingCount": 1, "bestRating": 5}  # fmt: skip
    return {key: value for key, value in data.items() if value not in (None, [], "")}
