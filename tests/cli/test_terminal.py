"""The terminal experience, checked in a real terminal: tmux runs the command on a pty, and the
pane must show the progress bar (count, rate, ETA) finishing at 100%."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.conftest import ROOT, _need

from .test_redis import subprocess_env

pytestmark = pytest.mark.live
_n = itertools.count()


def _fill(server: Any, prefix: str, n: int) -> None:
    """n gob records (the bytes of Go's {"n": 42} session, gob.md §11.2) under prefix."""
    data = bytes.fromhex("0d7f040102ff800001100110000018ff80000106737472696e670c0300016e03696e7404020054")
    c: redis.Redis = server.client()
    pipe = c.pipeline(transaction=False)
    for i in range(n):
        pipe.set(f"{prefix}{i:06d}", data, ex=3600)
    pipe.execute()
    c.close()


@pytest.fixture
def tmux(tmp_path: Path) -> Any:
    if shutil.which("tmux") is None:
        _need("tmux")
    sock = f"gorillacompat-test-{os.getpid()}-{next(_n)}"

    def run(*args: str) -> str:
        return subprocess.run(["tmux", "-L", sock, *args], check=True, capture_output=True, text=True,
                              timeout=20).stdout  # fmt: skip

    yield run
    subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True, timeout=20, check=False)


def test_progress_bar_renders_and_finishes_in_a_terminal(
    tmux: Any, redis_server: Any, tmp_path: Path
) -> None:
    prefix = f"tty{next(_n)}_"
    _fill(redis_server, prefix, 3000)
    out = tmp_path / "export.jsonl"
    script = tmp_path / "run.sh"
    env = subprocess_env()
    script.write_text(
        f"cd {ROOT}\nexport PYTHONPATH={env['PYTHONPATH']!r}\n"
        f"{sys.executable} -m gorillacompat redis export --url {redis_server.url} --prefix {prefix} "
        f"--batch 50 -o {out}\necho EXIT=$?\nsleep 60\n"
    )
    tmux("new-session", "-d", "-s", "t", "-x", "120", "-y", "20", f"bash {script}")
    deadline = time.monotonic() + 60
    pane = ""
    while time.monotonic() < deadline:
        pane = tmux("capture-pane", "-p", "-t", "t")
        if "EXIT=" in pane:
            break
        time.sleep(0.1)
    assert "EXIT=0" in pane, pane
    bar = next(line for line in pane.splitlines() if line.startswith("export:"))
    assert "100%" in bar and "3000/3000" in bar and "rec/s" in bar and "<" in bar, pane  # rate, ETA
    assert "█" in bar or "#" in bar, pane
    assert "exported 3000 records" in pane
    assert len(out.read_text().splitlines()) == 3000
