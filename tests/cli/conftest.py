"""Fixtures of the CLI tests: ``cli`` runs ``gorillacompat.cli.main`` in-process; the servers and
the Go harness come from the stores' conftest files (a real loopback redis-server, PostgreSQL,
memcached and MariaDB, and the real Go stores).
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, ROOT
from tests.gormstore.conftest import go_gorm, maria_server, target  # noqa: F401 - fixtures
from tests.memcache.conftest import go_mc, mc_server  # noqa: F401 - fixtures
from tests.pgstore.conftest import go_pg, pg_server  # noqa: F401 - fixtures
from tests.redistore.conftest import (  # noqa: F401 - fixtures used by this package's tests
    KEYS,
    KEYS_HEX,
    go_stores,
    own_redis,
    redis_cluster,
    redis_server,
)

for _mod in ("click", "tqdm"):
    try:
        __import__(_mod)
    except ImportError:  # pragma: no cover - the cli extra is part of the test setup
        if IN_CI:
            raise
        pytest.skip(f"the cli extra is not installed ({_mod} missing)", allow_module_level=True)

from gorillacompat.cli import main  # noqa: E402


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def jsonl(self) -> list[Any]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


Runner = Callable[..., Result]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    """``cli("cookie", "decode", ..., stdin="...")`` → Result(code, out, err)."""
    for var in ("GORILLA_HASH_KEY", "GORILLA_BLOCK_KEY", "GORILLA_NEW_HASH_KEY", "GORILLA_NEW_BLOCK_KEY"):
        monkeypatch.delenv(var, raising=False)

    def run(*args: str, stdin: str | None = None) -> Result:
        capsys.readouterr()
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def key_args(keys: list[str | None], prefix: str = "") -> list[str]:
    """Fixture key lists (hash, block, hash, block, …) as --hash-key/--block-key options."""
    out: list[str] = []
    for i in range(0, len(keys), 2):
        h = keys[i]
        b = keys[i + 1] if i + 1 < len(keys) else None
        assert h, "fixture pairs used here have hash keys"
        out += [f"--{prefix}hash-key", f"hex:{h}", f"--{prefix}block-key", f"hex:{b}" if b else "-"]
    return out


def codec_args(case: dict[str, Any]) -> list[str]:
    o = case["options"]
    return [
        "--name", case["name"], "--hash", case["hash"], "--serializer", case["serializer"],
        "--max-age", str(o["max_age"]), "--min-age", str(o["min_age"]),
        "--max-length", str(o["max_length"]), "--now", str(case["now"]),
    ]  # fmt: skip


def killed_midway(args: list[str], checkpoint: Path, reached: Callable[[Mapping[str, Any]], bool]) -> Any:
    """Run ``gorillacompat *args`` in a child process, SIGKILL it once its checkpoint satisfies
    ``reached`` (within 60 s), and return that checkpoint; the child must not have finished."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    log = checkpoint.with_suffix(".log")
    with open(log, "wb") as err:
        child = subprocess.Popen([sys.executable, "-m", "gorillacompat", *args, "--no-progress"], cwd=ROOT,
                                 env=env, stdout=subprocess.DEVNULL, stderr=err)  # fmt: skip
    give_up = time.monotonic() + 60
    try:
        while child.poll() is None and time.monotonic() < give_up:
            try:
                if reached(json.loads(checkpoint.read_text())):
                    break
            except (OSError, ValueError, KeyError):
                pass  # not written yet, or replaced under us
            time.sleep(0.005)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(10)
    assert child.returncode == -signal.SIGKILL, log.read_text()
    return json.loads(checkpoint.read_text())
