import json
import random
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from sirocco.cli import main
from sirocco.evaluation import score_pairs
from sirocco.synth.cases import iter_cases
from sirocco.xmatch import PairOrder, build_index, stretches
from tests.match.test_engine import synth_index


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


# Written by hand, not by the generator: two men named Goran Berisha, born 1974 and 1951, each
# reported twice; a third report of the name has no birth date. And one fleet's two vans, plates
# one digit apart, each reported twice (one report a camera's misread).
HAND_WRITTEN = [
    ("rs-berisha-1974", "RS", "Person", {"firstName": ["Горан"], "lastName": ["Бериша"],
                                         "birthDate": ["16.07.1974"], "nationality": ["BIH"]}),
    ("hr-berisha-1974", "HR", "Person", {"name": ["Goran Beriša"], "birthDate": ["1974-07-16"],
                                         "nationality": ["ba"], "gender": ["male"]}),
    ("at-berisha-1951", "AT", "Person", {"name": ["BERISHA<<GORAN"], "birthDate": ["1951-03-02"],
                                         "nationality": ["BIH"]}),
    ("de-berisha-1951", "DE", "Person", {"name": ["Berisha Goran"], "birthDate": ["02.03.1951"],
                                         "nationality": ["Bosnia and Herzegovina"],
                                         "gender": ["male"]}),
    ("hu-berisha-undated", "HU", "Person", {"name": ["Goran Berisha"], "nationality": ["BIH"],
                                            "gender": ["male"]}),
    ("si-van-481", "SI", "Vehicle", {"registrationNumber": ["LJ KT-481"], "country": ["si"],
                                     "model": ["Fiat Ducato"]}),
    ("hr-van-481", "HR", "Vehicle", {"registrationNumber": ["LJ-KT-481"],
                                     "country": ["Slovenia"], "model": ["Ducato"]}),
    ("at-van-487", "AT", "Vehicle", {"registrationNumber": ["SLO LJ KT-487"], "country": ["si"],
                                     "model": ["Fiat Ducato"]}),
    ("rs-van-487", "RS", "Vehicle", {"registrationNumber": ["LJ KT-4B7"],
                                     "model": ["Fiat Ducato"]}),
]  # fmt: skip


def hand_written(schema: str | None = None) -> str:
    """The hand-written records (of one schema, or all), as JSON lines."""
    return "".join(
        json.dumps({"id": i, "schema": s, "properties": p, "datasets": [a]}) + "\n"
        for i, a, s, p in HAND_WRITTEN
        if schema in (None, s)
    )


