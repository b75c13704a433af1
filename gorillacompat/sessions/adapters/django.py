"""Django: ``request.session`` is the Go session (middleware + a ``SessionBase`` backend).

Layering: imports ``sessions``, ``adapters._common`` and Django; importable only with Django.

settings.py::

    MIDDLEWARE = [
        "gorillacompat.sessions.adapters.django.SessionMiddleware",   # instead of Django's
        "django.contrib.auth.middleware.AuthenticationMiddleware",   # works on top of it
        ...
    ]
    GORILLA_SESSIONS = {
        "STORE": "myproject.sessions.store",   # dotted path to a store (or a factory returning one)
        "NAME": "session",                     # the Go app's session (cookie) name
        "SAVE_EVERY_REQUEST": False,
    }

Views use ``request.session`` as usual (string keys of Go's ``session.Values``, ``modified``,
``flush()``, ``set_expiry()``), plus ``request.session.add_flash(v)`` /
``request.session.flashes()`` (Go's flashes) and ``request.session.go`` (the Go session).
The cookie's attributes come from the Go store's ``Options``, not from ``SESSION_COOKIE_*``;
``flush()`` (and so ``django.contrib.auth.logout``) clears the values and expires the cookie,
as a Go app's logout does with ``MaxAge = -1``. The ``Set-Cookie`` header is the store's string,
carried by a ``Morsel`` in ``response.cookies`` so Django's test client sees the cookie too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from http.cookies import CookieError, Morsel
from typing import Any, cast

from django.conf import settings  # type: ignore[import-untyped]
from django.contrib.sessions.backends.base import SessionBase  # type: ignore[import-untyped]
from django.core.exceptions import ImproperlyConfigured  # type: ignore[import-untyped]
from django.http import HttpRequest, HttpResponseBase  # type: ignore[import-untyped]
from django.utils import timezone  # type: ignore[import-untyped]
from django.utils.cache import patch_vary_headers  # type: ignore[import-untyped]
from django.utils.module_loading import import_string  # type: ignore[import-untyped]

from ..session import Session
from ._common import RequestSessions, ValuesView, parse_cookie_header
from ._common import SessionStore as _Store

__all__ = ["SessionMiddleware", "SessionStore"]


class SessionStore(SessionBase):  # type: ignore[misc]
    """``request.session``: Django's session API over a Go session. Go: ``sessions.Session``.

    The middleware writes the cookie; ``save()`` only marks the session for saving.
    """

    def __init__(self, session_key: str | None = None, *, sessions: RequestSessions | None = None) -> None:
        super().__init__(None)
        if sessions is None:
            raise ImproperlyConfigured(
                "gorillacompat's SessionStore is made by its SessionMiddleware, not by SESSION_ENGINE"
            )
        self.sessions = sessions
        self._view: ValuesView | None = None

    @property
    def go(self) -> Session:
        """The Go session (ID, options, keys that are not strings)."""
        return self.sessions.session

    def _get_session(self, no_load: bool = False) -> ValuesView:
        self.accessed = True
        if self._view is None:
            self._view = ValuesView(self.sessions.session)
        return self._view

    _session = property(_get_session)

    async def _aget_session(self, no_load: bool = False) -> ValuesView:
        if self._view is None and not self.sessions.is_loaded():
            await self.sessions.aget()
        return self._get_session()

    @property
    def session_key(self) -> str | None:
        """The server-side ID (FilesystemStore and the like); None for cookie-only stores."""
        return self.go.id or None

    def is_empty(self) -> bool:
        return len(self._get_session()) == 0

    def load(self) -> ValuesView:
        return self._get_session()

    def exists(self, session_key: str) -> bool:
        return False

    def create(self) -> None:
        self.modified = True

    def save(self, must_create: bool = False) -> None:
        self.modified = True

    def clear(self) -> None:
        self._get_session().clear()
        self.modified = True

    def delete(self, session_key: str | None = None) -> None:
        """Expire the cookie (Go: ``session.Options.MaxAge = -1`` then ``Save``)."""
        go = self.go
        go.values.clear()
        go.options.max_age = -1
        self.modified = True

    def cycle_key(self) -> None:
        self.modified = True

    def set_expiry(self, value: int | datetime | timedelta | None) -> None:
        """Go: ``session.Options.MaxAge``; ``None`` keeps the store's default."""
        if value is None:
            return
        if isinstance(value, datetime):
            value = cast(timedelta, value - timezone.now())
        if isinstance(value, timedelta):
            self.go.options.max_age = max(1, int(value.total_seconds()))
        else:
            self.go.options.max_age = int(value)
        self.modified = True

    def get_expiry_age(self, **kwargs: Any) -> int:
        return int(self.go.options.max_age)

    def get_expire_at_browser_close(self) -> bool:
        return bool(self.go.options.max_age == 0)

    def add_flash(self, value: Any, key: str = "_flash") -> None:
        """Go: ``session.AddFlash(value, key)``."""
        self._get_session().add_flash(value, key)
        self.modified = True

    def flashes(self, key: str = "_flash") -> list[Any]:
        """Go: ``session.Flashes(key)``: returns and removes them."""
        found = self._get_session().flashes(key)
        if found:
            self.modified = True
        return found


