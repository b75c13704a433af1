"""``gorillacompat export | import | copy`` between real stores: a loopback redis-server, session
directories and a private PostgreSQL, with the real Go stores (go-harness) on both ends where it
matters: what Go wrote is copied byte for byte, and Go reads what was copied."""

from __future__ import annotations

import base64
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gorillacompat.securecookie import SecureCookie, codecs_from_pairs, encode_multi
from gorillacompat.serializers import NopEncoder
from gorillacompat.sessions.filesystem import FilesystemStore
from tests.conftest import IN_CI

from .conftest import KEYS, KEYS_HEX, Runner, killed_midway
from .test_fs import SAVES
from .test_redis import cookie_of, go_read, go_write, keys_under

if not IN_CI:  # the store extras (pgstore, memcache, gormstore) are part of the test setup
    for _mod in ("psycopg", "pymemcache", "pymysql"):
        pytest.importorskip(_mod)
import psycopg

from gorillacompat.gormstore import GormStore
from gorillacompat.memcache import MemcacheStore
from gorillacompat.pgstore import PGStore
from gorillacompat.redistore import RedisStore

pytestmark = pytest.mark.live
_n = itertools.count()
KEY_ARGS = ["--hash-key", f"hex:{KEYS_HEX[0]}", "--block-key", f"hex:{KEYS_HEX[1]}"]
NEW_KEYS_HEX = ["77" * 32, "88" * 16]
NEW_KEYS = [bytes.fromhex(k) for k in NEW_KEYS_HEX]
NEW_KEY_ARGS = ["--to-hash-key", f"hex:{NEW_KEYS_HEX[0]}", "--to-block-key", f"hex:{NEW_KEYS_HEX[1]}"]
DAY = 86400


def cookie(session_id: str, keys: list[bytes] = KEYS) -> dict[str, str]:
    """The cookie a Go store issued for ``session_id`` (the signed ID; the same for every store)."""
    return {"session": encode_multi("session", session_id, codecs_from_pairs(*keys))}


@dataclass
class Place:
    """One store of one kind: its URL and a Python store over it (byte-compatible with Go's)."""

    kind: str
    url: str
    store: Callable[[list[bytes]], Any]

    def fill(self, n: int) -> list[str]:
        st = self.store(KEYS)
        ids = []
        for i in range(n):
            s = st.new({}, "session")
            s.values.update({"user": f"u{i}", "n": i})
            st.save(s)
            ids.append(s.id)
        _close(st)
        return ids

    def values(self, ids: list[str], keys: list[bytes] = KEYS) -> list[Any]:
        st = self.store(keys)
        out = []
        for i in ids:
            s = st.get(cookie(i, keys), "session")
            out.append(None if s.is_new else dict(s.values))
        _close(st)
        return out


def _close(store: Any) -> None:
    if hasattr(store, "close"):
        store.close()


@pytest.fixture
def places(redis_server: Any, pg_server: Any, mc_server: Any, tmp_path: Path) -> Callable[[str], Place]:
    """A fresh, empty place of a kind: a Redis or memcached key prefix, a directory, a PostgreSQL
    database (pgstore), a SQLite file (gormstore)."""

    def make(kind: str) -> Place:
        n = next(_n)
        if kind == "redis":
            prefix = f"cp{n}_"
            return Place(kind, f"{redis_server.url}?prefix={prefix}",
                         lambda keys: RedisStore(redis_server.url, *keys, key_prefix=prefix))  # fmt: skip
        if kind == "memcache":
            prefix = f"cp{n}_"
            return Place(kind, f"memcache://{mc_server.address}?prefix={prefix}",
                         lambda keys: MemcacheStore(mc_server.address, *keys, key_prefix=prefix))  # fmt: skip
        if kind == "gorm":
            db = tmp_path / f"gorm{n}.db"
            GormStore(f"sqlite:///{db}", *KEYS).close()  # the table, as the Go app would have made it
            return Place(kind, f"gorm+sqlite:///{db}", lambda keys: GormStore(f"sqlite:///{db}", *keys))
        if kind == "file":
            d = tmp_path / f"files{n}"
            d.mkdir()
            return Place(kind, f"file://{d}", lambda keys: FilesystemStore(str(d), *keys))
        dsn = pg_server.new_database()
        PGStore(dsn, *KEYS).close()  # the table, as the Go app would have made it
        return Place(kind, dsn, lambda keys: PGStore(dsn, *keys))

    return make


