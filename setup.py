"""Build: pure Python, plus the gob codec and the cookie byte layout compiled by mypyc when it can be.

mypyc compiles these modules (the same source, no second copy) into C extensions that run gob
encode/decode 2-4x faster and take the Python call layers out of every cookie's MAC, AES-CTR and
base64 steps. ``GORILLACOMPAT_PURE=1`` skips it; without mypyc or a working C compiler the build
warns and installs the pure-Python package, which behaves identically.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

#: The modules compiled: the gob codec's hot path and securecookie's byte layout. Public classes
#: (SecureCookie, gob.values) stay interpreted so users can subclass and extend them. The JSON
#: codec stays interpreted: it passes int subclasses (Int64, ...) through int-annotated code, and
#: compiled code unboxes them.
COMPILED = [
    "gorillacompat/gob/_wire.py",
    "gorillacompat/gob/_typedesc.py",
    "gorillacompat/_time.py",
    "gorillacompat/gob/decoder.py",
    "gorillacompat/gob/encoder.py",
    "gorillacompat/_encoding.py",
    "gorillacompat/_cookiewire.py",
]


class OptionalBuildExt(build_ext):
    """A failed compile leaves the pure-Python package, never a half-compiled one: a compiled
    module whose shared runtime did not build would fail to import."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # any compiler failure means "stay pure"
            for path in self.get_outputs():
                if os.path.exists(path):
                    os.remove(path)
            print(f"gorillacompat: compiled codec not built ({exc}); using pure Python", file=sys.stderr)


def _ext_modules() -> list[object]:
    if os.environ.get("GORILLACOMPAT_PURE", "") not in ("", "0"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("gorillacompat: mypyc not available; using pure Python", file=sys.stderr)
        return []
    try:
        return list(mypycify(COMPILED, opt_level="3", group_name="gorillacompat"))
    except (Exception, SystemExit) as exc:  # mypyc exits on type errors (e.g. a missing stub)
        print(f"gorillacompat: compiled modules not built ({exc!r}); using pure Python", file=sys.stderr)
        return []


setup(ext_modules=_ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
