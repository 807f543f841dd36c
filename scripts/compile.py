"""Compile the matching core with mypyc, in place (``make compiled``), or remove it (``make pure``).

    python scripts/compile.py            # compile sirocco.compiled.MODULES, beside their sources
    python scripts/compile.py --remove   # back to the Python source alone

Needs a C compiler and the Python headers. The manifest written beside the package records the
source each module was compiled from; ``import sirocco`` refuses a module whose source changed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"


def _compiled() -> ModuleType:
    """``sirocco.compiled``, loaded from its file: importing the package would refuse the
    stale compiled modules that this script is run to replace."""
    spec = importlib.util.spec_from_file_location("_compiled", ROOT / "src/sirocco/compiled.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compiled = _compiled()
MANIFEST, MODULES = compiled.MANIFEST, compiled.MODULES
digest, extensions, source_of = compiled.digest, compiled.extensions, compiled.source_of


def remove() -> None:
    for path in extensions():
        path.unlink()
    MANIFEST.unlink(missing_ok=True)
    shutil.rmtree(BUILD, ignore_errors=True)


def compile_modules() -> None:
    remove()
    sources = [source_of(module) for module in MODULES]
    before = {module: digest(source) for module, source in zip(MODULES, sources, strict=True)}
    command = [sys.executable, "-m", "mypyc", *(str(s.relative_to(ROOT)) for s in sources)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        remove()
        sys.exit(f"mypyc failed; the Python source is left to run:\n{done.stdout}{done.stderr}")
    after = {module: digest(source) for module, source in zip(MODULES, sources, strict=True)}
    if after != before:
        remove()
        sys.exit("a source changed while it was compiled; run it again")
    MANIFEST.write_text(json.dumps(before, indent=2, sort_keys=True) + "\n")
    shutil.rmtree(BUILD, ignore_errors=True)
    print(f"compiled {len(MODULES)} modules with mypyc ({len(extensions())} libraries)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remove", action="store_true", help="remove the compiled modules")
    if parser.parse_args().remove:
        remove()
        print("compiled modules removed: the Python source runs")
    else:
        compile_modules()


if __name__ == "__main__":
    main()
