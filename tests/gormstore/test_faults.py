"""Faults: the database stopped mid-request and restarted (PostgreSQL, MariaDB); SQLite locked.

The store raises a typed error (never a bare driver one), never reports an unacknowledged save as
done, keeps what it acknowledged, and the same store object works again once the server is back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from gorillacompat.gormstore import GormConnectionError, GormStore, GormStoreError, GormTimeoutError
from tests.conftest import eventually
from tests.pgstore.conftest import PGProc
from tests.redistore.conftest import free_port

from ._facade import cookie_of, make_store
from .conftest import KEYS, MariaDBProc

pytestmark = pytest.mark.live


@pytest.mark.parametrize("flavor", ["sync", "async"])
@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_server_stopped_mid_request_then_restarted(dialect: str, flavor: str) -> None:
    srv: Any = PGProc(free_port()) if dialect == "postgres" else MariaDBProc(free_port())
    try:
        srv.start()
        url = srv.new_database() if dialect == "postgres" else srv.url(srv.new_database())
        st = make_store(flavor, url, *KEYS, timeout=3.0)
        try:
            s = st.new({}, "session")
            s.values["n"] = 1
            cookie = cookie_of(st.save(s))  # acknowledged
            loaded = st.get({"session": cookie}, "session")
            loaded.values["n"] = 2
            srv.stop()  # mid-request: between load and save
            with pytest.raises(GormStoreError) as info:
                st.save(loaded)
            assert isinstance(info.value, GormConnectionError)  # GormTimeoutError is one too
            assert info.value.operation == "save" and s.id not in str(info.value)
            with pytest.raises(GormConnectionError):
                st.get({"session": cookie}, "session")
            srv.start()
            back = eventually(lambda: st.get({"session": cookie}, "session"), 30)
            # The acknowledged save survived; the failed one was not half-applied.
            assert back.error is None and back.values["n"] == 1
            back.values["n"] = 3
            st.save(back)
            assert st.get({"session": cookie}, "session").values["n"] == 3
        finally:
            st.close()
    finally:
        srv.remove()


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_sqlite_locked_is_a_timeout_and_keeps_the_row(tmp_path: Path, flavor: str) -> None:
    path = tmp_path / "s.db"
    st = make_store(flavor, f"sqlite:///{path}", *KEYS, timeout=0.2)
    try:
        s = st.new({}, "session")
        s.values["n"] = 1
        cookie = cookie_of(st.save(s))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
        s.values["n"] = 2
        with pytest.raises(GormTimeoutError) as info:
            st.save(s)
        assert info.value.operation == "save"
        other.execute("ROLLBACK")
        other.close()
        assert st.get({"session": cookie}, "session").values["n"] == 1
        st.save(s)
        assert st.get({"session": cookie}, "session").values["n"] == 2
    finally:
        st.close()


def test_unreachable_server_at_construction_is_typed(tmp_path: Path) -> None:
    port = free_port()
    with pytest.raises(GormConnectionError) as info:
        GormStore(f"mysql://root@127.0.0.1:{port}/x", *KEYS, timeout=1.0)
    assert info.value.operation == "create table"
