"""Two processes save one session at once: the Gin app (Go, hammered over HTTP) and a Python store.

Per server-side backend (tests/gin/conftest.py ``SERVER_SIDE``), one session cookie is shared by
a thread hammering the Gin app (``/set?clear=1`` with the Go writer's full value, then
``/whoami``) and this Python process (``get``, then ``save`` of the Python writer's full value),
both at the same time, on the same server. Every value is a *full* value: writer, sequence number,
a 1.2 KB string and a registered struct, all derived from (writer, seq). Then:

* never a torn record: every read, on either side, decodes without error and equals one writer's
  full value for the (writer, seq) it names;
* last write wins: a side that reads its own writer's value reads its latest write (an older write
  never comes back), the other writer's values only move forward, and at the end both sides read
  the same value, the last write of one of the two writers;
* one record per session (no duplicate rows from racing inserts), and the two really interleaved:
  both go on (past MIN_ROUNDS, up to MAX_ROUNDS) until each side has read the other's writes
  CROSSINGS times.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gorillacompat import jsonview
from tests.e2e._servers import COOKIE_NAME, GinServer

from ._client import Jar, canon, s, typed, typed_map
from .conftest import SERVER_SIDE, GinBackend, open_backend

pytestmark = pytest.mark.live

#: Each writer saves at least MIN_ROUNDS times, then both go on until each side has read the
#: other's writes CROSSINGS times (so the two really interleaved), up to MAX_ROUNDS.
MIN_ROUNDS = 100
MAX_ROUNDS = 5000
CROSSINGS = 5


@pytest.fixture(scope="module", params=SERVER_SIDE)
def backend(request: pytest.FixtureRequest) -> Iterator[GinBackend]:
    yield from open_backend(request)


def full_view(writer: str, seq: int) -> dict[str, Any]:
    return typed_map(
        ("writer", s(writer)),
        ("seq", {"t": "int", "v": seq}),
        ("blob", s(f"{writer}:{seq:05d}|" * 120)),
        ("p", {"t": "main.Person", "v": {"Name": s(writer), "Age": {"t": "int", "v": seq}}}),
    )


def origin(view: Any) -> tuple[str, int]:
    """(writer, seq) of a canonical typed view, which must be exactly that writer's full value."""
    pairs = {k["v"]: v for k, v in view["v"]}
    writer, seq = pairs["writer"]["v"], int(pairs["seq"]["v"])
    assert view == canon(full_view(writer, seq)), f"torn or foreign value: {view}"
    return writer, seq


def check_stream(reads: list[tuple[int, tuple[str, int]]], me: str) -> None:
    """A side's reads, each after its write number ``n``: its own value must be write ``n``, the
    other's must never go back."""
    other_seen = -1
    for n, (writer, seq) in reads:
        if writer == me:
            assert seq == n, f"{me} read its write {seq} after writing {n}: an old write came back"
        else:
            assert seq >= other_seen, f"{me} read {writer} {seq} after {other_seen}"
            other_seen = seq


def crossings(reads: list[tuple[int, tuple[str, int]]], me: str) -> int:
    """How many of a side's reads saw the other writer's value."""
    return sum(1 for _, (writer, _seq) in reads if writer != me)


def test_two_processes_save_one_session(backend: GinBackend, gin: Callable[..., GinServer]) -> None:
    app = gin()
    jar = Jar(app)
    sid = jar.go_set(full_view("go", 0), clear=True)["id"]
    cookie = jar.value
    assert cookie is not None
    py = backend.store()
    start = threading.Barrier(2, timeout=30)
    stop = threading.Event()
    go_reads: list[tuple[int, tuple[str, int]]] = []
    failures: list[BaseException] = []

    def hammer() -> None:
        go = Jar(app)
        go.value = cookie
        try:
            start.wait()
            for n in range(1, MAX_ROUNDS + 1):
                if n > MIN_ROUNDS and stop.is_set():
                    break
                saved = go.go_set(full_view("go", n), clear=True)
                assert saved["id"] == sid
                seen = go.go("/whoami")
                assert seen["error"] is None and seen["is_new"] is False and seen["id"] == sid
                go_reads.append((n, origin(canon(seen["typed"]))))
        except BaseException as exc:  # re-raised by the test
            failures.append(exc)
        finally:
            stop.set()

    thread = threading.Thread(target=hammer, name="gin-hammer")
    thread.start()
    py_reads: list[tuple[int, tuple[str, int]]] = []
    py_last = 0
    try:
        start.wait()
        for n in range(1, MAX_ROUNDS + 1):
            if n > MIN_ROUNDS and (
                stop.is_set() or min(crossings(go_reads, "go"), crossings(py_reads, "py")) >= CROSSINGS
            ):
                break
            sess = py.get({COOKIE_NAME: cookie}, COOKIE_NAME)
            assert sess.error is None and not sess.is_new and sess.id == sid
            py_reads.append((n - 1, origin(typed(sess.values))))
            sess.values.clear()
            for k, v in jsonview.from_typed(full_view("py", n)).items():
                sess.values[k] = v
            py.save(sess)
            py_last = n
    finally:
        stop.set()
        thread.join(120)
    if failures:
        raise failures[0]
    go_last = go_reads[-1][0]
    check_stream(go_reads, "go")
    check_stream(py_reads, "py")
    assert min(crossings(go_reads, "go"), crossings(py_reads, "py")) >= CROSSINGS, "no real interleaving"
    final_go = origin(canon(jar.go("/whoami")["typed"]))
    final_py = origin(typed(py.get({COOKIE_NAME: cookie}, COOKIE_NAME).values))
    assert final_go == final_py and final_go in {("go", go_last), ("py", py_last)}
    assert backend.stored is not None and backend.stored(sid)
    if backend.rows is not None:
        assert backend.rows(sid) == 1
