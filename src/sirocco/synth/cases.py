"""Multi-script cross-matching cases with ground truth.

Identities (people and vehicles) are drawn first; each then appears in one or more agencies'
reports, written with that agency's habits and the noise of real registration: romanisation
variants, scripts, name order, father's names, placeholder and swapped birth dates, misread
plates. Hard negatives are built in: namesakes with other birth dates, siblings sharing family
and father's name (and sometimes a phone), and one fleet's near-identical plates.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sirocco.synth.habits import (
    AGENCIES,
    ascii_upper,
    random_phone,
    random_plate,
    write_date,
    write_name,
    write_phone,
    write_plate,
)
from sirocco.synth.names import (
    FEMALE,
    MIGRANT_FAMILY,
    MIGRANT_GIVEN,
    MIGRANT_NATIONALITIES,
    SMUGGLER_NAMES,
    SMUGGLER_ORIGINS,
    VEHICLE_MODELS,
)

# A few names are far more common than the rest (Zipf-like), as in real registrations.
_GIVEN = list(MIGRANT_GIVEN)
_GIVEN_WEIGHTS = [1 / (rank + 1) ** 0.8 for rank in range(len(_GIVEN))]
_FAMILY = list(MIGRANT_FAMILY)
_FAMILY_WEIGHTS = [1 / (rank + 1) ** 0.6 for rank in range(len(_FAMILY))]
_MALE = [g for g in _GIVEN if g not in FEMALE]
_NATIONALITY_NAMES = {"SY": ("SY", "Syria", "SYR", "Syrian Arab Republic"),
                      "AF": ("AF", "Afghanistan", "AFG"), "PK": ("PK", "Pakistan", "PAK"),
                      "IQ": ("IQ", "Iraq", "IRQ"), "MA": ("MA", "Morocco", "MAR"),
                      "DZ": ("DZ", "Algeria", "DZA"), "RS": ("RS", "Serbia", "SRB"),
                      "BG": ("BG", "Bulgaria", "BGR"), "MK": ("MK", "North Macedonia", "MKD"),
                      "HU": ("HU", "Hungary", "HUN"), "RO": ("RO", "Romania", "ROU"),
                      "XK": ("XK", "Kosovo"), "TR": ("TR", "Turkey", "TUR")}  # fmt: skip
_CONFUSED_NATIONALITY = {"SY": "IQ", "IQ": "SY", "AF": "PK", "PK": "AF", "MA": "DZ", "DZ": "MA"}
_PLATE_COUNTRIES = ("RS", "BG", "MK", "HU", "RO", "AT", "DE", "HR", "SI", "CH")
_PLATE_WEIGHTS = (0.18, 0.14, 0.08, 0.14, 0.14, 0.1, 0.1, 0.05, 0.04, 0.03)


@dataclass(slots=True)
class PersonIdentity:
    id: str
    given: tuple[str, ...]  # spellings to choose from (canonical first)
    family: tuple[str, ...]
    father: tuple[str, ...]
    birth: str  # ISO date
    year_only: bool  # only the year was ever known (registered with a placeholder)
    nationality: str
    gender: str
    phone: str | None
    passport: str | None
    role: str  # "suspect" or "smuggled"
    national: bool = False  # the name is written in its own national Latin, not romanised


@dataclass(slots=True)
class VehicleIdentity:
    id: str
    plate: str
    country: str
    model: str


def _birth(rng: random.Random, low: int = 1965, high: int = 2008) -> str:
    return f"{rng.randint(low, high)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _passport(rng: random.Random) -> str:
    return rng.choice("NPRSTUV") + "".join(str(rng.randrange(10)) for _ in range(7))


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


def new_person(number: int, rng: random.Random, earlier: list[PersonIdentity]) -> PersonIdentity:
    identity_id = f"person-{number}"
    roll = rng.random()
    if earlier and roll < 0.08:  # a namesake: same name, another person
        model = rng.choice(earlier)
        return PersonIdentity(identity_id, model.given, model.family,
                              (rng.choice(_MALE),), _birth(rng), rng.random() < 0.25,
                              model.nationality, model.gender,
                              random_phone(model.nationality if model.role == "smuggled" else "RS", rng)
                              if rng.random() < 0.4 else None, None, model.role,
                              model.national)  # fmt: skip
    if earlier and roll < 0.16:  # a sibling: same family and father, another given name
        model = rng.choice(earlier)
        year = int(model.birth[:4]) + rng.choice((-1, 1)) * rng.randint(1, 8)
        given = rng.choice(_GIVEN)
        return PersonIdentity(identity_id, MIGRANT_GIVEN[given], model.family, model.father,
                              _birth(rng, year, year), model.year_only, model.nationality,
                              "female" if given in FEMALE else "male",
                              model.phone if rng.random() < 0.3 else None, None, model.role,
                              model.national)  # fmt: skip
    if rng.random() < 0.15:  # a smuggler from the region
        origin = _weighted(rng, SMUGGLER_ORIGINS)
        given_pool, family_pool = SMUGGLER_NAMES[origin]
        region = origin if origin not in ("XK", "AF") else rng.choice(("RS", "AT", "DE"))
        return PersonIdentity(identity_id, (rng.choice(given_pool),), (rng.choice(family_pool),),
                              (rng.choice(given_pool),), _birth(rng, 1960, 2000), False, origin,
                              "male", random_phone(region, rng) if rng.random() < 0.8 else None,
                              _passport(rng) if rng.random() < 0.5 else None, "suspect",
                              origin != "AF")  # fmt: skip
    given = rng.choices(_GIVEN, _GIVEN_WEIGHTS)[0]
    nationality = _weighted(rng, MIGRANT_NATIONALITIES)
    return PersonIdentity(identity_id, MIGRANT_GIVEN[given],
                          MIGRANT_FAMILY[rng.choices(_FAMILY, _FAMILY_WEIGHTS)[0]],
                          MIGRANT_GIVEN[rng.choice(_MALE)], _birth(rng), rng.random() < 0.25,
                          nationality, "female" if given in FEMALE else "male",
                          random_phone(rng.choice((nationality if nationality != "SY" else "TR",
                                                   "RS", "AT")), rng)
                          if rng.random() < 0.4 else None,
                          _passport(rng) if rng.random() < 0.3 else None, "smuggled")  # fmt: skip


def _spelling(rng: random.Random, variants: tuple[str, ...]) -> str:
    return variants[0] if rng.random() < 0.45 else rng.choice(variants)


def _written_birth(identity: PersonIdentity, agency: str, rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.1:
        return None
    year, month, day = identity.birth.split("-")
    if identity.year_only:
        return f"{year}-01-01" if rng.random() < 0.6 else year
    if roll < 0.16 and int(day) <= 12 and day != month:
        return write_date(f"{year}-{day}-{month}", agency, rng)  # day and month swapped
    if roll < 0.19:
        digits = list(day)
        digits[1] = str((int(digits[1]) + rng.randint(1, 8)) % 10)
        typo = "".join(digits)
        if 1 <= int(typo) <= 28:
            return write_date(f"{year}-{month}-{typo}", agency, rng)
    if roll < 0.24 and agency != "AT":  # registered with a placeholder at some point
        return f"{year}-01-01"
    return write_date(identity.birth, agency, rng)


def person_record(identity: PersonIdentity, agency: str, rng: random.Random) -> dict[str, Any]:
    given = _spelling(rng, identity.given)
    family = _spelling(rng, identity.family)
    cyrillic = rng.random() < 0.75

    def write(name: str) -> str:
        return write_name(name, agency, rng, national=identity.national, cyrillic=cyrillic)

    father = write(_spelling(rng, identity.father))
    properties: dict[str, list[str]] = {}
    style = rng.random()
    if agency in ("AT", "CH", "DE") and style < 0.3:  # read from a passport's machine-readable zone
        properties["name"] = [f"{ascii_upper(family)}<<{ascii_upper(given)}".replace(" ", "<")]
    else:
        g, f = write(given), write(family)
        if agency == "HU" or style < 0.1:
            properties["name"] = [f"{f} {g}"]  # family name first
        elif style < 0.55:
            properties["name"] = [f"{g} {f}"]
        elif style < 0.65 and identity.role == "smuggled":
            properties["name"] = [f"{g} {father} {f}"]  # father's name in the middle
        else:
            properties["firstName"], properties["lastName"] = [g], [f]
        if agency in ("RS", "MK", "BG", "HR") and rng.random() < 0.35:
            properties["fatherName"] = [father]
    if birth := _written_birth(identity, agency, rng):
        properties["birthDate"] = [birth]
    if rng.random() < 0.85:
        nationality = identity.nationality
        if rng.random() < 0.05:
            nationality = _CONFUSED_NATIONALITY.get(nationality, nationality)
        properties["nationality"] = [rng.choice(_NATIONALITY_NAMES[nationality])]
    if rng.random() < 0.6:
        properties["gender"] = [identity.gender]
    if identity.phone and rng.random() < 0.6:
        properties["phone"] = [write_phone(identity.phone, agency, rng)]
    if identity.passport and rng.random() < 0.5:
        number = identity.passport
        if rng.random() < 0.1:
            number = number.replace("0", "O", 1)
        properties["passportNumber"] = [number]
    return {"schema": "Person", "properties": properties, "datasets": [agency]}


def new_vehicle(
    number: int, rng: random.Random, earlier: list[VehicleIdentity], plates: set[str]
) -> VehicleIdentity:
    """A vehicle with a plate no other vehicle has (``plates`` holds those taken)."""
    while True:
        if earlier and rng.random() < 0.2:  # another van of the same fleet: a neighbouring plate
            model = rng.choice(earlier)
            digits = [i for i, c in enumerate(model.plate) if c.isdigit()]
            chars = list(model.plate)
            last = digits[-1]
            chars[last] = str((int(chars[last]) + rng.randint(1, 9)) % 10)
            vehicle = VehicleIdentity(
                f"vehicle-{number}", "".join(chars), model.country, model.model
            )
        else:
            country = rng.choices(_PLATE_COUNTRIES, _PLATE_WEIGHTS)[0]
            vehicle = VehicleIdentity(f"vehicle-{number}", random_plate(country, rng), country,
                                      rng.choice(list(VEHICLE_MODELS)))  # fmt: skip
        if vehicle.plate not in plates:
            plates.add(vehicle.plate)
            return vehicle


def vehicle_record(identity: VehicleIdentity, agency: str, rng: random.Random) -> dict[str, Any]:
    properties = {
        "registrationNumber": [write_plate(identity.plate, identity.country, agency, rng)]
    }
    if rng.random() < 0.7:
        properties["country"] = [
            rng.choice(_NATIONALITY_NAMES.get(identity.country, (identity.country,)))
        ]
    if rng.random() < 0.6:
        variants = VEHICLE_MODELS[identity.model]
        properties["model"] = [variants[-1] if agency in ("RS", "MK", "BG") and rng.random() < 0.5
                               else rng.choice(variants[:-1])]  # fmt: skip
    return {"schema": "Vehicle", "properties": properties, "datasets": [agency]}


def _appearances(rng: random.Random, role: str) -> int:
    weights = (0.3, 0.3, 0.25, 0.15) if role == "suspect" else (0.45, 0.3, 0.17, 0.08)
    return rng.choices((1, 2, 3, 4), weights)[0]


def iter_cases(
    people: int, vehicles: int, seed: int = 0, agencies: tuple[str, ...] = AGENCIES
) -> Iterator[tuple[dict[str, Any], str]]:
    """Entities (FtM dicts with ids) with the id of the identity each describes."""
    rng = random.Random(seed)
    recent_people: list[PersonIdentity] = []
    recent_vehicles: list[VehicleIdentity] = []
    used: set[str] = set()

    def record_id(agency: str) -> str:
        while True:
            candidate = f"{agency.lower()}-{rng.getrandbits(48):012x}"
            if candidate not in used:
                used.add(candidate)
                return candidate

    for number in range(people):
        person = new_person(number, rng, recent_people)
        recent_people.append(person)
        if len(recent_people) > 200:
            recent_people.pop(rng.randrange(len(recent_people)))
        for agency in rng.sample(agencies, _appearances(rng, person.role)):
            entity = person_record(person, agency, rng)
            entity["id"] = record_id(agency)
            yield entity, person.id
    plates: set[str] = set()
    for number in range(vehicles):
        vehicle = new_vehicle(number, rng, recent_vehicles, plates)
        recent_vehicles.append(vehicle)
        if len(recent_vehicles) > 50:
            recent_vehicles.pop(rng.randrange(len(recent_vehicles)))
        for agency in rng.sample(agencies, _appearances(rng, "suspect")):
            entity = vehicle_record(vehicle, agency, rng)
            entity["id"] = record_id(agency)
            yield entity, vehicle.id
