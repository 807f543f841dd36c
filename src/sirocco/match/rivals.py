"""Rival links: one record cannot be two records that are different things.

A record without a birth date that matches "Goran Berisha, 1974" and "Goran Berisha, 1951"
matches two people: it is at most one of them. Its two links are rivals, and each keeps only
the probability that it holds and its rival does not: the pair's odds over one plus the odds
of every link of the same record to something different from the other end,
``odds / (1 + odds + rival odds)``. A link far stronger than its rivals (a shared passport
number) stays a match; two alike are left for an analyst. Every score is worked out from the
direct scores at once, so the result does not depend on the order of the links.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Contested:
    score: float  # the link's probability, its rivals allowed for
    rivals: tuple[str, ...]  # the records its ends also match that differ from the other end


def contested_links(
    links: Iterable[tuple[str, str, float]], differ: Callable[[str, str], bool]
) -> dict[tuple[str, str], Contested]:
    """The links (``left``, ``right``, probability) that rivals weaken, with their new scores.

    ``differ(a, b)`` says whether two records are known to be different things (their own
    comparison contradicts it, not merely lacks evidence); it is asked only
    about two records that one record links to.
    """
    odds: dict[tuple[str, str], float] = {}
    linked: dict[str, list[str]] = defaultdict(list)
    for left, right, score in links:
        odds[(left, right)] = odds[(right, left)] = score / max(1.0 - score, 1e-12)
        linked[left].append(right)
        linked[right].append(left)
    known: dict[tuple[str, str], bool] = {}

    def different(a: str, b: str) -> bool:
        key = (a, b) if a < b else (b, a)
        if key not in known:
            known[key] = (a, b) not in odds and differ(*key)
        return known[key]

    contested: dict[tuple[str, str], Contested] = {}
    for (left, right), pair_odds in odds.items():
        if left > right:
            continue
        score = pair_odds / (1.0 + pair_odds)
        rivals: list[str] = []
        for end, other in ((left, right), (right, left)):
            found = sorted(r for r in linked[end] if r != other and different(other, r))
            if found:
                rival_odds = sum(odds[(end, r)] for r in found)
                score = min(score, pair_odds / (1.0 + pair_odds + rival_odds))
                rivals += found
        if rivals:
            contested[(left, right)] = Contested(score, tuple(sorted(set(rivals))))
    return contested
