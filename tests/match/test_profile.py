from hypothesis import given
from hypothesis import strategies as st

from sirocco.entities import parse_entity
from sirocco.match.profile import Kind, build_profile


def profile_of(data: dict[str, object]):  # type: ignore[no-untyped-def]
    entity = parse_entity(data, "test").entity
    assert entity is not None
    return build_profile(entity)


def test_person_profile_normalises_once() -> None:
    profile, problems = profile_of(
        {"id": "hu-1", "schema": "Person", "datasets": ["HU"],
         "properties": {"firstName": ["Muhamed"], "lastName": ["Ahmadi"], "birthDate": ["04.03.1990"],
                        "phone": ["06 30 123 4567"], "nationality": ["Syria"], "gender": ["m"],
                        "passportNumber": ["n 0123456"]}})  # fmt: skip
    assert problems == []
    assert profile is not None and profile.kind is Kind.PERSON
    assert [p.latin for p in profile.names] == ["muhamed", "ahmadi"]
    assert profile.phones == {"+36301234567"}
    assert profile.nationalities == {"sy"}
    assert profile.gender == "male"
    assert profile.documents == {"N0123456"}


def test_bad_values_are_reported_and_the_rest_counts() -> None:
    profile, problems = profile_of(
        {"id": "hu-2", "schema": "Person", "datasets": ["HU"],
         "properties": {"name": ["Ion Popescu"], "birthDate": ["1915-13-11"],
                        "nationality": ["Atlantis"]}})  # fmt: skip
    assert profile is not None and [p.latin for p in profile.names] == ["ion", "popescu"]
    assert {(p.record, p.field) for p in problems} == {
        ("hu-2", "birthDate"),
        ("hu-2", "nationality"),
    }


def test_events_are_not_matched() -> None:
    profile, _ = profile_of({"id": "e", "schema": "Event", "properties": {"name": ["Incident"]}})
    assert profile is None


def test_gender_in_the_regions_languages() -> None:
    for written, expected in (("Мушки", "male"), ("männlich", "male"), ("ж", "female"),
                              ("nő", "female"), ("F", "female")):  # fmt: skip
        profile, problems = profile_of(
            {"id": "x", "schema": "Person", "properties": {"name": ["Ion"], "gender": [written]}}
        )
        assert profile is not None and profile.gender == expected, written
        assert problems == []


@given(
    st.sampled_from(["Person", "Vehicle", "Passport", "Address", "Organization"]),
    st.dictionaries(
        st.sampled_from(["name", "firstName", "lastName", "fatherName", "birthDate", "phone",
                         "nationality", "gender", "passportNumber", "idNumber", "address",
                         "registrationNumber", "country", "model", "number", "full"]),
        st.lists(st.text(max_size=30), max_size=3),
    ),
    st.sampled_from(["HU", "RS", "", "EUROPOL"]),
)  # fmt: skip
def test_any_text_in_any_property_never_raises(
    schema: str, properties: dict[str, list[str]], agency: str
) -> None:
    entity = parse_entity(
        {"id": "x", "schema": schema, "properties": properties, "datasets": [agency]}, "t"
    ).entity
    assert entity is not None
    profile, problems = build_profile(entity)
    assert profile is not None
    assert all(p.record == "x" for p in problems)
