"""`make bench`: Python vs the real-Go harness (and itsdangerous), in one run, as ratios.

Not a test: speed targets live here, not in timed tests. The workload values come from
fixtures/bench/ so Go and Python work on identical data.
"""

from __future__ import annotations

import json
import subprocess
import sys
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from gorillacompat import gob, jsonview  # noqa: E402
from gorillacompat.securecookie import SecureCookie  # noqa: E402
from gorillacompat.serializers import GobEncoder, JSONEncoder  # noqa: E402

HASH_KEY = bytes(range(32))
BLOCK_KEY = bytes(range(32, 64))


def per_op_ns(fn: Callable[[], object], seconds: float = 1.0) -> float:
    """Best of 5 runs of a loop sized to take about ``seconds``/5 each."""
    timer = timeit.Timer(fn)
    n, elapsed = timer.autorange()
    runs = max(1, int(n * seconds / 5 / max(elapsed, 1e-9)))
    return min(timer.repeat(repeat=5, number=runs)) / runs * 1e9


def bench_securecookie(value: object, serializer: Any) -> tuple[float, float]:
    codec = SecureCookie(HASH_KEY, BLOCK_KEY, serializer=serializer, max_length=0)
    cookie = codec.encode("session", value)
    return per_op_ns(lambda: codec.encode("session", value)), per_op_ns(
        lambda: codec.decode("session", cookie)
    )


def bench_itsdangerous(value: object) -> tuple[float, float] | None:
    try:
        from itsdangerous import URLSafeTimedSerializer
    except ImportError:
        return None
    s = URLSafeTimedSerializer(HASH_KEY)
    token = s.dumps(value)
    return per_op_ns(lambda: s.dumps(value)), per_op_ns(lambda: s.loads(token))


def _gob_case(case_id: str) -> dict[str, Any]:
    cases = json.loads((ROOT / "fixtures/bench/gob.json").read_text())["cases"]
    found: dict[str, Any] = next(c for c in cases if c["id"] == case_id)
    return found


def main() -> int:
    go = json.loads(
        subprocess.run(
            [str(ROOT / "go-harness/bin/go-harness"), "bench", "-json"], check=True, capture_output=True
        ).stdout
    )
    rows: list[tuple[str, str, float, float]] = []

    def add(key: str, enc: float, dec: float, names: tuple[str, str] = ("encode", "decode")) -> None:
        rows.append((key, names[0], enc, go[key]["encode_ns"]))
        rows.append((key, names[1], dec, go[key]["decode_ns"]))

    # securecookie + JSON, and itsdangerous on the same value for scale.
    key = "securecookie_json_aes256_sha256"
    value = jsonview.from_typed(json.loads((ROOT / "fixtures/bench/session_json.json").read_text())["value"])
    add(key, *bench_securecookie(value, JSONEncoder()))
    its = bench_itsdangerous(json.loads(JSONEncoder().dumps(value)))
    if its is not None:
        rows.append(("itsdangerous (vs Go securecookie+json)", "dumps", its[0], go[key]["encode_ns"]))
        rows.append(("itsdangerous (vs Go securecookie+json)", "loads", its[1], go[key]["decode_ns"]))

    # securecookie + gob: the 6-entry session map, decoded from Go's bytes so map order is Go's.
    session = gob.loads(bytes.fromhex(_gob_case("session")["gob"]))
    key = "gob_session_securecookie_aes256_sha256"
    add(key, *bench_securecookie(session, GobEncoder()))
    # What a store does per request: decode the cookie into a fresh value, encode that value.
    codec = SecureCookie(HASH_KEY, BLOCK_KEY, serializer=GobEncoder(), max_length=0)
    cookie = codec.encode("session", session)
    rows.append(
        (
            key + " (round trip)",
            "dec+enc",
            per_op_ns(lambda: codec.encode("session", codec.decode("session", cookie))),
            go[key]["encode_ns"] + go[key]["decode_ns"],
        )
    )

    # Plain gob: a ~3 KB value and a registered struct.
    for key, case_id in (("gob_large", "large"), ("gob_struct", "struct")):
        data = bytes.fromhex(_gob_case(case_id)["gob"])
        v = gob.loads(data)
        assert gob.dumps(v) == data, f"{case_id}: re-encoding must give Go's bytes"
        add(key, per_op_ns(lambda v=v: gob.dumps(v)), per_op_ns(lambda d=data: gob.loads(d)))

    print(f"{'workload':58} {'op':7} {'python ns':>11} {'go ns':>10} {'py/go':>7}")
    for name, op, py_ns, go_ns in rows:
        print(f"{name:58} {op:7} {py_ns:11.0f} {go_ns:10.0f} {py_ns / go_ns:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
