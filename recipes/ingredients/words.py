"""Word forms: plurals folded to the singular, as a cook reads them."""

from __future__ import annotations

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
