"""The matching core, optionally compiled to C with mypyc (``make compiled``).

The Python source is the reference: every module here runs as it is, and is what a machine
without a C compiler runs. Compiled, the same modules run about a fifth faster end to end
(docs/benchmarks.md), with the same results byte for byte (checked in CI). Python imports a
compiled module in place of its source, so a module edited after it was compiled would run as
it was: ``check`` refuses that at import, naming the module and what to do.

Value classes made by the million (an observation per feature of each pair judged, a
contribution per feature of each hit, a hit, a profile) are dataclasses with ``init=False`` and
an ``__init__`` written out, their fields ``Final``: a dataclass's generated ``__init__`` is
Python even in a compiled module (0.5 µs a call), the written one sets the fields directly
(0.04 µs). Compiled, the ``Final`` fields cannot be set after ``__init__`` (as a frozen
dataclass's cannot); in the Python source, the type checker forbids it. ``unsafe_hash`` gives
them the hash a frozen dataclass has.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

# Compiled, in order of the package.
MODULES = (
    "sirocco.entities",
    "sirocco.match.compare",
    "sirocco.match.dates",
    "sirocco.match.documents",
    "sirocco.match.engine",
    "sirocco.match.estimate",
    "sirocco.match.frequencies",
    "sirocco.match.identities",
    "sirocco.match.index",
    "sirocco.match.keys",
    "sirocco.match.links",
    "sirocco.match.model",
    "sirocco.match.names",
    "sirocco.match.phones",
    "sirocco.match.plates",
    "sirocco.match.profile",
    "sirocco.match.rivals",
    "sirocco.match.screen",
    "sirocco.match.text",
    "sirocco.xmatch",
)

PACKAGE = Path(__file__).resolve().parent
# What was compiled, from which source: {module: sha256 of its source}.
MANIFEST = PACKAGE / "compiled.json"


class StaleCompiledModule(ImportError):
    pass


def source_of(module: str, package: Path = PACKAGE) -> Path:
    """The source file of one of the package's modules."""
    return package.joinpath(*module.split(".")[1:]).with_suffix(".py")


def compiled_modules(package: Path = PACKAGE) -> list[Path]:
    """The compiled modules found beside their sources."""
    return sorted(package.rglob("*.so")) + sorted(package.rglob("*.pyd"))


def extensions(package: Path = PACKAGE) -> list[Path]:
    """The compiled modules, and mypyc's shared library beside the package (``<hash>__mypyc``)."""
    return compiled_modules(package) + sorted(package.parent.glob("*__mypyc.*"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(package: Path = PACKAGE) -> None:
    """Refuse to run a compiled module whose source changed since it was compiled (or that no
    manifest accounts for)."""
    compiled = compiled_modules(package)
    if not compiled:
        return
    manifest = package / MANIFEST.name
    recorded: dict[str, str] = json.loads(manifest.read_text()) if manifest.exists() else {}
    for path in compiled:
        module = ".".join(
            ("sirocco", *path.relative_to(package).parts[:-1], path.name.split(".")[0])
        )
        source = source_of(module, package)
        if recorded.get(module) != (digest(source) if source.exists() else None):
            raise StaleCompiledModule(
                f"{path} was compiled from another version of {source.name}: run "
                "`make compiled` to compile it again, or `make pure` to run the Python source"
            )
