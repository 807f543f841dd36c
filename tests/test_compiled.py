"""The compiled matching core: never run from an older source, and the same results as Python."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sirocco
from sirocco import compiled
from sirocco.compiled import (
    MODULES,
    StaleCompiledModule,
    check,
    compiled_modules,
    digest,
    extensions,
    source_of,
)

SUFFIX = ".cpython-311-x86_64-linux-gnu.so"


def _package(tmp_path: Path) -> Path:
    package = tmp_path / "sirocco"
    (package / "match").mkdir(parents=True)
    (package / "match" / "names.py").write_text("NAMES = 1\n")
    (package / "entities.py").write_text("ENTITIES = 1\n")
    return package


def _compile(package: Path, *modules: str) -> None:
    for module in modules:
        source = source_of(module, package)
        source.with_name(source.stem + SUFFIX).write_bytes(b"compiled")
    manifest = {m: digest(source_of(m, package)) for m in modules}
    (package / compiled.MANIFEST.name).write_text(json.dumps(manifest))


def test_every_compiled_module_has_its_source() -> None:
    assert all(source_of(module).exists() for module in MODULES)


def test_nothing_compiled_is_nothing_to_check(tmp_path: Path) -> None:
    check(_package(tmp_path))


def test_modules_compiled_from_their_sources_run(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _compile(package, "sirocco.match.names", "sirocco.entities")
    check(package)
    assert {p.name for p in extensions(package)} == {"names" + SUFFIX, "entities" + SUFFIX}


def test_a_module_edited_since_it_was_compiled_is_refused(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _compile(package, "sirocco.match.names", "sirocco.entities")
    (package / "match" / "names.py").write_text("NAMES = 2\n")
    with pytest.raises(StaleCompiledModule, match="another version of names.py"):
        check(package)


def test_a_compiled_module_no_manifest_accounts_for_is_refused(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _compile(package, "sirocco.match.names")
    (package / ("entities" + SUFFIX)).write_bytes(b"compiled elsewhere")
    with pytest.raises(StaleCompiledModule, match="entities.py"):
        check(package)


def test_compiling_never_imports_the_package_it_compiles() -> None:
    # A module compiled from an older source must not stop `make compiled` or `make pure`
    # from replacing it: the script loads sirocco.compiled from its file, not the package.
    script = Path(sirocco.__file__).parents[2] / "scripts" / "compile.py"
    code = f"import runpy, sys; runpy.run_path({str(script)!r}); print('sirocco' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": ""}
    ran = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "False"


# What the compiled core finds is what the Python source finds, byte for byte. Runs where the
# core is compiled (``make compiled``; CI does), against a copy of the source alone.
COMPILED_HERE = compiled_modules()


@pytest.mark.skipif(
    not COMPILED_HERE, reason="the matching core is not compiled here (`make compiled`)"
)
def test_the_compiled_core_finds_what_the_python_source_finds(
    action_day_cases: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, _ = action_day_cases
    source = tmp_path / "source"
    ignored = shutil.ignore_patterns("*.so", "*.pyd", "compiled.json", "__pycache__")
    shutil.copytree(Path(sirocco.__file__).parent, source / "sirocco", ignore=ignored)

    def xmatch(pythonpath: str, out: Path, names_from: str) -> bytes:
        env = {**os.environ, "PYTHONPATH": pythonpath}
        ran = subprocess.run(
            [sys.executable, "-c", "import sirocco.match.names as n; print(n.__file__)"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        assert ran.stdout.strip().endswith(names_from)
        command = [sys.executable, "-m", "sirocco", "xmatch", "--quiet", "--workers", "2"]
        subprocess.run([*command, "--out", str(out), str(path)], env=env, check=True)
        return out.read_bytes()

    compiled_out = xmatch(str(compiled.PACKAGE.parent), tmp_path / "compiled.jsonl", ".so")
    source_out = xmatch(str(source), tmp_path / "source.jsonl", "names.py")
    assert compiled_out and compiled_out == source_out
