"""The ``sessions`` table and its statements in each SQL dialect GORM speaks here.

Layering: pure (no driver import, no I/O); ``store``/``asyncio`` run what this module writes.

The table is the one ``AutoMigrate(&gormSession{})`` creates with gorm.io/gorm v1.25.12
(``migrator.CreateTable``) and each driver's ``DataTypeOf``: gormstore's struct tags are GORM v1
``sql:"..."`` tags, which GORM v2 ignores, so ``ID`` is the primary key by name and there is no
other index. Statement text below is GORM's, byte for byte (SQLite keeps it in ``sqlite_master``)::

    postgres  CREATE TABLE "sessions" ("id" text,"data" text,"created_at" timestamptz,
              "updated_at" timestamptz,"expires_at" timestamptz,PRIMARY KEY ("id"))
    mysql     CREATE TABLE `sessions` (`id` varchar(191),`data` longtext,`created_at` datetime(3) NULL,
              `updated_at` datetime(3) NULL,`expires_at` datetime(3) NULL,PRIMARY KEY (`id`))
    sqlite    CREATE TABLE `sessions` (`id` text,`data` text,`created_at` datetime,
              `updated_at` datetime,`expires_at` datetime,PRIMARY KEY (`id`))

Times as each Go driver writes them: pgx sends an instant (timestamptz keeps microseconds);
go-sql-driver/mysql sends the wall time in its DSN's ``loc`` (UTC by default) and MariaDB keeps
milliseconds; mattn/go-sqlite3 stores text ``2006-01-02 15:04:05.999999999-07:00`` in the Go
process's zone, compared as text by ``expires_at > ?``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import unquote, urlsplit

from ._core import DEFAULT_TABLE_NAME
from ._errors import GormStoreConfigError

__all__ = ["DIALECTS", "Dialect", "Statements", "parse_url", "sqlite_time"]


def parse_url(url: str) -> tuple[str, dict[str, Any]]:
    """The dialect of ``url`` and what its driver's ``connect`` needs.

    ``postgresql://`` (or ``postgres://``) is passed to libpq whole; ``mysql://user:pw@host:port/db``
    gives PyMySQL's keywords; ``sqlite:///path`` gives the file (SQLAlchemy's spelling: four
    slashes for an absolute path). A MySQL URL takes no query: Go's DSN ``loc`` is the store's
    ``time_zone`` here, and ``parseTime`` is Go's business.
    """
    scheme, _, rest = url.partition("://")
    if scheme in ("postgresql", "postgres"):
        return "postgres", {"conninfo": url}
    if scheme == "sqlite" and rest.startswith("/") and len(rest) > 1:
        return "sqlite", {"database": rest[1:]}
    if scheme == "mysql":
        parts = urlsplit(url)
        if parts.query:
            raise GormStoreConfigError(
                "gormstore: a mysql:// URL takes no parameters",
                hint="pass Go's DSN loc as time_zone=...; the other DSN options are Go's",
            )
        return "mysql", {
            "host": parts.hostname or "localhost",
            "port": parts.port or 3306,
            "user": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "database": parts.path.lstrip("/") or None,
        }
    raise GormStoreConfigError(
        "gormstore: need a postgresql://, mysql:// or sqlite:///path URL",
        hint="or pass a psycopg, PyMySQL or sqlite3 connection",
    )


def sqlite_time(when: datetime, zone: tzinfo) -> str:
    """Go: ``t.Format("2006-01-02 15:04:05.999999999-07:00")`` as go-sqlite3 binds a time.Time."""
    t = when.astimezone(zone)
    frac = f".{t.microsecond:06d}".rstrip("0") if t.microsecond else ""
    offset = t.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return (
        f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"
        f"{frac}{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    )


@dataclass(frozen=True)
class Statements:
    """The SQL of one table in one dialect (parameters in the driver's style)."""

    has_table: str
    has_table_params: tuple[str, ...]
    create_table: str
    select: str
    update: str
    live: str
    insert: str
    delete: str
    cleanup: str
    #: ``select`` and ``update`` for many IDs in one statement (PostgreSQL only: the asyncio store
    #: coalesces concurrent calls into them). ``select_many`` takes an array of IDs and one of
    #: times, and returns ``(id, data)``; ``update_many`` takes the arrays of ``update_many_params``
    #: and returns the IDs it updated, having locked their rows in ``id`` order.
    select_many: str | None = None
    update_many: str | None = None


@dataclass(frozen=True)
class Dialect:
    """How one database names, types and compares things (Go: a gorm.io/driver ``Dialector``)."""

    name: str
    quote: str
    param: str
    #: The types GORM gives ``ID``, ``Data`` and the time fields.
    id_type: str
    data_type: str
    time_type: str

    def quote_name(self, name: str) -> str:
        """Go: ``Dialector.QuoteTo``: each dot-separated part quoted, quotes doubled."""
        q = self.quote
        return ".".join(q + part.replace(q, q + q) + q for part in name.split("."))

    def statements(self, table_name: str) -> Statements:
        """The SQL for ``table_name``; an empty name is ``DEFAULT_TABLE_NAME``, as in Go."""
        table_name = table_name or DEFAULT_TABLE_NAME
        t, p = self.quote_name(table_name), self.param
        cols = ",".join(
            f"{self.quote_name(c)} {ty}"
            for c, ty in (("id", self.id_type), ("data", self.data_type), ("created_at", self.time_type),
                          ("updated_at", self.time_type), ("expires_at", self.time_type))
        )  # fmt: skip
        return Statements(
            *self._has_table(table_name),
            create_table=f"CREATE TABLE IF NOT EXISTS {t} ({cols},PRIMARY KEY ({self.quote_name('id')}))",
            select=f"SELECT data FROM {t} WHERE id = {p} AND expires_at > {p} LIMIT 1",
            update=f"UPDATE {t} SET data = {p}, updated_at = {p}, expires_at = {p} "
            f"WHERE id = {p} AND expires_at > {p}",
            live=f"SELECT 1 FROM {t} WHERE id = {p} AND expires_at > {p}",
            insert=f"INSERT INTO {t} (id, data, created_at, updated_at, expires_at) "
            f"VALUES ({p}, {p}, {p}, {p}, {p})",
            delete=f"DELETE FROM {t} WHERE id = {p}",
            cleanup=f"DELETE FROM {t} WHERE expires_at <= {p}",
            select_many=None if self.name != "postgres" else (
                "SELECT v.id, t.data FROM unnest(%s::text[], %s::timestamptz[]) AS v(id, now)"
                f" JOIN {t} AS t ON t.id = v.id AND t.expires_at > v.now"
            ),
            update_many=None if self.name != "postgres" else (
                f"UPDATE {t} AS t SET data = s.data, updated_at = s.now, expires_at = s.expires"
                f" FROM (SELECT r.id, v.data, v.now, v.expires FROM {t} AS r"
                " JOIN unnest(%s::text[], %s::text[], %s::timestamptz[], %s::timestamptz[])"
                " AS v(id, data, now, expires) ON r.id = v.id AND r.expires_at > v.now"
                " ORDER BY r.id FOR UPDATE OF r) AS s WHERE t.id = s.id RETURNING t.id"
            ),
        )  # fmt: skip

    def _has_table(self, table_name: str) -> tuple[str, tuple[str, ...]]:
        """Go: ``Migrator.HasTable``: counts the base tables of that name (in its schema, if named)."""
        schema, _, bare = table_name.rpartition(".")
        p = self.param
        if self.name == "sqlite":
            master = f"{self.quote_name(schema)}.sqlite_master" if schema else "sqlite_master"
            return f"SELECT count(*) FROM {master} WHERE type = 'table' AND name = {p}", (bare,)
        current = "CURRENT_SCHEMA()" if self.name == "postgres" else "DATABASE()"
        sql = (
            f"SELECT count(*) FROM information_schema.tables WHERE table_schema = {p if schema else current}"
            f" AND table_name = {p} AND table_type = 'BASE TABLE'"
        )
        return sql, ((schema, bare) if schema else (bare,))

    def time(self, when: datetime, zone: tzinfo) -> object:
        """A time parameter as this dialect's Go driver writes it (``when`` is aware)."""
        if self.name == "sqlite":
            return sqlite_time(when, zone)
        if self.name == "mysql":
            return when.astimezone(zone).replace(tzinfo=None)
        return when


DIALECTS = {
    "postgres": Dialect("postgres", '"', "%s", "text", "text", "timestamptz"),
    "mysql": Dialect("mysql", "`", "%s", "varchar(191)", "longtext", "datetime(3) NULL"),
    "sqlite": Dialect("sqlite", "`", "?", "text", "text", "datetime"),
}
