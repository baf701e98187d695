"""What the sequence tagger sees of each token (shared by tagging and training).

Features are UTF-8 bytes, as crfsuite stores them, so they cross into it without being
encoded on every call. What depends on the token alone (its word, shape, suffix, lemma and
the forms its neighbours quote) is built once per distinct token and cached: a line only
joins those pieces with its positions and neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .tokens import Token
from .units import canonical_unit
from .words import singular

SIZE_WORDS = frozenset({"small", "medium", "large", "big", "extra-large", "jumbo", "x-large",
                        "lg", "sm", "med", "md", "heaped", "heaping", "level", "rounded",
                        "scant", "generous", "good"})  # fmt: skip
_POSITIONS = tuple(b"pos=" + str(i).encode() for i in range(6)) + (b"pos=6+",)


@dataclass(frozen=True, slots=True)
class TokenFeatures:
    """One distinct token's features, and the pieces its neighbours' features quote."""

    head: tuple[bytes, bytes, bytes]  # word, shape, suffix: the first features of the token
    tail: tuple[bytes, ...]  # lemma and word-form flags: its last features
    word_before: bytes  # "w-1=word", seen from the next token
    word_after: bytes  # "w+1=word", seen from the previous token
    shape_before: bytes  # "s-1=shape"
    shape_after: bytes  # "s+1=shape"
    shape_2before: bytes  # "s-2=shape"
    shape_2after: bytes  # "s+2=shape"
    pair_left: bytes  # "w-1w=word|": the next token's word completes it
    pair_right: bytes  # "ww+1=word|": the next token's word completes it
    word: bytes


def _shape(text: str, kind: str, ranged: bool) -> str:
    if kind == "qty":
        return "R" if ranged else "Q"
    if kind == "punct":
        return text
    if canonical_unit(text) is not None:
        return "U"
    if text[0].isupper():
        return "Cap"
    return "w"


@lru_cache(maxsize=8192)  # distinct tokens are few: words, numbers and punctuation repeat
def token_features(text: str, kind: str, ranged: bool) -> TokenFeatures:
    word = text.lower()
    return _pieces(word, _shape(text, kind, ranged), _tail(word, kind))


def _tail(word: str, kind: str) -> tuple[bytes, ...]:
    tail = ["lem=" + singular(word)]
    if word.endswith("ed"):
        tail.append("-ed")
    elif word.endswith("ly"):
        tail.append("-ly")
    if word in SIZE_WORDS:
        tail.append("size")
    if kind == "word" and "-" in word:
        tail.append("hyphen")
    return tuple(feature.encode() for feature in tail)


def _pieces(word: str, shape: str, tail: tuple[bytes, ...]) -> TokenFeatures:
    w, s = word.encode(), shape.encode()
    return TokenFeatures(
        head=(b"w=" + w, b"s=" + s, b"suf=" + word[-3:].encode()),
        tail=tail,
        word_before=b"w-1=" + w,
        word_after=b"w+1=" + w,
        shape_before=b"s-1=" + s,
        shape_after=b"s+1=" + s,
        shape_2before=b"s-2=" + s,
        shape_2after=b"s+2=" + s,
        pair_left=b"w-1w=" + w + b"|",
        pair_right=b"ww+1=" + w + b"|",
        word=w,
    )


# The line's edges, as the neighbours of its first and last tokens see them.
_START = _pieces("^", "^", ())
_END = _pieces("$", "$", ())


def sentence_features(tokens: list[Token]) -> list[list[bytes]]:
    """One list of features per token: the word, its neighbours and where it sits."""
    own = [token_features(t.text, t.kind, t.value_max is not None) for t in tokens]
    padded = [_START, _START, *own, _END, _END]
    out: list[list[bytes]] = []
    depth = 0
    after_comma = seen_qty = False
    for i, token in enumerate(tokens):
        before, this, after = padded[i + 1], padded[i + 2], padded[i + 3]
        out.append([
            *this.head,
            _POSITIONS[min(i, 6)],
            b"paren" if depth else b"out",
            b"comma" if after_comma else b"head",
            b"qseen" if seen_qty else b"noq",
            before.word_before, before.shape_before, after.word_after, after.shape_after,
            padded[i].shape_2before, padded[i + 4].shape_2after,
            before.pair_left + this.word, this.pair_right + after.word,
            *this.tail,
        ])  # fmt: skip
        if token.text == "(":
            depth += 1
        elif token.text == ")" and depth:
            depth -= 1
        elif token.text in {",", ";"} and not depth:
            after_comma = True
        if token.kind == "qty":
            seen_qty = True
    return out
