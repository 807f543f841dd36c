from dataclasses import replace

import pytest

from sirocco.match.dates import BirthDate
from sirocco.match.index import MemoryIndex
from sirocco.match.keys import is_half_name
from tests.match.test_engine import person, synth_index


def test_a_profile_held_anew_is_held_as_if_it_had_come_so() -> None:
    """A held person told more about (a passport read later names them): held anew at its
    place, the index's keys, postings, counts and candidates are those of an index that held
    the richer profile from the start."""
    held = synth_index(120, 20, seed=2)
    richer = {
        p.id: replace(
            p,
            documents=p.documents | {f"X{n:07d}"},
            address="hauptstrasse 1 wien",
            # Another date: keys and counts to let go of, as well as new ones.
            birth_dates=(BirthDate(1950 + n, 5, 6),) if n % 2 else p.birth_dates,
        )
        for n, p in enumerate(held.profiles[::7])
        if p.kind.value == "person"
    }
    assert len(richer) > 5
    grown = MemoryIndex()
    for profile in held.profiles:
        grown.add(profile)
    for profile in richer.values():
        grown.replace(profile)
    direct = MemoryIndex()
    for profile in held.profiles:
        direct.add(richer.get(profile.id, profile))
    assert grown.profiles == direct.profiles
    assert all(grown.keys(n) == direct.keys(n) for n in range(len(direct)))
    assert {k: sorted(v) for k, v in grown.postings.items()} == direct.postings
    for index in (grown, direct):
        assert_records_hold_their_postings(index)
    assert grown.counts == direct.counts and min(grown.counts.values()) > 0
    for profile in direct.profiles:
        assert list(grown.candidates(profile)) == list(direct.candidates(profile))
    some = next(iter(richer.values()))
    assert f"doc:{sorted(some.documents)[-1]}" in grown.keys(grown.positions[some.id])


def assert_records_hold_their_postings(index: MemoryIndex) -> None:
    """Each record holds the very postings of its keys (half names apart), and no others."""
    assert all(index.keys(n) for n in range(len(index)))
    for n in range(len(index)):
        keys = index.keys(n)
        assert all(n in index.postings[key] for key in keys)
        halves = [index.postings[k] for k in keys if is_half_name(k)]
        others = [index.postings[k] for k in keys if not is_half_name(k)]
        for held, expected in ((index.held_halves[n], halves), (index.held[n], others)):
            assert sorted(map(id, held)) == sorted(map(id, expected))


def test_a_held_profile_keeps_its_plates() -> None:
    index = MemoryIndex()
    index.add(person("at-1", "AT", name=["Ali Rahimi"]))
    van = synth_index(0, 5, seed=1).profiles[0]
    index.add(van)
    with pytest.raises(ValueError, match="plates"):
        index.replace(replace(van, plates=()))


@pytest.mark.parametrize("cap", [3, 100])
def test_the_pairs_of_a_range_of_records_are_their_candidates_each_once(cap: int) -> None:
    """Gathered for many records at once, the pairs are each record's candidates, in order,
    whatever the range, with keys too crowded to scan left out as ``candidate_positions``
    leaves them (a small cap crowds many)."""
    held = synth_index(150, 30, seed=3)
    index = MemoryIndex(cap=cap)
    for profile in held.profiles:
        index.add(profile)
    assert index.flagged() if cap == 3 else not index.flagged()
    for start, stop in ((0, len(index)), (17, 18), (40, 95), (5, 5)):
        left, right = index.candidate_pairs(start, stop)
        expected = [
            (position, found)
            for position in range(start, stop)
            for found in index.candidate_positions(index.profiles[position])
        ]
        assert list(zip(left.tolist(), right.tolist(), strict=True)) == expected
    assert len(index.candidate_pairs(0, len(index))[0]) > len(index)
