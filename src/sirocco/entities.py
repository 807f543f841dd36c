"""FollowTheMoney-shaped entities: reading and validating them without losing what is good.

An entity is ``{"id", "schema", "properties": {name: [str, ...]}, "datasets": [agency]}``. Bad
input never stops a run: each problem becomes a ``Problem`` naming the record and the field,
and the rest of the record still counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sirocco.schemata import model


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in the input, named precisely enough to find and fix it."""

    record: str  # the entity id, or "line N" when there is no id
    field: str  # the property or key
    message: str

    def __str__(self) -> str:
        return f"{self.record}: {self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    schema: str
    properties: Mapping[str, tuple[str, ...]]
    datasets: tuple[str, ...] = ()

    def get(self, prop: str) -> tuple[str, ...]:
        return self.properties.get(prop, ())

    @property
    def agency(self) -> str | None:
        return self.datasets[0] if self.datasets else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "schema": self.schema,
            "properties": {k: list(v) for k, v in self.properties.items()},
            "datasets": list(self.datasets),
        }


@dataclass(slots=True)
class ParsedEntity:
    entity: Entity | None
    problems: list[Problem] = field(default_factory=list)


def _strings(value: Any) -> tuple[list[str], bool]:
    """A property's values as strings; the flag says whether any value had to be dropped."""
    if isinstance(value, str):
        return [value], False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [str(value)], False
    if isinstance(value, list):
        if all(type(v) is str for v in value):  # as nearly every record has them
            return [v for v in value if v.strip()], False
        kept = [
            str(v) for v in value if isinstance(v, str | int | float) and not isinstance(v, bool)
        ]
        return [v for v in kept if v.strip()], len(kept) != len(value)
    return [], True


def parse_entity(data: Any, where: str) -> ParsedEntity:
    """Validate one decoded JSON object against the FollowTheMoney model.

    ``where`` names the record when it has no usable id (e.g. ``"line 12"``).
    """
    if not isinstance(data, dict):
        return ParsedEntity(None, [Problem(where, "(record)", "not a JSON object")])
    entity_id = data.get("id")
    if not isinstance(entity_id, str | int) or not str(entity_id).strip():
        return ParsedEntity(None, [Problem(where, "id", "missing or not a string")])
    record = str(entity_id)
    schema_name = data.get("schema")
    schema = model.get(schema_name) if isinstance(schema_name, str) else None
    if schema is None:
        return ParsedEntity(
            None, [Problem(record, "schema", f"unknown FollowTheMoney schema {schema_name!r}")]
        )
    problems: list[Problem] = []
    raw_properties = data.get("properties", {})
    if not isinstance(raw_properties, dict):
        problems.append(Problem(record, "properties", "not an object; ignored"))
        raw_properties = {}
    properties: dict[str, tuple[str, ...]] = {}
    for name, value in raw_properties.items():
        if name not in schema.properties:
            problems.append(Problem(record, str(name), f"not a property of {schema.name}; ignored"))
            continue
        values, dropped = _strings(value)
        if dropped:
            problems.append(Problem(record, name, "values must be strings; others ignored"))
        if values:
            properties[name] = tuple(values)
    datasets_raw = data.get("datasets", [])
    if isinstance(datasets_raw, str):
        datasets_raw = [datasets_raw]
    if not isinstance(datasets_raw, list):
        problems.append(Problem(record, "datasets", "not a list of strings; ignored"))
        datasets_raw = []
    datasets = tuple(str(d) for d in datasets_raw if isinstance(d, str) and d.strip())
    return ParsedEntity(Entity(record, schema.name, properties, datasets), problems)
