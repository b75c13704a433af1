"""The same small app in every framework, each on a gorillacompat adapter, with the Go app's routes.

Routes (all GET, all JSON), mirroring go-harness serve:
  /whoami          {"user", "is_new", "error", "keys"}  (reads only: no Set-Cookie)
  /login?user=U    values["user"] = U
  /flash?msg=M     add_flash(M)            (Go's /flashes shows it)
  /flashes         {"flashes": flashes()}  (consumes them)
  /logout          each framework's idiom (see the app)
  /noop            does not touch the session
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from gorillacompat.sessions.adapters._common import SessionStore
from gorillacompat.sessions.session import Session


def _whoami(session: Session) -> dict[str, Any]:
    err = session.error
    return {
        "user": session.values.get("user"),
        "is_new": session.is_new,
        "error": None if err is None else str(err),
        "keys": sorted(k for k in session.values if isinstance(k, str)),
    }


def wsgi_app(store: SessionStore, name: str, **kw: Any) -> Any:
    """Plain WSGI; logout the Go way (MaxAge = -1)."""
    from urllib.parse import parse_qs

    from gorillacompat.sessions.adapters.wsgi import SessionMiddleware, get_session

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        q = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        body: Any = {"ok": True}
        if path != "/noop":
            s = get_session(environ)
            if path == "/whoami":
                body = _whoami(s)
            elif path == "/login":
                s.values["user"] = q["user"]
            elif path == "/flash":
                s.add_flash(q["msg"])
            elif path == "/flashes":
                body = {"flashes": s.flashes()}
            elif path == "/logout":
                s.options.max_age = -1
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    return SessionMiddleware(app, store, name, **kw)


def flask_app(store: SessionStore, name: str, **kw: Any) -> Any:
    """Flask; ``flask.session`` is the Go session; logout = ``session.clear()`` (Flask's idiom)."""
    from flask import Flask, jsonify, request, session

    from gorillacompat.sessions.adapters.flask import GorillaSessionInterface

    app = Flask("flask_app")
    app.session_interface = GorillaSessionInterface(store, name, **kw)

    @app.get("/whoami")
    def whoami() -> Any:
        return jsonify(_whoami(session.go))  # type: ignore[attr-defined]

    @app.get("/login")
    def login() -> Any:
        session["user"] = request.args["user"]
        return jsonify(ok=True)

    @app.get("/flash")
    def flash() -> Any:
        session.add_flash(request.args["msg"])  # type: ignore[attr-defined]
        return jsonify(ok=True)

    @app.get("/flashes")
    def flashes() -> Any:
        return jsonify(flashes=session.flashes())  # type: ignore[attr-defined]

    @app.get("/logout")
    def logout() -> Any:
        session.clear()
        return jsonify(ok=True)

    @app.get("/noop")
    def noop() -> Any:
        return jsonify(ok=True)

    return app


def starlette_app(store: SessionStore, name: str, **kw: Any) -> Any:
    """Starlette; ``request.session`` is the Go session; logout = ``request.session.clear()``."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from gorillacompat.sessions.adapters.starlette import SessionMiddleware

    async def whoami(request: Request) -> JSONResponse:
        return JSONResponse(_whoami(request.session.go))  # type: ignore[attr-defined]

    async def login(request: Request) -> JSONResponse:
        request.session["user"] = request.query_params["user"]
        return JSONResponse({"ok": True})

    async def flash(request: Request) -> JSONResponse:
        request.session.add_flash(request.query_params["msg"])  # type: ignore[attr-defined]
        return JSONResponse({"ok": True})

    async def flashes(request: Request) -> JSONResponse:
        return JSONResponse({"flashes": request.session.flashes()})  # type: ignore[attr-defined]

    async def logout(request: Request) -> JSONResponse:
        request.session.clear()
        return JSONResponse({"ok": True})

    async def noop(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    routes = [Route(f"/{f.__name__}", f) for f in (whoami, login, flash, flashes, logout, noop)]
    return Starlette(routes=routes, middleware=[Middleware(SessionMiddleware, store=store, name=name, **kw)])


def fastapi_app(store: SessionStore, name: str, **kw: Any) -> Any:
    """FastAPI; the ``GoSession`` dependency is the Session; logout the Go way (MaxAge = -1)."""
    from fastapi import Depends, FastAPI

    from gorillacompat.sessions.adapters.fastapi import SessionMiddleware, go_session

    # Annotations here are strings (``from __future__``) that FastAPI resolves in this module's
    # globals, so the dependency is a default value; at module level ``session: GoSession`` works.
    dep = Depends(go_session)
    app = FastAPI()
    app.add_middleware(SessionMiddleware, store=store, name=name, **kw)

    @app.get("/whoami")
    def whoami(session: Session = dep) -> dict[str, Any]:
        return _whoami(session)

    @app.get("/login")
    def login(user: str, session: Session = dep) -> dict[str, Any]:
        session.values["user"] = user
        return {"ok": True}

    @app.get("/flash")
    def flash(msg: str, session: Session = dep) -> dict[str, Any]:
        session.add_flash(msg)
        return {"ok": True}

    @app.get("/flashes")
    def flashes(session: Session = dep) -> dict[str, Any]:
        return {"flashes": session.flashes()}

    @app.get("/logout")
    def logout(session: Session = dep) -> dict[str, Any]:
        session.options.max_age = -1
        return {"ok": True}

    @app.get("/noop")
    def noop() -> dict[str, Any]:
        return {"ok": True}

    return app


_DJANGO_STORE: dict[str, Any] = {}


def django_store() -> Any:
    """``GORILLA_SESSIONS["STORE"]`` points here (a factory, as settings may hold)."""
    return _DJANGO_STORE["store"]


def django_app(store: SessionStore, name: str, **kw: Any) -> Any:
    """Django; ``request.session`` is the Go session; logout = ``request.session.flush()``."""
    import django
    from django.conf import settings

    _DJANGO_STORE["store"] = store
    conf = {
        "STORE": "tests.e2e._apps.django_store",
        "NAME": name,
        "SAVE_EVERY_REQUEST": kw.get("save_every_request", False),
    }
    if not settings.configured:  # once per process; other tests (tests/csrf) may have done it
        settings.configure(
            DEBUG=False,
            SECRET_KEY="not-secret-tests-only",
            ALLOWED_HOSTS=["*"],
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        django.setup()
    settings.ROOT_URLCONF = "tests.e2e._django_urls"
    settings.MIDDLEWARE = ["gorillacompat.sessions.adapters.django.SessionMiddleware"]
    settings.GORILLA_SESSIONS = conf
    from django.core.handlers.wsgi import WSGIHandler

    return WSGIHandler()


APPS: dict[str, Callable[..., Any]] = {
    "wsgi": wsgi_app,
    "flask": flask_app,
    "starlette": starlette_app,
    "fastapi": fastapi_app,
    "django": django_app,
}
ASGI = {"starlette", "fastapi"}
