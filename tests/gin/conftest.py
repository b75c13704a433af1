"""Backends for the live Gin tests: a real server per backend, a Gin app flag set, a Python store.

Each backend of gin-contrib/sessions v1.0.4 that gorillacompat covers is one ``GinBackend``: the
``go-harness gin-serve`` flags of the Gin app on it (go-harness/gin_serve.go, gin-contrib's own
constructor), and a factory for the Python store that follows the same Go store's rules, on the
same server:

=========  ==============================================  =============================================
backend    Gin app (gin-contrib/sessions/…)                Python
=========  ==============================================  =============================================
cookie     cookie.NewStore (gorilla CookieStore v1.4.0)    ``sessions.CookieStore``
redis      redis.NewStore (boj/redistore v1.4.2)           ``redistore.RedisStore(compat="v1")``
postgres   postgres.NewStore (antonlindstrom/pgstore)      ``pgstore.PGStore``
memcached  memcached.NewStore (gorilla-sessions-memcache)  ``memcache.MemcacheStore``
gorm-*     gorm.NewStore (wader/gormstore/v2) on SQLite,   ``gormstore.GormStore`` (sqlite3, psycopg,
           PostgreSQL (pgx) and MariaDB (go-sql-driver)    PyMySQL)
=========  ==============================================  =============================================

The pgstore, memcache and gormstore backends run twice: with the sync store and, as
``<backend>-async``, with its asyncio twin driven through that suite's sync facade
(tests/*/_facade.py). Servers are the other suites' loopback servers (tests/redistore,
tests/pgstore, tests/memcache, tests/gormstore), started once per session and only when a test
asks for their backend. With CI=true a missing server or Go fails, elsewhere it skips
(``tests.conftest._need``).
"""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import pytest

from gorillacompat.sessions import CookieStore, Options
from tests.conftest import _need, running
from tests.e2e._servers import BLOCK_KEY, COOKIE_NAME, HASH_KEY, GinServer, gin_server
from tests.redistore.conftest import RedisProc, _require, free_port

#: Key pairs (hash, block): the one in use, and the next one for the rotation tests.
OLD_KEYS = (HASH_KEY, BLOCK_KEY)
NEW_KEYS = (bytes(range(151, 183)), bytes(range(201, 233)))
#: The backends tests/gin runs, in order.
BACKENDS = ["cookie", "redis", "postgres", "memcached", "gorm-sqlite", "gorm-postgres", "gorm-mysql"]
#: Backends whose Python store's asyncio twin runs too (through its suite's sync facade).
ASYNC = ["postgres", "memcached", "gorm-sqlite", "gorm-postgres", "gorm-mysql"]
#: The ``backend`` fixture's parameters: every backend, then the asyncio twins ("<name>-async").
PARAMS = [*BACKENDS, *(f"{b}-async" for b in ASYNC)]
#: Parameters of backends that keep the session on a server (the cookie names its ID).
SERVER_SIDE = [p for p in PARAMS if p != "cookie"]

_prefixes = itertools.count()


