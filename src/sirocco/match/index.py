"""An in-memory candidate source: profiles, their keys, and value frequencies.

The live server keeps the same structure in its database; ``xmatch`` and tests hold it in
memory. Keys held by more than ``cap`` records (a third of it for half names: ``key_cap``) are
flagged and skipped (never scanned without bound); ``flagged`` lists them so that an analyst can
see what was too common to use.

Each key's string is held once, by the postings; a record holds its keys' postings themselves
(the lists of positions), those of half names apart. Filing a record then looks each of its keys
up once, and gathering its candidates looks up none: at 100k records, looking a key up in a
table of hundreds of thousands (to intern it, then to file it) cost half of filing a record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np
from numpy.typing import NDArray

from sirocco.match.frequencies import CountedFrequencies, frequency_keys, new_plate_keys
from sirocco.match.keys import candidate_keys, half_name_cap, is_half_name, key_cap
from sirocco.match.profile import Profile

DEFAULT_CAP = 100


Posting = list[int]  # the positions of the records holding a key


def _count_in(counts: dict[str, int]) -> Callable[[str], int]:
    def count(key: str) -> int:
        return counts.get(key, 0)

    return count


class MemoryIndex:
    def __init__(self, cap: int = DEFAULT_CAP) -> None:
        self.cap = cap
        self.half_cap = half_name_cap(cap)
        self.profiles: list[Profile] = []
        self.positions: dict[str, int] = {}
        self.postings: dict[str, Posting] = {}
        # Each record's postings, by position: of its keys but half names, and of its half names.
        self.held: list[tuple[Posting, ...]] = []
        self.held_halves: list[tuple[Posting, ...]] = []
        self.counts: dict[str, int] = {}
        # Not by ``self.count``: the index would hold itself, and be freed only by a collection.
        self.frequencies = CountedFrequencies(_count_in(self.counts))

    def __len__(self) -> int:
        return len(self.profiles)

    def __contains__(self, entity_id: str) -> bool:
        return entity_id in self.positions

    def profile(self, entity_id: str) -> Profile:
        """The held profile of an entity."""
        return self.profiles[self.positions[entity_id]]

    def keys(self, position: int) -> list[str]:
        """The keys of the record at ``position``, in order."""
        return sorted(candidate_keys(self.profiles[position]))

    def add(self, profile: Profile) -> None:
        if profile.id in self.positions:
            raise KeyError(f"entity {profile.id!r} is already held")
        position = len(self.profiles)
        self.profiles.append(profile)
        self.positions[profile.id] = position
        held, halves = self._file(position, candidate_keys(profile))
        self.held.append(held)
        self.held_halves.append(halves)
        self._count(frequency_keys(profile), 1)
        counts = self.counts
        for plate in profile.plates:
            key = f"plate:{plate.folded}"
            seen = counts.get(key, 0)
            if not seen:
                self._count(new_plate_keys(plate.folded), 1)
            counts[key] = seen + 1

    def _file(
        self, position: int, keys: Iterable[str]
    ) -> tuple[tuple[Posting, ...], tuple[Posting, ...]]:
        """File the record at ``position`` under ``keys``: the postings it is now in, but those
        of half names, and those of half names."""
        postings = self.postings
        held: list[Posting] = []
        halves: list[Posting] = []
        for key in keys:
            posting = postings.get(key)
            if posting is None:
                posting = postings[key] = []
            posting.append(position)
            (halves if is_half_name(key) else held).append(posting)
        return tuple(held), tuple(halves)

    def _count(self, keys: Iterable[str], by: int) -> None:
        """Add ``by`` to the counts of ``keys`` (a count down to nothing is let go of)."""
        counts = self.counts
        for key in keys:
            count = counts.get(key, 0) + by
            if count:
                counts[key] = count
            else:
                del counts[key]

    def replace(self, profile: Profile) -> None:
        """Hold a held record's profile anew, at its place, by its new keys and counts (what
        other records said of it, read after it). Its plates may not change."""
        position = self.positions[profile.id]
        old = self.profiles[position]
        if old.plates != profile.plates:
            raise ValueError(f"entity {profile.id!r}: a held profile's plates cannot change")
        for key in candidate_keys(old):
            posting = self.postings[key]
            posting.remove(position)
            if not posting:
                del self.postings[key]
        # Filed again at the end of the postings it stays in: their order is not kept.
        filed = self._file(position, candidate_keys(profile))
        self.held[position], self.held_halves[position] = filed
        self._count(frequency_keys(old), -1)
        self._count(frequency_keys(profile), 1)
        self.profiles[position] = profile

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
        seen: set[int] = set()
        if position is not None:
            for posting in self._usable(position):
                seen.update(posting)
            seen.discard(position)
        else:
            for key in candidate_keys(profile):
                held = self.postings.get(key)
                if held is not None and len(held) <= key_cap(key, self.cap):
                    seen.update(held)
        return sorted(seen)

    def _usable(self, position: int) -> list[Posting]:
        """The postings of the record at ``position`` not too crowded to scan."""
        cap, half_cap = self.cap, self.half_cap
        usable = [posting for posting in self.held[position] if len(posting) <= cap]
        usable += [posting for posting in self.held_halves[position] if len(posting) <= half_cap]
        return usable

    def candidate_pairs(self, start: int, stop: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """The held records at positions ``start:stop`` with their candidates, as two arrays of
        positions: each record with every one that ``candidate_positions`` gives it, each pair
        once, in order (by the first position, then the second).

        Many records' postings are gathered at once and their repeats sorted out with numpy:
        a record shares several keys with most of its candidates."""
        rights: list[int] = []
        found: list[int] = []  # how many of ``rights`` each record gathered
        for position in range(start, stop):
            before = len(rights)
            for posting in self._usable(position):
                rights.extend(posting)
            found.append(len(rights) - before)
        lefts = np.repeat(np.arange(start, stop, dtype=np.int64), found)
        n = max(len(self.profiles), 1)
        pairs = lefts * n + np.array(rights, np.int64)
        pairs.sort()
        distinct = np.ones(len(pairs), np.bool_)
        distinct[1:] = pairs[1:] != pairs[:-1]
        left, right = np.divmod(pairs[distinct], n)
        other = left != right
        return left[other].astype(np.intp), right[other].astype(np.intp)

    def flagged(self) -> list[tuple[str, int]]:
        """Keys too common to scan, with how many records hold them (most first)."""
        return sorted(
            ((k, len(v)) for k, v in self.postings.items() if len(v) > key_cap(k, self.cap)),
            key=lambda item: (-item[1], item[0]),
        )
