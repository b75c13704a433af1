"""The compiled codec (setup.py, mypyc) is all there or not at all, and CI tests what it asks for."""

from __future__ import annotations

import ast
import importlib
import os

from tests.conftest import IN_CI, ROOT


def _compiled_modules() -> list[str]:
    """setup.py's COMPILED list, as module names (read, not imported: setup.py runs setup())."""
    tree = ast.parse((ROOT / "setup.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "COMPILED" for t in node.targets
        ):
            paths: list[str] = ast.literal_eval(node.value)
            return [p.removesuffix(".py").replace("/", ".") for p in paths]
    raise AssertionError("setup.py has no COMPILED list")


def _is_compiled(module: str) -> bool:
    return not str(importlib.import_module(module).__file__).endswith(".py")


def test_compiled_list_names_real_modules() -> None:
    modules = _compiled_modules()
    assert modules
    for m in modules:
        assert (ROOT / (m.replace(".", "/") + ".py")).exists(), m


def test_codec_is_compiled_whole_or_not_at_all() -> None:
    states = {m: _is_compiled(m) for m in _compiled_modules()}
    assert len(set(states.values())) == 1, f"a half-built codec: {states}"


def test_ci_tests_the_build_it_asks_for() -> None:
    """CI's main run uses the compiled codec; its pure pass (GORILLACOMPAT_PURE=1) uses none."""
    pure = os.environ.get("GORILLACOMPAT_PURE", "") not in ("", "0")
    states = [_is_compiled(m) for m in _compiled_modules()]
    if IN_CI or pure:
        assert states == [not pure] * len(states)
