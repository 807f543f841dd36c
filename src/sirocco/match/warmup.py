"""Loading what normalisation builds on first use, before the first report needs it.

The territory names behind country lookups, the phone numbering plans and the transliteration
tables are read the first time a value needs them: about two seconds, which the first report
of a fresh server would otherwise wait through. A server calls ``warm_up`` once at start.
"""

from __future__ import annotations

from sirocco.entities import Entity
from sirocco.match.compare import compare
from sirocco.match.frequencies import CountedFrequencies
from sirocco.match.profile import Profile, build_profile

_SAMPLES = (
    Entity(
        "warm-up-1",
        "Person",
        {
            "name": ("Мухамед Ахмади",),
            "firstName": ("محمد",),
            "lastName": ("Ahmadi",),
            "fatherName": ("Halid",),
            "birthDate": ("1990-03-04",),
            "gender": ("m",),
            "nationality": ("Afghanistan", "SYR"),
            "passportNumber": ("P1234567",),
            "phone": ("06 30 123 4567", "+43 664 1234567"),
            "address": ("Wien, Praterstern 1",),
        },
        ("HU",),
    ),  # fmt: skip
    Entity(
        "warm-up-2",
        "Person",
        {
            "name": ("MOHAMMED AHMADI",),
            "birthDate": ("04.03.1990",),
            "nationality": ("Авганистан",),
        },
        ("RS",),
    ),  # fmt: skip
    Entity(
        "warm-up-3",
        "Vehicle",
        {
            "registrationNumber": ("ВG 1234 АВ",),
            "country": ("Bulgaria",),
            "model": ("VW Passat",),
        },
        ("BG",),
    ),  # fmt: skip
)


def warm_up() -> list[Profile]:
    """Build and compare a few profiles that touch every lazily loaded table; returns them.
    (Everything it fills is a pure function's cache: nothing it leaves changes a result.)"""
    profiles = [p for p, _ in map(build_profile, _SAMPLES) if p is not None]
    compare(profiles[0], profiles[1], CountedFrequencies(lambda _key: 0))
    return profiles
