"""A real headless Chromium shares one gorilla session between a Go app, Flask and FastAPI.

Cookies are scoped to the host, not the port, so the browser's cookie jar for 127.0.0.1 holds
one ``gsession`` cookie that all three apps (on three loopback ports, same name and keys) read
and write: log in on Go, Flask and FastAPI see the user; Python adds a flash, Go shows it;
log out on either side, every app is logged out.

Go's CookieStore (v1.3+) sets ``Secure; SameSite=None`` by default; Chromium keeps such a cookie
on http://127.0.0.1 because loopback is a "potentially trustworthy" origin — checked below. The
second variant runs all apps with ``Secure=false, SameSite=Lax`` (go-harness serve
``-secure=false -samesite=lax``) as an app behind plain HTTP elsewhere would.

Needs ``chromium`` and ``chromium-driver`` (Debian) and Go; with CI=true their absence fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from gorillacompat.sessions import CookieStore, Options, SameSite
from tests._browser import chromium
from tests.e2e._apps import fastapi_app, flask_app
from tests.e2e._servers import (
    BLOCK_KEY,
    COOKIE_NAME,
    HASH_KEY,
    asgi_server,
    go_key_flags,
    go_server,
    wsgi_server,
)

pytestmark = pytest.mark.live

PAGE_TIMEOUT = 20


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium(page_timeout=PAGE_TIMEOUT) as driver:
        yield driver


class Apps:
    """The three apps' base URLs and a browser to visit them with."""

    def __init__(self, driver: Any, go: str, flask: str, fastapi: str) -> None:
        self.driver = driver
        self.urls = {"go": go, "flask": flask, "fastapi": fastapi}

    def visit(self, app: str, path: str) -> Any:
        from selenium.webdriver.common.by import By

        self.driver.get(self.urls[app] + path)
        pres = self.driver.find_elements(By.TAG_NAME, "pre")
        text = pres[0].text if pres else self.driver.find_element(By.TAG_NAME, "body").text
        return json.loads(text)

    def user(self, app: str) -> Any:
        body = self.visit(app, "/whoami")
        if app == "go":
            pairs = dict(map(tuple, body["values"]["$map"]))
            return pairs.get("user")
        return body["user"]

    def cookies(self) -> list[dict[str, Any]]:
        return [c for c in self.driver.get_cookies() if c["name"] == COOKIE_NAME]


VARIANTS = {
    # Go v1.4 CookieStore defaults: Secure; SameSite=None.
    "go-defaults": ([], None),
    "insecure-lax": (["-secure=false", "-samesite=lax"], Options(max_age=86400 * 30, same_site=SameSite.LAX)),
}


@pytest.fixture(scope="module", params=list(VARIANTS))
def apps(request: pytest.FixtureRequest, harness: Any, browser: Any) -> Iterator[Apps]:
    go_flags, options = VARIANTS[request.param]
    store = CookieStore(HASH_KEY, BLOCK_KEY, options=options)
    with ExitStack() as stack:
        go = stack.enter_context(go_server(*go_key_flags(), *go_flags))
        flask = stack.enter_context(wsgi_server(flask_app(store, COOKIE_NAME)))
        fastapi = stack.enter_context(asgi_server(fastapi_app(store, COOKIE_NAME)))
        yield Apps(browser, go.url, flask, fastapi)
    browser.delete_all_cookies()


@pytest.fixture
def fresh(apps: Apps) -> Apps:
    apps.driver.get(apps.urls["go"] + "/whoami")
    apps.driver.delete_all_cookies()
    return apps


def test_all_three_apps_are_on_one_cookie_jar(fresh: Apps) -> None:
    assert len({u.rsplit(":", 1)[1] for u in fresh.urls.values()}) == 3  # three ports, one host
    fresh.visit("go", "/login?user=ann")
    cookies = fresh.cookies()
    assert len(cookies) == 1 and cookies[0]["domain"] == "127.0.0.1"
    assert fresh.user("flask") == "ann"
    assert fresh.user("fastapi") == "ann"


def test_go_defaults_secure_cookie_is_kept_on_loopback_http(
    apps: Apps, request: pytest.FixtureRequest
) -> None:
    apps.driver.delete_all_cookies()
    apps.visit("go", "/login?user=sec")
    (cookie,) = apps.cookies()
    if "go-defaults" in request.node.callspec.id:
        assert cookie["secure"] is True and cookie["sameSite"] == "None"
    else:
        assert cookie["secure"] is False and cookie["sameSite"] == "Lax"
    assert apps.user("go") == "sec"


def test_python_flash_shows_in_go(fresh: Apps) -> None:
    fresh.visit("flask", "/login?user=bob")
    fresh.visit("flask", "/flash?msg=from-flask")
    fresh.visit("fastapi", "/flash?msg=from-fastapi")
    assert fresh.visit("go", "/flashes")["flashes"] == ["from-flask", "from-fastapi"]
    assert fresh.visit("go", "/flashes")["flashes"] == []
    fresh.visit("go", "/flash?msg=from-go")
    assert fresh.visit("fastapi", "/flashes") == {"flashes": ["from-go"]}
    assert fresh.visit("flask", "/flashes") == {"flashes": []}
    assert fresh.user("go") == "bob"


@pytest.mark.parametrize("where", ["go", "flask", "fastapi"])
def test_logout_anywhere_logs_out_everywhere(fresh: Apps, where: str) -> None:
    login_at = {"go": "flask", "flask": "go", "fastapi": "go"}[where]
    fresh.visit(login_at, "/login?user=carol")
    assert [fresh.user(app) for app in ("go", "flask", "fastapi")] == ["carol"] * 3
    fresh.visit(where, "/logout")
    assert [fresh.user(app) for app in ("go", "flask", "fastapi")] == [None] * 3
    assert fresh.cookies() == []
