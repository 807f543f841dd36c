from sirocco.match.compare import compare
from sirocco.match.index import MemoryIndex
from sirocco.match.model import Model
from sirocco.match.profile import Profile
from tests.match.test_engine import person, synth_index


def _name(a: Profile, b: Profile, index: MemoryIndex) -> tuple[str, float | None]:
    name = next(o for o in compare(a, b, index.frequencies) if o.feature == "name")
    return name.level, name.frequency


def test_a_rare_spelling_of_a_common_name_weighs_as_the_common_name() -> None:
    index = MemoryIndex()
    for n in range(30):  # Mohamed Al-Masri is common here; each other spelling is written once
        index.add(person(f"bg-{n}", "BG", name=["Мохамед Ал-Масри"], birthDate=[f"{1960 + n}"]))
    usual = person("hu-1", "HU", name=["Mohamed Al-Masri"])
    index.add(usual)
    for n, written in enumerate(("Almasri Mohamed", "ELMASRI<<MOHAMED", "Mohamed Almassri")):
        rare = person(f"hr-{n}", "HR", name=[written])
        index.add(rare)
        common = _name(usual, index.profiles[0], index)[1]
        assert _name(rare, usual, index) == ("exact", common), written


def test_namesakes_born_years_apart_weigh_against_more_than_a_near_year() -> None:
    model = Model.default().kinds[person("x", "AT").kind]
    index = MemoryIndex()
    base = person("mk-1", "MK", name=["Забиулах Карими"], birthDate=["1995-05-20"])
    near = person("rs-1", "RS", name=["Zabiulah Karimi"], birthDate=["1994-11-02"])
    far = person("rs-2", "RS", name=["Zabiulah Karimi"], birthDate=["1986-01-28"])
    for p in (base, near, far):
        index.add(p)

    def date_weight(other: Profile) -> float:
        date = next(o for o in compare(base, other, index.frequencies) if o.feature == "birth_date")
        return model.contribution(date).weight

    assert date_weight(near) < 0
    assert date_weight(far) < date_weight(near)


def test_unexplained_comparisons_weigh_as_explained_ones() -> None:
    """The hot path leaves out details nobody reads: the levels and frequencies, and so the
    weights, must be exactly those of the explained comparison."""
    index = synth_index(300, 80, seed=5)
    model = Model.default()
    compared = 0
    for profile in index.profiles:
        for candidate in index.candidates(profile):
            explained = compare(profile, candidate, index.frequencies)
            bare = compare(profile, candidate, index.frequencies, explain=False)
            assert [(o.feature, o.level, o.frequency) for o in bare] == [
                (o.feature, o.level, o.frequency) for o in explained
            ]
            kind = model.kinds[profile.kind]
            assert kind.weight(bare) == kind.weight(explained)
            compared += 1
    assert compared > 1000


def test_what_brothers_share_is_not_weighed_beside_a_relatives_name() -> None:
    """Omar and Tarik Karimi share a family name, a father, a phone and an address: beside a
    name that agrees in one part and differs in another, those agreements say nothing about
    being one man. A disagreement still counts, and one man's records keep their agreements."""
    index = MemoryIndex()
    family = {
        "fatherName": ["Nasir"],
        "phone": ["+43 664 1234567"],
        "address": ["Hauptstr. 1, Wien"],
    }
    omar = person("at-1", "AT", name=["Omar Karimi"], **family)
    tarik = person("de-1", "DE", name=["Tarik Karimi"], **family)
    omar_again = person("hu-1", "HU", name=["KARIMI<<OMAR"], **family)
    cousin = person("rs-1", "RS", name=["Tarik Karimi"], phone=["+381 64 1234567"])
    for p in (omar, tarik, omar_again, cousin):
        index.add(p)

    def levels(a: Profile, b: Profile) -> dict[str, str]:
        return {o.feature: o.level for o in compare(a, b, index.frequencies)}

    assert levels(omar, tarik)["name"] == "one"
    for feature in ("phone", "address", "father"):
        assert levels(omar, tarik)[feature] == "missing"
        assert levels(omar, omar_again)[feature] != "missing"
    assert levels(omar, cousin)["phone"] == "disagree"
    single = person("ch-1", "CH", name=["Karimi"], phone=["+43 664 1234567"])
    assert levels(omar, single)["phone"] == "agree"  # nothing in the name differs
