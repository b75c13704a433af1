"""A real headless Chromium shares one login between a Gin app on PostgreSQL and Python apps on ours.

One private PostgreSQL server and database; the Gin app (``go-harness gin-serve -backend
postgres``: gin-gonic/gin v1.10.1, gin-contrib/sessions v1.0.4 ``postgres.NewStore`` over the REAL
antonlindstrom/pgstore, ``sessions.Sessions`` middleware), a Flask app and a FastAPI app on
:class:`gorillacompat.pgstore.PGStore` (same database, same keys, same cookie name); one browser.
The browser holds one ``gsession`` cookie for 127.0.0.1 (cookies ignore the port) naming the
session ID; the session lives in the ``http_sessions`` row whose ``key`` is that ID.

Log in on Gin → Flask and FastAPI see the user; Python adds a flash → Gin shows it; log out on
Python → logged out on Gin (the row is deleted, the cookie is gone), and the reverse. A read-only
visit writes no row: gin-contrib saves only a session a handler touched.

Needs ``chromium`` + ``chromium-driver``, Go and PostgreSQL; with CI=true their absence fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

from gorillacompat.sessions.store import decode_session_id
from tests.conftest import running
from tests.e2e._apps import fastapi_app, flask_app
from tests.e2e._servers import (
    BLOCK_KEY,
    COOKIE_NAME,
    HASH_KEY,
    asgi_server,
    gin_server,
    go_key_flags,
    wsgi_server,
)
from tests.e2e.test_browser import Apps
from tests.e2e.test_browser import browser as browser  # the module-scoped Chromium fixture
from tests.gin.conftest import need_modules
from tests.pgstore.conftest import PGProc
from tests.redistore.conftest import free_port

if TYPE_CHECKING:
    import psycopg

    from gorillacompat.pgstore import PGStore

pytestmark = pytest.mark.live

#: Go: pgstore's default Options.MaxAge (30 days), the cookie's Max-Age.
PG_MAX_AGE = 86400 * 30


@pytest.fixture(scope="module")
def pg() -> Iterator[PGProc]:
    """A private PostgreSQL server of this module's own (tests/pgstore/conftest.py's PGProc)."""
    need_modules("pgstore", "psycopg", "psycopg_pool")
    with running(PGProc(free_port())) as srv:
        yield srv


class GinApps(Apps):
    """Gin ("go"), Flask and FastAPI on one database, plus a connection to look at the rows."""

    def __init__(
        self, driver: Any, urls: dict[str, str], db: psycopg.Connection[Any], store: PGStore
    ) -> None:
        super().__init__(driver, urls["go"], urls["flask"], urls["fastapi"])
        self.db = db
        self.store = store

    def session_id(self) -> str:
        """The session ID the browser's cookie names (decoded with the shared keys)."""
        (cookie,) = self.cookies()
        return decode_session_id(COOKIE_NAME, cookie["value"], self.store.rules.codecs)

    def rows(self, sid: str | None = None) -> int:
        """How many ``http_sessions`` rows there are (for one session ID, when given)."""
        if sid is None:
            row = self.db.execute("SELECT count(*) FROM http_sessions").fetchone()
        else:
            row = self.db.execute(
                "SELECT count(*) FROM http_sessions WHERE key = %s", (sid.encode(),)
            ).fetchone()
        assert row is not None
        return int(row[0])

    def users(self) -> list[Any]:
        return [self.user(app) for app in ("go", "flask", "fastapi")]


@pytest.fixture(scope="module")
def apps(browser: Any, pg: PGProc) -> Iterator[GinApps]:
    import psycopg

    from gorillacompat.pgstore import PGStore

    dsn = pg.new_database()
    with ExitStack() as stack:
        store = PGStore(dsn, HASH_KEY, BLOCK_KEY)  # creates http_sessions, as Go's NewStore does
        stack.callback(store.close)
        db = stack.enter_context(psycopg.connect(dsn, autocommit=True))
        go = stack.enter_context(gin_server(*go_key_flags(), "-backend", "postgres", "-pg-dsn", dsn))
        flask = stack.enter_context(wsgi_server(flask_app(store, COOKIE_NAME)))
        fastapi = stack.enter_context(asgi_server(fastapi_app(store, COOKIE_NAME)))
        yield GinApps(browser, {"go": go.url, "flask": flask, "fastapi": fastapi}, db, store)
    browser.delete_all_cookies()


