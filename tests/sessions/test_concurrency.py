"""Many threads and several processes saving to one FilesystemStore: no session is lost and no
file is ever torn (writes are temp file + fsync + os.replace)."""

from __future__ import annotations

import multiprocessing
import os
import threading
from pathlib import Path

from gorillacompat.sessions import FilesystemStore, parse_cookie_header

HASH = b"c" * 32


def _cookie(header: str) -> dict[str, str]:
    return parse_cookie_header(header.split(";", 1)[0])


def _worker(path: str, tag: str, rounds: int, out: list[tuple[str, dict[str, str]]]) -> None:
    store = FilesystemStore(path, HASH)
    s = store.new({}, "app")
    cookies: dict[str, str] = {}
    for i in range(rounds):
        s.values["owner"] = tag
        s.values["i"] = i
        s.values["pad"] = tag * 50
        cookies = _cookie(store.save(s))
        s = store.get(cookies, "app")
        assert s.error is None, s.error
        assert s.values["owner"] == tag and s.values["i"] == i
    out.append((tag, cookies))


def _process_main(path: str, tag: str, rounds: int, q: multiprocessing.Queue[object]) -> None:
    out: list[tuple[str, dict[str, str]]] = []
    _worker(path, tag, rounds, out)
    q.put(out[0])


def _check(path: Path, results: list[tuple[str, dict[str, str]]], rounds: int) -> None:
    store = FilesystemStore(path, HASH)
    for tag, cookies in results:
        s = store.get(cookies, "app")
        assert s.error is None and s.values["owner"] == tag and s.values["i"] == rounds - 1
    names = os.listdir(path)
    assert len(names) == len(results)
    assert all(n.startswith("session_") for n in names)  # no temp file left behind


def test_threads_share_a_directory(tmp_path: Path) -> None:
    results: list[tuple[str, dict[str, str]]] = []
    threads = [
        threading.Thread(target=_worker, args=(str(tmp_path), f"t{i}", 25, results)) for i in range(16)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 16
    _check(tmp_path, results, 25)


def test_readers_never_see_a_torn_file(tmp_path: Path) -> None:
    store = FilesystemStore(tmp_path, HASH)
    s = store.new({}, "app")
    s.values["v"] = "0" * 2000
    cookies = _cookie(store.save(s))
    stop = threading.Event()
    errors: list[object] = []

    def writer() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            s.values["v"] = str(n % 10) * 2000
            store.save(s)

    def reader() -> None:
        for _ in range(300):
            got = store.get(cookies, "app")
            if got.error is not None or len(set(got.values["v"])) != 1:
                errors.append(got.error or got.values["v"][:20])

    w = threading.Thread(target=writer)
    w.start()
    readers = [threading.Thread(target=reader) for _ in range(4)]
    for r in readers:
        r.start()
    for r in readers:
        r.join()
    stop.set()
    w.join()
    assert errors == []


def test_processes_share_a_directory(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    q: multiprocessing.Queue[object] = ctx.Queue()
    procs = [ctx.Process(target=_process_main, args=(str(tmp_path), f"p{i}", 20, q)) for i in range(4)]
    for p in procs:
        p.start()
    results = [q.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    _check(tmp_path, results, 20)  # type: ignore[arg-type]
