"""The database as a candidate source: crowded keys are remembered, once committed."""

from dataclasses import replace
from typing import Any

from sqlalchemy import event, select

from sirocco.access import Release, StoredEntity
from sirocco.entities import Entity
from sirocco.match.keys import candidate_keys, key_cap
from sirocco.match.profile import Profile, build_profile
from sirocco.store.bulk import load_reference
from sirocco.store.candidates import ProfileCache, StoreIndex
from sirocco.store.database import open_database, upgrade
from sirocco.store.operations import create_operation
from sirocco.store.tables import operation


def _person(entity_id: str, name: str, phone: str) -> Entity:
    return Entity(entity_id, "Person", {"name": (name,), "phone": (phone,)}, ("AT",))


def _profile(entity: Entity) -> Profile:
    profile, _ = build_profile(entity)
    assert profile is not None
    return profile


def test_a_key_found_crowded_is_not_read_again_once_committed(database_url: str) -> None:
    engine = open_database(database_url)
    upgrade(engine)
    create_operation(engine, "Sirocco-2", ["AT", "RS"])
    with engine.connect() as connection:
        operation_id = connection.execute(select(operation.c.id)).scalar_one()
    # Three namesakes (a crowded name for a cap of two), one of them with a known phone.
    load_reference(engine, operation_id, "AT", "namesakes", [
        _person("a", "Ahmad Karimi", "+436601111111"),
        _person("b", "Ahmad Karimi", "+436602222222"),
        _person("c", "Ahmad Karimi", "+436603333333"),
    ])  # fmt: skip
    probe = _profile(_person("", "Ahmad Karimi", "+436603333333"))
    names = {key for key in candidate_keys(probe) if not key.startswith("tel:")}
    statements: list[Any] = []
    event.listen(engine, "before_cursor_execute",
                 lambda *args: statements.append(args[3]))  # fmt: skip
    cache = ProfileCache()

    def read(commit: bool) -> list[str]:
        with engine.connect() as connection:
            index = StoreIndex(connection, operation_id, cap=2, cache=cache)
            found = [p.id for p in index.candidates(probe)]
            if commit:
                index.publish()
        return found

    statements.clear()
    assert len(read(commit=False)) == 1  # the phone finds one; the name is too common
    assert any(set(map(str, params)) & names for params in _parameters(statements))
    assert all(cache.crowded(operation_id, key) == 0 for key in names)  # not committed

    assert len(read(commit=True)) == 1
    assert all(cache.crowded(operation_id, key) == key_cap(key, 2) + 1 for key in names)
    statements.clear()
    assert len(read(commit=False)) == 1  # the same answer, without reading the name's postings
    assert not any(set(map(str, params)) & names for params in _parameters(statements))
    engine.dispose()


def test_a_half_name_is_crowded_at_a_third_of_the_cap(database_url: str) -> None:
    """Five Karimis whose given names start with A: the half name krm|a is held by more than a
    third of a cap of six, so only the namesake by both parts is a candidate."""
    engine = open_database(database_url)
    upgrade(engine)
    create_operation(engine, "Sirocco-2", ["AT", "RS"])
    with engine.connect() as connection:
        operation_id = connection.execute(select(operation.c.id)).scalar_one()
    givens = ("Ahmad", "Ali", "Amir", "Anwar", "Asad")
    load_reference(engine, operation_id, "AT", "karimis", [
        _person(given.lower(), f"{given} Karimi", f"+43660{n}000000")
        for n, given in enumerate(givens)
    ])  # fmt: skip
    probe = _profile(_person("", "Ахмад Карими", "+381601234567"))
    cache = ProfileCache()
    with engine.connect() as connection:
        index = StoreIndex(connection, operation_id, cap=6, cache=cache)
        found = [p.id for p in index.candidates(probe)]
        index.publish()
    assert len(found) == 1
    assert cache.crowded(operation_id, "ph:krm|a") == 3
    engine.dispose()


def _parameters(statements: list[Any]) -> list[list[Any]]:
    found = []
    for params in statements:
        if isinstance(params, dict):
            found.append(list(params.values()))
        elif isinstance(params, (list, tuple)):
            found.append(list(params))
    return found


def test_candidates_come_with_their_owner_release_and_category(database_url: str) -> None:
    """What deciding who may see a hit needs is read with the candidates' profiles, and kept
    with them: a hit on a candidate is not read again."""
    engine = open_database(database_url)
    upgrade(engine)
    create_operation(engine, "Sirocco-2", ["AT", "RS"])
    with engine.connect() as connection:
        operation_id = connection.execute(select(operation.c.id)).scalar_one()
    release = {"handling_code": "H2", "distribution": "agencies", "agencies": ["AT", "RS"]}
    load_reference(engine, operation_id, "AT", "known",
                   [_person("k1", "Ahmad Karimi", "+436601111111")], release=release)  # fmt: skip
    probe = _profile(_person("", "Ahmad Karimi", "+436601111111"))
    cache = ProfileCache()
    expected = StoredEntity(0, "AT", "k1", Release.from_dict(release), None)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    for round_ in ("read", "kept"):
        statements.clear()
        with engine.connect() as connection:
            index = StoreIndex(connection, operation_id, cache=cache)
            (found,) = index.candidates(probe)
            index.publish()
        assert index.records == {int(found.id): replace(expected, pk=int(found.id))}, round_
        reads = [s for s in statements if "FROM entity" in s]
        assert len(reads) == (1 if round_ == "read" else 0), round_
    engine.dispose()


def test_a_rebuilt_person_takes_in_only_what_its_reports_records_say_of_it() -> None:
    from types import SimpleNamespace

    from sirocco.store.candidates import profiles_of_rows, rebuilt_profiles

    def row(pk: int, report: int, entity_id: str, schema: str, **properties: list[str]) -> Any:
        return SimpleNamespace(id=pk, report_id=report, entity_id=entity_id, schema=schema,
                               properties=properties, agency="AT", profile=None)  # fmt: skip

    rows = [
        row(1, 10, "p1", "Person", name=["Muhamed Ahmadi"], addressEntity=["a1"]),
        row(2, 10, "pp1", "Passport", number=["P1234567"], holder=["p1"]),
        row(3, 10, "pp2", "Passport", number=["P7654321"], holder=["p2"]),
        row(4, 10, "a1", "Address", full=["Laxenburger Straße 12, Wien"]),
        row(5, 11, "pp3", "Passport", number=["P5555555"], holder=["p1"]),  # another report's p1
    ]
    (person,) = rebuilt_profiles(rows[:1], rows).values()
    assert person is not None and person.id == "1"
    assert person.documents == frozenset({"P1234567"})
    assert person.address == "laxenburger strasse 12 wien"
    assert (
        rebuilt_profiles(rows[:1])[1]
        == build_profile(
            Entity("1", "Person", {"name": ("Muhamed Ahmadi",), "addressEntity": ("a1",)}, ("AT",))
        )[0]
    )  # nothing around: the row alone
    everything = profiles_of_rows(rows)  # an operation's rows read in full, as a sweep reads them
    assert everything[1] == person
    assert everything[2] is not None and everything[2].documents == frozenset({"P1234567"})
