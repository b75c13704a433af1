"""The Flask, Starlette, FastAPI and Django adapters behave as csrf.Protect does around a Go handler,
and accept the forms a real Go app rendered (and the reverse)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse

from gorillacompat.csrf import CSRF
from gorillacompat.csrf.adapters.fastapi import CSRFField, CSRFToken
from gorillacompat.csrf.adapters.starlette import CSRFMiddleware, csrf_field, csrf_token
from tests.csrf._support import AUTH_KEY
from tests.csrf.conftest import GoCSRFServer

FIELD = "gorilla.csrf.Token"
Response = tuple[int, str, list[tuple[str, str]]]


class _WSGI:
    def __init__(self, app: Any) -> None:
        from werkzeug.test import Client

        self.client = Client(app, use_cookies=False)
        self.origin = "http://localhost"

    def request(self, method: str, path: str, headers: dict[str, str], data: str | None = None) -> Response:
        resp = self.client.open(
            path, method=method, headers=headers, data=data, content_type=headers.get("Content-Type")
        )
        return resp.status_code, resp.get_data(as_text=True), list(resp.headers.items())


class _ASGI:
    def __init__(self, app: Any) -> None:
        with warnings.catch_warnings():  # Starlette >= 1.0 prefers httpx2 (as in tests/sessions)
            warnings.filterwarnings("ignore", message=".*httpx2.*")
            from starlette.testclient import TestClient

        self.client = TestClient(app)
        self.origin = "http://testserver"

    def request(self, method: str, path: str, headers: dict[str, str], data: str | None = None) -> Response:
        self.client.cookies.clear()
        resp = self.client.request(method, path, headers=headers, content=data)
        return resp.status_code, resp.text, list(resp.headers.multi_items())


def flask_client(csrf: CSRF) -> _WSGI:
    from flask import Flask, jsonify

    from gorillacompat.csrf.adapters.flask import CSRFProtect, csrf_field, csrf_token

    app = Flask(__name__)
    protect = CSRFProtect(app, csrf)

    @app.get("/form")
    def form() -> Any:
        return jsonify(token=csrf_token(), field=str(csrf_field()))

    @app.post("/submit")
    def submit() -> str:
        return "ok"

    @app.post("/hook")
    @protect.exempt
    def hook() -> str:
        return "hook"

    return _WSGI(app)


def _starlette_app(csrf: CSRF, fastapi: bool) -> Any:
    async def form(request: Request) -> JSONResponse:
        return JSONResponse({"token": csrf_token(request), "field": csrf_field(request)})

    async def submit(request: Request) -> PlainTextResponse:
        await request.body()  # the body the middleware read is replayed
        return PlainTextResponse("ok")

    async def hook(request: Request) -> PlainTextResponse:
        return PlainTextResponse("hook")

    if fastapi:
        api = FastAPI()

        @api.get("/form")
        def fastapi_form(token: CSRFToken, field: CSRFField) -> dict[str, str]:
            return {"token": token, "field": field}

        api.add_api_route("/submit", submit, methods=["POST"])
        api.add_api_route("/hook", hook, methods=["POST"])
        api.add_middleware(CSRFMiddleware, csrf=csrf, exempt={"/hook"})
        return api
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Route

    routes = [
        Route("/form", form),
        Route("/submit", submit, methods=["POST"]),
        Route("/hook", hook, methods=["POST"]),
    ]
    return Starlette(routes=routes, middleware=[Middleware(CSRFMiddleware, csrf=csrf, exempt={"/hook"})])


def django_client(csrf: CSRF) -> _WSGI:
    import django
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    if not settings.configured:
        settings.configure(SECRET_KEY="tests-only", ALLOWED_HOSTS=["*"], INSTALLED_APPS=[], USE_TZ=True)
        django.setup()
    override = override_settings(
        ROOT_URLCONF="tests.csrf._django_urls",
        MIDDLEWARE=["gorillacompat.csrf.adapters.django.CSRFMiddleware"],
        GORILLA_CSRF={"AUTH_KEY": AUTH_KEY, "OPTIONS": {"path": csrf.options.path}},
        ALLOWED_HOSTS=["*"],
    )
    override.enable()
    client = _WSGI(WSGIHandler())
    client.override = override  # type: ignore[attr-defined]
    return client


CLIENTS: dict[str, Callable[[CSRF], Any]] = {
    "flask": flask_client,
    "starlette": lambda csrf: _ASGI(_starlette_app(csrf, fastapi=False)),
    "fastapi": lambda csrf: _ASGI(_starlette_app(csrf, fastapi=True)),
    "django": django_client,
}


@pytest.fixture(params=sorted(CLIENTS))
def client(request: pytest.FixtureRequest) -> Any:
    made = CLIENTS[request.param](CSRF(AUTH_KEY))
    yield made
    if hasattr(made, "override"):
        made.override.disable()


def _set_cookies(headers: list[tuple[str, str]]) -> list[str]:
    return [v.strip() for k, v in headers if k.lower() == "set-cookie"]  # Django writes " name=..."


def _cookie(set_cookie: str) -> str:
    return set_cookie.split(";", 1)[0]


def _form_post(client: Any, path: str, cookie: str, fields: dict[str, str], **extra: str) -> Response:
    headers = {
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": client.origin,
        **extra,
    }
    result: Response = client.request("POST", path, headers, urllib.parse.urlencode(fields))
    return result


def test_rendered_token_round_trips(client: Any) -> None:
    status, body, headers = client.request("GET", "/form", {})
    assert status == 200
    (set_cookie,) = _set_cookies(headers)
    assert set_cookie.startswith("_gorilla_csrf=") and "SameSite=Lax" in set_cookie
    page = json.loads(body)
    assert page["field"] == f'<input type="hidden" name="{FIELD}" value="{page["token"]}">'
    status, body, headers = _form_post(
        client, "/submit", _cookie(set_cookie), {FIELD: page["token"], "msg": "x"}
    )
    assert (status, body) == (200, "ok")
    assert _set_cookies(headers) == []
    assert any(k.lower() == "vary" and "Cookie" in v for k, v in headers)


def test_refusal_is_gos_403(client: Any) -> None:
    _, _, headers = client.request("GET", "/form", {})
    cookie = _cookie(_set_cookies(headers)[0])
    status, body, headers = _form_post(client, "/submit", cookie, {"msg": "x"})
    assert (status, body) == (403, "Forbidden - CSRF token not found in request\n")
    assert ("X-Content-Type-Options", "nosniff") in [(k.title(), v) for k, v in headers]
    status, body, headers = _form_post(client, "/submit", "", {FIELD: "x"}, Origin="http://evil.test")
    assert (status, body) == (403, "Forbidden - origin invalid\n")
    assert len(_set_cookies(headers)) == 1  # Go sends the new cookie with the refusal too


def test_exempt_view_skips_everything(client: Any) -> None:
    status, body, headers = client.request("POST", "/hook", {"Origin": "http://evil.test"})
    assert (status, body) == (200, "hook")
    assert _set_cookies(headers) == []


@pytest.mark.live
def test_go_rendered_form_posts_to_python(client: Any, go_csrf: GoCSRFServer) -> None:
    with urllib.request.urlopen(go_csrf.url + "/token", timeout=10) as resp:
        cookie = _cookie(resp.headers["Set-Cookie"])
        token = json.loads(resp.read())["token"]
    status, body, _ = _form_post(client, "/submit", cookie, {FIELD: token})
    assert (status, body) == (200, "ok")
    status, body, _ = client.request(
        "POST", "/submit", {"Cookie": cookie, "X-CSRF-Token": token, "Origin": client.origin}
    )
    assert (status, body) == (200, "ok")


@pytest.mark.live
def test_python_rendered_form_posts_to_go(client: Any, go_csrf: GoCSRFServer) -> None:
    _, body, headers = client.request("GET", "/form", {})
    cookie = _cookie(_set_cookies(headers)[0])
    data = urllib.parse.urlencode({FIELD: json.loads(body)["token"], "msg": "from Python"}).encode()
    req = urllib.request.Request(
        go_csrf.url + "/submit",
        data=data,
        headers={"Cookie": cookie, "X-Harness-Scheme": "http"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert json.loads(resp.read()) == {"ok": True, "msg": "from Python"}
