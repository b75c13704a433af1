"""The store contract on a live PostgreSQL, sync (PGStore) and asyncio (AsyncPGStore) alike."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from gorillacompat.errors import GorillaError, MultiError
from gorillacompat.pgstore import AsyncPGStore, ExpiresOnTypeError, PGStore, PGStoreConfigError
from gorillacompat.sessions.store import Registry, Store
from gorillacompat.values import GoTime
from tests.conftest import failures_when_together, record_runs

from ._facade import cookie_of, make_store
from .conftest import KEYS

pytestmark = pytest.mark.live


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(flavor: str, dsn: str) -> Iterator[Any]:
    st = make_store(flavor, dsn, *KEYS)
    yield st
    st.close()


@pytest.fixture
def db(dsn: str) -> Iterator[psycopg.Connection[Any]]:
    conn = psycopg.connect(dsn, autocommit=True)
    yield conn
    conn.close()


def rows(db: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    return db.execute(
        "SELECT key, data, created_on, modified_on, expires_on FROM http_sessions ORDER BY id"
    ).fetchall()


def test_table_and_indexes_as_pgstore_creates_them(store: Any, db: psycopg.Connection[Any]) -> None:
    cols = db.execute(
        "SELECT column_name, data_type, column_default FROM information_schema.columns "
        "WHERE table_name = 'http_sessions' ORDER BY ordinal_position"
    ).fetchall()
    assert cols == [
        ("id", "bigint", "nextval('http_sessions_id_seq'::regclass)"),
        ("key", "bytea", None),
        ("data", "bytea", None),
        ("created_on", "timestamp with time zone", "CURRENT_TIMESTAMP"),
        ("modified_on", "timestamp with time zone", None),
        ("expires_on", "timestamp with time zone", None),
    ]
    idx = db.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'http_sessions' ORDER BY 1"
    ).fetchall()
    assert idx == [("http_sessions_expiry_idx",), ("http_sessions_key_idx",), ("http_sessions_pkey",)]


def test_new_save_get_round_trip_and_flashes(store: Any, db: psycopg.Connection[Any]) -> None:
    s = store.new({}, "session")
    assert s.is_new and s.id == "" and s.error is None
    s.values["user"] = "ann"
    s.add_flash("hello")
    header = store.save(s)
    assert len(s.id) == 52
    assert re.fullmatch(r"session=[\w=-]+; Path=/; Expires=[^;]+ GMT; Max-Age=2592000", header)
    ((key, data, created, modified, expires),) = rows(db)
    assert key == s.id.encode() and data.startswith(b"MT")
    assert created == modified and (expires - modified).total_seconds() == 86400 * 30
    got = store.get({"session": cookie_of(header)}, "session")
    assert not got.is_new and got.id == s.id and got.error is None
    assert got.values["user"] == "ann" and got.flashes() == ["hello"]
    # saving again updates the one row in place, keeping created_on
    got.values["n"] = 2
    store.save(got)
    ((key2, data2, created2, _, _),) = rows(db)
    assert key2 == key and data2 != data and created2 == created


def test_store_protocol_and_registry(dsn: str) -> None:
    store = PGStore(dsn, *KEYS)
    assert isinstance(store, Store)
    reg = Registry({})
    sess = reg.get(store, "session")
    sess.values["a"] = 1
    (header,) = reg.save_all()
    assert store.get({"session": cookie_of(header)}, "session").values["a"] == 1
    store.close()


def test_negative_max_age_deletes_and_delete_method(store: Any, db: psycopg.Connection[Any]) -> None:
    s = store.new({}, "session")
    s.values["a"] = 1
    cookie = cookie_of(store.save(s))
    loaded = store.get({"session": cookie}, "session")
    loaded.options.max_age = -1
    header = store.save(loaded)
    assert header == "session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0"
    assert rows(db) == []
    gone = store.get({"session": cookie}, "session")
    assert gone.is_new and gone.error is None and not gone.values and gone.id == s.id
    s2 = store.new({}, "session")
    s2.values["b"] = 2
    c2 = cookie_of(store.save(s2))
    assert store.delete(store.get({"session": c2}, "session")) == header
    assert rows(db) == []


def test_failed_save_keeps_the_committed_row(store: Any, db: psycopg.Connection[Any]) -> None:
    s = store.new({}, "session")
    s.values["a"] = 1
    store.save(s)
    before = rows(db)
    s.values["expires_on"] = "soon"  # Go panics here
    with pytest.raises(ExpiresOnTypeError):
        store.save(s)
    del s.values["expires_on"]
    s.values["big"] = "x" * 5000
    with pytest.raises(MultiError, match="the value is too long"):
        store.save(s)
    assert rows(db) == before


def test_row_deleted_under_a_loaded_session_is_written_again(store: Any, db: psycopg.Connection[Any]) -> None:
    # Go's save UPDATEs a not-new session and ignores "0 rows": the save is lost. We insert.
    s = store.new({}, "session")
    s.values["a"] = 1
    cookie = cookie_of(store.save(s))
    loaded = store.get({"session": cookie}, "session")
    db.execute("DELETE FROM http_sessions")
    loaded.values["a"] = 2
    store.save(loaded)
    assert len(rows(db)) == 1
    assert store.get({"session": cookie}, "session").values["a"] == 2


def test_duplicate_rows_read_newest_and_save_heals_all(store: Any, db: psycopg.Connection[Any]) -> None:
    s = store.new({}, "session")
    s.values["a"] = 1
    cookie = cookie_of(store.save(s))
    # What Go leaves after a row it could not decode: a second INSERT for the same key.
    db.execute("UPDATE http_sessions SET data = 'garbage'")
    broken = store.get({"session": cookie}, "session")
    assert broken.is_new and isinstance(broken.error, GorillaError)
    other = store.new({}, "session")
    other.values["a"] = 3
    store.save(other)  # data is signed for the cookie name, not the ID: it fits any row
    db.execute(
        "INSERT INTO http_sessions (key, data, created_on, modified_on, expires_on) "
        "SELECT %s, data, created_on, modified_on, expires_on FROM http_sessions WHERE key = %s",
        (s.id.encode(), other.id.encode()),
    )
    db.execute("DELETE FROM http_sessions WHERE key = %s", (other.id.encode(),))
    assert store.get({"session": cookie}, "session").values["a"] == 3
    again = store.get({"session": cookie}, "session")
    again.values["a"] = 4
    store.save(again)
    assert {r[1] for r in rows(db)} == {rows(db)[0][1]} and len(rows(db)) == 2


def test_expires_on_value_and_max_age_zero(flavor: str, dsn: str, db: psycopg.Connection[Any]) -> None:
    past = int(time.time()) - 100
    st = make_store(flavor, dsn, *KEYS, clock=lambda: past)
    try:
        s = st.new({}, "session")
        s.values["expires_on"] = GoTime(past + 7 * 86400 * 60)
        st.save(s)
        assert rows(db)[0][4].timestamp() == past + 7 * 86400 * 60
        z = st.new({}, "session")
        z.options.max_age = 0
        header = st.save(z)
        assert "Max-Age" not in header and "Expires" not in header
        assert rows(db)[1][4].timestamp() == past  # expires at once: next cleanup deletes it
        # Go's reader ignores expires_on; so do we: the row loads until cleanup removes it.
        assert not st.get({"session": cookie_of(header)}, "session").is_new
        assert st.delete_expired() == 1
        assert st.get({"session": cookie_of(header)}, "session").is_new
    finally:
        st.close()


def test_securecookie_max_age_expires_the_session(flavor: str, dsn: str) -> None:
    now = [int(time.time())]
    st = make_store(flavor, dsn, *KEYS, max_age=60, clock=lambda: now[0])
    try:
        s = st.new({}, "session")
        s.values["a"] = 1
        cookie = cookie_of(st.save(s))
        now[0] += 61
        late = st.get({"session": cookie}, "session")
        assert late.is_new and str(late.error) == "securecookie: expired timestamp"
    finally:
        st.close()


def test_key_rotation(flavor: str, dsn: str) -> None:
    new_key = b"n" * 32
    old = make_store(flavor, dsn, *KEYS)
    both = make_store(flavor, dsn, new_key, None, *KEYS)
    try:
        s = old.new({}, "session")
        s.values["a"] = 1
        cookie = cookie_of(old.save(s))
        got = both.get({"session": cookie}, "session")
        assert got.values["a"] == 1
        got.values["a"] = 2
        rotated = cookie_of(both.save(got))
        assert both.get({"session": rotated}, "session").values["a"] == 2
        stale = old.get({"session": rotated}, "session")
        assert stale.is_new and stale.error is not None
        # the row itself is now signed with the new key too
        assert old.get({"session": cookie}, "session").error is not None
    finally:
        old.close()
        both.close()


def test_cleanup_runs_and_stops(flavor: str, dsn: str, db: psycopg.Connection[Any]) -> None:
    past = int(time.time()) - 100
    st = make_store(flavor, dsn, *KEYS, clock=lambda: past)
    try:
        s = st.new({}, "session")
        s.options.max_age = 10
        st.save(s)
        if flavor == "sync":
            st.cleanup(0.05)
            with pytest.raises(PGStoreConfigError):
                st.cleanup(0.05)
            deadline = time.monotonic() + 10
            while rows(db) and time.monotonic() < deadline:
                time.sleep(0.05)
            st.stop_cleanup()
            st.stop_cleanup()  # idempotent
        else:

            async def run() -> None:
                import asyncio

                st.store.cleanup(0.05)
                for _ in range(200):
                    if not rows(db):
                        break
                    await asyncio.sleep(0.05)
                await st.store.stop_cleanup()

            st._run(run())
        assert rows(db) == []
    finally:
        st.close()


def test_bad_driver_object_and_no_keys(dsn: str) -> None:
    with pytest.raises(PGStoreConfigError):
        PGStore(42, *KEYS)  # type: ignore[arg-type]
    with pytest.raises(PGStoreConfigError):
        AsyncPGStore(42, *KEYS)  # type: ignore[arg-type]
    with pytest.raises(PGStoreConfigError, match="key pair"):
        PGStore(dsn)


def test_given_connection_and_pool(dsn: str) -> None:
    from psycopg_pool import ConnectionPool

    with psycopg.connect(dsn) as conn:
        st = PGStore(conn, *KEYS)
        s = st.new({}, "session")
        s.values["a"] = 1
        cookie = cookie_of(st.save(s))
        st.close()  # not ours: the connection stays open
        assert not conn.closed
    with ConnectionPool(dsn, min_size=1, max_size=2, open=True) as pool:
        st2 = PGStore(pool, *KEYS)
        assert st2.get({"session": cookie}, "session").values["a"] == 1
        st2.close()
        assert not pool.closed


def test_options_max_age_reaches_the_codecs_on_the_next_new(store: Any) -> None:
    """Go's ``New`` ends with ``db.MaxAge(db.Options.MaxAge)``; gin-contrib's ``Options`` relies on it."""
    store.options.max_age = 60
    assert {c.max_age for c in store.rules.codecs} == {86400 * 30}
    store.new({}, "session")
    assert {c.max_age for c in store.rules.codecs} == {60}


class _Conn:
    """Stands in for a pooled connection: IdleCheck only keys a weak map by it."""


def test_idle_check_checks_only_connections_left_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    from gorillacompat.pgstore import store as pg_store

    check, conn = pg_store.IdleCheck(), _Conn()
    assert check.stale(conn)  # never used: checked
    check.used(conn)
    assert not check.stale(conn)  # just used: a busy store pays no round trip
    monkeypatch.setattr(pg_store, "CHECK_IDLE_AFTER", 0.0)
    time.sleep(0.01)
    assert check.stale(conn)


def test_workers_starting_together_on_an_empty_database(pg_server: Any) -> None:
    """Two workers of one app start at once: CREATE TABLE IF NOT EXISTS alone collides in the
    catalog (unique_violation) and one worker would fail to start."""
    for _ in range(3):
        dsn = pg_server.new_database()
        assert failures_when_together(6, lambda dsn=dsn: PGStore(dsn, *KEYS).close()) == []


def test_async_concurrent_loads_and_saves_go_together(dsn: str, db: psycopg.Connection[Any]) -> None:
    """Loads and updates that tasks start together share statements (SELECT_ROWS, UPDATE_MANY)
    and read and write what the lone statements would: the newest of duplicate rows, every row of
    a key, an insert for a row deleted meanwhile, and the later of two saves of one session."""
    store = AsyncPGStore(dsn, *KEYS, pool_size=4)
    sizes = {"loads": record_runs(store._loads), "updates": record_runs(store._updates)}

    async def main() -> list[str]:
        cookies = []
        for i in range(12):
            s = await store.new({}, "session")
            s.values["a"] = i
            cookies.append(cookie_of(await store.save(s)))
        ids = [(await store.get({"session": c}, "session")).id for c in cookies]
        # Session 0 gets a newer second row holding session 1's values (what Go may leave).
        db.execute(
            "INSERT INTO http_sessions (key, data, created_on, modified_on, expires_on) "
            "SELECT %s, data, created_on, modified_on, expires_on FROM http_sessions WHERE key = %s",
            (ids[0].encode(), ids[1].encode()),
        )
        sizes["loads"].clear()
        loaded = await asyncio.gather(*(store.get({"session": c}, "session") for c in cookies))
        assert [s.values["a"] for s in loaded] == [1, *range(1, 12)]
        db.execute("DELETE FROM http_sessions WHERE key = %s", (ids[5].encode(),))
        for i, s in enumerate(loaded):
            s.values["a"] = 1000 + i
        again = await store.get({"session": cookies[3]}, "session")
        again.values["a"] = -3
        sizes["updates"].clear()
        await asyncio.gather(*(store.save(s) for s in [*loaded, again]))
        await store.close()
        return ids

    ids = asyncio.run(main())
    assert max(sizes["loads"]) > 1 and sum(sizes["loads"]) == 13  # the 12, and then "again"
    assert max(sizes["updates"]) > 1 and sum(sizes["updates"]) == 13
    check = PGStore(dsn, *KEYS)
    try:
        by_key: dict[bytes, list[bytes]] = {}
        for key, data, *_ in rows(db):
            by_key.setdefault(bytes(key), []).append(bytes(data))
        assert len(by_key[ids[0].encode()]) == 2 and len(set(by_key[ids[0].encode()])) == 1
        assert len(by_key[ids[5].encode()]) == 1  # inserted again
        for i, sid in enumerate(ids):
            sess = check.get({"session": _id_cookie(check, sid)}, "session")
            assert sess.values["a"] == (-3 if i == 3 else 1000 + i)
    finally:
        check.close()


def _id_cookie(store: PGStore, session_id: str) -> str:
    """The cookie value naming ``session_id`` (what pgstore's Set-Cookie carries)."""
    from gorillacompat.securecookie import encode_multi

    return encode_multi("session", session_id, store.rules.codecs)


def test_async_coalesced_updates_of_two_stores_never_deadlock(dsn: str) -> None:
    """Two processes' coalesced updates of the same sessions at once all commit (UPDATE_MANY locks
    its rows in ``id`` order; a deadlock would abort one of them with an error)."""
    stores = [AsyncPGStore(dsn, *KEYS, pool_size=4) for _ in range(2)]

    async def main() -> None:
        cookies = []
        for _ in range(8):
            s = await stores[0].new({}, "session")
            cookies.append(cookie_of(await stores[0].save(s)))

        async def worker(store: AsyncPGStore, order: list[str], t: int) -> None:
            for n in range(30):
                s = await store.get({"session": order[(t + n) % len(order)]}, "session")
                s.values["n"] = n
                await store.save(s)

        await asyncio.gather(
            *(worker(stores[0], cookies, t) for t in range(8)),
            *(worker(stores[1], cookies[::-1], t) for t in range(8)),
        )
        for st in stores:
            await st.close()

    asyncio.run(main())
