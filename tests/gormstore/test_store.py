"""The store contract on each dialect, sync and async: new/get/save/delete, rows, limits, cleanup,
driver objects instead of URLs, and the errors for what cannot work."""

from __future__ import annotations

import asyncio
import importlib
import logging
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

import pytest

from gorillacompat.gormstore import (
    AsyncGormStore,
    CorruptRowError,
    GormResponseError,
    GormStore,
    GormStoreConfigError,
)
from gorillacompat.sessions.session import InvalidCookieNameError
from tests.conftest import failures_when_together

from ._facade import SyncOverAsync, cookie_of, make_store
from .conftest import KEYS, MariaDBProc, Target

pytestmark = pytest.mark.live


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def st(flavor: str, target: Target) -> Iterator[Any]:
    store = make_store(flavor, target.url, *KEYS)
    yield store
    store.close()


def test_round_trip_update_keeps_one_row_and_the_id(st: Any, target: Target) -> None:
    sess = st.new({}, "session")
    assert sess.is_new and sess.id == ""
    sess.values["a"] = 1
    cookie = cookie_of(st.save(sess))
    sid = sess.id
    got = st.get({"session": cookie}, "session")
    assert not got.is_new and got.id == sid and got.values["a"] == 1
    got.values["a"] = 2
    for _ in range(3):  # same values within a millisecond: MySQL reports 0 changed rows
        assert cookie_of(st.save(got))
    assert got.id == sid and target.query("SELECT count(*) FROM sessions")[0][0] == 1
    assert st.get({"session": cookie}, "session").values["a"] == 2


def test_delete_and_invalid_name(st: Any, target: Target) -> None:
    sess = st.new({}, "session")
    cookie = cookie_of(st.save(sess))
    header = st.delete(st.get({"session": cookie}, "session"))
    assert header.startswith("session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0")
    assert target.query("SELECT count(*) FROM sessions")[0][0] == 0
    assert st.get({"session": cookie}, "session").is_new
    with pytest.raises(InvalidCookieNameError):
        st.get({}, "bad name")


def test_foreign_cookie_and_corrupt_row_give_fresh_sessions_with_errors(st: Any, target: Target) -> None:
    assert st.get({"session": "nonsense"}, "session").error is not None
    cookie = cookie_of(st.save(st.new({}, "session")))
    target.query("UPDATE sessions SET data = NULL")
    got = st.get({"session": cookie}, "session")
    assert got.is_new and isinstance(got.error, CorruptRowError)


def test_max_length_refuses_before_writing(flavor: str, target: Target) -> None:
    store = make_store(flavor, target.url, *KEYS, max_length=100)
    sess = store.new({}, "session")
    sess.values["v"] = "x" * 200
    with pytest.raises(Exception, match="too long"):
        store.save(sess)
    assert target.query("SELECT count(*) FROM sessions")[0][0] == 0
    getattr(store, "store", store).max_length = 0  # the async store behind the facade
    store.save(sess)
    store.close()


def test_failed_save_keeps_the_stored_row_and_names_no_id(flavor: str, target: Target) -> None:
    store = make_store(flavor, target.url, *KEYS)
    sess = store.new({}, "session")
    sess.values["v"] = 1
    cookie = cookie_of(store.save(sess))
    target.query("ALTER TABLE sessions RENAME TO moved")
    sess.values["v"] = 2
    with pytest.raises(GormResponseError) as info:
        store.save(sess)
    assert info.value.operation == "save" and sess.id not in str(info.value)
    target.query("ALTER TABLE moved RENAME TO sessions")
    assert store.get({"session": cookie}, "session").values["v"] == 1
    store.close()


def test_cleanup_and_periodic_cleanup(target: Target, caplog: pytest.LogCaptureFixture) -> None:
    store = GormStore(target.url, *KEYS)
    sess = store.new({}, "session")
    sess.options.max_age = 1
    store.save(sess)
    store.save(store.new({}, "session"))
    time.sleep(1.1)
    store.periodic_cleanup(0.05)
    with pytest.raises(GormStoreConfigError):
        store.periodic_cleanup(1)
    deadline = time.monotonic() + 10
    while target.query("SELECT count(*) FROM sessions")[0][0] != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert target.query("SELECT count(*) FROM sessions")[0][0] == 1
    target.query("ALTER TABLE sessions RENAME TO moved")
    with caplog.at_level(logging.WARNING, "gorillacompat.gormstore"):
        time.sleep(0.3)
    store.stop_cleanup()
    assert "unable to delete expired sessions" in caplog.text  # Go ignores this error
    store.close()


def test_async_periodic_cleanup(target: Target) -> None:
    async def run() -> int:
        store = AsyncGormStore(target.url, *KEYS)
        sess = await store.new({}, "session")
        sess.options.max_age = 1
        await store.save(sess)
        await asyncio.sleep(1.1)
        store.periodic_cleanup(0.05)
        await asyncio.sleep(0.5)
        await store.stop_cleanup()
        left = await store.cleanup()
        await store.close()
        return left

    assert asyncio.run(run()) == 0
    assert target.query("SELECT count(*) FROM sessions")[0][0] == 0