def pg_rows(dsn: str) -> dict[str, tuple[bytes, Any]]:
    with psycopg.connect(dsn, autocommit=True) as c:
        rows = c.execute("SELECT key, data, expires_on FROM http_sessions").fetchall()
    return {bytes(k).decode(): (bytes(d), e) for k, d, e in rows}


KINDS = ["redis", "file", "pg", "memcache", "gorm"]


@pytest.mark.parametrize(("src_kind", "dst_kind"), list(itertools.product(KINDS, KINDS)))
def test_copy_between_every_pair(
    cli: Runner, places: Callable[[str], Place], tmp_path: Path, src_kind: str, dst_kind: str
) -> None:
    src, dst = places(src_kind), places(dst_kind)
    ids = src.fill(25)
    res = cli("copy", src.url, dst.url, *KEY_ARGS, "--batch", "10",
              "--checkpoint", str(tmp_path / "c.ckpt"), "--json")  # fmt: skip
    assert res.code == 0, res.out + res.err
    assert res.json()["converted"] == 25 and res.json()["errors"] == []
    want = [{"user": f"u{i}", "n": i} for i in range(25)]
    assert dst.values(ids) == want  # the old cookies load every session from the new store
    assert src.values(ids) == want  # the source is left as it was
    if dst_kind == "pg":
        for _, (_, expires_on) in pg_rows(dst.url).items():  # 30 days of MaxAge, kept
            assert 29 * DAY < expires_on.timestamp() - time.time() <= 30 * DAY + 5
    if dst_kind == "memcache":
        export = cli("export", dst.url, *KEY_ARGS).jsonl()
        assert len(export) == 25 and all(29 * DAY < ln["ttl"] <= 30 * DAY + 5 for ln in export)


def test_go_redis_sessions_to_postgresql_go_pgstore_reads_them(
    cli: Runner, go_stores: Any, go_pg: Any, redis_server: Any, pg_server: Any, tmp_path: Path
) -> None:
    """Go's boj/redistore wrote them; after the copy Go's antonlindstrom/pgstore loads each one
    through the cookie Go's redistore issued; the payload is Go's gob, byte for byte."""
    prefix = f"gored{next(_n)}_"
    sessions = go_write(go_stores, redis_server, prefix, 12, max_age=3600)
    dsn = pg_server.new_database()
    res = cli("copy", f"{redis_server.url}?prefix={prefix}", dsn, *KEY_ARGS,
              "--checkpoint", str(tmp_path / "c.ckpt"), "--json")  # fmt: skip
    assert res.code == 0 and res.json()["converted"] == 12, res.out + res.err
    rows = pg_rows(dsn)
    c = redis_server.client()
    for s in sessions:
        data, expires_on = rows[s["id"]]
        assert abs(expires_on.timestamp() - time.time() - 3600) < 60  # the Redis TTL, as expires_on
        payload = SecureCookie(*KEYS, serializer=NopEncoder()).decode("session", data.decode())
        assert payload == c.get(prefix + s["id"])  # Go's gob bytes, carried over unchanged
        got = go_pg.one(dsn, kind="pg_load", cookie=s["cookie"])
        assert got["load_error"] is None and got["is_new"] is False and got["session_id"] == s["id"]
    c.close()


