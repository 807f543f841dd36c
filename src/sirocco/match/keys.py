"""Candidate keys (blocking): records that share a key are compared.

Keys are built so that every pair the comparison could call a match shares at least one:
pairs of name skeletons (order-free), one part's skeleton with another's first letter (for a
part spelt otherwise), a name skeleton with the birth year, identifiers
(document numbers, E.164 phones), folded plates and their one-deletion neighbours (a misread
character). A common name, too common a key alone, is also keyed with the birth year and the
day of the year. Very common keys are capped by the index, never scanned without bound (half
names at a third of the cap: ``key_cap``).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from sirocco.match.documents import document_key
from sirocco.match.names import NamePart
from sirocco.match.plates import plate_keys
from sirocco.match.profile import Kind, Profile

MAX_PARTS = 6
# Half names (one part's skeleton and another's first letter) gather a common family name's
# namesakes fastest: such a key is too crowded to scan at a third of the cap of the others.
HALF_NAME_PREFIXES = ("ph:", "phy:", "oh:", "ohy:")
HALF_NAME_SHARE = 3


def is_half_name(key: str) -> bool:
    return key.startswith(HALF_NAME_PREFIXES)


def half_name_cap(cap: int) -> int:
    """How many records may hold a half name before it is too crowded to scan."""
    return max(1, cap // HALF_NAME_SHARE)


def key_cap(key: str, cap: int) -> int:
    """How many records may hold ``key`` before it is too crowded to scan."""
    return half_name_cap(cap) if is_half_name(key) else cap


def name_pair(a: str, b: str) -> str:
    """Two name parts' skeletons, order-free."""
    return f"{a}|{b}" if a <= b else f"{b}|{a}"


def name_pair_key(prefix: str, a: str, b: str) -> str:
    """The key of two name parts' skeletons, order-free."""
    return f"{prefix}2:{name_pair(a, b)}"


def plate_deletions(folded: str) -> set[str]:
    """The plate with one character left out, at each position: where misreads meet."""
    return {f"pl~{folded[:i]}{folded[i + 1 :]}" for i in range(len(folded))}


# A first letter as spellings of one sound share it: voiced and voiceless pairs (Zabihullah /
# Sabiullah), w and v (Wardak / Vardak), q and k (Qasim / Kasim), y and j (Yusuf / Jusuf), e and
# i (Ebrahim / Ibrahim), o and u (Omar / Umar).
_INITIALS = str.maketrans("zdgvwpqyeu", "stkffbkjio")


def _half_names(parts: Sequence[NamePart]) -> set[str]:
    """One part's skeleton with the first letter of another.

    Two spellings of one name can share a part's sound and differ in the other's: Nicola /
    Nikola, Krasniqi / Krasnici, Djordje / Dorde. The other part's skeletons differ, but its
    first letter survives most spellings, folded as its sound is (``_INITIALS``). (The first
    sound of its skeleton as well would find a few more, Chalid / Khalid, at a tenth more
    candidates, for nothing measured on the sets in docs/benchmarks.md.)
    """
    initials = {part: part.latin[:1].translate(_INITIALS) for part in parts}
    return {
        f"{skeleton}|{initials[other]}"
        for part in parts
        for _, skeleton in part.forms()
        if skeleton
        for other in parts
        if other is not part and other.latin
    }


def _name_keys(profile: Profile, prefix: str) -> set[str]:
    skeletons = sorted(
        {skel for part in profile.names[:MAX_PARTS] for _, skel in part.forms() if skel}
    )
    pairs = {name_pair(a, b) for a, b in combinations(skeletons, 2)}
    keys = {f"{prefix}2:{pair}" for pair in pairs}
    if len(skeletons) == 1:
        pairs.add(skeletons[0])
        keys.add(f"{prefix}1:{skeletons[0]}")
    for birth in profile.birth_dates:
        # A common name is too common a key on its own: with the year, and with the day of the
        # year (for a mistyped year), it still finds the records of one person among namesakes.
        keys |= {f"{prefix}ny:{birth.year}:{pair}" for pair in pairs}
        if birth.full:
            keys |= {f"{prefix}nd:{birth.iso()[5:]}:{pair}" for pair in pairs}
    halves = _half_names(profile.names[:MAX_PARTS])
    keys |= {f"{prefix}h:{half}" for half in halves}
    for birth in profile.birth_dates:
        keys |= {f"{prefix}hy:{birth.year}:{half}" for half in halves}
    for part in profile.names[:MAX_PARTS]:
        for birth in profile.birth_dates:
            if birth.full:
                # The first letter of a part survives most typing errors: with the full birth
                # date it finds records whose names were badly mistyped.
                keys.add(f"{prefix}d:{birth.iso()}:{part.latin[:1]}")
            else:
                # Only the year is known: one part's skeleton with the year.
                keys.add(f"{prefix}y:{birth.year}:{part.skeleton}")
    return keys


def candidate_keys(profile: Profile) -> set[str]:
    keys: set[str] = set()
    if profile.kind in (Kind.PERSON, Kind.ORGANIZATION):
        keys |= _name_keys(profile, profile.kind.value[0])
    for number in profile.documents:
        keys.add(f"doc:{document_key(number)}")
    for phone in profile.phones:
        keys.add(f"tel:{phone}")
    for plate in profile.plates:
        for key in plate_keys(plate):
            keys.add(f"pl:{key}")
            keys |= plate_deletions(key)  # a misread or dropped character still meets its plate
    if profile.kind is Kind.ADDRESS and profile.address:
        keys.add("ad:" + " ".join(sorted(profile.address.split())))
    return keys
