"""What ``make dist`` built, installed the way users get it (issue 15).

The wheel goes into a fresh venv (not editable, the work tree not on ``sys.path``): its compiled
modules must be there and be the ones imported, and the core suites must pass against it. The sdist
goes into another venv with no C compiler to be found: it must install as pure Python and pass the
codec tests. The wheel holds the package only; the sdist holds what a rebuild needs (``make dist``
builds the wheel from it).
"""

from __future__ import annotations

import re
import shutil
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.packaging._support import (
    clean_env,
    codec_suites,
    copy_test_tree,
    core_suites,
    fresh_venv,
    need_built,
    run,
)

pytestmark = pytest.mark.packaging

#: The one note the build may print: mypyc's, about source lines it compiles as list comprehensions
#: (gorillacompat/_cookiewire.py, gorillacompat/_time.py); it changes nothing of the result.
ALLOWED_WARNINGS = [
    re.compile(r"^gorillacompat/[\w/]+\.py:\d+: warning: Treating generator comprehension as list$")
]

#: "warning: ...", "SetuptoolsDeprecationWarning", "... is deprecated" (not gcc's -Wno-...-warning-option).
WARNING = re.compile(r"(?i:(?<![\w-])warning\b)|\w+Warning\b|(?i:\bdeprecated\b)")

#: Run in the venv under test: each compiled module is a C extension (compiled) or .py (pure),
#: imported from that venv's site-packages.
CHECK_BUILD = """
import importlib, sys
build, modules = sys.argv[1], sys.argv[2:]
files = {m: importlib.import_module(m).__file__ or "" for m in modules}
bad = {m: f for m, f in files.items() if f.endswith(".py") != (build == "pure") or "/site-packages/" not in f}
print("\\n".join(f"{m}: {f}" for m, f in files.items()))
sys.exit(f"not the {build} build of the installed package: {bad}" if bad else 0)
"""


def _compiled_modules() -> list[str]:
    from tests.test_build import _compiled_modules as compiled

    return compiled()


def _wheel() -> Path:
    (wheel,) = need_built("dist/gorillacompat-*.whl", "make dist")
    return wheel


def _sdist() -> Path:
    (sdist,) = need_built("dist/gorillacompat-*.tar.gz", "make dist")
    return sdist


def _version() -> str:
    text = (ROOT / "gorillacompat" / "__init__.py").read_text()
    m = re.search(r'^__version__ = "([^"]+)"$', text, re.M)
    assert m
    return m.group(1)


def test_the_build_printed_no_warning() -> None:
    logs = need_built("build/dist-logs/*.log", "make dist")
    found = []
    for log in logs:
        for line in log.read_text().splitlines():
            if WARNING.search(line) and not any(a.match(line) for a in ALLOWED_WARNINGS):
                found.append(f"{log.name}: {line}")
    assert not found, "\n".join(found)


def test_the_wheel_holds_the_package_only() -> None:
    wheel = _wheel()
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    assert wheel.name == f"gorillacompat-{_version()}-{tag}-{tag}-linux_x86_64.whl"
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        metadata = z.read(f"gorillacompat-{_version()}.dist-info/METADATA").decode()
    dist_info = f"gorillacompat-{_version()}.dist-info/"
    outside = [
        n
        for n in names
        if not n.startswith(("gorillacompat/", dist_info))
        and not re.fullmatch(r"gorillacompat__mypyc\..*\.so", n)  # mypyc's shared runtime
    ]
    assert not outside, outside
    assert not [n for n in names if n.endswith((".c", ".h", ".pyc")) or "/tests/" in n or "fixtures" in n]
    for module in _compiled_modules():
        stem = module.replace(".", "/")
        assert [n for n in names if n.startswith(stem + ".cpython-") and n.endswith(".so")], module
    assert "gorillacompat/py.typed" in names
    assert f"{dist_info}licenses/LICENSE" in names
    assert "License-Expression: BSD-3-Clause" in metadata
    assert "License-File: LICENSE" in metadata


def test_the_sdist_holds_what_a_rebuild_needs() -> None:
    sdist = _sdist()
    top = f"gorillacompat-{_version()}/"
    with tarfile.open(sdist) as t:
        names = {n.removeprefix(top) for n in t.getnames()}
    needed = {"setup.py", "pyproject.toml", "MANIFEST.in", "README.md", "LICENSE", "CHANGELOG.md", "PKG-INFO"}
    needed |= {"gorillacompat/py.typed", "go-harness/go.mod", "go-harness/go.sum", "Makefile", "noxfile.py"}
    for tree in ("gorillacompat", "tests", "go-harness", "examples"):
        needed |= {
            p.relative_to(ROOT).as_posix()
            for p in (ROOT / tree).rglob("*")
            if p.suffix in (".py", ".go") and "__pycache__" not in p.parts and "bin" not in p.parts
        }
    needed |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "fixtures").rglob("*.json")}
    needed |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md")}
    assert not sorted(needed - names), "missing from the sdist"
    junk = [n for n in names if re.search(r"\.(so|pyc|o|c)$|__pycache__|^build/|^dist/|go-harness/bin", n)]
    assert not junk, junk


def test_the_wheel_installs_compiled_and_passes_the_core_suites(tmp_path: Path) -> None:
    wheel = _wheel()
    python = fresh_venv(tmp_path / "venv")
    env = clean_env()
    run([str(python), "-m", "pip", "install", "-q", f"{wheel}[test,cli,pgstore,memcache,gormstore]"], env=env)
    tree = copy_test_tree(tmp_path / "tree")
    check = run([str(python), "-I", "-c", CHECK_BUILD, "compiled", *_compiled_modules()], cwd=tree, env=env)
    assert str(tmp_path / "venv") in check.stdout
    cli = run([str(tmp_path / "venv" / "bin" / "gorillacompat"), "--help"], cwd=tree, env=env)
    assert "cookie" in cli.stdout
    run(
        [str(python), "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", *core_suites()],
        cwd=tree,
        env=env,
        timeout=1800,
    )


def test_the_sdist_installs_pure_python_without_a_compiler(tmp_path: Path) -> None:
    sdist = _sdist()
    python = fresh_venv(tmp_path / "venv")
    # No compiler to be found: not on PATH (only the venv's bin/ and Go's are), and CC names none.
    path = [str(tmp_path / "venv" / "bin")]
    if shutil.which("go"):
        path.append(str(Path(str(shutil.which("go"))).resolve().parent))
    env = clean_env(PATH=":".join(path), CC=str(tmp_path / "no-cc"), CXX=str(tmp_path / "no-cxx"))
    for compiler in ("cc", "gcc", "clang", "c++", "g++"):
        assert shutil.which(compiler, path=env["PATH"]) is None, compiler
    install = run(
        [str(python), "-m", "pip", "install", "-v", "--no-cache-dir", str(sdist), "pytest", "hypothesis"],
        env=env,
        timeout=1800,
    )
    assert "compiled codec not built" in install.stdout + install.stderr
    tree = copy_test_tree(tmp_path / "tree")
    run([str(python), "-I", "-c", CHECK_BUILD, "pure", *_compiled_modules()], cwd=tree, env=env)
    run(
        [str(python), "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", *codec_suites()],
        cwd=tree,
        env={**env, "GORILLACOMPAT_PURE": "1"},
        timeout=1800,
    )
