"""Estimating the model from the records held.

u among random pairs (the baseline for frequency adjustment) by sampling; m, u and the share of
matches among candidate pairs by expectation maximisation. Order-independent by construction:
records are visited in the order of their contents and samples are drawn with a fixed seed, so the
same records give the same model whatever order they came in.
"""

from __future__ import annotations

import operator
import random
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from sirocco.match.compare import Frequencies, compare
from sirocco.match.index import MemoryIndex
from sirocco.match.model import (
    DEFAULT_M,
    DEFAULT_PRIOR,
    DEFAULT_U,
    KindModel,
    LevelMatrix,
    Model,
    em_session,
    level_codes,
    smoothed,
)
from sirocco.match.profile import Kind, Profile

RANDOM_PAIRS = 10_000
SAMPLED_RECORDS = 2_000
MIN_RECORDS = 20  # below this, the defaults are better than anything estimated
ROUNDS = 2
RANDOM_PRIOR_STRENGTH = 1_000.0  # the default u counts as this many random pairs
# Estimation sessions: candidate pairs agreeing on a feature teach the m of the other features.
SESSIONS: dict[Kind, tuple[tuple[str, frozenset[str]], ...]] = {
    Kind.PERSON: (
        ("name", frozenset({"exact", "full", "full_fuzzy"})),
        ("birth_date", frozenset({"exact", "swapped"})),
    ),
    Kind.VEHICLE: (("plate", frozenset({"exact", "folded"})),),
    Kind.DOCUMENT: (("document", frozenset({"exact"})),),
    Kind.ORGANIZATION: (("name", frozenset({"exact", "full"})),),
    Kind.ADDRESS: (),
}


def _random_pairs(
    profiles: Sequence[Profile], limit: int, rng: random.Random
) -> list[tuple[int, int]]:
    n = len(profiles)
    if n * (n - 1) // 2 <= limit:
        return [(i, j) for i in range(n) for j in range(i + 1, n)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < limit:
        i, j = rng.randrange(n), rng.randrange(n)
        if i != j:
            pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def candidate_pairs(
    index: MemoryIndex, profiles: Sequence[Profile], rng: random.Random
) -> tuple[list[tuple[Profile, Profile]], float]:
    """Candidate pairs, each once, from a sample of records when there are many.

    Also returns the share of all pairs that the sample's pairs stand for.
    """
    n = len(profiles)
    sample = profiles if n <= SAMPLED_RECORDS else rng.sample(list(profiles), SAMPLED_RECORDS)
    chosen = {p.id for p in sample}
    pairs: list[tuple[Profile, Profile]] = []
    for profile in sample:
        for candidate in index.candidates(profile):
            if candidate.id in chosen and (candidate.fingerprint, candidate.id) < (
                profile.fingerprint,
                profile.id,
            ):
                continue  # the pair is taken from the other side
            pairs.append((profile, candidate))
    outside = (n - len(sample)) / n
    covered = 1.0 - outside * max(n - len(sample) - 1, 0) / max(n - 1, 1)
    return pairs, covered


# Compares many pairs (without details), in order, one after the other or shared out: their
# levels as numbered by ``level_codes`` with the levels given.
CompareMany = Callable[
    [Sequence[tuple[Profile, Profile]], Frequencies, Mapping[str, Sequence[str]]], NDArray[np.int8]
]


def compare_each(
    pairs: Sequence[tuple[Profile, Profile]],
    frequencies: Frequencies,
    levels: Mapping[str, Sequence[str]],
) -> NDArray[np.int8]:
    return level_codes([compare(a, b, frequencies, explain=False) for a, b in pairs], levels)


def estimate_kind(
    index: MemoryIndex,
    kind: Kind,
    profiles: Sequence[Profile],
    seed: int = 0,
    compare_many: CompareMany = compare_each,
) -> KindModel:
    m = {f: dict(v) for f, v in DEFAULT_M[kind].items()}
    u = {f: dict(v) for f, v in DEFAULT_U[kind].items()}
    prior = DEFAULT_PRIOR
    n = len(profiles)
    if n < MIN_RECORDS:
        return KindModel(m, u, prior)
    rng = random.Random(seed)
    levels = {feature: list(lv) for feature, lv in DEFAULT_M[kind].items()}
    random_pairs = [
        (profiles[i], profiles[j]) for i, j in _random_pairs(profiles, RANDOM_PAIRS, rng)
    ]
    sampled, covered = candidate_pairs(index, profiles, rng)
    codes = compare_many([*random_pairs, *sampled], index.frequencies, levels)
    random_matrix = LevelMatrix.of_codes(codes[: len(random_pairs)], levels)
    candidates = LevelMatrix.of_codes(codes[len(random_pairs) :], levels)
    all_pairs = n * (n - 1) / 2 * covered
    for _ in range(ROUNDS):
        # u from random pairs, each counted as much as it is a non-match under the current
        # model: on a small operation, random pairs hold a noticeable share of true matches.
        non_match = 1.0 - random_matrix.probabilities(m, u, prior)
        u = smoothed(random_matrix.counts(non_match), DEFAULT_U[kind], RANDOM_PRIOR_STRENGTH)
        estimates: dict[str, list[dict[str, float]]] = {}
        sessions: list[tuple[str, frozenset[str], float]] = []
        for feature, agreeing in SESSIONS[kind]:
            chosen = candidates.select(feature, agreeing)
            session_m, share = em_session(chosen, DEFAULT_M[kind], u, feature)
            for other, probabilities in session_m.items():
                estimates.setdefault(other, []).append(probabilities)
            sessions.append((feature, agreeing, share * len(chosen)))
        for feature, found in estimates.items():
            m[feature] = {level: sum(p[level] for p in found) / len(found) for level in m[feature]}
        # Matches expected among all pairs: those found in each session, divided by the share
        # of matches that agree on the session's feature at all, and by the share of all pairs
        # the sampled records' pairs stand for.
        expected = [
            matches / max(sum(m[feature][level] for level in agreeing), 1e-6)
            for feature, agreeing, matches in sessions
        ]
        if expected:
            prior = min(max(sum(expected) / len(expected) / all_pairs, 1e-12), 0.5)
    return KindModel(m, u, prior)


def by_content(profiles: list[Profile]) -> None:
    """Sort profiles in place by their fingerprints, and by id where those are equal (the same
    content under two ids), so that their order does not depend on the input's. Sorted by the
    fingerprint alone, then only where it repeats by id: a third of the time the pair as key
    takes (1.3 s for 800,000 people)."""
    profiles.sort(key=_fingerprint)
    start = 0
    for end in range(1, len(profiles) + 1):
        if end == len(profiles) or profiles[end].fingerprint != profiles[start].fingerprint:
            if end - start > 1:
                profiles[start:end] = sorted(profiles[start:end], key=_id)
            start = end


_fingerprint = operator.attrgetter("fingerprint")
_id = operator.attrgetter("id")


def estimate_model(
    index: MemoryIndex, seed: int = 0, compare_many: CompareMany = compare_each
) -> Model:
    """A model for every kind held, estimated from the index's records. ``compare_many``
    compares the sampled pairs (``xmatch`` shares them out among its workers): the model is
    the same however they are compared."""
    model = Model.default()
    by_kind: dict[Kind, list[Profile]] = {}
    for profile in index.profiles:
        by_kind.setdefault(profile.kind, []).append(profile)
    for kind, profiles in by_kind.items():
        by_content(profiles)
        model.kinds[kind] = estimate_kind(index, kind, profiles, seed, compare_many)
    return model
