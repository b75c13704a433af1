"""Live interop: Python encodes, the real encoding/gob (go-harness, a fresh process per request)
decodes and re-encodes; the bytes must be Go's."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings

from gorillacompat import jsonview
from gorillacompat.gob import GoArray, GoMap, GoStruct, dumps, loads
from tests._fixtures import canonical_typed
from tests.strategies import go_sessions

pytestmark = pytest.mark.live


def _go_can_name(v: Any) -> bool:
    """Whether every value holds only types go-harness registered (no main.Rec, no arrays)."""
    if isinstance(v, (GoStruct, GoArray)):
        return False
    if isinstance(v, dict):
        return all(_go_can_name(k) and _go_can_name(x) for k, x in v.items())
    if isinstance(v, list):
        return all(_go_can_name(x) for x in v)
    return True


def _has_multi_map(v: Any) -> bool:
    if isinstance(v, dict):
        return len(v) > 1 or any(_has_multi_map(x) for x in v.values())
    if isinstance(v, list):
        return any(_has_multi_map(x) for x in v)
    return False


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(go_sessions)
def test_go_reads_python_sessions(harness: Any, session: GoMap) -> None:
    assume(_go_can_name(session))
    data = dumps(session)
    [answer] = harness.decode([{"kind": "gob", "id": 1, "gob": data.hex(), "dest": "interface-map"}])
    assert answer.get("error") is None, answer
    go_bytes = bytes.fromhex(answer["gob"])
    if not _has_multi_map(session):
        assert go_bytes == data  # Go's fresh re-encode is byte-identical
    ours = canonical_typed(json.loads(jsonview.dumps(session, typed=True)))
    assert canonical_typed(answer["value"]) == ours
    assert canonical_typed(json.loads(jsonview.dumps(loads(go_bytes), typed=True))) == ours
