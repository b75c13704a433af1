"""The framework adapters against a real Go app (go-harness serve, gorilla/sessions v1.4.0).

Each Python app (plain WSGI, Flask, Starlette, FastAPI, Django — tests/e2e/_apps.py) runs in its
framework's test client; the Go app runs on 127.0.0.1 and is called over HTTP. Cookies travel
between them through a tiny browser-like jar, so every test is: one side sets, the other reads.
Both CookieStore and FilesystemStore (one directory shared by Go and Python) are covered.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gorillacompat.sessions import CookieStore, FilesystemStore
from gorillacompat.sessions.session import Session
from tests.e2e._apps import APPS, ASGI
from tests.e2e._servers import BLOCK_KEY, COOKIE_NAME, HASH_KEY, GoServer, go_key_flags, go_server

pytestmark = pytest.mark.live

FRAMEWORKS = list(APPS)
KINDS = ["cookie", "fs"]


# -- a browser-like cookie jar ----------------------------------------------------------------------


class Jar:
    """Keeps cookies as a browser on 127.0.0.1 would (name → value; Max-Age=0 deletes)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def update(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            pair, *attrs = header.strip().split("; ")
            name, _, value = pair.partition("=")
            if "Max-Age=0" in attrs:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def header(self) -> str | None:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items()) or None


# -- Python apps in their frameworks' test clients ------------------------------------------------


class Recorder:
    """Wraps a store and records every Set-Cookie string its ``save`` returned."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.saved: list[str] = []

    def get(self, cookies: Any, name: str) -> Session:
        session: Session = self.store.get(cookies, name)
        return session

    def save(self, session: Session) -> str:
        header: str = self.store.save(session)
        self.saved.append(header)
        return header


def _starlette_test_client() -> Any:
    """starlette.testclient.TestClient; Starlette >= 1.0 warns (once, on import) when it runs on
    httpx instead of httpx2 — harmless here, and the only warning this module tolerates."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        from starlette.testclient import TestClient
    return TestClient


class PyApp:
    """One framework's app behind its own test client: ``get(path, jar) -> JSON``."""

    def __init__(self, framework: str, store: Any, **kw: Any) -> None:
        self.framework = framework
        self.store = Recorder(store)
        app = APPS[framework](self.store, COOKIE_NAME, **kw)
        self.last_set_cookies: list[str] = []
        if framework in ASGI:
            self._client: Any = _starlette_test_client()(app, base_url="http://127.0.0.1")
        elif framework == "flask":
            self._client = app.test_client(use_cookies=False)
        elif framework == "django":
            from django.test import Client

            self._client = Client()
        else:
            from werkzeug.test import Client as WClient

            self._client = WClient(app, use_cookies=False)

    def get(self, path: str, jar: Jar | None = None, cookie: str | None = None) -> Any:
        cookie = cookie if cookie is not None else (jar.header() if jar else None)
        if self.framework in ASGI:
            self._client.cookies.clear()
            resp = self._client.get(path, headers={"Cookie": cookie} if cookie else {})
            status, set_cookies, body = resp.status_code, resp.headers.get_list("set-cookie"), resp.json()
        elif self.framework == "django":
            self._client.cookies.clear()
            resp = self._client.get(path, HTTP_COOKIE=cookie or "")
            set_cookies = [m.OutputString() for m in resp.cookies.values()]
            status, body = resp.status_code, resp.json()
        else:
            resp = self._client.get(path, headers={"Cookie": cookie} if cookie else {})
            status, set_cookies, body = resp.status_code, resp.headers.getlist("Set-Cookie"), resp.json
        assert status == 200, body
        self.last_set_cookies = set_cookies
        if jar is not None:
            jar.update(set_cookies)
        return body


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fs-sessions")


@pytest.fixture(scope="module")
def go_servers(harness: Any, fs_dir: Path) -> Iterator[dict[str, GoServer]]:
    with (
        go_server(*go_key_flags()) as cookie,
        go_server(*go_key_flags(), "-store", "fs", "-dir", str(fs_dir)) as fs,
    ):
        yield {"cookie": cookie, "fs": fs}


def python_store(kind: str, fs_dir: Path) -> Any:
    if kind == "cookie":
        return CookieStore(HASH_KEY, BLOCK_KEY)
    return FilesystemStore(str(fs_dir), HASH_KEY, BLOCK_KEY)


