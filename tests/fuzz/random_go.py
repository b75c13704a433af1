"""``make fuzz``'s random-Go part: new seeds of ``go-harness random`` for as long as asked.

    python tests/fuzz/random_go.py --seconds 600 [--count 2000] [--first-seed N]

Each round generates ``--count`` values from a fresh seed (the clock's, unless ``--first-seed``),
runs the differential of tests/random_go.py, and keeps every failing case, as Go wrote it, in
fixtures/random/seed<S>-<i>.json; tests/gob/test_random_go.py replays those in ``make test``.
Exit status 1 if anything failed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import random_go  # noqa: E402

HARNESS = ROOT / "go-harness" / "bin" / "go-harness"
KEPT = ROOT / "fixtures" / "random"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=int, default=600, help="time budget (default 600)")
    p.add_argument("--count", type=int, default=2000, help="values per seed (default 2000)")
    p.add_argument("--first-seed", type=int, default=0, help="first seed (default: from the clock)")
    args = p.parse_args(argv)
    seed = args.first_seed or int(time.time())
    deadline = time.monotonic() + args.seconds
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        while True:
            report = random_go.run(HARNESS, seed, args.count, Path(tmp))
            print(f"seed {seed}: " + report.summary(), flush=True)
            for f in report.failures:
                case = f["case"]
                path = KEPT / f"seed{seed}-{case.get('index', 'x')}.json"
                if not path.exists():
                    KEPT.mkdir(parents=True, exist_ok=True)
                    path.write_text(json.dumps(case, indent=1) + "\n", encoding="utf-8")
                    print(f"  kept {path.relative_to(ROOT)}", flush=True)
            failed += len(report.failures)
            seed += 1
            if time.monotonic() >= deadline:
                break
    print(f"random-Go differential: {failed} failures")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
