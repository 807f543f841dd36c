from collections import Counter

from sirocco.entities import parse_entity
from sirocco.synth.cases import iter_cases
from sirocco.synth.habits import AGENCIES


def test_deterministic_per_seed() -> None:
    assert list(iter_cases(50, 10, seed=3)) == list(iter_cases(50, 10, seed=3))
    assert list(iter_cases(50, 10, seed=3)) != list(iter_cases(50, 10, seed=4))


def test_records_are_valid_followthemoney_from_all_agencies() -> None:
    cases = list(iter_cases(400, 100, seed=1))
    agencies = Counter(entity["datasets"][0] for entity, _ in cases)
    assert set(agencies) == set(AGENCIES)
    for entity, _ in cases:
        assert parse_entity(entity, "t").problems == []


def test_identities_recur_across_agencies_in_several_scripts() -> None:
    cases = list(iter_cases(300, 0, seed=2))
    by_identity: dict[str, list[dict[str, object]]] = {}
    for entity, identity in cases:
        by_identity.setdefault(identity, []).append(entity)
    recurring = [records for records in by_identity.values() if len(records) > 1]
    assert len(recurring) > 100
    texts = " ".join(str(e["properties"]) for e, _ in cases)
    assert any("\u0400" <= c <= "\u04ff" for c in texts)  # Cyrillic
    assert "<<" in texts  # machine-readable zones
