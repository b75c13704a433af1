"""Live interop with real Go (gorilla/securecookie v1.1.2 in go-harness), both directions.

Python writes cookies, Go decodes them; Go writes cookies, Python decodes and re-encodes them to the
same bytes; and for mutated cookies Go and Python fail with the same text.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gorillacompat import jsonview
from gorillacompat.errors import GorillaError
from gorillacompat.securecookie import decode_multi, encode_multi
from tests._fixtures import canonical_typed
from tests.conftest import Harness
from tests.securecookie._support import codecs_for, typed
from tests.strategies import json_sessions

pytestmark = pytest.mark.live

HASHES = ["sha1", "sha256", "sha512", "md5", "sha384"]
TOKEN = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _random_case(rng: random.Random, serializer: str) -> dict[str, Any]:
    pairs = rng.choice([1, 1, 2, 3])
    keys: list[str | None] = []
    for _ in range(pairs):
        keys.append(rng.randbytes(rng.choice([16, 32, 64, 7])).hex())
        keys.append(rng.choice([None, rng.randbytes(rng.choice([16, 24, 32])).hex()]))
    return {
        "keys": keys,
        "hash": rng.choice(HASHES),
        "serializer": serializer,
        "options": {"max_age": rng.choice([0, 60, 86400 * 30]), "min_age": 0, "max_length": 0},
        "name": "".join(rng.choice(TOKEN) for _ in range(rng.randint(1, 12))),
        "timestamp": 1700000000 + rng.randint(0, 10**6),
    }


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(values=st.lists(json_sessions, min_size=10, max_size=10), seed=st.integers(0, 2**32))
def test_go_decodes_what_python_wrote(harness: Harness, values: list[Any], seed: int) -> None:
    rng = random.Random(seed)
    requests, expected = [], []
    for i, value in enumerate(values):
        case = _random_case(rng, "json")
        case["iv"] = rng.randbytes(16).hex()
        cookie = encode_multi(case["name"], value, codecs_for(case))
        requests.append({**case, "kind": "cookie", "id": str(i), "cookie": cookie, "now": case["timestamp"]})
        expected.append(typed(value))
    for answer, want in zip(harness.decode(requests), expected, strict=True):
        assert answer["error"] is None, answer
        assert canonical_typed(answer["value"]) == want


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(values=st.lists(json_sessions, min_size=10, max_size=10), seed=st.integers(0, 2**32))
def test_python_reads_and_rewrites_what_go_wrote(harness: Harness, values: list[Any], seed: int) -> None:
    rng = random.Random(seed)
    cases = []
    for i, value in enumerate(values):
        case = _random_case(rng, "json")
        case["iv"] = rng.randbytes(16).hex()
        case.update(kind="encode", id=str(i), value=json.loads(jsonview.dumps(value, typed=True)))
        cases.append(case)
    for case, answer in zip(cases, harness.decode(cases), strict=True):
        assert answer["error"] is None, answer
        codecs = codecs_for(case)
        decoded = decode_multi(case["name"], answer["cookie"], codecs)
        assert typed(decoded) == canonical_typed(case["value"])
        assert encode_multi(case["name"], decoded, codecs) == answer["cookie"]


def test_mutated_cookies_fail_with_gos_text(harness: Harness) -> None:
    rng = random.Random(20261123)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/|\r\n "
    requests = []
    for i in range(400):
        case = _random_case(rng, "nop")
        case["iv"] = rng.randbytes(16).hex()
        cookie = encode_multi(case["name"], rng.randbytes(rng.randint(1, 60)), codecs_for(case))
        case["options"]["max_length"] = rng.choice([0, 4096, 120])  # for decoding only
        pos = rng.randint(0, len(cookie))
        junk = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
        mutated = cookie[:pos] + junk + cookie[pos + rng.randint(0, 2) :]
        now = case["timestamp"] + rng.choice([0, 61, -5])
        requests.append({**case, "kind": "cookie", "id": str(i), "cookie": mutated, "now": now})
    for req, answer in zip(requests, harness.decode(requests), strict=True):
        codecs = codecs_for(req, now=req["now"])
        try:
            ours: Any = {"value": decode_multi(req["name"], req["cookie"], codecs), "error": None}
        except GorillaError as exc:
            ours = {"value": None, "error": str(exc)}
        go_error = answer["error"]["text"] if answer["error"] else None
        assert ours["error"] == go_error, req
        if go_error is None:
            assert typed(ours["value"]) == canonical_typed(answer["value"])
