"""The pure rules of antonlindstrom/pgstore: IDs, rows, expiry, length limit, cookies.

Layering: imports ``errors``, ``securecookie``, ``values`` and ``sessions``; does no I/O.
``store.py`` (sync) and ``asyncio.py`` (async) are thin shells that run the SQL this module
plans, so both behave identically.

What Go stores where (pgstore ``New``/``Save``/``load``/``save``/``destroy``, ``cleanup.go``)::

    cookie      name=securecookie.EncodeMulti(name, ID)       # payload: gob of the string ID
    table       http_sessions(id BIGSERIAL, key BYTEA, data BYTEA, created_on, modified_on,
                              expires_on TIMESTAMPTZ) + indexes on expires_on and on key
    key         ID: base32 (std alphabet, "=" trimmed) of 32 random bytes, 52 chars
    data        securecookie.EncodeMulti(name, session.Values) # signed (and encrypted) text
    expires_on  max(Values["expires_on"], now + MaxAge)       # MaxAge of the session's Options
    created_on  Values["created_on"] if it is a time, else now (written on insert only)
    delete      DELETE ... WHERE key = ID                     # Save with MaxAge < 0
    cleanup     DELETE ... WHERE expires_on < now()           # opt-in, every interval

Go's reader ignores ``expires_on``: a row is loaded until cleanup deletes it, and its age is
checked only by securecookie's timestamp (the store's MaxAge). We read the same way, so both sides
always agree on whether a session exists. Where we differ from Go (for Go's readers' sake), see
docs/pgstore.md: we update-or-insert instead of trusting ``IsNew``, and read the newest row of a
duplicated key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from ..errors import GorillaError
from ..sessions._server import ServerRules
from ..sessions.session import Session
from ..sessions.store import load_session_id, new_session_id
from ..values import GoTime
from ._errors import CorruptRowError, ExpiresOnTypeError, PGStoreConfigError

__all__ = [
    "CREATE_TABLE",
    "DEFAULT_CLEANUP_INTERVAL",
    "DEFAULT_MAX_AGE",
    "DEFAULT_MAX_LENGTH",
    "DELETE_EXPIRED",
    "DELETE_ROWS",
    "INSERT_ROW",
    "LOCK_KEY",
    "SELECT_ROW",
    "SELECT_ROWS",
    "UPDATE_MANY",
    "UPDATE_ROWS",
    "WRITE_ROW",
    "Delete",
    "PGStoreRules",
    "Write",
    "expires_on",
    "update_many_params",
]

#: Go: ``NewPGStoreFromPool``'s Options.MaxAge (30 days).
DEFAULT_MAX_AGE = 86400 * 30
#: Go: securecookie's default max length, which pgstore keeps (``MaxLength`` changes it).
DEFAULT_MAX_LENGTH = 4096
#: Go: ``defaultInterval`` of ``Cleanup`` (an interval <= 0 means this).
DEFAULT_CLEANUP_INTERVAL = 300.0

#: The table and indexes exactly as pgstore's createSessionsTable makes them (same names and types),
#: tolerating a missing CREATE privilege when the table exists already (public: for migrations).
#: CREATE ... IF NOT EXISTS is not safe against itself: two processes starting on an empty database
#: (two workers of one app) collide in the catalog (unique_violation). Ours take a lock first; a
#: collision with a Go process creating it at that moment means the table is being made: enough.
CREATE_TABLE = """
DO $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('gorillacompat.pgstore create http_sessions'));
  CREATE TABLE IF NOT EXISTS http_sessions (
    id BIGSERIAL PRIMARY KEY,
    key BYTEA,
    data BYTEA,
    created_on TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    modified_on TIMESTAMPTZ,
    expires_on TIMESTAMPTZ);
  CREATE INDEX IF NOT EXISTS http_sessions_expiry_idx ON http_sessions (expires_on);
  CREATE INDEX IF NOT EXISTS http_sessions_key_idx ON http_sessions (key);
EXCEPTION
  WHEN unique_violation OR duplicate_table OR duplicate_object THEN
    NULL;
  WHEN insufficient_privilege THEN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_tables
                   WHERE schemaname = current_schema() AND tablename = 'http_sessions') THEN
      RAISE;
    END IF;
