"""``gorillacompat gob …`` and ``keys generate`` against Go-written gob bytes (fixtures/gob)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gorillacompat import gob, jsonview
from gorillacompat.cli._gobdump import dump
from gorillacompat.errors import GorillaError
from tests._fixtures import canonical_typed, cases

from .conftest import Runner


def _single(case: dict[str, Any]) -> bool:
    return bool(case.get("gob")) and case.get("op") is None and isinstance(case.get("go_type"), str)


ENCODED = cases("gob/*.json", _single)
FLASH = next(p.values[0] for p in cases("gob/sessions.json", lambda c: c["id"] == "flash"))


def test_every_go_stream_dumps_with_every_byte_listed_once() -> None:
    for p in ENCODED + cases("gob/multi.json"):
        data = bytes.fromhex(p.values[0]["gob"])
        result = dump(data)
        assert result.error is None, (p.id, result.error)
        listed = [ln for ln in result.lines if ln.data]
        assert b"".join(ln.data for ln in listed) == data, p.id
        assert [ln.offset for ln in listed] == sorted(ln.offset for ln in listed)


def test_dump_annotates_the_flash_split(cli: Runner) -> None:
    """gob.md §11.3: the inline definition of []interface {} ends message 2; message 3 goes on."""
    res = cli("gob", "dump", FLASH["gob"])
    assert res.code == 0, res.err
    text = res.out
    for needle in [
        "message 1, 13 bytes", "type definition: id 64", "field 3: MapT", "Key 8 (interface {})",
        "=> type 64 is map[interface {}]interface {}", "message 2, 48 bytes",
        'interface holding "[]interface {}"', "type definition: id 65", "field 1: SliceT",
        "=> type 65 is []interface {}", "message 3, 21 bytes (continues the value)",
        "value length 18 (read and ignored", 'string "hello"', "000055  end: 85 bytes, 1 value",
    ]:  # fmt: skip
        assert needle in text, needle
    js = cli("gob", "dump", FLASH["gob"], "--json").json()
    assert js["ok"] and js["interface_types"] == ["string", "[]interface {}"]


@pytest.mark.parametrize("case", cases("gob/errors.json", lambda c: c.get("op") == "decode" and c.get("gob")))
def test_dump_of_bad_bytes_lists_what_it_can_then_fails(cli: Runner, case: dict[str, Any]) -> None:
    res = cli("gob", "dump", case["gob"] or "")
    assert res.code in (0, 1)
    if res.code == 1:
        assert res.err.count("\n") == 1 and "error:" in res.out


@pytest.mark.parametrize("case", ENCODED)
def test_decode_typed_and_encode_back_to_go_bytes(cli: Runner, case: dict[str, Any]) -> None:
    go_type = [] if case["go_type"] in ("*interface {}",) else ["--go-type", case["go_type"]]
    dec = cli("gob", "decode", case["gob"], "--typed", *go_type)
    assert dec.code == 0, dec.err
    if case["go_type"].startswith("map[") and '"main.' not in json.dumps(case["value"]):
        assert canonical_typed(json.loads(dec.out)) == canonical_typed(case["value"])
    enc = cli("gob", "encode", dec.out.strip(), "--type-ids", case["type_ids"])
    if enc.code != 0 or enc.out.strip() != case["gob"]:
        # The CLI only passes values through gob.loads → jsonview → gob.dumps. Where that library
        # round trip itself differs from Go's bytes (jsonview cannot carry NaN payloads, named
        # non-struct types, pointer-to-GobEncoder types, zone identity, zero fields of unregistered
        # structs), the CLI must give exactly what the library gives.
        data = bytes.fromhex(case["gob"])
        value = gob.loads(data, **({"go_type": case["go_type"]} if go_type else {}))
        try:
            lib: str | None = gob.dumps(
                jsonview.loads(jsonview.dumps(value, typed=True)), type_ids=case["type_ids"]
            ).hex()
        except GorillaError:
            lib = None
        assert lib != case["gob"], "the library round trip gives Go's bytes, the CLI does not"
        assert (enc.code != 0) if lib is None else (enc.out.strip() == lib)
        return
    assert enc.code == 0, enc.err


def test_gob_input_formats(cli: Runner, tmp_path: Any) -> None:
    data = bytes.fromhex(FLASH["gob"])
    (tmp_path / "raw.gob").write_bytes(data)
    b64 = __import__("base64").b64encode(data).decode()
    outs = {cli("gob", "decode", src).out for src in (FLASH["gob"], b64, str(tmp_path / "raw.gob"))}
    assert outs == {'{"$map":[["_flash",["hello"]]]}\n'}


def test_keys_generate_sizes(cli: Runner) -> None:
    res = cli("keys", "generate", "--pairs", "2", "--json").json()
    assert [(len(p["hash_key"]), len(p["block_key"])) for p in res["pairs"]] == [(128, 64), (128, 64)]
    env = cli(
        "keys", "generate", "--format", "env", "--hash-size", "32", "--block-size", "16"
    ).out.splitlines()
    assert env[0].startswith("GORILLA_HASH_KEY='") and len(env[0]) == len("GORILLA_HASH_KEY=''") + 64
    assert env[1].startswith("GORILLA_BLOCK_KEY='") and len(env[1]) == len("GORILLA_BLOCK_KEY=''") + 32
    assert len(cli("keys", "generate", "--block-size", "0").out.split()) == 1


def test_usage_errors_exit_2_and_help_reads(cli: Runner) -> None:
    assert cli("--help").code == 0
    for group in ("cookie", "gob", "keys", "redis", "fs"):
        res = cli(group, "--help")
        assert res.code == 0 and "Usage: gorillacompat" in res.out
    assert cli("cookie", "decode", "x", "--name", "s").code == 2  # no key
    res = cli("cookie", "decode", "x", "--name", "s", "--hash-key", "not a key!")
    assert res.code == 2 and "neither hex nor base64" in res.err
    res = cli("cookie", "decode", "x", "--name", "s", "--hash-key", "aa", "--block-key", "bb")
    assert res.code == 2 and "invalid key size 1" in res.err  # KeySizeError is a usage error
    assert cli("nope").code == 2


def test_missing_extra_is_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    import gorillacompat.cli as cli_pkg

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert cli_pkg.main(["--help"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'gorillacompat[cli]'" in err and "click, tqdm" in err
