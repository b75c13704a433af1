"""Live interop with the REAL wader/gormstore/v2 (go-harness gorm_* kinds), on PostgreSQL, SQLite
and MariaDB.

Go saves (strings, ints, flashes, a registered struct, a time) → Python reads the same values;
Python saves → Go reads; either side deletes → the other sees no session; expiry on both sides;
key rotation; the table name; a table made by either side used by the other; Go's quirks, pinned.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from gorillacompat import jsonview
from gorillacompat.gormstore import AsyncGormStore, GormStore
from gorillacompat.values import GoTime
from tests._interop import GO_VALUES, IFACE_MAP, canon, s
from tests.conftest import record_runs

from ._facade import cookie_of, make_store
from .conftest import KEYS, KEYS_HEX, GoGorm, Target

pytestmark = pytest.mark.live


def count(target: Target, table: str = "sessions") -> int:
    q = '"' if target.dialect == "postgres" else "`"
    return int(target.query(f"SELECT count(*) FROM {q}{table}{q}")[0][0])


@pytest.fixture(params=["sync", "async"])
def py(request: pytest.FixtureRequest, target: Target) -> Iterator[Any]:
    st = make_store(str(request.param), target.url, *KEYS)
    yield st
    st.close()


def test_go_saves_python_reads_python_updates_go_reads(go_gorm: GoGorm, target: Target, py: Any) -> None:
    ans = go_gorm.one(target, kind="gorm_save", values=GO_VALUES, flashes=["hi", "there"])
    assert ans["error"] is None
    (go_header,) = ans["set_cookie"]
    sid = ans["saved_id"]
    assert len(sid) == 52
    got = py.get({"session": cookie_of(go_header)}, "session")
    assert got.error is None and not got.is_new and got.id == sid
    want = [*GO_VALUES["v"], [s("_flash"), {"t": "[]interface {}", "v": [s("hi"), s("there")]}]]
    assert canon(jsonview.to_typed(got.values)) == canon({"t": IFACE_MAP, "v": want})
    assert got.flashes() == ["hi", "there"]
    got.values["py"] = "yes"
    py_header = py.save(got)
    # Same cookie attributes as Go's (the value differs: new timestamp and IV).
    assert py_header.split(";", 1)[1].split("Expires=")[0] == go_header.split(";", 1)[1].split("Expires=")[0]
    seen = go_gorm.one(target, kind="gorm_load", cookie=cookie_of(py_header))
    assert seen["load_error"] is None and seen["is_new"] is False and seen["session_id"] == sid
    assert canon(seen["values"]) == canon({"t": IFACE_MAP, "v": [*GO_VALUES["v"], [s("py"), s("yes")]]})
    assert count(target) == 1


def test_python_saves_go_reads_and_updates(go_gorm: GoGorm, target: Target, py: Any) -> None:
    sess = py.new({}, "session")
    sess.values["user"] = "bob"
    sess.values["n"] = 42
    sess.values["at"] = GoTime(1_700_000_000, 123456789, 3600)
    sess.add_flash("welcome")
    header = py.save(sess)
    assert len(sess.id) == 52
    got = go_gorm.one(target, kind="gorm_load", cookie=cookie_of(header))
    assert got["load_error"] is None and got["is_new"] is False and got["session_id"] == sess.id
    assert canon(got["values"]) == canon(jsonview.to_typed(sess.values))
    # Go updating it keeps the one row (Go reads our row back, times included) and Python sees it.
    upd = go_gorm.one(
        target,
        kind="gorm_save",
        cookie=cookie_of(header),
        values={"t": IFACE_MAP, "v": [[s("n"), {"t": "int", "v": 43}]]},
    )
    assert upd["error"] is None and upd["saved_id"] == sess.id and count(target) == 1
    assert py.get({"session": cookie_of(header)}, "session").values["n"] == 43


@pytest.mark.parametrize("who", ["go", "python"])
def test_either_side_deletes(go_gorm: GoGorm, target: Target, py: Any, who: str) -> None:
    ans = go_gorm.one(target, kind="gorm_save", values=GO_VALUES)
    cookie = cookie_of(ans["set_cookie"][0])
    if who == "go":
        gone = go_gorm.one(target, kind="gorm_save", cookie=cookie, max_age=-1)
        assert gone["error"] is None
        header = gone["set_cookie"][0]
        fresh = py.get({"session": cookie}, "session")
        assert fresh.is_new and fresh.error is None and not fresh.values
    else:
        header = py.delete(py.get({"session": cookie}, "session"))
        seen = go_gorm.one(target, kind="gorm_load", cookie=cookie)
        assert seen["is_new"] is True and seen["load_error"] is None
    assert header.split("; Expires")[0] == "session=; Path=/"
    assert count(target) == 0


def test_expired_rows_are_no_session_on_both_sides_and_cleanup(
    go_gorm: GoGorm, target: Target, py: Any
) -> None:
    # Go with MaxAge 1: the row is dead a second later for Go and for us, before any cleanup.
    ans = go_gorm.one(target, kind="gorm_save", values=GO_VALUES, max_age=1)
    go_cookie = cookie_of(ans["set_cookie"][0])
    assert not py.get({"session": go_cookie}, "session").is_new
    sess = py.new({}, "session")
    sess.options.max_age = 1
    py_cookie = cookie_of(py.save(sess))
    assert go_gorm.one(target, kind="gorm_load", cookie=py_cookie)["is_new"] is False
    time.sleep(1.1)
    late = py.get({"session": go_cookie}, "session")
    assert late.is_new and late.error is None
    assert go_gorm.one(target, kind="gorm_load", cookie=py_cookie)["is_new"] is True
    assert count(target) == 2
    # A save after expiry does what Go's does: a new row under a new ID (the dead one stays).
    late.values["again"] = 1
    cookie2 = cookie_of(py.save(late))
    assert late.id != ans["saved_id"] and count(target) == 3
    # Go's Cleanup deletes both dead rows; ours finds nothing left; the live row stays.
    go_gorm.one(target, kind="gorm_cleanup")
    assert count(target) == 1 and py.cleanup() == 0
    assert go_gorm.one(target, kind="gorm_load", cookie=cookie2)["is_new"] is False


def test_python_cleanup_deletes_what_go_wrote(go_gorm: GoGorm, target: Target, py: Any) -> None:
    go_gorm.one(target, kind="gorm_save", values=GO_VALUES, max_age=1)
    go_gorm.one(target, kind="gorm_save", values=GO_VALUES)
    assert py.cleanup() == 0
    time.sleep(1.1)
    assert py.cleanup() == 1 and count(target) == 1


def test_securecookie_expiry_on_both_sides(go_gorm: GoGorm, target: Target) -> None:
    then = int(time.time()) - 120
    # Python saved two minutes ago (row still live); Go with MaxAge 60 refuses the cookie.
    old = GormStore(target.url, *KEYS, clock=lambda: then)
    old.max_age = 60
    sess = old.new({}, "session")
    sess.options.max_age = 3600
    sess.values["a"] = 1
    cookie = cookie_of(old.save(sess))
    old.close()
    go = go_gorm.one(target, kind="gorm_load", cookie=cookie, store_max_age=60)
    assert go["is_new"] is True and go["load_error"] is None  # Go's New hides the error
    st = GormStore(target.url, *KEYS)
    st.max_age = 60
    late = st.get({"session": cookie}, "session")
    assert late.is_new and str(late.error) == "securecookie: expired timestamp"
    st.close()


def test_key_rotation_both_ways(go_gorm: GoGorm, target: Target) -> None:
    new_hash, new_block = b"N" * 32, b"B" * 32
    rotated_hex = [new_hash.hex(), new_block.hex(), *KEYS_HEX]
    ans = go_gorm.one(target, kind="gorm_save", values=GO_VALUES)  # old pair only
    st = GormStore(target.url, new_hash, new_block, *KEYS)
    got = st.get({"session": cookie_of(ans["set_cookie"][0])}, "session")
    assert got.error is None and got.values["user"] == "ann"
    got.values["user"] = "cat"
    header = st.save(got)  # encodes with the new pair
    seen = go_gorm.one(target, kind="gorm_load", cookie=cookie_of(header), keys=rotated_hex)
    assert seen["is_new"] is False and canon(seen["values"]) == canon(jsonview.to_typed(got.values))
    stale = go_gorm.one(target, kind="gorm_load", cookie=cookie_of(header))
    assert stale["is_new"] is True and stale["load_error"] is None
    st.close()


def test_max_length_text_matches_go(go_gorm: GoGorm, target: Target) -> None:
    go = go_gorm.one(
        target, kind="gorm_save", values={"t": IFACE_MAP, "v": [[s("v"), s("x" * 300)]]}, max_length=200
    )
    st = GormStore(target.url, *KEYS, max_length=200)
    sess = st.new({}, "session")
    sess.values["v"] = "x" * 300
    with pytest.raises(Exception) as info:
        st.save(sess)
    assert str(info.value) == go["error"]
    assert count(target) == 0
    st.close()


@pytest.mark.parametrize("maker", ["go", "python"])
def test_same_table_whoever_creates_it(go_gorm: GoGorm, target: Target, tmp_path: Any, maker: str) -> None:
    """The schema as the database reports it is the same, and AutoMigrate finds nothing to change."""
    go_made = go_gorm.one(target, kind="gorm_migrate")
    create = [q for q in go_made["sql"] if q.startswith("CREATE")]
    assert len(create) == 1
    reference = target.schema()
    target.query(create[0].replace("CREATE TABLE ", "DROP TABLE ").split(" (")[0])
    assert target.schema() == []
    if maker == "python":
        GormStore(target.url, *KEYS).close()
    else:
        go_gorm.one(target, kind="gorm_migrate")
    assert target.schema() == reference
    again = go_gorm.one(target, kind="gorm_migrate")
    assert not [q for q in again["sql"] if q.split()[0] in ("CREATE", "ALTER", "DROP")]


def test_python_create_statement_is_gorms(go_gorm: GoGorm, target: Target) -> None:
    go_made = go_gorm.one(target, kind="gorm_migrate", table_name="web_sessions")
    (create,) = [q for q in go_made["sql"] if q.startswith("CREATE")]
    st = GormStore(target.url, *KEYS, create_table=False, table_name="web_sessions")
    assert st.sql.create_table.replace("CREATE TABLE IF NOT EXISTS", "CREATE TABLE") == create
    st.close()


def test_table_name_option_both_ways(go_gorm: GoGorm, target: Target) -> None:
    st = GormStore(target.url, *KEYS, table_name="web_sessions")
    sess = st.new({}, "session")
    sess.values["t"] = "named"
    cookie = cookie_of(st.save(sess))
    assert count(target, "web_sessions") == 1
    seen = go_gorm.one(target, kind="gorm_load", cookie=cookie, table_name="web_sessions")
    assert seen["is_new"] is False and seen["session_id"] == sess.id
    # Go's default table is another table: the session is not there.
    assert go_gorm.one(target, kind="gorm_load", cookie=cookie)["is_new"] is True
    ans = go_gorm.one(target, kind="gorm_save", values=GO_VALUES, table_name="web_sessions")
    got = st.get({"session": cookie_of(ans["set_cookie"][0])}, "session")
    assert got.values["user"] == "ann"
    st.close()


def test_times_in_rows_look_like_gos(go_gorm: GoGorm, target: Target, py: Any) -> None:
    """created_at/updated_at/expires_at: the same types, precision and zone whichever side wrote."""
    go_gorm.one(target, kind="gorm_save", values=GO_VALUES)
    sess = py.new({}, "session")
    py.save(sess)
    rows = target.query("SELECT id, created_at, updated_at, expires_at FROM sessions")
    assert len(rows) == 2
    go_row, py_row = sorted(rows, key=lambda r: r[0] == sess.id)

    def shape(v: Any) -> Any:
        if isinstance(v, str):  # SQLite text: Go's layout "2006-01-02 15:04:05.999999999-07:00"
            return (len(v.split(".")[0]), v[-6:], v[10])
        return (type(v), v.tzinfo is None, v.microsecond % 1000 == 0 if target.dialect == "mysql" else None)

    for col in (1, 2, 3):
        assert shape(go_row[col]) == shape(py_row[col])
    # 30 days between created_at and expires_at on both rows (a Go time.Time the other side parses).
    assert go_gorm.one(target, kind="gorm_cleanup")["sql"]  # Go scans our rows' times without error
    if target.dialect != "sqlite":
        assert (py_row[3] - py_row[1]).total_seconds() == 86400 * 30


# -- Go's quirks --------------------------------------------------------------------------------


def test_go_quirk_max_age_zero_row_is_dead_at_once(go_gorm: GoGorm, target: Target, py: Any) -> None:
    """gormstore Save: expires_at = now + 0; New selects expires_at > now: never readable."""
    ans = go_gorm.one(target, kind="gorm_save", values=GO_VALUES, max_age=0)
    assert ans["error"] is None and count(target) == 1
    assert py.get({"session": cookie_of(ans["set_cookie"][0])}, "session").is_new
    sess = py.new({}, "session")
    sess.options.max_age = 0
    cookie = cookie_of(py.save(sess))
    assert go_gorm.one(target, kind="gorm_load", cookie=cookie)["is_new"] is True
    first = sess.id
    py.save(sess)  # the dead row is not updated: a new row, as Go's Save does
    assert sess.id != first and count(target) == 3


def test_go_quirk_saving_twice_in_one_request(go_gorm: GoGorm, target: Target, py: Any) -> None:
    """Go's Save finds the row through the request's cookie, not session.ID: a new session saved
    twice in one request makes two rows. Ours updates the row it wrote."""
    sess = py.new({}, "session")
    py.save(sess)
    sess.values["x"] = 1
    py.save(sess)
    assert count(target) == 1


def test_go_quirk_undecodable_row_is_overwritten_under_its_id(
    go_gorm: GoGorm, target: Target, py: Any
) -> None:
    """Go's New returns a fresh session (no error, ID "") for a row it cannot decode, but Save then
    updates that row, keeping its ID. We report the error and do the same update."""
    ans = go_gorm.one(target, kind="gorm_save", values=GO_VALUES)
    cookie, sid = cookie_of(ans["set_cookie"][0]), ans["saved_id"]
    target.query("UPDATE sessions SET data = 'garbage'")
    go = go_gorm.one(
        target, kind="gorm_save", cookie=cookie, values={"t": IFACE_MAP, "v": [[s("a"), s("b")]]}
    )
    assert go["load_error"] is None and go["is_new"] is True and go["session_id"] == ""
    assert go["saved_id"] == "" and count(target) == 1  # row updated, though session.ID stayed ""
    target.query("UPDATE sessions SET data = 'garbage'")
    got = py.get({"session": cookie}, "session")
    assert got.is_new and got.error is not None and got.id == sid
    got.values["c"] = "d"
    py.save(got)
    assert got.id == sid and count(target) == 1
    assert go_gorm.one(target, kind="gorm_load", cookie=cookie)["values"]["v"] == [[s("c"), s("d")]]


def test_go_quirk_updated_at_is_a_second_clock_reading(go_gorm: GoGorm, target: Target, py: Any) -> None:
    """On update GORM writes updated_at from its own NowFunc (on MySQL rounded to the millisecond),
    not gormstore's `now`; created_at is written back as read. We use one reading for both."""
    sess = py.new({}, "session")
    cookie = cookie_of(py.save(sess))
    before = target.query("SELECT created_at FROM sessions")[0][0]
    go_gorm.one(target, kind="gorm_save", cookie=cookie)
    (created, updated, expires) = target.query("SELECT created_at, updated_at, expires_at FROM sessions")[0]
    if target.dialect == "postgres":
        assert created == before  # Go wrote back the time it read
        assert (expires - updated).total_seconds() <= 86400 * 30  # updated_at read after `now`
    py.save(py.get({"session": cookie}, "session"))
    (updated, expires) = target.query("SELECT updated_at, expires_at FROM sessions")[0]
    if target.dialect == "sqlite":
        assert updated.split("+")[0][11:] == expires.split("+")[0][11:]
    else:
        assert (expires - updated).total_seconds() == 86400 * 30


