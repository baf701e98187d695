"""A seeded generator of realistic synthetic recipes (real vocabulary, Zipf-like frequencies).

The same seed and index always give the same recipe, so runs are comparable. Common words
(salt, oil, garlic) appear in most recipes and rare ones (saffron, gochujang) in few, which
is what makes search ranking costly at scale.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

SEED = 20261124

# (name, weight): weights shape how often an ingredient appears.
INGREDIENTS = [
    ("salt", 60), ("black pepper", 40), ("olive oil", 35), ("garlic cloves", 30),
    ("onion", 28), ("butter", 25), ("water", 22), ("sugar", 20), ("all-purpose flour", 18),
    ("eggs", 18), ("lemon juice", 12), ("milk", 12), ("tomatoes", 12), ("chicken breast", 10),
    ("parsley", 9), ("carrots", 9), ("celery", 7), ("vegetable oil", 9), ("heavy cream", 7),
    ("parmesan cheese", 7), ("soy sauce", 7), ("ginger", 7), ("cumin", 6), ("paprika", 6),
    ("basil leaves", 6), ("thyme", 6), ("rice", 6), ("potatoes", 7), ("bell pepper", 6),
    ("chicken stock", 7), ("honey", 5), ("brown sugar", 5), ("vanilla extract", 5),
    ("baking powder", 5), ("baking soda", 4), ("cinnamon", 5), ("ground beef", 5),
    ("spinach", 4), ("mushrooms", 5), ("red onion", 4), ("lime juice", 4), ("cilantro", 4),
    ("jalapeño", 3), ("crème fraîche", 2), ("coconut milk", 3), ("chickpeas", 3),
    ("black beans", 3), ("pasta", 5), ("spaghetti", 3), ("mozzarella", 3), ("feta", 2),
    ("yogurt", 3), ("dijon mustard", 3), ("white wine", 3), ("red wine vinegar", 3),
    ("sesame oil", 2), ("fish sauce", 2), ("oregano", 4), ("chili flakes", 3),
    ("bay leaves", 3), ("nutmeg", 2), ("cocoa powder", 2), ("dark chocolate", 2),
    ("almonds", 2), ("walnuts", 2), ("zucchini", 2), ("eggplant", 2), ("cabbage", 2),
    ("pork shoulder", 2), ("salmon fillet", 2), ("shrimp", 2), ("tofu", 2), ("lentils", 2),
    ("quinoa", 1), ("kale", 1), ("leeks", 1), ("fennel", 1), ("shallots", 2),
    ("maple syrup", 1), ("buttermilk", 1), ("cornmeal", 1), ("polenta", 1), ("tahini", 1),
    ("miso paste", 1), ("saffron threads", 0.4), ("gochujang", 0.3), ("tamarind paste", 0.3),
    ("sumac", 0.3), ("za'atar", 0.3), ("star anise", 0.4), ("cardamom pods", 0.5),
    ("pancetta", 0.6), ("gruyère", 0.4), ("piment d'Espelette", 0.1), ("yuzu", 0.1),
    ("harissa", 0.4), ("mascarpone", 0.4), ("pistachios", 0.4), ("rhubarb", 0.2),
    ("quince", 0.1), ("sorrel", 0.1), ("kohlrabi", 0.1), ("lovage", 0.05),
]  # fmt: skip
UNITS = ["g", "kg", "ml", "l", "tsp", "tbsp", "cup", "cups", "pinch", "", "", ""]
AMOUNTS = ["1", "2", "3", "4", "1/2", "1/4", "3/4", "1 1/2", "100", "200", "250", "500"]
PREPS = ["", "", "", "chopped", "finely diced", "minced", "sliced", "grated", "softened",
         "at room temperature", "rinsed and drained", "to taste", "divided"]  # fmt: skip
SECTIONS = ["For the sauce", "For the dough", "For the topping", "For the marinade",
            "For the filling", "For the dressing", "To serve", "For the glaze"]  # fmt: skip
DISHES = ["soup", "stew", "salad", "curry", "cake", "bread", "pie", "tart", "risotto",
          "pasta", "tacos", "casserole", "stir-fry", "roast", "gratin", "muffins", "cookies",
          "pancakes", "frittata", "chili", "noodles", "skillet", "bake", "sandwich", "bowl",
          "dumplings", "flatbread", "brownies", "sauté", "purée", "soufflé", "tagine"]  # fmt: skip
ADJECTIVES = ["Easy", "Quick", "Classic", "Creamy", "Spicy", "Smoky", "Crispy", "Rustic",
              "Weeknight", "Grandma's", "Lemony", "Hearty", "Roasted", "Slow-cooked",
              "One-pot", "Sheet-pan", "Honey-glazed", "Garlicky", "Herby", "Golden"]  # fmt: skip
VERBS = ["Preheat the oven to 200 °C", "Heat the oil in a large pan over medium heat",
         "Whisk together", "Stir in", "Season with salt and pepper", "Bring to a boil",
         "Reduce the heat and simmer for", "Fold in", "Bake until golden, about",
         "Sauté until soft and fragrant, about", "Toss gently with", "Let rest for",
         "Blend until smooth with", "Roast, turning once, for", "Spoon over",
         "Knead the dough for", "Chill for at least", "Garnish with"]  # fmt: skip
CUISINES = ["Italian", "French", "Mexican", "Indian", "Thai", "Japanese", "Chinese",
            "Korean", "Greek", "Moroccan", "Lebanese", "American", "British", "Spanish",
            "Vietnamese", "Turkish", "Ethiopian", "Peruvian", ""]  # fmt: skip
CATEGORIES = ["Main course", "Dessert", "Breakfast", "Side dish", "Soup", "Salad",
              "Snack", "Drink", "Baking", "Starter"]  # fmt: skip
TAGS = ["vegetarian", "vegan", "gluten-free", "quick", "weeknight", "make-ahead",
        "freezer-friendly", "kid-friendly", "spicy", "comfort food", "healthy", "holiday",
        "summer", "winter", "party", "budget", "one-pot", "grilling", "brunch", "picnic",
        "dairy-free", "low-carb", "high-protein", "meal-prep", "baking"]  # fmt: skip
NOTES = ["Keeps for three days in the fridge.", "Freezes well for up to a month.",
         "Double the sauce if serving with rice.", "Use whatever herbs you have.",
         "Best eaten the same day.", ""]  # fmt: skip

_NAMES = [name for name, _ in INGREDIENTS]
_WEIGHTS = [weight for _, weight in INGREDIENTS]


def recipe(index: int, seed: int = SEED) -> dict[str, Any]:
    """The recipe number `index`, as a JSON object the API and `RecipeIn` accept."""
    rng = random.Random(seed * 1_000_003 + index)
    names = _pick_ingredients(rng, rng.randint(5, 25))
    main = names[min(len(names) - 1, rng.randint(3, 8))]
    dish = rng.choice(DISHES)
    title = f"{rng.choice(ADJECTIVES)} {main.split()[-1]} {dish}".capitalize()
    prep, cook = rng.choice([5, 10, 15, 20, 30]), rng.choice([0, 10, 20, 35, 45, 60, 90, 180])
    return {
        "title": f"{title} #{index}",
        "description": (
            f"A {rng.choice(ADJECTIVES).lower()} {dish} with {main} and "
            f"{rng.choice(names)}, ready in {prep + cook} minutes."
        ),
        "ingredient_groups": _groups(rng, names),
        "instructions": [_step(rng, names) for _ in range(rng.randint(3, 15))],
        "servings": f"{rng.choice([2, 4, 4, 6, 8, 12])} servings",
        "prep_time": prep,
        "cook_time": cook,
        "total_time": prep + cook,
        "tags": rng.sample(TAGS, rng.randint(0, 5)),
        "category": rng.choice(CATEGORIES),
        "cuisine": rng.choice(CUISINES),
        "notes": rng.choice(NOTES),
        "rating": rng.choice([None, 3, 4, 5]),
    }


def recipes(count: int, seed: int = SEED, start: int = 0) -> Iterator[dict[str, Any]]:
    for index in range(start, start + count):
        yield recipe(index, seed)


def _pick_ingredients(rng: random.Random, count: int) -> list[str]:
    chosen: dict[str, None] = {}
    while len(chosen) < count:
        chosen.update(dict.fromkeys(rng.choices(_NAMES, _WEIGHTS, k=count - len(chosen))))
    return list(chosen)


def _line(rng: random.Random, name: str) -> str:
    prep = rng.choice(PREPS)
    unit = rng.choice(UNITS)
    amount = f"{rng.choice(AMOUNTS)} {unit}".strip()
    return f"{amount} {name}{', ' + prep if prep else ''}"


def _groups(rng: random.Random, names: list[str]) -> list[dict[str, Any]]:
    lines = [_line(rng, name) for name in names]
    if len(lines) < 10 or rng.random() < 0.5:
        return [{"title": None, "ingredients": lines}]
    cut = rng.randint(4, len(lines) - 3)
    return [
        {"title": None, "ingredients": lines[:cut]},
        {"title": rng.choice(SECTIONS), "ingredients": lines[cut:]},
    ]


def _step(rng: random.Random, names: list[str]) -> str:
    verb = rng.choice(VERBS)
    if verb.endswith(("for", "about", "least")):
        return f"{verb} {rng.randint(2, 45)} minutes."
    return f"{verb} the {rng.choice(names)} and {rng.choice(names)}."
