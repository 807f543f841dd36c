"""An in-memory candidate source: profiles, their keys, and value frequencies.

The live server keeps the same structure in its database; ``xmatch`` and tests hold it in
memory. Keys held by more than ``cap`` records are flagged and skipped (never scanned without
bound); ``flagged`` lists them so that an analyst can see what was too common to use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import combinations

from sirocco.match.keys import candidate_keys, name_pair_key, plate_deletions
from sirocco.match.profile import Kind, Profile

DEFAULT_CAP = 100
# Frequencies are those of *other* records (the pair's own two are left out) and are shrunk
# toward a prior frequency by PSEUDO_RECORDS, so that a handful of records cannot make a rare
# value look common, nor a common one rare.
PSEUDO_RECORDS = 200
PRIOR_NAME_PART = 0.005  # one name part of middling commonness
PRIOR_NAME_PAIR = 2e-4  # two name parts together
PRIOR_YEAR = 1 / 40
PRIOR_DAY = 1 / (365 * 40)
PRIOR_PLATE_NEIGHBOURS = 1e-4
PRIOR_PHONE = 1e-4


def _smoothed(count: int, total: int, prior: float) -> float:
    return (max(count - 2, 0) + PSEUDO_RECORDS * prior) / (total + PSEUDO_RECORDS)


class MemoryIndex:
    def __init__(self, cap: int = DEFAULT_CAP) -> None:
        self.cap = cap
        self.profiles: list[Profile] = []
        self.keys: list[tuple[str, ...]] = []
        self.positions: dict[str, int] = {}
        self.postings: dict[str, list[int]] = {}
        self.records: Counter[Kind] = Counter()
        self.name_parts: Counter[tuple[Kind, str]] = Counter()
        self.dated_persons = 0
        self.birth_dates: Counter[str] = Counter()
        self.plates: set[str] = set()
        self.plate_neighbour_counts: Counter[str] = Counter()

    @property
    def frequencies(self) -> MemoryIndex:
        return self

    def __len__(self) -> int:
        return len(self.profiles)

    def __contains__(self, entity_id: str) -> bool:
        return entity_id in self.positions

    def add(self, profile: Profile) -> None:
        if profile.id in self.positions:
            raise KeyError(f"entity {profile.id!r} is already held")
        position = len(self.profiles)
        keys = tuple(sorted(candidate_keys(profile)))
        self.profiles.append(profile)
        self.keys.append(keys)
        self.positions[profile.id] = position
        for key in keys:
            self.postings.setdefault(key, []).append(position)
        self._count(profile)

    def _count(self, profile: Profile) -> None:
        self.records[profile.kind] += 1
        for skeleton in {part.skeleton for part in profile.names}:
            self.name_parts[(profile.kind, skeleton)] += 1
        if profile.birth_dates:
            self.dated_persons += 1
            values = {b.iso() for b in profile.birth_dates} | {
                str(b.year) for b in profile.birth_dates
            }
            self.birth_dates.update(values)
        for plate in profile.plates:
            if plate.folded not in self.plates:
                self.plates.add(plate.folded)
                self.plate_neighbour_counts.update(plate_deletions(plate.folded))

    # Frequencies --------------------------------------------------------------------------

    def name(self, kind: Kind, skeletons: tuple[str, ...]) -> float:
        total = self.records[kind]
        distinct = sorted(set(skeletons))
        if len(distinct) == 1:  # one part, or parts that sound alike (Ahmad Ahmadi)
            return _smoothed(self.name_parts[(kind, distinct[0])], total, PRIOR_NAME_PART)
        prefix = kind.value[0]
        together = min(
            len(self.postings.get(name_pair_key(prefix, a, b), ()))
            for a, b in combinations(distinct, 2)
        )
        return _smoothed(together, total, PRIOR_NAME_PAIR)

    def birth_date(self, iso: str) -> float:
        prior = PRIOR_YEAR if len(iso) == 4 else PRIOR_DAY
        return _smoothed(self.birth_dates[iso], self.dated_persons, prior)

    def phone(self, e164: str) -> float:
        return _smoothed(
            len(self.postings.get(f"tel:{e164}", ())), self.records[Kind.PERSON], PRIOR_PHONE
        )

    def plate_neighbours(self, left: str, right: str) -> float:
        # Under the hypothesis that the two are different vehicles, the other plate is itself a
        # neighbour: only the left plate is left out of the count.
        shared = plate_deletions(left) & plate_deletions(right)
        count = max((self.plate_neighbour_counts[k] for k in shared), default=2)
        return _smoothed(count + 1, len(self.plates), PRIOR_PLATE_NEIGHBOURS)

    # Candidates ---------------------------------------------------------------------------

    def candidates(self, profile: Profile) -> Iterator[Profile]:
        """Every held profile of the same kind sharing a usable key, excluding itself."""
        position = self.positions.get(profile.id)
        keys = self.keys[position] if position is not None else candidate_keys(profile)
        seen: set[int] = set()
        for key in keys:
            posting = self.postings.get(key)
            if posting is None or len(posting) > self.cap:
                continue
            seen.update(posting)
        if position is not None:
            seen.discard(position)
        for found in sorted(seen):
            candidate = self.profiles[found]
            if candidate.kind is profile.kind:
                yield candidate

    def flagged(self) -> list[tuple[str, int]]:
        """Keys too common to scan, with how many records hold them."""
        return sorted(
            ((k, len(v)) for k, v in self.postings.items() if len(v) > self.cap),
            key=lambda item: -item[1],
        )
