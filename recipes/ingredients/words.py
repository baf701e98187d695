"""Word forms: plurals folded to the singular, as a cook reads them."""

from __future__ import annotations

import re

_ENDINGS = (("ies", "y"), ("ves", "f"), ("oes", "o"), ("ches", "ch"), ("shes", "sh"),
            ("xes", "x"), ("sses", "ss"))  # fmt: skip


def singular(word: str) -> str:
    """`tomatoes` -> `tomato`, `leaves` -> `leaf`, `cups` -> `cup`; `glass` stays."""
    for end, replacement in _ENDINGS:
        if word.endswith(end) and len(word) > len(end) + 1:
            return word[: -len(end)] + replacement
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


# Foods counted in whole pieces, by their singular and plural: only these are inflected
# for a number, so a mass noun ("2 garlic") or a word of another language ("2 Zwiebel")
# is never given an English plural.
_COUNTED = (
    "apple apricot aubergine avocado bagel banana baguette beet biscuit breast bun carrot "
    "cherry chili chilli clementine clove cookie courgette cracker croissant cucumber "
    "cutlet date drumstick egg eggplant fig fillet jalapeno jalapeño kiwi leaf leek lemon "
    "lime mango muffin mushroom nectarine onion orange pancake peach pear pepper pita "
    "plum potato prawn radish raspberry roll sausage scallion scallop shallot sheet steak "
    "strawberry tangerine thigh tomato tortilla wing wrap yolk"
)
_COUNT_NOUNS = _COUNTED.split()
_WORD = re.compile(r"[^\W\d_]+")


def _plural(noun: str) -> str:
    if noun in ("potato", "tomato", "mango"):
        return noun + "es"
    if noun == "leaf":
        return "leaves"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("ch", "sh", "x", "s")):
        return noun + "es"
    return noun + "s"


_FORMS = {form: (n, _plural(n)) for n in _COUNT_NOUNS for form in (n, _plural(n))}


def counted(word: str, many: bool) -> str:
    """A counted food's word in the number its amount calls for ("lemon" with 2 ->
    "lemons", "leeks" with 1 -> "leek"), its capital kept; any other word as it is."""
    forms = _FORMS.get(word.lower())
    if forms is None:
        return word
    wanted = forms[1] if many else forms[0]
    return wanted.capitalize() if word[:1].isupper() else wanted


def counted_in(words: str, food: str | None, many: bool) -> str:
    """The words after a bare count ("large lemon, zested") with the food's last word, where
    they name it before any comma or bracket, in the number the count calls for."""
    noun = (food or "").split()[-1:]
    forms = _FORMS.get(noun[0].lower()) if noun else None
    if forms is None:
        return words
    end = min((i for i in (words.find(","), words.find("(")) if i >= 0), default=len(words))
    for found in _WORD.finditer(words, 0, end):
        if _FORMS.get(found.group().lower()) == forms:
            return words[: found.start()] + counted(found.group(), many) + words[found.end() :]
    return words