def test_go_postgresql_sessions_to_redis_go_redistore_reads_them(
    cli: Runner, go_stores: Any, go_pg: Any, redis_server: Any, pg_server: Any, tmp_path: Path
) -> None:
    dsn = pg_server.new_database()
    values = {
        "t": "map[interface {}]interface {}",
        "v": [[{"t": "string", "v": "user"}, {"t": "string", "v": "go"}]],
    }
    sessions = []
    for _ in range(5):
        ans = go_pg.one(dsn, kind="pg_save", values=values)
        assert ans["error"] is None
        sessions.append({"id": ans["saved_id"], "cookie": cookie_of(ans["set_cookie"][0]), "view": values})
    prefix = f"frompg{next(_n)}_"
    res = cli("copy", dsn, f"{redis_server.url}?prefix={prefix}", *KEY_ARGS,
              "--checkpoint", str(tmp_path / "c.ckpt"), "--json")  # fmt: skip
    assert res.code == 0 and res.json()["converted"] == 5, res.out + res.err
    c = redis_server.client()
    for s in sessions:
        assert 29 * DAY < c.ttl(prefix + s["id"]) <= 30 * DAY  # pgstore's expires_on, as the TTL
    c.close()
    go_read(go_stores, redis_server, prefix, sessions, "gob")


def test_export_import_round_trip_is_byte_exact(
    cli: Runner, go_stores: Any, go_pg: Any, redis_server: Any, pg_server: Any,
    places: Callable[[str], Place], tmp_path: Path,
) -> None:  # fmt: skip
    """Export from each store and import into a fresh one of the same kind: the stored bytes are
    Go's, unchanged (no re-signing with the same first key pair; AES-CTR's IV would change them)."""
    prefix = f"rt{next(_n)}_"
    go_write(go_stores, redis_server, prefix, 5)
    src_dsn, dst_dsn = pg_server.new_database(), pg_server.new_database()
    for _ in range(5):
        assert (
            go_pg.one(src_dsn, kind="pg_save", values={"t": "map[interface {}]interface {}", "v": []})[
                "error"
            ]
            is None
        )
    src_dir, dst_dir = tmp_path / "src", tmp_path / "dst"
    src_dir.mkdir()
    Place("file", "", lambda keys: FilesystemStore(str(src_dir), *keys)).fill(5)
    mc_src, mc_dst, gorm_src, gorm_dst = (
        places("memcache"),
        places("memcache"),
        places("gorm"),
        places("gorm"),
    )
    mc_ids, gorm_ids = mc_src.fill(5), gorm_src.fill(5)
    cases = [
        (f"{redis_server.url}?prefix={prefix}", f"{redis_server.url}?prefix=back{prefix}"),
        (src_dsn, dst_dsn),
        (f"file://{src_dir}", f"file://{dst_dir}"),
        (mc_src.url, mc_dst.url),
        (gorm_src.url, gorm_dst.url),
    ]
    for i, (src, dst) in enumerate(cases):
        out = tmp_path / f"e{i}.jsonl"
        exp = cli("export", src, *KEY_ARGS, "-o", str(out), "--json")
        assert exp.code == 0 and exp.json()["exported"] == 5, exp.out + exp.err
        lines = [json.loads(ln) for ln in out.read_text().splitlines()]
        assert all("value" in ln and "error" not in ln for ln in lines)
        imp = cli("import", str(out), dst, *KEY_ARGS, "--json")
        assert imp.code == 0 and imp.json()["imported"] == 5, imp.out + imp.err
    c = redis_server.client()
    for k in keys_under(c, prefix):
        assert c.get(b"back" + k) == c.get(k)
    c.close()
    src_rows, dst_rows = pg_rows(src_dsn), pg_rows(dst_dsn)
    assert {k: v[0] for k, v in src_rows.items()} == {k: v[0] for k, v in dst_rows.items()}
    for sid, (_, expires_on) in src_rows.items():  # expiry kept to the millisecond
        assert abs((dst_rows[sid][1] - expires_on).total_seconds()) < 0.001
    assert {p.name: p.read_bytes() for p in src_dir.iterdir()} == {
        p.name: p.read_bytes() for p in dst_dir.iterdir()
    }
    for src, dst, ids in ((mc_src, mc_dst, mc_ids), (gorm_src, gorm_dst, gorm_ids)):
        stored = [{ln["id"]: ln["raw"] for ln in cli("export", p.url, *KEY_ARGS).jsonl()} for p in (src, dst)]
        assert stored[0] == stored[1] and set(stored[0]) == set(ids)


