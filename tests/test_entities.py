from sirocco.entities import parse_entity


def test_valid_entity() -> None:
    parsed = parse_entity(
        {"id": "hu-1", "schema": "Person", "properties": {"name": ["Ion"], "birthDate": "1990"},
         "datasets": ["HU"]}, "line 1")  # fmt: skip
    assert parsed.problems == []
    assert parsed.entity is not None
    assert parsed.entity.get("birthDate") == ("1990",)
    assert parsed.entity.agency == "HU"


def test_unknown_property_is_named_and_the_rest_kept() -> None:
    parsed = parse_entity(
        {"id": "hu-1", "schema": "Person", "properties": {"name": ["Ion"], "shoeSize": ["44"]}},
        "line 1",
    )
    assert parsed.entity is not None and parsed.entity.get("name") == ("Ion",)
    assert [str(p) for p in parsed.problems] == [
        "hu-1: shoeSize: not a property of Person; ignored"
    ]


def test_unknown_schema_and_missing_id_name_the_record() -> None:
    assert str(parse_entity({"id": "x", "schema": "Spaceship"}, "line 3").problems[0]) == (
        "x: schema: unknown FollowTheMoney schema 'Spaceship'"
    )
    assert str(parse_entity({"schema": "Person"}, "line 4").problems[0]) == (
        "line 4: id: missing or not a string"
    )


def test_wrong_value_types_are_dropped_with_a_warning() -> None:
    parsed = parse_entity(
        {"id": "a", "schema": "Person", "properties": {"name": ["Ion", {"x": 1}], "phone": 5}}, "l"
    )
    assert parsed.entity is not None
    assert parsed.entity.get("name") == ("Ion",)
    assert parsed.entity.get("phone") == ("5",)
    assert [p.field for p in parsed.problems] == ["name"]
