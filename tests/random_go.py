"""The random differential against Go (issue 13): Go builds random types and values, Python reads
and rewrites them, Go reads Python's bytes back and compares with what it reads from its own.

Used by tests/gob/test_random_go.py (one fixed seed, in ``make test``) and by ``make fuzz``
(tests/fuzz/random_go.py: new seeds for as long as asked, failures kept as fixtures).

Each case (``go-harness random gen``) carries Go's gob bytes of a value of a random type, a
gorilla session map holding it, and securecookie cookies (gob and JSON serializers) with the keys,
timestamp and IV Go used. Python must: decode each, re-encode it to Go's exact bytes (the JSON
cookie: to a value Go reads equal, since Go itself does not re-marshal interface trees to the
original text), and hand its bytes to ``go-harness random check``.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gorillacompat import gob
from gorillacompat.securecookie import SecureCookie
from gorillacompat.serializers import JSONEncoder

#: Kinds every run of a few thousand values must contain; a generator that stops producing one of
#: them would otherwise "pass" by testing less.
REQUIRED_KINDS = (
    "struct",
    "map",
    "iface_map_mixed_keys",
    "pointer",
    "nil_slice",
    "empty_map",
    "nan",
    "inf",
    "neg_zero",
    "bad_utf8",
    "time_utc",
    "time_fixed",
    "time_zero",
    "registered_value",
    "registered_pointer",
    "gobencoder",
    "array",
    "complex",
)


#: Summaries of the runs in this process, printed at the end of the pytest run (tests/conftest.py),
#: so that CI's log says how many values of each kind were checked, not only that nothing failed.
SUMMARIES: list[str] = []


@dataclass
class Report:
    """What a differential run saw: counts per kind and part, and every failure with its case."""

    kinds: Counter[str] = field(default_factory=Counter)
    parts: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, case: dict[str, Any], part: str, error: str) -> None:
        self.failures.append({"id": case["id"], "part": part, "error": error, "case": case})

    def summary(self) -> str:
        lines = [
            f"random differential: {sum(self.parts.values())} values checked, {len(self.failures)} failed"
        ]
        lines.append("  per part: " + ", ".join(f"{k} {v}" for k, v in sorted(self.parts.items())))
        lines.append("  per kind: " + ", ".join(f"{k} {v}" for k, v in sorted(self.kinds.items())))
        if self.skipped:
            lines.append(
                "  not sent by Go: " + ", ".join(f"{k} {v}" for k, v in sorted(self.skipped.items()))
            )
        for f in self.failures[:20]:
            lines.append(f"  FAIL {f['id']} {f['part']}: {f['error'][:300]}")
        return "\n".join(lines)


def generate(binary: Path, seed: int, n: int, out: Path) -> list[dict[str, Any]]:
    """Go's cases for ``seed`` (``go-harness random gen``)."""
    subprocess.run(
        [str(binary), "random", "gen", "-seed", str(seed), "-n", str(n), "-out", str(out)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return [json.loads(line) for line in out.read_text().splitlines() if line.strip()]


def _codec(cookie: dict[str, Any], serializer: Any = None) -> SecureCookie:
    block = cookie.get("block_key")
    iv = bytes.fromhex(cookie["iv"]) if cookie.get("iv") else b""
    return SecureCookie(
        bytes.fromhex(cookie["hash_key"]),
        bytes.fromhex(block) if block else None,
        serializer=serializer,
        max_age=0,
        max_length=0,
        clock=lambda: int(cookie["timestamp"]),
        random_bytes=lambda n: iv[:n],
    )


def python_side(case: dict[str, Any], report: Report) -> dict[str, Any]:
    """Decode and re-encode every part of one case; the answer Go checks. Mismatches with Go's
    bytes are recorded in ``report``; whatever Python wrote still goes to Go."""
    answer: dict[str, Any] = {"id": case["id"], "index": case["index"]}
    report.kinds.update(case.get("kinds", ()))
    for part in ("gob", "session_gob"):
        data = case.get(part)
        if data is None:
            report.skipped[part] += 1
            continue
        report.parts[part] += 1
        want = bytes.fromhex(data)
        try:
            ours = gob.dumps(gob.loads(want))
        except Exception as exc:  # any exception is a finding, typed or not
            report.fail(case, part, f"{type(exc).__name__}: {exc}")
            continue
        if ours != want:
            report.fail(case, part, f"re-encoded bytes differ: go {want.hex()} python {ours.hex()}")
        answer[part] = ours.hex()
    cookie = case.get("cookie") or {}
    for part, serializer in (("gob", None), ("json", JSONEncoder())):
        value = cookie.get(part)
        if value is None:
            report.skipped["cookie_" + part] += 1
            continue
        report.parts["cookie_" + part] += 1
        codec = _codec(cookie, serializer)
        try:
            ours = codec.encode(
                cookie.get("name", "session"), codec.decode(cookie.get("name", "session"), value)
            )
        except Exception as exc:
            report.fail(case, "cookie_" + part, f"{type(exc).__name__}: {exc}")
            continue
        if part == "gob" and ours != value:
            report.fail(case, "cookie_gob", f"re-encoded cookie differs: go {value} python {ours}")
        answer["cookie_" + part] = ours
    return answer


def go_side(
    binary: Path, seed: int, n: int, answers: Iterable[dict[str, Any]], cases: dict[str, Any], report: Report
) -> None:
    """``go-harness random check``: Go reads Python's bytes and compares with its own reading."""
    text = "".join(json.dumps(a) + "\n" for a in answers)
    proc = subprocess.run(
        [str(binary), "random", "check", "-seed", str(seed), "-n", str(n)],
        input=text.encode(),
        capture_output=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"go-harness random check failed: {proc.stderr.decode()[-2000:]}")
    by_id: dict[str, dict[str, Any]] = {}
    summary = None
    for line in proc.stdout.decode().splitlines():
        verdict = json.loads(line)
        if verdict.get("summary"):
            summary = verdict
        elif not verdict.get("ok"):
            by_id.setdefault(verdict["id"], verdict)
    if summary is None:
        raise RuntimeError("go-harness random check printed no summary")
    for verdict in by_id.values():
        case = cases.get(verdict["id"], {"id": verdict["id"]})
        report.fail(case, "go:" + str(verdict.get("part")), str(verdict.get("error")))


def run(binary: Path, seed: int, n: int, workdir: Path) -> Report:
    """One whole differential round for ``seed``."""
    report = Report()
    cases = generate(binary, seed, n, workdir / f"random-{seed}.jsonl")
    answers = [python_side(c, report) for c in cases]
    go_side(binary, seed, n, answers, {c["id"]: c for c in cases}, report)
    SUMMARIES.append(f"seed {seed}: " + report.summary())
    return report
