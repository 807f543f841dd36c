"""The ``sirocco`` command line."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING

import click

from sirocco import __version__
from sirocco.entities import Entity, Problem
from sirocco.match.engine import MATCH_THRESHOLD, POSSIBLE_THRESHOLD, Thresholds

if TYPE_CHECKING:
    from sqlalchemy import Engine

database_option = click.option(
    "--db",
    "url",
    default="sqlite:///sirocco.db",
    show_default=True,
    help="sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE",
)


@click.group()
@click.version_option(__version__, prog_name="sirocco")
def main() -> None:
    """Sirocco: live cross-matching and exchange for joint operations against migrant smuggling."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, writable=True),
    default="-",
    help="Where to write the pairs (JSON lines); standard output by default.",
)
@click.option(
    "--model-out",
    type=click.File("w"),
    default=None,
    help="Also write the estimated model (m, u, prior per kind and feature) as JSON.",
)
@click.option(
    "--match-threshold",
    type=click.FloatRange(0, 1),
    default=MATCH_THRESHOLD,
    show_default=True,
    help="Score at or above which a pair is a match.",
)
@click.option(
    "--possible-threshold",
    type=click.FloatRange(0, 1),
    default=POSSIBLE_THRESHOLD,
    show_default=True,
    help="Score at or above which a pair is a possible match.",
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=None,
    show_default="the number of cores",
    help="Processes for reading, estimating the model, matching and writing the pairs.",
)
@click.option("--quiet", is_flag=True, help="No progress bar and no warnings on standard error.")
def xmatch(
    inputs: tuple[str, ...],
    out_path: str,
    model_out: IO[str] | None,
    match_threshold: float,
    possible_threshold: float,
    workers: int | None,
    quiet: bool,
) -> None:
    """Cross-match FollowTheMoney entities (JSON lines) within and across agencies.

    Writes one JSON object a line for every pair judged the same:
    {"left", "right", "score", "decision": "match"|"possible", "explanation"}.
    """
    from sirocco.xmatch import run_xmatch  # imported here so that --help stays fast

    def warn(problem: Problem) -> None:
        if not quiet:
            click.echo(f"warning: {problem}", err=True)

    thresholds = Thresholds(match=match_threshold, possible=possible_threshold)
    show_progress = not quiet and sys.stderr.isatty()
    out = sys.stdout.buffer if out_path == "-" else open(out_path, "wb")  # noqa: SIM115
    try:
        summary = run_xmatch(
            inputs,
            out,
            on_problem=warn,
            show_progress=show_progress,
            thresholds=thresholds,
            model_out=model_out,
            workers=workers or os.cpu_count() or 1,
        )
    finally:
        if out is not sys.stdout.buffer:
            out.close()
    if not quiet:
        click.echo(
            f"{summary.records} records, {summary.hits} pairs ({summary.matches} match), "
            f"{summary.problems} warnings",
            err=True,
        )
        for key, count in summary.flagged_keys[:5]:
            click.echo(
                f"flagged: key {key!r} held by {count} records, too common to scan", err=True
            )


@main.command()
@click.option(
    "--people",
    type=click.IntRange(0),
    default=1000,
    show_default=True,
    help="How many real people to simulate (each appears in one to four reports).",
)
@click.option(
    "--vehicles",
    type=click.IntRange(0),
    default=300,
    show_default=True,
    help="How many real vehicles to simulate.",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="Where to write the entities (JSON lines).",
)
@click.option(
    "--truth",
    "truth_path",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Where to write the ground truth: record id -> identity id (JSON).",
)
def synth(people: int, vehicles: int, seed: int, out_path: str, truth_path: str | None) -> None:
    """Write simulated action-day records, as ten agencies write them, with ground truth."""
    import orjson

    from sirocco.synth.cases import iter_cases

    truth: dict[str, str] = {}
    with open(out_path, "wb") as out:
        for entity, identity in iter_cases(people, vehicles, seed=seed):
            truth[entity["id"]] = identity
            out.write(orjson.dumps(entity) + b"\n")
    if truth_path:
        with open(truth_path, "wb") as handle:
            handle.write(orjson.dumps(truth))
    click.echo(f"{len(truth)} records written to {out_path}", err=True)


@main.command()
@database_option
@click.option("--operation", "name", required=True, help="The operation's name, e.g. Sirocco-2.")
@click.option("--agencies", required=True, help="Participating agencies, e.g. AT,BG,HR,MK,DE.")
@click.option(
    "--tokens",
    "tokens_path",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="Where to write the API tokens (JSON); they are stored hashed.",
)
def init(url: str, name: str, agencies: str, tokens_path: str) -> None:
    """Create an operation: an officer account per agency, an analyst (OC) and an admin."""
    import json

    from sirocco.store.database import open_database, upgrade
    from sirocco.store.operations import create_operation

    codes = [code.strip().upper() for code in agencies.split(",") if code.strip()]
    if not codes or len(set(codes)) != len(codes):
        raise click.BadParameter(
            "a comma-separated list of distinct agency codes", param_hint="--agencies"
        )
    engine = open_database(url)
    upgrade(engine)
    tokens = create_operation(engine, name, codes)
    with open(tokens_path, "w", encoding="utf-8") as handle:
        json.dump(tokens, handle, indent=2)
    click.echo(
        f"operation {name!r}: {len(codes)} agencies, tokens written to {tokens_path}", err=True
    )