def need_modules(extra: str, *modules: str) -> None:
    """Skip (fail with CI=true) unless the modules of a gorillacompat extra are installed."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        _need(f"the {extra} extra ({', '.join(missing)})")


def key_flags(*pairs: tuple[bytes, bytes | None]) -> list[str]:
    """gin-serve flags: the cookie name and the key pairs (the first pair encodes)."""
    flags = ["-name", COOKIE_NAME]
    for hash_key, block_key in pairs:
        flags += ["-hash-key", hash_key.hex(), "-block-key", block_key.hex() if block_key else "-"]
    return flags


@dataclass
class GinBackend:
    """One backend: the Gin app's flags and the Python store's factory, on one server."""

    name: str
    #: gin-serve flags selecting the backend and its server (``-backend …``).
    go_flags: list[str]
    #: ``make_store(*keys, max_age=N|None)`` → a Python store on the same server.
    make_store: Callable[..., Any]
    #: ``stored(session_id)`` → whether the server holds the session (None for cookies).
    stored: Callable[[str], bool] | None = None
    #: ``rows(session_id)`` → how many records the server holds for it (SQL backends).
    rows: Callable[[str], int] | None = None
    #: gin-serve flags that set the store's own MaxAge (Options and codecs; see ``max_age_flags``).
    max_age_flags: Callable[[int], list[str]] = lambda n: ["-max-age", str(n)]
    #: Whether Go's ``Get`` returns a decode error (gormstore's ``New`` drops them all).
    go_get_errors: bool = True
    #: ``mirror_options(py, options)``: the Python twin of gin-contrib's ``store.Options(o)``.
    mirror_options: Callable[[Any, Options], None] = lambda py, o: setattr(py, "options", o)
    _stack: ExitStack = field(default_factory=ExitStack)

    def store(self, *pairs: tuple[bytes, bytes | None], max_age: int | None = None) -> Any:
        """A Python store with these key pairs, closed with the backend."""
        keys = [k for pair in pairs for k in pair] if pairs else list(OLD_KEYS)
        st = self.make_store(*keys, max_age=max_age)
        if hasattr(st, "close"):
            self._stack.callback(st.close)
        return st

    def close(self) -> None:
        self._stack.close()


@pytest.fixture(scope="session")
def gin_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisProc]:
    _require("redis-server")
    with running(RedisProc(tmp_path_factory.mktemp("redis-gin"), free_port())) as srv:
        yield srv


@pytest.fixture(scope="session")
def gin_pg() -> Iterator[Any]:
    from tests.pgstore.conftest import PGProc

    with running(PGProc(free_port())) as srv:
        yield srv


@pytest.fixture(scope="session")
def gin_mc() -> Iterator[Any]:
    from tests.memcache.conftest import MemcachedProc

    with running(MemcachedProc(free_port())) as srv:
        yield srv


@pytest.fixture(scope="session")
def gin_maria() -> Iterator[Any]:
    from tests.gormstore.conftest import MariaDBProc

    with running(MariaDBProc(free_port())) as srv:
        yield srv


def _cookie(request: pytest.FixtureRequest, flavor: str) -> GinBackend:
    def make(*keys: bytes | None, max_age: int | None = None) -> Any:
        st = CookieStore(*keys)
        if max_age is not None:
            st.max_age = max_age  # Go: CookieStore.MaxAge
        return st

    return GinBackend("cookie", ["-backend", "cookie"], make)


def _redis(request: pytest.FixtureRequest, flavor: str) -> GinBackend:
    from gorillacompat.redistore import RedisStore

    srv: RedisProc = request.getfixturevalue("gin_redis")
    prefix = f"gin{next(_prefixes)}_"  # a fresh key space per backend instance
    raw = srv.client()

    def make(*keys: bytes | None, max_age: int | None = None) -> Any:
        st = RedisStore(srv.url, *keys, compat="v1", key_prefix=prefix)
        if max_age is not None:
            st.set_max_age(max_age)  # Go: RediStore.SetMaxAge
        return st

    backend = GinBackend(
        "redis",
        ["-backend", "redis", "-redis-addr", srv.addr, "-redis-prefix", prefix],
        make,
        stored=lambda sid: bool(raw.exists(prefix + sid)),
    )
    backend._stack.callback(raw.close)
    return backend


def _postgres(request: pytest.FixtureRequest, flavor: str) -> GinBackend:
    need_modules("pgstore", "psycopg", "psycopg_pool")
    import psycopg

    from tests.pgstore._facade import make_store

    dsn: str = request.getfixturevalue("gin_pg").new_database()
    raw = psycopg.connect(dsn, autocommit=True)

    def make(*keys: bytes | None, max_age: int | None = None) -> Any:
        st = make_store(flavor, dsn, *keys)
        if max_age is not None:
            st.rules.max_age = max_age  # Go: PGStore.MaxAge
        return st

    def rows(sid: str) -> int:
        row = raw.execute("SELECT count(*) FROM http_sessions WHERE key = %s", (sid.encode(),)).fetchone()
        return int(row[0]) if row else 0

    def mirror(py: Any, options: Options) -> None:
        # pgstore's New runs db.MaxAge(db.Options.MaxAge) on every request, so in Go the codecs
        # follow Options.MaxAge; PGStore does not resync them, so set both.
        py.rules.options = options
        py.rules.max_age = options.max_age

    backend = GinBackend(
        "postgres",
        ["-backend", "postgres", "-pg-dsn", dsn],
        make,
        stored=lambda sid: rows(sid) > 0,
        rows=rows,
        mirror_options=mirror,
    )
    backend._stack.callback(raw.close)
    return backend


def _set_rules_options(py: Any, options: Options) -> None:
    """The store's Options object replaced, codecs untouched (gin-contrib's ``Options``)."""
    py.rules.options = options


def _memcached(request: pytest.FixtureRequest, flavor: str) -> GinBackend:
    need_modules("memcache", "pymemcache", *(["aiomcache"] if flavor == "async" else []))
    from tests.memcache._facade import make_store

    srv = request.getfixturevalue("gin_mc")
    prefix = f"gin{next(_prefixes)}_"
    raw = srv.raw()

    def make(*keys: bytes | None, max_age: int | None = None) -> Any:
        # gsm has no MaxAge setter; its codecs keep securecookie's 30 days whatever Options say.
        options = None if max_age is None else Options(path="/", max_age=max_age)
        return make_store(flavor, srv.address, *keys, key_prefix=prefix, options=options)

    backend = GinBackend(
        "memcached",
        ["-backend", "memcached", "-memcached-addr", srv.address, "-memcached-prefix", prefix],
        make,
        stored=lambda sid: raw.get(prefix + sid) is not None,
        max_age_flags=lambda n: ["-options", f"Path=/,MaxAge={n}"],
        mirror_options=_set_rules_options,
    )
    backend._stack.callback(raw.close)
    return backend


def _gorm(request: pytest.FixtureRequest, flavor: str, dialect: str) -> GinBackend:
    need_modules(
        "gormstore", *{"postgres": ["psycopg", "psycopg_pool"], "mysql": ["pymysql"]}.get(dialect, [])
    )
    from tests.gormstore._facade import make_store
    from tests.gormstore.conftest import Target

    if dialect == "postgres":
        dsn = request.getfixturevalue("gin_pg").new_database()
        target = Target(dialect, dsn, dsn)
        go_dsn = dsn
    elif dialect == "mysql":
        maria = request.getfixturevalue("gin_maria")
        db = maria.new_database()
        target = Target(dialect, maria.url(db), maria.go_dsn(db))
        go_dsn = target.go_dsn
    else:
        path = request.getfixturevalue("tmp_path_factory").mktemp("gin-gorm") / "sessions.db"
        target = Target(dialect, f"sqlite:///{path}", str(path))
        go_dsn = str(path)  # mattn/go-sqlite3 waits up to 5 s for a lock (its default busy_timeout)

    def make(*keys: bytes | None, max_age: int | None = None) -> Any:
        st = make_store(flavor, target.url, *keys)
        if max_age is not None:
            st.rules.max_age = max_age  # Go: gormstore.Store.MaxAge
        return st

    def rows(sid: str) -> int:
        return int(target.query("SELECT count(*) FROM sessions WHERE id = ?", sid)[0][0])

    return GinBackend(
        f"gorm-{dialect}",
        ["-backend", f"gorm-{dialect}", "-gorm-dsn", go_dsn],
        make,
        stored=lambda sid: rows(sid) > 0,
        rows=rows,
        go_get_errors=False,
        # gormstore's New runs st.MaxAge(st.SessionOpts.MaxAge), and GormStore does the same.
        mirror_options=_set_rules_options,
    )


FACTORIES: dict[str, Callable[[pytest.FixtureRequest, str], GinBackend]] = {
    "cookie": _cookie,
    "redis": _redis,
    "postgres": _postgres,
    "memcached": _memcached,
    "gorm-sqlite": lambda request, flavor: _gorm(request, flavor, "sqlite"),
    "gorm-postgres": lambda request, flavor: _gorm(request, flavor, "postgres"),
    "gorm-mysql": lambda request, flavor: _gorm(request, flavor, "mysql"),
}


def open_backend(request: pytest.FixtureRequest) -> Iterator[GinBackend]:
    """The body of a ``backend`` fixture parametrized by ``PARAMS`` (``-async``: the asyncio store)."""
    param = str(request.param)
    name = param.removesuffix("-async")
    b = FACTORIES[name](request, "async" if name != param else "sync")
    try:
        yield b
    finally:
        b.close()


@pytest.fixture(scope="module", params=PARAMS)
def backend(request: pytest.FixtureRequest) -> Iterator[GinBackend]:
    yield from open_backend(request)


@pytest.fixture
def gin(backend: GinBackend) -> Iterator[Callable[..., GinServer]]:
    """``gin(*flags, keys=[pair, …])`` starts the Gin app on the backend; stopped after the test."""
    with ExitStack() as stack:

        def start(*flags: str, keys: tuple[tuple[bytes, bytes | None], ...] = (OLD_KEYS,)) -> GinServer:
            return stack.enter_context(gin_server(*backend.go_flags, *key_flags(*keys), *flags))

        yield start