def test_rekey_in_place_and_across_stores(
    cli: Runner, places: Callable[[str], Place], tmp_path: Path
) -> None:
    pg = places("pg")
    ids = pg.fill(20)
    before = pg_rows(pg.url)
    res = cli(
        "copy", pg.url, pg.url, *KEY_ARGS, *NEW_KEY_ARGS, "--checkpoint", str(tmp_path / "a.ckpt"), "--json"
    )
    assert res.code == 0 and res.json()["converted"] == 20, res.out + res.err
    after = pg_rows(pg.url)
    assert len(after) == 20 and all(after[i][0] != before[i][0] for i in ids)
    assert all(after[i][1] == before[i][1] for i in ids)  # expiry untouched
    want = [{"user": f"u{i}", "n": i} for i in range(20)]
    assert pg.values(ids, NEW_KEYS) == want and pg.values(ids) == [None] * 20  # old keys no longer verify
    # A run that lost its checkpoint meets rows already re-keyed: counted, not failed.
    again = cli("copy", pg.url, pg.url, *KEY_ARGS, *NEW_KEY_ARGS, "--checkpoint", str(tmp_path / "b.ckpt"),
                "--no-preflight", "--json")  # fmt: skip
    assert again.code == 0 and again.json()["already_converted"] == 20 and again.json()["converted"] == 0
    files = places("file")
    res = cli("copy", pg.url, files.url, "--hash-key", f"hex:{NEW_KEYS_HEX[0]}", "--block-key",
              f"hex:{NEW_KEYS_HEX[1]}", "--to-hash-key", "hex:" + "99" * 32, "--checkpoint",
              str(tmp_path / "c.ckpt"), "--json")  # fmt: skip
    assert res.code == 0 and files.values(ids, [bytes.fromhex("99" * 32)]) == want


def test_dry_run_writes_nothing_and_reports_errors(
    cli: Runner, places: Callable[[str], Place], redis_server: Any, tmp_path: Path
) -> None:
    src, dst = places("redis"), places("pg")
    src.fill(10)
    prefix = src.url.split("prefix=")[1]
    c = redis_server.client()
    c.set(prefix + "BROKEN", b"\x00not gob", ex=600)
    ckpt = tmp_path / "c.ckpt"
    base = ["copy", src.url, dst.url, *KEY_ARGS, "--checkpoint", str(ckpt), "--json"]
    dry = cli(*base, "--dry-run")
    assert dry.code == 1 and dry.json()["converted"] == 10 and "BROKEN" in dry.json()["errors"][0]
    assert pg_rows(dst.url) == {} and not ckpt.exists()
    pre = cli(*base)  # the preflight stops before anything is written
    assert pre.code == 1 and pg_rows(dst.url) == {}
    skip = cli(*base, "--on-error", "skip")
    assert skip.code == 1 and skip.json()["skipped_errors"] == 1 and len(pg_rows(dst.url)) == 10
    c.close()


