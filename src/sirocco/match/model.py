"""The Fellegi–Sunter model: per-feature agreement levels, m and u probabilities, match weights.

For each kind of entity and each feature, every agreement level has
``m`` = P(level | same thing) and ``u`` = P(level | different things). A pair's match weight is
``log2(prior odds) + sum(log2(m / u))``; its probability follows from the weight. Levels marked
frequency-adjusted replace ``u`` by the frequency of the agreeing value, so that "Mohammed
Ahmadi, born 1 January 1990" weighs less than a rare name and a real birthday. Missing values
weigh nothing. The per-feature weights are the explanation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from math import log2
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from sirocco.match.compare import Observation
from sirocco.match.profile import Kind

# Default m probabilities (before any data is seen) and u probabilities (before random pairs are
# sampled). Estimation from the data replaces them; they also act as the prior (pseudo-counts)
# that keeps the estimates sensible on small data.
DEFAULT_M: dict[Kind, dict[str, dict[str, float]]] = {
    Kind.PERSON: {
        "name": {"exact": 0.3, "full": 0.35, "full_fuzzy": 0.15, "partial": 0.1, "one": 0.07,
                 "none": 0.03},
        "birth_date": {"exact": 0.65, "swapped": 0.06, "near": 0.05, "typo": 0.01, "year": 0.18,
                       "disagree": 0.04, "far": 0.01},
        "father": {"agree": 0.9, "disagree": 0.1},
        "gender": {"agree": 0.97, "disagree": 0.03},
        "nationality": {"agree": 0.9, "disagree": 0.1},
        "document": {"exact": 0.85, "near": 0.08, "disagree": 0.07},
        "phone": {"agree": 0.6, "disagree": 0.4},
        "address": {"exact": 0.5, "close": 0.3, "some": 0.1, "disagree": 0.1},
    },
    Kind.VEHICLE: {
        "plate": {"exact": 0.6, "folded": 0.34, "near": 0.02, "disagree": 0.04},
        "country": {"agree": 0.9, "disagree": 0.1},
        "model": {"exact": 0.6, "close": 0.2, "some": 0.1, "disagree": 0.1},
    },
    Kind.DOCUMENT: {
        "document": {"exact": 0.9, "near": 0.07, "disagree": 0.03},
        "country": {"agree": 0.95, "disagree": 0.05},
        "holder": {"exact": 0.4, "full": 0.3, "full_fuzzy": 0.15, "partial": 0.07, "one": 0.05,
                   "none": 0.03},
    },
    Kind.ADDRESS: {"address": {"exact": 0.7, "close": 0.2, "some": 0.05, "disagree": 0.05}},
    Kind.ORGANIZATION: {
        "name": {"exact": 0.5, "full": 0.25, "full_fuzzy": 0.1, "partial": 0.08, "one": 0.05,
                 "none": 0.02},
        "country": {"agree": 0.9, "disagree": 0.1},
    },
}  # fmt: skip
DEFAULT_U: dict[Kind, dict[str, dict[str, float]]] = {
    Kind.PERSON: {
        "name": {"exact": 1e-4, "full": 3e-4, "full_fuzzy": 3e-4, "partial": 2e-3, "one": 0.05,
                 "none": 0.95},
        "birth_date": {"exact": 7e-5, "swapped": 7e-5, "near": 3e-4, "typo": 3e-4, "year": 0.03,
                       "disagree": 0.1, "far": 0.87},
        "father": {"agree": 0.02, "disagree": 0.98},
        "gender": {"agree": 0.5, "disagree": 0.5},
        "nationality": {"agree": 0.2, "disagree": 0.8},
        "document": {"exact": 1e-6, "near": 1e-5, "disagree": 1.0},
        "phone": {"agree": 1e-5, "disagree": 1.0},
        "address": {"exact": 1e-4, "close": 1e-3, "some": 0.02, "disagree": 0.98},
    },
    Kind.VEHICLE: {
        "plate": {"exact": 1e-6, "folded": 1e-6, "near": 2e-4, "disagree": 1.0},
        "country": {"agree": 0.3, "disagree": 0.7},
        "model": {"exact": 0.05, "close": 0.05, "some": 0.1, "disagree": 0.8},
    },
    Kind.DOCUMENT: {
        "document": {"exact": 1e-6, "near": 1e-5, "disagree": 1.0},
        "country": {"agree": 0.3, "disagree": 0.7},
        "holder": {"exact": 1e-4, "full": 3e-4, "full_fuzzy": 3e-4, "partial": 2e-3, "one": 0.05,
                   "none": 0.95},
    },
    Kind.ADDRESS: {"address": {"exact": 1e-4, "close": 1e-3, "some": 0.02, "disagree": 0.98}},
    Kind.ORGANIZATION: {
        "name": {"exact": 1e-4, "full": 2e-4, "full_fuzzy": 2e-4, "partial": 1e-3, "one": 0.02,
                 "none": 0.98},
        "country": {"agree": 0.3, "disagree": 0.7},
    },
}  # fmt: skip
DEFAULT_PRIOR = 1e-4  # P(two random records of a kind are the same thing), before estimation
FREQUENCY_ADJUSTED = {
    "name": {"exact", "full"},
    "phone": {"agree"},
    "birth_date": {"exact", "year"},
    "plate": {"near"},
}
MISSING = "missing"


@dataclass(slots=True, init=False, unsafe_hash=True)
class Contribution:
    """One feature's part in a pair's score: the explanation, as data. (Made for each feature
    of each hit: its ``__init__`` is written out, see ``sirocco.compiled``.)"""

    feature: Final[str]
    level: Final[str]
    weight: Final[float]  # bits of evidence for (positive) or against (negative) the match
    detail: Final[str]

    def __init__(self, feature: str, level: str, weight: float, detail: str = "") -> None:
        self.feature = feature
        self.level = level
        self.weight = weight
        self.detail = detail

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "level": self.level,
            "weight": round(self.weight, 2),
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class KindModel:
    """Parameters for one kind of entity.

    ``m`` and ``u`` are the level probabilities among pairs that are, and are not, the same thing;
    ``prior`` is the chance that two random records of the kind are the same thing. For
    frequency-adjusted levels, the value's own frequency replaces ``u``.

    A model is not changed once made (estimation makes a new one): each level's weight is worked
    out once, when it is made, and a pair's weight is a sum of table lookups.
    """

    m: dict[str, dict[str, float]]
    u: dict[str, dict[str, float]]
    prior: float = DEFAULT_PRIOR
    prior_weight: float = field(init=False, repr=False, compare=False)
    _bits: dict[tuple[str, str], float] = field(init=False, repr=False, compare=False)
    _adjusted: dict[tuple[str, str], float] = field(init=False, repr=False, compare=False)
    # Per feature: the most a level that is not frequency-adjusted weighs (at least 0), the
    # largest adjusted m. (The comparison observes an adjusted level with its value's frequency.)
    _most: dict[str, tuple[float, float]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        bits = {
            (feature, level): log2(m / self.u[feature][level])
            for feature, levels in self.m.items()
            for level, m in levels.items()
            if level != MISSING
        }
        adjusted = {
            (feature, level): self.m[feature][level]
            for feature, levels in FREQUENCY_ADJUSTED.items()
            if feature in self.m
            for level in levels
            if level in self.m[feature]
        }
        object.__setattr__(self, "prior_weight", log2(self.prior / (1 - self.prior)))
        object.__setattr__(self, "_bits", bits)
        object.__setattr__(self, "_adjusted", adjusted)
        most = {
            feature: (
                max(
                    [
                        0.0,
                        *(
                            b
                            for key, b in bits.items()
                            if key[0] == feature and key not in adjusted
                        ),
                    ]
                ),  # fmt: skip
                max([0.0, *(m for (f, _), m in adjusted.items() if f == feature)]),
            )
            for feature in self.m
        }
        object.__setattr__(self, "_most", most)

    def bits(self, observation: Observation) -> float:
        """One observation's evidence in bits: log2(m / u), the value's frequency standing for
        ``u`` where the level is frequency-adjusted; nothing for a missing or unknown level."""
        key = (observation.feature, observation.level)
        if observation.frequency is not None:
            m = self._adjusted.get(key)
            if m is not None:
                return log2(m / max(observation.frequency, 1e-12))
        return self._bits.get(key, 0.0)

    def most_bits(self, feature: str, rarest: float) -> float:
        """The most any observation of ``feature`` can weigh, when no value of it can be rarer
        than ``rarest`` (missing weighs nothing, so never less than 0)."""
        fixed, adjusted_m = self._most[feature]
        if adjusted_m > 0.0:
            return max(fixed, log2(adjusted_m / max(rarest, 1e-12)))
        return fixed

    def contribution(self, observation: Observation) -> Contribution:
        return Contribution(
            observation.feature, observation.level, self.bits(observation), observation.detail
        )

    def weight(self, observations: Iterable[Observation]) -> float:
        """Match weight in bits, prior included, without the explanation ``score`` gives."""
        total = self.prior_weight
        fixed, bits = self._bits, self.bits
        for observation in observations:  # most weigh as their level does: looked up here
            if observation.frequency is None:
                total += fixed.get((observation.feature, observation.level), 0.0)
            else:
                total += bits(observation)
        return total

    def score(self, observations: Iterable[Observation]) -> tuple[float, list[Contribution]]:
        """Match weight (bits, prior included) and the per-feature contributions."""
        contributions = [self.contribution(o) for o in observations]
        return self.prior_weight + sum(c.weight for c in contributions), contributions


def probability(weight: float) -> float:
    """The match probability for a match weight in bits."""
    if weight > 60:
        return 1.0
    odds: float = 2.0**weight
    return odds / (1.0 + odds)


@dataclass(slots=True)
class Model:
    kinds: dict[Kind, KindModel] = field(default_factory=dict)

    @classmethod
    def default(cls) -> Model:
        return cls(
            {
                kind: KindModel(
                    {f: dict(levels) for f, levels in DEFAULT_M[kind].items()},
                    {f: dict(levels) for f, levels in DEFAULT_U[kind].items()},
                )
                for kind in Kind
            }
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            kind.value: {"m": km.m, "u": km.u, "prior": km.prior} for kind, km in self.kinds.items()
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Model:
        model = cls.default()
        for name, params in data.items():
            model.kinds[Kind(name)] = KindModel(params["m"], params["u"], params["prior"])
        return model

    def dumps(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)


def smoothed(
    counts: Mapping[str, Mapping[str, float]],
    prior: Mapping[str, Mapping[str, float]],
    strength: float,
) -> dict[str, dict[str, float]]:
    """Level probabilities from (weighted) counts with a Dirichlet prior worth ``strength`` pairs."""
    out: dict[str, dict[str, float]] = {}
    for feature, levels in prior.items():
        seen = counts.get(feature, {})
        n = sum(seen.values())
        out[feature] = {
            level: (seen.get(level, 0.0) + strength * p) / (n + strength)
            for level, p in levels.items()
        }
    return out


def level_codes(
    vectors: Sequence[Sequence[Observation]], levels: Mapping[str, Sequence[str]]
) -> NDArray[np.int8]:
    """Comparison vectors as a matrix of level numbers: column ``f`` holds, for each pair,
    1 + the index of its level of the ``f``-th feature of ``levels`` (0 = missing)."""
    column = {feature: i for i, feature in enumerate(levels)}
    lookup = {f: {level: k + 1 for k, level in enumerate(lv)} for f, lv in levels.items()}
    rows = []
    for vector in vectors:
        row = [0] * len(column)
        for o in vector:
            if o.feature in column:
                row[column[o.feature]] = lookup[o.feature].get(o.level, 0)
        rows.append(row)
    return np.array(rows, dtype=np.int8).reshape(len(rows), len(column))


class LevelMatrix:
    """Comparison vectors of one kind as a matrix of level numbers, for fast estimation.

    Column ``f`` holds, for each pair, 1 + the index of its level of feature ``f`` (0 = missing),
    so that weights and counts are array lookups rather than loops over observations. Pairs
    with the same levels throughout are one row, counted as many times as there are such pairs
    (``repeats``): 110,000 sampled pairs of people are about 1,300 rows, and expectation
    maximisation goes through them fifty times a session. Arrays of values per pair
    (``probabilities``) have one value per row.
    """

    def __init__(
        self, vectors: Sequence[Sequence[Observation]], levels: Mapping[str, Sequence[str]]
    ) -> None:
        self.features = list(levels)
        self.levels = {f: list(levels[f]) for f in self.features}
        self.codes, self.repeats = _distinct_rows(level_codes(vectors, levels))

    @classmethod
    def of_codes(cls, codes: NDArray[np.int8], levels: Mapping[str, Sequence[str]]) -> LevelMatrix:
        """The matrix of vectors already numbered by ``level_codes`` with these ``levels``."""
        rows, repeats = _distinct_rows(codes)
        return cls._of_rows(rows, repeats, levels)

    @classmethod
    def _of_rows(
        cls,
        codes: NDArray[np.int8],
        repeats: NDArray[np.float64],
        levels: Mapping[str, Sequence[str]],
    ) -> LevelMatrix:
        matrix = cls((), levels)
        matrix.codes, matrix.repeats = codes, repeats
        return matrix

    def __len__(self) -> int:
        """The number of pairs (not of rows)."""
        return int(self.repeats.sum())

    def select(self, feature: str, levels: Iterable[str]) -> LevelMatrix:
        """The pairs whose ``feature`` is at one of ``levels``."""
        column = self.features.index(feature)
        wanted = [self.levels[feature].index(level) + 1 for level in levels]
        chosen = np.isin(self.codes[:, column], wanted)
        return LevelMatrix._of_rows(self.codes[chosen], self.repeats[chosen], self.levels)

    def log_odds(
        self,
        m: Mapping[str, Mapping[str, float]],
        u: Mapping[str, Mapping[str, float]],
        share: float,
        skip: str = "",
    ) -> np.ndarray:
        total = np.full(self.codes.shape[0], log2(share / (1 - share)))
        for column, feature in enumerate(self.features):
            if feature == skip or feature not in m:
                continue
            weights = np.array(
                [0.0] + [log2(m[feature][lv] / u[feature][lv]) for lv in self.levels[feature]]
            )
            total += weights[self.codes[:, column]]
        return total

    def probabilities(
        self,
        m: Mapping[str, Mapping[str, float]],
        u: Mapping[str, Mapping[str, float]],
        share: float,
        skip: str = "",
    ) -> np.ndarray:
        odds: np.ndarray = np.exp2(np.clip(self.log_odds(m, u, share, skip), -60, 60))
        return odds / (1.0 + odds)

    def mean(self, values: np.ndarray) -> float:
        """The mean over the pairs of a value per row."""
        return float((values * self.repeats).sum() / self.repeats.sum())

    def counts(self, weights: np.ndarray) -> dict[str, dict[str, float]]:
        """Per feature and level, the sum of ``weights`` (one per row) over the pairs at that
        level."""
        out: dict[str, dict[str, float]] = {}
        per_pair = weights * self.repeats
        for column, feature in enumerate(self.features):
            size = len(self.levels[feature]) + 1
            sums = np.bincount(self.codes[:, column], weights=per_pair, minlength=size)
            out[feature] = {lv: float(sums[k + 1]) for k, lv in enumerate(self.levels[feature])}
        return out


def _distinct_rows(codes: NDArray[np.int8]) -> tuple[NDArray[np.int8], NDArray[np.float64]]:
    """The distinct rows of ``codes``, in order, and how many times each occurs.

    Each row is read as one number, its codes as digits (the first the most significant), so
    that numbers sort as rows do: numpy sorts numbers many times faster than rows (compared
    byte by byte). Rows too long to be one number are sorted as rows."""
    if len(codes) and codes.min() >= 0:
        radix = codes.max(axis=0).astype(np.int64) + 1
        if float(np.prod(radix.astype(np.float64))) < 2.0**62:
            place = np.append(np.cumprod(radix[:0:-1])[::-1], 1)  # of each digit
            numbers = codes.astype(np.int64) @ place
            _, first, repeats = np.unique(numbers, return_index=True, return_counts=True)
            return codes[first], repeats.astype(np.float64)
    rows, repeats = np.unique(codes, axis=0, return_counts=True)
    return rows, repeats.astype(np.float64)


def em_session(
    pairs: LevelMatrix,
    prior_m: Mapping[str, Mapping[str, float]],
    prior_u: Mapping[str, Mapping[str, float]],
    fixed: str,
    *,
    share: float = 0.5,
    iterations: int = 50,
    strength: float = 20.0,
    u_strength: float = 2.0,
) -> tuple[dict[str, dict[str, float]], float]:
    """One session of expectation maximisation over the pairs agreeing on ``fixed``.

    As in Splink, the feature a session's pairs were chosen by is left out of it, so it cannot
    dominate: among pairs sharing a name, the session learns how much a different birth date says.
    Both m and the session's own u are learnt (Winkler's EM): the non-matches of a session are
    a population of their own (namesakes share a nationality far more often than random pairs
    do). ``prior_m`` is a Dirichlet prior worth ``strength`` pairs per feature, ``prior_u`` one
    worth ``u_strength``: the random pairs' u is a poor guide to a session's non-matches, and on
    a small operation (a few hundred records) a stronger pull toward it made the namesakes'
    agreement on nationality look like matching, and taught that one match in ten has birth
    dates years apart.
    Returns m of the other features and the share of matches among the session's pairs.
    """
    m = {f: dict(levels) for f, levels in prior_m.items() if f != fixed}
    u = {f: dict(prior_u[f]) for f in m}
    if not len(pairs):
        return m, share
    for _ in range(iterations):
        p = pairs.probabilities(m, u, share, fixed)
        m_counts = pairs.counts(p)
        u_counts = pairs.counts(1.0 - p)
        new_share = min(max(pairs.mean(p), 1e-6), 1 - 1e-6)
        m = smoothed({f: m_counts[f] for f in m}, {f: prior_m[f] for f in m}, strength)
        u = smoothed({f: u_counts[f] for f in m}, {f: prior_u[f] for f in m}, u_strength)
        converged = abs(new_share - share) < 1e-5
        share = new_share
        if converged:
            break
    return m, share
