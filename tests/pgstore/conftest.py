"""A private PostgreSQL server for the pgstore tests.

A real ``postgres`` from the OS (Debian's ``postgresql`` package) with a fresh ``initdb`` data
directory, on 127.0.0.1 and a free port, started and stopped by these fixtures with bounded waits;
nothing is left running. As root, the server runs as the ``postgres`` user (PostgreSQL refuses
root). With CI=true a missing server is a failure, elsewhere a skip.
"""

from __future__ import annotations

import glob
import importlib.util
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, STORE_KEYS_HEX, GoStore, Harness, _need, running
from tests.redistore.conftest import free_port, wait_until

if not IN_CI and not all(importlib.util.find_spec(m) for m in ("psycopg", "psycopg_pool")):
    # Without the pgstore extra there is nothing to test here; in CI the import error fails.
    collect_ignore_glob = ["test_*.py"]

KEYS_HEX = STORE_KEYS_HEX  # hash key, block key (AES-256)
KEYS = [bytes.fromhex(k) for k in KEYS_HEX]
USER = "gorilla"

_dbs = itertools.count()


def _bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(d, "initdb").exists():
            return Path(d)
    return None


class PGProc:
    """One postgres server on 127.0.0.1:port with its own data directory."""

    def __init__(self, port: int) -> None:
        bindir = _bindir()
        if bindir is None:
            _need("PostgreSQL (initdb/postgres; Debian package postgresql)")
            raise AssertionError("unreachable")
        self.bindir = bindir
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="gorillacompat-pg-"))
        self.datadir = self.root / "data"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self.proc: subprocess.Popen[bytes] | None = None
        self._run(str(bindir / "initdb"), "-D", str(self.datadir), "-U", USER, "--auth=trust",
                  "-E", "UTF8", "--no-instructions")  # fmt: skip

    def _user(self) -> dict[str, Any]:
        """Popen arguments that run the program itself as ``postgres`` (signals reach it)."""
        return {"user": "postgres", "group": "postgres", "extra_groups": []} if self.as_postgres else {}

    def _run(self, *args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, timeout=120, cwd=self.root, **self._user())

    def dsn(self, dbname: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{dbname}?sslmode=disable&connect_timeout=5"

    def connect(self, dbname: str = "postgres") -> Any:
        """A psycopg connection in autocommit mode."""
        import psycopg

        return psycopg.connect(self.dsn(dbname), autocommit=True)

    def start(self, timeout: float = 30) -> None:
        log = open(self.root / "server.log", "ab")
        self.proc = subprocess.Popen(
            [
                str(self.bindir / "postgres"), "-D", str(self.datadir), "-p", str(self.port),
                "-h", "127.0.0.1", "-k", str(self.root), "-c", "fsync=off",
                "-c", "full_page_writes=off",
            ],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.root, **self._user(),
        )  # fmt: skip
        log.close()

        def up() -> bool:
            with self.connect() as c:
                return c.execute("SELECT 1").fetchone() == (1,)

        wait_until(up, timeout, f"postgres on 127.0.0.1:{self.port}")

    def stop(self) -> None:
        """Fast shutdown (SIGINT: clients are disconnected, data is flushed)."""
        if self.proc is None:
            return
        self.proc.send_signal(2)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None

    def new_database(self) -> str:
        """A fresh, empty database; its DSN (for psycopg and for Go's lib/pq alike)."""
        name = f"t{os.getpid()}_{next(_dbs)}"
        with self.connect() as c:
            c.execute(f"CREATE DATABASE {name}")
        return self.dsn(name)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PGProc]:
    """One server shared by the session; each test gets its own database (``dsn``)."""
    with running(PGProc(free_port())) as srv:
        yield srv


@pytest.fixture
def dsn(pg_server: PGProc) -> str:
    return pg_server.new_database()


@pytest.fixture
def own_pg() -> Iterator[PGProc]:
    """A server of the test's own, which it may stop and restart."""
    with running(PGProc(free_port())) as srv:
        yield srv


class GoPG(GoStore):
    """The real antonlindstrom/pgstore via go-harness ``decode`` kinds pg_save / pg_load / pg_cleanup."""

    def one(self, dsn: str, **req: Any) -> dict[str, Any]:
        return self.call(dsn=dsn, **req)


@pytest.fixture(scope="session")
def go_pg(harness: Harness) -> GoPG:
    return GoPG(harness)
