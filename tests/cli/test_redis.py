"""``gorillacompat redis …`` against sessions the real Go boj/redistore wrote into a loopback
redis-server, read back by the real Go store (go-harness ``redis_save``/``redis_load``)."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import redis

from gorillacompat.redistore import RedisStore
from tests._fixtures import canonical_typed
from tests.conftest import ROOT

from .conftest import KEYS, Runner

pytestmark = pytest.mark.live
IFACE_MAP = "map[interface {}]interface {}"
_n = itertools.count()


def session_values(i: int) -> dict[str, Any]:
    """The typed view of a varied session map (string, int, bool, float; flashes on some)."""
    pairs = [
        [{"t": "string", "v": "user"}, {"t": "string", "v": f"u{i}"}],
        [{"t": "string", "v": "n"}, {"t": "int", "v": i}],
        [{"t": "string", "v": "ok"}, {"t": "bool", "v": i % 2 == 0}],
        [{"t": "string", "v": "score"}, {"t": "float64", "v": i + 0.5}],
    ]
    if i % 50 == 0:
        pairs.append([{"t": "string", "v": "_flash"},
                      {"t": "[]interface {}", "v": [{"t": "string", "v": f"hello {i}"}]}])  # fmt: skip
    return {"t": IFACE_MAP, "v": pairs}


def as_json_view(view: dict[str, Any]) -> dict[str, Any]:
    """What Go's JSONSerializer gives back for ``view``: numbers become float64."""
    out = []
    for k, v in view["v"]:
        if v["t"] in ("int", "float64"):
            v = {"t": "float64", "v": float(v["v"])}
        out.append([k, v])
    return {"t": IFACE_MAP, "v": out}


def cookie_of(header: str) -> str:
    return header.split(";", 1)[0].split("=", 1)[1]


def go_write(go_stores: Any, server: Any, prefix: str, n: int, **extra: Any) -> list[dict[str, Any]]:
    reqs = [{"kind": "redis_save", "addrs": [server.addr], "key_prefix": prefix, "values": session_values(i),
             **extra} for i in range(n)]  # fmt: skip
    out = []
    for i, ans in enumerate(go_stores.run(*reqs)):
        assert ans["error"] is None, ans
        out.append(
            {"id": ans["saved_id"], "cookie": cookie_of(ans["set_cookie"][0]), "view": session_values(i)}
        )
    return out


def go_read(
    go_stores: Any, server: Any, prefix: str, sessions: list[dict[str, Any]], serializer: str
) -> None:
    reqs = [{"kind": "redis_load", "addrs": [server.addr], "key_prefix": prefix, "cookie": s["cookie"],
             "serializer": serializer} for s in sessions]  # fmt: skip
    answers = go_stores.run(*reqs)
    lost = [s["id"] for s, a in zip(sessions, answers, strict=True) if a["is_new"] or a["load_error"]]
    assert not lost, f"{len(lost)} sessions Go could not load, e.g. {lost[:3]}"
    for s, a in zip(sessions, answers, strict=True):
        want = as_json_view(s["view"]) if serializer == "json" else s["view"]
        assert canonical_typed(a["values"]) == canonical_typed(want), s["id"]


def keys_under(client: redis.Redis, prefix: str) -> list[bytes]:
    return list(client.scan_iter(match=prefix + "*", count=1000))


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_convert_10000_killed_and_resumed_then_go_reads_every_one(
    cli: Runner, go_stores: Any, redis_server: Any, tmp_path: Path
) -> None:
    """gob → JSON under a new prefix, sources deleted after verification; SIGKILL mid-run, resume;
    then the real Go store (JSONSerializer) loads all 10,000 sessions through their cookies."""
    src, dst = f"gsrc{next(_n)}_", f"gjson{next(_n)}_"
    sessions = go_write(go_stores, redis_server, src, 10_000)
    client = redis_server.client()
    ckpt = tmp_path / "convert.ckpt"
    args = ["redis", "convert", "--url", redis_server.url, "--prefix", src, "--to-prefix", dst,
            "--to-serializer", "json", "--batch", "100", "--delete-source",
            "--checkpoint", str(ckpt)]  # fmt: skip
    log = tmp_path / "convert.log"
    with open(log, "wb") as log_f:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gorillacompat", *args, "--no-progress"],
            cwd=ROOT, env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=log_f,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                converted = json.loads(ckpt.read_text())["stats"]["converted"]
            except (OSError, ValueError, KeyError):
                converted = 0
            if converted >= 2000 or proc.poll() is not None:
                break
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(10)
    state = json.loads(ckpt.read_text())
    assert proc.returncode == -signal.SIGKILL, log.read_text()
    assert not state["complete"] and 0 < state["stats"]["converted"] < 10_000
    res = cli(*args, "--resume", "--json")
    assert res.code == 0, res.out + res.err
    report = res.json()
    assert report["ok"] and report["errors"] == []
    assert keys_under(client, src) == []
    dst_keys = keys_under(client, dst)
    assert len(dst_keys) == 10_000
    pipe = client.pipeline(transaction=False)
    for k in dst_keys:
        pipe.pttl(k)
    assert all(86400 * 29 * 1000 < t <= 86400 * 30 * 1000 for t in pipe.execute())  # Go's TTL, kept
    go_read(go_stores, redis_server, dst, sessions, "json")
    client.close()


