"""The store interface, the per-request registry, and what every codec-backed store shares.

Layering: imports ``errors``, ``securecookie``, ``serializers`` and the sessions modules below it;
never a backend (redis) or a web framework.

Go's ``Store.New(r, name)`` returns a session **and** an error. Here ``new``/``get`` never raise
for what the request carried (a bad, expired or foreign cookie, a missing file): they return a
fresh session whose ``error`` holds the ``GorillaError`` Go would have returned; adapters log it.
Only an invalid cookie *name* raises (``InvalidCookieNameError``, a ``UsageError``), as Go's
``Registry.Get`` returns no session at all for it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from .._encoding import b32_nopad
from ..errors import DeserializeError, GobDecodeError, GorillaError, MultiError
from ..securecookie import SecureCookie, codecs_from_pairs, decode_multi, encode_multi
from ..serializers import Serializer
from ..values import GoMap
from .cookie import is_cookie_name_valid, new_cookie
from .options import DEFAULT_MAX_AGE, Options
from .session import (
    InvalidCookieNameError,
    MissingStoreError,
    SaveAllError,
    SaveError,
    Session,
    new_values,
)

__all__ = ["CodecStore", "Registry", "Store", "decode_session_id", "load_session_id", "new_session_id"]


@runtime_checkable
class Store(Protocol):
    """What every session store offers (Go: ``sessions.Store``)."""

    def get(self, cookies: Mapping[str, str], name: str) -> Session:
        """Go: ``Store.Get`` without the per-request cache (see :class:`Registry`)."""
        ...

    def new(self, cookies: Mapping[str, str], name: str) -> Session:
        """Go: ``Store.New``: load the session named ``name`` from ``cookies`` or start a new one."""
        ...

    def save(self, session: Session) -> str:
        """Go: ``Store.Save``: persist and return the ``Set-Cookie`` value (``""`` = no header)."""
        ...


class Registry:
    """The sessions of one request (Go: ``sessions.GetRegistry`` / ``Registry``).

    Make one per request from its cookies. ``get`` loads each name once and returns the cached
    session afterwards (whatever store is passed later, as in Go); ``save_all`` saves them all.
    """

    def __init__(self, cookies: Mapping[str, str]) -> None:
        self.cookies = cookies
        self._sessions: dict[str, Session] = {}

    def get(self, store: Store, name: str) -> Session:
        """Go: ``Registry.Get``. Raises ``InvalidCookieNameError`` for a name Go refuses."""
        if not is_cookie_name_valid(name):
            raise InvalidCookieNameError(name)
        session = self._sessions.get(name)
        if session is None:
            session = store.new(self.cookies, name)
            session.name = name
            self._sessions[name] = session
        session.store = store
        return session

    def __contains__(self, name: object) -> bool:
        return name in self._sessions

    def save_all(self) -> list[str]:
        """Save every session (Go: ``sessions.Save`` / ``Registry.Save``); the headers to send.

        Empty values (invalid names) are left out, as ``http.SetCookie`` does. Raises
        ``SaveAllError`` (Go's ``sessions.MultiError`` text) if any save failed; its ``headers`` are
        those that succeeded.
        """
        headers: list[str] = []
        errors: list[GorillaError] = []
        for name, session in self._sessions.items():
            if session.store is None:
                errors.append(MissingStoreError(name))
                continue
            try:
                header = session.store.save(session)
            except GorillaError as exc:
                errors.append(SaveError(name, exc))
                continue
            if header:
                headers.append(header)
        if errors:
            raise SaveAllError(errors, headers)
        return headers


def new_session_id(random_bytes: Callable[[int], bytes], n: int = 32) -> str:
    """base32 (std alphabet, no padding) of ``n`` random bytes: 52 characters for Go's 32.

    Go: ``base32.StdEncoding.WithPadding(NoPadding).EncodeToString(GenerateRandomKey(32))``
    (boj/redistore trims the ``=`` of the padded form: the same string).
    """
    raw = random_bytes(n)
    if len(raw) != n:
        raise ValueError(f"random_bytes({n}) returned {len(raw)} bytes")
    return b32_nopad(raw)


def _unix_now() -> int:
    return int(time.time())


class _NotMapError(GobDecodeError):
    """The payload decoded, but not to the Go type the store decodes into."""


def decode_session_id(name: str, value: str, codecs: Sequence[SecureCookie]) -> str:
    """The session ID a server-side store's cookie carries.

    Go: ``DecodeMulti(name, value, &session.ID, codecs...)``: a payload that is not a gob string
    fails as Go's gob does when decoding into a ``*string``.
    """
    decoded = decode_multi(name, value, codecs)
    if not isinstance(decoded, str):
        go_type = getattr(decoded, "go_type", type(decoded).__name__)
        exc = _NotMapError(f"gob: decoding into local type *string, received remote type {go_type}")
        raise MultiError([DeserializeError.caused_by(exc)]) from exc
    return decoded


def load_session_id(
    session: Session, cookies: Mapping[str, str], decode_id: Callable[[str, str], str]
) -> str | None:
    """Go: a server-side store's ``New`` up to ``load``: the ID its cookie names, or None.

    No cookie: None. A cookie that does not decode: None, with ``session.error`` set (the session
    stays fresh, as Go's ``New`` returns it next to the error). Otherwise ``session.id`` is set.
    """
    value = cookies.get(session.name)
    if value is None:
        return None
    try:
        session.id = decode_id(session.name, value)
    except GorillaError as exc:
        session.error = exc
        return None
    return session.id


def as_values(decoded: object) -> GoMap:
    """The decoded payload as session values; what Go's gob refuses to decode into them raises."""
    if isinstance(decoded, GoMap):
        if decoded.go_type == "map[interface {}]interface {}":
            return decoded
    elif type(decoded) is dict:
        return new_values(decoded)
    go_type = getattr(decoded, "go_type", type(decoded).__name__)
    raise _NotMapError(
        f"gob: decoding into local type *map[interface {{}}]interface {{}}, received remote type {go_type}"
    )


class _OneReading:
    """``with store._one_reading() as now``: the clock pinned for the codecs until the end (a
    class, not ``@contextmanager``: every save enters one)."""

    __slots__ = ("_clock", "_pinned")

    def __init__(self, clock: Callable[[], int], pinned: threading.local) -> None:
        self._clock = clock
        self._pinned = pinned

    def __enter__(self) -> int:
        now = int(self._clock())
        self._pinned.now = now
        return now

    def __exit__(self, *exc: object) -> None:
        self._pinned.now = None


class CodecStore:
    """What CookieStore, FilesystemStore and MemStore share: codecs from key pairs, defaults,
    an injected clock and random source, and ``max_age`` kept in step with the codecs.

    ``options`` is copied, so the caller's object never changes with the store's; None is
    ``defaults``, the Go store's own (gorilla/sessions': Path ``/``, MaxAge 30 days).
    ``clock`` (Unix seconds) and ``random_bytes`` are for tests and migrations; the defaults are
    what you want. One clock reading per save serves both the securecookie timestamp and Expires.
    """

    def __init__(
        self,
        keys: tuple[bytes | None, ...],
        options: Options | None,
        *,
        defaults: Options | None = None,
        clock: Callable[[], int] | None,
        random_bytes: Callable[[int], bytes] | None,
        serializer: Serializer | None = None,
        codec_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.clock: Callable[[], int] = clock if clock is not None else _unix_now
        self.random_bytes: Callable[[int], bytes] = random_bytes if random_bytes is not None else os.urandom
        self._pinned = threading.local()
        extra = dict(codec_options or {})
        if serializer is not None:
            extra["serializer"] = serializer
        #: Go: ``store.Codecs`` (the first pair encodes, decoding tries them in order).
        self.codecs: list[SecureCookie] = codecs_from_pairs(
            *keys, clock=self._codec_clock, random_bytes=self._codec_random, **extra
        )
        if options is None:
            options = defaults if defaults is not None else Options(path="/", max_age=DEFAULT_MAX_AGE)
        else:
            options = options.copy()
        #: Go: ``store.Options``: the defaults each new session copies.
        self.options = options
        self.max_age = options.max_age

    # -- Go's store.MaxAge(age) ------------------------------------------------------------------

    @property
    def max_age(self) -> int:
        """Default session lifetime; setting it also sets every codec's max_age (Go: ``MaxAge``).

        Assigning ``store.options.max_age`` directly leaves the codecs alone, as in Go.
        """
        return self.options.max_age

    @max_age.setter
    def max_age(self, age: int) -> None:
        self.options.max_age = age
        for codec in self.codecs:
            codec.max_age = age

    # -- time and randomness ------------------------------------------------------------------------

    def _codec_clock(self) -> int:
        pinned: int | None = getattr(self._pinned, "now", None)
        return pinned if pinned is not None else int(self.clock())

    def _codec_random(self, n: int) -> bytes:
        return self.random_bytes(n)

    def _one_reading(self) -> _OneReading:
        """Read the clock once; codecs see the same second for the rest of the save."""
        return _OneReading(self.clock, self._pinned)

    # -- shared steps -------------------------------------------------------------------------------

    def _fresh(self, name: str) -> Session:
        """Go: ``NewSession`` + a copy of the store's Options + ``IsNew = true``."""
        return Session(name, self, options=self.options.copy(), is_new=True)

    def get(self, cookies: Mapping[str, str], name: str) -> Session:
        """Go: ``store.Get`` (name check, then ``New``); cache per request with :class:`Registry`.

        Raises ``InvalidCookieNameError``; never raises for the cookie's content.
        """
        if not is_cookie_name_valid(name):
            raise InvalidCookieNameError(name)
        return self.new(cookies, name)

    def new(self, cookies: Mapping[str, str], name: str) -> Session:
        raise NotImplementedError

    def save(self, session: Session) -> str:
        raise NotImplementedError

    def _encode(self, name: str, value: object) -> str:
        return encode_multi(name, value, self.codecs)

    def _decode(self, name: str, value: str) -> object:
        return decode_multi(name, value, self.codecs)

    def _decode_values(self, name: str, value: str) -> GoMap:
        """Go: ``DecodeMulti(name, value, &session.Values, codecs...)``."""
        decoded = self._decode(name, value)
        try:
            return as_values(decoded)
        except GobDecodeError as exc:
            raise MultiError([DeserializeError.caused_by(exc)]) from exc

    def _decode_id(self, name: str, value: str) -> str:
        return decode_session_id(name, value, self.codecs)

    def _cookie(self, session: Session, value: str, now: int) -> str:
        return new_cookie(session.name, value, session.options, now=now)
