"""One loader for the Go-written fixture files (principle 12: Go is the oracle)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load_topic(relpath: str) -> dict[str, Any]:
    """The parsed JSON of ``fixtures/<relpath>``."""
    with open(FIXTURES / relpath, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def cases(pattern: str, where: Any = None) -> list[Any]:
    """``pytest.param(case, id=case["id"])`` for every case of every file matching ``pattern``.

    ``pattern`` is a glob below fixtures/ (``"securecookie/*.json"``); ``where`` filters cases.
    A pattern that matches no file is an error, so a missing ``make fixtures`` never passes silently.
    """
    files = sorted(FIXTURES.glob(pattern))
    if not files:
        raise FileNotFoundError(f"no fixture files match fixtures/{pattern}; run `make fixtures`")
    out = []
    for path in files:
        topic = load_topic(str(path.relative_to(FIXTURES)))
        for case in topic["cases"]:
            if where is None or where(case):
                out.append(pytest.param(case, id=f"{path.stem}:{case['id']}"))
    return out


def canonical_typed(node: Any) -> Any:
    """A typed jsonview tree with map entries in the fixtures' canonical order.

    Go's map order is random, so fixtures list map entries sorted by the compact JSON text of the
    typed key; decoded values keep the wire order. Compare ``canonical_typed`` of both.
    """
    if isinstance(node, list):
        return [canonical_typed(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: canonical_typed(v) for k, v in node.items()}
    t = out.get("t")
    if isinstance(t, str) and t.startswith("map[") and isinstance(out.get("v"), list):
        out["v"] = sorted(
            out["v"], key=lambda kv: json.dumps(kv[0], separators=(",", ":"), ensure_ascii=False)
        )
    return out
