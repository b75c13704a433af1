"""The PostgreSQL adapter: antonlindstrom/pgstore's ``http_sessions`` table.

Layering: imports psycopg and ``pgstore`` (its SQL and error mapping).

A record is the newest row of a ``key`` (the session ID): ``data`` holds
``securecookie.EncodeMulti(name, values)``, ``expires_on`` the expiry (pgstore ``save``). Go's
reader ignores ``expires_on`` until its cleanup deletes the row, so rows past it are copied too,
expiry kept. IDs are listed in key order (the table's key index), so a position is the last key.
Writes update-or-insert under pgstore's per-key lock, one transaction per batch, and create the
table as ``pgstore.NewPGStore`` does when it is missing. A record without an expiry (from a file)
gets ``now + max_age``, as pgstore's ``save``.

URL: ``postgresql://user@host:port/db?serializer=gob&max_age=2592000``; libpq takes the rest.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import psycopg

from ...pgstore import CREATE_TABLE, DEFAULT_MAX_AGE
from ...pgstore._core import DELETE_ROWS, INSERT_ROW, LOCK_KEY, UPDATE_ROWS, Write
from ...pgstore._errors import from_psycopg
from . import SECURECOOKIE_SERIALIZERS, Position, Record, Signed, Signing, URLOptions, option_choice, redact

__all__ = ["PGBackend", "open_pgstore"]

_SCAN = "SELECT DISTINCT key FROM http_sessions WHERE key > %s ORDER BY key LIMIT %s"
_READ = (
    "SELECT DISTINCT ON (key) key, data, expires_on FROM http_sessions WHERE key = ANY(%s) "
    "ORDER BY key, id DESC"
)
_COUNT = "SELECT count(DISTINCT key) FROM http_sessions"


def _utc_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, timezone.utc)


class PGBackend:
    """The sessions of one database's ``http_sessions`` table."""

    key_field = "key"
    stores_expiry = True

    def __init__(
        self, conn: psycopg.Connection[Any], url: str, signing: Signing, *, serializer: str, max_age: int
    ) -> None:
        self.conn = conn
        self.url = url
        self.max_age = max_age
        self.envelope = Signed(serializer, signing)
        self.base = f"{redact(url).split('?', 1)[0]}#http_sessions:"
        self._table_made = False

    def describe(self) -> str:
        return f"{redact(self.url)} serializer={self.envelope.serializer_name}"

    def _query(self, operation: str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except psycopg.Error as exc:
            raise from_psycopg(exc, operation) from exc

    def count(self) -> int | None:
        return int(self._query("count", _COUNT)[0][0])

    def scan(self, batch: int, position: Position | None = None) -> Iterator[tuple[list[str], Position]]:
        after = (position or {}).get("after", "")
        while True:
            rows = self._query("scan", _SCAN, (after.encode(), batch))
            if not rows:
                return
            ids = [bytes(r[0]).decode("utf-8", "surrogateescape") for r in rows]
            after = ids[-1]
            yield ids, {"after": after}

    def read(self, ids: Sequence[str]) -> list[Record | None]:
        rows = self._query("load", _READ, ([i.encode() for i in ids],))
        found = {bytes(k).decode("utf-8", "surrogateescape"): (data, exp) for k, data, exp in rows}
        out: list[Record | None] = []
        for i in ids:
            if i not in found or found[i][0] is None:
                out.append(None)
                continue
            data, exp = found[i]
            expires = None if exp is None else int(exp.timestamp() * 1000)
            out.append(Record(i, bytes(data), expires, i))
        return out

    def write(self, records: Sequence[Record]) -> None:
        now = datetime.now(timezone.utc)
        try:
            with self.conn.transaction():
                if not self._table_made:
                    self.conn.execute(CREATE_TABLE)
                    self._table_made = True
                for r in records:
                    if r.expires_ms is None:
                        until = now + timedelta(seconds=self.max_age)
                    else:
                        until = _utc_ms(r.expires_ms)
                    plan = Write(r.id, r.stored, now, now, until)
                    self.conn.execute(LOCK_KEY, (plan.session_id,))
                    if self.conn.execute(UPDATE_ROWS, plan.update_params()).rowcount == 0:
                        self.conn.execute(INSERT_ROW, plan.insert_params())
        except psycopg.Error as exc:
            raise from_psycopg(exc, "save") from exc

    def delete(self, ids: Sequence[str]) -> int:
        try:
            with self.conn.transaction():
                return sum(self.conn.execute(DELETE_ROWS, (i.encode(),)).rowcount > 0 for i in ids)
        except psycopg.Error as exc:
            raise from_psycopg(exc, "delete") from exc

    def close(self) -> None:
        self.conn.close()


def open_pgstore(url: str, signing: Signing) -> PGBackend:
    """``postgresql://…`` or ``postgres://…``; ``serializer`` and ``max_age`` are ours, the rest libpq's."""
    opts = URLOptions(url, {"serializer": "gob", "max_age": str(DEFAULT_MAX_AGE)})
    serializer = option_choice(opts, "serializer", SECURECOOKIE_SERIALIZERS)
    max_age = opts.integer("max_age")
    conninfo = opts.passed_on()
    try:
        conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise from_psycopg(exc, f"connect {redact(conninfo)}") from exc
    return PGBackend(conn, conninfo, signing, serializer=serializer, max_age=max_age)
