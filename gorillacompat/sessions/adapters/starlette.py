"""Starlette and FastAPI: ``request.session`` is the Go session; a dependency gives the Session.

Layering: imports ``sessions``, ``adapters.asgi`` and Starlette; importable only with Starlette.

Usage::

    app.add_middleware(SessionMiddleware, store=CookieStore(hash_key), name="session")

    @app.get("/whoami")
    def whoami(session: Session = Depends(go_session)):     # FastAPI
        return {"user": session.values.get("user")}

    async def endpoint(request):                               # Starlette
        request.session["user"] = "ann"                        # Go: session.Values["user"]

``go_session`` returns the :class:`~gorillacompat.sessions.Session` itself (all of Go's keys,
options, ``add_flash``/``flashes``); changes to it are saved like changes through
``request.session``. ``gorillacompat.sessions.adapters.fastapi.GoSession`` is the
``Annotated`` shorthand.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection

from ..session import Session
from ._common import RequestSessions, ValuesView
from .asgi import SessionMiddleware, get_sessions

__all__ = ["SessionMiddleware", "ValuesView", "go_session", "go_sessions"]


def go_sessions(connection: HTTPConnection) -> RequestSessions:
    """The request's sessions (other names, other stores, ``mark_modified``)."""
    return get_sessions(connection.scope)


def go_session(connection: HTTPConnection) -> Session:
    """The middleware's session (Go: ``store.Get(r, name)``); a FastAPI dependency."""
    return go_sessions(connection).session
