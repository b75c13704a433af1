"""Issue 13 through every CLI path: session maps whose keys Go keeps apart (1, true, 1.0, int64(1))
go through cookie, gob, fs and redis commands unchanged, and the real Go stores read them back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gorillacompat import gob, jsonview
from gorillacompat.sessions import FilesystemStore, parse_cookie_header
from gorillacompat.values import GoMap, Int64, Uint8
from tests._fixtures import canonical_typed

from .conftest import Runner, key_args

IFACE_MAP = "map[interface {}]interface {}"
KEYS = ["11" * 32, "22" * 32]
#: Go's typed view of a session map with five keys Python's == would merge into two.
VIEW = {
    "t": IFACE_MAP,
    "v": [
        [{"t": "string", "v": "user"}, {"t": "string", "v": "ann"}],
        [{"t": "int", "v": 1}, {"t": "string", "v": "int"}],
        [{"t": "bool", "v": True}, {"t": "string", "v": "bool"}],
        [{"t": "float64", "v": 1.0}, {"t": "string", "v": "float64"}],
        [{"t": "int64", "v": 1}, {"t": "string", "v": "int64"}],
    ],
}


def values() -> GoMap:
    v = jsonview.from_typed(VIEW)
    assert isinstance(v, GoMap) and len(v) == 5
    return v


def test_issue_13_cookie_encode_decode_and_rekey(cli: Runner) -> None:
    enc = cli("cookie", "encode", json.dumps(VIEW), "--name", "s", *key_args(KEYS), "--now", "1700000000")
    assert enc.code == 0, enc.err
    cookie = enc.out.strip()
    dec = cli("cookie", "decode", cookie, "--name", "s", *key_args(KEYS), "--now", "1700000000", "--typed")
    assert dec.code == 0, dec.err
    assert json.loads(dec.out) == VIEW  # wire order, every entry
    plain = cli("cookie", "decode", cookie, "--name", "s", *key_args(KEYS), "--now", "1700000000")
    assert len(json.loads(plain.out)["$map"]) == 5
    new = ["33" * 32, None]
    rek = cli("cookie", "rekey", cookie, "--name", "s", *key_args(KEYS), *key_args(new, "new-"),
              "--now", "1700000000")  # fmt: skip
    assert rek.code == 0, rek.err
    again = cli("cookie", "decode", rek.out.strip(), "--name", "s", *key_args(new), "--now", "1700000000",
                "--typed")  # fmt: skip
    assert json.loads(again.out) == VIEW


def test_issue_13_gob_decode_encode(cli: Runner) -> None:
    data = gob.dumps(values())
    dec = cli("gob", "decode", data.hex(), "--typed")
    assert dec.code == 0 and json.loads(dec.out) == VIEW
    enc = cli("gob", "encode", dec.out.strip())
    assert enc.code == 0 and bytes.fromhex(enc.out.strip()) == data


def test_issue_13_fs_export_import(cli: Runner, tmp_path: Path) -> None:
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    store = FilesystemStore(src, bytes.fromhex(KEYS[0]), bytes.fromhex(KEYS[1]))
    s = store.new({}, "app")
    s.values.update(values())
    header = store.save(s)
    out = tmp_path / "export.jsonl"
    exp = cli("fs", "export", str(src), "--name", "app", *key_args(KEYS), "-o", str(out), "--json")
    assert exp.code == 0, exp.err
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["value"] == VIEW
    imp = cli("fs", "import", str(out), str(dst), "--name", "app", *key_args(KEYS), "--json")
    assert imp.code == 0 and imp.json()["written"] == 1
    dst_store = FilesystemStore(dst, bytes.fromhex(KEYS[0]), bytes.fromhex(KEYS[1]))
    back = dst_store.get(parse_cookie_header(header.split(";", 1)[0]), "app")
    assert back.error is None and list(back.values.items()) == list(values().items())
    assert [type(k) for k in back.values] == [str, int, bool, float, Int64]


@pytest.mark.live
def test_issue_13_redis_export_import_convert_and_go_reads(
    cli: Runner, go_stores: Any, redis_server: Any, tmp_path: Path
) -> None:
    """Go saves the map through boj/redistore; export, import and convert keep five entries; Go
    loads each copy through its cookie and sees its own value."""
    view = dict(VIEW)
    view["v"] = [*VIEW["v"], [{"t": "uint8", "v": 1}, {"t": "string", "v": "uint8"}]]
    [saved] = go_stores.run(
        {"kind": "redis_save", "addrs": [redis_server.addr], "key_prefix": "mk_", "values": view}
    )
    assert saved["error"] is None, saved
    cookie = saved["set_cookie"][0].split(";", 1)[0].split("=", 1)[1]
    out = tmp_path / "export.jsonl"
    exp = cli("redis", "export", "--url", redis_server.url, "--prefix", "mk_", "-o", str(out), "--json")
    assert exp.code == 0 and exp.json()["exported"] == 1, exp.err
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert canonical_typed(row["value"]) == canonical_typed(view)
    assert gob.loads(gob.dumps(jsonview.from_typed(row["value"])))[Uint8(1)] == "uint8"
    imp = cli("redis", "import", str(out), "--url", redis_server.url, "--prefix", "mk2_", "--json")
    assert imp.code == 0, imp.err
    conv = cli("redis", "convert", "--url", redis_server.url, "--prefix", "mk_", "--to-prefix", "mk3_",
               "--checkpoint", str(tmp_path / "c.ckpt"), "--no-progress", "--json")  # fmt: skip
    assert conv.code == 0, conv.err
    reqs = [{"kind": "redis_load", "addrs": [redis_server.addr], "key_prefix": p, "cookie": cookie,
             "serializer": "gob"} for p in ("mk_", "mk2_", "mk3_")]  # fmt: skip
    for answer in go_stores.run(*reqs):
        assert not answer["is_new"] and not answer["load_error"], answer
        assert canonical_typed(answer["values"]) == canonical_typed(view)
