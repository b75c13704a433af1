"""The ``gorillacompat`` command line: inspect, explain, convert and re-key Go session data.

Layering: the top layer; imports anything below it and nothing imports it. The commands are thin:
the work is done by ``securecookie``, ``gob``, ``jsonview``, ``sessions`` and the stores, which
the bulk commands reach through one interface (``_backends``) and one engine (``_transfer``).

Commands (``gorillacompat --help``)::

    cookie  decode | explain | encode | inspect | rekey
    gob     dump | decode | encode
    keys    generate
    redis   export | import | convert | stats
    fs      export | import
    export | import | copy     any store by URL (Redis, files, PostgreSQL, memcached, GORM)

Exit codes: 0 ok; 1 the input is not valid or the operation failed (one line on stderr, or a
``{"ok": false, ...}`` object with ``--json``); 2 usage (bad option, missing key, missing extra).

The command line needs the ``cli`` extra (``pip install 'gorillacompat[cli]'``: click and tqdm);
without it ``main`` prints how to install it and returns 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "main"]

#: The command did what was asked.
EXIT_OK = 0
#: The input is not valid (a cookie that does not decode, a record that fails verification) or
#: the operation failed (Redis down, a file that cannot be written).
EXIT_INVALID = 1
#: Bad command line: unknown option, missing key, bad key text, missing ``cli`` extra.
EXIT_USAGE = 2

_EXTRA_MODULES = ("click", "tqdm")


def _missing_extra() -> str | None:
    import importlib.util

    missing = [m for m in _EXTRA_MODULES if importlib.util.find_spec(m) is None]
    return ", ".join(missing) or None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit code.

    A ``GorillaError`` becomes one line on stderr and exit code 1; usage errors exit with 2.
    """
    missing = _missing_extra()
    if missing is not None:
        print(
            f"gorillacompat: the command line needs the 'cli' extra (missing: {missing}); "
            "install it with: pip install 'gorillacompat[cli]'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from ._app import run

    return run(list(sys.argv[1:] if argv is None else argv))