@pytest.fixture
def py_sessions(redis_server: Any) -> Any:
    """A small set written by RedisStore (byte-identical to Go's, checked in tests/redistore)."""

    def make(prefix: str, n: int) -> list[str]:
        store = RedisStore(redis_server.url, *KEYS, key_prefix=prefix)
        ids = []
        for i in range(n):
            s = store.new({}, "session")
            s.values.update({"user": f"u{i}", "n": i})
            store.save(s)
            ids.append(s.id)
        store.close()
        return ids

    return make


def test_dry_run_preflight_and_on_error(
    cli: Runner, redis_server: Any, py_sessions: Any, tmp_path: Path
) -> None:
    src = f"dry{next(_n)}_"
    py_sessions(src, 30)
    client = redis_server.client()
    client.set(src + "BROKEN", b"\x00not gob", ex=600)
    base = ["redis", "convert", "--url", redis_server.url, "--prefix", src, "--to-prefix", f"out{src}",
            "--to-serializer", "json", "--checkpoint", str(tmp_path / "c.ckpt"), "--json"]  # fmt: skip
    dry = cli(*base, "--dry-run")
    assert dry.code == 1 and dry.json()["converted"] == 30 and len(dry.json()["errors"]) == 1
    assert keys_under(client, f"out{src}") == []
    pre = cli(*base)  # the preflight stops the run before anything is written
    assert pre.code == 1 and "BROKEN" in pre.json()["errors"][0]
    assert keys_under(client, f"out{src}") == [] and not (tmp_path / "c.ckpt").exists()
    skip = cli(*base, "--on-error", "skip")
    assert skip.code == 1 and skip.json()["converted"] == 30 and skip.json()["skipped_errors"] == 1
    assert len(keys_under(client, f"out{src}")) == 30
    rerun = cli(*base, "--on-error", "skip")  # after a finished run, a new run starts over: idempotent
    assert rerun.json()["converted"] == 30 and len(keys_under(client, f"out{src}")) == 30
    client.close()


def test_in_place_conversion_is_idempotent(
    cli: Runner, redis_server: Any, py_sessions: Any, tmp_path: Path
) -> None:
    src = f"inpl{next(_n)}_"
    ids = py_sessions(src, 40)
    base = [
        "redis",
        "convert",
        "--url",
        redis_server.url,
        "--prefix",
        src,
        "--to-serializer",
        "json",
        "--json",
    ]
    first = cli(*base, "--checkpoint", str(tmp_path / "a.ckpt"))
    assert first.code == 0 and first.json()["converted"] == 40
    # A run that lost its checkpoint meets records already converted: counted, not failed.
    again = cli(*base, "--checkpoint", str(tmp_path / "b.ckpt"), "--no-preflight")
    assert again.code == 0 and again.json()["already_converted"] == 40 and again.json()["converted"] == 0
    store = RedisStore(redis_server.url, *KEYS, key_prefix=src, serializer=__import__(
        "gorillacompat.redistore", fromlist=["JSONSerializer"]).JSONSerializer())  # fmt: skip
    cookie = store.rules.cookie_value(type("S", (), {"name": "session", "id": ids[0]})())  # type: ignore[arg-type]
    s = store.new({"session": cookie}, "session")
    assert not s.is_new and s.values == {"user": "u0", "n": 0.0}
    store.close()


