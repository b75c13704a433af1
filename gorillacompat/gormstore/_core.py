"""The pure rules of wader/gormstore/v2: IDs, rows, expiry, length limit, cookies.

Layering: imports ``errors``, ``sessions`` and this package's ``_errors``; does no I/O.
``store.py`` (sync) and ``asyncio.py`` (async) run the statements of ``_dialects`` in the order
the plans here say, so both behave identically.

What Go stores where (gormstore.go ``New``/``Save``/``getSessionFromCookie``/``Cleanup``)::

    cookie      name=securecookie.EncodeMulti(name, ID)        # payload: gob of the string ID
    table       sessions(id, data, created_at, updated_at, expires_at)  # see _dialects
    id          base32 (std alphabet, "=" trimmed) of 32 random bytes, 52 chars
    data        securecookie.EncodeMulti(name, session.Values)  # signed (and encrypted) text
    expires_at  now + MaxAge (MaxAge 0: now, so the row is dead at once)
    load        the row WHERE id = ID AND expires_at > now; none → a new session
    update      the live row of the cookie's ID, else a new ID and an INSERT
    delete      Save with MaxAge < 0: DELETE the row, empty cookie
    cleanup     DELETE WHERE expires_at <= now                  # opt-in (Go: PeriodicCleanup)

A row past ``expires_at`` is no session for either side, even before cleanup deletes it.
Where we differ from Go, for Go's readers' sake, see docs/gormstore.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..errors import GorillaError
from ..sessions._server import ServerRules
from ..sessions.options import Options
from ..sessions.session import Session
from ..sessions.store import load_session_id, new_session_id
from ._errors import CorruptRowError, GormStoreConfigError

__all__ = [
    "DEFAULT_CLEANUP_INTERVAL",
    "DEFAULT_MAX_AGE",
    "DEFAULT_MAX_LENGTH",
    "DEFAULT_TABLE_NAME",
    "Delete",
    "GormStoreRules",
    "Write",
    "default_options",
    "update_many_params",
]

#: Go: ``defaultMaxAge`` (30 days), the store's ``SessionOpts.MaxAge`` and its codecs' max age.
DEFAULT_MAX_AGE = 86400 * 30
#: Go: securecookie's default max length, which gormstore keeps (``MaxLength`` changes it).
DEFAULT_MAX_LENGTH = 4096
#: Go: ``defaultTableName`` (``Options.TableName`` changes it).
DEFAULT_TABLE_NAME = "sessions"
#: Go: the interval gin-contrib/sessions/gorm's ``NewStore`` gives ``PeriodicCleanup`` (1 hour).
DEFAULT_CLEANUP_INTERVAL = 3600.0


def default_options() -> Options:
    """Go: ``&sessions.Options{Path: defaultPath, MaxAge: defaultMaxAge}`` of ``NewOptions``."""
    return Options(path="/", max_age=DEFAULT_MAX_AGE)


def _utc(unix: float) -> datetime:
    return datetime.fromtimestamp(unix, timezone.utc)


@dataclass(frozen=True)
class Write:
    """Update the live row of ``session_id``; when there is none, insert one as ``fresh_id``.

    Go: ``Save``'s ``st.sessionTable().Save(s)`` for the row the request's cookie names, or
    ``Create`` under a new ID. ``now`` is both ``updated_at`` and the liveness bound.
    """

    session_id: str
    fresh_id: str
    data: str
    now: datetime
    expires_at: datetime


def update_many_params(
    plans: Sequence[Write], time: Callable[[datetime], object]
) -> tuple[list[str], list[str], list[object], list[object]]:
    """The arrays of ``Statements.update_many`` (times as ``time`` makes them); of two plans for
    one ID, the later one is written (last write wins)."""
    last = list({plan.session_id: plan for plan in plans}.values())
    return (
        [p.session_id for p in last],
        [p.data for p in last],
        [time(p.now) for p in last],
        [time(p.expires_at) for p in last],
    )


@dataclass(frozen=True)
class Delete:
    """``DELETE`` the row of ``session_id`` (nothing to run when it is empty)."""

    session_id: str
    now: datetime


class GormStoreRules(ServerRules):
    """Everything gormstore decides without talking to the database.

    Go: the fields of ``gormstore.Store`` (``Codecs``, ``SessionOpts``) and the pure parts of
    ``New``/``Save``. Codecs, Options, ``max_age`` and ``max_length`` come from ``ServerRules``;
    ``clock`` here returns Unix seconds with a fraction (row times keep sub-second precision, as
    Go's do).
    """

    config_error = GormStoreConfigError
    prefix = "gormstore"

    def __init__(
        self,
        keys: tuple[bytes | None, ...],
        options: Options | None,
        *,
        max_length: int,
        clock: Callable[[], float] | None,
        random_bytes: Callable[[int], bytes] | None,
    ) -> None:
        self.precise_clock: Callable[[], float] = clock if clock is not None else time.time
        super().__init__(
            keys,
            options,
            defaults=default_options(),
            max_length=max_length,
            clock=lambda: int(self.precise_clock()),
            random_bytes=random_bytes,
        )

    def now(self) -> datetime:
        """The clock as an aware UTC datetime (microseconds; Go's nanoseconds are cut by the database)."""
        return _utc(self.precise_clock())

    # -- New -----------------------------------------------------------------------------------

    def begin_load(self, session: Session, cookies: Mapping[str, str]) -> str | None:
        """Go: ``New`` up to the SELECT. The ID whose live row to select, or None (no usable cookie).

        Like Go's ``New`` (which calls ``st.MaxAge(st.SessionOpts.MaxAge)``), the codecs take the
        store's current ``options.max_age`` first. A cookie that does not decode leaves a fresh
        session with ``session.error`` set. ``session.id`` keeps the cookie's ID even when its row
        is gone: ``save`` then updates nothing and inserts under a new ID, as Go does.
        """
        self.max_age = self.options.max_age
        return load_session_id(session, cookies, self._decode_id)

    def finish_load(self, session: Session, row: Sequence[object] | None) -> None:
        """Go: ``New`` after the SELECT of ``(data,)``. No live row: stays new. A row that does not
        decode sets ``session.error`` (Go drops that error and returns a fresh session)."""
        if row is None:
            return
        data = row[0]
        try:
            if not isinstance(data, str):
                raise CorruptRowError(f"gormstore: data column is {type(data).__name__}, not text")
            session.values = self._decode_values(session.name, data)
        except GorillaError as exc:
            session.error = exc
            return
        session.is_new = False

    # -- Save ------------------------------------------------------------------------------------

    def plan_save(self, session: Session) -> Write | Delete:
        """What Save runs; send ``cookie_after(...)`` once it has committed.

        1. MaxAge < 0: delete the row (values are cleared, as MemStore does).
        2. The values are encoded with the codecs (``max_length`` applies; nothing is written).
        3. ``expires_at = now + MaxAge``; the codecs' timestamp is pinned for the save.
        4. A fresh ID is drawn, for when the session has no live row to update.
        """
        with self._one_reading():
            now = self.now()
            if session.options.max_age < 0:
                session.values.clear()
                return Delete(session.id, now)
            data = self._encode(session.name, session.values)
        expires = now + timedelta(seconds=session.options.max_age)
        return Write(session.id, new_session_id(self.random_bytes), data, now, expires)

    def cookie_after(self, session: Session, plan: Write | Delete, saved_id: str) -> str:
        """The ``Set-Cookie`` value once ``plan`` committed under ``saved_id`` (Go: the end of ``Save``)."""
        unix = int(plan.now.timestamp())
        if isinstance(plan, Delete):
            return self._cookie(session, "", unix)
        session.id = saved_id
        return self._cookie(session, self._encode(session.name, saved_id), unix)
