"""Write docs/cli.md from the command line's own help, so the reference cannot drift.

.venv/bin/python scripts/cli_docs.py          # rewrite docs/cli.md
.venv/bin/python scripts/cli_docs.py --check  # fail if docs/cli.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sirocco.cli import main

TARGET = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _commands(parent: click.Group, context: click.Context, path: str) -> list[str]:
    lines: list[str] = []
    for name in sorted(parent.list_commands(context)):
        command = parent.get_command(context, name)
        assert command is not None
        inner = click.Context(command, info_name=name, parent=context)
        lines += [f"## {path} {name}", "", "```", command.get_help(inner).rstrip(), "```", ""]
        if isinstance(command, click.Group):
            lines += _commands(command, inner, f"{path} {name}")
    return lines


def render() -> str:
    lines = ["# Command line reference", "",
             "Generated from the code by `scripts/cli_docs.py`; do not edit by hand.", ""]  # fmt: skip
    group = click.Context(main, info_name="sirocco", terminal_width=100, max_content_width=100)
    lines += ["## sirocco", "", "```", main.get_help(group).rstrip(), "```", ""]
    lines += _commands(main, group, "sirocco")
    return "\n".join(lines)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        if TARGET.read_text(encoding="utf-8") != text:
            sys.exit("docs/cli.md is out of date: run .venv/bin/python scripts/cli_docs.py")
    else:
        TARGET.write_text(text, encoding="utf-8")