class _GoMorsel(Morsel[str]):
    """A cookie whose ``Set-Cookie`` text is the Go store's string, byte for byte."""

    def __init__(self, header: str) -> None:
        super().__init__()
        name, _, rest = header.partition("=")
        value, *attrs = rest.split("; ")
        expired = "Max-Age=0" in attrs
        # An expired cookie is forgotten, as a browser does (and as Django's delete_cookie makes
        # its test client do); the header below still carries Go's exact text.
        self.set(name, "" if expired else value, "" if expired else value)
        for attr in attrs:
            key, _, val = attr.partition("=")
            try:
                self[key] = val or True
            except CookieError:  # e.g. Partitioned, unknown to http.cookies before 3.14
                pass
        self._header = header

    def OutputString(self, attrs: Any = None) -> str:  # noqa: N802 (the stdlib's name)
        return self._header


def _load_store(spec: object) -> _Store:
    obj = import_string(spec) if isinstance(spec, str) else spec
    if not hasattr(obj, "save") and callable(obj):
        obj = obj()
    if not (hasattr(obj, "get") and hasattr(obj, "save")):
        raise ImproperlyConfigured("GORILLA_SESSIONS['STORE'] must name a gorillacompat store")
    return obj  # type: ignore[return-value]


class SessionMiddleware:
    """Gives each request ``request.session`` and writes the Go store's ``Set-Cookie``.

    Go: ``store.Get(r, name)`` (lazily, on first use) and ``sessions.Save(r, w)`` (only when
    the session changed, or always with ``SAVE_EVERY_REQUEST``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        conf = getattr(settings, "GORILLA_SESSIONS", None)
        if not conf or "STORE" not in conf:
            raise ImproperlyConfigured("settings.GORILLA_SESSIONS = {'STORE': ..., 'NAME': ...} is required")
        self.get_response = get_response
        self.store = _load_store(conf["STORE"])
        self.name: str = conf.get("NAME", "session")
        self.save_every_request: bool = conf.get("SAVE_EVERY_REQUEST", False)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        sessions = RequestSessions(
            lambda: parse_cookie_header(request.META.get("HTTP_COOKIE")),
            self.store,
            self.name,
            save_every_request=self.save_every_request,
            delete_empty=True,
        )
        session = SessionStore(sessions=sessions)
        request.session = session
        response = self.get_response(request)
        if session.modified:
            sessions.mark_modified()
        for header in sessions.save():
            morsel = _GoMorsel(header)
            response.cookies[morsel.key] = morsel
        if session.accessed:
            patch_vary_headers(response, ("Cookie",))
        return response
