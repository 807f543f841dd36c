"""An in-memory candidate source: profiles, their keys, and value frequencies.

The live server keeps the same structure in its database; ``xmatch`` and tests hold it in
memory. Keys held by more than ``cap`` records (a third of it for half names: ``key_cap``) are
flagged and skipped (never scanned without bound); ``flagged`` lists them so that an analyst can
see what was too common to use.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from sirocco.match.frequencies import CountedFrequencies, frequency_keys, new_plate_keys
from sirocco.match.keys import candidate_keys, key_cap
from sirocco.match.profile import Profile

DEFAULT_CAP = 100


def _keys(profile: Profile) -> tuple[str, ...]:
    # Interned: a key held by many records is one string, not one a record (at 1M records,
    # 10 million keys are 2 million strings), which forked matching workers touch page by page.
    return tuple(sorted(map(sys.intern, candidate_keys(profile))))


class MemoryIndex:
    def __init__(self, cap: int = DEFAULT_CAP) -> None:
        self.cap = cap
        self.profiles: list[Profile] = []
        self.keys: list[tuple[str, ...]] = []
        self.positions: dict[str, int] = {}
        self.postings: dict[str, list[int]] = {}
        self.counts: Counter[str] = Counter()
        self.frequencies = CountedFrequencies(self.counts.__getitem__)

    def __len__(self) -> int:
        return len(self.profiles)

    def __contains__(self, entity_id: str) -> bool:
        return entity_id in self.positions

    def profile(self, entity_id: str) -> Profile:
        """The held profile of an entity."""
        return self.profiles[self.positions[entity_id]]

    def add(self, profile: Profile) -> None:
        if profile.id in self.positions:
            raise KeyError(f"entity {profile.id!r} is already held")
        position = len(self.profiles)
        keys = _keys(profile)
        self.profiles.append(profile)
        self.keys.append(keys)
        self.positions[profile.id] = position
        for key in keys:
            self.postings.setdefault(key, []).append(position)
        self.counts.update(frequency_keys(profile))
        for plate in profile.plates:
            if not self.counts[f"plate:{plate.folded}"]:
                self.counts.update(new_plate_keys(plate.folded))
            self.counts[f"plate:{plate.folded}"] += 1

    def replace(self, profile: Profile) -> None:
        """Hold a held record's profile anew, at its place, by its new keys and counts (what
        other records said of it, read after it). Its plates may not change."""
        position = self.positions[profile.id]
        old = self.profiles[position]
        if old.plates != profile.plates:
            raise ValueError(f"entity {profile.id!r}: a held profile's plates cannot change")
        keys = _keys(profile)
        for key in set(self.keys[position]) - set(keys):
            posting = self.postings[key]
            posting.remove(position)
            if not posting:
                del self.postings[key]
        for key in set(keys) - set(self.keys[position]):
            self.postings.setdefault(key, []).append(position)
        for key in frequency_keys(old):
            self.counts[key] -= 1
            if not self.counts[key]:
                del self.counts[key]
        self.counts.update(frequency_keys(profile))
        self.profiles[position] = profile
        self.keys[position] = keys

    # Candidates ---------------------------------------------------------------------------

    def candidates(self, profile: Profile) -> Iterator[Profile]:
        """Every held profile of the same kind sharing a usable key, excluding itself."""
        for found in self.candidate_positions(profile):
            candidate = self.profiles[found]
            if candidate.kind is profile.kind:
                yield candidate

    def candidate_positions(self, profile: Profile) -> list[int]:
        """The positions of the held profiles sharing a usable key, of any kind, excluding
        itself, in order."""
        position = self.positions.get(profile.id)
        keys = self.keys[position] if position is not None else candidate_keys(profile)
        seen: set[int] = set()
        for key in keys:
            posting = self.postings.get(key)
            if posting is None or len(posting) > key_cap(key, self.cap):
                continue
            seen.update(posting)
        if position is not None:
            seen.discard(position)
        return sorted(seen)

    def candidate_pairs(self, start: int, stop: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """The held records at positions ``start:stop`` with their candidates, as two arrays of
        positions: each record with every one that ``candidate_positions`` gives it, each pair
        once, in order (by the first position, then the second).

        Many records' postings are gathered at once and their repeats sorted out with numpy:
        a record shares several keys with most of its candidates."""
        postings, keys, cap = self.postings, self.keys, self.cap
        lefts: list[int] = []
        rights: list[int] = []
        for position in range(start, stop):
            before = len(rights)
            for key in keys[position]:
                posting = postings[key]
                if len(posting) <= key_cap(key, cap):
                    rights.extend(posting)
            lefts.extend([position] * (len(rights) - before))
        n = max(len(self.profiles), 1)
        pairs = np.array(lefts, np.int64) * n + np.array(rights, np.int64)
        pairs.sort()
        distinct = np.ones(len(pairs), np.bool_)
        distinct[1:] = pairs[1:] != pairs[:-1]
        left, right = np.divmod(pairs[distinct], n)
        other = left != right
        return left[other].astype(np.intp), right[other].astype(np.intp)

    def flagged(self) -> list[tuple[str, int]]:
        """Keys too common to scan, with how many records hold them."""
        return sorted(
            ((k, len(v)) for k, v in self.postings.items() if len(v) > key_cap(k, self.cap)),
            key=lambda item: -item[1],
        )
