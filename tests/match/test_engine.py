from math import log2

from sirocco.entities import Entity, parse_entity
from sirocco.match.compare import compare
from sirocco.match.engine import Decision, Matcher, Thresholds, judge, name_bound
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
        judged = spared = spared_by_own = 0
        for profile in index.profiles:
            own_bound = name_bound(model, profile, index.frequencies)
            assert own_bound <= best_name
            for candidate in index.candidates(profile):
                full = compare(profile, candidate, index.frequencies, explain=False)
                apart = [o for o in full if o.feature != "name"]
                name = next(o for o in full if o.feature == "name")
                assert person.bits(name) <= own_bound + 1e-9
                spared += person.weight(apart) + best_name < need
                spared_by_own += person.weight(apart) + own_bound < need
                expected = thresholds.decide(probability(person.weight(full)))
                for bound in (None, own_bound):
                    hit = judge(model, profile, candidate, index.frequencies, thresholds, bound)
                    assert (hit.decision if hit else None) == expected
                judged += 1
        assert judged > 1000
        assert spared > judged // 10  # the test would notice a bound that never prunes
        assert spared_by_own >= spared


def test_a_common_name_bounds_its_own_pairs_more_tightly() -> None:
    """A common name, however well it agrees, weighs little: a record's own name's bound spares
    pairs the name comparison that the rarest name's bound could not, and decides them the
    same."""
    index = synth_index(300, 0, seed=4)
    namesakes = []
    for n in range(400):  # a name held by a great many people: a registration point's day
        # Born years apart (spared by either bound), or in the probe's year but of the other
        # gender and of no known nationality: short of a hit only because the name is common.
        year = 1950 + n % 60 if n % 4 else 1981
        more = {"nationality": ["AF"]} if n % 4 else {}
        namesakes.append(person(f"hu-{n}", "HU", name=["Mohammed Ahmadi"], gender=["female"],
                                birthDate=[f"{year}-03-{1 + n % 28:02d}"], **more))  # fmt: skip
        index.add(namesakes[-1])
    probe = person("at-1", "AT", name=["AHMADI<<MOHAMMED"], birthDate=["1981-07-09"],
                   nationality=["AF"], gender=["male"])  # fmt: skip
    model, thresholds = Model.default(), Thresholds()
    need = log2(thresholds.possible / (1 - thresholds.possible))
    person_model = model.kinds[Kind.PERSON]
    rarest = person_model.most_bits("name", index.frequencies.rarest_name(Kind.PERSON))
    own = name_bound(model, probe, index.frequencies)
    assert own < rarest - 2
    spared = spared_by_own = 0
    for candidate in namesakes:
        full = compare(probe, candidate, index.frequencies, explain=False)
        apart = person_model.weight(o for o in full if o.feature != "name")
        name = next(o for o in full if o.feature == "name")
        assert person_model.bits(name) <= own + 1e-9
        spared += apart + rarest < need
        spared_by_own += apart + own < need
        expected = thresholds.decide(probability(person_model.weight(full)))
        hit = judge(model, probe, candidate, index.frequencies, thresholds, own)
        assert (hit.decision if hit else None) == expected
    assert spared_by_own >= spared + 10  # deterministic: 400 against 386 when written
    assert name_bound(model, person("x", "AT", plate=[]), index.frequencies) >= 0
