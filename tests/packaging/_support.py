"""Helpers of the release checks: built files, fresh venvs, a test tree without the package."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT


def _noxfile_list(name: str) -> list[str]:
    """A list of strings that noxfile.py assigns to ``name``."""
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(getattr(t, "id", "") == name for t in targets) and node.value is not None:
                values: list[str] = ast.literal_eval(node.value)
                return values
    raise AssertionError(f"noxfile.py has no {name}")


def core_suites() -> list[str]:
    """noxfile.py's CORE_SUITES, less CORE_SKIP: the codec, securecookie, sessions and store suites."""
    return [*_noxfile_list("CORE_SUITES"), *(f"--ignore={t}" for t in _noxfile_list("CORE_SKIP"))]


def codec_suites() -> list[str]:
    """The tests of the modules setup.py compiles (the core suites without sessions and stores)."""
    stores = ("tests/sessions", "tests/redistore", "tests/pgstore", "tests/memcache", "tests/gormstore")
    return [s for s in _noxfile_list("CORE_SUITES") if s not in stores]


def need_built(path_glob: str, made_by: str) -> list[Path]:
    """The files ``made_by`` built (e.g. ``dist/*.whl``); CI fails without them, others skip."""
    found = sorted(ROOT.glob(path_glob))
    if not found:
        msg = f"no {path_glob}: run `{made_by}` first"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    return found


def run(cmd: list[str], *, timeout: float = 900, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run ``cmd``; on failure the assertion shows the end of its output."""
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)  # type: ignore[call-overload]
    out = f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    assert proc.returncode == 0, f"{cmd} exited {proc.returncode}:\n{out}"
    return proc


def fresh_venv(where: Path) -> Path:
    """A new venv of this interpreter (its base Python, nothing installed); returns its python."""
    run([sys.executable, "-m", "venv", str(where)])
    return where / "bin" / "python"


def copy_test_tree(where: Path) -> Path:
    """tests/, fixtures/ and pyproject.toml (pytest's config) with go-harness linked, no package."""
    where.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.so", ".hypothesis")
    shutil.copytree(ROOT / "tests", where / "tests", ignore=ignore)
    shutil.copytree(ROOT / "fixtures", where / "fixtures", ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", where / "pyproject.toml")
    shutil.copy(ROOT / "setup.py", where / "setup.py")
    (where / "go-harness").symlink_to(ROOT / "go-harness")
    assert not (where / "gorillacompat").exists()
    return where


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without what would point a child at the work tree or at .venv."""
    drop = ("PYTHONPATH", "VIRTUAL_ENV", "GORILLACOMPAT_PURE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(extra)
    return env
