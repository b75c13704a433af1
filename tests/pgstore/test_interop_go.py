"""Live interop with the REAL antonlindstrom/pgstore (go-harness pg_* kinds) on a private server.

Go saves (strings, ints, flashes, a registered struct, a time) → Python reads the same values;
Python saves → Go reads; either side deletes → the other sees no session; expiry on both sides
(securecookie max age and the expired-row cleanup); key rotation; Go's quirks, pinned.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from gorillacompat import jsonview
from gorillacompat.pgstore import AsyncPGStore, PGStore
from gorillacompat.values import GoTime
from tests._interop import GO_VALUES, IFACE_MAP, canon, s

from ._facade import cookie_of, make_store
from .conftest import KEYS, KEYS_HEX, GoPG

pytestmark = pytest.mark.live


@pytest.fixture(params=["sync", "async"])
def py(request: pytest.FixtureRequest, dsn: str) -> Iterator[Any]:
    st = make_store(str(request.param), dsn, *KEYS)
    yield st
    st.close()


@pytest.fixture
def db(dsn: str) -> Iterator[psycopg.Connection[Any]]:
    conn = psycopg.connect(dsn, autocommit=True)
    yield conn
    conn.close()


def count(db: psycopg.Connection[Any]) -> int:
    row = db.execute("SELECT count(*) FROM http_sessions").fetchone()
    assert row is not None
    return int(row[0])


def test_go_saves_python_reads_python_updates_go_reads(go_pg: GoPG, dsn: str, py: Any) -> None:
    ans = go_pg.one(dsn, kind="pg_save", values=GO_VALUES, flashes=["hi", "there"])
    assert ans["error"] is None
    (go_header,) = ans["set_cookie"]
    sid = ans["saved_id"]
    got = py.get({"session": cookie_of(go_header)}, "session")
    assert got.error is None and not got.is_new and got.id == sid
    want = [*GO_VALUES["v"], [s("_flash"), {"t": "[]interface {}", "v": [s("hi"), s("there")]}]]
    assert canon(jsonview.to_typed(got.values)) == canon({"t": IFACE_MAP, "v": want})
    assert got.flashes() == ["hi", "there"]
    got.values["py"] = "yes"
    py_header = py.save(got)
    # Same cookie attributes as Go's (the value differs: new timestamp and IV).
    assert py_header.split(";", 1)[1].split("Expires=")[0] == go_header.split(";", 1)[1].split("Expires=")[0]
    seen = go_pg.one(dsn, kind="pg_load", cookie=cookie_of(py_header))
    assert seen["load_error"] is None and seen["is_new"] is False and seen["session_id"] == sid
    assert canon(seen["values"]) == canon({"t": IFACE_MAP, "v": [*GO_VALUES["v"], [s("py"), s("yes")]]})


def test_python_saves_go_reads(go_pg: GoPG, dsn: str, py: Any, db: psycopg.Connection[Any]) -> None:
    sess = py.new({}, "session")
    sess.values["user"] = "bob"
    sess.values["n"] = 42
    sess.values["at"] = GoTime(1_700_000_000, 123456789, 3600)
    sess.add_flash("welcome")
    header = py.save(sess)
    got = go_pg.one(dsn, kind="pg_load", cookie=cookie_of(header))
    assert got["load_error"] is None and got["is_new"] is False and got["session_id"] == sess.id
    assert canon(got["values"]) == canon(jsonview.to_typed(sess.values))
    # Go updating it keeps the one row (Go's UPDATE) and Python sees the change.
    upd = go_pg.one(
        dsn,
        kind="pg_save",
        cookie=cookie_of(header),
        values={"t": IFACE_MAP, "v": [[s("n"), {"t": "int", "v": 43}]]},
    )
    assert upd["error"] is None and upd["saved_id"] == sess.id and count(db) == 1
    assert py.get({"session": cookie_of(header)}, "session").values["n"] == 43


@pytest.mark.parametrize("who", ["go", "python"])
def test_either_side_deletes(go_pg: GoPG, dsn: str, py: Any, db: psycopg.Connection[Any], who: str) -> None:
    ans = go_pg.one(dsn, kind="pg_save", values=GO_VALUES)
    cookie = cookie_of(ans["set_cookie"][0])
    if who == "go":
        gone = go_pg.one(dsn, kind="pg_save", cookie=cookie, max_age=-1)
        assert gone["error"] is None
        header = gone["set_cookie"][0]
        fresh = py.get({"session": cookie}, "session")
        assert fresh.is_new and fresh.error is None and not fresh.values
    else:
        header = py.delete(py.get({"session": cookie}, "session"))
        seen = go_pg.one(dsn, kind="pg_load", cookie=cookie)
        assert seen["is_new"] is True and seen["load_error"] is None
    assert header.split("; Expires")[0] == "session=; Path=/"
    assert count(db) == 0


def test_securecookie_expiry_on_both_sides(go_pg: GoPG, dsn: str) -> None:
    then = int(time.time()) - 120
    # Python saved two minutes ago; Go with MaxAge 60 refuses it.
    old = PGStore(dsn, *KEYS, max_age=60, clock=lambda: then)
    sess = old.new({}, "session")
    sess.values["a"] = 1
    cookie = cookie_of(old.save(sess))
    old.close()
    go = go_pg.one(dsn, kind="pg_load", cookie=cookie, store_max_age=60)
    assert go["is_new"] is True and go["load_error"] == "securecookie: expired timestamp"
    # Go saved two minutes ago; Python with MaxAge 60 refuses it, with Go's text.
    ans = go_pg.one(dsn, kind="pg_save", values=GO_VALUES, now=then)
    st = PGStore(dsn, *KEYS, max_age=60)
    late = st.get({"session": cookie_of(ans["set_cookie"][0])}, "session")
    assert late.is_new and str(late.error) == go["load_error"]
    st.close()


def test_expired_rows_cleanup_on_both_sides(
    go_pg: GoPG, dsn: str, py: Any, db: psycopg.Connection[Any]
) -> None:
    # MaxAge 0 (a browser-session cookie): expires_on = now, so the next cleanup deletes it.
    ans = go_pg.one(dsn, kind="pg_save", values=GO_VALUES, max_age=0)
    go_cookie = cookie_of(ans["set_cookie"][0])
    assert not py.get({"session": go_cookie}, "session").is_new  # Go's reader ignores expires_on
    time.sleep(0.01)
    assert py.delete_expired() == 1
    assert go_pg.one(dsn, kind="pg_load", cookie=go_cookie)["is_new"] is True
    sess = py.new({}, "session")
    sess.options.max_age = 0
    py_cookie = cookie_of(py.save(sess))
    time.sleep(1.1)  # our clock has whole seconds
    go_pg.one(dsn, kind="pg_cleanup")
    assert count(db) == 0
    assert py.get({"session": py_cookie}, "session").is_new


def test_key_rotation_both_ways(go_pg: GoPG, dsn: str) -> None:
    new_hash, new_block = b"N" * 32, b"B" * 32
    rotated_hex = [new_hash.hex(), new_block.hex(), *KEYS_HEX]
    ans = go_pg.one(dsn, kind="pg_save", values=GO_VALUES)  # old pair only
    st = PGStore(dsn, new_hash, new_block, *KEYS)
    got = st.get({"session": cookie_of(ans["set_cookie"][0])}, "session")
    assert got.error is None and got.values["user"] == "ann"
    got.values["user"] = "cat"
    header = st.save(got)  # encodes with the new pair
    seen = go_pg.one(dsn, kind="pg_load", cookie=cookie_of(header), keys=rotated_hex)
    assert seen["load_error"] is None and canon(seen["values"]) == canon(jsonview.to_typed(got.values))
    stale = go_pg.one(dsn, kind="pg_load", cookie=cookie_of(header))
    assert stale["is_new"] is True and stale["load_error"] == "securecookie: the value is not valid"
    st.close()


def test_max_length_text_matches_go(go_pg: GoPG, dsn: str) -> None:
    go = go_pg.one(
        dsn, kind="pg_save", values={"t": IFACE_MAP, "v": [[s("v"), s("x" * 300)]]}, max_length=200
    )
    st = PGStore(dsn, *KEYS, max_length=200)
    sess = st.new({}, "session")
    sess.values["v"] = "x" * 300
    with pytest.raises(Exception) as info:
        st.save(sess)
    assert str(info.value) == go["error"]
    st.close()


def test_go_quirk_update_of_a_deleted_row_is_lost_we_insert(
    go_pg: GoPG, dsn: str, py: Any, db: psycopg.Connection[Any]
) -> None:
    sess = py.new({}, "session")
    sess.values["a"] = 1
    cookie = cookie_of(py.save(sess))
    # Go: New loads the row; cleanup (or another process) deletes it; Go's UPDATE hits 0 rows and
    # Save still succeeds. Here the harness loads and saves in one request, so delete first and
    # let Go see the stale cookie: IsNew stays true and Go INSERTs under the cookie's old ID.
    db.execute("DELETE FROM http_sessions")
    go = go_pg.one(
        dsn, kind="pg_save", cookie=cookie, values={"t": IFACE_MAP, "v": [[s("a"), {"t": "int", "v": 2}]]}
    )
    assert go["error"] is None and go["saved_id"] == sess.id and count(db) == 1
    # The loaded-then-deleted case, on our side: the save is not lost.
    loaded = py.get({"session": cookie}, "session")
    db.execute("DELETE FROM http_sessions")
    loaded.values["a"] = 3
    py.save(loaded)
    assert go_pg.one(dsn, kind="pg_load", cookie=cookie)["is_new"] is False


def test_go_quirk_corrupt_row_makes_go_insert_duplicates(
    go_pg: GoPG, dsn: str, py: Any, db: psycopg.Connection[Any]
) -> None:
    ans = go_pg.one(dsn, kind="pg_save", values=GO_VALUES)
    cookie = cookie_of(ans["set_cookie"][0])
    db.execute("UPDATE http_sessions SET data = 'garbage'")
    go = go_pg.one(dsn, kind="pg_save", cookie=cookie, values={"t": IFACE_MAP, "v": [[s("a"), s("b")]]})
    assert go["load_error"] is not None and go["error"] is None
    assert count(db) == 2  # Go: IsNew after a failed load → a second INSERT for the same key
    # We read the newest row (Go's fresh one), and our save rewrites both rows, which heals Go.
    got = py.get({"session": cookie}, "session")
    assert got.error is None and got.values["a"] == "b"
    py.save(got)
    assert go_pg.one(dsn, kind="pg_load", cookie=cookie)["load_error"] is None


def test_go_reads_what_concurrent_async_saves_wrote(go_pg: GoPG, dsn: str) -> None:
    """Go's sessions loaded and saved by many tasks at once (coalesced into shared statements)
    read back in Go with the tasks' values."""
    cookies = [cookie_of(go_pg.one(dsn, kind="pg_save", values=GO_VALUES)["set_cookie"][0]) for _ in range(6)]
    store = AsyncPGStore(dsn, *KEYS)

    async def main() -> None:
        loaded = await asyncio.gather(*(store.get({"session": c}, "session") for c in cookies))
        assert all(not sess.is_new and sess.error is None for sess in loaded)
        for i, sess in enumerate(loaded):
            sess.values["py"] = i
        await asyncio.gather(*(store.save(sess) for sess in loaded))
        await store.close()

    asyncio.run(main())
    for i, cookie in enumerate(cookies):
        seen = go_pg.one(dsn, kind="pg_load", cookie=cookie)
        assert seen["load_error"] is None and seen["is_new"] is False
        want = [*GO_VALUES["v"], [s("py"), {"t": "int", "v": i}]]
        assert canon(seen["values"]) == canon({"t": IFACE_MAP, "v": want})