@pytest.fixture
def fresh(apps: GinApps) -> GinApps:
    apps.driver.get(apps.urls["go"] + "/whoami")
    apps.driver.delete_all_cookies()
    apps.db.execute("DELETE FROM http_sessions")
    return apps


def test_login_on_gin_flask_and_fastapi_see_the_user(fresh: GinApps) -> None:
    assert len({u.rsplit(":", 1)[1] for u in fresh.urls.values()}) == 3  # three ports, one host
    body = fresh.visit("go", "/login?user=ann")
    (cookie,) = fresh.cookies()
    assert cookie["domain"] == "127.0.0.1" and cookie["path"] == "/"
    assert cookie["secure"] is False  # pgstore's default Options: Path "/", MaxAge 30 days only
    assert body["set_cookie"][0].endswith(f"Max-Age={PG_MAX_AGE}")
    sid = fresh.session_id()
    assert sid == body["id"] and len(sid) == 52 and fresh.rows(sid) == 1
    assert fresh.user("flask") == "ann"
    assert fresh.user("fastapi") == "ann"
    assert fresh.session_id() == sid and fresh.rows() == 1  # read-only visits wrote nothing new


def test_a_read_only_visit_stores_nothing(fresh: GinApps) -> None:
    assert fresh.users() == [None] * 3
    assert fresh.cookies() == [] and fresh.rows() == 0
    assert fresh.visit("go", "/whoami")["id"] == ""


def test_python_flash_shows_in_gin(fresh: GinApps) -> None:
    fresh.visit("flask", "/login?user=bob")
    sid = fresh.session_id()
    fresh.visit("flask", "/flash?msg=from-flask")
    fresh.visit("fastapi", "/flash?msg=from-fastapi")
    assert fresh.visit("go", "/flashes")["flashes"] == ["from-flask", "from-fastapi"]
    assert fresh.visit("go", "/flashes")["flashes"] == []
    fresh.visit("go", "/flash?msg=from-gin")
    assert fresh.visit("fastapi", "/flashes") == {"flashes": ["from-gin"]}
    assert fresh.visit("flask", "/flashes") == {"flashes": []}
    assert fresh.user("go") == "bob"
    assert fresh.session_id() == sid and fresh.rows() == 1  # one session, one row all along


@pytest.mark.parametrize("where", ["flask", "fastapi"])
def test_login_on_gin_logout_on_python(fresh: GinApps, where: str) -> None:
    fresh.visit("go", "/login?user=carol")
    sid = fresh.session_id()
    assert fresh.users() == ["carol"] * 3
    fresh.visit(where, "/logout")
    assert fresh.cookies() == []
    assert fresh.rows(sid) == 0  # Go: MaxAge -1 → DELETE FROM http_sessions WHERE key = ID
    assert fresh.users() == [None] * 3
    assert fresh.rows() == 0 and fresh.cookies() == []  # and no read re-creates it


@pytest.mark.parametrize("where", ["flask", "fastapi"])
def test_login_on_python_logout_on_gin(fresh: GinApps, where: str) -> None:
    fresh.visit(where, "/login?user=dan")
    sid = fresh.session_id()
    assert fresh.users() == ["dan"] * 3
    body = fresh.visit("go", "/logout")  # Clear(); Options(Options{Path: "/", MaxAge: -1}); Save()
    assert body["set_cookie"][0].startswith(f"{COOKIE_NAME}=;") and "Max-Age=0" in body["set_cookie"][0]
    assert fresh.cookies() == [] and fresh.rows(sid) == 0
    assert fresh.users() == [None] * 3
