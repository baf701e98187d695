"""What the sequence tagger sees of each token (shared by tagging and training)."""

from __future__ import annotations

from .tokens import Token
from .units import canonical_unit
from .words import singular

SIZE_WORDS = frozenset({"small", "medium", "large", "big", "extra-large", "jumbo", "x-large",
                        "lg", "sm", "med", "md", "heaped", "heaping", "level", "rounded",
                        "scant", "generous", "good"})  # fmt: skip


def shape(token: Token) -> str:
    if token.kind == "qty":
        return "R" if token.value_max is not None else "Q"
    if token.kind == "punct":
        return token.text
    if canonical_unit(token.text) is not None:
        return "U"
    if token.text[0].isupper():
        return "Cap"
    return "w"


def sentence_features(tokens: list[Token]) -> list[list[str]]:
    """One list of string features per token: the word, its neighbours and where it sits."""
    words = [t.text.lower() for t in tokens]
    shapes = [shape(t) for t in tokens]
    out: list[list[str]] = []
    depth = 0
    after_comma = False
    seen_qty = False
    for i, token in enumerate(tokens):
        word = words[i]
        feats = [
            "w=" + word,
            "s=" + shapes[i],
            "suf=" + word[-3:],
            "pos=" + (str(i) if i < 6 else "6+"),
            "paren" if depth else "out",
            "comma" if after_comma else "head",
            "qseen" if seen_qty else "noq",
            "w-1=" + (words[i - 1] if i else "^"),
            "s-1=" + (shapes[i - 1] if i else "^"),
            "w+1=" + (words[i + 1] if i + 1 < len(tokens) else "$"),
            "s+1=" + (shapes[i + 1] if i + 1 < len(tokens) else "$"),
            "s-2=" + (shapes[i - 2] if i > 1 else "^"),
            "s+2=" + (shapes[i + 2] if i + 2 < len(tokens) else "$"),
            "w-1w=" + (words[i - 1] if i else "^") + "|" + word,
            "ww+1=" + word + "|" + (words[i + 1] if i + 1 < len(tokens) else "$"),
        ]
        feats.append("lem=" + singular(word))
        if word.endswith("ed"):
            feats.append("-ed")
        elif word.endswith("ly"):
            feats.append("-ly")
        if word in SIZE_WORDS:
            feats.append("size")
        if token.kind == "word" and "-" in word:
            feats.append("hyphen")
        out.append(feats)
        if token.text == "(":
            depth += 1
        elif token.text == ")" and depth:
            depth -= 1
        elif token.text in {",", ";"} and not depth:
            after_comma = True
        if token.kind == "qty":
            seen_qty = True
    return out
