import json
import random
from pathlib import Path

from click.testing import CliRunner

from sirocco.cli import main
from sirocco.evaluation import score_pairs


def run_xmatch(*paths: Path, out: Path) -> list[dict[str, object]]:
    result = CliRunner().invoke(main, ["xmatch", "--quiet", "--out", str(out), *map(str, paths)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text().splitlines()]


def as_set(pairs: list[dict[str, object]]) -> set[tuple[object, ...]]:
    return {(p["left"], p["right"], p["decision"], p["score"]) for p in pairs}


def test_result_does_not_depend_on_input_order(
    action_day_cases: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, _ = action_day_cases
    lines = path.read_text(encoding="utf-8").splitlines()
    first = as_set(run_xmatch(path, out=tmp_path / "a.jsonl"))
    for seed in (1, 2):
        random.Random(seed).shuffle(lines)
        shuffled = tmp_path / f"shuffled-{seed}.jsonl"
        half = len(lines) // 2  # also split over two files
        shuffled.write_text("\n".join(lines[:half]) + "\n", encoding="utf-8")
        rest = tmp_path / f"rest-{seed}.jsonl"
        rest.write_text("\n".join(lines[half:]) + "\n", encoding="utf-8")
        assert as_set(run_xmatch(shuffled, rest, out=tmp_path / f"b-{seed}.jsonl")) == first


def test_output_shape(action_day_cases: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    path, _ = action_day_cases
    pairs = run_xmatch(path, out=tmp_path / "out.jsonl")
    assert pairs
    for pair in pairs:
        assert set(pair) == {"left", "right", "score", "decision", "explanation"}
        assert str(pair["left"]) < str(pair["right"])
        assert 0.0 <= float(pair["score"]) <= 1.0  # type: ignore[arg-type]
        assert pair["decision"] in ("match", "possible")


def test_generated_action_day_cross_agency_f1(
    action_day_cases: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, truth = action_day_cases
    entities = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    agency = {e["id"]: e["datasets"][0] for e in entities}
    schema = {e["id"]: e["schema"] for e in entities}
    pairs = run_xmatch(path, out=tmp_path / "out.jsonl")
    matches = [(str(p["left"]), str(p["right"])) for p in pairs if p["decision"] == "match"]
    scores = score_pairs(matches, truth, agency, schema)
    assert scores["Vehicle"].f1 >= 0.99
    assert scores["Person"].f1 >= 0.88
    assert scores["Person"].precision >= 0.9


def test_bad_input_is_reported_and_never_stops_the_run(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        "\n".join([
            json.dumps({"id": "rs-1", "schema": "Person", "datasets": ["RS"],
                        "properties": {"name": ["Мухамед Ахмади"], "birthDate": ["1990-03-04"]}}),
            "{not json",
            json.dumps({"id": "hu-1", "schema": "Person", "datasets": ["HU"],
                        "properties": {"name": ["Ahmadi Muhamed"], "birthDate": ["1915-13-11", "1990-03-04"],
                                       "shoeSize": ["44"]}}),
            json.dumps({"id": "x", "schema": "Spaceship"}),
        ]) + "\n", encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(main, ["xmatch", "--out", str(tmp_path / "o.jsonl"), str(path)])
    assert result.exit_code == 0
    assert "bad.jsonl line 2: (line): not valid JSON" in result.output
    assert "hu-1: birthDate: month 13 out of range in '1915-13-11'; ignored" in result.output
    assert "hu-1: shoeSize: not a property of Person; ignored" in result.output
    assert "x: schema: unknown FollowTheMoney schema 'Spaceship'" in result.output
    (pair,) = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert (pair["left"], pair["right"], pair["decision"]) == ("hu-1", "rs-1", "match")
