"""Estimating the model from the records held: u from random pairs, m and the prior by EM.

Order-independent by construction: records are visited in the order of their ids and samples
are drawn with a fixed seed, so the same records give the same model whatever order they came in.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from math import log2

from sirocco.match.compare import Observation, compare
from sirocco.match.index import MemoryIndex
from sirocco.match.model import (
    DEFAULT_M,
    DEFAULT_PRIOR,
    DEFAULT_U,
    MISSING,
    KindModel,
    Model,
    estimate_m,
    level_counts,
)
from sirocco.match.profile import Kind, Profile

RANDOM_PAIRS = 50_000
SAMPLED_RECORDS = 5_000
MIN_RECORDS = 20  # below this, the defaults are better than anything estimated


def _posterior(kind_model: KindModel, vector: Sequence[Observation]) -> float:
    weight = log2(kind_model.prior / (1 - kind_model.prior))
    for o in vector:
        if o.level != MISSING and o.level in kind_model.m.get(o.feature, {}):
            weight += log2(kind_model.m[o.feature][o.level] / kind_model.u[o.feature][o.level])
    return 1.0 / (1.0 + 2.0 ** (-weight)) if weight > -60 else 0.0


def _weighted_u(
    vectors: Sequence[Sequence[Observation]], kind_model: KindModel, defaults: dict[str, dict[str, float]]
) -> dict[str, dict[str, float]]:
    """u from random pairs, each counted by how likely it is a non-match under the model.

    On a small operation, random pairs include a noticeable share of true matches; weighting
    them out keeps u honest (one step of EM for u).
    """
    counts: dict[str, dict[str, float]] = {f: dict.fromkeys(levels, 0.0) for f, levels in defaults.items()}
    for vector in vectors:
        weight = 1.0 - _posterior(kind_model, vector)
        for o in vector:
            if o.level != MISSING and o.level in counts.get(o.feature, {}):
                counts[o.feature][o.level] += weight
    return {
        feature: {
            level: (seen[level] + defaults[feature][level]) / (sum(seen.values()) + 1)
            for level in seen
        }
        for feature, seen in counts.items()
    }


def _random_pairs(profiles: Sequence[Profile], limit: int, rng: random.Random) -> list[tuple[int, int]]:
    n = len(profiles)
    total = n * (n - 1) // 2
    if total <= limit:
        return [(i, j) for i in range(n) for j in range(i + 1, n)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < limit:
        i, j = rng.randrange(n), rng.randrange(n)
        if i != j:
            pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def estimate_kind(
    index: MemoryIndex, kind: Kind, profiles: Sequence[Profile], seed: int = 0
) -> KindModel:
    model = KindModel(
        {f: dict(v) for f, v in DEFAULT_M[kind].items()},
        {f: dict(v) for f, v in DEFAULT_U[kind].items()},
        DEFAULT_PRIOR,
    )
    n = len(profiles)
    if n < MIN_RECORDS:
        return model
    rng = random.Random(seed)
    freq = index.frequencies
    random_vectors = [
        compare(profiles[i], profiles[j], freq) for i, j in _random_pairs(profiles, RANDOM_PAIRS, rng)
    ]
    sample = profiles if n <= SAMPLED_RECORDS else rng.sample(list(profiles), SAMPLED_RECORDS)
    candidate_vectors: list[list[Observation]] = []
    degree = 0
    for profile in sample:
        for candidate in index.candidates(profile):
            degree += 1
            if candidate.id > profile.id or n > SAMPLED_RECORDS:
                candidate_vectors.append(compare(profile, candidate, freq))
    all_pairs = n * (n - 1) / 2
    candidate_pairs = degree * (n / len(sample)) / 2
    for _ in range(2):
        model.u = _weighted_u(random_vectors, model, DEFAULT_U[kind])
        model.m, share = estimate_m(candidate_vectors, DEFAULT_M[kind], model.u)
        model.prior = min(max(share * candidate_pairs / all_pairs, 1e-9), 0.5)
    return model


def estimate_model(index: MemoryIndex, seed: int = 0) -> Model:
    """A model for every kind held, estimated from the index's records."""
    model = Model.default()
    by_kind: dict[Kind, list[Profile]] = {}
    for profile in index.profiles:
        by_kind.setdefault(profile.kind, []).append(profile)
    for kind, profiles in by_kind.items():
        profiles.sort(key=lambda p: p.id)
        model.kinds[kind] = estimate_kind(index, kind, profiles, seed)
    return model


__all__ = ["estimate_model", "estimate_kind", "level_counts"]
