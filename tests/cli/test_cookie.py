"""``gorillacompat cookie …`` against cookies the real Go securecookie wrote (fixtures/) and read
back by the real Go code (go-harness ``cookie`` kind)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests._fixtures import canonical_typed, cases, load_topic

from .conftest import Runner, codec_args, key_args


def _usable_keys(case: dict[str, Any]) -> bool:
    keys = case["keys"]
    if not keys or any(not keys[i] for i in range(0, len(keys), 2)):
        return False
    blocks = [keys[i] for i in range(1, len(keys), 2) if keys[i] is not None]
    return all(len(b) // 2 in (16, 24, 32) for b in blocks)


def _encoded(case: dict[str, Any]) -> bool:
    return (
        case["op"] in ("encode", "encode_multi")
        and case["error"] is None
        and case["cookie"] is not None
        and case.get("decode_error") is None
        and _usable_keys(case)
    )


ENCODED = cases("securecookie/*.json", _encoded) + cases("gob/cookies.json", _encoded)
_DEFAULT_DEST = {"gob": "map[interface {}]interface {}", "json": "interface {}", "nop": "[]uint8"}
DECODES = cases(
    "securecookie/*.json",
    lambda c: c["op"] == "decode" and _usable_keys(c) and c.get("dest") == _DEFAULT_DEST[c["serializer"]],
)


@pytest.mark.parametrize("case", ENCODED)
def test_decode_then_encode_reproduces_go_cookie(cli: Runner, case: dict[str, Any]) -> None:
    args = [*codec_args(case), *key_args(case["keys"])]
    dec = cli("cookie", "decode", case["cookie"], *args, "--typed")
    assert dec.code == 0, dec.err
    expected = case.get("decoded", case["value"])
    if '"main.' not in json.dumps(expected):  # field types of unregistered structs are the wire's
        assert canonical_typed(json.loads(dec.out)) == canonical_typed(expected)
    # The typed view keeps wire order, so encoding it with Go's timestamp and IV gives Go's bytes.
    iv = ["--iv", case["iv"]] if case["iv"] else []
    enc = cli("cookie", "encode", dec.out.strip(), *args, *iv, "--type-ids", case.get("type_ids", "go1.21"))
    assert enc.code == 0, enc.err
    if case["serializer"] != "json":
        assert enc.out.strip() == case["cookie"]
    else:  # Go's JSON decode is lossy (U+FFFD for bad UTF-8, numbers as float64): compare values
        again = cli("cookie", "decode", enc.out.strip(), *args, "--typed")
        assert json.loads(again.out) == json.loads(dec.out)


@pytest.mark.parametrize("case", DECODES)
def test_explain_verdict_is_gos_decode_error(cli: Runner, case: dict[str, Any]) -> None:
    """explain's verdict is Go's error text for the failing codec (or valid when Go decoded)."""
    res = cli("cookie", "explain", case["cookie"], *codec_args(case), *key_args(case["keys"]), "--json")
    report = res.json()
    err = case["error"]
    if err is None:
        assert res.code == 0 and report["valid"], report
        return
    assert res.code == 1
    texts = [e["text"] for e in err["errors"]] if err["multi"] else [err["text"]]
    assert report["error"] in texts
    assert any(not c["ok"] for c in report["checks"])


def _case(topic: str, pred: Any) -> dict[str, Any]:
    return next(c for c in load_topic(topic)["cases"] if pred(c))


ENC_AES = _case("securecookie/keys.json", lambda c: _encoded(c) and c["iv"] and c["serializer"] == "gob")
PLAIN = _case("securecookie/values.json", lambda c: _encoded(c) and c["id"] == "gob-int")


def _explain(cli: Runner, cookie: str, *args: str) -> dict[str, Any]:
    res = cli("cookie", "explain", cookie, *args, "--json")
    out: dict[str, Any] = res.json()
    out["code"] = res.code
    out["by_step"] = {c["step"]: c for c in out["checks"]}
    return out


def test_explain_expired_says_by_how_much(cli: Runner) -> None:
    c = ENC_AES
    args = [*key_args(c["keys"]), "--name", c["name"], "--now", str(c["timestamp"] + 86400 * 30 + 3 * 3600)]
    rep = _explain(cli, c["cookie"], *args)
    assert rep["code"] == 1 and rep["error"] == "securecookie: expired timestamp"
    ts = rep["by_step"]["timestamp"]
    assert not ts["ok"] and "expired 3h ago" in ts["detail"] and "--max-age" in ts["advice"]
    assert rep["by_step"]["deserialize"]["ok"]  # the rest is still examined


def test_explain_too_new(cli: Runner) -> None:
    c = ENC_AES
    rep = _explain(cli, c["cookie"], *key_args(c["keys"]), "--name", c["name"], "--now", str(c["timestamp"]),
                   "--min-age", "60")  # fmt: skip
    assert rep["error"] == "securecookie: timestamp is too new"
    assert "min_age 60s" in rep["by_step"]["timestamp"]["detail"]


def test_explain_names_the_rotated_pair(cli: Runner) -> None:
    c = ENC_AES
    keys = ["11" * 32, None, *c["keys"]]
    rep = _explain(cli, c["cookie"], *key_args(keys), "--name", c["name"], "--now", str(c["now"]))
    assert rep["code"] == 0 and rep["key_pair"] == 1
    assert "key pair #2" in rep["by_step"]["mac"]["detail"] and "rekey" in rep["by_step"]["mac"]["detail"]


def test_explain_wrong_name_wrong_key_wrong_hash(cli: Runner) -> None:
    c = ENC_AES
    now = ["--now", str(c["now"])]
    rep = _explain(cli, c["cookie"], *key_args(c["keys"]), "--name", "other", "--try-name", c["name"], *now)
    assert rep["error"] == "securecookie: the value is not valid"
    assert rep["by_step"]["mac"]["advice"] == f"pass --name {c['name']}"
    rep = _explain(cli, c["cookie"], *key_args(["22" * 32, None]), "--name", c["name"], *now)
    assert "hash key you did not pass" in rep["by_step"]["mac"]["advice"]
    sha512 = _case("securecookie/hashes.json", lambda x: _encoded(x) and x["hash"] == "sha512")
    rep = _explain(cli, sha512["cookie"], *key_args(sha512["keys"]), "--name", sha512["name"],
                   "--now", str(sha512["now"]))  # fmt: skip
    assert rep["by_step"]["mac"]["advice"] == "pass --hash sha512"


def test_explain_bad_base64_at_which_byte(cli: Runner) -> None:
    c = PLAIN
    bad = c["cookie"][:17] + "+" + c["cookie"][18:]
    rep = _explain(cli, bad, *codec_args(c), *key_args(c["keys"]))
    assert (
        rep["error"] == "securecookie: base64 decode failed - caused by: illegal base64 data at input byte 17"
    )
    assert "byte 17 ('+')" in rep["by_step"]["base64"]["detail"]
    assert "URL-safe" in rep["by_step"]["base64"]["advice"]


def test_explain_decryption_problems(cli: Runner) -> None:
    enc, plain = ENC_AES, PLAIN
    rep = _explain(cli, enc["cookie"], "--hash-key", f"hex:{enc['keys'][0]}", "--name", enc["name"],
                   "--now", str(enc["now"]))  # fmt: skip
    assert rep["code"] == 1 and "block-key" in rep["by_step"]["deserialize"]["advice"]
    rep = _explain(cli, plain["cookie"], *codec_args(plain), "--hash-key", f"hex:{plain['keys'][0]}",
                   "--block-key", "hex:" + "33" * 16)  # fmt: skip
    assert rep["code"] == 1
    assert "not encrypted" in (
        rep["by_step"]["deserialize"].get("advice", "") + rep["by_step"]["decrypt"].get("advice", "")
    )


def test_explain_lists_gob_types_go_must_register(cli: Runner) -> None:
    c = next(
        p.values[0]
        for p in cases("gob/cookies.json", _encoded)
        if "main." in json.dumps(p.values[0]["value"])
    )
    rep = _explain(cli, c["cookie"], *codec_args(c), *key_args(c["keys"]))
    assert rep["code"] == 0
    types = rep["by_step"]["gob types"]
    assert "main." in types["detail"] and "name not registered for interface" in types["detail"]


def test_inspect_without_keys(cli: Runner) -> None:
    c = ENC_AES
    info = cli("cookie", "inspect", c["cookie"], "--now", str(c["timestamp"] + 90), "--json").json()
    assert info["timestamp"] == c["timestamp"] and info["age_seconds"] == 90
    assert info["encrypted"] is True and info["iv"] == c["iv"]
    assert info["mac_length"] == 32 and "sha256" in info["mac_hashes"]
    info = cli("cookie", "inspect", PLAIN["cookie"], "--json").json()
    assert info["encrypted"] is False and info["payload_hex"] == PLAIN["serialized"]
    assert info["payload_format"] == "gob" and info["value"] == {"$map": [["n", 42]]}
    with_keys = cli(
        "cookie", "inspect", c["cookie"], "--name", c["name"], *key_args(c["keys"]), "--json"
    ).json()
    assert with_keys["key_pair"] == 0 and with_keys["plaintext_hex"] == c["serialized"]


def test_rekey_then_go_decodes_with_new_keys(cli: Runner, harness: Any) -> None:
    new_keys = ["44" * 32, "55" * 32]
    rows = [c for c in ENCODED if c.values[0]["serializer"] == "gob" and c.values[0]["name"]][:20]
    reqs, expected = [], []
    for i, p in enumerate(rows):
        c = p.values[0]
        res = cli("cookie", "rekey", c["cookie"], *codec_args(c), *key_args(c["keys"]),
                  *key_args(new_keys, "new-"), "--json")  # fmt: skip
        assert res.code == 0, res.out + res.err
        out = res.json()
        assert out["timestamp"] == c["timestamp"]  # the original time is kept
        reqs.append({"id": i, "kind": "cookie", "keys": new_keys, "name": c["name"], "cookie": out["cookie"],
                     "now": c["now"], "serializer": "gob", "hash": c["hash"], "options": c["options"],
                     "dest": c["dest"]})  # fmt: skip
        expected.append(c.get("decoded", c["value"]))
    for ans, exp in zip(harness.decode(reqs), expected, strict=True):
        assert ans["error"] is None, ans
        assert canonical_typed(ans["value"]) == canonical_typed(exp)


def test_rekey_many_from_stdin_reports_failures(cli: Runner) -> None:
    c = ENC_AES
    lines = f"{c['cookie']}\n\n{c['name']}=garbage\n{c['cookie']}\n"
    res = cli("cookie", "rekey", "-", *key_args(c["keys"]), "--new-hash-key", "66" * 32, "--name", c["name"],
              "--now", str(c["now"]), stdin=lines)  # fmt: skip
    assert res.code == 1
    assert len(res.out.split()) == 2 and res.err.count("gorillacompat:") == 1
    back = cli("cookie", "decode", "-", "--hash-key", "66" * 32, "--name", c["name"], "--now", str(c["now"]),
               stdin=res.out)  # fmt: skip
    assert back.code == 0 and len(back.out.splitlines()) == 2


def test_decode_failure_is_one_stderr_line(cli: Runner) -> None:
    c = PLAIN
    res = cli("cookie", "decode", c["cookie"], "--name", "wrong", "--hash-key", c["keys"][0])
    assert res.code == 1 and res.out == ""
    assert res.err.count("\n") == 1 and res.err.startswith(
        "gorillacompat: securecookie: the value is not valid"
    )
    js = cli("cookie", "decode", c["cookie"], "--name", "wrong", "--hash-key", c["keys"][0], "--json")
    assert js.code == 1 and js.json()["ok"] is False


def test_accepts_name_equals_value_and_env_keys(cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    c = PLAIN
    monkeypatch.setenv(
        "GORILLA_HASH_KEY", "base64:" + __import__("base64").b64encode(bytes.fromhex(c["keys"][0])).decode()
    )
    res = cli("cookie", "decode", f"{c['name']}={c['cookie']}", "--name", c["name"], "--now", str(c["now"]))
    assert res.code == 0 and json.loads(res.out) == {"$map": [["n", 42]]}
