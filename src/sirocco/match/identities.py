"""Identities: the connected groups of records judged the same, and the pairs they imply.

If A is B and B is C, then A is C, with at least the probability that both links hold. Pairs
implied this way are offered when that probability reaches the match threshold; the caller
checks the direct comparison, which may say otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

MAX_GROUP = 8  # larger groups are left for an analyst: a long chain is where mistakes hide


@dataclass(frozen=True, slots=True)
class ImpliedPair:
    left: str
    right: str
    score: float  # the best product of link probabilities along a path
    via: tuple[str, ...]  # the records the path runs through


def groups(links: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected groups of ids, each sorted, by union-find."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
        parent.setdefault(a, a)
        parent.setdefault(b, b)
    members: dict[str, list[str]] = defaultdict(list)
    for x in parent:
        members[find(x)].append(x)
    return [sorted(group) for group in members.values()]


def implied_pairs(
    links: Iterable[tuple[str, str, float]], threshold: float, max_group: int = MAX_GROUP
) -> list[ImpliedPair]:
    """Pairs without a direct link whose best path of links holds with ``threshold`` or more."""
    weight: dict[tuple[str, str], float] = {}
    for a, b, score in links:
        weight[(a, b)] = weight[(b, a)] = max(score, weight.get((a, b), 0.0))
    found: list[ImpliedPair] = []
    for group in groups((a, b) for a, b in weight):
        if not 3 <= len(group) <= max_group:
            continue
        best = {(i, j): weight.get((i, j), 0.0) for i in group for j in group}
        through: dict[tuple[str, str], str] = {}
        for k in group:  # widest path by products (Floyd–Warshall)
            for i in group:
                for j in group:
                    candidate = best[(i, k)] * best[(k, j)]
                    if i != j and candidate > best[(i, j)]:
                        best[(i, j)] = candidate
                        through[(i, j)] = k
        for x, i in enumerate(group):
            for j in group[x + 1 :]:
                if (i, j) not in weight and best[(i, j)] >= threshold:
                    found.append(ImpliedPair(i, j, best[(i, j)], _path(through, i, j)))
    return found


def _path(through: dict[tuple[str, str], str], i: str, j: str) -> tuple[str, ...]:
    k = through.get((i, j))
    if k is None:
        return ()
    return (*_path(through, i, k), k, *_path(through, k, j))
