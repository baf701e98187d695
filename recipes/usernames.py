"""Usernames that look alike: `аnn` (Cyrillic а) must not pass for `ann`.

Follows the idea of Unicode TS #39: fold each name to a skeleton (compatibility forms, case,
and letters of other scripts that are drawn like a Latin letter) and compare skeletons.
The homoglyph table comes from confusable-homoglyphs (Unicode's confusables data).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from types import ModuleType

LATIN_LIKE = {"LATIN", "COMMON"}


@lru_cache(maxsize=1)
def _confusables() -> ModuleType:
    # Its table is 6 MB of JSON read at import (60 ms): load it with the first username.
    from confusable_homoglyphs import confusables

    return confusables


def skeleton(name: str) -> str:
    """The form two names share when a reader could not tell them apart."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(_latin_lookalike(ch) for ch in folded)


@lru_cache(maxsize=4096)
def _latin_lookalike(ch: str) -> str:
    if ch.isascii():
        return ch
    found = _confusables().is_confusable(ch, preferred_aliases=["latin"], greedy=False)
    if not found or found[0]["alias"] in LATIN_LIKE:
        return ch
    for glyph in found[0]["homoglyphs"]:
        if len(glyph["c"]) == 1 and glyph["c"].isascii():
            return glyph["c"].casefold()
    return ch


def mixes_scripts(name: str) -> bool:
    """True for a name whose letters come from scripts that a reader could confuse."""
    return bool(_confusables().is_dangerous(unicodedata.normalize("NFKC", name)))


def lookalike_of(name: str, existing: list[str]) -> str | None:
    """The existing name that `name` cannot be told apart from, if any."""
    mine = skeleton(name)
    return next((other for other in existing if skeleton(other) == mine), None)
