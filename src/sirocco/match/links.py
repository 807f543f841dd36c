"""What records say of the records they name: a passport of its holder, an address of the people
who live there.

FollowTheMoney keeps a passport or an identity card as an entity of its own, whose ``holder``
names the person, and an address as an entity that a person names by ``addressEntity``. Many
agencies report that way: the person's own record then carries no document number, no address,
sometimes no birth date. A person matched on their own record alone would lose what identifies
them best. So, before matching, a person's profile takes in what the records naming them say
(documents; a passport's birth date, and its country as their nationality) and the text of the
addresses they name.

Pure: entities and profiles in, links and enriched profiles out; ``xmatch`` gathers the links of
a whole input, the exchange server those of one report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from sirocco.entities import Entity, Problem
from sirocco.match.dates import BirthDate, parse_date
from sirocco.match.profile import Kind, Profile, fingerprint
from sirocco.schemata import model

_PASSPORT = "Passport"
# The schemata whose records can add to a person's profile: documents naming their holder, and
# addresses a person names.
SPEAKING = frozenset(
    name
    for name, schema in model.schemata.items()
    if schema.is_a("Identification") or schema.is_a("Address")
)


@dataclass(frozen=True, slots=True)
class Said:
    """What one record says of a person it names (a document of its holder)."""

    about: str  # the id of the record named
    by: str  # the id of the record that says it
    documents: frozenset[str] = frozenset()
    birth_dates: tuple[BirthDate, ...] = ()
    nationalities: frozenset[str] = frozenset()  # a passport's country is its holder's


@dataclass(frozen=True, slots=True)
class Links:
    """The links of one record: what it says of others, and the addresses it names."""

    said: tuple[Said, ...] = ()
    addresses: tuple[str, ...] = ()  # ids of Address entities the record names


def links_of(
    entity: Entity, profile: Profile | None, problems: list[Problem] | None = None
) -> Links | None:
    """The links of one entity, given its profile (None: it names nobody). A passport's birth
    date that cannot be read becomes a problem naming the record and the field."""
    if profile is None:
        return None
    said: tuple[Said, ...] = ()
    if profile.kind is Kind.DOCUMENT:
        births: list[BirthDate] = []
        for value in entity.get("birthDate"):
            try:
                births.append(parse_date(value))
            except ValueError as error:
                if problems is not None:
                    problems.append(Problem(entity.id, "birthDate", f"{error}; ignored"))
        # A passport is issued by its holder's country; another document (a residence permit,
        # an asylum seeker's card) by the country they are in.
        schema = model.get(entity.schema)
        countries = profile.country if schema is not None and schema.is_a(_PASSPORT) else set()
        if profile.documents or births or countries:
            said = tuple(
                Said(holder, entity.id, profile.documents, tuple(births), frozenset(countries))
                for holder in dict.fromkeys(entity.get("holder"))
                if holder != entity.id
            )
    addresses: tuple[str, ...] = ()
    if profile.kind is Kind.PERSON:
        addresses = tuple(dict.fromkeys(entity.get("addressEntity")))
    return Links(said, addresses) if said or addresses else None


def enrich(profile: Profile, said: Iterable[Said], addresses: Iterable[str]) -> Profile:
    """A person's profile with what others say of them and the text of the addresses they name
    (each address text once, after their own). Other kinds, and a person nothing adds to, are
    returned as they are."""
    if profile.kind is not Kind.PERSON:
        return profile
    documents = set(profile.documents)
    births = dict.fromkeys(profile.birth_dates)
    nationalities = set(profile.nationalities)
    for item in said:
        documents.update(item.documents)
        births.update(dict.fromkeys(item.birth_dates))
        nationalities.update(item.nationalities)
    texts = [profile.address] if profile.address else []
    texts += [text for text in dict.fromkeys(addresses) if text and text not in texts]
    enriched = replace(
        profile,
        documents=frozenset(documents),
        birth_dates=tuple(births),
        nationalities=frozenset(nationalities),
        address=" ".join(texts),
    )
    if enriched == profile:
        return profile
    return replace(enriched, fingerprint=fingerprint(enriched))


class LinkBook:
    """The links of many records, gathered as they are read, then applied to each person."""

    def __init__(self) -> None:
        self.said: dict[str, list[Said]] = {}
        self.addresses: dict[str, tuple[str, ...]] = {}
        self.address_texts: dict[str, str] = {}

    def note(self, entity_id: str, profile: Profile, links: Links | None) -> None:
        """Keep what a record says of others, the addresses it names, and its text if it is an
        address (``entity_id``: the id the records name it by)."""
        if links is not None:
            for item in links.said:
                self.said.setdefault(item.about, []).append(item)
            if links.addresses:
                self.addresses[entity_id] = links.addresses
        if profile.kind is Kind.ADDRESS and profile.address:
            self.address_texts[entity_id] = profile.address

    def __bool__(self) -> bool:
        return bool(self.said or self.addresses)

    def apply(self, entity_id: str, profile: Profile) -> Profile:
        """The profile with what the records read say of it."""
        said = self.said.get(entity_id, ())
        named = self.addresses.get(entity_id, ())
        if not said and not named:
            return profile
        return enrich(profile, said, _texts(named, self.address_texts))


def _texts(ids: Iterable[str], texts: Mapping[str, str]) -> list[str]:
    return [texts[i] for i in ids if i in texts]


def speaking_of(people: Sequence[Entity], others: Iterable[Entity]) -> list[Entity]:
    """Of ``others``, the documents naming one of ``people`` as holder and the addresses one of
    them names: the records that can add to their profiles."""
    ids = {person.id for person in people}
    addresses = {a for person in people for a in person.get("addressEntity")}
    return [
        other for other in others if ids.intersection(other.get("holder")) or other.id in addresses
    ]


def linked(entities: Sequence[Entity], profiles: Sequence[Profile | None]) -> list[Profile | None]:
    """The profiles of entities reported together (one report), each person's with what the
    others say of them. A profile's own id may differ from its entity's (a store's key)."""
    book = LinkBook()
    for entity, profile in zip(entities, profiles, strict=True):
        if profile is not None:
            book.note(entity.id, profile, links_of(entity, profile))
    if not book:
        return list(profiles)
    return [
        None if profile is None else book.apply(entity.id, profile)
        for entity, profile in zip(entities, profiles, strict=True)
    ]
