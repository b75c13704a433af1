"""The shared login over plain HTTP: the Go app on the REAL boj/redistore, Flask and FastAPI on ours.

One loopback redis-server, three loopback apps (``go-harness serve -store redis``, Flask and
FastAPI on :class:`gorillacompat.redistore.RedisStore`; same keys, same cookie name, same key
prefix), one ``httpx`` client whose cookie jar plays the browser (cookies are scoped to the host,
not the port, so the three apps share one ``gsession`` cookie). The fast, browser-free twin of
tests/e2e/test_browser_redis.py; it also checks the Redis side against Go's rules:

* a save writes ``session_<ID>`` with ``SETEX`` TTL = ``Options.MaxAge`` (30 days by default);
  a read-only request writes nothing;
* logout (``MaxAge = -1``) ``DEL``\\ s the key and expires the cookie;
* a cookie that names a deleted key gives a new, empty session that keeps the cookie's ID, and the
  next save re-creates ``session_<that ID>`` (Go's ``New``/``Save``; Python does the same);
* ``MaxAge = 0``: v2.0.1 stores with ``DefaultMaxAge`` (20 min), v1.4.2 deletes.

Go flavours: boj/redistore v2.0.1 (``NewStore``) and v1.4.2 (``NewRediStore``), each against
``RedisStore(compat=...)``. With CI=true a missing Go or redis-server fails, elsewhere it skips.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
import redis

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

from .conftest import RedisProc

pytestmark = pytest.mark.live

DEFAULT_MAX_AGE = 60 * 20  # Go: DefaultMaxAge (the TTL for MaxAge 0, v2.0.1)
APPS = ("go", "flask", "fastapi")


class Shared:
    """The three apps' URLs, the Python store and a raw Redis client."""

    def __init__(self, flavor: str, urls: dict[str, str], store: RedisStore, raw: redis.Redis) -> None:
        self.flavor = flavor
        self.urls = urls
        self.store = store
        self.raw = raw

    def key(self, sid: str) -> str:
        return "session_" + sid

    def session_id(self, cookie_value: str) -> str:
        """The session ID a cookie names (the Python store decodes it as Go would)."""
        return self.store.rules.session_id_from_cookie(COOKIE_NAME, cookie_value)


class Browser:
    """An httpx client with a cookie jar, visiting the shared apps."""

    def __init__(self, shared: Shared, client: Any) -> None:
        self.shared = shared
        self.client = client

    def get(self, app: str, path: str) -> tuple[Any, list[str]]:
        resp = self.client.get(self.shared.urls[app] + path)
        assert resp.status_code == 200, (app, path, resp.status_code, resp.text)
        return resp.json(), resp.headers.get_list("set-cookie")

    def visit(self, app: str, path: str) -> Any:
        return self.get(app, path)[0]

    def whoami(self, app: str) -> dict[str, Any]:
        """{"user", "is_new", "error"} from any app (Go's answer is mapped to the Python shape)."""
        body, set_cookie = self.get(app, "/whoami")
        assert set_cookie == [], f"{app} /whoami must not save"
        if app == "go":
            values = dict(map(tuple, body["values"]["$map"]))
            return {"user": values.get("user"), "is_new": body["is_new"], "error": body["error"]}
        return {"user": body["user"], "is_new": body["is_new"], "error": body["error"]}

    def users(self) -> list[Any]:
        return [self.whoami(app)["user"] for app in APPS]

    def cookie(self) -> str | None:
        values = [c.value for c in self.client.cookies.jar if c.name == COOKIE_NAME]
        assert len(values) <= 1, values
        return values[0] if values else None

    def session_id(self) -> str:
        cookie = self.cookie()
        assert cookie, "no session cookie in the jar"
        return self.shared.session_id(cookie)


@pytest.fixture(scope="module", params=["v2", "v1"])
def shared(request: pytest.FixtureRequest, redis_server: RedisProc) -> Iterator[Shared]:
    flavor = request.param
    store = RedisStore(redis_server.url, HASH_KEY, BLOCK_KEY, compat=flavor)
    raw = redis_server.client()
    with ExitStack() as stack:
        stack.callback(store.close)
        stack.callback(raw.close)
        go = stack.enter_context(go_server(*go_key_flags(), *go_redis_flags(redis_server.addr, flavor)))
        flask = stack.enter_context(wsgi_server(flask_app(store, COOKIE_NAME)))
        fastapi = stack.enter_context(asgi_server(fastapi_app(store, COOKIE_NAME)))
        yield Shared(flavor, {"go": go.url, "flask": flask, "fastapi": fastapi}, store, raw)


@pytest.fixture
def browser(shared: Shared) -> Iterator[Browser]:
    with httpx.Client(trust_env=False, timeout=10) as client:
        yield Browser(shared, client)


def _attrs(header: str) -> list[str]:
    """A Set-Cookie header without its value and Expires (both differ from save to save)."""
    name_value, *attrs = [p.strip() for p in header.split(";")]
    return [name_value.split("=", 1)[0], *[a for a in attrs if not a.startswith("Expires=")]]


def test_login_on_go_python_sees_it(browser: Browser, shared: Shared) -> None:
    body, set_cookie = browser.get("go", "/login?user=ann")
    sid = body["id"]
    assert len(sid) == 52 and body["save_error"] is None
    assert _attrs(set_cookie[0]) == [COOKIE_NAME, "Path=/", f"Max-Age={SESSION_EXPIRE}"]
    # The cookie names Go's session ID; Go wrote session_<ID> with SETEX MaxAge.
    assert browser.session_id() == sid
    assert shared.raw.ttl(shared.key(sid)) == SESSION_EXPIRE
    for app in ("flask", "fastapi"):
        assert browser.whoami(app) == {"user": "ann", "is_new": False, "error": None}
    assert browser.cookie() is not None and browser.session_id() == sid


