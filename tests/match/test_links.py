from sirocco.entities import Entity, Problem
from sirocco.match.dates import BirthDate
from sirocco.match.links import LinkBook, Said, enrich, links_of
from sirocco.match.profile import Profile, build_profile


def entity(id: str, schema: str, agency: str = "AT", **properties: str | list[str]) -> Entity:
    values = {k: tuple(v) if isinstance(v, list) else (v,) for k, v in properties.items()}
    return Entity(id, schema, values, (agency,))


def profile(item: Entity) -> Profile:
    built, problems = build_profile(item)
    assert built is not None and not problems
    return built


def test_a_passport_says_its_number_birth_date_and_country_of_its_holder() -> None:
    passport = entity("pp", "Passport", number="P 123 456", birthDate="12.05.1991",
                      country="Afghanistan", holder="p1")  # fmt: skip
    links = links_of(passport, profile(passport))
    assert links is not None
    (said,) = links.said
    assert said.about == "p1" and said.by == "pp"
    assert said.documents == frozenset({"P123456"})
    assert said.birth_dates == (BirthDate(1991, 5, 12),)
    assert said.nationalities == frozenset({"af"})


def test_a_residence_permit_is_issued_by_where_its_holder_is_not_by_their_country() -> None:
    permit = entity("rp", "Identification", number="AT1234567", country="AT", holder="p1")
    links = links_of(permit, profile(permit))
    assert links is not None
    assert links.said[0].documents == frozenset({"AT1234567"})
    assert links.said[0].nationalities == frozenset()


def test_an_identity_card_without_a_holder_names_nobody() -> None:
    card = entity("id", "Identification", number="1234567")
    assert links_of(card, profile(card)) is None


def test_an_unreadable_birth_date_on_a_passport_is_a_problem_naming_it() -> None:
    passport = entity("pp", "Passport", number="P7654321", birthDate="1915-13-11", holder="p1")
    problems: list[Problem] = []
    links = links_of(passport, profile(passport), problems)
    assert links is not None and links.said[0].documents == frozenset({"P7654321"})
    assert [(p.record, p.field) for p in problems] == [("pp", "birthDate")]


def test_a_person_takes_in_what_is_said_of_them_and_keeps_their_own() -> None:
    person = profile(entity("p1", "Person", name="Muhamed Ahmadi", birthDate="1991-01-01",
                            passportNumber="X9876543"))  # fmt: skip
    said = Said("p1", "pp", frozenset({"P123456"}), (BirthDate(1991, 5, 12),), frozenset({"af"}))
    enriched = enrich(person, [said], ["hauptstrasse 1 wien"])
    assert enriched.documents == frozenset({"X9876543", "P123456"})
    assert enriched.nationalities == frozenset({"af"})
    assert enriched.birth_dates == (BirthDate(1991, 1, 1), BirthDate(1991, 5, 12))
    assert enriched.address == "hauptstrasse 1 wien"
    assert enriched.fingerprint != person.fingerprint  # it says more: a new fingerprint
    assert enriched.names == person.names


def test_nothing_new_leaves_the_profile_as_it_was() -> None:
    person = profile(entity("p1", "Person", name="Muhamed Ahmadi", passportNumber="P7654321"))
    assert enrich(person, [Said("p1", "pp", frozenset({"P7654321"}))], []) is person


def test_the_book_gives_each_person_what_the_records_read_say_wherever_they_were() -> None:
    records = [
        entity("p1", "Person", name="Muhamed Ahmadi", addressEntity="a1"),
        entity("pp", "Passport", number="P7654321", holder="p1"),
        entity("a1", "Address", full="Hauptstraße 1, Wien"),
        entity("p2", "Person", name="Ali Karimi", addressEntity="elsewhere"),
    ]
    book = LinkBook()
    for item in reversed(records):  # the order of reading does not matter
        built = profile(item)
        book.note(item.id, built, links_of(item, built))
    first, second = (book.apply(item.id, profile(item)) for item in (records[0], records[3]))
    assert first.documents == frozenset({"P7654321"})
    assert first.address == "hauptstrasse 1 wien"
    assert second == profile(records[3])  # an address not read adds nothing
