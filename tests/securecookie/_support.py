"""Builds codecs and values from a securecookie fixture case."""

from __future__ import annotations

import json
from typing import Any

from gorillacompat import jsonview
from gorillacompat.errors import GorillaError, MultiError, ValueTooLongError
from gorillacompat.securecookie import SecureCookie, codecs_from_pairs
from gorillacompat.serializers import GobEncoder, JSONEncoder, NopEncoder, Serializer
from tests._fixtures import canonical_typed


def serializer_for(case: dict[str, Any]) -> Serializer:
    kind = case["serializer"]
    if kind == "gob":
        return GobEncoder(type_ids=case.get("type_ids", "go1.21"))
    if kind == "json":
        return JSONEncoder()
    if kind == "nop":
        return NopEncoder()
    raise AssertionError(f"unknown serializer {kind!r}")


def codecs_for(case: dict[str, Any], *, now: int | None = None) -> list[SecureCookie]:
    """The codecs Go used for ``case``, with the clock and IV Go used pinned."""
    keys = [None if k is None else bytes.fromhex(k) for k in case["keys"]]
    iv = bytes.fromhex(case["iv"]) if case.get("iv") else None
    clock_at = now if now is not None else case.get("now", case.get("timestamp"))

    iv_fails = "failed to generate random iv" in ((case.get("error") or {}).get("text") or "")

    def random_bytes(n: int) -> bytes:
        if iv_fails:  # Go's random source was made to fail for this case
            raise OSError("no randomness")
        return iv if iv is not None else bytes(n)  # no IV recorded: its bytes don't matter

    opts = case.get("options") or {}
    return codecs_from_pairs(
        *keys,
        hash_name=case.get("hash", "sha256"),
        serializer=serializer_for(case),
        max_age=opts.get("max_age", 86400 * 30),
        min_age=opts.get("min_age", 0),
        max_length=opts.get("max_length", 4096),
        clock=lambda: clock_at,
        random_bytes=random_bytes,
    )


def typed(value: object) -> Any:
    """The canonical typed jsonview tree of a decoded value (comparable with a fixture's)."""
    return canonical_typed(json.loads(jsonview.dumps(value, typed=True)))


def has_multi_entry_map(node: Any) -> bool:
    """Go writes such maps in random order, so only the cookie's own bytes show Go's order."""
    if isinstance(node, list):
        return any(has_multi_entry_map(x) for x in node)
    if not isinstance(node, dict):
        return False
    t, v = node.get("t"), node.get("v")
    if isinstance(t, str) and t.startswith("map[") and isinstance(v, list) and len(v) > 1:
        return True
    return any(has_multi_entry_map(x) for x in node.values())


def check_error(exc: GorillaError, expected: dict[str, Any]) -> None:
    """Our error has Go's text and Go's kind; Go's plain errors are classified by where they occur."""
    assert str(exc) == expected["text"]
    if expected.get("multi"):
        assert isinstance(exc, MultiError)
    kind = expected["kind"]
    if kind == "plain":
        inner = exc.errors[0] if isinstance(exc, MultiError) else exc
        assert isinstance(inner, ValueTooLongError), type(inner)
    elif kind == "usage":
        assert exc.is_usage()
    elif kind == "decode":
        assert exc.is_decode()
    elif kind == "internal":
        assert exc.is_internal()
    else:
        raise AssertionError(f"unknown error kind {kind!r}")
