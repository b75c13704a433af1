"""Many tasks or threads on one store, and tasks cancelled mid-statement (issue 14's benchmark).

AsyncGormStore on SQLite once ran its blocking waits (a pool slot, SQLite's busy wait) on
asyncio's shared executor, which the transactions holding the lock needed to commit: 16 tasks
timed out. And a task cancelled mid-statement had its connection closed by another thread while
its own still ran the statement: a segfault.
"""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from gorillacompat.gormstore import AsyncGormStore, GormStore
from gorillacompat.gormstore._pool import ConnectionThread

from ._facade import cookie_of
from .conftest import KEYS, Target

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
TASKS = 32
OPS = 8  # get + save each


async def _many_tasks(store: AsyncGormStore) -> None:
    try:
        first = await store.new({}, "session")
        cookie = cookie_of(await store.save(first))

        async def work(t: int) -> None:
            own = await store.new({}, "session")  # an insert per task, then updates
            mine = cookie_of(await store.save(own))
            for i in range(OPS):
                for c in (cookie, mine):
                    s = await store.get({"session": c}, "session")
                    assert not s.is_new, s.error
                    s.values["n"] = t * OPS + i
                    await store.save(s)

        await asyncio.gather(*(work(t) for t in range(TASKS)))
    finally:
        await store.close()


@pytest.mark.parametrize("pool_size", [1, 4, 16])
def test_issue_14_many_tasks_share_a_small_pool(target: Target, pool_size: int) -> None:
    """32 tasks on pool_size connections: no deadlock, no spurious timeout, one row per session."""
    asyncio.run(_many_tasks(AsyncGormStore(target.url, *KEYS, pool_size=pool_size, timeout=10.0)))
    assert target.query("SELECT count(*) FROM sessions")[0][0] == TASKS + 1


def test_issue_14_many_threads_on_one_sqlite_file(tmp_path: Path) -> None:
    """16 threads, 4 connections, one SQLite file; a second store (another writer) on it too."""
    url = f"sqlite:///{tmp_path / 's.db'}"
    stores = [GormStore(url, *KEYS, pool_size=4, timeout=10.0), GormStore(url, *KEYS, pool_size=2)]
    cookie = cookie_of(stores[0].save(stores[0].new({}, "session")))
    errors: list[BaseException] = []

    def work(t: int) -> None:
        store = stores[t % 2]
        try:
            for i in range(OPS):
                s = store.get({"session": cookie}, "session")
                assert not s.is_new, s.error
                s.values["n"] = t * OPS + i
                store.save(s)
                store.save(store.new({}, "session"))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(16)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for store in stores:
        store.close()
    assert errors == []
    assert len(Target("sqlite", url, str(tmp_path / "s.db")).query("SELECT id FROM sessions")) == 1 + 16 * OPS


def test_issue_14_cancelled_mid_statement_keeps_the_store_and_rows(target: Target) -> None:
    """Hundreds of cancelled get+save: no crash (in a subprocess), every slot back, rows intact."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.gormstore._cancel_child", target.url],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stdout}{proc.stderr[-3000:]}"
    rows: Any = target.query("SELECT count(*) FROM sessions")
    assert rows[0][0] == 8  # _cancel_child.SESSIONS: cancelled saves updated in place or not at all
    if target.dialect == "sqlite":
        assert target.query("PRAGMA integrity_check") == [("ok",)]


def test_a_sqlite_use_is_one_trip_and_its_body_may_await_only_the_cursor(tmp_path: Path) -> None:
    """``ConnectionThread.run``: the statements and the commit run on the connection's thread in one
    go; a body that awaits anything else is refused, rolled back, and the slot comes back."""
    path = tmp_path / "t.db"
    pool = ConnectionThread(lambda: sqlite3.connect(path, check_same_thread=False), 5.0)
    threads: list[str] = []

    async def create(cur: Any) -> None:
        await cur.execute("CREATE TABLE t (n INTEGER)")

    async def insert(cur: Any) -> int:
        threads.append(threading.current_thread().name)
        await cur.execute("INSERT INTO t VALUES (1)")
        return cur.rowcount

    async def strays(cur: Any) -> None:
        await cur.execute("INSERT INTO t VALUES (2)")
        await asyncio.sleep(0)  # not the cursor: cannot run on the connection's thread

    async def count(cur: Any) -> list[int]:
        await cur.execute("SELECT n FROM t ORDER BY n")
        return [row[0] for row in [await cur.fetchone(), await cur.fetchone()] if row is not None]

    async def main() -> None:
        try:
            await pool.run(create)
            assert await pool.run(insert) == 1
            assert threads[0].startswith("gormstore-db") and threads[0] != threading.current_thread().name
            with pytest.raises(RuntimeError, match="awaited something other than its cursor"):
                await pool.run(strays)
            assert await asyncio.wait_for(pool.run(count, "read"), 5) == [1]  # rolled back; slot back
        finally:
            await pool.close()

    asyncio.run(main())


def _insert(n: int) -> Callable[[Any], Awaitable[int]]:
    async def body(cur: Any) -> int:
        await cur.execute("INSERT INTO t VALUES (?)", (n,))
        return n

    return body


def _table_t(path: Path) -> list[int]:
    """Make ``t`` (n unique) if missing; its rows."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER PRIMARY KEY)")
        return [n for (n,) in conn.execute("SELECT n FROM t ORDER BY n")]


