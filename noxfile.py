"""The interpreter matrix (``make test-matrix``): the tests on every CPython 3.10-3.13 found here.

Each session takes one interpreter and one build: ``compiled`` (setup.py's mypyc modules) or
``pure`` (``GORILLACOMPAT_PURE=1``). It builds a wheel from the sdist for that interpreter, installs
it (not editable) with the test extras into its own venv, checks that the codec is compiled or not
as asked, and runs pytest from a copy of ``tests/`` and ``fixtures/`` with no ``gorillacompat/``
beside it, so the package under test is the installed one, as a user gets it.

Environment:
  MATRIX_SUITE  ``full`` (default): every test but the source-tree checks (``test_build``,
                ``test_layering``) and ``tests/packaging``; ``core``: the codec, securecookie,
                sessions and store suites (``CORE_SUITES``).
  MATRIX_SKIP   versions to leave out, comma-separated; ``main`` is the interpreter nox runs on
                (``make test``'s), whose full suite ``make test`` already ran. CI sets both.
  CI            ``true``: an interpreter of 3.10-3.13 that is not found fails its sessions.

Interpreters are looked up on PATH and under ``pyenv root`` (``versions/<X.Y.Z>/bin``), newest
patch release first; pyenv's shims are not used (they answer only for the global version).
"""

from __future__ import annotations

import ast
import glob
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
#: The CPython minor versions the project supports; pyproject's classifiers list the same.
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
#: What CI runs on the versions other than ``make test``'s: the codec, securecookie, sessions and
#: store suites.
CORE_SUITES = [
    "tests/gob",
    "tests/securecookie",
    "tests/test_encoding.py",
    "tests/test_gojson.py",
    "tests/test_gojson_fastpath.py",
    "tests/test_gojson_props.py",
    "tests/test_jsonview.py",
    "tests/sessions",
    "tests/redistore",
    "tests/pgstore",
    "tests/memcache",
    "tests/gormstore",
]
#: Load and failover tests: timing-bound on 2 cores, so once (in ``make test``) is enough.
CORE_SKIP = ["tests/redistore/test_cluster_sentinel.py", "tests/redistore/test_load.py"]
#: Tests of the source tree rather than of an interpreter (``make test`` runs them).
SOURCE_TREE_TESTS = ["tests/test_build.py", "tests/test_layering.py", "tests/packaging"]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
MAIN = f"{sys.version_info.major}.{sys.version_info.minor}"
SUITE = os.environ.get("MATRIX_SUITE", "full")
if SUITE not in ("full", "core"):
    raise SystemExit(f"MATRIX_SUITE must be full or core, not {SUITE!r}")
SKIP = {MAIN if v.strip() == "main" else v.strip() for v in os.environ.get("MATRIX_SKIP", "").split(",")}
TIMES = ROOT / ".venv" / "nox-times.txt"

nox.options.envdir = str(ROOT / ".venv" / "nox")
nox.options.reuse_existing_virtualenvs = False
nox.options.error_on_missing_interpreters = IN_CI
nox.options.sessions = ["tests", "times"]


def _pyenv_root() -> Path | None:
    try:
        out = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True, timeout=30).stdout
        return Path(out.strip())
    except (OSError, subprocess.SubprocessError):
        env = os.environ.get("PYENV_ROOT")
        return Path(env) if env else Path.home() / ".pyenv"


def _patch_key(path: str) -> tuple[int, ...]:
    m = re.search(r"/versions/(\d+)\.(\d+)\.(\d+)/", path)
    return tuple(int(x) for x in m.groups()) if m else (0,)


def _find_interpreters() -> dict[str, str]:
    """``{"3.12": "/…/bin/python3.12"}`` for each supported version found (PATH first, then pyenv)."""
    root = _pyenv_root()
    found: dict[str, str] = {}
    for version in PYTHONS:
        candidates: list[str] = []
        on_path = shutil.which(f"python{version}")
        if on_path and "/shims/" not in on_path:
            candidates.append(on_path)
        if root is not None:
            pattern = str(root / "versions" / f"{version}.*" / "bin" / f"python{version}")
            candidates += sorted(glob.glob(pattern), key=_patch_key, reverse=True)
        for c in candidates:
            try:
                out = subprocess.run(
                    [c, "-c", "import sys; print('%d.%d' % sys.version_info[:2], sys.implementation.name)"],
                    capture_output=True,
                    text=True,
                    timeout=30,
                    check=True,
                ).stdout.split()
            except (OSError, subprocess.SubprocessError):
                continue
            if out == [version, "cpython"]:
                found[version] = c
                break
    return found


INTERPRETERS = _find_interpreters()
# nox finds ``pythonX.Y`` on PATH: put the directories of the ones found first.
os.environ["PATH"] = os.pathsep.join(
    [str(Path(p).parent) for p in INTERPRETERS.values()] + [os.environ.get("PATH", "")]
)
SELECTED = [v for v in PYTHONS if v not in SKIP]


