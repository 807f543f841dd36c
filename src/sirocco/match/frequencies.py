"""Value frequencies from counts of keys: the chance a random other record shares a value.

Any store that can count keys (a Counter in memory, a table in the database) offers the same
frequencies: ``frequency_keys`` says what to count for a record, ``CountedFrequencies`` turns
counts into frequencies. Frequencies are those of *other* records (the pair's own two are left
out) and are shrunk toward a prior worth PRIOR_OCCURRENCES sightings of the value, so that a value
seen in no other record is not taken for one that nobody else bears (on an operation's few
thousand records, a name seen once is rare there, not in the world), while a value seen often is
judged by its counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import combinations

from sirocco.match.keys import name_pair_key, plate_deletions
from sirocco.match.profile import Kind, Profile

PRIOR_OCCURRENCES = 0.5
PRIOR_NAME_PART = 0.005  # one name part of middling commonness
PRIOR_NAME_PAIR = 2e-4  # two name parts together
PRIOR_YEAR = 1 / 40
PRIOR_DAY = 1 / (365 * 40)
PRIOR_PLATE_NEIGHBOURS = 1e-3
PRIOR_PHONE = 1e-4
PLATES = "plates"  # the count of distinct plates
_RAREST_NAME_PRIOR = min(PRIOR_NAME_PART, PRIOR_NAME_PAIR)
# Each kind's keys' beginnings, written once: an enum's value is read through a Python property
# (0.3 µs), and names' frequencies are looked up for every pair judged.
_RECORDS = {kind: f"records:{kind.value}" for kind in Kind}
_PART = {kind: f"part:{kind.value}:" for kind in Kind}
_INITIAL = {kind: kind.value[0] for kind in Kind}


def frequency_keys(profile: Profile) -> list[str]:
    """The keys a record adds one to (plate neighbours are counted once per distinct plate)."""
    kind = profile.kind
    keys = [_RECORDS[kind]]
    skeletons = sorted({part.skeleton for part in profile.names})
    part, initial = _PART[kind], _INITIAL[kind]
    keys += [part + s for s in skeletons]
    keys += [name_pair_key(initial, a, b) for a, b in combinations(skeletons, 2)]
    if profile.birth_dates:
        keys.append("dated")
        keys += sorted(
            {b.iso() for b in profile.birth_dates} | {str(b.year) for b in profile.birth_dates}
        )
    keys += [f"tel:{phone}" for phone in sorted(profile.phones)]
    return keys


def new_plate_keys(folded: str) -> list[str]:
    """Keys to count when a plate is seen for the first time."""
    return [PLATES, *sorted(plate_deletions(folded))]


def _smoothed(count: int, total: int, prior: float) -> float:
    """The posterior mean of a Beta prior with mean ``prior`` worth PRIOR_OCCURRENCES sightings,
    after ``count`` - 2 sightings among ``total`` records (the pair's own two left out)."""
    return (max(count - 2, 0) + PRIOR_OCCURRENCES) / (total + PRIOR_OCCURRENCES / prior)


class CountedFrequencies:
    """The ``Frequencies`` the comparison needs, from a function that counts keys."""

    def __init__(self, count: Callable[[str], int]) -> None:
        self.count = count

    def name(self, kind: Kind, skeletons: tuple[str, ...]) -> float:
        total = self.count(_RECORDS[kind])
        distinct = sorted(set(skeletons))
        if len(distinct) == 1:  # one part, or parts that sound alike (Ahmad Ahmadi)
            return _smoothed(self.count(_PART[kind] + distinct[0]), total, PRIOR_NAME_PART)
        initial = _INITIAL[kind]
        together = min(
            self.count(name_pair_key(initial, a, b)) for a, b in combinations(distinct, 2)
        )
        return _smoothed(together, total, PRIOR_NAME_PAIR)

    def rarest_name(self, kind: Kind) -> float:
        # A name no other record holds, smoothed toward the rarer of the two priors.
        return _smoothed(0, self.count(_RECORDS[kind]), _RAREST_NAME_PRIOR)

    def least_name(self, kind: Kind, skeletons: Iterable[str]) -> float:
        # An agreement's frequency is that of its commonest spelling, one of which is this
        # record's own spelling of the agreeing parts: one part (or parts that sound alike), or
        # several, held together no less often than their rarest pair. Either way, no less
        # than the least of this record's parts and pairs.
        total = self.count(_RECORDS[kind])
        distinct = sorted(set(skeletons))
        if not distinct:
            return self.rarest_name(kind)
        part = _PART[kind]
        parts = min(self.count(part + s) for s in distinct)
        least = _smoothed(parts, total, PRIOR_NAME_PART)
        if len(distinct) > 1:
            initial = _INITIAL[kind]
            pairs = min(
                self.count(name_pair_key(initial, a, b)) for a, b in combinations(distinct, 2)
            )
            least = min(least, _smoothed(pairs, total, PRIOR_NAME_PAIR))
        return least

    def birth_date(self, iso: str) -> float:
        prior = PRIOR_YEAR if len(iso) == 4 else PRIOR_DAY
        return _smoothed(self.count(iso), self.count("dated"), prior)

    def phone(self, e164: str) -> float:
        return _smoothed(self.count(f"tel:{e164}"), self.count(_RECORDS[Kind.PERSON]), PRIOR_PHONE)

    def plate_neighbours(self, left: str, right: str) -> float:
        # Under the hypothesis that the two are different vehicles, the other plate is itself a
        # neighbour: only the left plate is left out of the count.
        shared = plate_deletions(left) & plate_deletions(right)
        count = max((self.count(k) for k in shared), default=2)
        return _smoothed(count + 1, self.count(PLATES), PRIOR_PLATE_NEIGHBOURS)
