"""RedisStore under faults (issue 8): a stalled network, a killed and restarted server.

- Stall: a loopback TCP proxy between store and Redis stops forwarding. Every call raises
  ``RedisTimeoutError`` within ``socket_timeout`` (no hang); once the proxy forwards again the same
  store works. A save that timed out has an unknown outcome (Redis may still apply the one
  ``SETEX`` later), but the record is never torn: it is the old value or the new one.
- Kill -9 and restart: calls raise ``RedisConnectionError`` while the server is down and work
  again afterwards with the same store. With ``appendfsync always`` an acknowledged save
  survives the crash. tests/redistore/test_load.py covers the same under concurrent load.
- Sentinel failover: tests/redistore/test_cluster_sentinel.py
  ``test_sentinel_failover_loses_no_acknowledged_save``. Cluster slot moves are in test_cluster_slot_moves.py.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from pathlib import Path

import pytest

from gorillacompat.redistore import AsyncRedisStore, RedisConnectionError, RedisStore, RedisTimeoutError
from gorillacompat.sessions import parse_cookie_header
from tests.redistore.conftest import KEYS, RedisProc, _require, free_port

TIMEOUT = 0.5
#: A call must give up within this (socket_timeout plus scheduling slack): no hang.
BOUND = 3.0


class StallingProxy:
    """127.0.0.1:port → target, forwarding both ways until ``stall()``; ``resume()`` forwards again."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port: int = self.listener.getsockname()[1]
        self.forwarding = threading.Event()
        self.forwarding.set()
        self.closed = threading.Event()
        self.socks: list[socket.socket] = []
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self) -> None:
        self.listener.settimeout(0.1)
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=2)
            except OSError:
                client.close()
                continue
            self.socks += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                t = threading.Thread(target=self._pump, args=(a, b), daemon=True)
                t.start()
                self.threads.append(t)

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        src.settimeout(0.05)
        while not self.closed.is_set():
            if not self.forwarding.is_set():
                time.sleep(0.01)  # stalled: read nothing, send nothing
                continue
            try:
                data = src.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not data:
                break
            while not self.forwarding.is_set() and not self.closed.is_set():
                time.sleep(0.01)  # stalled mid-read: hold the bytes, as a stalled network does
            try:
                dst.sendall(data)
            except OSError:
                break
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stall(self) -> None:
        self.forwarding.clear()

    def resume(self) -> None:
        self.forwarding.set()

    def close(self) -> None:
        self.closed.set()
        self.forwarding.set()
        self.listener.close()
        for s in self.socks:
            s.close()
        for t in self.threads:
            t.join(2)


def _cookie(header: str) -> dict[str, str]:
    return parse_cookie_header(header.split(";", 1)[0])


@pytest.fixture
def proxy(redis_server: RedisProc) -> StallingProxy:
    p = StallingProxy(redis_server.port)
    yield p  # type: ignore[misc]
    p.close()


def _timed(fn: object) -> tuple[BaseException | None, float]:
    t0 = time.monotonic()
    try:
        fn()  # type: ignore[operator]
    except Exception as exc:
        return exc, time.monotonic() - t0
    return None, time.monotonic() - t0


def test_issue_8_stalled_redis_gives_a_typed_timeout_and_recovers(proxy: StallingProxy) -> None:
    url = f"redis://127.0.0.1:{proxy.port}/0"
    store = RedisStore(
        url, *KEYS, key_prefix="fault_stall_", socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
    )
    s = store.new({}, "session")
    s.values["v"] = "old"
    cookies = _cookie(store.save(s))
    assert store.get(cookies, "session").values["v"] == "old"

    proxy.stall()
    exc, took = _timed(lambda: store.get(cookies, "session"))
    assert isinstance(exc, RedisTimeoutError), repr(exc)
    assert exc.command == "GET" and took < BOUND
    s.values["v"] = "new"
    exc, took = _timed(lambda: store.save(s))
    assert isinstance(exc, RedisTimeoutError), repr(exc)
    assert exc.command == "SETEX" and took < BOUND
    assert "socket_timeout" in exc.hint

    proxy.resume()
    # The same store object works again; the timed-out SETEX may or may not have landed.
    deadline = time.monotonic() + 5
    while True:
        try:
            got = store.get(cookies, "session").values["v"]
            break
        except RedisConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    assert got in ("old", "new")
    s.values["v"] = "after"
    store.save(s)
    assert store.get(cookies, "session").values["v"] == "after"
    store.close()


def test_issue_8_stalled_redis_async(proxy: StallingProxy) -> None:
    async def run() -> None:
        url = f"redis://127.0.0.1:{proxy.port}/0"
        store = AsyncRedisStore(
            url, *KEYS, key_prefix="fault_astall_", socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
        )
        s = await store.new({}, "session")
        s.values["v"] = 1
        cookies = _cookie(await store.save(s))
        proxy.stall()
        t0 = time.monotonic()
        with pytest.raises(RedisTimeoutError):
            await asyncio.wait_for(store.get(cookies, "session"), BOUND * 2)
        assert time.monotonic() - t0 < BOUND
        proxy.resume()
        for _ in range(100):
            try:
                assert (await store.get(cookies, "session")).values["v"] == 1
                break
            except RedisConnectionError:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("the async store did not recover")
        await store.close()

    asyncio.run(run())


def test_issue_8_redis_killed_and_restarted(tmp_path: Path) -> None:
    _require("redis-server")
    # appendfsync always: an acknowledged SETEX is on disk before Redis answers.
    srv = RedisProc(tmp_path / "r", free_port(), "--appendonly", "yes", "--appendfsync", "always")
    srv.start()
    try:
        store = RedisStore(srv.url, *KEYS, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
        s = store.new({}, "session")
        s.values["v"] = "kept"
        cookies = _cookie(store.save(s))

        srv.kill()
        exc, took = _timed(lambda: store.get(cookies, "session"))
        assert isinstance(exc, RedisConnectionError), repr(exc)
        assert took < BOUND
        s2 = store.new({}, "session")
        s2.values["v"] = "lost"
        exc, took = _timed(lambda: store.save(s2))
        assert isinstance(exc, RedisConnectionError) and took < BOUND, repr(exc)

        srv.start()  # same port, same directory: the AOF is replayed
        got = store.get(cookies, "session")
        assert got.error is None and got.values["v"] == "kept" and not got.is_new
        s.values["v"] = "again"
        store.save(s)
        assert store.get(cookies, "session").values["v"] == "again"
        store.close()
    finally:
        srv.stop()
