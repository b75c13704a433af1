"""CookieStore: the whole session in the cookie (Go: ``sessions.CookieStore``).

Layering: imports ``securecookie`` through ``store``; no I/O.

The cookie value is ``securecookie.EncodeMulti(name, session.Values, codecs...)``: gob of Go's
``map[interface{}]interface{}``, MAC'd with the cookie name. There is no special case for
``max_age < 0``: the values still go into the (expiring) cookie, as in Go.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import GorillaError, UsageError
from ..serializers import Serializer
from .options import DEFAULT_MAX_AGE, Options, SameSite
from .session import Session
from .store import CodecStore

__all__ = ["COMPAT_VERSIONS", "CookieStore", "cookie_store_defaults"]

#: gorilla/sessions releases whose CookieStore behaviour can be selected.
COMPAT_VERSIONS = ("v1.2", "v1.3", "v1.4")


class PartitionedUnsupportedError(UsageError):
    """``partitioned`` asked of a gorilla/sessions release that has no such option."""

    def __init__(self, compat: str) -> None:
        super().__init__(
            f"sessions: Options.Partitioned needs gorilla/sessions v1.4 (compat={compat!r})",
            hint='use compat="v1.4" or leave partitioned False',
        )


def cookie_store_defaults(compat: str = "v1.4") -> Options:
    """Go's ``NewCookieStore`` default Options for a release.

    v1.2.x: Path ``/``, MaxAge 30 days. v1.3.0 and v1.4.0 add ``Secure`` and ``SameSite=None``
    (gorilla/sessions commit ef99c78, #276).
    """
    if compat not in COMPAT_VERSIONS:
        raise ValueError(f"compat must be one of {COMPAT_VERSIONS}, not {compat!r}")
    if compat == "v1.2":
        return Options(path="/", max_age=DEFAULT_MAX_AGE)
    return Options(path="/", max_age=DEFAULT_MAX_AGE, secure=True, same_site=SameSite.NONE)


class CookieStore(CodecStore):
    """Sessions stored in the cookie itself (Go: ``sessions.NewCookieStore(keyPairs...)``).

    ``keys`` are hash, block, hash, block, ... as in Go; the first pair encodes. ``options``
    replaces the release's defaults (``compat``: ``"v1.2"``, ``"v1.3"``, ``"v1.4"``), and its
    ``max_age`` also becomes every codec's ``max_age`` (Go's ``store.MaxAge``).
    """

    def __init__(
        self,
        *keys: bytes | None,
        options: Options | None = None,
        compat: str = "v1.4",
        serializer: Serializer | None = None,
        codec_options: Mapping[str, Any] | None = None,
        clock: Callable[[], int] | None = None,
        random_bytes: Callable[[int], bytes] | None = None,
    ) -> None:
        self.compat = compat
        super().__init__(
            keys,
            options,
            defaults=cookie_store_defaults(compat),
            clock=clock,
            random_bytes=random_bytes,
            serializer=serializer,
            codec_options=codec_options,
        )

    def new(self, cookies: Mapping[str, str], name: str) -> Session:
        """Go: ``CookieStore.New``. Never raises for the cookie: see ``Session.error``."""
        session = self._fresh(name)
        value = cookies.get(name)
        if value is not None:
            try:
                session.values = self._decode_values(name, value)
            except GorillaError as exc:
                session.error = exc
            else:
                session.is_new = False
        return session

    def save(self, session: Session) -> str:
        """Go: ``CookieStore.Save``: the Set-Cookie value (``""`` for an invalid name).

        Raises what ``encode_multi`` raises (value too long, not serializable, bad keys).
        """
        if session.options.partitioned and self.compat != "v1.4":
            raise PartitionedUnsupportedError(self.compat)
        with self._one_reading() as now:
            encoded = self._encode(session.name, session.values)
        return self._cookie(session, encoded, now)
