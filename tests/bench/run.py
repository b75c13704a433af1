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

from gorillacompat import jsonview  # noqa: E402
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


def bench_securecookie(name: str, value: object, serializer: Any) -> tuple[float, float]:
    codec = SecureCookie(HASH_KEY, BLOCK_KEY, serializer=serializer, max_length=0)
    cookie = codec.encode("session", value)
    return per_op_ns(lambda: codec.encode("session", value)), per_op_ns(lambda: codec.decode("session", cookie))


def bench_itsdangerous(value: object) -> tuple[float, float] | None:
    try:
        from itsdangerous import URLSafeTimedSerializer
    except ImportError:
        return None
    s = URLSafeTimedSerializer(HASH_KEY)
    token = s.dumps(value)
    return per_op_ns(lambda: s.dumps(value)), per_op_ns(lambda: s.loads(token))


def main() -> int:
    go = json.loads(
        subprocess.run(
            [str(ROOT / "go-harness/bin/go-harness"), "bench", "-json"], check=True, capture_output=True
        ).stdout
    )
    rows = []
    workloads = {
        "securecookie_json_aes256_sha256": ("bench/session_json.json", JSONEncoder()),
        "securecookie_gob_session_aes256_sha256": ("bench/session_gob.json", GobEncoder()),
    }
    for key, (fixture, serializer) in workloads.items():
        path = ROOT / "fixtures" / fixture
        if key not in go or not path.exists():
            print(f"(skipping {key}: no Go result or fixture yet)")
            continue
        value = jsonview.from_typed(json.loads(path.read_text())["value"])
        enc, dec = bench_securecookie(key, value, serializer)
        rows.append((key, "encode", enc, go[key]["encode_ns"]))
        rows.append((key, "decode", dec, go[key]["decode_ns"]))
        if serializer.__class__ is JSONEncoder:
            its = bench_itsdangerous(json.loads(JSONEncoder().dumps(value)))
            if its is not None:
                rows.append(("itsdangerous URLSafeTimedSerializer", "dumps", its[0], go[key]["encode_ns"]))
                rows.append(("itsdangerous URLSafeTimedSerializer", "loads", its[1], go[key]["decode_ns"]))
    print(f"{'workload':45} {'op':7} {'python ns':>11} {'go ns':>10} {'py/go':>7}")
    for name, op, py_ns, go_ns in rows:
        print(f"{name:45} {op:7} {py_ns:11.0f} {go_ns:10.0f} {py_ns / go_ns:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
