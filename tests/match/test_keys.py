import pytest

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


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Nicola Kowatsch", "16.12.2000"), ("Nikola Kovacs", "01.01.2000")),  # a placeholder
        (("Besnik Krasniqi", "1968-02-14"), ("Бесник Красници", None)),  # undated
        (("Đorđe Kovacs", "1996"), ("Dorde Kovacs", "1996-04-06")),  # đ typed as d
        (("Sadik Achtar", "1968-12-02"), ("Садик Актар", "01.01.1968")),
        (("Zabihullah Noori", "1990-05-17"), ("Sabiullah Nuri", "01.01.1990")),  # z as s
    ],
)
def test_a_name_spelt_otherwise_in_one_part_is_still_a_candidate(
    one: tuple[str, str | None], other: tuple[str, str | None]
) -> None:
    """One part agrees in sound, the other only in spelling: their skeletons differ, so no key
    of two skeletons and no key of the birth date (one is a placeholder) brings them together."""
    index = MemoryIndex()
    records = []
    for n, (name, born) in enumerate((one, other)):
        dates = {"birthDate": [born]} if born else {}
        records.append(person(f"r-{n}", ("RS", "HR")[n], name=[name], **dates))
        index.add(records[-1])
    assert {c.id for c in index.candidates(records[0])} == {"r-1"}


def test_a_half_name_is_too_crowded_to_scan_sooner_than_other_keys() -> None:
    """Forty Karimis whose given names start with M share the half name krm|m: fewer than the
    cap, but more than a half name may gather. Only the namesake by both parts is found."""
    index = MemoryIndex()
    givens = ["Mahdi", "Majid", "Mansur", "Marwan", "Masud", "Milad", "Mirwais", "Murad"]
    for n in range(40):
        index.add(person(f"hr-{n}", "HR", name=[f"{givens[n % len(givens)]} Karimi"]))
    mustafa = person("rs-1", "RS", name=["Мустафа Карими"])
    index.add(mustafa)
    index.add(person("de-1", "DE", name=["Mustafa Karimi"]))
    assert ("ph:krm|m", 42) in index.flagged()
    assert {c.id for c in index.candidates(mustafa)} == {"de-1"}
