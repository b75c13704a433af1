"""The pure rules of gorilla-sessions-memcache: keys, values per store method, TTL, cookies.

Layering: imports ``errors``, ``sessions``, ``redistore`` (its value serializers) and this
package's ``_errors``; does no I/O. ``store.py`` (sync) and ``asyncio.py`` (async) are thin shells
that send the command this module plans, so both behave identically.

What Go stores where (gsm ``New``/``Save``/``save``/``load``, gomemcache ``Set``/``Get``)::

    cookie   name=securecookie.EncodeMulti(name, ID)         # payload: gob of the string ID
    key      KeyPrefix + ID                                  # ID: base32 of 32 random bytes, 52 chars
    value    "securecookie": EncodeMulti(name, session.Values)   (signed text, the default)
             "gob":          gob.NewEncoder(buf).Encode(session.Values)
             "json":         json.Marshal(map[string]interface{}(session.Values))
    flags    0
    exptime  uint32(Options.MaxAge) sent as int32            # 0: never expires

memcached reads an exptime above 30 days (2592000 s) as a Unix time, and a negative one as "already
expired", so Go's MaxAge > 30 days stores an item that is gone at once, and MaxAge < 0 (Go's way to
delete) overwrites the item with an expired one. We send ``now + MaxAge`` as a Unix time above 30
days and ``delete`` the key for MaxAge < 0; Go's readers see the same session either way. Every
other difference from Go (and why) is in docs/memcache.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..errors import GorillaError
from ..redistore import GobSerializer, JSONSerializer
from ..redistore import JSONKeyError as RedisJSONKeyError
from ..sessions._server import ServerRules
from ..sessions.options import Options
from ..sessions.session import Session
from ..sessions.store import as_values, load_session_id, new_session_id
from ._errors import (
    CorruptValueError,
    ItemTooLargeError,
    JSONKeyError,
    MalformedKeyError,
    MemcacheStoreConfigError,
)

__all__ = [
    "DEFAULT_MAX_AGE",
    "DEFAULT_MAX_ITEM_SIZE",
    "DEFAULT_MAX_LENGTH",
    "ITEM_OVERHEAD",
    "MAX_RELATIVE_EXPTIME",
    "STORE_METHODS",
    "Delete",
    "MemcacheRules",
    "Write",
    "default_options",
    "exptime",
    "memcache_key",
    "parse_address",
]

#: Go: ``NewMemcacherStore``'s ``Options.MaxAge``, and securecookie's default codec max age,
#: which the store never changes (it has no ``MaxAge`` method).
DEFAULT_MAX_AGE = 86400 * 30
#: Go: securecookie's default max length, which the store keeps (``MaxLength`` changes it).
DEFAULT_MAX_LENGTH = 4096
#: memcached's ``REALTIME_MAXDELTA``: a larger exptime is a Unix time, not a number of seconds.
MAX_RELATIVE_EXPTIME = 2592000
#: memcached's default item size limit (``-I 1m``).
DEFAULT_MAX_ITEM_SIZE = 1024 * 1024
#: Bytes memcached 1.6 adds to key + value when sizing an item (59 with CAS on), rounded up.
ITEM_OVERHEAD = 64
#: Go: ``StoreMethodSecureCookie``, ``StoreMethodGob``, ``StoreMethodJson``.
STORE_METHODS = ("securecookie", "gob", "json")

_MAX_KEY = 250
_MAX_EXPTIME = 2**31 - 1  # memcached parses exptime as a signed 32-bit number


def default_options() -> Options:
    """Go: ``&sessions.Options{Path: "/", MaxAge: 86400 * 30}``."""
    return Options(path="/", max_age=DEFAULT_MAX_AGE)


def parse_address(address: str) -> tuple[str, int]:
    """``"host:port"`` (``"[::1]:11211"`` for IPv6; the port defaults to 11211) as a pair."""
    host, sep, port = address.rpartition(":")
    if not sep or host.endswith(":") or (host.startswith("[") != host.endswith("]")):
        host, port = address, "11211"
    host = host.removeprefix("[").removesuffix("]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise MemcacheStoreConfigError(f"memcache: bad address {address!r}; want host:port")
    return host, int(port)


#: gomemcache's ``legalKey``: no control byte, space or DEL.
_ILLEGAL_KEY_BYTE = re.compile(rb"[\x00-\x20\x7f]")


def memcache_key(prefix: str, session_id: str) -> bytes:
    """Go: ``KeyPrefix + session.ID``, checked as gomemcache's ``legalKey`` checks it."""
    key = (prefix + session_id).encode()
    if len(key) > _MAX_KEY or _ILLEGAL_KEY_BYTE.search(key):
        raise MalformedKeyError(len(key))
    return key


def exptime(max_age: int, now: int) -> int:
    """The exptime to send for a positive or zero MaxAge (0 = never expires, as in Go).

    Up to 30 days it is MaxAge itself, as Go sends it. Above, Go's item would expire at once
    (memcached reads it as a time in 1970); we send ``now + MaxAge`` instead, capped at 2038.
    """
    if max_age <= MAX_RELATIVE_EXPTIME:
        return max_age
    return min(now + max_age, _MAX_EXPTIME)


@dataclass(frozen=True)
class Write:
    """``set key 0 exptime`` with ``value``."""

    key: bytes
    value: bytes
    exptime: int