class Go:
    """The Go app, with the jar applied on every call."""

    def __init__(self, server: GoServer) -> None:
        self.server = server

    def get(self, path: str, jar: Jar) -> Any:
        status, body, set_cookies = self.server.get(path, jar.header())
        assert status == 200, body
        jar.update(set_cookies)
        return body


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    param: str = request.param
    return param


@pytest.fixture
def go(go_servers: dict[str, GoServer], kind: str) -> Go:
    return Go(go_servers[kind])


@pytest.fixture(params=FRAMEWORKS)
def py(request: pytest.FixtureRequest, kind: str, fs_dir: Path) -> PyApp:
    return PyApp(request.param, python_store(kind, fs_dir))


# -- Go sets, Python reads; Python sets, Go reads --------------------------------------------------


def test_python_reads_the_user_go_logged_in(go: Go, py: PyApp) -> None:
    jar = Jar()
    go.get("/login?user=ann", jar)
    me = py.get("/whoami", jar)
    assert me == {"user": "ann", "is_new": False, "error": None, "keys": ["user"]}
    assert py.last_set_cookies == []  # read only: nothing saved


def test_go_reads_the_user_python_logged_in(go: Go, py: PyApp) -> None:
    jar = Jar()
    py.get("/login?user=bob", jar)
    me = go.get("/whoami", jar)
    assert me["is_new"] is False and me["error"] is None
    assert me["values"] == {"$map": [["user", "bob"]]}


def test_python_flash_shows_in_go_and_is_consumed(go: Go, py: PyApp) -> None:
    jar = Jar()
    go.get("/login?user=ann", jar)
    py.get("/flash?msg=from-python", jar)
    py.get("/flash?msg=again", jar)
    assert go.get("/flashes", jar)["flashes"] == ["from-python", "again"]
    assert go.get("/flashes", jar)["flashes"] == []
    assert py.get("/flashes", jar) == {"flashes": []}
    assert py.get("/whoami", jar)["user"] == "ann"


def test_go_flash_shows_in_python_and_is_consumed(go: Go, py: PyApp) -> None:
    jar = Jar()
    go.get("/flash?msg=from-go", jar)
    assert py.get("/flashes", jar) == {"flashes": ["from-go"]}
    assert go.get("/flashes", jar)["flashes"] == []


def test_logout_in_python_logs_out_go(go: Go, py: PyApp) -> None:
    jar = Jar()
    go.get("/login?user=ann", jar)
    py.get("/logout", jar)
    assert go.get("/whoami", jar)["values"] == {"$map": []}
    assert py.get("/whoami", jar)["user"] is None


def test_logout_in_go_logs_out_python(go: Go, py: PyApp) -> None:
    jar = Jar()
    py.get("/login?user=ann", jar)
    go.get("/logout", jar)
    assert jar.cookies == {}
    assert py.get("/whoami", jar) == {"user": None, "is_new": True, "error": None, "keys": []}


def test_set_cookie_is_exactly_the_store_string(py: PyApp) -> None:
    jar = Jar()
    py.get("/login?user=ann", jar)
    assert len(py.store.saved) == 1
    assert [h.strip() for h in py.last_set_cookies] == py.store.saved
    py.get("/flash?msg=x", jar)
    assert [h.strip() for h in py.last_set_cookies] == py.store.saved[1:]


@pytest.mark.parametrize("path", ["/noop", "/whoami", "/flashes"])
def test_saved_only_when_modified(py: PyApp, path: str) -> None:
    jar = Jar()
    py.get("/login?user=ann", jar)
    py.get(path, jar)
    assert py.last_set_cookies == []
    assert len(py.store.saved) == 1


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_save_every_request(framework: str, kind: str, fs_dir: Path) -> None:
    app = PyApp(framework, python_store(kind, fs_dir), save_every_request=True)
    jar = Jar()
    app.get("/login?user=ann", jar)
    app.get("/whoami", jar)
    assert len(app.last_set_cookies) == 1
    assert app.get("/whoami", jar)["user"] == "ann"


# -- bad cookies: a fresh session and a log line, never a 500 ---------------------------------------


def _bad_cookies() -> dict[str, str]:
    foreign = CookieStore(b"k" * 32, b"b" * 32)
    s = foreign.new({}, COOKIE_NAME)
    s.values["user"] = "mallory"
    foreign_value = foreign.save(s).split(";")[0].split("=", 1)[1]
    old = CookieStore(HASH_KEY, BLOCK_KEY, clock=lambda: 1_000_000_000)
    s = old.new({}, COOKIE_NAME)
    s.values["user"] = "ann"
    expired_value = old.save(s).split(";")[0].split("=", 1)[1]
    return {"foreign-keys": foreign_value, "expired": expired_value, "garbage": "not-base64!!"}


