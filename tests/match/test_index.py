from dataclasses import replace

import pytest

from sirocco.match.dates import BirthDate
from sirocco.match.index import MemoryIndex
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
    assert grown.profiles == direct.profiles and grown.keys == direct.keys
    assert {k: sorted(v) for k, v in grown.postings.items()} == direct.postings
    assert grown.counts == direct.counts and min(grown.counts.values()) > 0
    for profile in direct.profiles:
        assert list(grown.candidates(profile)) == list(direct.candidates(profile))
    some = next(iter(richer.values()))
    assert f"doc:{sorted(some.documents)[-1]}" in grown.keys[grown.positions[some.id]]


def test_a_held_profile_keeps_its_plates() -> None:
    index = MemoryIndex()
    index.add(person("at-1", "AT", name=["Ali Rahimi"]))
    van = synth_index(0, 5, seed=1).profiles[0]
    index.add(van)
    with pytest.raises(ValueError, match="plates"):
        index.replace(replace(van, plates=()))