END;
$$
"""
#: The newest row of the key (Go takes whichever row the server returns first).
SELECT_ROW = "SELECT data FROM http_sessions WHERE key = %s ORDER BY id DESC LIMIT 1"
#: SELECT_ROW for many keys in one statement (the asyncio store's coalesced loads): ``(key, data)``
#: of each key's newest row.
SELECT_ROWS = (
    "SELECT DISTINCT ON (key) key, data FROM http_sessions WHERE key = ANY(%s) ORDER BY key, id DESC"
)
#: UPDATE_ROWS for many keys in one statement (the asyncio store's coalesced updates), parameters
#: ``update_many_params``; returns the keys it updated. The rows are locked in ``id`` order before
#: any is changed, so two of these (two processes) never wait for each other in a cycle.
UPDATE_MANY = (
    "UPDATE http_sessions AS t SET data = s.data, modified_on = s.modified_on, expires_on = s.expires_on"
    " FROM (SELECT r.id, v.data, v.modified_on, v.expires_on FROM http_sessions AS r"
    " JOIN unnest(%s::bytea[], %s::bytea[], %s::timestamptz[], %s::timestamptz[])"
    " AS v(key, data, modified_on, expires_on) ON r.key = v.key ORDER BY r.id FOR UPDATE OF r) AS s"
    " WHERE t.id = s.id RETURNING t.key"
)
#: Serializes saves of one ID (the table has no unique key to upsert on).
LOCK_KEY = "SELECT pg_advisory_xact_lock(hashtext(%s))"
UPDATE_ROWS = "UPDATE http_sessions SET data = %s, modified_on = %s, expires_on = %s WHERE key = %s"
INSERT_ROW = (
    "INSERT INTO http_sessions (key, data, created_on, modified_on, expires_on) VALUES (%s, %s, %s, %s, %s)"
)
#: UPDATE_ROWS, else INSERT_ROW, in one statement (``write_params``). The shells send it after
#: LOCK_KEY in one pipeline: one round trip, one implicit transaction (the lock is held from before
#: this statement's snapshot until the commit at the pipeline's Sync).
WRITE_ROW = (
    "WITH updated AS (UPDATE http_sessions SET data = %(data)s, modified_on = %(modified_on)s,"
    " expires_on = %(expires_on)s WHERE key = %(key)s RETURNING 1)"
    " INSERT INTO http_sessions (key, data, created_on, modified_on, expires_on)"
    " SELECT %(key)s, %(data)s, %(created_on)s, %(modified_on)s, %(expires_on)s"
    " WHERE NOT EXISTS (SELECT FROM updated)"
)
DELETE_ROWS = "DELETE FROM http_sessions WHERE key = %s"
DELETE_EXPIRED = "DELETE FROM http_sessions WHERE expires_on < now()"


@dataclass(frozen=True)
class Write:
    """Update every row of ``session_id``, or insert one when there is none, in one transaction."""

    session_id: str
    data: bytes
    created_on: datetime
    modified_on: datetime
    expires_on: datetime
    #: The session was loaded from its row: a plain UPDATE_ROWS first (Go: ``update`` when
    #: ``!IsNew``), the locked write only when it finds no row. An UPDATE never inserts, so it
    #: needs no lock: the lock only keeps two inserts of one ID apart.
    update_first: bool = False

    @property
    def key(self) -> bytes:
        """The ``key`` column (BYTEA holding the ID's bytes, as lib/pq sends Go's string)."""
        return self.session_id.encode()

    def update_params(self) -> tuple[bytes, datetime, datetime, bytes]:
        return (self.data, self.modified_on, self.expires_on, self.key)

    def insert_params(self) -> tuple[bytes, bytes, datetime, datetime, datetime]:
        return (self.key, self.data, self.created_on, self.modified_on, self.expires_on)

    def write_params(self) -> dict[str, bytes | datetime]:
        return {
            "key": self.key, "data": self.data, "created_on": self.created_on,
            "modified_on": self.modified_on, "expires_on": self.expires_on,
        }  # fmt: skip


def update_many_params(
    plans: Sequence[Write],
) -> tuple[list[bytes], list[bytes], list[datetime], list[datetime]]:
    """UPDATE_MANY's arrays; of two plans for one key, the later one is written (last write wins)."""
    last = {plan.key: plan for plan in plans}
    ordered = list(last.values())
    return (
        list(last),
        [p.data for p in ordered],
        [p.modified_on for p in ordered],
        [p.expires_on for p in ordered],
    )


@dataclass(frozen=True)
class Delete:
    """``DELETE`` the rows of ``session_id`` (nothing to run when it is empty)."""

    session_id: str

    @property
    def key(self) -> bytes:
        return self.session_id.encode()


