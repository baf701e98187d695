"""What the sequence tagger sees of each token (shared by tagging and training).

Features are UTF-8 bytes, as crfsuite stores them, so they cross into it without being
encoded on every call. What depends on the token alone (its word, shape, suffix, lemma and
the forms its neighbours quote) is built once per distinct token and cached: a line only
joins those pieces with its positions and neighbours.

For tagging, a `Featurizer` made with the model's attribute names leaves out the word
features the model has never seen. crfsuite drops those itself, unscored, so the tags are
the same; sending them only cost time (a tenth of a line's features, mostly word pairs).
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

from .tokens import Token
from .units import canonical_unit
from .words import singular

SIZE_WORDS = frozenset({"small", "medium", "large", "big", "extra-large", "jumbo", "x-large",
                        "lg", "sm", "med", "md", "heaped", "heaping", "level", "rounded",
                        "scant", "generous", "good"})  # fmt: skip
_POSITIONS = tuple(b"pos=" + str(i).encode() for i in range(6)) + (b"pos=6+",)
_PAIR_BEFORE, _PAIR_AFTER = b"w-1w=", b"ww+1="
WordIndex = dict[bytes, frozenset[bytes]]


class _Every:
    """Every word: for training, which must see all features."""

    def __contains__(self, word: object) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class TokenFeatures:
    """One distinct token's features, and the pieces its neighbours' features quote."""

    head: tuple[bytes, ...]  # word, shape, suffix: the first features of the token
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
    words_before: Container[bytes]  # the words before it that make a pair worth sending
    words_after: Container[bytes]  # the words after it that do


class Featurizer:
    """Features for one model; `known`: its attribute names, None to send every feature."""

    def __init__(self, known: frozenset[bytes] | None = None) -> None:
        self._known = known
        self._before, self._after = _pair_words(known) if known is not None else ({}, {})
        self.token = lru_cache(maxsize=8192)(self._token)  # words and numbers repeat

    def sentence(self, tokens: list[Token]) -> list[list[bytes]]:
        """One list of features per token: the word, its neighbours and where it sits."""
        own = [self.token(t.text, t.kind, t.value_max is not None) for t in tokens]
        padded = [_START, _START, *own, _END, _END]
        out: list[list[bytes]] = []
        depth = 0
        after_comma = seen_qty = False
        for i, token in enumerate(tokens):
            before, this, after = padded[i + 1], padded[i + 2], padded[i + 3]
            features = [
                *this.head,
                _POSITIONS[i] if i < 6 else b"pos=6+",
                b"paren" if depth else b"out",
                b"comma" if after_comma else b"head",
                b"qseen" if seen_qty else b"noq",
                before.word_before, before.shape_before, after.word_after, after.shape_after,
                padded[i].shape_2before, padded[i + 4].shape_2after,
            ]  # fmt: skip
            if before.word in this.words_before:
                features.append(before.pair_left + this.word)
            if after.word in this.words_after:
                features.append(this.pair_right + after.word)
            features += this.tail
            out.append(features)
            if token.text == "(":
                depth += 1
            elif token.text == ")" and depth:
                depth -= 1
            elif token.text in {",", ";"} and not depth:
                after_comma = True
            if token.kind == "qty":
                seen_qty = True
        return out

    def _token(self, text: str, kind: str, ranged: bool) -> TokenFeatures:
        word = text.lower()
        shape = _shape(text, kind, ranged)
        head = (b"w=" + word.encode(), b"s=" + shape.encode(), b"suf=" + word[-3:].encode())
        if self._known is None:
            return _pieces(word, shape, head, _tail(word, kind), _Every(), _Every())
        w, known = word.encode(), self._known
        return _pieces(
            word, shape,
            tuple(f for f in head if f in known), tuple(f for f in _tail(word, kind) if f in known),
            self._before.get(w, frozenset()), self._after.get(w, frozenset()),
        )  # fmt: skip


def _pair_words(known: frozenset[bytes]) -> tuple[WordIndex, WordIndex]:
    """For each word, the words before it and after it that the model knows as a pair.

    A word may hold "|" itself, so every split of a pair is indexed: a candidate too many
    costs nothing but a feature crfsuite drops, and no known pair is ever missed."""
    before: dict[bytes, set[bytes]] = {}
    after: dict[bytes, set[bytes]] = {}
    for name in known:
        prefix, pair = name[:5], name[5:]
        if prefix not in (_PAIR_BEFORE, _PAIR_AFTER):
            continue
        for at in (i for i, byte in enumerate(pair) if byte == ord("|")):
            left, right = pair[:at], pair[at + 1 :]
            if prefix == _PAIR_BEFORE:
                before.setdefault(right, set()).add(left)
            else:
                after.setdefault(left, set()).add(right)
    return _frozen(before), _frozen(after)


def _frozen(index: dict[bytes, set[bytes]]) -> WordIndex:
    return {word: frozenset(words) for word, words in index.items()}


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


def _pieces(
    word: str,
    shape: str,
    head: tuple[bytes, ...],
    tail: tuple[bytes, ...],
    words_before: Container[bytes],
    words_after: Container[bytes],
) -> TokenFeatures:
    w, s = word.encode(), shape.encode()
    return TokenFeatures(
        head=head,
        tail=tail,
        word_before=b"w-1=" + w,
        word_after=b"w+1=" + w,
        shape_before=b"s-1=" + s,
        shape_after=b"s+1=" + s,
        shape_2before=b"s-2=" + s,
        shape_2after=b"s+2=" + s,
        pair_left=_PAIR_BEFORE + w + b"|",
        pair_right=_PAIR_AFTER + w + b"|",
        word=w,
        words_before=words_before,
        words_after=words_after,
    )


# The line's edges, as the neighbours of its first and last tokens see them.
_START = _pieces("^", "^", (), (), (), ())
_END = _pieces("$", "$", (), (), (), ())
_EVERY_FEATURE = Featurizer()


def sentence_features(tokens: list[Token]) -> list[list[bytes]]:
    """Every feature of every token, as training needs them."""
    return _EVERY_FEATURE.sentence(tokens)
