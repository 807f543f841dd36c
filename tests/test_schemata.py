import importlib.util
from pathlib import Path

import orjson
import pytest
from followthemoney import model as ftm_model
from followthemoney.types import registry

from sirocco.schemata import TABLE, country, gender, model, read_table

SCRIPT = Path(__file__).parent.parent / "scripts" / "ftm_schemata.py"


def _written_now() -> bytes:
    spec = importlib.util.spec_from_file_location("ftm_schemata", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return orjson.dumps(script.table(), option=orjson.OPT_INDENT_2) + b"\n"


def test_the_table_is_what_the_installed_followthemoney_says() -> None:
    """Upgrading followthemoney without writing the table again fails here: run
    ``.venv/bin/python scripts/ftm_schemata.py``."""
    assert TABLE.read_bytes() == _written_now()
    assert read_table(_written_now()) == model


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
     "nowhere", "", "  ", "\u0000DE", "Q183"],
)  # fmt: skip
def test_countries_are_read_as_followthemoney_reads_them(value: str) -> None:
    assert country(value) == registry.country.clean(value)


@pytest.mark.parametrize(
    "value", ["m", "M", "male", "Female", "weiblich", "женский", " f ", "o", "d", "x", "", "man"]
)
def test_genders_are_read_as_followthemoney_reads_them(value: str) -> None:
    assert gender(value) == registry.gender.clean(value)
