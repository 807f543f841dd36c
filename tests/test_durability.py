"""A killed server loses no acknowledged report: a real `sirocco serve`, killed with SIGKILL."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

AGENCIES = "AT,HU,RS"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(url: str, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "sirocco", "serve", "--db", url, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("sirocco serve did not start")


def test_acknowledged_reports_survive_a_killed_server(database_url: str, tmp_path: Path) -> None:
    tokens_path = tmp_path / "tokens.json"
    subprocess.run([sys.executable, "-m", "sirocco", "init", "--db", database_url, "--operation", "op",
                    "--agencies", AGENCIES, "--tokens", str(tokens_path)], check=True)  # fmt: skip
    tokens = json.loads(tokens_path.read_text())
    headers = {"Authorization": f"Bearer {tokens['HU']}"}
    port = _free_port()
    server = _serve(database_url, port)
    acknowledged = []
    try:
        for n in range(20):
            body = {"id": f"hu-{n}", "entities": [{"id": f"p{n}", "schema": "Person",
                                                   "properties": {"name": [f"Person Number{n}"]}}]}  # fmt: skip
            reply = httpx.post(
                f"http://127.0.0.1:{port}/api/v1/reports", json=body, headers=headers
            )
            assert reply.status_code == 201
            acknowledged.append(body["id"])
    finally:
        os.kill(server.pid, signal.SIGKILL)  # no shutdown, no flush
        server.wait()
    port = _free_port()
    server = _serve(database_url, port)
    try:
        for report_id in acknowledged:
            reply = httpx.get(
                f"http://127.0.0.1:{port}/api/v1/reports/{report_id}", headers=headers
            )
            assert reply.status_code == 200, report_id
    finally:
        server.terminate()
        server.wait()
