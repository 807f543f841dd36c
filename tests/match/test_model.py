import random
from math import log2

import numpy as np
import pytest

from sirocco.match.compare import Observation
from sirocco.match.model import (
    DEFAULT_M,
    DEFAULT_U,
    KindModel,
    LevelMatrix,
    _distinct_rows,
    em_session,
    probability,
    smoothed,
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


def _em_pair_by_pair(
    codes: np.ndarray, levels: dict[str, list[str]], fixed: str, iterations: int = 50
) -> tuple[dict[str, dict[str, float]], float]:
    """``em_session`` as it was written before pairs with the same levels became one row: every
    pair its own row (strength 20 and 2, as the defaults)."""
    prior_m, prior_u = DEFAULT_M[Kind.PERSON], DEFAULT_U[Kind.PERSON]
    features = list(levels)
    m = {f: dict(lv) for f, lv in prior_m.items() if f != fixed}
    u = {f: dict(prior_u[f]) for f in m}
    share = 0.5
    for _ in range(iterations):
        odds = np.full(len(codes), log2(share / (1 - share)))
        for column, feature in enumerate(features):
            if feature in m:
                table = [0.0] + [log2(m[feature][lv] / u[feature][lv]) for lv in levels[feature]]
                odds += np.array(table)[codes[:, column]]
        p = np.exp2(np.clip(odds, -60, 60)) / (1 + np.exp2(np.clip(odds, -60, 60)))

        def counts(weights: np.ndarray) -> dict[str, dict[str, float]]:
            out = {}
            for column, feature in enumerate(features):
                sums = np.bincount(codes[:, column], weights, len(levels[feature]) + 1)
                out[feature] = {lv: float(sums[k + 1]) for k, lv in enumerate(levels[feature])}
            return out

        m_counts, u_counts = counts(p), counts(1 - p)
        new_share = min(max(float(p.mean()), 1e-6), 1 - 1e-6)
        m = smoothed({f: m_counts[f] for f in m}, {f: prior_m[f] for f in m}, 20.0)
        u = smoothed({f: u_counts[f] for f in m}, {f: prior_u[f] for f in m}, 2.0)
        converged = abs(new_share - share) < 1e-5
        share = new_share
        if converged:
            break
    return m, share


def test_pairs_with_the_same_levels_are_one_row_and_estimate_as_before() -> None:
    levels = {f: list(lv) for f, lv in DEFAULT_M[Kind.PERSON].items()}
    rng = np.random.default_rng(3)
    # Mostly few patterns, as sampled pairs are: each column drawn from a skewed distribution.
    codes = np.stack(
        [rng.choice(len(lv) + 1, size=5_000, p=_skewed(len(lv) + 1)) for lv in levels.values()],
        axis=1,
    ).astype(np.int8)
    matrix = LevelMatrix.of_codes(codes, levels)
    assert len(matrix) == 5_000
    assert matrix.codes.shape[0] < 2_000
    ones = np.ones(matrix.codes.shape[0])
    for column, feature in enumerate(levels):
        found = np.bincount(codes[:, column], minlength=len(levels[feature]) + 1)
        assert matrix.counts(ones)[feature] == {
            lv: float(found[k + 1]) for k, lv in enumerate(levels[feature])
        }
    name = list(levels).index("name")
    chosen = matrix.select("name", ["exact", "full"])
    wanted = [levels["name"].index(lv) + 1 for lv in ("exact", "full")]
    assert len(chosen) == int(np.isin(codes[:, name], wanted).sum())
    m, share = em_session(chosen, DEFAULT_M[Kind.PERSON], DEFAULT_U[Kind.PERSON], "name")
    m_before, share_before = _em_pair_by_pair(
        codes[np.isin(codes[:, name], wanted)], levels, "name"
    )
    assert share == pytest.approx(share_before, rel=1e-9)
    for feature, probabilities in m_before.items():
        assert m[feature] == pytest.approx(probabilities, rel=1e-9)


def _skewed(size: int) -> np.ndarray:
    weights = 1 / np.arange(1, size + 1) ** 2
    return weights / weights.sum()


@pytest.mark.parametrize(
    ("rows", "columns", "values"),
    [(20_000, 10, 6), (3_000, 12, 9), (500, 40, 5), (50, 1, 2), (0, 4, 3)],
)
def test_distinct_rows_are_numpys_in_its_order_with_their_counts(
    rows: int, columns: int, values: int
) -> None:
    """Read as numbers (or, when too long for one, as rows), the distinct rows and their
    counts are those of numpy's ``unique`` over rows, in the same order."""
    rng = np.random.default_rng(rows + columns)
    codes = rng.integers(0, values, size=(rows, columns)).astype(np.int8)
    codes[: rows // 2] = codes[rows // 2 : 2 * (rows // 2)]  # a half repeated: rows that recur
    found, repeats = _distinct_rows(codes)
    expected, counts = np.unique(codes, axis=0, return_counts=True)
    assert found.dtype == np.int8 and found.tolist() == expected.tolist()
    assert repeats.tolist() == counts.astype(float).tolist()