BAD = _bad_cookies()


@pytest.mark.parametrize("what", list(BAD))
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_bad_cookie_gives_fresh_session_and_log_line(
    framework: str, what: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = PyApp(framework, CookieStore(HASH_KEY, BLOCK_KEY))
    value = BAD[what]
    with caplog.at_level(logging.WARNING, logger="gorillacompat.sessions"):
        me = app.get("/whoami", cookie=f"{COOKIE_NAME}={value}")
    assert me["user"] is None and me["is_new"] is True and me["error"]
    records = [r for r in caplog.records if r.name == "gorillacompat.sessions"]
    assert len(records) == 1
    text = records[0].getMessage()
    assert COOKIE_NAME in text and "securecookie" in text
    for secret in (HASH_KEY, BLOCK_KEY):
        assert secret.hex() not in text and repr(secret) not in text
    assert value not in text
    # and a login over the bad cookie replaces it
    jar = Jar()
    jar.cookies[COOKIE_NAME] = value
    app.get("/login?user=ann", jar)
    assert app.get("/whoami", jar)["user"] == "ann"


# -- framework specifics ---------------------------------------------------------------------------


def test_django_test_client_jar_follows_login_and_logout(go: Go, kind: str, fs_dir: Path) -> None:
    """Django's own test client keeps the cookie (via response.cookies) and forgets it on flush."""
    from django.test import Client

    PyApp("django", python_store(kind, fs_dir))  # configures Django with this store
    client = Client()
    client.get("/login?user=dora")
    value = client.cookies[COOKIE_NAME].value
    jar = Jar()
    jar.cookies[COOKIE_NAME] = value
    assert go.get("/whoami", jar)["values"] == {"$map": [["user", "dora"]]}
    assert client.get("/whoami").json()["user"] == "dora"
    client.get("/logout")
    assert client.cookies[COOKIE_NAME].value == ""
    assert client.get("/whoami").json()["user"] is None


def test_flask_session_is_a_string_keyed_view(kind: str, fs_dir: Path) -> None:
    from flask import session

    from tests.e2e._apps import flask_app

    app = flask_app(CookieStore(HASH_KEY, BLOCK_KEY), COOKIE_NAME)
    with app.test_request_context("/"):
        session["a"] = 1
        session.go.values[7] = "go-only key"  # type: ignore[attr-defined]
        assert dict(session) == {"a": 1} and session.modified and session.permanent is not False
        assert session.go.values == {"a": 1, 7: "go-only key"}  # type: ignore[attr-defined]
        with pytest.raises(TypeError):
            session[7] = "x"  # type: ignore[index]


def test_django_wire_header_is_the_store_string() -> None:
    """Through Django's real WSGI handler (not its test client) the header is the store's text."""
    from werkzeug.test import Client as WClient

    from tests.e2e._apps import django_app

    store = Recorder(CookieStore(HASH_KEY, BLOCK_KEY))
    resp = WClient(django_app(store, COOKIE_NAME), use_cookies=False).get("/login?user=ann")
    assert [h.strip() for h in resp.headers.getlist("Set-Cookie")] == store.saved


def test_missing_middleware_is_a_clear_error() -> None:
    from gorillacompat.sessions.adapters.asgi import get_sessions as asgi_sessions
    from gorillacompat.sessions.adapters.wsgi import get_session

    with pytest.raises(LookupError, match="not installed"):
        get_session({})
    with pytest.raises(LookupError, match="not installed"):
        asgi_sessions({})


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_issue_13_every_adapter_keeps_keys_go_keeps_apart(framework: str) -> None:
    """A session holding 1, true, 1.0 and int64(1) as four keys goes through a request that saves
    it (a flash) with all four, in every framework."""
    from gorillacompat.values import Int64

    store = CookieStore(HASH_KEY, BLOCK_KEY)
    session = store.new({}, COOKIE_NAME)
    entries = [("user", "ann"), (1, "int"), (True, "bool"), (1.0, "float64"), (Int64(1), "int64")]
    for k, v in entries:
        session.values[k] = v
    jar = Jar()
    jar.update([store.save(session)])
    app = PyApp(framework, store)
    app.get("/flash?msg=hi", jar)
    assert app.last_set_cookies, "the flash was not saved"
    again = store.get(jar.cookies, COOKIE_NAME)
    assert list(again.values.items())[:5] == entries and len(again.values) == 6
    assert [type(k) for k in again.values][:5] == [str, int, bool, float, Int64]
