"""The tagger's fast path: the same features and the same tags as the model was trained with."""

from __future__ import annotations

import pycrfsuite
import pytest

from recipes.ingredients import parse_ingredient, parse_lines, tagger
from recipes.ingredients.features import Featurizer, sentence_features
from recipes.ingredients.tokens import normalise, tokenize

LINES = [
    "2 cups flour, sifted",
    "1 (15-ounce) can chickpeas, drained and rinsed",
    "150g/5¼oz canned chickpeas",
    "Half a lemon, juiced",
    "3-4 TB olive oil (extra-virgin)",
    "salt | pepper to taste",
    "One 28-ounce can whole tomatoes",
    "4- to 5-pound chicken",
    "zxqv wibble 7 florbs",  # words no model has seen
]


def test_features_are_the_ones_the_model_was_trained_on():
    """Spelled out for one line: any change here needs a re-trained model."""
    got = sentence_features(tokenize(normalise("2 cups flour, sifted")))
    assert got[1] == [
        b"w=cups", b"s=U", b"suf=ups", b"pos=1", b"out", b"head", b"qseen",
        b"w-1=2", b"s-1=Q", b"w+1=flour", b"s+1=w", b"s-2=^", b"s+2=,",
        b"w-1w=2|cups", b"ww+1=cups|flour", b"lem=cup",
    ]  # fmt: skip
    assert got[0][:4] == [b"w=2", b"s=Q", b"suf=2", b"pos=0"]
    assert got[4] == [
        b"w=sifted", b"s=w", b"suf=ted", b"pos=4", b"out", b"comma", b"qseen",
        b"w-1=,", b"s-1=,", b"w+1=$", b"s+1=$", b"s-2=w", b"s+2=$",
        b"w-1w=,|sifted", b"ww+1=sifted|$", b"lem=sifted", b"-ed",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def crf() -> pycrfsuite.Tagger:
    crf = pycrfsuite.Tagger()
    crf.open(str(tagger.model_path()))
    return crf


@pytest.fixture(scope="module")
def featurizer(known) -> Featurizer:
    return Featurizer(known)


@pytest.fixture(scope="module")
def known() -> frozenset[bytes]:
    names = tagger.model_attributes(tagger.model_path())
    assert names is not None
    return names


def test_attribute_names_read_from_the_model_file_are_crfsuites_own(crf, known):
    assert known == {name.encode() for name, _ in crf.info().state_features}


def test_a_file_of_another_layout_gives_no_names(tmp_path):
    other = tmp_path / "model.crfsuite"
    other.write_bytes(b"not a crfsuite model at all" * 4)
    assert tagger.model_attributes(other) is None


@pytest.mark.parametrize("line", LINES)
def test_leaving_out_unknown_features_changes_no_tag(line, crf, known, featurizer):
    """Only features the model has never seen are left out (not all of them: the neighbours'
    words are sent anyway), and the tags are crfsuite's for every feature."""
    tokens = tokenize(normalise(line))
    every = sentence_features(tokens)
    sent = featurizer.sentence(tokens)
    assert sum(map(len, sent)) < sum(map(len, every))
    for all_of_them, sent_of_them in zip(every, sent, strict=True):
        assert [f for f in all_of_them if f in known or f in sent_of_them] == sent_of_them
    assert tagger.tag(tokens) == crf.tag(every)


def test_each_parse_is_a_new_model():
    """Callers scale what they get in place: the cached parse must not change with them."""
    first = parse_ingredient("2 cups flour")
    first.amounts[0].quantity = 4
    first.quantity = 4
    again = parse_ingredient("2 cups flour")
    assert (again.quantity, again.amounts[0].quantity) == (2, 2)
    assert parse_lines(["2 cups flour", " "]) == [again, parse_ingredient(" ")]
    assert parse_ingredient(" ").model_fields_set == {"text", "amounts"}
