"""The GORM adapter: wader/gormstore/v2's ``sessions`` table on PostgreSQL, MySQL/MariaDB, SQLite.

Layering: imports ``gormstore`` (its connections, dialects, statements and error mapping).

A record is the row ``id`` = session ID: ``data`` holds ``securecookie.EncodeMulti(name, values)``,
``expires_at`` the expiry (gormstore ``Save``); a row past it is no session for either side, and is
skipped as expired. IDs are listed in key order (the primary key), so a position is the last ID.
Writes replace the row (delete + insert in one transaction per batch) and create the table as
GORM's ``AutoMigrate`` would when it is missing. Times are written as each Go driver writes them,
in UTC (Go's DSN ``loc`` default).

URL: ``gorm+postgresql://…``, ``gorm+mysql://user:pw@host:3306/db``, ``gorm+sqlite:////abs/path.db``,
each with ``?table=sessions&serializer=gob``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlunsplit

from ...gormstore import DEFAULT_TABLE_NAME
from ...gormstore._dialects import DIALECTS
from ...gormstore._errors import from_driver
from ...gormstore.store import Cursor, driver_errors, open_sync
from . import SECURECOOKIE_SERIALIZERS, Position, Record, Signed, Signing, URLOptions, option_choice, redact

__all__ = ["GormBackend", "open_gormstore"]

_FRACTION = re.compile(r"\.(\d+)")


def _ms(value: object) -> int | None:
    """An ``expires_at`` as the dialect returns it: an aware or UTC-naive datetime, or SQLite's text."""
    if value is None:
        return None
    if isinstance(value, str):
        # go-sqlite3 writes 0-9 fraction digits; Python 3.10 reads exactly 3 or 6.
        value = datetime.fromisoformat(_FRACTION.sub(lambda m: "." + (m[1] + "00000")[:6], value))
    assert isinstance(value, datetime)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return int(value.timestamp() * 1000)


class GormBackend:
    """The rows of one gormstore table."""

    key_field = "key"
    stores_expiry = True

    def __init__(self, url: str, signing: Signing, *, table: str, serializer: str) -> None:
        self.url = url
        self.table = table
        dialect, self._cursor_factory, self._close = open_sync(url, 1, 10.0)
        self.dialect = DIALECTS[dialect]
        self.sql = self.dialect.statements(table)
        self._errors: tuple[type[BaseException], ...] = (*driver_errors(dialect), TimeoutError)
        t, p = self.dialect.quote_name(table), self.dialect.param
        self._scan = f"SELECT id FROM {t} WHERE id > {p} ORDER BY id LIMIT {p}"
        self._read = f"SELECT id, data, expires_at FROM {t} WHERE id IN ({{}})"
        self._count = f"SELECT count(*) FROM {t}"
        self.envelope = Signed(serializer, signing)
        self.base = f"gorm+{redact(url).split('?', 1)[0]}#{table}:"
        self._table_made = False

    def describe(self) -> str:
        return f"gorm+{redact(self.url)} table={self.table} serializer={self.envelope.serializer_name}"

    @contextmanager
    def _cursor(self, operation: str) -> Iterator[Cursor]:
        """A cursor in a committed transaction; driver errors become gormstore's typed errors."""
        try:
            with self._cursor_factory() as cur:
                yield cur
        except self._errors as exc:
            raise from_driver(exc, self.dialect.name, operation) from exc

    def _rows(self, operation: str, sql: str, params: Sequence[Any]) -> list[Any]:
        with self._cursor(operation) as cur:
            cur.execute(sql, tuple(params))
            return list(cur.fetchall())  # type: ignore[attr-defined]

    def count(self) -> int | None:
        return int(self._rows("count", self._count, ())[0][0])

    def scan(self, batch: int, position: Position | None = None) -> Iterator[tuple[list[str], Position]]:
        after = (position or {}).get("after", "")
        while True:
            ids = [str(r[0]) for r in self._rows("scan", self._scan, (after, batch))]
            if not ids:
                return
            after = ids[-1]
            yield ids, {"after": after}

    def read(self, ids: Sequence[str]) -> list[Record | None]:
        if not ids:
            return []
        sql = self._read.format(",".join([self.dialect.param] * len(ids)))
        found = {str(i): (d, e) for i, d, e in self._rows("load", sql, ids)}
        out: list[Record | None] = []
        for i in ids:
            data, expires = found.get(i, (None, None))
            if data is None:
                out.append(None)
                continue
            stored = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data)
            out.append(Record(i, stored, _ms(expires), i))
        return out

    def write(self, records: Sequence[Record]) -> None:
        now = datetime.now(timezone.utc)
        with self._cursor("save") as cur:
            if not self._table_made:
                cur.execute(self.sql.has_table, self.sql.has_table_params)
                if cur.fetchone()[0] == 0:
                    cur.execute(self.sql.create_table)
                self._table_made = True
            for r in records:
                expires = (
                    now if r.expires_ms is None else datetime.fromtimestamp(r.expires_ms / 1000, timezone.utc)
                )
                cur.execute(self.sql.delete, (r.id,))
                at, until = self.dialect.time(now, timezone.utc), self.dialect.time(expires, timezone.utc)
                cur.execute(self.sql.insert, (r.id, r.stored.decode("ascii"), at, at, until))

    def delete(self, ids: Sequence[str]) -> int:
        n = 0
        with self._cursor("delete") as cur:
            for i in ids:
                cur.execute(self.sql.delete, (i,))
                n += max(cur.rowcount, 0)
        return n

    def close(self) -> None:
        self._close()


def open_gormstore(url: str, signing: Signing) -> GormBackend:
    """``gorm+postgresql://``, ``gorm+mysql://`` or ``gorm+sqlite:///``; ``table`` and ``serializer``
    are ours, the rest goes to the driver (libpq takes query options, MySQL none)."""
    opts = URLOptions(url, {"table": DEFAULT_TABLE_NAME, "serializer": "gob"})
    serializer = option_choice(opts, "serializer", SECURECOOKIE_SERIALIZERS)
    p = opts.parts
    inner = p.scheme.lower().removeprefix("gorm+")
    driver_url = opts.passed_on(scheme=inner)
    if inner == "sqlite":  # urlunsplit would drop the empty authority of sqlite:////abs/path
        driver_url = (
            f"sqlite://{p.path}" if p.path.startswith("/") else urlunsplit((inner, p.netloc, p.path, "", ""))
        )
    try:
        return GormBackend(driver_url, signing, table=opts.options["table"], serializer=serializer)
    except driver_errors(inner if inner != "postgresql" else "postgres") as exc:
        raise from_driver(exc, inner, "connect") from exc
