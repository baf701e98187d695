"""Cooking with a recipe: scaled and converted amounts, cook mode and the cooking log."""
