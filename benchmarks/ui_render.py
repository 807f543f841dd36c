"""Benchmark: the operational picture with many hits and a large network, in Debian's Chromium.

Simulated records are loaded in bulk and swept (which records and streams their hits), until
the operation holds about ``--hits`` hits; a server then serves the pages and Playwright
measures, for the operational centre: the live feed catching up with every event, a hit's
review page, the network and the map drawn, search, and the figures and report pages.
Results go to benchmarks/out/ui.jsonl and are printed as Markdown rows for docs/benchmarks.md.

    .venv/bin/python benchmarks/ui_render.py --records 3000     # a network of about 5,000 nodes
    .venv/bin/python benchmarks/ui_render.py --records 26000    # about 10,000 hits
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import sync_playwright

from sirocco.demo import Server
from sirocco.entities import Entity
from sirocco.store.bulk import load_reference
from sirocco.store.operations import create_operation
from sirocco.sweep import sweep
from sirocco.synth.cases import iter_cases
from sirocco.synth.habits import AGENCIES

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sirocco-ui-bench-"))
    server = Server(f"sqlite:///{folder / 'ui.db'}", port=0)
    tokens = create_operation(server.engine, "ui-bench", list(AGENCIES))
    people = int(args.records * 0.85 / 1.9)
    by_agency: dict[str, list[Entity]] = {}
    for item, _ in iter_cases(people, int(args.records * 0.15 / 1.6), seed=args.seed):
        agency = item["datasets"][0]
        props = {k: tuple(v) for k, v in item["properties"].items()}
        by_agency.setdefault(agency, []).append(
            Entity(item["id"], item["schema"], props, (agency,))
        )
    for agency, items in by_agency.items():
        for start in range(0, len(items), 40):  # reports of 40 records: incidents in the network
            load_reference(server.engine, 1, agency, f"{agency}-{start}", items[start : start + 40])
    swept = sweep(server.engine, 1)
    base = server.start()
    headers = {"Authorization": f"Bearer {tokens['OC']}"}
    asked = time.perf_counter()
    network = httpx.get(f"{base}/api/v1/network", headers=headers, timeout=600).json()
    network_api_s = round(time.perf_counter() - asked, 2)
    row: dict[str, Any] = {"records": swept.records, "hits": swept.found,
                           "nodes": len(network["nodes"]), "links": len(network["links"]), "network_api_s": network_api_s}  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        page.context.add_cookies([{"name": "sirocco_token", "value": tokens["OC"], "url": base}])

        def timed(path: str, ready: str) -> float:
            started = time.perf_counter()
            page.goto(f"{base}{path}")
            page.wait_for_selector(ready, timeout=600_000)
            return round(time.perf_counter() - started, 2)

        row["feed_s"] = timed("/ui/", "#status:text('live')")
        started = time.perf_counter()
        page.wait_for_function(f"document.querySelectorAll('#feed li.hit').length >= {min(500, swept.found)}",
                               timeout=600_000)  # fmt: skip
        row["feed_caught_up_s"] = round(row["feed_s"] + time.perf_counter() - started, 2)
        row["hit_review_s"] = timed("/ui/hits/1", ".record")
        row["network_s"] = timed("/ui/network", "body[data-rendered]")
        row["network_drawn_ms"] = int(page.evaluate("document.body.dataset.rendered"))
        row["network_layout_ms"] = int(page.evaluate("document.body.dataset.layout"))
        row["map_s"] = timed("/ui/map", "body[data-rendered]")
        row["search_s"] = timed("/ui/search?q=Ahmadi", "#results")
        row["figures_s"] = timed("/ui/figures", "#totals")
        row["report_s"] = timed("/ui/report", "#pdf")
        browser.close()
    server.stop()
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "ui.jsonl").open("a") as handle:
        handle.write(json.dumps(row) + "\n")
    print(json.dumps(row, indent=2))
    print(f"| {row['records']:,} | {row['hits']:,} | {row['nodes']:,} | {row['feed_caught_up_s']} "
          f"| {row['hit_review_s']} | {row['network_s']} | {row['map_s']} | {row['search_s']} "
          f"| {row['report_s']} |")  # fmt: skip


if __name__ == "__main__":
    main()
