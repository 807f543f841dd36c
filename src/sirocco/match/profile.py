"""A match profile: everything the matcher needs of one entity, normalised once.

Built by a pure function from an entity; values that cannot be normalised become problems
naming the record and the field, and the rest of the profile still counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, TypeVar

from sirocco.entities import Entity, Problem
from sirocco.match.dates import BirthDate, parse_date
from sirocco.match.documents import normalise_document
from sirocco.match.names import NamePart, name_parts
from sirocco.match.phones import normalise_phone
from sirocco.match.plates import Plate, parse_plate
from sirocco.match.text import fold
from sirocco.schemata import country as country_code
from sirocco.schemata import gender as read_gender
from sirocco.schemata import model


class Kind(StrEnum):
    """What sort of real-world thing an entity is, for matching purposes."""

    PERSON = "person"
    VEHICLE = "vehicle"
    DOCUMENT = "document"
    ADDRESS = "address"
    ORGANIZATION = "organization"


def kind_of(schema_name: str) -> Kind | None:
    schema = model.get(schema_name)
    if schema is None:
        return None
    for kind, base in (
        (Kind.PERSON, "Person"),
        (Kind.VEHICLE, "Vehicle"),
        (Kind.DOCUMENT, "Identification"),
        (Kind.ADDRESS, "Address"),
        (Kind.ORGANIZATION, "Organization"),
    ):
        if schema.is_a(base):
            return kind
    return None


@dataclass(slots=True, init=False, unsafe_hash=True)
class Profile:
    """What a record says that matching reads. (Made for each record read, and again where
    it crosses between processes: its ``__init__`` is written out, see ``sirocco.compiled``.)"""

    id: Final[str]
    kind: Final[Kind]
    agency: Final[str | None]
    names: Final[tuple[NamePart, ...]]
    fathers: Final[tuple[NamePart, ...]]
    birth_dates: Final[tuple[BirthDate, ...]]
    nationalities: Final[frozenset[str]]
    gender: Final[str | None]
    documents: Final[frozenset[str]]
    phones: Final[frozenset[str]]
    address: Final[str]  # folded address text
    plates: Final[tuple[Plate, ...]]
    country: Final[frozenset[str]]
    vehicle_model: Final[str]
    # Of the content: set once by ``build_profile`` when not given (the one field that is not
    # final, so that a profile just made need not be copied to get it).
    fingerprint: str

    def __init__(
        self,
        id: str,
        kind: Kind,
        agency: str | None,
        names: tuple[NamePart, ...] = (),
        fathers: tuple[NamePart, ...] = (),
        birth_dates: tuple[BirthDate, ...] = (),
        nationalities: frozenset[str] = frozenset(),
        gender: str | None = None,
        documents: frozenset[str] = frozenset(),
        phones: frozenset[str] = frozenset(),
        address: str = "",
        plates: tuple[Plate, ...] = (),
        country: frozenset[str] = frozenset(),
        vehicle_model: str = "",
        fingerprint: str = "",
    ) -> None:
        self.id = id
        self.kind = kind
        self.agency = agency
        self.names = names
        self.fathers = fathers
        self.birth_dates = birth_dates
        self.nationalities = nationalities
        self.gender = gender
        self.documents = documents
        self.phones = phones
        self.address = address
        self.plates = plates
        self.country = country
        self.vehicle_model = vehicle_model
        self.fingerprint = fingerprint


T = TypeVar("T")
# Gender as the region's forms write it (FollowTheMoney knows the English words).
_GENDERS = {
    **dict.fromkeys(("m", "muski", "moski", "muz", "muzki", "maz", "mazki", "mannlich", "mann",
                     "ferfi", "barbat", "masculin", "maskulin", "herr"), "male"),
    **dict.fromkeys(("z", "zenski", "zenska", "zena", "weiblich", "frau", "no", "femeie",
                     "feminin", "w"), "female"),
}  # fmt: skip
_NAME_PARTS = ("firstName", "middleName", "secondName", "lastName")


def _countries(entity: Entity, props: tuple[str, ...], problems: list[Problem]) -> frozenset[str]:
    found: set[str] = set()
    for prop in props:
        for value in entity.get(prop):
            code = country_code(value)
            if code is None:
                problems.append(Problem(entity.id, prop, f"unknown country {value!r}; ignored"))
            else:
                found.add(code)
    return frozenset(found)


def _region(entity: Entity) -> str | None:
    agency = entity.agency
    if agency and country_code(agency[:2]):
        return agency[:2].upper()
    return None


def _parsed(
    entity: Entity, props: tuple[str, ...], parse: Callable[[str], T], problems: list[Problem]
) -> list[T]:
    """Each value of the properties parsed; a value that fails becomes a problem, not an error."""
    found: list[T] = []
    for prop in props:
        for value in entity.get(prop):
            try:
                found.append(parse(value))
            except ValueError as error:
                problems.append(Problem(entity.id, prop, f"{error}; ignored"))
    return found


def _documents(entity: Entity, props: tuple[str, ...], problems: list[Problem]) -> frozenset[str]:
    return frozenset(_parsed(entity, props, normalise_document, problems))


def _person(entity: Entity, problems: list[Problem]) -> Profile:
    # A written full name and its structured parts describe one name, not two.
    written = [v for prop in ("name", "alias") for v in entity.get(prop)]
    structured = " ".join(v for prop in _NAME_PARTS for v in entity.get(prop))
    names = name_parts([*written, structured] if structured else written)
    fathers = name_parts(entity.get("fatherName"))
    births = _parsed(entity, ("birthDate",), parse_date, problems)
    gender = None
    for value in entity.get("gender"):
        gender = read_gender(value) or _GENDERS.get(fold(value))
        if gender is None:
            problems.append(Problem(entity.id, "gender", f"unknown gender {value!r}; ignored"))
    region = _region(entity)
    phones = _parsed(entity, ("phone",), lambda value: normalise_phone(value, region), problems)
    return Profile(
        id=entity.id,
        kind=Kind.PERSON,
        agency=entity.agency,
        names=names,
        fathers=fathers,
        birth_dates=tuple(dict.fromkeys(births)),
        nationalities=_countries(entity, ("nationality", "citizenship"), problems),
        gender=gender,
        documents=_documents(entity, ("passportNumber", "idNumber"), problems),
        phones=frozenset(phones),
        address=fold(" ".join(entity.get("address"))),
    )


def _vehicle(entity: Entity, problems: list[Problem]) -> Profile:
    plates = _parsed(entity, ("registrationNumber",), parse_plate, problems)
    return Profile(
        id=entity.id,
        kind=Kind.VEHICLE,
        agency=entity.agency,
        plates=tuple(plates),
        country=_countries(entity, ("country",), problems),
        vehicle_model=fold(" ".join(entity.get("model"))),
    )


def fingerprint(p: Profile) -> str:
    """A digest of what a profile says (not of its id): the same record keyed by its submitted
    id or by a store's key gets the same fingerprint, so whatever is ordered by fingerprints
    (pairs compared, records sampled) does not depend on ids."""
    content = (p.kind.value, p.agency or "", repr(p.names), repr(p.fathers),
               repr(p.birth_dates), sorted(p.nationalities), p.gender or "", sorted(p.documents),
               sorted(p.phones), p.address, repr(p.plates), sorted(p.country),
               p.vehicle_model)  # fmt: skip
    return hashlib.blake2b(repr(content).encode(), digest_size=12).hexdigest()


def build_profile(entity: Entity) -> tuple[Profile | None, list[Problem]]:
    """The match profile of an entity, or None for kinds that are not matched (e.g. Event)."""
    profile, problems = _build_profile(entity)
    if profile is not None:
        # The profile was made just now and nothing else holds it yet: its fingerprint is set
        # in place (a copy with it would make every record twice).
        profile.fingerprint = fingerprint(profile)
    return profile, problems


def _build_profile(entity: Entity) -> tuple[Profile | None, list[Problem]]:
    kind = kind_of(entity.schema)
    problems: list[Problem] = []
    if kind is Kind.PERSON:
        return _person(entity, problems), problems
    if kind is Kind.VEHICLE:
        return _vehicle(entity, problems), problems
    if kind is Kind.DOCUMENT:
        profile = Profile(
            id=entity.id,
            kind=kind,
            agency=entity.agency,
            documents=_documents(entity, ("number", "passportNumber"), problems),
            country=_countries(entity, ("country",), problems),
            names=name_parts([*entity.get("surname"), *entity.get("givenName")]),
        )
        return profile, problems
    if kind is Kind.ADDRESS:
        text = " ".join(entity.get("full") or entity.get("name"))
        return Profile(id=entity.id, kind=kind, agency=entity.agency, address=fold(text)), problems
    if kind is Kind.ORGANIZATION:
        profile = Profile(
            id=entity.id,
            kind=kind,
            agency=entity.agency,
            names=name_parts(entity.get("name")),
            country=_countries(entity, ("country", "jurisdiction"), problems),
            phones=frozenset(),
        )
        return profile, problems
    return None, problems