def test_namesakes_and_a_fleet_written_by_hand(
    action_day_cases: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, _ = action_day_cases
    hand = tmp_path / "hand.jsonl"
    hand.write_text(hand_written(), encoding="utf-8")
    pairs = run_xmatch(path, hand, out=tmp_path / "out.jsonl")
    ours = {i for i, *_ in HAND_WRITTEN}
    found = {
        (str(p["left"]), str(p["right"])): p
        for p in pairs
        if str(p["left"]) in ours or str(p["right"]) in ours
    }
    matches = {pair for pair, p in found.items() if p["decision"] == "match"}
    assert matches == {
        ("hr-berisha-1974", "rs-berisha-1974"),
        ("at-berisha-1951", "de-berisha-1951"),
        ("hr-van-481", "si-van-481"),
        ("at-van-487", "rs-van-487"),
    }
    # The report without a birth date is either man: for an analyst, with the other as rival.
    undated = {pair: p for pair, p in found.items() if "hu-berisha-undated" in pair}
    assert len(undated) == 4
    for (left, right), p in undated.items():
        assert p["decision"] == "possible"
        other = left if right == "hu-berisha-undated" else right
        rivals = p["explanation"]["rivals"]  # type: ignore[index]
        assert rivals and all(r[-4:] != other[-4:] for r in rivals)


def test_a_fleets_neighbouring_plates_are_not_one_van_on_a_small_operation(
    tmp_path: Path,
) -> None:
    # A few hundred vans: the fewer the records, the likelier two random records are one van,
    # and a plate one character away must still not be enough on its own.
    path = tmp_path / "vans.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for entity, _ in iter_cases(0, 120, seed=3):
            handle.write(json.dumps(entity, ensure_ascii=False) + "\n")
        handle.write(hand_written("Vehicle"))
    pairs = run_xmatch(path, out=tmp_path / "out.jsonl")
    vans = {
        (str(p["left"]), str(p["right"])): p["decision"]
        for p in pairs
        if "-van-" in str(p["left"]) and "-van-" in str(p["right"])
    }
    matched = {pair for pair, decision in vans.items() if decision == "match"}
    assert matched == {("hr-van-481", "si-van-481"), ("at-van-487", "rs-van-487")}


def test_reading_in_stretches_finds_what_reading_line_by_line_finds(tmp_path: Path) -> None:
    """Read by two workers in stretches of a few lines, the index holds the same records in
    the same order, and the same problems are reported, naming the same lines."""
    lines = hand_written().splitlines()
    lines[3:3] = ["{not json", "", json.dumps({"id": "x", "schema": "Spaceship"})]
    lines.append(lines[0])  # a duplicate id, in a later stretch than its first
    lines.append(json.dumps({"id": "hu-9", "schema": "Person", "datasets": ["HU"],
                             "properties": {"name": ["Ali Hamdi"], "birthDate": ["1990-13-01"]}}))  # fmt: skip
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cut = list(stretches(str(path), 300))
    assert len(cut) > 3
    assert [c[1] for c in cut[1:]] == [c[2] for c in cut[:-1]]  # whole, without overlap
    assert (cut[0][1], cut[-1][2]) == (0, path.stat().st_size)
    text = path.read_bytes()
    assert all(start == 0 or text[start - 1 : start] == b"\n" for _, start, _, _ in cut)
    assert [c[3] for c in cut] == [text[: c[1]].count(b"\n") + 1 for c in cut]

    def read(workers: int) -> tuple[list[tuple[str, str]], list[object], int]:
        problems: list[object] = []
        read_bytes: list[int] = []
        index = build_index([str(path)], problems.append, read_bytes.append, workers, 300)
        return [(p.id, p.fingerprint) for p in index.profiles], problems, sum(read_bytes)

    one, two = read(1), read(2)
    assert one == two
    records, problems, read_bytes = two
    assert len(records) == len(HAND_WRITTEN) + 1 and read_bytes == path.stat().st_size
    named = {(getattr(p, "record", ""), getattr(p, "field", "")) for p in problems}
    assert ("cases.jsonl line 4", "(line)") in named  # not JSON
    assert ("x", "schema") in named  # line 6
    assert ("rs-berisha-1974", "id") in named  # the duplicate, in a later stretch
    assert ("hu-9", "birthDate") in named  # the thirteenth month


def _namesakes_and_one_man_reported_two_ways() -> list[dict[str, object]]:
    """Austria reports a man, his passport and his address as three linked entities; Hungary
    reports him in one record. Forty namesakes born on other days make the name alone weak."""
    rng = random.Random(3)
    records: list[dict[str, object]] = [
        {"id": "at-p1", "schema": "Person", "datasets": ["AT"],
         "properties": {"name": ["MUHAMED AHMADI"], "gender": ["male"],
                        "addressEntity": ["at-a1"]}},
        {"id": "at-pp1", "schema": "Passport", "datasets": ["AT"],
         "properties": {"number": ["P1234567"], "birthDate": ["12.05.1991"],
                        "holder": ["at-p1"]}},
        {"id": "at-a1", "schema": "Address", "datasets": ["AT"],
         "properties": {"full": ["Laxenburger Straße 12, 1100 Wien"]}},
        {"id": "hu-p1", "schema": "Person", "datasets": ["HU"],
         "properties": {"name": ["Mohammed Ahmadi"], "passportNumber": ["P 1234567"],
                        "birthDate": ["1991-05-12"], "gender": ["male"]}},
    ]  # fmt: skip
    for i in range(40):
        name = rng.choice(["Mohammed Ahmadi", "Muhammad Ahmadi", "Mohamed Ahmadi"])
        born = f"{rng.randint(1970, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        agency = rng.choice(["DE", "SI", "RS", "BG"])
        records.append({"id": f"ns-{i}", "schema": "Person", "datasets": [agency],
                        "properties": {"name": [name], "birthDate": [born]}})  # fmt: skip
    return records


def test_a_person_is_matched_on_the_passport_and_address_reported_apart(tmp_path: Path) -> None:
    records = _namesakes_and_one_man_reported_two_ways()
    for name, kept in (("with", records), ("without", [r for r in records if r["id"] != "at-pp1"])):
        # The passport last, in a file of its own: where a link is read does not matter.
        people = tmp_path / f"{name}-people.jsonl"
        people.write_text("".join(json.dumps(r) + "\n" for r in kept if r["id"] != "at-pp1"))
        passports = tmp_path / f"{name}-passports.jsonl"
        passports.write_text("".join(json.dumps(r) + "\n" for r in kept if r["id"] == "at-pp1"))
        pairs = run_xmatch(people, passports, out=tmp_path / f"{name}.jsonl")
        found = {(p["left"], p["right"]): p for p in pairs}
        if name == "without":  # the name alone, among its namesakes, is not enough
            assert ("at-p1", "hu-p1") not in found
            continue
        pair = found[("at-p1", "hu-p1")]
        assert pair["decision"] == "match"
        features = {f["feature"]: f for f in pair["explanation"]["features"]}  # type: ignore[index]
        assert features["document"]["level"] == "exact"
        assert features["birth_date"]["level"] == "exact"


def test_linked_records_are_read_alike_by_one_process_and_by_workers(tmp_path: Path) -> None:
    path = tmp_path / "linked.jsonl"
    path.write_text(
        "".join(json.dumps(r) + "\n" for r in _namesakes_and_one_man_reported_two_ways())
    )
    one = build_index([str(path)], lambda _: None)
    two = build_index([str(path)], lambda _: None, workers=2, stretch=512)
    assert one.profiles == two.profiles
    assert one.profile("at-p1").documents == frozenset({"P1234567"})
    assert one.profile("at-p1").address == "laxenburger strasse 12 1100 wien"


def test_the_garbage_collector_is_paused_for_a_run_and_restored_after(tmp_path: Path) -> None:
    import gc
    import io

    from sirocco.xmatch import run_xmatch

    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "p1", "schema": "Person", "properties": {"bad": ["x"]}}\n')
    seen: list[bool] = []
    assert gc.isenabled()
    run_xmatch([str(path)], io.BytesIO(), on_problem=lambda _: seen.append(gc.isenabled()))
    assert seen == [False]  # the problem was reported while the run held the collector
    assert gc.isenabled()
    gc.disable()  # a caller that had paused it keeps it paused
    try:
        run_xmatch([str(path)], io.BytesIO(), on_problem=lambda _: None)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_runs_records_are_let_go_of_before_collection_resumes(
    action_day_cases: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Resumed with the index still held, the collector would scan all it holds once more just
    before it is freed: seconds at a million records."""
    import gc
    import io

    from sirocco.match.profile import Profile
    from sirocco.xmatch import run_xmatch

    path, _ = action_day_cases
    resume = gc.enable
    before = [o for o in gc.get_objects() if type(o) is Profile]  # other tests' (kept alive)
    known = {id(o) for o in before}
    held: list[int] = []

    def enable() -> None:
        held.append(sum(1 for o in gc.get_objects() if type(o) is Profile and id(o) not in known))
        resume()

    monkeypatch.setattr(gc, "enable", enable)
    summary = run_xmatch([str(path)], io.BytesIO(), on_problem=lambda _: None)
    assert summary.records > 2_000 and summary.matches > 0
    assert held == [0]


def test_the_model_is_the_same_estimated_by_one_process_or_by_workers() -> None:
    """The estimation's sampled pairs shared out among forked workers, in stretches of a few
    pairs: the same comparisons come back in the same order, and the same model is made."""
    import sirocco.xmatch as xmatch
    from sirocco.match.estimate import estimate_model
    from sirocco.match.index import MemoryIndex
    from tests.match.test_engine import synth_index

    index: MemoryIndex = synth_index(300, 60, seed=8)
    one = estimate_model(index)
    chunk, xmatch.PAIRS_CHUNK = xmatch.PAIRS_CHUNK, 500
    try:
        shared = estimate_model(index, compare_many=xmatch.compare_shared(2))
    finally:
        xmatch.PAIRS_CHUNK = chunk
    assert shared.to_dict() == one.to_dict()
    assert one.to_dict() != estimate_model(synth_index(300, 60, seed=9)).to_dict()


def test_the_order_of_pairs_keeps_one_kind_and_the_lesser_id_on_the_left() -> None:
    index = synth_index(60, 15, seed=4)
    profiles = index.profiles
    order = PairOrder.of(profiles)
    left, right = (a.ravel() for a in np.indices((len(profiles), len(profiles))))
    ahead = order.ahead(left, right).tolist()
    expected = [
        profiles[a].kind is profiles[b].kind and profiles[a].id < profiles[b].id
        for a, b in zip(left.tolist(), right.tolist(), strict=True)
    ]
    assert ahead == expected and any(expected)


def test_what_workers_send_back_arrives_whole() -> None:
    """Profiles, their dates and plates, problems and hits cross between processes as tuples
    of their fields: each arrives equal to what was sent, and a name part as the one shared
    part of its spelling."""
    import copyreg
    import pickle

    from sirocco.entities import Problem
    from sirocco.match.engine import Thresholds
    from sirocco.match.estimate import estimate_model
    from sirocco.match.links import Links, Said
    from sirocco.match.model import Contribution
    from sirocco.xmatch import match_range

    index = synth_index(80, 20, seed=5)
    hits = match_range(index, estimate_model(index), Thresholds(), 0, len(index))
    said = Said("p1", "passport-1", frozenset({"P1"}), index.profiles[0].birth_dates)
    sent = [*index.profiles, *hits, Problem("p1", "birthDate", "not a date"), Links((said,))]
    assert {type(h.contributions[0]) for h in hits} == {Contribution}
    assert any(p.plates for p in index.profiles) and any(p.birth_dates for p in index.profiles)
    received = pickle.loads(pickle.dumps(sent, pickle.HIGHEST_PROTOCOL))
    assert received == sent
    assert received[0].names[0] is index.profiles[0].names[0]
    plate = next(p.plates[0] for p in index.profiles if p.plates)
    crossing = {type(x) for x in sent} | {
        Contribution,
        Said,
        type(plate),
        type(said.birth_dates[0]),
    }
    assert crossing <= set(copyreg.dispatch_table)


def test_hits_are_written_alike_by_one_process_and_by_workers() -> None:
    """Hits explained and encoded in forked workers, a few at a time, come out as the same
    lines in the same order as one process writes them, one JSON object a line."""
    import sirocco.xmatch as xmatch
    from sirocco.match.engine import Thresholds
    from sirocco.match.estimate import estimate_model

    index = synth_index(200, 40, seed=6)
    hits = xmatch.match_range(index, estimate_model(index), Thresholds(), 0, len(index))
    one = b"".join(xmatch.hit_lines(hits))
    chunk, xmatch.LINES_CHUNK = xmatch.LINES_CHUNK, 7
    try:
        shared = b"".join(xmatch.hit_lines(hits, workers=2))
    finally:
        xmatch.LINES_CHUNK = chunk
    assert len(hits) > 3 * 7 and shared == one
    lines = [json.loads(line) for line in one.splitlines()]
    assert [(line["left"], line["right"]) for line in lines] == [(h.left, h.right) for h in hits]


def test_forked_workers_take_one_task_at_a_time_and_let_it_go() -> None:
    """A task reaches forked workers by their forking: a second pool while one is at work
    would hand its workers the wrong task, so it is refused; once done, the task is let go."""
    import sirocco.xmatch as xmatch

    squares = xmatch._shared(lambda b: [n * n for n in range(*b)], [(0, 3), (3, 5)], 2)
    assert next(squares) == [0, 1, 4]
    with pytest.raises(RuntimeError, match="another task"):
        next(xmatch._shared(lambda b: b, [(0, 1), (1, 2)], 2))
    assert list(squares) == [[9, 16]]
    assert xmatch._TASK is None