def _utc(unix: int) -> datetime:
    return datetime.fromtimestamp(unix, timezone.utc)


def _as_time(value: object) -> datetime | None:
    if isinstance(value, GoTime):
        return value.to_datetime()
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    return None


def expires_on(values: Mapping[Any, Any], now: int, max_age: int) -> datetime:
    """Go: pgstore ``save``: ``now + MaxAge``, or ``Values["expires_on"]`` when that is later.

    A non-time ``expires_on`` makes Go panic; it raises ``ExpiresOnTypeError`` here.
    """
    floor = _utc(now) + timedelta(seconds=max_age)
    given = values.get("expires_on")
    if given is None:
        return floor
    when = _as_time(given)
    if when is None:
        raise ExpiresOnTypeError(getattr(given, "go_type", type(given).__name__))
    return max(when, floor)


class PGStoreRules(ServerRules):
    """Everything pgstore decides without talking to PostgreSQL.

    Go: the fields of ``pgstore.PGStore`` (``Codecs``, ``Options``) and the pure parts of
    ``New``/``Save``/``load``/``save``. Codecs, Options, ``max_age`` (kept in step with the codecs, as
    Go's ``MaxAge``), ``max_length``, the clock and the random source come from ``ServerRules``.
    """

    config_error = PGStoreConfigError
    prefix = "pgstore"

    # -- New / load -----------------------------------------------------------------------------

    def begin_load(self, session: Session, cookies: Mapping[str, str]) -> bytes | None:
        """Go: ``New`` up to ``load``. The ``key`` to select, or None (no usable cookie).

        A cookie that does not decode leaves a fresh session with ``session.error`` set.
        """
        session_id = load_session_id(session, cookies, self._decode_id)
        return None if session_id is None else session_id.encode()

    def finish_load(self, session: Session, data: object) -> None:
        """Go: ``load`` after the SELECT. No row: stays new and keeps the ID (Go: ``ErrNoRows``).

        A row that does not decode sets ``session.error`` (``CorruptRowError`` or securecookie's).
        """
        if data is None:
            return
        try:
            if not isinstance(data, (bytes, bytearray, memoryview)):
                raise CorruptRowError(f"pgstore: data column is {type(data).__name__}, not bytea")
            try:
                text = bytes(data).decode("ascii")
            except UnicodeDecodeError as exc:
                raise CorruptRowError("pgstore: data column is not a securecookie value") from exc
            session.values = self._decode_values(session.name, text)
        except GorillaError as exc:
            session.error = exc
            return
        session.is_new = False

    def end_new(self) -> None:
        """Go: ``New`` ends with ``db.MaxAge(db.Options.MaxAge)``, loaded or not.

        So a change to ``options.max_age`` reaches the codecs (how old a cookie may be) from the
        next request on, as it does in Go, where gin-contrib's ``store.Options`` relies on it.
        """
        self.max_age = self.options.max_age

    # -- Save -----------------------------------------------------------------------------------

    def plan_save(self, session: Session) -> tuple[Write | Delete, str]:
        """What Save runs, and the ``Set-Cookie`` value to send once it has committed.

        1. MaxAge < 0: delete the rows and send an empty cookie (values are cleared, as MemStore).
        2. An empty ID gets a fresh 52-char one.
        3. The values are encoded with the codecs (``max_length`` applies; nothing is written).
        4. ``expires_on``/``created_on`` from the values and MaxAge, one clock reading for all.
        5. The cookie is encoded before anything is written (Go encodes it after the write).
        """
        with self._one_reading() as now:
            if session.options.max_age < 0:
                session.values.clear()
                return Delete(session.id), self._cookie(session, "", now)
            if not session.id:
                session.id = new_session_id(self.random_bytes)
            data = self._encode(session.name, session.values).encode("ascii")
            until = expires_on(session.values, now, session.options.max_age)
            created = _as_time(session.values.get("created_on")) or _utc(now)
            header = self._cookie(session, self._encode(session.name, session.id), now)
        return Write(session.id, data, created, _utc(now), until, not session.is_new), header

    def delete_plan(self, session: Session) -> tuple[Delete, str]:
        """``delete``: MaxAge -1 on the session, then the Delete of ``plan_save``."""
        session.options.max_age = -1
        plan, header = self.plan_save(session)
        assert isinstance(plan, Delete)
        return plan, header
