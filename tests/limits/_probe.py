"""Runs one hostile input through one call in a fresh, memory-capped Python process.

The child sets ``RLIMIT_AS`` (address space) before importing anything, builds the input, then
runs the call twice: once plain (wall time, growth of ``ru_maxrss``) and once under
``tracemalloc`` (peak bytes allocated by the call). It prints one JSON line with what was raised.
A call that tries to allocate past the cap dies with ``MemoryError``, which the tests treat as a
failure like any other non-``GorillaError``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

_CHILD = """
import resource, sys
cap = {cap}
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
sys.setrecursionlimit({recursion})
import gc, json, time, tracemalloc
from gorillacompat.errors import GorillaError
{setup}
data = make()
n = len(data)
def call():
{call}
def once():
    try:
        r = call()
        return "", "", repr(r)[:200]
    except GorillaError as exc:
        return type(exc).__name__, str(exc)[:300], ""
gc.collect()
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
err, msg, result = once()
seconds = time.perf_counter() - t0
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
gc.collect()
tracemalloc.start()
once()
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
print(json.dumps({{"error": err, "message": msg, "result": result, "seconds": seconds,
                  "input_bytes": n, "rss_growth_kb": rss1 - rss0, "peak_bytes": peak}}))
"""


@dataclass
class Probe:
    error: str  #: the GorillaError subclass raised ("" if the call returned)
    message: str
    result: str  #: repr of what the call returned (truncated)
    seconds: float
    input_bytes: int
    rss_growth_kb: int  #: growth of ru_maxrss over the call (the process's own high-water mark)
    peak_bytes: int  #: tracemalloc peak during the call

    @property
    def peak_ratio(self) -> float:
        """Peak allocation as a multiple of the input size."""
        return self.peak_bytes / max(self.input_bytes, 1)

    def __str__(self) -> str:
        return (
            f"{self.error or 'returned'} in {self.seconds * 1000:.1f} ms; input {self.input_bytes} B, "
            f"tracemalloc peak {self.peak_bytes} B ({self.peak_ratio:.2f}x), "
            f"ru_maxrss +{self.rss_growth_kb} KiB"
        )


def probe(setup: str, call: str, *, cap_mb: int = 512, recursion: int = 1000, timeout: float = 60) -> Probe:
    """``setup`` defines ``make() -> bytes|str``; ``call`` is the body of ``call()`` (uses ``data``)."""
    code = _CHILD.format(
        cap=cap_mb << 20,
        recursion=recursion,
        setup=textwrap.dedent(setup),
        call=textwrap.indent(textwrap.dedent(call), "    "),
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        raise AssertionError(f"probe process failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return Probe(**json.loads(proc.stdout.strip().splitlines()[-1]))
