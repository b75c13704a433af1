"""The long fuzz run (``make fuzz``): every target of ``_targets.py`` for a time budget each.

Engines, best first: atheris (coverage-guided libFuzzer; ``pip install atheris``), else
hypothesis (``st.binary()`` plus mutated fixture seeds, a large example budget), else the
deterministic mutator the CI slice uses. Each atheris target runs in its own process, so one
crash or hang does not stop the others; a hang is a finding (``-timeout``).

    python tests/fuzz/run.py                          # 600 s per target, atheris if installed
    python tests/fuzz/run.py --seconds 60 --targets gob_loads,jsonview_loads
    python tests/fuzz/run.py --engine hypothesis

Corpora and crash inputs go to ``--workdir`` (default ``$TMPDIR/gorillacompat-fuzz``); every crash
found must become a ``test_issue_8_...`` regression test in tests/fuzz/test_regressions.py.
Exit status 1 if anything was found.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _have_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def _child(target: str, seconds: int, workdir: Path) -> None:
    """Runs inside the per-target process: atheris over one target."""
    import atheris

    with atheris.instrument_imports(include=["gorillacompat"]):
        from tests.fuzz import _targets

    fn = _targets.TARGETS[target]
    corpus = workdir / "corpus" / target
    crashes = workdir / "crashes" / target
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    if not any(corpus.iterdir()):
        for i, seed in enumerate(_targets.seeds(target)):
            (corpus / f"seed-{i:05d}").write_bytes(seed)
    args = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={seconds}",
        "-timeout=10",  # seconds for one input: a hang is a finding
        "-rss_limit_mb=2048",
        f"-max_len={2 * _targets.MAX_SEED}",
        f"-artifact_prefix={crashes}/",
        "-print_final_stats=1",
    ]
    atheris.Setup(args, fn)
    atheris.Fuzz()


def _run_atheris(targets: list[str], seconds: int, workdir: Path) -> tuple[int, list[str]]:
    total = 0
    found: list[str] = []
    for target in targets:
        t0 = time.monotonic()
        proc = subprocess.run(
            [sys.executable, __file__, "--child", target, "--seconds", str(seconds)]
            + ["--workdir", str(workdir)],
            capture_output=True,
            text=True,
            check=False,
            timeout=seconds + 120,
        )
        log = proc.stdout + proc.stderr
        (workdir / f"{target}.log").write_text(log)
        runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", log) or re.findall(
            r"Done (\d+) runs", log
        )
        n = int(runs[-1]) if runs else 0
        total += n
        crashes = sorted((workdir / "crashes" / target).glob("*"))
        status = "ok" if proc.returncode == 0 and not crashes else f"FOUND (exit {proc.returncode})"
        print(f"{target:22s} {n:>10d} execs  {time.monotonic() - t0:6.0f}s  {status}", flush=True)
        for c in crashes:
            found.append(f"{target}: {c}")
            print(f"    {c}", flush=True)
    return total, found


def _hypothesis_one(target: str, seconds: int) -> tuple[int, str]:
    """Batches of hypothesis examples against one target until the budget is spent."""
    import random

    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    from tests.fuzz import _targets

    fn = _targets.TARGETS[target]
    corpus = _targets.seeds(target)
    count = [0]
    mutated = st.builds(
        lambda i, s: _targets.mutate(corpus[i], random.Random(s), corpus),
        st.integers(0, len(corpus) - 1),
        st.integers(0, 2**32),
    )

    @settings(
        max_examples=2000,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.one_of(st.binary(max_size=4096), mutated))
    def prop(data: bytes) -> None:
        count[0] += 1
        fn(data)

    # hypothesis has no time budget of its own: run batches, each with a fresh random seed.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            prop()
        except Exception as exc:  # the shrunk failing example
            return count[0], f"{type(exc).__name__}: {exc}"
    return count[0], ""


def _run_hypothesis(targets: list[str], seconds: int) -> tuple[int, list[str]]:
    total = 0
    found: list[str] = []
    for target in targets:
        t0 = time.monotonic()
        n, finding = _hypothesis_one(target, seconds)
        total += n
        if finding:
            found.append(f"{target}: {finding}")
        status = f"FOUND {finding}" if finding else "ok"
        print(f"{target:22s} {n:>10d} execs  {time.monotonic() - t0:6.0f}s  {status}", flush=True)
    return total, found


def _run_mutator(targets: list[str], seconds: int, seed: int) -> tuple[int, list[str]]:
    from tests.fuzz import _targets

    total = 0
    found: list[str] = []
    for target in targets:
        t0 = time.monotonic()
        n, findings = _targets.run_target(target, 10**9, seed, time_budget=seconds)
        total += n
        status = "ok" if not findings else f"FOUND {len(findings)}"
        print(f"{target:22s} {n:>10d} execs  {time.monotonic() - t0:6.0f}s  {status}", flush=True)
        for data, exc in findings[:5]:
            found.append(f"{target}: {type(exc).__name__}: {exc} on {data[:200]!r}")
            print(f"    {type(exc).__name__}: {exc} on {data[:200]!r}", flush=True)
    return total, found


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=int, default=600, help="budget per target (default 600)")
    p.add_argument("--targets", default="", help="comma-separated target names (default: all)")
    p.add_argument("--engine", choices=["auto", "atheris", "hypothesis", "mutate"], default="auto")
    p.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "gorillacompat-fuzz"))
    p.add_argument("--seed", type=int, default=8, help="seed of the mutate engine")
    p.add_argument("--child", default="", help=argparse.SUPPRESS)
    args, _ = p.parse_known_args(argv)
    workdir = Path(args.workdir)
    if args.child:
        _child(args.child, args.seconds, workdir)
        return 0

    from tests.fuzz import _targets

    targets = [t for t in args.targets.split(",") if t] or list(_targets.TARGETS)
    unknown = set(targets) - set(_targets.TARGETS)
    if unknown:
        p.error(f"unknown targets {sorted(unknown)}; choose from {sorted(_targets.TARGETS)}")
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if _have_atheris() else "hypothesis"
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"fuzzing {len(targets)} targets for {args.seconds}s each with {engine}; work dir {workdir}")
    if engine == "atheris":
        total, found = _run_atheris(targets, args.seconds, workdir)
    elif engine == "hypothesis":
        total, found = _run_hypothesis(targets, args.seconds)
    else:
        total, found = _run_mutator(targets, args.seconds, args.seed)
    print(f"total: {total} executions, {len(found)} findings")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
