"""The exported API of the Go packages gorillacompat mirrors, read with ``go doc -all``.

Names come out as the Go ↔ Python map (docs/go-python.md) writes them: ``securecookie.New``,
``securecookie.SecureCookie.MaxAge`` (a method), ``sessions.Options.Path`` (a field),
``sessions.Store.Get`` (an interface method). boj/redistore's v2 and v1 share the label
``redistore``; rbcervilla/redisstore's is ``redisstore``.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

#: label → Go import path, as go-harness/go.mod pins them (encoding/gob: the harness's Go).
PACKAGES = {
    "securecookie": ["github.com/gorilla/securecookie"],
    "sessions": ["github.com/gorilla/sessions"],
    "gob": ["encoding/gob"],
    "redistore": ["github.com/boj/redistore/v2", "github.com/boj/redistore"],
    "redisstore": ["github.com/rbcervilla/redisstore/v9"],
    "pgstore": ["github.com/antonlindstrom/pgstore"],
    "gsm": ["github.com/bradleypeabody/gorilla-sessions-memcache"],
    "gormstore": ["github.com/wader/gormstore/v2"],
}

_FUNC = re.compile(r"^func (\w+)\(")
_METHOD = re.compile(r"^func \(\w+ \*?(\w+)\) (\w+)\(")
_TYPE = re.compile(r"^type (\w+) (struct|interface)?")
_VAR = re.compile(r"^(?:var|const) (\w+)")
_MEMBER = re.compile(r"^\t([A-Z]\w*)\b")


def exported(go_doc_all: str, label: str) -> set[str]:
    """Exported functions, types, methods, fields, interface methods and vars of one package."""
    names: set[str] = set()
    block: str | None = None  # the type (or "var") whose body is being read
    for line in go_doc_all.splitlines():
        if block is not None:
            if line.startswith(("}", ")")):
                block = None
                continue
            m = _MEMBER.match(line)
            if m:
                names.add(f"{label}.{m.group(1)}" if block == "" else f"{label}.{block}.{m.group(1)}")
            continue
        if m := _METHOD.match(line):
            if m.group(1)[0].isupper() and m.group(2)[0].isupper():
                names.add(f"{label}.{m.group(1)}.{m.group(2)}")
        elif m := _FUNC.match(line):
            if m.group(1)[0].isupper():
                names.add(f"{label}.{m.group(1)}")
        elif m := _TYPE.match(line):
            if m.group(1)[0].isupper():
                names.add(f"{label}.{m.group(1)}")
                if line.rstrip().endswith("{"):
                    block = m.group(1)
        elif line.startswith(("var (", "const (")):
            block = ""
        elif m := _VAR.match(line):
            if m.group(1)[0].isupper():
                names.add(f"{label}.{m.group(1)}")
    return names


def go_api(harness_dir: Path) -> set[str]:
    """Every exported Go name the map must cover (``go doc`` run in go-harness, whose go.mod pins them)."""
    names: set[str] = set()
    for label, paths in PACKAGES.items():
        for path in paths:
            cmd = ["go", "doc", "-all", path]
            out = subprocess.run(
                cmd, cwd=harness_dir, capture_output=True, text=True, check=True, timeout=300
            ).stdout
            names |= exported(out, label)
    return names


if __name__ == "__main__":
    for name in sorted(go_api(Path(__file__).resolve().parents[2] / "go-harness")):
        print(name)