def test_copy_killed_and_resumed_copies_each_record_once(
    cli: Runner, redis_server: Any, pg_server: Any, tmp_path: Path
) -> None:
    """SIGKILL a Redis -> PostgreSQL copy mid-run, resume it: every session once, none lost,
    and with --delete-source no source left."""
    prefix = f"kill{next(_n)}_"
    store = RedisStore(redis_server.url, *KEYS, key_prefix=prefix)
    pipe = store.client.pipeline(transaction=False)
    payload = bytes.fromhex("0d7f040102ff800001100110000018ff80000106737472696e670c0300016e03696e7404020054")
    for i in range(3000):
        pipe.set(f"{prefix}{i:05d}", payload, ex=3600)
    pipe.execute()
    store.close()
    dsn = pg_server.new_database()
    ckpt = tmp_path / "c.ckpt"
    args = ["copy", f"{redis_server.url}?prefix={prefix}", dsn, *KEY_ARGS, "--batch", "25",
            "--delete-source", "--checkpoint", str(ckpt)]  # fmt: skip
    state = killed_midway(args, ckpt, lambda st: st["stats"]["converted"] >= 500)
    assert not state["complete"] and 0 < state["stats"]["converted"] < 3000
    res = cli(*args, "--resume", "--json")
    assert res.code == 0 and res.json()["errors"] == [], res.out + res.err
    with psycopg.connect(dsn, autocommit=True) as c:
        assert c.execute("SELECT count(*), count(DISTINCT key) FROM http_sessions").fetchone() == (3000, 3000)
    c2 = redis_server.client()
    assert keys_under(c2, prefix) == []
    c2.close()
    done = cli(*args, "--resume")  # a finished run resumed: nothing more to do
    assert done.code == 0 and "copy already complete" in done.err


def test_export_of_files_written_by_go_then_import_into_postgresql_keeps_gos_bytes(
    cli: Runner, pg_server: Any, tmp_path: Path
) -> None:
    case = next(c for c in SAVES if len(c["keys"]) == 2 and c["keys"][1])
    src = tmp_path / "gofiles"
    src.mkdir()
    for name, f in case["files"].items():
        (src / name).write_text(f["contents"])
    keys = ["--hash-key", f"hex:{case['keys'][0]}", "--block-key", f"hex:{case['keys'][1]}"]
    out = tmp_path / "e.jsonl"
    exp = cli("export", f"file://{src}", *keys, "--name", case["name"], "--max-age", "0", "-o", str(out))
    assert exp.code == 0, exp.err
    (line,) = [json.loads(ln) for ln in out.read_text().splitlines()]
    assert base64.b64decode(line["raw"]).decode() == next(iter(case["files"].values()))["contents"]
    dsn = pg_server.new_database()
    imp = cli("import", str(out), dsn, *keys, "--name", case["name"], "--max-age", "0", "--json")
    assert imp.code == 0 and imp.json()["imported"] == 1, imp.out + imp.err
    ((data, _),) = pg_rows(dsn).values()
    assert data.decode() == next(iter(case["files"].values()))["contents"]  # Go's file, as the row


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["copy", "mongodb://x/y", "file:///tmp/x"], 2, "unknown store URL scheme"),
        (["export", "file:relative/dir", *KEY_ARGS], 2, "use file:///absolute/path"),
        (["export", "file:///tmp/x?colour=red", *KEY_ARGS], 2, "unknown option(s) colour"),
        (["export", "redis://127.0.0.1:1/0?serializer=xml"], 2, "serializer must be one of gob, json"),
        (["export", "file:///tmp/x"], 2, "no hash key"),
        (["export", "file:///nonexistent/dir", *KEY_ARGS], 1, "open /nonexistent/dir: no such file"),
        (["export", "redis://127.0.0.1:1/0"], 1, "redistore: PING"),
        (["export", "redis+cluster://127.0.0.1:1"], 1, "redistore: PING"),
        (["export", "redis://127.0.0.1:port/0"], 2, "Port could not be cast"),
        (
            ["export", "postgresql://nobody@127.0.0.1:1/db?connect_timeout=2", *KEY_ARGS],
            1,
            "pgstore: connect",
        ),
        (["export", "memcache://127.0.0.1:1", *KEY_ARGS], 1, "memcache: connect 127.0.0.1:1"),
        (["export", "memcache://127.0.0.1:1?store_method=xml"], 2, "store_method must be one of"),
        (["export", "gorm+mysql://root@127.0.0.1:1/db", *KEY_ARGS], 1, "gormstore"),
        (["export", "gorm+sqlite:///nonexistent/dir/x.db", *KEY_ARGS], 1, "gormstore"),
    ],
)
def test_bad_urls_and_unreachable_servers_are_one_typed_line(
    cli: Runner, args: list[str], code: int, text: str
) -> None:
    res = cli(*args)
    assert res.code == code and res.err.count("\n") == 1 and text in res.err, res.err


