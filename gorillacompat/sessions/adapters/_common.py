"""What every web-framework adapter shares: cookie parsing, per-request bookkeeping, a dict view.

Layering: imports ``sessions`` only; imports no web framework, so every adapter builds on it.

Go: ``sessions.GetRegistry(r).Get(store, name)`` caches one session per name for the request, and
``sessions.Save(r, w)`` writes one ``Set-Cookie`` per session. Go apps call ``Save`` by hand; the
adapters call it for them, but only for sessions that changed (or for every loaded session, with
``save_every_request=True``). A cookie that fails to decode (bad MAC, expired, another app's keys)
gives a fresh session with ``session.error`` set and one log line — never an exception.
"""

from __future__ import annotations

import copy
import inspect
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from typing import Any, Protocol

from ..cookie import parse_cookie_header as _parse_one
from ..session import Session

__all__ = [
    "RequestSessions",
    "SessionStore",
    "ValuesView",
    "logger",
    "parse_cookie_header",
]

#: Adapters log rejected cookies here (the error text only: never keys, never cookie values).
logger = logging.getLogger("gorillacompat.sessions")


class SessionStore(Protocol):
    """The part of a store the adapters use (``get`` and ``save`` may be coroutines)."""

    def get(self, cookies: Mapping[str, str], name: str) -> Any: ...

    def save(self, session: Session) -> Any: ...


def parse_cookie_header(headers: str | Iterable[str] | None) -> dict[str, str]:
    """The request's cookies, read exactly as Go reads them; the first pair of a name wins.

    Go: ``net/http.readCookies``. ``headers`` is one ``Cookie`` header or several (HTTP/2 may
    send more than one; Go reads them in order, as if joined with ``;``, and counts their pairs
    together against its limit, which joining with ``"; "`` keeps).
    """
    if headers is None:
        return {}
    return _parse_one(headers if isinstance(headers, str) else "; ".join(headers))


_IMMUTABLE = (str, int, float, complex, bytes, bool, type(None))


def _freeze(v: Any) -> Any:
    """An immutable copy of a value for change detection (Go types kept, so an ``int`` that
    became an ``Int32`` counts as a change); much cheaper than ``copy.deepcopy``."""
    if isinstance(v, _IMMUTABLE):
        return (type(v), v)
    if isinstance(v, dict):
        return (type(v), getattr(v, "go_type", None), tuple((_freeze(k), _freeze(x)) for k, x in v.items()))
    if isinstance(v, (list, tuple)):
        return (type(v), getattr(v, "go_type", None), tuple(_freeze(x) for x in v))
    return (type(v), copy.deepcopy(v))


def _snapshot(session: Session) -> tuple[Any, ...]:
    return (_freeze(session.values), copy.copy(session.options), session.id)


class _Tracked:
    """One loaded session and what it looked like when loaded."""

    __slots__ = ("modified", "session", "snapshot", "store")

    def __init__(self, store: SessionStore, session: Session) -> None:
        self.store = store
        self.session = session
        self.snapshot = _snapshot(session)
        self.modified = False

    def changed(self) -> bool:
        return self.modified or _snapshot(self.session) != self.snapshot


