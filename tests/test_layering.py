"""Imports point one way (style principle 1): a module never imports a layer above it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "gorillacompat"

# Lower number = lower layer. A module may import its own layer or any lower one.
LAYERS: dict[str, int] = {
    "errors": 0,
    "_encoding": 1,
    "_time": 1,
    "_cookiewire": 2,
    "values": 2,
    "gob": 3,
    "gojson": 3,
    "jsonview": 3,
    "serializers": 4,
    "securecookie": 5,
    "sessions": 6,
    "redistore": 7,
    "pgstore": 7,
    "gormstore": 7,
    "memcache": 7,
    "csrf": 7,
    "cli": 8,
}


def _layer_of(module: str) -> int | None:
    return LAYERS.get(module.split(".")[0])


def _imports(source: str, rel: Path) -> list[str]:
    """Modules of the package imported by ``source`` (the file ``rel`` below gorillacompat/)."""
    pkg_parts = list(rel.with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg_parts[: len(pkg_parts) - (node.level - 1)] if node.level > 1 else pkg_parts
                target = [*base, *(node.module.split(".") if node.module else [])]
                if target:
                    found.append(".".join(target))
                else:
                    found.extend(alias.name for alias in node.names)
            elif node.module and node.module.startswith("gorillacompat."):
                found.append(node.module.removeprefix("gorillacompat."))
        elif isinstance(node, ast.Import):
            found.extend(
                a.name.removeprefix("gorillacompat.")
                for a in node.names
                if a.name.startswith("gorillacompat.")
            )
    return found


def test_no_upward_imports() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in ("__init__.py", "__main__.py"):
            continue
        own = _layer_of(rel.with_suffix("").parts[0])
        assert own is not None, f"{rel}: add its top-level module to LAYERS"
        for target in _imports(path.read_text(encoding="utf-8"), rel):
            layer = _layer_of(target)
            if layer is not None and layer > own:
                problems.append(f"{rel} imports {target} (layer {layer} > {own})")
    assert not problems, "\n".join(problems)


#: Codecs of one layer that share the value model below them, never each other.
PEERS = ("gob", "gojson", "jsonview")


def test_codecs_do_not_import_each_other() -> None:
    """gojson and jsonview name a Go int through ``values``, not through the gob package."""
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        own = rel.with_suffix("").parts[0]
        if own not in PEERS:
            continue
        for target in _imports(path.read_text(encoding="utf-8"), rel):
            other = target.split(".")[0]
            if other in PEERS and other != own:
                problems.append(f"{rel} imports {target}")
    assert not problems, "\n".join(problems)


def test_layer_check_sees_upward_imports() -> None:
    """The checker itself must catch a violation, or the test above proves nothing."""
    rel = Path("gob/decoder.py")
    assert _imports("from ..securecookie import SecureCookie", rel) == ["securecookie"]
    assert _imports("from .. import sessions", rel) == ["sessions"]
    assert _imports("import gorillacompat.redistore", rel) == ["redistore"]
    assert _imports("from .values import Int8", rel) == ["gob.values"]
