"""Reference lists loaded in bulk: stored with their keys and counts, matched by later reports."""

import json
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from sirocco.api import create_app
from sirocco.cli import main
from sirocco.entities import Entity
from sirocco.store.bulk import load_reference, settle
from sirocco.store.database import open_database, upgrade
from sirocco.store.operations import create_operation
from tests.test_api import auth, person


def test_a_loaded_list_is_matched_by_later_reports(database_url: str, tmp_path: Path) -> None:
    engine = open_database(database_url)
    upgrade(engine)
    tokens = create_operation(engine, "Sirocco-2", ["AT", "HU", "RS"])
    listed = tmp_path / "known.jsonl"
    lines = [
        {**person("k1", name=["Dragan Jovanović"], birthDate=["1975-02-11"]), "datasets": ["AT"]},
        {"id": "k2", "schema": "Vehicle", "properties": {"registrationNumber": ["W 1234 AB"]}},
        {**person("k3", name=["Someone Else"]), "datasets": ["HU"]},  # not AT's: skipped
        {"id": "k4", "schema": "Person", "properties": {"birthDate": ["1915-13-11"]}},  # bad date
    ]
    listed.write_text("".join(json.dumps(line) + "\n" for line in lines) + "{not json\n")
    result = CliRunner().invoke(main, ["load", "--db", database_url, "--operation", "Sirocco-2",
                                       "--agency", "AT", "--list", "known smugglers", str(listed)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 records of AT's 'known smugglers' loaded" in result.output
    assert "k3: datasets: not AT's" in result.output and "birthDate" in result.output
    with TestClient(create_app(engine, sweeps=False)) as client:
        answer = client.post("/api/v1/reports", headers=auth(tokens, "RS"), json={"id": "r1",
            "entities": [person("p", name=["Драган Јовановић"], birthDate=["11.02.1975"]),
                         {"id": "v", "schema": "Vehicle",
                          "properties": {"registrationNumber": ["W-1234-АВ"]}}]}).json()  # fmt: skip
        assert {(h["left"], h["right"]) for h in answer["hits"]} == {("p", "k1"), ("v", "k2")}
    bad = CliRunner().invoke(main, ["load", "--db", database_url, "--operation", "Sirocco-2",
                                    "--agency", "SK", "--list", "x", str(listed)])  # fmt: skip
    assert bad.exit_code == 2 and "takes no part" in bad.output
    engine.dispose()


def test_rows_without_a_usable_stored_profile_still_match(database_url: str) -> None:
    """Rows stored before profiles were kept with them, or by other normalisation code, are
    matched from their properties."""
    from sqlalchemy import select, update

    from sirocco.store.profiles import decode
    from sirocco.store.tables import entity

    engine = open_database(database_url)
    upgrade(engine)
    tokens = create_operation(engine, "Sirocco-2", ["AT", "RS"])
    with TestClient(create_app(engine, sweeps=False)) as client:
        for number, name in enumerate(["Dragan Jovanović", "Marko Petrović"]):
            client.post("/api/v1/reports", headers=auth(tokens, "AT"), json={"id": f"a{number}",
                        "entities": [person(f"k{number}", name=[name],
                                            birthDate=["1975-02-11"])]})  # fmt: skip
    with engine.begin() as connection:
        forms = connection.execute(select(entity.c.profile)).scalars().all()
        assert all(form for form in forms)  # a report's records are stored with their profiles
        connection.execute(update(entity).where(entity.c.entity_id == "k0").values(profile=None))
        connection.execute(
            update(entity).where(entity.c.entity_id == "k1").values(profile='["old", "person"]')
        )
    with TestClient(create_app(engine, sweeps=False)) as client:  # a new server: nothing cached
        answer = client.post("/api/v1/reports", headers=auth(tokens, "RS"), json={"id": "r1",
            "entities": [person("p0", name=["Драган Јовановић"], birthDate=["11.02.1975"]),
                         person("p1", name=["Марко Петровић"], birthDate=["11.02.1975"])]}).json()  # fmt: skip
    assert {(h["left"], h["right"]) for h in answer["hits"]} == {("p0", "k0"), ("p1", "k1")}
    with engine.connect() as connection:  # and their rows now have current forms
        repaired = dict(connection.execute(select(entity.c.entity_id, entity.c.profile)).all())
    for key in ("k0", "k1"):
        assert decode(repaired[key], "0", "AT") is not None
    engine.dispose()


def test_after_a_load_postings_are_read_from_the_index_alone(database_url: str) -> None:
    """The lookup of a key's postings needs no table row (migration 0008, ``settle``)."""
    engine = open_database(database_url)
    upgrade(engine)
    create_operation(engine, "Sirocco-2", ["AT"])
    people = [
        Entity(f"k{n}", "Person", {"name": (f"Ahmad Karimi{n}",)}, ("AT",)) for n in range(50)
    ]
    load_reference(engine, 1, "AT", "known", people)
    settle(engine)
    lookup = "SELECT entity_pk FROM match_key WHERE operation_id = 1 AND key = 'x'"
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET enable_seqscan = off")
            connection.exec_driver_sql("SET enable_bitmapscan = off")
            plan = " ".join(connection.exec_driver_sql(f"EXPLAIN {lookup}").scalars())
            assert "Index Only Scan using ix_match_key_postings" in plan, plan
        else:
            plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {lookup}"))  # fmt: skip
            assert "COVERING INDEX ix_match_key_postings" in plan, plan
    engine.dispose()


def test_a_listed_passport_counts_for_its_holder_in_the_same_chunk(database_url: str) -> None:
    from sqlalchemy import select

    from sirocco.store.profiles import decode
    from sirocco.store.tables import entity

    engine = open_database(database_url)
    upgrade(engine)
    create_operation(engine, "Sirocco-2", ["AT", "RS"])
    listed = [
        Entity("k1", "Person", {"name": ("Dragan Jovanović",)}, ("AT",)),
        Entity("k1-pp", "Passport", {"number": ("P7654321",), "holder": ("k1",)}, ("AT",)),
    ]
    load_reference(engine, 1, "AT", "known", listed)
    with engine.connect() as connection:
        row = connection.execute(select(entity).where(entity.c.entity_id == "k1")).one()
    stored = decode(row.profile, str(row.id), row.agency)
    assert stored is not None and stored.documents == frozenset({"P7654321"})
    engine.dispose()
