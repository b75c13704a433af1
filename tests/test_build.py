"""The compiled codec (setup.py, mypyc) is all there or not at all, and CI tests what it asks for."""

from __future__ import annotations

import ast
import importlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

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


def test_a_refused_compile_still_installs_pure_python(tmp_path: Path) -> None:
    """mypyc refusing the source (a type error here; a missing stub in a build environment did it
    for real) gives a pure-Python wheel with a warning, never a failed install."""
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "gorillacompat", src / "gorillacompat", ignore=shutil.ignore_patterns("*.so", "__pycache__")
    )
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    with (src / "gorillacompat" / "_cookiewire.py").open("a") as f:
        f.write('\nBROKEN: int = "not an int"\n')
    env = {k: v for k, v in os.environ.items() if k != "GORILLACOMPAT_PURE"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-v",
            "--no-build-isolation",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(src),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "compiled modules not built" in proc.stdout + proc.stderr
    (wheel,) = tmp_path.glob("*.whl")
    assert wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as z:
        assert not [n for n in z.namelist() if n.endswith(".so")]
