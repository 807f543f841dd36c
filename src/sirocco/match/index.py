"""An in-memory candidate source: profiles, their keys, and value frequencies.

The live server keeps the same structure in its database; ``xmatch`` and tests hold it in
memory. Keys held by more than ``cap`` records are flagged and skipped (never scanned without
bound); ``flagged`` lists them so that an analyst can see what was too common to use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from sirocco.match.keys import candidate_keys
from sirocco.match.profile import Kind, Profile

DEFAULT_CAP = 2000
PSEUDO_RECORDS = 200
PRIOR_NAME_PART = 0.005  # a name part of middling commonness
PRIOR_YEAR = 1 / 40
PRIOR_DAY = 1 / (365 * 40)


@dataclass(slots=True)
class FrequencyTable:
    """Counts of values among the records held, for frequency-adjusted comparison."""

    records: Counter[Kind] = field(default_factory=Counter)
    name_parts: Counter[tuple[Kind, str]] = field(default_factory=Counter)
    dated_persons: int = 0
    birth_dates: Counter[str] = field(default_factory=Counter)

    def add(self, profile: Profile) -> None:
        self.records[profile.kind] += 1
        for skeleton in {part.skeleton for part in profile.names}:
            self.name_parts[(profile.kind, skeleton)] += 1
        if profile.birth_dates:
            self.dated_persons += 1
            for value in {b.iso() for b in profile.birth_dates} | {
                str(b.year) for b in profile.birth_dates
            }:
                self.birth_dates[value] += 1

    # Frequencies are those of *other* records (the pair's own two are left out) and are shrunk
    # toward a prior frequency by PSEUDO_RECORDS, so that a handful of records cannot make a
    # rare name look common, nor a common one rare.
    def name_part(self, kind: Kind, skeleton: str) -> float:
        others = max(self.name_parts[(kind, skeleton)] - 2, 0)
        return (others + PSEUDO_RECORDS * PRIOR_NAME_PART) / (self.records[kind] + PSEUDO_RECORDS)

    def birth_date(self, iso: str) -> float:
        others = max(self.birth_dates[iso] - 2, 0)
        prior = PRIOR_YEAR if len(iso) == 4 else PRIOR_DAY
        return (others + PSEUDO_RECORDS * prior) / (self.dated_persons + PSEUDO_RECORDS)


class MemoryIndex:
    def __init__(self, cap: int = DEFAULT_CAP) -> None:
        self.cap = cap
        self.profiles: list[Profile] = []
        self.keys: list[tuple[str, ...]] = []
        self.positions: dict[str, int] = {}
        self.postings: dict[str, list[int]] = {}
        self.frequencies = FrequencyTable()

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
        self.frequencies.add(profile)

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
        seen.discard(-1 if position is None else position)
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
