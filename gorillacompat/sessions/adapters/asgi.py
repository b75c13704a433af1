"""Plain ASGI middleware: ``scope["session"]`` is the Go session (Starlette's ``request.session``).

Layering: imports ``sessions`` and ``adapters._common`` only; no framework needed.

    app = SessionMiddleware(app, CookieStore(hash_key, block_key), "session")
    # Starlette:  app.add_middleware(SessionMiddleware, store=store, name="session")

``scope["session"]`` is a :class:`ValuesView` (string keys of ``session.Values``, plus
``add_flash``/``flashes`` and ``.go``), which is what Starlette's ``request.session`` returns;
``scope["gorillacompat.sessions"]`` is the request's :class:`RequestSessions`. The session is
loaded before the app runs (async stores are awaited) and saved when the response starts, so a
change made after the first body byte of a streaming response is not saved. WebSocket
connections get the session too, read-only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from ._common import RequestSessions, SessionStore, ValuesView, parse_cookie_header

__all__ = ["SCOPE_KEY", "SessionMiddleware", "get_sessions"]

#: Where the middleware puts the request's :class:`RequestSessions` in the ASGI scope.
SCOPE_KEY = "gorillacompat.sessions"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SessionMiddleware:
    """ASGI middleware: Go: ``store.Get`` before the app, ``sessions.Save`` on response start.

    ``scope_key`` is where the :class:`ValuesView` goes (``"session"`` for Starlette).
    ``save_every_request`` saves every loaded session, changed or not.
    """

    def __init__(
        self,
        app: ASGIApp,
        store: SessionStore,
        name: str,
        *,
        scope_key: str = "session",
        save_every_request: bool = False,
    ) -> None:
        self.app = app
        self.store = store
        self.name = name
        self.scope_key = scope_key
        self.save_every_request = save_every_request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        cookie_lines = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k.lower() == b"cookie"]
        sessions = RequestSessions(
            parse_cookie_header(cookie_lines),
            self.store,
            self.name,
            save_every_request=self.save_every_request,
            delete_empty=True,
        )
        view = ValuesView(await sessions.aget())
        scope[SCOPE_KEY] = sessions
        scope[self.scope_key] = view
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                if view.modified:
                    sessions.mark_modified()
                cookies = [(b"set-cookie", h.encode("latin-1")) for h in await sessions.asave()]
                if cookies:
                    message = {**message, "headers": [*message.get("headers", ()), *cookies]}
            await send(message)

        await self.app(scope, receive, send_with_cookies)


def get_sessions(scope: Scope) -> RequestSessions:
    """The request's sessions; raises ``LookupError`` if the middleware is not installed."""
    try:
        sessions: RequestSessions = scope[SCOPE_KEY]
    except KeyError:
        raise LookupError("gorillacompat SessionMiddleware is not installed") from None
    return sessions
