"""Databases for the gormstore tests: a private MariaDB, the pgstore tests' PostgreSQL, SQLite files.

``MariaDBProc`` runs Debian's ``mariadbd`` on a fresh ``mariadb-install-db`` data directory, on
127.0.0.1 and a free port (no socket elsewhere, no other networking), started and stopped by
these fixtures with bounded waits. As root the server runs as the ``mysql`` user. With CI=true a
missing server is a failure, elsewhere a skip. ``target`` is one database per test, parametrized
over the three dialects GORM supports here.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, STORE_KEYS_HEX, GoStore, Harness, _need, running
from tests.pgstore.conftest import PGProc, pg_server
from tests.redistore.conftest import free_port, wait_until

if not IN_CI and not all(
    importlib.util.find_spec(m) for m in ("psycopg", "psycopg_pool", "pymysql", "aiomysql")
):
    # Without the gormstore extra there is nothing to test here; in CI the import error fails.
    collect_ignore_glob = ["test_*.py"]

__all__ = ["pg_server"]  # re-exported fixture: one PostgreSQL per session, shared with pgstore's

KEYS_HEX = STORE_KEYS_HEX  # hash key, block key (AES-256)
KEYS = [bytes.fromhex(k) for k in KEYS_HEX]
DIALECTS = ["postgres", "sqlite", "mysql"]

_dbs = itertools.count()


class MariaDBProc:
    """One mariadbd on 127.0.0.1:port with its own data directory (root, no password)."""

    def __init__(self, port: int) -> None:
        server, install = (
            shutil.which("mariadbd", path="/usr/sbin:/usr/bin"),
            shutil.which("mariadb-install-db"),
        )
        if server is None or install is None:
            _need("MariaDB (mariadbd, mariadb-install-db; Debian package mariadb-server)")
            raise AssertionError("unreachable")
        self.server = server
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="gorillacompat-maria-"))
        self.datadir = self.root / "data"
        self.user = "mysql" if os.geteuid() == 0 else ""
        if self.user:
            shutil.chown(self.root, self.user, self.user)
        self.proc: subprocess.Popen[bytes] | None = None
        args = [install, "--no-defaults", f"--datadir={self.datadir}", "--skip-test-db",
                "--auth-root-authentication-method=normal", "--skip-name-resolve"]  # fmt: skip
        if self.user:
            args.append(f"--user={self.user}")
        subprocess.run(args, check=True, capture_output=True, timeout=180, cwd=self.root, env=self._env())

    def _env(self) -> dict[str, str]:
        """mariadbd keeps temporary files in $TMPDIR, which the mysql user may not write (nox's)."""
        return {**os.environ, "TMPDIR": str(self.root)}

    def start(self, timeout: float = 60) -> None:
        log = open(self.root / "server.log", "ab")
        args = [
            self.server, "--no-defaults", f"--datadir={self.datadir}", f"--port={self.port}",
            "--bind-address=127.0.0.1", f"--socket={self.root / 'sock'}", f"--pid-file={self.root / 'pid'}",
            "--skip-name-resolve", "--skip-log-bin", "--innodb-buffer-pool-size=16M",
            "--innodb-log-file-size=8M", "--innodb-flush-log-at-trx-commit=0", "--performance-schema=OFF",
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci",
        ]  # fmt: skip
        if self.user:
            args.append(f"--user={self.user}")
        self.proc = subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, cwd=self.root, env=self._env()
        )
        log.close()

        def up() -> bool:
            with self.connect() as c, c.cursor() as cur:
                cur.execute("SELECT 1")
                return bool(cur.fetchone() == (1,))

        wait_until(up, timeout, f"mariadbd on 127.0.0.1:{self.port}")

    def connect(self, database: str | None = None) -> Any:
        pymysql: Any = importlib.import_module("pymysql")  # no type stubs
        return pymysql.connect(host="127.0.0.1", port=self.port, user="root", database=database,
                               autocommit=True, connect_timeout=5)  # fmt: skip

    def stop(self) -> None:
        """SIGTERM: a normal shutdown (clients are disconnected)."""
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None

    def new_database(self) -> str:
        name = f"t{os.getpid()}_{next(_dbs)}"
        with self.connect() as c, c.cursor() as cur:
            cur.execute(f"CREATE DATABASE {name}")
        return name

    def url(self, db: str) -> str:
        return f"mysql://root@127.0.0.1:{self.port}/{db}"

    def go_dsn(self, db: str) -> str:
        return f"root@tcp(127.0.0.1:{self.port})/{db}?parseTime=true"

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def maria_server() -> Iterator[MariaDBProc]:
    with running(MariaDBProc(free_port())) as srv:
        yield srv


