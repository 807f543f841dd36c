from sirocco.entities import parse_entity
from sirocco.match.engine import Decision, Matcher
from sirocco.match.index import MemoryIndex
from sirocco.match.model import Model
from sirocco.match.profile import Profile, build_profile


def person(entity_id: str, agency: str, **properties: list[str]) -> Profile:
    entity = parse_entity(
        {"id": entity_id, "schema": "Person", "properties": properties, "datasets": [agency]}, "t"
    ).entity
    assert entity is not None
    profile, _ = build_profile(entity)
    assert profile is not None
    return profile


def test_live_match_explains_itself() -> None:
    index = MemoryIndex()
    index.add(person("rs-1", "RS", name=["Мухамед Ахмади"], birthDate=["1990-03-04"]))
    index.add(person("de-9", "DE", name=["Mohammed Ahmadi"], birthDate=["1985-07-12"]))
    matcher = Matcher(Model.default(), index)
    hits = matcher.match(person("at-1", "AT", name=["AHMADI<<MOHAMMED"], birthDate=["04.03.1990"]))
    assert [(h.right, h.decision) for h in hits] == [("rs-1", Decision.MATCH)]
    explanation = hits[0].explanation()
    features = {f["feature"]: f for f in explanation["features"]}
    assert features["name"]["level"] == "full"
    assert features["birth_date"]["level"] == "exact" and features["birth_date"]["weight"] > 0
    assert "birth_date exact" in explanation["summary"]


def test_a_record_is_never_its_own_hit() -> None:
    index = MemoryIndex()
    record = person("rs-1", "RS", name=["Marko Petrović"])
    index.add(record)
    assert Matcher(Model.default(), index).match(record) == []
