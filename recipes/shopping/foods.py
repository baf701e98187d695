"""Naming foods on a list: one key per food ("Tomatoes" and "tomato" are one line) and the
aisle a household finds it in (learnt from the household first, then a built-in guess)."""

from __future__ import annotations

import re
import sqlite3

from recipes.mealplan.settings import OTHER_AISLE

_SPACE = re.compile(r"\s+")
_KEEP = ("ss", "us", "is", "ous")  # glass, couscous, hummus: not plurals
# Built-in guesses by word; the household's own moves (food_aisles) win over these.
_GUESSES = {
    "Produce": "apple avocado banana basil bean sprout beet berry broccoli cabbage carrot "
    "celery chard chili chilli chive cilantro coriander courgette cucumber dill eggplant "
    "aubergine fennel garlic ginger grape herb kale leek lemon lettuce lime mango mint "
    "mushroom onion orange parsley pea pear pepper potato pumpkin radish rocket scallion "
    "shallot spinach squash thyme tomato zucchini rosemary sage spring",
    "Bakery": "bread baguette bun roll pita tortilla naan croissant bagel",
    "Meat & fish": "beef chicken pork lamb bacon sausage mince ham turkey fish salmon tuna "
    "cod prawn shrimp anchovy steak duck chorizo",
    "Dairy & eggs": "milk butter cheese cream egg yogurt yoghurt parmesan mozzarella feta "
    "ricotta mascarpone creme",
    "Pantry": "flour sugar rice pasta spaghetti noodle oil vinegar stock broth can tin lentil "
    "chickpea oat honey syrup sauce soy mustard ketchup mayonnaise bean tomato-paste yeast "
    "cocoa chocolate nut almond walnut baking cornstarch breadcrumb quinoa couscous",
    "Spices": "salt cumin paprika cinnamon nutmeg oregano turmeric clove cardamom curry "
    "vanilla peppercorn bay coriander-seed chili-flake",
    "Frozen": "frozen ice",
    "Drinks": "wine beer juice water coffee tea",
}
_WORD_AISLE = {word: aisle for aisle, words in _GUESSES.items() for word in words.split()}


def singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(_KEEP):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("oes", "ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def food_key(food: str) -> str:
    """Case, spacing and a plural last word do not make a different food."""
    words = _SPACE.sub(" ", food.casefold()).strip(" .,;:-").split(" ")
    if not words or words == [""]:
        return ""
    words[-1] = singular(words[-1])
    return " ".join(words)


def guess_aisle(key: str) -> str:
    """The aisle of the last known word ("red onion" -> Produce), else Other."""
    words = key.split()
    for word in reversed(words):
        aisle = _WORD_AISLE.get(singular(word))
        if aisle:
            return aisle
    return OTHER_AISLE


def learnt_aisles(db: sqlite3.Connection, household_id: int, keys: list[str]) -> dict[str, str]:
    if not keys:
        return {}
    rows = db.execute(
        f"SELECT food_key, aisle FROM food_aisles WHERE household_id = ? "  # noqa: S608
        f"AND food_key IN ({', '.join('?' * len(keys))})",
        (household_id, *keys),
    )
    return {row[0]: row[1] for row in rows}


def staple_keys(db: sqlite3.Connection, household_id: int) -> set[str]:
    rows = db.execute("SELECT food_key FROM pantry_staples WHERE household_id = ?", (household_id,))
    return {row[0] for row in rows}
