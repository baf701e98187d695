"""The meal planner: a household's week of meals, suggestions and its calendar feed."""