def test_password_never_printed(cli: Runner) -> None:
    res = cli("export", "postgresql://bob:s3cret@127.0.0.1:1/db?connect_timeout=2", *KEY_ARGS)
    assert res.code == 1 and "s3cret" not in res.err and "bob:***@" in res.err


def test_same_store_and_overlapping_prefixes_are_refused(cli: Runner, redis_server: Any) -> None:
    same = cli("copy", f"{redis_server.url}?prefix=a_", f"{redis_server.url}?prefix=a_")
    assert same.code == 2 and "nothing to copy" in same.err
    outer = cli("copy", f"{redis_server.url}?prefix=a_b_", f"{redis_server.url}?prefix=a_")
    assert outer.code == 2 and "read its own output" in outer.err


def test_nested_target_prefix_skips_its_own_output(
    cli: Runner, places: Callable[[str], Place], redis_server: Any, tmp_path: Path
) -> None:
    src = places("redis")
    ids = src.fill(30)
    prefix = src.url.split("prefix=")[1]
    dst = f"{redis_server.url}?prefix={prefix}json_&serializer=json"
    res = cli("copy", src.url, dst, "--checkpoint", str(tmp_path / "c.ckpt"), "--json")
    assert res.code == 0 and res.json()["converted"] == 30, res.out + res.err
    c = redis_server.client()
    assert len(keys_under(c, f"{prefix}json_")) == 30 and len(keys_under(c, prefix)) == 60
    assert json.loads(c.get(f"{prefix}json_{ids[0]}")) == {"user": "u0", "n": 0}
    c.close()


def test_go_memcache_and_redis_sessions_cross_over_and_go_reads_them(
    cli: Runner, go_stores: Any, go_mc: Any, redis_server: Any, mc_server: Any, tmp_path: Path
) -> None:
    """Go's gorilla-sessions-memcache (securecookie) -> Redis, read by Go's redistore; Go's
    redistore -> memcached with the gob store method, read by Go's gorilla-sessions-memcache."""
    addr, mc_prefix, redis_prefix = mc_server.address, f"gomc{next(_n)}:", f"gomc{next(_n)}_"
    view = {
        "t": "map[interface {}]interface {}",
        "v": [[{"t": "string", "v": "user"}, {"t": "string", "v": "m"}]],
    }
    sessions = []
    for _ in range(4):
        ans = go_mc.one(addr, kind="mc_save", key_prefix=mc_prefix, values=view)
        assert ans["error"] is None, ans
        sessions.append({"id": ans["saved_id"], "cookie": cookie_of(ans["set_cookie"][0]), "view": view})
    res = cli("copy", f"memcache://{addr}?prefix={mc_prefix}", f"{redis_server.url}?prefix={redis_prefix}",
              *KEY_ARGS, "--checkpoint", str(tmp_path / "a.ckpt"), "--json")  # fmt: skip
    assert res.code == 0 and res.json()["converted"] == 4, res.out + res.err
    go_read(go_stores, redis_server, redis_prefix, sessions, "gob")
    back = f"gomcgob{next(_n)}:"
    res = cli("copy", f"{redis_server.url}?prefix={redis_prefix}", f"memcache://{addr}?prefix={back}&store_method=gob",
              "--checkpoint", str(tmp_path / "b.ckpt"), "--json")  # fmt: skip
    assert res.code == 0 and res.json()["converted"] == 4, res.out + res.err
    raw = mc_server.raw()
    c = redis_server.client()
    for s in sessions:
        assert raw.get(back + s["id"]) == c.get(redis_prefix + s["id"])  # Go's gob, unchanged
        got = go_mc.one(addr, kind="mc_load", key_prefix=back, store_method="gob", cookie=s["cookie"])
        assert got["load_error"] is None and got["is_new"] is False, got
    raw.close()
    c.close()