@pytest.fixture
def own_maria() -> Iterator[MariaDBProc]:
    """A server of the test's own, which it may stop and restart."""
    with running(MariaDBProc(free_port())) as srv:
        yield srv


@dataclass
class Target:
    """One empty database of one dialect: our URL, Go's DSN, and a raw connection for checks."""

    dialect: str
    url: str
    go_dsn: str

    def connect(self) -> Any:
        """A DB-API connection in autocommit mode (each statement stands alone)."""
        if self.dialect == "postgres":
            import psycopg

            return psycopg.connect(self.url, autocommit=True)
        if self.dialect == "mysql":
            pymysql: Any = importlib.import_module("pymysql")
            rest = self.url.removeprefix("mysql://root@127.0.0.1:")
            port, db = rest.split("/")
            return pymysql.connect(
                host="127.0.0.1", port=int(port), user="root", database=db, autocommit=True
            )
        return sqlite3.connect(self.go_dsn, isolation_level=None)

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        conn = self.connect()
        try:
            cur = conn.cursor()
            cur.execute(sql.replace("?", "?" if self.dialect == "sqlite" else "%s"), params)
            return list(cur.fetchall()) if cur.description else []
        finally:
            conn.close()

    def schema(self, table: str = "sessions") -> list[tuple[Any, ...]]:
        """The table's columns, types, nullability and keys/indexes as the database reports them."""
        if self.dialect == "postgres":
            cols = self.query(
                "SELECT column_name, data_type, is_nullable, column_default, datetime_precision "
                "FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                table)  # fmt: skip
            idx = self.query(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ? ORDER BY 1", table
            )
            return cols + idx
        if self.dialect == "mysql":
            if not self.query("SHOW TABLES LIKE ?", table):
                return []
            create = self.query(f"SHOW CREATE TABLE `{table}`")
            cols = self.query(
                "SELECT column_name, column_type, is_nullable, column_default, column_key "
                "FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? "
                "ORDER BY ordinal_position", table)  # fmt: skip
            return create + cols
        return self.query(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name = ? ORDER BY name", table
        )


@pytest.fixture(params=DIALECTS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Target:
    dialect = str(request.param)
    if dialect == "postgres":
        pg: PGProc = request.getfixturevalue("pg_server")
        dsn = pg.new_database()
        return Target(dialect, dsn, dsn)
    if dialect == "mysql":
        maria: MariaDBProc = request.getfixturevalue("maria_server")
        db = maria.new_database()
        return Target(dialect, maria.url(db), maria.go_dsn(db))
    path = tmp_path / "sessions.db"
    return Target(dialect, f"sqlite:///{path}", str(path))


class GoGorm(GoStore):
    """The real wader/gormstore/v2 via go-harness ``decode`` kinds gorm_migrate/save/load/cleanup."""

    def one(self, target: Target, **req: Any) -> dict[str, Any]:
        return self.call(dialect=target.dialect, dsn=target.go_dsn, **req)


@pytest.fixture(scope="session")
def go_gorm(harness: Harness) -> GoGorm:
    return GoGorm(harness)
