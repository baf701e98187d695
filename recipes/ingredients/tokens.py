"""Ingredient lines as tokens: words, punctuation and whole quantities.

A quantity token holds its value already read: `1 1/2`, `1½`, `1,5`, `2-3`, `2 to 3` and
`4 or 5` each become one token, so the rest of the parser never re-reads digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .units import canonical_unit

VULGAR = {
    "½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅖": "2/5",
    "⅗": "3/5", "⅘": "4/5", "⅙": "1/6", "⅚": "5/6", "⅛": "1/8", "⅜": "3/8", "⅝": "5/8",
    "⅞": "7/8", "⅐": "1/7", "⅑": "1/9", "⅒": "1/10",
}  # fmt: skip
_VULGAR_RE = re.compile("(\\d?)([" + "".join(VULGAR) + "])")
_DASHES = str.maketrans({"–": "-", "—": "-", "‒": "-", "−": "-", "⁄": "/", "∕": "/", "’": "'"})
_ANY_DASH = re.compile("[" + "".join(map(chr, _DASHES)) + "]")  # translating looks up every char
_TOKEN_RE = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)?(?:/\d+)?|\.\d+)"  # 2, 2.5, 2,5, 1/2, .6
    r"|(?P<word>[^\W\d_]+(?:['.-][^\W\d_]+)*\.?)"  # words, incl. "free-range", "fl."
    r"|(?P<punct>\S)"
)
RANGE_WORDS = frozenset({"-", "to", "or", "–"})
# Spelled-out numbers are quantities too ("One 400 g can", "half a lemon"); the tagger decides
# when they are ("two eggs") and when not ("in one piece", "cut in half").
NUMBER_WORDS = {
    "half": 0.5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip


@dataclass(slots=True)
class Token:
    text: str
    kind: str  # "qty", "word" or "punct"
    value: float | None = None
    value_max: float | None = None


def normalise(text: str) -> str:
    """Unicode fractions as `n/d` (`1½` -> `1 1/2`), one kind of dash and slash."""
    if text.isascii():  # most lines: nothing to replace, and the check is free
        return text

    def vulgar(match: re.Match[str]) -> str:
        whole = match.group(1)
        return (whole + " " if whole else " ") + VULGAR[match.group(2)] + " "

    if _ANY_DASH.search(text):
        text = text.translate(_DASHES)
    return _VULGAR_RE.sub(vulgar, text)


def number(text: str) -> float | None:
    """`3`, `2.5`, `2,5` (decimal comma), `1,000` (thousands), `1/2` as a float."""
    if "/" in text:
        top, _, bottom = text.partition("/")
        return int(top) / int(bottom) if int(bottom) else None
    if "," in text:
        whole, _, part = text.partition(",")
        text = whole + part if len(part) == 3 and whole != "0" else whole + "." + part
    return float(text)


def tokenize(text: str) -> list[Token]:
    # findall, not finditer: tuples are cheaper than match objects, and nothing needs offsets
    raw = [
        Token(num, "qty", number(num)) if num else Token(word or punct, "word" if word else "punct")
        for num, word, punct in _TOKEN_RE.findall(text)
    ]
    quantities = 0
    for i, token in enumerate(raw):
        if token.kind == "qty":
            quantities += 1
        elif (
            token.kind == "word" and token.text.lower() in NUMBER_WORDS and _spelled_number(raw, i)
        ):
            token.kind, token.value = "qty", float(NUMBER_WORDS[token.text.lower()])
            quantities += 1
    if quantities < 2:  # nothing to merge: both kinds join two quantities
        return raw
    return _merge_ranges(_merge_mixed(raw))


def _spelled_number(tokens: list[Token], i: int) -> bool:
    """A number word that may be an amount. "half" only where it is one ("half a lemon",
    "Half tsp" first in the line): elsewhere it is food ("half and half", "on the half
    shell") or preparation ("cut in half")."""
    word = tokens[i].text.lower()
    if word != "half":
        return word in NUMBER_WORDS
    after = tokens[i + 1].text.lower() if i + 1 < len(tokens) else ""
    return after in {"a", "an"} or (i == 0 and after not in {"and", "&", ""})


def _merge_mixed(tokens: list[Token]) -> list[Token]:
    """`1 1/2` -> one token worth 1.5."""
    out: list[Token] = []
    for token in tokens:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "qty"
            and prev.text.isdigit()  # not "One 1/2-pound potato"
            and token.kind == "qty"
            and "/" in token.text
            and "/" not in prev.text
            and prev.value is not None
            and token.value is not None
            and token.value < 1
            and prev.value_max is None
        ):
            prev.text += " " + token.text
            prev.value += token.value
            continue
        out.append(token)
    return out


def _merge_ranges(tokens: list[Token]) -> list[Token]:
    """`2-3`, `2 to 3`, `4 or 5`, `4- to 5-pound`, `110ml-150ml` -> one token with value 2 and
    value_max 3 (and, for a unit written twice, that unit once after it)."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        top_at = _range_top(tokens, i) if token.kind == "qty" else None
        if top_at is None:
            out.append(token)
            i += 1
            continue
        top = tokens[top_at]
        joined = " ".join(t.text for t in tokens[i : top_at + 1])
        out.append(Token(joined, "qty", token.value, top.value))
        i = top_at + 1
    return out


def _range_top(tokens: list[Token], i: int) -> int | None:
    """Where the top of a range starting at quantity `i` is, or None if no range starts there.

    Besides `2-3` and `2 to 3`: hyphens hung on the numbers of a size (`4- to 5-pound`,
    `3½-to-4-pound`), and a unit repeated on both ends (`110ml-150ml`, `¾ cup to 1 cup`),
    whose first copy is skipped so the unit after the top reads as the range's unit."""
    j = i + 1
    unit = _unit_at(tokens, j)
    if unit is not None:
        j += 1
    if j < len(tokens) and tokens[j].text == "-" and _word_at(tokens, j + 1) in {"to", "or"}:
        j += 1  # `4- to 5`
    if _word_at(tokens, j) not in RANGE_WORDS:
        return None
    j += 1
    if _word_at(tokens, j) == "-" and tokens[j - 1].text != "-":
        j += 1  # `3½-to-4`, `8- to -10`
    if j >= len(tokens) or tokens[j].kind != "qty" or tokens[j].value_max is not None:
        return None
    if unit is not None and _unit_at(tokens, j + 1) != unit:
        return None  # `1 cup to 2 tbsp` is not a range
    low, top = tokens[i].value, tokens[j].value
    if low is None or top is None or top <= low:
        return None
    return j


def _word_at(tokens: list[Token], i: int) -> str | None:
    return tokens[i].text.lower() if i < len(tokens) else None


def _unit_at(tokens: list[Token], i: int) -> str | None:
    return canonical_unit(tokens[i].text) if i < len(tokens) and tokens[i].kind == "word" else None
