"""Canonical units and the words that name them, per language.

`CANONICAL_UNITS` is the documented list a parsed unit comes from. `UNIT_WORDS` maps each
language's spellings (singular, plural, abbreviations; lower case, without a final dot) to a
canonical name; add a language by adding a table, e.g. German `"el": "tbsp"`, French
`"cuillère à soupe": "tbsp"`. Multi-word spellings are matched longest first.
"""

from __future__ import annotations

from functools import lru_cache

MASS = ("mg", "g", "kg", "oz", "lb")
VOLUME = ("ml", "cl", "dl", "l", "tsp", "dsp", "tbsp", "fl oz", "cup", "pint", "quart", "gallon")
SMALL = ("pinch", "dash", "drop", "splash", "handful", "smidgen")
COUNT = (
    "clove", "can", "tin", "jar", "bottle", "packet", "package", "pack", "bag", "box", "carton",
    "slice", "piece", "stick", "sprig", "bunch", "head", "stalk", "sheet", "fillet", "knob",
    "cube", "bulb", "leaf", "rasher", "punnet", "pod", "ear", "strip", "wedge", "scoop",
    "square", "envelope", "loaf", "cup", "sachet", "container", "tub", "glass", "shot",
    "block", "bar", "chunk", "heel", "bundle", "dozen", "rib", "branch", "ball", "log", "tube",
    "wheel", "batch", "recipe",
)  # fmt: skip
LENGTH = ("mm", "cm", "inch")
CANONICAL_UNITS: tuple[str, ...] = tuple(dict.fromkeys(MASS + VOLUME + SMALL + COUNT + LENGTH))

_ENGLISH_IRREGULAR = {
    # mass
    "milligram": "mg", "milligramme": "mg", "gram": "g", "gramme": "g", "gr": "g", "grm": "g",
    "kilogram": "kg", "kilogramme": "kg", "kilo": "kg", "kgs": "kg",
    "ounce": "oz", "oz": "oz", "ozs": "oz", "pound": "lb", "lb": "lb", "lbs": "lb", "ib": "lb",
    # volume
    "milliliter": "ml", "millilitre": "ml", "mls": "ml", "centiliter": "cl", "centilitre": "cl",
    "deciliter": "dl", "decilitre": "dl", "liter": "l", "litre": "l", "ltr": "l", "lt": "l",
    "teaspoon": "tsp", "tsp": "tsp", "tsps": "tsp", "t": "tsp", "tspn": "tsp", "teasp": "tsp",
    "dessertspoon": "dsp", "dessert spoon": "dsp", "dstspn": "dsp",
    "tablespoon": "tbsp", "tbsp": "tbsp", "tbsps": "tbsp", "tbs": "tbsp", "tbl": "tbsp",
    "tbls": "tbsp", "tblsp": "tbsp", "tbspn": "tbsp", "tablesp": "tbsp", "tb": "tbsp",
    "fl oz": "fl oz", "fl. oz": "fl oz", "floz": "fl oz", "fluid ounce": "fl oz",
    "fl ounce": "fl oz", "c": "cup", "cup": "cup", "pint": "pint", "pt": "pint", "pts": "pint",
    "quart": "quart", "qt": "quart", "qts": "quart", "gallon": "gallon", "gal": "gallon",
    # length
    "millimeter": "mm", "millimetre": "mm", "centimeter": "cm", "centimetre": "cm",
    "inch": "inch", "in": "inch", "inches": "inch",
    # count spellings
    "tinned": "tin", "pkg": "package", "pkgs": "package", "pkt": "packet", "leaves": "leaf",
    "loaves": "loaf", "dozens": "dozen", "pinches": "pinch", "dashes": "dash",
    "bunches": "bunch", "boxes": "box", "handfull": "handful", "sq": "square",
}  # fmt: skip

# Case matters for these: "T" is a tablespoon, "t" a teaspoon (older American recipes).
CASE_SENSITIVE = {"T": "tbsp", "Tb": "tbsp", "TB": "tbsp"}


def _with_plurals(words: dict[str, str], canonical: tuple[str, ...]) -> dict[str, str]:
    table = {unit: unit for unit in canonical}
    for word, unit in list(words.items()) + [(u, u) for u in canonical]:
        table[word] = unit
        if len(word) > 2 and " " not in word[-3:]:
            table.setdefault(word + "s", unit)
            table.setdefault(word + "es", unit)
    return table


UNIT_WORDS: dict[str, dict[str, str]] = {
    "en": _with_plurals(_ENGLISH_IRREGULAR, CANONICAL_UNITS),
}
ALL_UNIT_WORDS: dict[str, str] = {w: u for table in UNIT_WORDS.values() for w, u in table.items()}
MAX_UNIT_WORDS = max(len(word.split()) for word in ALL_UNIT_WORDS)


@lru_cache(maxsize=4096)  # the parser asks about every token, and words repeat
def canonical_unit(word: str) -> str | None:
    """The canonical name for a unit spelling ("Tablespoons" -> "tbsp"), or None."""
    word = word.strip()
    if word in CASE_SENSITIVE:
        return CASE_SENSITIVE[word]
    return ALL_UNIT_WORDS.get(" ".join(word.lower().replace(".", " ").split()))
