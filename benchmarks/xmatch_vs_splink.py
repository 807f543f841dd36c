"""Benchmark: `sirocco xmatch` against Splink on simulated action-day data.

For each size, generates records with `sirocco synth` (ground truth included), runs
`sirocco xmatch` in a subprocess (wall time, peak memory), then Splink 5 on DuckDB on the same
records, and scores both on cross-agency pairs (counting `match` decisions, and Splink pairs at
match probability >= 0.5). Results are appended to benchmarks/out/results.jsonl and printed as a
Markdown table for docs/benchmarks.md.

    .venv/bin/python benchmarks/xmatch_vs_splink.py --sizes 100000 1000000

Splink gets the standardisation its documentation asks for, done with Sirocco's own normalisers:
names folded to lower-case ASCII (Cyrillic transliterated), dates as ISO, phones as E.164,
plates upper-case with Cyrillic look-alikes made Latin. It does not get Sirocco's phonetic
skeletons or its plate confusion folding: those are what is being compared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
DATA = HERE / "data"
BIN = Path(sys.executable).parent
SPLINK_MEMORY = "8GB"  # DuckDB's limit; unbounded, Splink's training pairs exhaust the machine


def generate(size: int, seed: int) -> tuple[Path, Path]:
    """Records of about ``size`` (80% people, 20% vehicles), with ground truth."""
    DATA.mkdir(parents=True, exist_ok=True)
    path, truth = DATA / f"cases-{size}-{seed}.jsonl", DATA / f"cases-{size}-{seed}.truth.json"
    if not path.exists():
        people, vehicles = int(size * 0.8 / 1.93), int(size * 0.2 / 2.25)
        subprocess.run(
            [BIN / "sirocco", "synth", "--people", str(people), "--vehicles", str(vehicles),
             "--seed", str(seed), "--out", path, "--truth", truth],
            check=True,
        )  # fmt: skip
    return path, truth


def load(path: Path, truth_path: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        entities = [json.loads(line) for line in handle]
    return entities, json.loads(truth_path.read_text())


def score(
    pairs: list[tuple[str, str]], entities: list[dict[str, Any]], truth: dict[str, str]
) -> dict[str, Any]:
    from sirocco.evaluation import score_pairs

    agency = {e["id"]: e["datasets"][0] for e in entities}
    schema = {e["id"]: e["schema"] for e in entities}
    return {
        kind: {
            "precision": round(s.precision, 4),
            "recall": round(s.recall, 4),
            "f1": round(s.f1, 4),
        }
        for kind, s in score_pairs(pairs, truth, agency, schema).items()
    }


def run_sirocco(path: Path, size: int) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    out = OUT / f"sirocco-{size}.jsonl"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([BIN / "sirocco", "xmatch", "--quiet", "--out", out, path], check=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    pairs = []
    with out.open() as handle:
        for line in handle:
            pair = json.loads(line)
            if pair["decision"] == "match":
                pairs.append((pair["left"], pair["right"]))
    # ru_maxrss of children is the largest child so far, in KiB on Linux.
    memory = peak if peak > before else before
    return {"seconds": round(elapsed, 1), "peak_mib": round(memory / 1024)}, pairs


def _person_row(entity: dict[str, Any]) -> dict[str, Any] | None:
    from sirocco.entities import parse_entity
    from sirocco.match.profile import build_profile

    parsed = parse_entity(entity, entity["id"]).entity
    assert parsed is not None
    profile, _ = build_profile(parsed)
    if profile is None:
        return None
    parts = [p.latin for p in profile.names]
    full = [b for b in profile.birth_dates if b.day is not None]
    return {
        "unique_id": entity["id"],
        "first_name": parts[0] if parts else None,
        "surname": parts[-1] if len(parts) > 1 else None,
        "dob": full[0].iso() if full else None,
        "nationality": min(profile.nationalities) if profile.nationalities else None,
        "gender": profile.gender,
        "phone": min(profile.phones) if profile.phones else None,
        "passport": min(profile.documents) if profile.documents else None,
    }


def _vehicle_row(entity: dict[str, Any]) -> dict[str, Any]:
    from sirocco.match.plates import normalise_plate
    from sirocco.match.text import fold

    props = entity["properties"]
    plates = props.get("registrationNumber") or [""]
    return {
        "unique_id": entity["id"],
        "plate": normalise_plate(plates[0]) or None,
        "country": (props.get("country") or [None])[0],
        "model": fold(" ".join(props.get("model", []))) or None,
    }


def run_splink(entities: list[dict[str, Any]]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    import duckdb
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    start = time.perf_counter()
    people = pd.DataFrame([r for e in entities if e["schema"] == "Person" if (r := _person_row(e))])
    vehicles = pd.DataFrame([_vehicle_row(e) for e in entities if e["schema"] == "Vehicle"])
    prepared = time.perf_counter() - start
    pairs: list[tuple[str, str]] = []
    models = [
        (
            people,
            [cl.NameComparison("first_name"), cl.NameComparison("surname"),
             cl.DateOfBirthComparison("dob", input_is_string=True), cl.ExactMatch("nationality"),
             cl.ExactMatch("gender"), cl.ExactMatch("phone"), cl.ExactMatch("passport")],
            [block_on("first_name", "surname", "substr(dob, 1, 4)"), block_on("dob"),
             block_on("phone"), block_on("passport")],
            [block_on("dob"), block_on("first_name", "surname", "substr(dob, 1, 4)")],
        ),
        (
            vehicles,
            [cl.LevenshteinAtThresholds("plate", [1, 2]), cl.ExactMatch("country"),
             cl.JaroWinklerAtThresholds("model", [0.9, 0.7])],
            [block_on("plate"), block_on("substr(plate, 1, 4)"), block_on("substr(plate, -4, 4)")],
            [block_on("substr(plate, 1, 4)")],
        ),
    ]  # fmt: skip
    for frame, comparisons, blocking, training in models:
        if frame.empty:
            continue
        connection = duckdb.connect()
        connection.execute(f"SET memory_limit = '{SPLINK_MEMORY}'")
        connection.execute(f"SET temp_directory = '{OUT / 'duckdb-spill'}'")
        db_api = DuckDBAPI(connection)
        settings = SettingsCreator(
            link_type="dedupe_only",
            comparisons=comparisons,
            blocking_rules_to_generate_predictions=blocking,
            retain_intermediate_calculation_columns=False,
        )
        linker = Linker(db_api.register(frame), settings)
        linker.training.estimate_probability_two_random_records_match([blocking[0]], recall=0.7)
        linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
        for rule in training:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        predictions = linker.inference.predict(
            threshold_match_probability=0.5
        ).as_pandas_dataframe()
        pairs += list(zip(predictions["unique_id_l"], predictions["unique_id_r"], strict=True))
    elapsed = time.perf_counter() - start
    return {"seconds": round(elapsed, 1), "preparation_seconds": round(prepared, 1)}, pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-splink", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    for size in args.sizes:
        path, truth_path = generate(size, args.seed)
        entities, truth = load(path, truth_path)
        sirocco, sirocco_pairs = run_sirocco(path, size)
        sirocco["records_per_second"] = round(len(entities) / sirocco["seconds"])
        result: dict[str, Any] = {
            "size": len(entities), "seed": args.seed, "machine": machine,
            "sirocco": {**sirocco, "scores": score(sirocco_pairs, entities, truth)},
        }  # fmt: skip
        print(json.dumps(result, indent=2), flush=True)
        if not args.skip_splink:
            splink, splink_pairs = run_splink(entities)
            result["splink"] = {**splink, "scores": score(splink_pairs, entities, truth)}
            print(json.dumps(result["splink"], indent=2), flush=True)
        with (OUT / "results.jsonl").open("a") as handle:
            handle.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