def test_go_quirk_options_max_age_reaches_the_codecs_at_the_next_new(target: Target) -> None:
    """Go's New calls st.MaxAge(st.SessionOpts.MaxAge): assigning SessionOpts.MaxAge (or gin's
    Options) changes the codecs' max age too, from the next request on."""
    st = GormStore(target.url, *KEYS)
    st.options.max_age = 60
    assert st.rules.codecs[0].max_age == 86400 * 30
    st.new({}, "session")
    assert [c.max_age for c in st.rules.codecs] == [60]
    st.close()


def test_go_reads_what_concurrent_async_saves_wrote(go_gorm: GoGorm, pg_server: Any) -> None:
    """On PostgreSQL, loads and updates that tasks start together share statements
    (``select_many``, ``update_many``). They read and write what the lone statements would: an
    expired row is no session, a row deleted meanwhile is inserted under a new ID, the later of
    two saves of one session wins; and Go reads every row they wrote."""
    dsn = pg_server.new_database()
    target = Target("postgres", dsn, dsn)
    cookies = [
        cookie_of(go_gorm.one(target, kind="gorm_save", values=GO_VALUES)["set_cookie"][0]) for _ in range(6)
    ]
    now = [time.time()]
    store = AsyncGormStore(dsn, *KEYS, clock=lambda: now[0])
    assert store._loads is not None and store._updates is not None
    loads, updates = record_runs(store._loads), record_runs(store._updates)

    async def main() -> list[str]:
        doomed = await store.new({}, "session")
        doomed.options.max_age = 60
        doomed_cookie = cookie_of(await store.save(doomed))
        now[0] += 120  # its row has expired
        loaded = await asyncio.gather(
            *(store.get({"session": c}, "session") for c in [*cookies, doomed_cookie])
        )
        assert [s.is_new for s in loaded] == [False] * 6 + [True]
        target.query("DELETE FROM sessions WHERE id = %s", loaded[5].id)
        for i, sess in enumerate(loaded):
            sess.values["py"] = i
        again = await store.get({"session": cookies[0]}, "session")
        again.values["py"] = -1
        before = [sess.id for sess in loaded]
        headers = await asyncio.gather(*(store.save(s) for s in [*loaded, again]))
        moved = [i for i, sess in enumerate(loaded) if sess.id != before[i]]
        assert moved == [5, 6] and again.id == loaded[0].id  # no live row: a new ID each
        await store.close()
        return [cookie_of(h) for h in headers]

    saved = asyncio.run(main())
    assert max([*loads, *updates]) > 1
    for i, cookie in enumerate(saved[:7]):
        seen = go_gorm.one(target, kind="gorm_load", cookie=cookie)
        assert seen["load_error"] is None and seen["is_new"] is False
        py_value = [s("py"), {"t": "int", "v": -1 if i == 0 else i}]
        want = [py_value] if i == 6 else [*GO_VALUES["v"], py_value]
        assert canon(seen["values"]) == canon({"t": IFACE_MAP, "v": want})
