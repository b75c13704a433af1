"""A real headless Chromium shares one login between a Go app on boj/redistore and Python apps on ours.

The shared-login flow of the redistore issue: one loopback ``redis-server``; the Go app
(``go-harness serve -store redis``, the REAL boj/redistore v2.0.1 ``NewStore`` or v1.4.2
``NewRediStore``), a Flask app and a FastAPI app on :class:`gorillacompat.redistore.RedisStore`
(same Redis, same keys, same ``session_`` prefix, same cookie name); one browser session. The
browser holds one ``gsession`` cookie for 127.0.0.1 (cookies ignore the port) that names the
session ID; the session itself lives in Redis under ``session_<ID>``.

Log in on Go → Flask and FastAPI see the user; Python adds a flash → Go shows it; log out on any
side → every app is logged out, the cookie is gone and so is the Redis key (Go: ``MaxAge = -1``
→ ``DEL``). The key exists exactly while Go's rules say it should: written by a save (``SETEX``,
TTL = ``Options.MaxAge``, 30 days), never by a read-only visit. tests/redistore/test_shared_login.py
is the same flow over httpx, with more of the Redis rules.

Needs ``chromium`` + ``chromium-driver``, Go and ``redis-server``; with CI=true their absence fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from gorillacompat.redistore import RedisStore
from tests.e2e._apps import fastapi_app, flask_app
from tests.e2e._servers import (
    BLOCK_KEY,
    COOKIE_NAME,
    HASH_KEY,
    SESSION_EXPIRE,
    asgi_server,
    go_key_flags,
    go_redis_flags,
    go_server,
    wsgi_server,
)
from tests.e2e.test_browser import Apps
from tests.e2e.test_browser import browser as browser  # the module-scoped Chromium fixture
from tests.redistore.conftest import RedisProc, _require, free_port

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def redis_proc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisProc]:
    """A loopback redis-server of this module's own (tests/redistore/conftest.py's RedisProc)."""
    _require("redis-server")
    srv = RedisProc(tmp_path_factory.mktemp("redis-e2e"), free_port())
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


class RedisApps(Apps):
    """The three apps on one Redis, plus a raw client to look at the keys."""

    def __init__(self, driver: Any, urls: dict[str, str], raw: Any, store: RedisStore) -> None:
        super().__init__(driver, urls["go"], urls["flask"], urls["fastapi"])
        self.raw = raw
        self.store = store

    def session_id(self) -> str:
        """The session ID the browser's cookie names (decoded with the shared keys)."""
        (cookie,) = self.cookies()
        return self.store.rules.session_id_from_cookie(COOKIE_NAME, cookie["value"])

    def key_exists(self, sid: str) -> bool:
        return bool(self.raw.exists("session_" + sid))

    def ttl(self, sid: str) -> int:
        return int(self.raw.ttl("session_" + sid))

    def users(self) -> list[Any]:
        return [self.user(app) for app in ("go", "flask", "fastapi")]


@pytest.fixture(scope="module", params=["v2", "v1"])
def apps(request: pytest.FixtureRequest, browser: Any, redis_proc: RedisProc) -> Iterator[RedisApps]:
    flavor = request.param
    store = RedisStore(redis_proc.url, HASH_KEY, BLOCK_KEY, compat=flavor)
    raw = redis_proc.client()
    with ExitStack() as stack:
        stack.callback(store.close)
        stack.callback(raw.close)
        go = stack.enter_context(go_server(*go_key_flags(), *go_redis_flags(redis_proc.addr, flavor)))
        flask = stack.enter_context(wsgi_server(flask_app(store, COOKIE_NAME)))
        fastapi = stack.enter_context(asgi_server(fastapi_app(store, COOKIE_NAME)))
        urls = {"go": go.url, "flask": flask, "fastapi": fastapi}
        yield RedisApps(browser, urls, raw, store)
    browser.delete_all_cookies()


@pytest.fixture
def fresh(apps: RedisApps) -> RedisApps:
    apps.driver.get(apps.urls["go"] + "/whoami")
    apps.driver.delete_all_cookies()
    return apps


def test_login_on_go_flask_and_fastapi_see_the_user(fresh: RedisApps) -> None:
    assert len({u.rsplit(":", 1)[1] for u in fresh.urls.values()}) == 3  # three ports, one host
    body = fresh.visit("go", "/login?user=ann")
    (cookie,) = fresh.cookies()
    assert cookie["domain"] == "127.0.0.1" and cookie["path"] == "/"
    # redistore's default Options: no Secure, no SameSite attribute (Chromium then reports Lax).
    assert cookie["secure"] is False
    sid = fresh.session_id()
    assert sid == body["id"] and len(sid) == 52
    assert fresh.key_exists(sid) and fresh.ttl(sid) == SESSION_EXPIRE
    assert fresh.user("flask") == "ann"
    assert fresh.user("fastapi") == "ann"
    assert fresh.session_id() == sid  # read-only visits wrote no new cookie


def test_a_read_only_visit_stores_nothing(fresh: RedisApps) -> None:
    assert fresh.users() == [None] * 3
    assert fresh.cookies() == []
    assert fresh.visit("go", "/whoami")["id"] == ""


def test_python_flash_shows_in_go(fresh: RedisApps) -> None:
    fresh.visit("flask", "/login?user=bob")
    sid = fresh.session_id()
    assert fresh.ttl(sid) == SESSION_EXPIRE  # Python's SETEX, as Go's
    fresh.visit("flask", "/flash?msg=from-flask")
    fresh.visit("fastapi", "/flash?msg=from-fastapi")
    assert fresh.visit("go", "/flashes")["flashes"] == ["from-flask", "from-fastapi"]
    assert fresh.visit("go", "/flashes")["flashes"] == []
    fresh.visit("go", "/flash?msg=from-go")
    assert fresh.visit("fastapi", "/flashes") == {"flashes": ["from-go"]}
    assert fresh.visit("flask", "/flashes") == {"flashes": []}
    assert fresh.user("go") == "bob"
    assert fresh.session_id() == sid and fresh.key_exists(sid)  # one session all along


@pytest.mark.parametrize("where", ["go", "flask", "fastapi"])
def test_logout_anywhere_logs_out_everywhere(fresh: RedisApps, where: str) -> None:
    login_at = {"go": "flask", "flask": "go", "fastapi": "go"}[where]
    fresh.visit(login_at, "/login?user=carol")
    sid = fresh.session_id()
    assert fresh.key_exists(sid)
    assert fresh.users() == ["carol"] * 3
    fresh.visit(where, "/logout")
    assert not fresh.key_exists(sid)  # Go: MaxAge -1 → DEL session_<ID>
    assert fresh.cookies() == []
    assert fresh.users() == [None] * 3
    assert not fresh.key_exists(sid)  # and no read re-creates it
