"""Fixtures built by code from sirocco.synth, never hand-typed blobs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sirocco.synth.cases import iter_cases


def write_cases(path: Path, people: int, vehicles: int, seed: int) -> dict[str, str]:
    truth: dict[str, str] = {}
    with path.open("w", encoding="utf-8") as handle:
        for entity, identity in iter_cases(people, vehicles, seed=seed):
            truth[entity["id"]] = identity
            handle.write(json.dumps(entity, ensure_ascii=False) + "\n")
    return truth


@pytest.fixture(scope="session")
def action_day_cases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """About 2,500 person and vehicle records from ten agencies, with ground truth."""
    path = tmp_path_factory.mktemp("cases") / "cases.jsonl"
    return path, write_cases(path, people=1000, vehicles=300, seed=7)