class RequestSessions:
    """The sessions of one request: loaded on first use, cached by name, saved at the end.

    Go: ``sessions.Registry`` (``GetRegistry(r).Get(store, name)`` and ``Save``). ``store`` and
    ``name`` are the defaults for :meth:`get`; other stores and names may be used in the same
    request. A session is saved when its values, options or ID changed (compared with a copy
    taken when it was loaded) or :meth:`mark_modified` was called, or always when
    ``save_every_request`` is true. ``cookies`` may be a callable, so that requests that never
    touch a session do not parse the ``Cookie`` header. With ``delete_empty`` (Flask's,
    Starlette's and Django's convention for their own sessions) a loaded session whose values
    were all removed is saved with ``MaxAge = -1``, so the cookie is deleted (Go's
    ``Set-Cookie`` for a logout).
    """

    def __init__(
        self,
        cookies: Mapping[str, str] | Callable[[], Mapping[str, str]],
        store: SessionStore,
        name: str,
        *,
        save_every_request: bool = False,
        delete_empty: bool = False,
    ) -> None:
        self._cookies = cookies
        self.store = store
        self.name = name
        self.save_every_request = save_every_request
        self.delete_empty = delete_empty
        self._loaded: dict[str, _Tracked] = {}

    @property
    def cookies(self) -> Mapping[str, str]:
        """The request's cookies (parsed on first use when given as a callable)."""
        if callable(self._cookies):
            self._cookies = self._cookies()
        return self._cookies

    # -- loading --------------------------------------------------------------------------

    def _remember(self, name: str, store: SessionStore, session: Session) -> Session:
        err = getattr(session, "error", None)
        if err is not None:
            logger.warning(
                "session %r: cookie rejected, starting a new session: %s: %s",
                name,
                type(err).__name__,
                err,
            )
        self._loaded[name] = _Tracked(store, session)
        return session

    def get(self, name: str | None = None, store: SessionStore | None = None) -> Session:
        """The session called ``name`` (default: the adapter's), loaded once per request.

        Go: ``store.Get(r, name)``. Raises ``TypeError`` for a store whose ``get`` is a coroutine
        (use :meth:`aget`).
        """
        name = self.name if name is None else name
        tracked = self._loaded.get(name)
        if tracked is not None:
            return tracked.session
        store = self.store if store is None else store
        result = store.get(self.cookies, name)
        if inspect.isawaitable(result):
            _close(result)
            raise TypeError("this store is asynchronous: use `await sessions.aget(...)`")
        return self._remember(name, store, result)

    async def aget(self, name: str | None = None, store: SessionStore | None = None) -> Session:
        """:meth:`get` for sync and async stores alike."""
        name = self.name if name is None else name
        tracked = self._loaded.get(name)
        if tracked is not None:
            return tracked.session
        store = self.store if store is None else store
        result = store.get(self.cookies, name)
        if inspect.isawaitable(result):
            result = await result
        return self._remember(name, store, result)

    @property
    def session(self) -> Session:
        """The adapter's default session (:meth:`get` without arguments)."""
        return self.get()

    def mark_modified(self, name: str | None = None) -> None:
        """Save this session at the end of the request even if no change was seen."""
        self.get(name)
        self._loaded[self.name if name is None else name].modified = True

    def is_loaded(self, name: str | None = None) -> bool:
        return (self.name if name is None else name) in self._loaded

    # -- saving ---------------------------------------------------------------------------

    def _to_save(self) -> list[_Tracked]:
        out = []
        for t in self._loaded.values():
            changed = t.changed()
            if changed and self.delete_empty and not t.session.values and not t.session.is_new:
                t.session.options.max_age = -1
            if changed or self.save_every_request:
                out.append(t)
        return out

    def save(self) -> list[str]:
        """Save what needs saving; the ``Set-Cookie`` header values, in load order.

        Go: ``sessions.Save(r, w)``. Errors of the store (a value it cannot encode, a cookie
        too long) propagate: they are bugs of the app, not of the client.
        """
        headers = []
        for tracked in self._to_save():
            header = tracked.store.save(tracked.session)
            if inspect.isawaitable(header):
                _close(header)
                raise TypeError("this store is asynchronous: use `await sessions.asave()`")
            headers.append(header)
        return [h for h in headers if h]

    async def asave(self) -> list[str]:
        """:meth:`save` for sync and async stores alike."""
        headers = []
        for tracked in self._to_save():
            header = tracked.store.save(tracked.session)
            if inspect.isawaitable(header):
                header = await header
            headers.append(header)
        return [h for h in headers if h]


def _close(awaitable: object) -> None:
    close = getattr(awaitable, "close", None)
    if close is not None:
        close()


class ValuesView(MutableMapping[str, Any]):
    """A dict over ``session.values`` that shows only string keys (what web frameworks expect).

    Writes go straight into the Go session; non-string keys Go put there are kept untouched.
    ``modified`` and ``accessed`` follow Flask's and Django's meaning. ``go`` is the
    :class:`~gorillacompat.sessions.Session` itself (ID, options, non-string keys).
    """

    def __init__(self, session: Session) -> None:
        self.go = session
        self.modified = False
        self.accessed = False

    @property
    def is_new(self) -> bool:
        return bool(self.go.is_new)

    def __getitem__(self, key: str) -> Any:
        self.accessed = True
        if not isinstance(key, str):
            raise KeyError(key)
        return self.go.values[key]

    def __setitem__(self, key: str, value: Any) -> None:
        if not isinstance(key, str):
            raise TypeError(f"session keys are strings here, not {type(key).__name__}; use .go.values")
        self.accessed = self.modified = True
        self.go.values[key] = value

    def __delitem__(self, key: str) -> None:
        self.accessed = True
        if not isinstance(key, str):
            raise KeyError(key)
        del self.go.values[key]
        self.modified = True

    def __iter__(self) -> Iterator[str]:
        self.accessed = True
        return iter([k for k in self.go.values if isinstance(k, str)])

    def __len__(self) -> int:
        return sum(1 for k in self.go.values if isinstance(k, str))

    def clear(self) -> None:
        """Remove the string keys (other keys belong to Go code and stay)."""
        for k in list(self):
            del self.go.values[k]
        self.accessed = self.modified = True

    def add_flash(self, value: Any, key: str = "_flash") -> None:
        """Go: ``session.AddFlash(value, key)`` — Go's ``session.Flashes()`` will return it."""
        self.go.add_flash(value, key)
        self.accessed = self.modified = True

    def flashes(self, key: str = "_flash") -> list[Any]:
        """Go: ``session.Flashes(key)`` — returns and removes them (saved at the end)."""
        self.accessed = True
        found = self.go.flashes(key)
        if found:
            self.modified = True
        return list(found) if found else []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.go.name!r} {dict(self)!r}>"
