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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

Pair = tuple[str, str]
# Whether each of many pairs of records is known to be of different things, in order.
DifferAll = Callable[[Sequence[Pair]], Sequence[bool]]


@dataclass(frozen=True, slots=True)
class Contested:
    score: float  # the link's probability, its rivals allowed for
    rivals: tuple[str, ...]  # the records its ends also match that differ from the other end


def one_by_one(differ: Callable[[str, str], bool]) -> DifferAll:
    """``differ_all`` asking ``differ`` of each pair in turn."""
    return lambda pairs: [differ(a, b) for a, b in pairs]


def contested_links(
    links: Iterable[tuple[str, str, float]], differ_all: DifferAll
) -> dict[Pair, Contested]:
    """The links (``left``, ``right``, probability) that rivals weaken, with their new scores.

    ``differ_all(pairs)`` says of each pair whether its two records are known to be different
    things (their own comparison contradicts it, not merely lacks evidence). It is asked once,
    of every pair of records that one record links to and that are not linked themselves (the
    lesser id first, in order): the caller makes the comparisons all at once, as it sees fit.

    Few of those pairs differ: only the links meeting at a record with a differing pair are
    weakened, so only theirs are worked out again.
    """
    odds: dict[Pair, float] = {}
    linked: dict[str, set[str]] = defaultdict(set)
    for left, right, score in links:
        odds[(left, right)] = odds[(right, left)] = score / max(1.0 - score, 1e-12)
        linked[left].add(right)
        linked[right].add(left)
    asked = sorted(
        {
            (a, b) if a < b else (b, a)
            for ends in linked.values()
            if len(ends) > 1
            for a, b in combinations(ends, 2)
            if (a, b) not in odds
        }
    )
    # Each record's rivals at one end of a link: (end, other) -> records the end also links to
    # that differ from the other.
    rivals_at: dict[Pair, set[str]] = defaultdict(set)
    for (a, b), differ in zip(asked, differ_all(asked), strict=True):
        if differ:
            for end in linked[a] & linked[b]:
                rivals_at[(end, a)].add(b)
                rivals_at[(end, b)].add(a)
    contested: dict[Pair, Contested] = {}
    for left, right in {(e, o) if e < o else (o, e) for e, o in rivals_at}:
        pair_odds = odds[(left, right)]
        score = pair_odds / (1.0 + pair_odds)
        rivals: list[str] = []
        for end, other in ((left, right), (right, left)):
            found = sorted(rivals_at.get((end, other), ()))
            if found:
                rival_odds = sum(odds[(end, r)] for r in found)
                score = min(score, pair_odds / (1.0 + pair_odds + rival_odds))
                rivals += found
        contested[(left, right)] = Contested(score, tuple(sorted(set(rivals))))
    return contested
