"""The pure rules of boj/redistore: keys, IDs, TTLs, length limit, (de)serialization, cookies.

Layering: imports ``errors``, ``_encoding``-level helpers, ``securecookie`` and this package's
``_errors``/``_serializers``; does no I/O. ``store.py`` (sync) and ``asyncio.py`` (async) are thin
shells that run the Redis command this module plans, so both behave identically.

What Go stores where (boj/redistore ``RediStore.Save``/``save``/``New``/``load``; spec
redistore.md §1-5)::

    cookie  name=securecookie.EncodeMulti(name, ID)      # payload: gob of the string ID
    key     key_prefix + ID                              # "session_" + 52 chars of base32
    value   serializer(session.Values)                   # raw gob (or JSON), not encrypted
    save    SETEX key ttl value                          # ttl = MaxAge, or default_max_age if 0
    delete  DEL key                                      # MaxAge < 0 (v2), MaxAge <= 0 (v1)

``compat="v2"`` follows v2.0.1 (delete only on MaxAge < 0, MaxAge 0 uses ``default_max_age``);
``compat="v1"`` follows 2018 (cd5dcc7) … v1.4.2 and v2.0.0 (delete on MaxAge <= 0).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import GorillaError
from ..securecookie import SecureCookie, encode_multi
from ..sessions.cookie import new_cookie
from ..sessions.session import Session
from ..sessions.store import decode_session_id, load_session_id, new_session_id
from ._errors import InvalidExpireError, RedisResponseError, RedisStoreConfigError, ValueTooBigError
from ._serializers import SessionSerializer

__all__ = [
    "COMPATS",
    "DEFAULT_KEY_PREFIX",
    "DEFAULT_MAX_AGE",
    "DEFAULT_MAX_LENGTH",
    "SESSION_EXPIRE",
    "Delete",
    "RediStoreRules",
    "Write",
    "new_session_id",
]

#: Go: ``keyPrefix`` default.
DEFAULT_KEY_PREFIX = "session_"
#: Go: ``DefaultMaxAge`` — the Redis TTL of a session whose MaxAge is 0 (v2.0.1).
DEFAULT_MAX_AGE = 60 * 20
#: Go: ``maxLength`` — limit on the serialized value (0 = unlimited).
DEFAULT_MAX_LENGTH = 4096
#: Go: ``sessionExpire`` — the default cookie MaxAge (30 days).
SESSION_EXPIRE = 86400 * 30
#: The redistore releases whose save rules we reproduce.
COMPATS = ("v1", "v2")


@dataclass(frozen=True)
class Write:
    """Store ``payload`` under ``key`` for ``ttl`` seconds in one command.

    ``command`` is ``"SETEX"`` (boj/redistore: ``SETEX key ttl value``) or ``"SET"``
    (rbcervilla/redisstore: ``SET key value EX ttl``).
    """

    key: str
    ttl: int
    payload: bytes
    command: str = "SETEX"


@dataclass(frozen=True)
class Delete:
    """Remove ``key`` (``DEL``), then send an empty cookie."""

    key: str


class RediStoreRules:
    """Everything boj/redistore decides without talking to Redis.

    Go: the fields of ``redistore.RediStore`` (``Codecs``, ``DefaultMaxAge``, ``maxLength``,
    ``keyPrefix``, ``serializer``) and the pure parts of ``New``/``Save``/``load``/``save``.
    """

    def __init__(
        self,
        codecs: Sequence[SecureCookie],
        *,
        key_prefix: str = DEFAULT_KEY_PREFIX,
        default_max_age: int = DEFAULT_MAX_AGE,
        max_length: int = DEFAULT_MAX_LENGTH,
        serializer: SessionSerializer,
        compat: str = "v2",
        random_bytes: Callable[[int], bytes],
    ) -> None:
        if compat not in COMPATS:
            raise RedisStoreConfigError(f"redistore: compat must be one of {COMPATS}, not {compat!r}")
        if max_length < 0:
            raise RedisStoreConfigError("redistore: max length cannot be negative")
        if default_max_age < 0:
            raise RedisStoreConfigError("redistore: default max age cannot be negative")
        self.codecs = list(codecs)
        self.key_prefix = key_prefix
        self.default_max_age = default_max_age
        self.max_length = max_length
        self.serializer = serializer
        self.compat = compat
        self.random_bytes = random_bytes

    # -- keys and cookies ----------------------------------------------------------------

    def key(self, session_id: str) -> str:
        """The Redis key of a session (Go: ``keyPrefix + session.ID``)."""
        return self.key_prefix + session_id

    def session_id_from_cookie(self, name: str, value: str) -> str:
        """Go: ``securecookie.DecodeMulti(name, value, &session.ID, codecs...)``.

        Raises the securecookie ``DecodeError`` (or ``MultiError``) for a cookie that is not ours.
        """
        return decode_session_id(name, value, self.codecs)

    def cookie_value(self, session: Session) -> str:
        """Go: ``securecookie.EncodeMulti(session.Name(), session.ID, codecs...)``."""
        return encode_multi(session.name, session.id, self.codecs)

    # -- save ------------------------------------------------------------------------------

    def deletes(self, max_age: int) -> bool:
        """Whether Save deletes: MaxAge < 0 (v2.0.1) or MaxAge <= 0 (v1 … v2.0.0)."""
        return max_age < 0 if self.compat == "v2" else max_age <= 0

    def ttl(self, max_age: int) -> int:
        """Go: ``age := MaxAge; if age == 0 { age = DefaultMaxAge }``."""
        return max_age if max_age != 0 else self.default_max_age

    def plan_save(self, session: Session) -> Write | Delete:
        """What Save sends to Redis, in Go's order; assigns ``session.id`` when it is empty.

        1. MaxAge decides delete (``DEL key``) or write.
        2. An empty ID gets a fresh 52-char one.
        3. The values are serialized (serializer errors propagate; nothing is written).
        4. ``max_length`` is checked on the serialized bytes (``ValueTooBigError``).
        5. TTL = MaxAge, or ``default_max_age`` for 0; a TTL <= 0 raises ``InvalidExpireError``
           (Go would send ``SETEX key 0`` and return Redis's error).
        """
        max_age = int(session.options.max_age)
        if self.deletes(max_age):
            return Delete(self.key(session.id))
        if not session.id:
            session.id = new_session_id(self.random_bytes)
        payload = self.serializer.dumps(session.values)
        if self.max_length != 0 and len(payload) > self.max_length:
            raise ValueTooBigError(len(payload), self.max_length)
        ttl = self.ttl(max_age)
        key = self.key(session.id)
        if ttl <= 0:
            raise InvalidExpireError(ttl, key=key)
        return Write(key, ttl, payload)

    # -- load ------------------------------------------------------------------------------

    def merge(self, session: Session, data: bytes) -> None:
        """Go: ``serializer.Deserialize(b, session)`` — merges into ``session.values``.

        On success the session is no longer new; a ``DecodeError`` propagates and leaves it new.
        """
        loaded: Mapping[Any, Any] = self.serializer.loads(data)
        session.values.update(loaded)
        session.is_new = False

    # -- the parts of New and Save around the Redis command -----------------------------------

    def begin_load(self, session: Session, cookies: Mapping[str, str]) -> str | None:
        """Go: New up to ``load``. Returns the Redis key to ``GET``, or None (no usable cookie).

        A cookie that does not decode leaves a fresh session with ``session.error`` set.
        """
        session_id = load_session_id(session, cookies, self.session_id_from_cookie)
        return None if session_id is None else self.key(session_id)

    def finish_load(self, session: Session, data: object) -> None:
        """Go: ``load`` after ``GET``: nil → stays new (keeps the ID); bytes → merged."""
        if data is None:
            return
        if not isinstance(data, bytes):
            raise RedisResponseError(
                f"redistore: GET returned {type(data).__name__}, not bytes",
                command="GET",
                key=self.key(session.id),
                hint="create the redis client with decode_responses=False",
            )
        try:
            self.merge(session, data)
        except GorillaError as exc:
            session.error = exc

    def end_new(self) -> None:
        """Go's ``New`` changes nothing of the store (``SetMaxAge`` is the caller's)."""

    def saved_cookie(self, session: Session, now: int) -> str:
        """The Set-Cookie value after a write (Go: ``NewCookie(name, EncodeMulti(ID), Options)``)."""
        return new_cookie(session.name, self.cookie_value(session), session.options, now=now)

    def deleted_cookie(self, session: Session, now: int, *, force_expire: bool = False) -> str:
        """The Set-Cookie value after ``DEL``: empty value with the session's Options.

        ``force_expire`` is Go's deprecated ``RediStore.Delete``: MaxAge -1 on a copy of Options.
        """
        options = session.options
        if force_expire:
            options = options.copy()
            options.max_age = -1
        return new_cookie(session.name, "", options, now=now)
