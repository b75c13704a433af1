"""MemStore: session values in this process's memory, the ID in the cookie
(Go: ``github.com/quasoft/memstore``).

Layering: imports ``store`` and below; no I/O. For tests, demos and single-process apps.

Semantics follow quasoft/memstore (2bce066 as the spec read it): the cookie is
``EncodeMulti(name, ID, codecs...)``; ``save`` keeps a deep copy made by a gob round trip of the
values (so what Go could not encode fails here too); ``max_age < 0`` deletes the entry, clears
``session.values`` and sends an empty cookie; ``max_age >= 0`` stores. A cookie that does not
decode gives a fresh session with ``error``; a valid cookie for an unknown ID gives a fresh
session without error. There is no server-side expiry.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import GorillaError
from ..serializers import GobEncoder, Serializer
from ..values import GoMap
from .options import Options
from .session import Session
from .store import CodecStore, as_values, new_session_id

__all__ = ["MemStore"]


class MemStore(CodecStore):
    """Go: ``memstore.NewMemStore(keyPairs...)``. Defaults: Path ``/``, MaxAge 30 days.

    Thread-safe. The cache is keyed by session ID (quasoft/memstore 84a0501 deleted by session
    *name*, which never matched; we delete by ID).
    """

    #: Values are copied through gob, as Go's ``MemStore.copy`` does.
    copy_serializer: Serializer = GobEncoder()

    def __init__(
        self,
        *keys: bytes | None,
        options: Options | None = None,
        serializer: Serializer | None = None,
        codec_options: Mapping[str, Any] | None = None,
        clock: Callable[[], int] | None = None,
        random_bytes: Callable[[int], bytes] | None = None,
    ) -> None:
        super().__init__(
            keys,
            options,
            clock=clock,
            random_bytes=random_bytes,
            serializer=serializer,
            codec_options=codec_options,
        )
        self._cache: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many sessions are held."""
        with self._lock:
            return len(self._cache)

    def new(self, cookies: Mapping[str, str], name: str) -> Session:
        """Go: ``MemStore.New``."""
        session = self._fresh(name)
        value = cookies.get(name)
        if value is None:
            return session
        try:
            session.id = self._decode_id(name, value)
        except GorillaError as exc:
            session.error = exc
            return session
        with self._lock:
            data = self._cache.get(session.id)
        if data is not None:
            session.values = self._thaw(data)
            session.is_new = False
        return session

    def save(self, session: Session) -> str:
        """Go: ``MemStore.Save``; raises if the values cannot be gob-encoded or the ID encoded."""
        with self._one_reading() as now:
            if session.options.max_age < 0:
                with self._lock:
                    self._cache.pop(session.id, None)
                session.values.clear()
                return self._cookie(session, "", now)
            if not session.id:
                session.id = new_session_id(self.random_bytes)
            frozen = self.copy_serializer.dumps(session.values)
            encoded = self._encode(session.name, session.id)
            with self._lock:
                self._cache[session.id] = frozen
        return self._cookie(session, encoded, now)

    def _thaw(self, data: bytes) -> GoMap:
        return as_values(self.copy_serializer.loads(data))