def test_export_import_stats_with_go_data(
    cli: Runner, go_stores: Any, redis_server: Any, tmp_path: Path
) -> None:
    src, dst = f"exp{next(_n)}_", f"imp{next(_n)}_"
    sessions = []
    for max_age in (300, 5 * 3600, 0):  # TTL 5m, 5h, and MaxAge 0 → DefaultMaxAge 20m
        sessions += go_write(go_stores, redis_server, src, 10, max_age=max_age)
    out = tmp_path / "export.jsonl"
    res = cli(
        "redis",
        "export",
        "--url",
        redis_server.url,
        "--prefix",
        src,
        "-o",
        str(out),
        "--batch",
        "7",
        "--json",
    )
    assert res.code == 0 and res.json()["exported"] == 30
    rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(rows) == {s["id"] for s in sessions}
    for s in sessions:
        assert canonical_typed(rows[s["id"]]["value"]) == canonical_typed(s["view"])
    assert sorted({(r["ttl"] + 59) // 60 for r in rows.values()}) == [5, 20, 300]
    again = cli("redis", "export", "--url", redis_server.url, "--prefix", src, "-o", str(out), "--resume")
    assert again.code == 0 and "already complete" in again.err
    fresh = cli("redis", "export", "--url", redis_server.url, "--prefix", src, "-o", str(out), "--json")
    assert fresh.code == 0 and len(out.read_text().splitlines()) == 30  # a new run, not appended
    # Import under a new prefix, raw bytes kept; the real Go store reads every one.
    imp = cli("redis", "import", str(out), "--url", redis_server.url, "--prefix", dst, "--json")
    assert imp.code == 0 and imp.json()["imported"] == 30
    c = redis_server.client()
    for s in sessions:
        assert c.get(dst + s["id"]) == c.get(src + s["id"])
        assert abs(c.pttl(dst + s["id"]) - c.pttl(src + s["id"])) < 60_000
    c.close()
    go_read(go_stores, redis_server, dst, sessions, "gob")
    stats = cli("redis", "stats", "--url", redis_server.url, "--prefix", src, "--json").json()
    assert stats["records"] == 30 and stats["formats"] == {"gob": 30}
    assert stats["ttl"]["< 10m"] == 10 and stats["ttl"]["< 1h"] == 10 and stats["ttl"]["< 1d"] == 10
    assert stats["value_types"]["string"] == 30 and stats["value_types"]["int"] == 30
    text = cli("redis", "stats", "--url", redis_server.url, "--prefix", src)
    assert text.code == 0 and "30 records" in text.out and "value types" in text.out


def test_redis_down_is_one_line_exit_1(cli: Runner) -> None:
    res = cli("redis", "stats", "--url", "redis://127.0.0.1:1/0")
    assert res.code == 1 and res.err.count("\n") == 1 and res.err.startswith("gorillacompat: redistore: PING")


def test_convert_to_a_cluster(cli: Runner, redis_server: Any, redis_cluster: Any, py_sessions: Any,
                              tmp_path: Path) -> None:  # fmt: skip
    src = f"tocl{next(_n)}_"
    ids = py_sessions(src, 200)
    node = redis_cluster.nodes[0]
    res = cli(
        "redis",
        "convert",
        "--url",
        redis_server.url,
        "--prefix",
        src,
        "--to-url",
        node.url,
        "--to-cluster",
        "--batch",
        "64",
        "--checkpoint",
        str(tmp_path / "c.ckpt"),
        "--json",
    )
    assert res.code == 0 and res.json()["converted"] == 200, res.out + res.err
    cl = redis_cluster.client()
    src_client = redis_server.client()
    for sid in ids:
        assert cl.get(src + sid) == src_client.get(src + sid)
        assert cl.ttl(src + sid) > 86400 * 29
    stats = cli("redis", "stats", "--url", node.url, "--cluster", "--prefix", src, "--json").json()
    assert stats["records"] == 200
    cl.close()
    src_client.close()


def test_export_killed_and_resumed_has_each_record_once(
    cli: Runner, redis_server: Any, tmp_path: Path
) -> None:
    prefix = f"expk{next(_n)}_"
    data = bytes.fromhex("0d7f040102ff800001100110000018ff80000106737472696e670c0300016e03696e7404020054")
    c = redis_server.client()
    pipe = c.pipeline(transaction=False)
    for i in range(5000):
        pipe.set(f"{prefix}{i:05d}", data, ex=3600)
    pipe.execute()
    out, ckpt, log = tmp_path / "e.jsonl", tmp_path / "e.ckpt", tmp_path / "e.log"
    args = ["redis", "export", "--url", redis_server.url, "--prefix", prefix, "-o", str(out),
            "--checkpoint", str(ckpt), "--batch", "20"]  # fmt: skip
    with open(log, "wb") as log_f:
        proc = subprocess.Popen([sys.executable, "-m", "gorillacompat", *args, "--no-progress"], cwd=ROOT,
                                env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=log_f)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if json.loads(ckpt.read_text())["done"] >= 1000:
                    break
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL, log.read_text()
    assert not json.loads(ckpt.read_text())["complete"]
    res = cli(*args, "--resume")
    assert res.code == 0, res.err
    keys = [json.loads(line)["key"] for line in out.read_text().splitlines()]
    assert len(keys) == 5000 and len(set(keys)) == 5000
    c.close()
