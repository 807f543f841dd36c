"""The stored form of a profile reads back as the very profile it was made from."""

import json
from collections.abc import Iterator

from sirocco.entities import Entity
from sirocco.match.profile import Profile, build_profile
from sirocco.store.profiles import VERSION, decode, encode
from sirocco.synth.cases import iter_cases


def _profiles(count: int) -> Iterator[Profile]:
    for item, _identity in iter_cases(count, count // 4, seed=7):
        props = {k: tuple(v) for k, v in item["properties"].items()}
        entity = Entity(item["id"], item["schema"], props, tuple(item["datasets"]))
        profile, _ = build_profile(entity)
        if profile is not None:
            yield profile


def test_every_simulated_habit_reads_back_the_same() -> None:
    profiles = list(_profiles(400))  # every script, date form, phone and plate habit
    assert len(profiles) > 400
    for profile in profiles:
        assert decode(encode(profile), profile.id, profile.agency) == profile


def test_other_kinds_read_back_the_same() -> None:
    for schema, props in (
        ("Passport", {"number": ("P<1234567",), "country": ("SY",), "surname": ("ALI",)}),
        ("Address", {"full": ("Praterstern 1, Wien",)}),
        ("Organization", {"name": ("Balkan Tours d.o.o.",), "country": ("Serbia",)}),
    ):
        profile, _ = build_profile(Entity("x1", schema, props, ("AT",)))
        assert profile is not None
        assert decode(encode(profile), "x1", "AT") == profile


def test_a_form_made_by_other_code_or_not_a_form_is_not_used() -> None:
    profile, _ = build_profile(Entity("p1", "Person", {"name": ("Ali Hassan",)}, ("AT",)))
    assert profile is not None
    form = json.loads(encode(profile))
    assert form[0] == VERSION
    form[0] = "another-version"
    assert decode(json.dumps(form), "p1", "AT") is None
    for junk in ("", "{}", "[1, 2]", "not json", json.dumps([VERSION, "spaceship"])):
        assert decode(junk, "p1", "AT") is None
