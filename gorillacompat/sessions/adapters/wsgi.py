"""Plain WSGI middleware: Go sessions for any WSGI app (PEP 3333), no framework needed.

Layering: imports ``sessions`` and ``adapters._common`` only.

    app = SessionMiddleware(app, CookieStore(hash_key, block_key), "session")

    def view(environ, start_response):
        session = get_session(environ)          # Go: store.Get(r, "session")
        session.values["user"] = "ann"          # saved when the response starts

The session is decoded on first use (like Beaker's ``environ["beaker.session"]``), and the
``Set-Cookie`` headers of changed sessions are appended when the app calls ``start_response``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, Protocol

from ..session import Session
from ._common import RequestSessions, SessionStore, parse_cookie_header

__all__ = ["ENVIRON_KEY", "SessionMiddleware", "get_session", "get_sessions"]

#: Where the middleware puts the request's :class:`RequestSessions` in the WSGI environ.
ENVIRON_KEY = "gorillacompat.sessions"

_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


class StartResponse(Protocol):
    def __call__(
        self, status: str, headers: list[tuple[str, str]], exc_info: _ExcInfo | None = ..., /
    ) -> Callable[[bytes], object]: ...


WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class SessionMiddleware:
    """Puts a per-request :class:`RequestSessions` in ``environ`` and writes its cookies.

    Go: ``store.Get`` / ``sessions.Save`` done for the app. ``save_every_request`` saves every
    session the app loaded, changed or not (Go apps that call ``Save`` unconditionally).
    """

    def __init__(
        self, app: WSGIApp, store: SessionStore, name: str, *, save_every_request: bool = False
    ) -> None:
        self.app = app
        self.store = store
        self.name = name
        self.save_every_request = save_every_request

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        sessions = RequestSessions(
            lambda: parse_cookie_header(environ.get("HTTP_COOKIE")),
            self.store,
            self.name,
            save_every_request=self.save_every_request,
        )
        environ[ENVIRON_KEY] = sessions

        def session_start_response(
            status: str, headers: list[tuple[str, str]], exc_info: _ExcInfo | None = None
        ) -> Callable[[bytes], object]:
            if exc_info is None or exc_info[0] is None:
                headers = [*headers, *(("Set-Cookie", h) for h in sessions.save())]
            return start_response(status, headers, exc_info)

        return self.app(environ, session_start_response)


def get_sessions(environ: dict[str, Any]) -> RequestSessions:
    """The request's sessions; raises ``LookupError`` if the middleware is not installed."""
    try:
        sessions: RequestSessions = environ[ENVIRON_KEY]
    except KeyError:
        raise LookupError("gorillacompat SessionMiddleware is not installed") from None
    return sessions


def get_session(environ: dict[str, Any], name: str | None = None) -> Session:
    """The session ``name`` (default: the middleware's). Go: ``store.Get(r, name)``."""
    return get_sessions(environ).get(name)