@dataclass(frozen=True)
class Delete:
    """``delete key`` (Go overwrites it with an expired item; readers see the same miss)."""

    key: bytes


class MemcacheRules(ServerRules):
    """Everything gorilla-sessions-memcache decides without talking to memcached.

    Go: the fields of ``gsm.MemcacheStore`` (``Codecs``, ``Options``, ``KeyPrefix``,
    ``StoreMethod``) and the pure parts of ``New``/``Save``/``save``/``load``. Codecs, Options,
    ``max_length`` (on securecookie values only), the clock and the random source come from
    ``ServerRules``; there is no ``max_age`` to keep in step (see ``__init__``).
    """

    config_error = MemcacheStoreConfigError
    prefix = "memcache"

    def __init__(
        self,
        keys: tuple[bytes | None, ...],
        options: Options | None,
        *,
        key_prefix: str,
        store_method: str,
        max_length: int,
        max_item_size: int,
        clock: Callable[[], int] | None,
        random_bytes: Callable[[int], bytes] | None,
    ) -> None:
        if keys and store_method not in STORE_METHODS:  # Go panics in Save/New: "Unknown StoreMethod: …"
            raise MemcacheStoreConfigError(f"Unknown StoreMethod: {store_method}")
        super().__init__(
            keys,
            options,
            defaults=default_options(),
            max_length=max_length,
            clock=clock,
            random_bytes=random_bytes,
        )
        for codec in self.codecs:  # Go's codecs keep securecookie's 30 days whatever the Options
            codec.max_age = DEFAULT_MAX_AGE
        #: Go: ``KeyPrefix``.
        self.key_prefix = key_prefix
        #: Go: ``StoreMethod``.
        self.store_method = store_method
        #: Refuse items memcached would refuse (and so lose the old value); 0 = no check.
        self.max_item_size = max_item_size
        self._gob = GobSerializer()
        self._json = JSONSerializer()

    # -- values per store method (Go: save / load) -------------------------------------------------

    def _dump(self, session: Session) -> bytes:
        if self.store_method == "securecookie":
            return self._encode(session.name, session.values).encode("ascii")
        if self.store_method == "gob":
            return self._gob.dumps(session.values)
        try:
            return self._json.dumps(session.values)
        except RedisJSONKeyError as exc:  # same check as redistore's, with gsm's text
            raise JSONKeyError(exc.key_text) from exc

    def _load(self, session: Session, data: bytes) -> None:
        if self.store_method == "securecookie":
            try:
                text = data.decode("ascii")
            except UnicodeDecodeError as exc:
                raise CorruptValueError("memcache: stored value is not a securecookie value") from exc
            session.values = self._decode_values(session.name, text)
        elif self.store_method == "gob":
            session.values.update(as_values(self._gob.loads(data)))
        else:
            session.values.update(self._json.loads(data))

    # -- New / load --------------------------------------------------------------------------------

    def begin_load(self, session: Session, cookies: Mapping[str, str]) -> bytes | None:
        """Go: ``New`` up to ``load``. The key to get, or None (no usable cookie).

        A cookie that does not decode, or whose ID makes an illegal key, leaves a fresh session
        with ``session.error`` set.
        """
        session_id = load_session_id(session, cookies, self._decode_id)
        if session_id is None:
            return None
        try:
            return memcache_key(self.key_prefix, session_id)
        except MalformedKeyError as exc:
            session.error = exc
            return None

    def finish_load(self, session: Session, data: bytes | None) -> None:
        """Go: ``load`` after the get. A miss keeps the session new with its ID and no error
        (Go returns ``memcache: cache miss``; see docs/memcache.md). A value that does not decode
        sets ``session.error`` and leaves the values empty."""
        if data is None:
            return
        try:
            self._load(session, data)
        except GorillaError as exc:
            session.values.clear()
            session.error = exc
            return
        session.is_new = False

    # -- Save --------------------------------------------------------------------------------------

    def plan_save(self, session: Session) -> tuple[Write | Delete | None, str]:
        """What Save sends, and the ``Set-Cookie`` value to return once memcached acknowledged it.

        1. MaxAge < 0: delete the key, send an empty cookie (values are cleared, as MemStore);
           nothing to delete without an ID.
        2. An empty ID gets a fresh 52-char one.
        3. The value per store method (``max_length`` applies to securecookie; nothing is sent).
        4. The item size and the exptime, from one clock reading shared with the cookie.
        5. The cookie is encoded before anything is sent (Go encodes it after the set).
        """
        with self._one_reading() as now:
            if session.options.max_age < 0:
                session.values.clear()
                plan = Delete(memcache_key(self.key_prefix, session.id)) if session.id else None
                return plan, self._cookie(session, "", now)
            if not session.id:
                session.id = new_session_id(self.random_bytes)
            key = memcache_key(self.key_prefix, session.id)
            value = self._dump(session)
            size = len(key) + len(value) + ITEM_OVERHEAD
            if self.max_item_size and size > self.max_item_size:
                raise ItemTooLargeError(size, self.max_item_size)
            header = self._cookie(session, self._encode(session.name, session.id), now)
        return Write(key, value, exptime(session.options.max_age, now)), header

    def delete_plan(self, session: Session) -> tuple[Delete | None, str]:
        """``delete``: MaxAge -1 on the session, then the Delete of ``plan_save``."""
        session.options.max_age = -1
        plan, header = self.plan_save(session)
        assert not isinstance(plan, Write)
        return plan, header