def test_driver_connections_instead_of_urls(target: Target) -> None:
    """The caller's own DB-API connection is used under a lock and left open by close()."""
    conn = target.connect()
    if target.dialect == "mysql":
        conn.autocommit(False)
    elif target.dialect == "sqlite":
        conn.close()
        conn = sqlite3.connect(target.go_dsn, check_same_thread=False)
    store = GormStore(conn, *KEYS)
    cookie = cookie_of(store.save(store.new({}, "session")))
    store.close()
    assert GormStore(conn, *KEYS).get({"session": cookie}, "session").is_new is False
    conn.close()


def test_async_driver_connections(target: Target) -> None:
    async def run() -> bool:
        if target.dialect == "postgres":
            import psycopg

            conn: Any = await psycopg.AsyncConnection.connect(target.url)
        elif target.dialect == "mysql":
            aiomysql: Any = importlib.import_module("aiomysql")  # no type stubs
            port, db = target.url.removeprefix("mysql://root@127.0.0.1:").split("/")
            conn = await aiomysql.connect(host="127.0.0.1", port=int(port), user="root", db=db)
        else:
            conn = sqlite3.connect(target.go_dsn, check_same_thread=False)
        store = AsyncGormStore(conn, *KEYS)
        cookie = cookie_of(await store.save(await store.new({}, "session")))
        new = (await store.get({"session": cookie}, "session")).is_new
        await store.close()
        if target.dialect == "postgres":
            await conn.close()
        else:
            conn.close()
        return new

    assert asyncio.run(run()) is False


def test_config_errors(target: Target) -> None:
    with pytest.raises(GormStoreConfigError):
        GormStore(object())
    with pytest.raises(GormStoreConfigError):
        AsyncGormStore(object(), *KEYS)
    with pytest.raises(GormStoreConfigError):
        GormStore(target.url)  # Go: CodecsFromPairs() would give no codecs


def test_skip_create_table_then_missing_table_is_a_response_error(flavor: str, target: Target) -> None:
    store = make_store(flavor, target.url, *KEYS, create_table=False)
    with pytest.raises(GormResponseError) as info:
        store.save(store.new({}, "session"))
    assert info.value.operation == "save"
    store.close()
    assert isinstance(store, (GormStore, SyncOverAsync))


def test_workers_starting_together_on_an_empty_database(target: Target) -> None:
    """Both see no table; the one whose CREATE loses the race goes on with the winner's table."""
    assert failures_when_together(6, lambda: GormStore(target.url, *KEYS).close()) == []
    # The async store creates the table on first use: six stores' first saves at once.
    stores = [AsyncGormStore(target.url, *KEYS, table_name="async_sessions") for _ in range(6)]

    async def first_saves() -> list[object]:
        try:
            fresh = [await st.new({}, "session") for st in stores]  # no I/O yet
            saves = (st.save(f) for st, f in zip(stores, fresh, strict=True))
            return await asyncio.gather(*saves, return_exceptions=True)
        finally:
            for st in stores:
                await st.close()

    assert [r for r in asyncio.run(first_saves()) if not isinstance(r, str)] == []
    store = GormStore(target.url, *KEYS)
    try:
        sess = store.new({}, "session")
        sess.values["a"] = 1
        assert not store.get({"session": cookie_of(store.save(sess))}, "session").is_new
    finally:
        store.close()


def _commits(maria: MariaDBProc) -> int:
    with maria.connect() as c, c.cursor() as cur:
        cur.execute("SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_commit', 'Com_begin')")
        return sum(int(v) for _, v in cur.fetchall())


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_mysql_pools_made_from_a_url_commit_transactions_only(flavor: str, maria_server: MariaDBProc) -> None:
    """Each load and save is one statement that commits itself (two round trips fewer than
    BEGIN/COMMIT around each); a "transaction" use still begins, commits, or rolls back whole."""
    db = maria_server.new_database()
    store = make_store(flavor, maria_server.url(db), *KEYS)
    try:
        session = store.new({}, "session")
        cookie = cookie_of(store.save(session))
        before = _commits(maria_server)
        for n in range(5):
            loaded = store.get({"session": cookie}, "session")
            assert loaded.is_new is False
            loaded.values["n"] = n
            store.save(loaded)
        assert _commits(maria_server) == before
        with maria_server.connect(db) as c, c.cursor() as cur:  # another connection sees each save
            cur.execute("SELECT count(*) FROM sessions")
            assert cur.fetchone()[0] == 1
        assert store.get({"session": cookie}, "session").values["n"] == 4

        insert = (
            "INSERT INTO sessions (id, data, created_at, updated_at, expires_at) "
            "VALUES ('x', '', NOW(), NOW(), NOW())"
        )

        async def half_done(cur: Any) -> None:
            await cur.execute(insert)
            raise RuntimeError("after the first statement")

        with pytest.raises(RuntimeError):
            if isinstance(store, SyncOverAsync):
                store._run(store.store._run("test", "transaction", half_done))
            else:
                with store._cursor("test", "transaction") as cur:
                    cur.execute(insert)
                    raise RuntimeError("after the first statement")
        assert _commits(maria_server) > before
        with maria_server.connect(db) as c, c.cursor() as cur:
            cur.execute("SELECT count(*) FROM sessions")
            assert cur.fetchone()[0] == 1  # the insert was rolled back with its transaction
    finally:
        store.close()
