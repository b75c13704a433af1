"""`make demo`: a session cookie written and read with built-in demo keys, and a Go-written one read.

Needs no services. The demo keys are public; never use them for anything real.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gorillacompat import jsonview  # noqa: E402
from gorillacompat.gob import GoMap, GoSlice, GoTime, Int64  # noqa: E402
from gorillacompat.securecookie import SecureCookie, decode_multi  # noqa: E402
from gorillacompat.securecookie import codecs_from_pairs as pairs  # noqa: E402

DEMO_HASH_KEY = b"demo-hash-key-demo-hash-key-0001"  # 32 bytes
DEMO_BLOCK_KEY = b"demo-block-key-demo-block-key-01"  # 32 bytes: AES-256


def main() -> int:
    # 1. A gorilla/sessions value map, as a Go app's session.Values holds it.
    values = GoMap(
        {
            "user": "ann",
            "visits": Int64(3),
            "last_seen": GoTime(1700000000, 123456789, None),
            "_flash": GoSlice(["welcome back"], elem_type="interface {}"),
        }
    )
    codec = SecureCookie(DEMO_HASH_KEY, DEMO_BLOCK_KEY)  # gob, AES-256-CTR, HMAC-SHA256: Go's defaults
    cookie = codec.encode("session", values)
    print("Python wrote (Go's sessions.CookieStore reads this):")
    print(f"  session={cookie}")
    print(f"  decoded: {jsonview.dumps(codec.decode('session', cookie))}")

    # 2. A cookie the real Go gorilla/securecookie wrote (from fixtures/, made by go-harness).
    fixture = ROOT / "fixtures" / "securecookie" / "hashes.json"
    case = next(c for c in json.loads(fixture.read_text())["cases"] if c["id"] == "spec-example-gob-foo-bar")
    keys = [None if k is None else bytes.fromhex(k) for k in case["keys"]]
    go_codecs = pairs(*keys, max_age=0)  # the fixture is old; 0 = no expiry check, as in Go
    go_value = decode_multi(case["name"], case["cookie"], go_codecs)
    print("Go wrote (gorilla/securecookie v1.1.2):")
    print(f"  {case['name']}={case['cookie']}")
    print(f"  decoded: {jsonview.dumps(go_value)}")
    print(f"  typed:   {jsonview.dumps(go_value, typed=True)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
