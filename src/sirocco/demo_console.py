"""What ``sirocco demo`` shows on the terminal: the sign-ins, the day as it happens, the figures."""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.table import Table

from sirocco.demo import finish_day, replay, start_demo
from sirocco.synth.actionday import Step

STARTED = time.monotonic()


def run(
    port: int, speed: float, seed: int, tokens_path: str | None, url: str | None, exit_after: bool
) -> None:
    console = Console(highlight=False)
    server, base_url, tokens, day = start_demo(port, seed, tokens_path, url)
    console.print(f"[bold]Sirocco-2[/] action day (seed {seed}) served at [cyan]{base_url}[/]")
    console.print(f"API documentation: {base_url}/docs")
    signins = Table("account", "sign-in (API token)", title="Sign-ins", title_justify="left")
    for name, token in tokens.items():
        signins.add_row(name, token)
    console.print(signins)
    console.print(
        f'e.g. curl -N -H "Authorization: Bearer {tokens["OC"]}" {base_url}/api/v1/stream'
    )
    console.print(f"Replaying {len(day.reference)} reference lists and {len(day.steps)} steps "
                  f"at {speed:g}x …")  # fmt: skip
    first_hit = [False]

    def show(step: Step, answer: dict[str, Any]) -> None:
        clock = step.at.strftime("%d %b %H:%M")
        if step.kind == "lookout":
            console.print(f"{clock} [bold red]{step.agency} LOOKOUT[/] {step.body['kind']} "
                          f"{step.body['value']} → {', '.join(step.body['countries'])}")  # fmt: skip
            return
        what = step.body.get("incident", {})
        label = f"incident at {what['place']}" if what else step.body["id"]
        line = (f"{clock} {step.agency:3} {label}: {len(step.body['entities'])} records, "
                f"{len(answer['hits'])} hits")  # fmt: skip
        if answer["hits"] and not first_hit[0]:
            first_hit[0] = True
            line += f" [green](first hit, {time.monotonic() - STARTED:.1f} s after start)[/]"
        console.print(line)
        for alert in answer["alerts"]:
            console.print(f"      [bold white on red] ALERT [/] lookout {alert['lookout']} "
                          f"({alert['watched']}) met in {alert['reported_by']}'s report; "
                          f"alerted {', '.join(alert['countries'])}")  # fmt: skip

    try:
        result = replay(base_url, tokens, day, speed, show)
        end = finish_day(base_url, tokens)
        sweep = end["sweep"]
        console.print(f"Day-end sweep: {sweep['records']} records, {sweep['found']} pairs, "
                      f"{sweep['added']} newly recorded, {sweep['revised']} revised, "
                      f"{sweep['withdrawn']} withdrawn")  # fmt: skip
        console.print(f"{result.reports} reports, {result.entities} records, {result.hits} hits "
                      f"while reporting, {result.alerts} alerts")  # fmt: skip
        figures = Table("", "incidents", "smugglers arrested", "smuggled persons intercepted",
                        title="The day's figures (GET /api/v1/stats)", title_justify="left")  # fmt: skip
        for agency, row in end["stats"]["per_agency"].items():
            figures.add_row(
                agency, *(str(row[k]) for k in ("incidents", "arrested", "intercepted"))
            )
        total = end["stats"]["total"]
        figures.add_row("[bold]total", *(f"[bold]{total[k]}" for k in
                                          ("incidents", "arrested", "intercepted")))  # fmt: skip
        console.print(figures)
        alerts = ", ".join(f"{k}: {v}" for k, v in end["alerts"].items())
        console.print(f"Pursuit alerts received: {alerts}")
        if exit_after:
            return
        console.print(f"Still serving at {base_url}; Ctrl-C to stop.")
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
