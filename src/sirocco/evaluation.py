"""Precision, recall and F1 of cross-agency pairs against ground truth."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True, slots=True)
class PairScore:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def score_pairs(
    predicted: Iterable[tuple[str, str]],
    truth: Mapping[str, str],
    agency: Mapping[str, str],
    group: Mapping[str, str],
) -> dict[str, PairScore]:
    """Scores per group (e.g. schema) over pairs of records from different agencies.

    ``truth`` maps record id -> identity id; ``agency`` record id -> reporting agency;
    ``group`` record id -> the group it is scored in.
    """
    members: dict[str, list[str]] = defaultdict(list)
    for record, identity in truth.items():
        members[identity].append(record)
    expected: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for records in members.values():
        for a, b in combinations(sorted(records), 2):
            if agency[a] != agency[b]:
                expected[group[a]].add((a, b))
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for a, b in predicted:
        if a in agency and b in agency and agency[a] != agency[b]:
            found[group[a]].add(_pair(a, b))
    return {
        name: PairScore(
            len(found[name] & expected[name]),
            len(found[name] - expected[name]),
            len(expected[name] - found[name]),
        )
        for name in sorted(set(expected) | set(found))
    }
