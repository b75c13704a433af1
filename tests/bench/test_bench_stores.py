"""`make bench`'s store benchmark runs end to end: PostgreSQL, 0.2 s per row, 4 workers, 2 runs.

A smoke test, not a timing: every row (Go's gin-contrib/sessions store through go-harness
``store-bench``, our sync and asyncio stores) must complete ops without an error, and every
ratio must be computed. Speed targets live in ``make bench`` (tests/bench/bench_stores.py).
"""

from __future__ import annotations

import json

import pytest

from tests.bench._workload import Rate
from tests.bench.bench_stores import PROCS, _median, main
from tests.conftest import Harness, _need

pytestmark = pytest.mark.live


def test_bench_stores_runs_on_postgres(harness: Harness, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["--backend", "postgres", "--time", "0.2", "--warmup", "0.05", "--concurrency", "4",
               "--repeat", "2", "--json"])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    if "postgres" in out["skipped"]:
        _need(f"PostgreSQL for the store benchmark ({out['skipped']['postgres']})")
    pg = out["backends"]["postgres"]
    assert rc == 0 and pg["errors"] == {} and out["repeat"] == 2
    procs = f"async_4_{PROCS}proc"
    assert set(pg["ops_per_sec"]) == {"go_1", "sync_1", "async_1", "go_4", "async_4", "sync_4", procs}
    assert all(ops > 0 for ops in pg["ops_per_sec"].values()), pg
    assert all(r is not None and r > 0 for r in pg["ratios"].values()), pg
    assert pg["targets"] == {"sync_1 / go_1": 0.8, "async_4 / go_4": 1.0}


def test_a_row_is_its_median_run_and_a_failed_run_fails_it() -> None:
    runs = [Rate(300.0, 1.0), Rate(100.0, 3.0), Rate(200.0, 2.0)]
    assert _median(runs) == Rate(200.0, 2.0)
    assert _median(runs[:2]) == Rate(100.0, 3.0)  # an even count: the lower middle
    assert _median([*runs, "OperationalError: gone"]) == "OperationalError: gone"