def _compiled_modules() -> list[str]:
    """setup.py's COMPILED list as module names (read, not imported)."""
    tree = ast.parse((ROOT / "setup.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "COMPILED" for t in node.targets):
            return [p.removesuffix(".py").replace("/", ".") for p in ast.literal_eval(node.value)]
    raise RuntimeError("setup.py has no COMPILED list")


#: Run in the session's venv: each compiled module is a C extension (compiled) or a .py file (pure),
#: imported from site-packages (not from a source tree).
_CHECK_BUILD = """
import importlib, sys
build, modules = sys.argv[1], sys.argv[2:]
files = {m: importlib.import_module(m).__file__ or "" for m in modules}
for m, f in files.items():
    print(f"{m}: {f}")
bad = {m: f for m, f in files.items() if f.endswith(".py") != (build == "pure") or "site-packages" not in f}
sys.exit(f"not the {build} build of the installed package: {bad}" if bad else 0)
"""

_SDIST: list[Path] = []


def _sdist(session: nox.Session) -> Path:
    """The sdist of the work tree, built once per nox run (pure: the sdist carries no C)."""
    if not _SDIST:
        out = Path(session.create_tmp()).parent.parent / "sdist"
        shutil.rmtree(out, ignore_errors=True)
        session.run(
            sys.executable,
            "-m",
            "build",
            "--sdist",
            "--outdir",
            str(out),
            str(ROOT),
            env={"GORILLACOMPAT_PURE": "1"},
            silent=True,
            external=True,
        )
        (sdist,) = out.glob("gorillacompat-*.tar.gz")
        _SDIST.append(sdist)
    return _SDIST[0]


def _test_tree(session: nox.Session) -> Path:
    """tests/, fixtures/ and the pytest config, without the package (go-harness linked)."""
    tree = Path(session.create_tmp()) / "tree"
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.so", ".hypothesis")
    shutil.copytree(ROOT / "tests", tree / "tests", ignore=ignore)
    shutil.copytree(ROOT / "fixtures", tree / "fixtures", ignore=ignore)
    for name in ("pyproject.toml", "setup.py"):
        shutil.copy(ROOT / name, tree / name)
    (tree / "go-harness").symlink_to(ROOT / "go-harness")
    return tree


@nox.session(python=SELECTED)
@nox.parametrize("build", [nox.param("compiled", id="compiled"), nox.param("pure", id="pure")])
def tests(session: nox.Session, build: str) -> None:
    """Build, install and test gorillacompat on one interpreter, compiled or pure."""
    start = time.monotonic()
    result = "failed"
    try:
        _build_install_test(session, build)
        result = "ok"
    finally:
        seconds = time.monotonic() - start
        TIMES.parent.mkdir(exist_ok=True)
        with TIMES.open("a") as f:
            f.write(f"{session.name}\t{SUITE}\t{result}\t{seconds:.0f}\n")
        session.log(f"{session.name} ({SUITE} suite): {result} in {seconds:.0f} s")


def _build_install_test(session: nox.Session, build: str) -> None:
    pure = build == "pure"
    env = {"GORILLACOMPAT_PURE": "1" if pure else "0"}
    wheels = Path(session.create_tmp()) / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    # --no-cache-dir: pip caches a wheel it built from a local sdist under the sdist's name, so the
    # pure and the compiled build of one version would otherwise share it.
    pip_wheel = ["python", "-m", "pip", "wheel", "-q", "--no-deps", "--no-cache-dir", "-w", str(wheels)]
    session.run(*pip_wheel, str(_sdist(session)), env=env)
    (wheel,) = wheels.glob("gorillacompat-*.whl")
    session.log(f"built {wheel.name}")
    if pure != wheel.name.endswith("-py3-none-any.whl"):
        session.error(f"the {build} build gave {wheel.name}")
    session.install(f"{wheel}[test,cli,pgstore,memcache,gormstore]")
    # -I: not the work tree's gorillacompat/ from the current directory.
    session.run("python", "-I", "-c", _CHECK_BUILD, build, *_compiled_modules())
    session.chdir(str(_test_tree(session)))
    args = (
        [*CORE_SUITES, *(f"--ignore={t}" for t in CORE_SKIP)]
        if SUITE == "core"
        else ["tests", *(f"--ignore={t}" for t in SOURCE_TREE_TESTS)]
    )
    pytest = ["python", "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider"]
    session.run(*pytest, *args, *session.posargs, env={"GORILLACOMPAT_PURE": "1" if pure else ""})


@nox.session(python=False)
def times(session: nox.Session) -> None:
    """Print each session's wall time (from this run) and the interpreters used."""
    for v in PYTHONS:
        where = INTERPRETERS.get(v, "NOT FOUND")
        note = " (skipped: MATRIX_SKIP)" if v in SKIP else ""
        session.log(f"python{v}: {where}{note}")
    if not TIMES.exists():
        session.log("no test session ran")
        return
    total = 0
    for line in TIMES.read_text().splitlines():
        name, suite, result, seconds = line.split("\t")
        total += int(seconds)
        session.log(f"{name:<24} {suite:<5} {result:<6} {int(seconds):>5} s")
    session.log(f"{'total':<34} {total:>5} s")
    TIMES.unlink()
