"""Faults on a live server: PostgreSQL stopped mid-request and restarted; concurrent saves.

The store raises a typed error (never a bare psycopg one), never reports an unacknowledged save as
done, keeps what it acknowledged, and the same store object works again once the server is back.
"""

from __future__ import annotations

import threading

import psycopg
import pytest

from gorillacompat.pgstore import PGConnectionError, PGStore, PGStoreError
from gorillacompat.sessions.session import Session
from tests.conftest import eventually

from ._facade import cookie_of, make_store
from .conftest import KEYS, PGProc

pytestmark = pytest.mark.live


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_server_stopped_mid_request_then_restarted(own_pg: PGProc, flavor: str) -> None:
    dsn = own_pg.new_database()
    st = make_store(flavor, dsn, *KEYS, timeout=2.0)
    try:
        s = st.new({}, "session")
        s.values["n"] = 1
        cookie = cookie_of(st.save(s))  # acknowledged
        loaded = st.get({"session": cookie}, "session")
        loaded.values["n"] = 2
        own_pg.stop()  # mid-request: between load and save
        with pytest.raises(PGStoreError) as info:
            st.save(loaded)
        assert isinstance(info.value, PGConnectionError)  # PGTimeoutError is one too
        assert info.value.operation == "save" and s.id not in str(info.value)
        with pytest.raises(PGConnectionError):
            st.get({"session": cookie}, "session")
        own_pg.start()
        # The pool reconnects with psycopg_pool's backoff (1 s, doubling, jittered): wait for it.
        back = eventually(lambda: st.get({"session": cookie}, "session"), 30)
        # The acknowledged save survived; the failed one was not half-applied.
        assert back.error is None and back.values["n"] == 1
        back.values["n"] = 3
        st.save(back)
        assert st.get({"session": cookie}, "session").values["n"] == 3
    finally:
        st.close()


def save_at_once(stores: list[PGStore], sessions: list[Session]) -> None:
    """``stores[i].save(sessions[i])`` for every i, released together from threads."""
    barrier = threading.Barrier(len(stores))

    def save(i: int) -> None:
        barrier.wait()
        stores[i].save(sessions[i])

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_two_processes_saving_one_session_last_write_wins_no_torn_or_duplicate_row(dsn: str) -> None:
    """Two stores (as two processes would) save the same known ID with no row, at once, often."""
    stores = [PGStore(dsn, *KEYS), PGStore(dsn, *KEYS)]
    try:
        with psycopg.connect(dsn, autocommit=True) as db:
            for round_ in range(15):
                first = stores[0].new({}, "session")
                first.values["r"] = round_
                cookie = cookie_of(stores[0].save(first))
                db.execute("DELETE FROM http_sessions")  # both see the ID and no row: both insert
                loaded = [st.get({"session": cookie}, "session") for st in stores]
                for who, sess in enumerate(loaded):
                    sess.values["who"] = who
                save_at_once(stores, loaded)
                assert db.execute("SELECT count(*) FROM http_sessions").fetchone() == (1,)
                final = stores[0].get({"session": cookie}, "session")
                assert final.error is None and final.values["who"] in (0, 1)
    finally:
        for st in stores:
            st.close()
