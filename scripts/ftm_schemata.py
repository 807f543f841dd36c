"""Write the tables sirocco.schemata reads, from the installed followthemoney and rigour:
src/sirocco/ftm_schemata.json (schemata and genders) and src/sirocco/territories.json
(the names and codes rigour reads countries by).

.venv/bin/python scripts/ftm_schemata.py
"""

from pathlib import Path

import orjson

PACKAGE = Path(__file__).parent.parent / "src" / "sirocco"


def table() -> dict[str, object]:
    import followthemoney
    from followthemoney import model
    from followthemoney.types import registry

    return {
        "followthemoney": followthemoney.__version__,
        "schemata": {
            name: {"properties": sorted(schema.properties), "is": sorted(schema.names)}
            for name, schema in sorted(model.schemata.items())
        },
        "genders": {
            "codes": sorted(registry.gender.codes),
            "lookup": dict(sorted(registry.gender.LOOKUP.items())),
        },
    }


def territories() -> dict[str, object]:
    """The two maps rigour's ``lookup_territory`` reads a country by, each to the code
    followthemoney gives (null where it gives none): codes (``clean_code``), looked up first,
    then names (``normalize_territory_name``). rigour builds the names' map on first use, by
    transliterating 25,000 names: 1 to 3 s in each process that reads countries."""
    from importlib.metadata import version

    from rigour.territories.lookup import _get_identifier_map, _get_territory_names

    return {
        "rigour": version("rigour"),
        "codes": {code: t.ftm_country for code, t in sorted(_get_identifier_map().items())},
        "names": {name: t.ftm_country for name, t in sorted(_get_territory_names().items())},
    }


def encoded(data: dict[str, object]) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


if __name__ == "__main__":
    for name, data in [("ftm_schemata.json", table()), ("territories.json", territories())]:
        (PACKAGE / name).write_bytes(encoded(data))
        print(f"wrote {PACKAGE / name}")
