from math import log2

from sirocco.entities import Entity, parse_entity
from sirocco.match.compare import compare
from sirocco.match.engine import Decision, Matcher, Thresholds, judge
from sirocco.match.estimate import estimate_model
from sirocco.match.index import MemoryIndex
from sirocco.match.model import Model, probability
from sirocco.match.profile import Kind, Profile, build_profile
from sirocco.synth.cases import iter_cases


def person(entity_id: str, agency: str, **properties: list[str]) -> Profile:
    entity = parse_entity(
        {"id": entity_id, "schema": "Person", "properties": properties, "datasets": [agency]}, "t"
    ).entity
    assert entity is not None
    profile, _ = build_profile(entity)
    assert profile is not None
    return profile


def synth_index(people: int, vehicles: int, seed: int) -> MemoryIndex:
    """An index of the generator's records."""
    index = MemoryIndex()
    for item, _identity in iter_cases(people, vehicles, seed=seed):
        props = {k: tuple(v) for k, v in item["properties"].items()}
        built, _ = build_profile(Entity(item["id"], item["schema"], props, tuple(item["datasets"])))
        if built is not None:
            index.add(built)
    return index


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


def test_pairs_left_unnamed_are_those_no_name_could_save() -> None:
    """Two people whose other features rule out a hit are not compared by name: the bound must
    hold for every pair (the name never weighs more than ``most_bits``), and judging with it must
    decide exactly as judging without it."""
    index = synth_index(400, 0, seed=9)
    thresholds = Thresholds()
    need = log2(thresholds.possible / (1 - thresholds.possible))
    for model in (Model.default(), estimate_model(index)):
        person = model.kinds[Kind.PERSON]
        best_name = person.most_bits("name", index.frequencies.rarest_name(Kind.PERSON))
        judged = spared = 0
        for profile in index.profiles:
            for candidate in index.candidates(profile):
                full = compare(profile, candidate, index.frequencies, explain=False)
                apart = [o for o in full if o.feature != "name"]
                name = next(o for o in full if o.feature == "name")
                assert person.bits(name) <= best_name
                spared += person.weight(apart) + best_name < need
                expected = thresholds.decide(probability(person.weight(full)))
                hit = judge(model, profile, candidate, index.frequencies, thresholds)
                assert (hit.decision if hit else None) == expected
                judged += 1
        assert judged > 1000
        assert spared > judged // 10  # the test would notice a bound that never prunes