def test_sqlite_uses_queued_together_commit_together_and_fail_alone(tmp_path: Path) -> None:
    """The uses queued behind one run as a group with one commit; a use that fails is rolled back
    to its savepoint and the others of its group are committed."""
    path = tmp_path / "t.db"
    _table_t(path)
    commits: list[int] = []

    class Counting:
        """A sqlite3 connection that counts its commits."""

        def __init__(self) -> None:
            self.conn = sqlite3.connect(path, check_same_thread=False)
            self.cursor, self.rollback, self.close = self.conn.cursor, self.conn.rollback, self.conn.close

        def commit(self) -> None:
            commits.append(1)
            self.conn.commit()

    pool = ConnectionThread(Counting, 5.0)

    async def main() -> list[object]:
        try:
            await pool.run(_insert(0))
            commits.clear()
            # Queued in one loop turn: the thread takes them as one group, or 1 alone and the rest.
            return await asyncio.gather(*(pool.run(_insert(n)) for n in (1, 2, 2, 4)), return_exceptions=True)
        finally:
            await pool.close()

    results = asyncio.run(main())
    assert results[:2] == [1, 2] and results[3] == 4
    assert isinstance(results[2], sqlite3.IntegrityError)
    assert _table_t(path) == [0, 1, 2, 4]
    assert len(commits) in (1, 2)  # not one per use: three were committed


def test_sqlite_group_whose_commit_fails_fails_every_use_and_writes_nothing(tmp_path: Path) -> None:
    """A reader of another process holds the file: the group's COMMIT waits out the busy timeout
    and fails; none of its uses was acknowledged, and none of them was written."""
    path = tmp_path / "t.db"
    _table_t(path)
    pool = ConnectionThread(lambda: sqlite3.connect(path, timeout=0.2, check_same_thread=False), 5.0)
    reader = sqlite3.connect(path, isolation_level=None)

    async def main() -> list[object]:
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM t").fetchall()  # holds a SHARED lock
            failed = await asyncio.gather(*(pool.run(_insert(n)) for n in (1, 2, 3)), return_exceptions=True)
            reader.execute("COMMIT")
            return [*failed, await pool.run(_insert(9))]
        finally:
            await pool.close()

    try:
        results = asyncio.run(main())
    finally:
        reader.close()
    assert all(isinstance(r, sqlite3.OperationalError) for r in results[:3]), results
    assert results[3] == 9 and _table_t(path) == [9]


def test_a_sqlite_use_that_waits_past_the_timeout_fails_and_never_runs(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with closing(sqlite3.connect(path)) as setup:
        setup.execute("CREATE TABLE t (n INTEGER)")

    def slow_connect() -> sqlite3.Connection:
        time.sleep(1.0)  # the first use holds the thread this long
        return sqlite3.connect(path, check_same_thread=False)

    pool = ConnectionThread(slow_connect, 0.3)

    def insert(n: int) -> Callable[[Any], Awaitable[None]]:
        async def body(cur: Any) -> None:
            await cur.execute("INSERT INTO t VALUES (?)", (n,))

        return body

    async def main() -> None:
        try:
            first = asyncio.ensure_future(pool.run(insert(1)))  # started: not bounded by the wait
            await asyncio.sleep(0)  # it is queued first
            with pytest.raises(TimeoutError, match="no turn on the file"):
                await pool.run(insert(2))
            await first
            await pool.run(insert(3))
        finally:
            await pool.close()

    asyncio.run(main())
    with closing(sqlite3.connect(path)) as check:
        assert [n for (n,) in check.execute("SELECT n FROM t ORDER BY n")] == [1, 3]
