"""Shared test fixtures: the Go harness binary and (later) a loopback redis-server.

With CI=true a missing Go toolchain or harness is a failure, never a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
HARNESS_DIR = ROOT / "go-harness"
HARNESS_BIN = HARNESS_DIR / "bin" / "go-harness"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# CI runs the properties on a fixed seed, so a landing never depends on luck; exploration is what
# developers' runs and `make fuzz` are for.
settings.register_profile("ci", derandomize=True, database=None)
if IN_CI:
    settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to test a compiled codec module older than its source (it would shadow the edit)."""
    for so in (ROOT / "gorillacompat").rglob("*.so"):
        py = so.with_name(so.name.split(".", 1)[0] + ".py")
        if py.exists() and py.stat().st_mtime > so.stat().st_mtime:
            raise pytest.UsageError(f"{so.name} is older than {py.name}: rebuild it with `make accel`")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The random differential's counts per kind (issue 13): what ran, not only what failed."""
    from tests import random_go

    for text in random_go.SUMMARIES:
        terminalreporter.write_line(text)


def _need(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} is required in CI (CI=true) and is missing")
    pytest.skip(f"{what} is not available on this machine")


class Harness:
    """Runs subcommands of the real-Go harness and exchanges JSON with it."""

    def __init__(self, binary: Path) -> None:
        self.binary = binary

    def run(self, *args: str, input_obj: Any = None, timeout: float = 300) -> Any:
        proc = subprocess.run(
            [str(self.binary), *args],
            input=None if input_obj is None else json.dumps(input_obj).encode(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"go-harness {' '.join(args)} failed: {proc.stderr.decode()[-2000:]}")
        return json.loads(proc.stdout)

    def decode(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Go decodes each request (see go-harness/README.md); answers come back in order."""
        answers: list[dict[str, Any]] = self.run("decode", input_obj=requests)
        return answers


@pytest.fixture(scope="session")
def harness() -> Harness:
    if not HARNESS_BIN.exists():
        if shutil.which("go") is None:
            _need("Go (to build go-harness)")
        subprocess.run(["go", "build", "-o", str(HARNESS_BIN), "."], cwd=HARNESS_DIR, check=True, timeout=600)
    return Harness(HARNESS_BIN)
