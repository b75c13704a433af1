"""Starlette (and FastAPI): ``CSRFMiddleware``, gorilla/csrf's ``csrf.Protect`` as ASGI middleware.

Layering: imports ``csrf``, ``csrf.adapters._common``, ``sessions`` (cookie parsing) and
Starlette; importable only with Starlette.

Usage::

    app.add_middleware(CSRFMiddleware, csrf=CSRF(AUTH_KEY), exempt={"/webhook"})

    async def page(request):                        # Go: csrf.Token(r), csrf.TemplateField(r)
        return templates.TemplateResponse(request, "form.html",
                                          {"csrf_field": csrf_field(request)})

``exempt`` holds paths, or is a predicate on the ASGI scope (Go: ``csrf.UnsafeSkipCheck``).
A refused request gets Go's 403 ``Forbidden - <reason>`` or ``error_handler(request, error)``'s
response. To read a ``multipart/form-data`` token field Starlette needs ``python-multipart``.
The body the middleware read to find the token is replayed to the app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, MutableMapping
from typing import Any

from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from ...sessions.cookie import parse_cookie_header
from .._errors import CSRFError
from .._protect import CSRF, FormData, Verdict
from ._common import MULTIPART, URLENCODED, forbidden, media_type, parse_query

__all__ = ["SCOPE_KEY", "CSRFMiddleware", "csrf_field", "csrf_token", "csrf_verdict"]

#: Where the middleware puts the request's :class:`~gorillacompat.csrf.Verdict` in the scope.
SCOPE_KEY = "gorillacompat.csrf"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
ErrorHandler = Callable[[Request, CSRFError], Awaitable[Response] | Response]


async def _read_body(receive: Receive) -> tuple[bytes, list[Message]]:
    """The whole request body, and the messages that carried it (to replay them)."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks), messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that gives ``messages`` again, then the original stream."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


class CSRFMiddleware:
    """gorilla/csrf for an ASGI app (Go: ``csrf.Protect(authKey)(handler)``)."""

    def __init__(
        self,
        app: ASGIApp,
        csrf: CSRF,
        *,
        exempt: Collection[str] | Callable[[Scope], bool] = (),
        error_handler: ErrorHandler | None = None,
    ) -> None:
        self.app = app
        self.csrf = csrf
        self.exempt = exempt
        self.error_handler = error_handler

    def _is_exempt(self, scope: Scope) -> bool:
        if callable(self.exempt):
            return self.exempt(scope)
        return scope.get("path", "") in self.exempt

    async def _form(self, scope: Scope, body: bytes, receive: Receive) -> FormData:
        kind = media_type(dict(scope["headers"]).get(b"content-type", b"").decode("latin-1"))
        if kind == URLENCODED:
            return parse_query(body)
        if kind == MULTIPART:
            parsed = await Request(scope, receive).form()
            return {key: [v for v in parsed.getlist(key) if isinstance(v, str)] for key in parsed}
        return {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csrf = self.csrf
        if self._is_exempt(scope):
            scope[SCOPE_KEY] = Verdict("", None, None, csrf.field_name)
            await self.app(scope, receive, send)
            return
        headers: dict[str, str] = {}
        cookie_lines: list[str] = []
        for raw_name, raw_value in scope["headers"]:
            name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers.setdefault(name, value)  # Go's Header.Get: the first value
            if name == "cookie":
                cookie_lines.append(value)
        form: FormData | None = None
        method = scope["method"]
        if csrf.needs_form(method, headers):
            body, messages = await _read_body(receive)
            original, receive = receive, _replay(messages, receive)
            form = await self._form(scope, body, _replay(messages, original))
        server = scope.get("server") or ("localhost", None)
        host = headers.get("host") or (f"{server[0]}:{server[1]}" if server[1] else server[0])
        verdict = csrf.protect(
            method,
            f"{scope.get('scheme', 'http')}://{host}/",
            cookies=parse_cookie_header("; ".join(cookie_lines)),
            headers=headers,
            form=form,
        )
        scope[SCOPE_KEY] = verdict
        extra = [(b"set-cookie", verdict.set_cookie.encode("latin-1"))] if verdict.set_cookie else []
        if verdict.error is not None:
            await self._refuse(scope, receive, send, verdict.error, extra)
            return
        extra.append((b"vary", b"Cookie"))

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, error: CSRFError, extra: list[tuple[bytes, bytes]]
    ) -> None:
        if self.error_handler is not None:
            response = self.error_handler(Request(scope, receive), error)
            if not isinstance(response, Response):
                response = await response
        else:
            status, headers, body = forbidden(error)
            response = Response(body.encode("utf-8"), status, dict(headers))
        response.raw_headers.extend(extra)
        await response(scope, receive, send)


def csrf_verdict(connection: HTTPConnection) -> Verdict:
    """The request's verdict (token, ``Set-Cookie``, ``error``); a FastAPI dependency."""
    verdict: Verdict = connection.scope[SCOPE_KEY]
    return verdict


def csrf_token(connection: HTTPConnection) -> str:
    """The masked token for this response (Go: ``csrf.Token(r)``); a FastAPI dependency."""
    return csrf_verdict(connection).token


def csrf_field(connection: HTTPConnection) -> str:
    """The hidden ``<input>`` (Go: ``csrf.TemplateField(r)``); mark it safe in Jinja2 (``|safe``)."""
    return csrf_verdict(connection).template_field()