@main.command()
@database_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--sweeps/--no-sweeps", default=True, show_default=True,
              help="Sweep an operation's records in the background each time they double.")  # fmt: skip
def serve(url: str, host: str, port: int, sweeps: bool) -> None:
    """Serve the exchange: the API (OpenAPI at /openapi.json) and the pages (/ui/)."""
    import uvicorn

    from sirocco.api import create_app
    from sirocco.store.database import open_database, upgrade

    engine = open_database(url)
    upgrade(engine)
    uvicorn.run(create_app(engine, sweeps=sweeps), host=host, port=port, log_level="info")


@main.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to serve on (0: any free port).")  # fmt: skip
@click.option("--speed", default=720.0, show_default=True, type=click.FloatRange(min=0),
              help="Simulated seconds per real second (720: the 36 hours in 3 minutes; "
              "0: as fast as the server answers).")  # fmt: skip
@click.option("--seed", default=2, show_default=True, type=int, help="The simulated day.")
@click.option("--tokens", "tokens_path", type=click.Path(dir_okay=False, writable=True),
              help="Also write the sign-ins (API tokens) as JSON, as init does.")  # fmt: skip
@click.option("--db", "url", default=None, help="A database URL (default: a fresh SQLite file).")
@click.option("--exit", "exit_after", is_flag=True, help="Stop once the day is replayed.")
def demo(port: int, speed: float, seed: int, tokens_path: str | None, url: str | None,
         exit_after: bool) -> None:  # fmt: skip
    """Replay a simulated Sirocco-2 action day through the real API."""
    from sirocco.demo_console import run

    run(port, speed, seed, tokens_path, url, exit_after)


def _open_operation(url: str, name: str) -> tuple[Engine, int]:
    """The database, brought up to date, and the id of the operation named ``name``."""
    from sqlalchemy import select

    from sirocco.store.database import open_database, upgrade
    from sirocco.store.tables import operation

    engine = open_database(url)
    upgrade(engine)
    with engine.connect() as connection:
        operation_id = connection.execute(
            select(operation.c.id).where(operation.c.name == name)
        ).scalar()
    if operation_id is None:
        raise click.BadParameter(f"no operation named {name!r}", param_hint="--operation")
    return engine, int(operation_id)


@main.command("load")
@database_option
@click.option("--operation", "name", required=True, help="The operation's name, e.g. Sirocco-2.")
@click.option("--agency", required=True, help="The agency that provides the list, e.g. HU.")
@click.option(
    "--list", "list_name", required=True, help='The list\'s name, e.g. "known smugglers".'
)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def load_command(url: str, name: str, agency: str, list_name: str, inputs: tuple[str, ...]) -> None:
    """Load a reference list (FollowTheMoney JSON lines) in bulk; later reports match it.
    On PostgreSQL the tables it filled are vacuumed and analysed afterwards."""
    from rich.progress import Progress

    from sirocco.store.bulk import load_reference, settle
    from sirocco.xmatch import read_entities

    engine, operation_id = _open_operation(url, name)
    problems: list[Problem] = []
    agency = agency.strip().upper()

    def ours(entities: Iterable[Entity]) -> Iterator[Entity]:
        for item in entities:
            if item.datasets and set(item.datasets) != {agency}:
                problems.append(Problem(item.id, "datasets", f"not {agency}'s; skipped"))
                continue
            yield item

    with Progress(transient=True) as progress:
        task = progress.add_task("loading", total=None)
        try:
            loaded = load_reference(engine, operation_id, agency, list_name,
                                    ours(read_entities(inputs, problems.append, lambda _: None)),
                                    advance=lambda n: progress.advance(task, n),
                                    on_problem=problems.append)  # fmt: skip
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--agency") from None
    settle(engine)
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo(f"{loaded.records} records of {agency}'s {list_name!r} loaded "
               f"({len(problems)} warnings)")  # fmt: skip


@main.command("sweep")
@database_option
@click.option("--operation", "name", required=True, help="The operation's name, e.g. Sirocco-2.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
def sweep_command(url: str, name: str, workers: int) -> None:
    """Match an operation's stored records all at once, as xmatch would, and bring the
    recorded hits into line (missed pairs recorded, decisions revised, others withdrawn)."""

    from sirocco.sweep import sweep

    engine, operation_id = _open_operation(url, name)
    result = sweep(engine, operation_id, actor="cli", workers=workers)
    click.echo(
        f"{result.records} records: {result.found} pairs judged the same, "
        f"{result.added} newly recorded, {result.revised} revised, {result.withdrawn} withdrawn"
    )


@main.group()
def audit() -> None:
    """The audit log of every read and write of personal data."""


@audit.command("verify")
@database_option
def audit_verify(url: str) -> None:
    """Recompute the hash chain: report any changed, removed or truncated entry (exit 1)."""
    from sirocco.store.audit import verify
    from sirocco.store.database import open_database

    engine = open_database(url)
    with engine.connect() as connection:
        result = verify(connection)
    for problem in result.problems:
        click.echo(problem, err=True)
    if result.problems:
        raise SystemExit(1)
    click.echo(f"audit log intact: {result.entries} entries verified")
