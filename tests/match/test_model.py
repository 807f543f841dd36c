import random
from math import log2

import pytest

from sirocco.match.compare import Observation
from sirocco.match.model import (
    DEFAULT_M,
    DEFAULT_U,
    KindModel,
    LevelMatrix,
    em_session,
    probability,
)
from sirocco.match.profile import Kind


def test_probability_is_a_logistic_of_the_weight() -> None:
    assert probability(0.0) == 0.5
    assert probability(10) > 0.999 and probability(-10) < 0.001


def test_frequency_adjustment_makes_common_values_weigh_less() -> None:
    model = KindModel(DEFAULT_M[Kind.PERSON], DEFAULT_U[Kind.PERSON], 1e-4)
    rare = model.contribution(Observation("birth_date", "exact", 1e-5))
    common = model.contribution(Observation("birth_date", "exact", 1e-2))
    assert rare.weight > common.weight + 5
    assert model.contribution(Observation("birth_date", "missing")).weight == 0.0


def test_a_pairs_weight_is_the_prior_and_each_levels_log_ratio() -> None:
    m, u = DEFAULT_M[Kind.PERSON], DEFAULT_U[Kind.PERSON]
    model = KindModel(m, u, 0.01)
    observations = [
        Observation("name", "full", 0.002),  # frequency-adjusted: the name's frequency is u
        Observation("birth_date", "disagree", 0.3),  # not adjusted: the frequency is ignored
        Observation("gender", "agree"),
        Observation("phone", "missing"),
        Observation("colour", "agree"),  # a feature the model does not know weighs nothing
    ]
    expected = (
        log2(0.01 / 0.99)
        + log2(m["name"]["full"] / 0.002)
        + log2(m["birth_date"]["disagree"] / u["birth_date"]["disagree"])
        + log2(m["gender"]["agree"] / u["gender"]["agree"])
    )
    assert model.weight(observations) == pytest.approx(expected)
    weight, contributions = model.score(observations)
    assert weight == pytest.approx(expected)
    assert [c.weight for c in contributions][3:] == [0.0, 0.0]


def test_em_session_recovers_how_often_matches_disagree() -> None:
    # Pairs that agree on a name: 40% are the same person (birth dates agree 90% of the time,
    # otherwise within a year or two or far apart alike), 60% are namesakes (birth dates agree 1%
    # of the time, are within a couple of years 12%, far apart otherwise).
    rng = random.Random(3)
    vectors = []
    for _ in range(4000):
        same = rng.random() < 0.4
        draw = rng.random()
        if same:
            date = "exact" if draw < 0.9 else "disagree" if draw < 0.95 else "far"
        else:
            date = "exact" if draw < 0.01 else "disagree" if draw < 0.13 else "far"
        gender = "agree" if same or rng.random() < 0.5 else "disagree"
        vectors.append([Observation("name", "full"), Observation("birth_date", date),
                        Observation("gender", gender)])  # fmt: skip
    pairs = LevelMatrix(vectors, DEFAULT_M[Kind.PERSON])
    m, share = em_session(pairs, DEFAULT_M[Kind.PERSON], DEFAULT_U[Kind.PERSON], "name")
    assert abs(share - 0.4) < 0.05
    assert m["birth_date"]["far"] < 0.1
    assert m["birth_date"]["disagree"] < 0.1
    assert m["gender"]["agree"] > 0.95


def test_em_session_on_a_small_operation_keeps_namesakes_apart() -> None:
    # A few hundred records: 130 pairs of one person's records (dates agree, or only the year
    # is known), 55 pairs of namesakes, who share nationality and gender as often as the same
    # person does, and whose birth dates are years apart. Pulled too hard toward the random
    # pairs' u (nationality agrees one time in ten), the namesakes looked like matches, and
    # estimation taught that one match in ten has birth dates years apart.
    rng = random.Random(5)
    vectors = []
    for number in range(185):
        same = number < 130
        date = ("exact" if rng.random() < 0.8 else "year") if same else "far"
        vectors.append([Observation("name", "exact"), Observation("birth_date", date),
                        Observation("nationality", "agree"), Observation("gender", "agree")])  # fmt: skip
    pairs = LevelMatrix(vectors, DEFAULT_M[Kind.PERSON])
    m, share = em_session(pairs, DEFAULT_M[Kind.PERSON], DEFAULT_U[Kind.PERSON], "name")
    assert abs(share - 130 / 185) < 0.05
    assert m["birth_date"]["far"] < 0.02
