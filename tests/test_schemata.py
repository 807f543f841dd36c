import importlib.util
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model as ftm_model
from followthemoney.types import registry
from rigour.territories import lookup_territory
from rigour.territories.lookup import _get_territory_names

from sirocco.schemata import (
    TABLE,
    TERRITORIES,
    country,
    gender,
    model,
    read_table,
    read_territories,
    territories,
)

SCRIPT = Path(__file__).parent.parent / "scripts" / "ftm_schemata.py"


def _script() -> Any:
    spec = importlib.util.spec_from_file_location("ftm_schemata", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def test_the_table_is_what_the_installed_followthemoney_says() -> None:
    """Upgrading followthemoney without writing the table again fails here: run
    ``.venv/bin/python scripts/ftm_schemata.py``."""
    script = _script()
    written_now = script.encoded(script.table())
    assert TABLE.read_bytes() == written_now
    assert read_table(written_now) == model


def test_the_territories_are_what_the_installed_rigour_says() -> None:
    """Upgrading rigour without writing the maps again fails here (the same script)."""
    script = _script()
    written_now = script.encoded(script.territories())
    assert TERRITORIES.read_bytes() == written_now
    assert read_territories(written_now) == territories()


def test_names_of_territories_are_read_as_rigour_reads_them() -> None:
    """Names as rigour lists them and as people write them: unnormalised, in other cases,
    with punctuation; every 50th of the 25,000 (each costs a transliteration)."""
    names = sorted(_get_territory_names())[::50]
    written = [v for n in names for v in (n, n.upper(), f" {n.title()}. ", n.replace(" ", "-"))]
    for value in written:
        found = lookup_territory(value)
        assert territories().lookup(value) == (found.ftm_country if found else None), value


def test_schemata_read_from_the_table_are_followthemoneys() -> None:
    assert set(model.schemata) == set(ftm_model.schemata)
    for name, schema in ftm_model.schemata.items():
        ours = model.get(name)
        assert ours is not None
        assert ours.properties == set(schema.properties)
        for other in ftm_model.schemata:
            assert ours.is_a(other) == schema.is_a(other), (name, other)
    assert model.get("Vessel2") is None


@pytest.mark.parametrize(
    "value",
    ["AFG", "AF", "Afghanistan", " Syria ", "Syrian Arab Republic", "SRB", "Србија", "Serbia",
     "Deutschland", "Kosovo", "XK", "North Macedonia", "Türkiye", "Turkey", "hu", "Magyarország",
     "nowhere", "", "  ", "\u0000DE", "Q183", "Q1246", "Авганистан", "Сирија", "SYRIEN", "Irak",
     "Islamic Republic of Iran", "Bosna i Hercegovina", "Republika e Kosovës", "Pakistan ", "dza",
     "GB-SCT", "Yugoslavia", "Palestine", "Palestinian Territory", "Sverige", "Österreich"],
)  # fmt: skip
def test_countries_are_read_as_followthemoney_reads_them(value: str) -> None:
    assert country(value) == registry.country.clean(value)


@pytest.mark.parametrize(
    "value", ["m", "M", "male", "Female", "weiblich", "женский", " f ", "o", "d", "x", "", "man"]
)
def test_genders_are_read_as_followthemoney_reads_them(value: str) -> None:
    assert gender(value) == registry.gender.clean(value)