def test_login_on_python_go_sees_it(browser: Browser, shared: Shared) -> None:
    _, set_cookie = browser.get("flask", "/login?user=bob")
    assert _attrs(set_cookie[0]) == [COOKIE_NAME, "Path=/", f"Max-Age={SESSION_EXPIRE}"]
    sid = browser.session_id()
    assert len(sid) == 52
    assert shared.raw.ttl(shared.key(sid)) == SESSION_EXPIRE
    assert browser.whoami("go") == {"user": "bob", "is_new": False, "error": None}
    assert browser.visit("go", "/whoami")["id"] == sid
    assert browser.whoami("fastapi")["user"] == "bob"
    # Go's Set-Cookie for the same session has the same attributes as ours.
    _, go_set_cookie = browser.get("go", "/login?user=bob")
    assert _attrs(go_set_cookie[0]) == _attrs(set_cookie[0])
    assert browser.session_id() == sid  # Go kept the ID: one session, one key


def test_a_read_only_visit_writes_nothing(browser: Browser, shared: Shared) -> None:
    assert browser.whoami("go") == {"user": None, "is_new": True, "error": None}
    assert browser.whoami("flask") == {"user": None, "is_new": True, "error": None}
    assert browser.cookie() is None


def test_python_flash_shows_in_go(browser: Browser, shared: Shared) -> None:
    browser.visit("flask", "/login?user=bob")
    sid = browser.session_id()
    browser.visit("flask", "/flash?msg=from-flask")
    browser.visit("fastapi", "/flash?msg=from-fastapi")
    assert browser.session_id() == sid
    assert shared.raw.ttl(shared.key(sid)) == SESSION_EXPIRE
    assert browser.visit("go", "/flashes")["flashes"] == ["from-flask", "from-fastapi"]
    assert browser.visit("go", "/flashes")["flashes"] == []
    browser.visit("go", "/flash?msg=from-go")
    assert browser.visit("fastapi", "/flashes") == {"flashes": ["from-go"]}
    assert browser.visit("flask", "/flashes") == {"flashes": []}
    assert browser.whoami("go")["user"] == "bob"
    assert browser.session_id() == sid and shared.raw.exists(shared.key(sid)) == 1


@pytest.mark.parametrize("where", APPS)
def test_logout_anywhere_logs_out_everywhere(browser: Browser, shared: Shared, where: str) -> None:
    login_at = {"go": "flask", "flask": "go", "fastapi": "go"}[where]
    browser.visit(login_at, "/login?user=carol")
    sid = browser.session_id()
    old_cookie = browser.cookie()
    assert shared.raw.exists(shared.key(sid)) == 1
    assert browser.users() == ["carol"] * 3
    _, set_cookie = browser.get(where, "/logout")
    # Go: MaxAge -1 → DEL session_<ID> and an empty cookie with Max-Age=0.
    assert len(set_cookie) == 1 and set_cookie[0].startswith(f"{COOKIE_NAME}=;")
    assert "Max-Age=0" in set_cookie[0]
    assert shared.raw.exists(shared.key(sid)) == 0
    assert browser.cookie() is None
    assert browser.users() == [None] * 3
    # The old cookie (replayed, e.g. from another tab) names a deleted key: every app gives a new,
    # empty session, and reading it re-creates nothing.
    browser.client.cookies.set(COOKIE_NAME, old_cookie, domain="127.0.0.1")
    for app in APPS:
        assert browser.whoami(app) == {"user": None, "is_new": True, "error": None}
    assert shared.raw.exists(shared.key(sid)) == 0


@pytest.mark.parametrize("app", APPS)
def test_a_replayed_cookie_keeps_its_id_on_the_next_save(browser: Browser, shared: Shared, app: str) -> None:
    """Go's New keeps the cookie's ID when the key is gone, and Save writes session_<that ID>."""
    browser.visit("go", "/login?user=dan")
    sid = browser.session_id()
    old_cookie = browser.cookie()
    browser.visit("fastapi", "/logout")
    assert shared.raw.exists(shared.key(sid)) == 0
    browser.client.cookies.set(COOKIE_NAME, old_cookie, domain="127.0.0.1")
    assert browser.visit("go", "/whoami")["id"] == sid
    browser.visit(app, "/login?user=eve")
    assert browser.session_id() == sid
    assert shared.raw.ttl(shared.key(sid)) == SESSION_EXPIRE
    assert browser.users() == ["eve"] * 3


def test_go_max_age_zero_follows_the_flavour(browser: Browser, shared: Shared) -> None:
    """``MaxAge = 0``: v2.0.1 keeps the key for DefaultMaxAge; v1.4.2 deletes it."""
    browser.visit("go", "/login?user=fay")
    sid = browser.session_id()
    _, set_cookie = browser.get("go", "/options?max_age=0")
    if shared.flavor == "v2":
        assert _attrs(set_cookie[0]) == [COOKIE_NAME, "Path=/"]  # a browser-session cookie
        assert shared.raw.ttl(shared.key(sid)) == DEFAULT_MAX_AGE
        assert [browser.whoami(app)["user"] for app in ("flask", "fastapi")] == ["fay"] * 2
    else:
        assert shared.raw.exists(shared.key(sid)) == 0
        assert browser.cookie() == ""  # an empty session cookie, no Max-Age
        assert browser.users() == [None] * 3
