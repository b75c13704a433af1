"""A private memcached for the memcache tests.

A real ``memcached`` from the OS (Debian's ``memcached`` package) on 127.0.0.1 and a free port,
started and stopped by these fixtures with bounded waits; nothing is left running. As root it gets
``-u root`` (memcached refuses root otherwise). With CI=true a missing server is a failure,
elsewhere a skip.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, STORE_KEYS_HEX, GoStore, Harness, _need, running
from tests.redistore.conftest import free_port, wait_until

if not IN_CI and not all(importlib.util.find_spec(m) for m in ("pymemcache", "aiomcache")):
    # Without the memcache extra there is nothing to test here; in CI the import error fails.
    collect_ignore_glob = ["test_*.py"]

KEYS_HEX = STORE_KEYS_HEX  # hash key, block key (AES-256)
KEYS = [bytes.fromhex(k) for k in KEYS_HEX]


class MemcachedProc:
    """One memcached on 127.0.0.1:port (no UDP, 64 MB)."""

    def __init__(self, port: int) -> None:
        binary = shutil.which("memcached") or "/usr/bin/memcached"
        if not os.path.exists(binary):
            _need("memcached (Debian package memcached)")
        self.binary = binary
        self.port = port
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
            s.sendall(b"version\r\n")
            return s.recv(64).startswith(b"VERSION ")

    def start(self, timeout: float = 10) -> None:
        args = [self.binary, "-l", "127.0.0.1", "-p", str(self.port), "-U", "0", "-m", "64"]
        if os.geteuid() == 0:
            args += ["-u", "root"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._answers, timeout, f"memcached on {self.address}")

    def remove(self) -> None:
        """``stop`` (memcached keeps no files)."""
        self.stop()

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)  # a paused server cannot handle SIGTERM
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None

    def pause(self) -> None:
        """SIGSTOP: connections stay open but nothing answers (a hung server)."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)
        wait_until(self._stopped, 10, f"memcached {self.proc.pid} to stop")

    def _stopped(self) -> bool:
        """Every thread is in state T (SIGSTOP lands asynchronously)."""
        assert self.proc is not None
        tasks = Path(f"/proc/{self.proc.pid}/task")
        return all((t / "stat").read_text().rsplit(")", 1)[1].split()[0] == "T" for t in tasks.iterdir())

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def raw(self) -> Any:
        """A plain pymemcache client that waits for every answer, to look at items directly."""
        from pymemcache.client.base import Client

        return Client(("127.0.0.1", self.port), default_noreply=False, timeout=5, connect_timeout=5)


@pytest.fixture(scope="session")
def mc_server() -> Iterator[MemcachedProc]:
    """One server shared by the session; ``address`` empties it for each test."""
    with running(MemcachedProc(free_port())) as srv:
        yield srv


@pytest.fixture
def address(mc_server: MemcachedProc) -> str:
    raw = mc_server.raw()
    raw.flush_all(noreply=False)
    raw.close()
    return mc_server.address


@pytest.fixture
def raw(mc_server: MemcachedProc, address: str) -> Iterator[Any]:
    client = mc_server.raw()
    yield client
    client.close()


@pytest.fixture
def own_mc() -> Iterator[MemcachedProc]:
    """A server of the test's own, which it may stop, pause and restart."""
    with running(MemcachedProc(free_port())) as srv:
        yield srv


class GoMC(GoStore):
    """The real gorilla-sessions-memcache via go-harness ``decode`` kinds mc_save / mc_load."""

    def one(self, addr: str, **req: Any) -> dict[str, Any]:
        return self.call(addr=addr, **req)


@pytest.fixture(scope="session")
def go_mc(harness: Harness) -> GoMC:
    return GoMC(harness)
