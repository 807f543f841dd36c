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


def render() -> str:
    lines = ["# Command line reference", "",
             "Generated from the code by `scripts/cli_docs.py`; do not edit by hand.", ""]  # fmt: skip
    group = click.Context(main, info_name="sirocco", terminal_width=100, max_content_width=100)
    lines += ["## sirocco", "", "```", main.get_help(group).rstrip(), "```", ""]
    for name in sorted(main.list_commands(group)):
        command = main.get_command(group, name)
        assert command is not None
        context = click.Context(command, info_name=name, parent=group)
        lines += [f"## sirocco {name}", "", "```", command.get_help(context).rstrip(), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        if TARGET.read_text(encoding="utf-8") != text:
            sys.exit("docs/cli.md is out of date: run .venv/bin/python scripts/cli_docs.py")
    else:
        TARGET.write_text(text, encoding="utf-8")
