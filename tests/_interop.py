"""What the live Go interop suites of the server-side stores share: Go values in the harness's
typed JSON, and their comparison without Go's random map order.

Used by tests/{pgstore,memcache,gormstore}/test_interop_go.py.
"""

from __future__ import annotations

import json
from typing import Any

IFACE_MAP = "map[interface {}]interface {}"


def s(v: str) -> dict[str, Any]:
    """A Go string in the harness's typed JSON."""
    return {"t": "string", "v": v}


#: Session values a Go store saves: strings, sized ints, a registered struct, a time.Time.
GO_VALUES = {
    "t": IFACE_MAP,
    "v": [
        [s("user"), s("ann")],
        [s("n"), {"t": "int", "v": 7}],
        [s("big"), {"t": "int64", "v": -(2**40)}],
        [s("p"), {"t": "main.Person", "v": {"Name": s("Bo"), "Age": {"t": "int", "v": 3}}}],
        [s("at"), {"t": "time.Time", "v": {"$time": "2024-05-06T07:08:09.123456789+02:00", "offset": 7200}}],
    ],
}


def _norm(node: Any) -> Any:
    if isinstance(node, list):
        return [_norm(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _norm(v) for k, v in node.items()}
    if str(out.get("t", "")).startswith("map[") and isinstance(out.get("v"), list):
        out["v"] = sorted(out["v"], key=lambda pair: json.dumps(pair, sort_keys=True))
    return out


def canon(view: Any) -> list[str]:
    """A typed map view without Go's random map order (at every depth)."""
    assert view["t"] == IFACE_MAP
    return sorted(json.dumps(_norm(pair), sort_keys=True) for pair in view["v"])
