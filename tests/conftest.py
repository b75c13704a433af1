"""Shared test fixtures: the Go harness binary and (later) a loopback redis-server.

With CI=true a missing Go toolchain or harness is a failure, never a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pytest
from hypothesis import settings

from gorillacompat.errors import StoreConnectionError

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


#: The key pair (hash, block; AES-256) both sides of the server-side store suites use.
STORE_KEYS_HEX = ["6b" * 32, "62" * 32]


class GoStore:
    """A real Go store through go-harness ``decode`` (its ``*_save``/``*_load``/… kinds).

    Every request gets the suites' keys, ``name="session"`` and ``base`` (where the store's
    server is); an answer with a harness or store-open error fails the test.
    """

    def __init__(self, harness: Harness, **base: Any) -> None:
        self.harness = harness
        self.base = base

    def calls(self, *requests: dict[str, Any]) -> list[dict[str, Any]]:
        common = {"keys": STORE_KEYS_HEX, "name": "session", **self.base}
        batch = [{"id": i, **common, **r} for i, r in enumerate(requests)]
        answers = self.harness.decode(batch)
        for a in answers:
            assert "harness_error" not in a, a
            assert "open_error" not in a, a
        return answers

    def call(self, **request: Any) -> dict[str, Any]:
        return self.calls(request)[0]


class ServerProc(Protocol):
    """A private server process of the test suites (PostgreSQL, MariaDB, memcached, Redis)."""

    def start(self) -> None: ...

    def remove(self) -> None: ...


P = TypeVar("P", bound=ServerProc)


R = TypeVar("R")


def eventually(call: Callable[[], R], timeout: float) -> R:
    """``call()``'s result once it stops raising ``StoreConnectionError``, within ``timeout`` seconds.

    For a store whose server was stopped and started again (the pool reconnects with backoff).
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            return call()
        except StoreConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def failures_when_together(n: int, call: Callable[[], object]) -> list[Exception]:
    """Run ``call`` in ``n`` threads released at the same moment; what they raised (in no order).

    For workers of one app starting together on one database (their table-creation race).
    """
    start, failures = threading.Barrier(n), []

    def worker() -> None:
        start.wait()
        try:
            call()
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return failures


def record_runs(coalescer: Any) -> list[int]:
    """Wrap a store's ``sessions._coalesce.Coalescer`` to record how many calls each run carried."""
    sizes: list[int] = []
    run = coalescer._run

    async def recorded(items: list[Any]) -> Any:
        sizes.append(len(items))
        return await run(items)

    coalescer._run = recorded
    return sizes


@contextmanager
def running(server: P) -> Iterator[P]:
    """``server`` started, then stopped with its files removed (also when it failed to start)."""
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def harness() -> Harness:
    if not HARNESS_BIN.exists():
        if shutil.which("go") is None:
            _need("Go (to build go-harness)")
        subprocess.run(["go", "build", "-o", str(HARNESS_BIN), "."], cwd=HARNESS_DIR, check=True, timeout=600)
    return Harness(HARNESS_BIN)
