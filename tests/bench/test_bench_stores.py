"""`make bench`'s store benchmark runs end to end: PostgreSQL, 0.2 s per row, 4 workers.

A smoke test, not a timing: every row (Go's gin-contrib/sessions store through go-harness
``store-bench``, our sync and asyncio stores) must complete ops without an error, and every
ratio must be computed. Speed targets live in ``make bench`` (tests/bench/bench_stores.py).
"""

from __future__ import annotations

import json

import pytest

from tests.bench.bench_stores import PROCS, main
from tests.conftest import Harness, _need

pytestmark = pytest.mark.live


def test_bench_stores_runs_on_postgres(harness: Harness, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["--backend", "postgres", "--time", "0.2", "--warmup", "0.05", "--concurrency", "4", "--json"])
    out = json.loads(capsys.readouterr().out)
    if "postgres" in out["skipped"]:
        _need(f"PostgreSQL for the store benchmark ({out['skipped']['postgres']})")
    pg = out["backends"]["postgres"]
    assert rc == 0 and pg["errors"] == {}
    procs = f"async_4_{PROCS}proc"
    assert set(pg["ops_per_sec"]) == {"go_1", "sync_1", "async_1", "go_4", "async_4", "sync_4", procs}
    assert all(ops > 0 for ops in pg["ops_per_sec"].values()), pg
    assert all(r is not None and r > 0 for r in pg["ratios"].values()), pg
    assert pg["targets"] == {"sync_1 / go_1": 0.8, "async_4 / go_4": 1.0}