def test_go_gormstore_on_every_dialect_to_redis_and_back(
    cli: Runner, go_gorm: Any, go_stores: Any, target: Any, redis_server: Any, tmp_path: Path
) -> None:
    """Go's wader/gormstore wrote them (PostgreSQL, SQLite, MariaDB) -> Redis, read by Go's
    redistore; Go's redistore sessions -> the GORM table, read by Go's gormstore."""
    url = "gorm+" + target.url
    view = {
        "t": "map[interface {}]interface {}",
        "v": [[{"t": "string", "v": "user"}, {"t": "string", "v": "g"}]],
    }
    sessions = []
    for _ in range(3):
        ans = go_gorm.one(target, kind="gorm_save", values=view)
        assert ans["error"] is None, ans
        sessions.append({"id": ans["saved_id"], "cookie": cookie_of(ans["set_cookie"][0]), "view": view})
    prefix = f"gorm{next(_n)}_"
    res = cli("copy", url, f"{redis_server.url}?prefix={prefix}", *KEY_ARGS,
              "--checkpoint", str(tmp_path / "a.ckpt"), "--json")  # fmt: skip
    assert res.code == 0 and res.json()["converted"] == 3, res.out + res.err
    go_read(go_stores, redis_server, prefix, sessions, "gob")
    back_prefix = f"gormback{next(_n)}_"
    back = go_write(go_stores, redis_server, back_prefix, 3)
    res = cli("copy", f"{redis_server.url}?prefix={back_prefix}", url, *KEY_ARGS,
              "--checkpoint", str(tmp_path / "b.ckpt"), "--json")  # fmt: skip
    assert res.code == 0, res.out + res.err
    for s in back:
        got = go_gorm.one(target, kind="gorm_load", cookie=s["cookie"])
        assert got["load_error"] is None and got["is_new"] is False and got["session_id"] == s["id"], got


def test_import_of_a_files_export_into_redis_keeps_the_readers_expiry(
    cli: Runner, places: Callable[[str], Place], redis_server: Any, tmp_path: Path
) -> None:
    """Files keep no expiry; their export carries the one Go's readers apply (timestamp + MaxAge),
    and Redis gets it as the TTL. --no-overwrite leaves sessions that are there already."""
    files, redis_place = places("file"), places("redis")
    ids = files.fill(6)
    out = tmp_path / "f.jsonl"
    assert cli("export", files.url, *KEY_ARGS, "-o", str(out)).code == 0
    assert all(29 * DAY < json.loads(ln)["ttl"] <= 30 * DAY for ln in out.read_text().splitlines())
    prefix = redis_place.url.split("prefix=")[1]
    c = redis_server.client()
    c.set(prefix + ids[0], b"already here")
    imp = cli("import", str(out), redis_place.url, "--no-overwrite", "--json")
    assert imp.code == 0 and imp.json()["imported"] == 5 and imp.json()["skipped_existing"] == 1
    assert c.get(prefix + ids[0]) == b"already here"
    assert all(29 * DAY < c.ttl(prefix + i) <= 30 * DAY for i in ids[1:])
    assert redis_place.values(ids[1:]) == [{"user": f"u{i}", "n": i} for i in range(1, 6)]
    c.close()
