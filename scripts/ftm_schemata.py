"""Write src/sirocco/ftm_schemata.json from the installed followthemoney (see sirocco.schemata).

.venv/bin/python scripts/ftm_schemata.py
"""

from pathlib import Path

import orjson


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


if __name__ == "__main__":
    path = Path(__file__).parent.parent / "src" / "sirocco" / "ftm_schemata.json"
    path.write_bytes(orjson.dumps(table(), option=orjson.OPT_INDENT_2) + b"\n")
    print(f"wrote {path}")
