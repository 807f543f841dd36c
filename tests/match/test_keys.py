from sirocco.match.index import DEFAULT_CAP, MemoryIndex
from tests.match.test_engine import person


def test_a_common_name_still_finds_one_persons_records_by_birth_date() -> None:
    index = MemoryIndex()
    for n in range(DEFAULT_CAP + 20):  # namesakes: the name alone is too common a key
        index.add(person(f"rs-{n}", "RS", name=["Мохамед Ахмади"]))
    typed = person("at-1", "AT", name=["AHMADI<<MOHAMMED"], birthDate=["04.03.1990"])
    swapped = person("de-1", "DE", name=["Mohammed Ahmadi"], birthDate=["1990-04-03"])
    year_typo = person("hu-1", "HU", name=["Ahmadi Mohamed"], birthDate=["1991-03-04"])
    year_only = person("hr-1", "HR", name=["Muhamed Ahmadi"], birthDate=["1990"])
    for p in (typed, swapped, year_typo, year_only):
        index.add(p)
    assert ("p2:ahmt|mhmt", DEFAULT_CAP + 24) in index.flagged()
    found = {c.id for c in index.candidates(typed)}
    assert found == {"de-1", "hu-1", "hr-1"}
