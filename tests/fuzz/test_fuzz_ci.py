"""The CI slice of issue 8's fuzzing: every target, a fixed number of mutated inputs, a fixed seed.

The same targets and invariants as ``make fuzz`` (tests/fuzz/run.py), without coverage guidance:
each target first runs every fixture seed as is, then ``ITERATIONS`` deterministic mutations
(``_targets.mutate``). Together this takes well under a minute; the long, coverage-guided run
is ``make fuzz``. A failure prints the input; add it to test_regressions.py as ``test_issue_8_...``.
"""

from __future__ import annotations

import pytest

from tests.fuzz import _targets

SEED = 8
#: Mutated inputs per target (the seeds run on top). session_file writes a file per input.
ITERATIONS = {name: 20_000 for name in _targets.TARGETS} | {"session_file": 4_000}


@pytest.mark.parametrize("target", list(_targets.TARGETS))
def test_fuzz_slice(target: str) -> None:
    executed, findings = _targets.run_target(target, ITERATIONS[target], SEED)
    assert executed >= ITERATIONS[target]
    if findings:
        data, exc = findings[0]
        raise AssertionError(f"{len(findings)} inputs broke {target}; first: {data!r}") from exc


def test_seeds_come_from_fixtures() -> None:
    for target in _targets.TARGETS:
        assert len(_targets.seeds(target)) >= 10, target
