"""Loopback Redis servers for the redistore tests: single, Cluster (3 masters), Sentinel.

Every server is a real ``redis-server`` from the OS on 127.0.0.1, on a free port, in a temp dir,
started and stopped by these fixtures with bounded waits; nothing is left running. With CI=true a
missing ``redis-server``/``redis-sentinel``/``redis-cli`` is a failure, elsewhere a skip.
"""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.conftest import STORE_KEYS_HEX, GoStore, Harness, _need, running

KEYS_HEX = STORE_KEYS_HEX  # hash key, block key (AES-256)
KEYS = [bytes.fromhex(k) for k in KEYS_HEX]

_used_ports: set[int] = set()


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(cluster_bus: bool = False) -> int:
    """A free loopback port (and port+10000 free too when ``cluster_bus``)."""
    for _ in range(500):
        port = random.randint(20000, 29999)
        if port in _used_ports:
            continue
        if _port_free(port) and (not cluster_bus or _port_free(port + 10000)):
            _used_ports.add(port)
            return port
    raise RuntimeError("no free loopback port found")


def wait_until(pred: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            if pred():
                return
        except Exception as exc:
            last = exc
        time.sleep(0.05)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what} (last error: {last!r})")


class RedisProc:
    """One redis-server (or redis-sentinel) process on 127.0.0.1:port."""

    def __init__(self, workdir: Path, port: int, *args: str, sentinel: bool = False) -> None:
        self.workdir = workdir
        self.port = port
        self.args = list(args)
        self.sentinel = sentinel
        self.proc: subprocess.Popen[bytes] | None = None
        workdir.mkdir(parents=True, exist_ok=True)

    @property
    def addr(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self, **kw: Any) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5, **kw)

    def start(self, timeout: float = 15) -> None:
        if self.sentinel:
            conf = self.workdir / "sentinel.conf"
            cmd = ["redis-sentinel", str(conf)]
        else:
            cmd = [
                "redis-server",
                "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", str(self.workdir), "--protected-mode", "no", *self.args,
            ]  # fmt: skip
        log = open(self.workdir / "server.log", "ab")
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir)
        log.close()
        c = self.client()
        try:
            wait_until(lambda: c.ping(), timeout, f"redis on {self.addr}")
        finally:
            c.close()

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None

    def remove(self) -> None:
        """``stop`` (the work directory is the caller's)."""
        self.stop()

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(5)
            self.proc = None


def _require(*tools: str) -> None:
    for t in tools:
        if shutil.which(t) is None:
            _need(t)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisProc]:
    """One redis-server shared by the session (tests use distinct key prefixes or flush)."""
    _require("redis-server")
    with running(RedisProc(tmp_path_factory.mktemp("redis"), free_port())) as srv:
        yield srv


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisProc]:
    """A redis-server of the test's own, which it may kill and restart."""
    _require("redis-server")
    srv = RedisProc(tmp_path / "redis", free_port())
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


class Cluster:
    def __init__(self, nodes: list[RedisProc]) -> None:
        self.nodes = nodes

    @property
    def addrs(self) -> list[str]:
        return [n.addr for n in self.nodes]

    def client(self, **kw: Any) -> redis.RedisCluster:
        return redis.RedisCluster(host="127.0.0.1", port=self.nodes[0].port, socket_timeout=5, **kw)


def start_cluster_nodes(base: Path, masters: int = 3) -> list[RedisProc]:
    """``masters`` redis-servers formed into a Cluster with ``redis-cli --cluster create``, ready.

    The caller stops the nodes; on failure here they are stopped already.
    """
    _require("redis-server", "redis-cli")
    nodes: list[RedisProc] = []
    try:
        for i in range(masters):
            port = free_port(cluster_bus=True)
            node = RedisProc(
                base / f"n{i}", port, "--cluster-enabled", "yes",
                "--cluster-config-file", str(base / f"n{i}" / "nodes.conf"),
                "--cluster-node-timeout", "2000",
            )  # fmt: skip
            nodes.append(node)
            node.start()
        subprocess.run(
            ["redis-cli", "--cluster", "create", *[n.addr for n in nodes],
             "--cluster-replicas", "0", "--cluster-yes"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip

        def ready() -> bool:
            for n in nodes:
                c = n.client()
                try:
                    info = c.execute_command("CLUSTER", "INFO")
                finally:
                    c.close()
                text = info.decode() if isinstance(info, bytes) else str(info)
                if "cluster_state:ok" not in text or "cluster_slots_assigned:16384" not in text:
                    return False
            return True

        wait_until(ready, 30, "cluster_state:ok on every node")
        return nodes
    except BaseException:
        for n in nodes:
            n.stop()
        raise


@pytest.fixture(scope="session")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Three redis-server masters formed into a Cluster with ``redis-cli --cluster create``."""
    nodes = start_cluster_nodes(tmp_path_factory.mktemp("cluster"))
    try:
        yield Cluster(nodes)
    finally:
        for n in nodes:
            n.stop()


class SentinelSetup:
    def __init__(self, master: RedisProc, replica: RedisProc, sentinel: RedisProc) -> None:
        self.master = master
        self.replica = replica
        self.sentinel = sentinel
        self.name = "mymaster"

    @property
    def sentinel_addrs(self) -> list[str]:
        return [self.sentinel.addr]

    def sentinel_client(self, **kw: Any) -> redis.Sentinel:
        return redis.Sentinel([("127.0.0.1", self.sentinel.port)], socket_timeout=5, **kw)

    def master_addr(self) -> tuple[str, int]:
        s = self.sentinel.client()
        try:
            host, port = s.execute_command("SENTINEL", "get-master-addr-by-name", self.name)
        finally:
            s.close()
        return host.decode(), int(port)

    def stop(self) -> None:
        for p in (self.sentinel, self.replica, self.master):
            p.stop()


def start_sentinel_setup(base: Path) -> SentinelSetup:
    """One master, one replica, one redis-sentinel monitoring them (quorum 1, fast timeouts)."""
    _require("redis-server", "redis-sentinel")
    master = RedisProc(base / "master", free_port())
    master.start()
    replica = RedisProc(base / "replica", free_port(), "--replicaof", "127.0.0.1", str(master.port))
    replica.start()
    sport = free_port()
    sentinel = RedisProc(base / "sentinel", sport, sentinel=True)
    (base / "sentinel" / "sentinel.conf").write_text(
        f"port {sport}\nbind 127.0.0.1\nprotected-mode no\ndir {base / 'sentinel'}\n"
        f"sentinel monitor mymaster 127.0.0.1 {master.port} 1\n"
        "sentinel down-after-milliseconds mymaster 1000\n"
        "sentinel failover-timeout mymaster 5000\n"
    )
    setup = SentinelSetup(master, replica, sentinel)
    try:
        sentinel.start()

        def replica_known() -> bool:
            s = sentinel.client()
            try:
                reps = s.execute_command("SENTINEL", "REPLICAS", "mymaster")
            finally:
                s.close()
            return bool(reps)

        def replica_synced() -> bool:
            info = replica.client().info("replication")
            return bool(info.get("master_link_status") == "up")

        wait_until(replica_synced, 20, "replica link up")
        wait_until(replica_known, 20, "sentinel to discover the replica")
    except BaseException:
        setup.stop()
        raise
    return setup


@pytest.fixture(scope="session")
def redis_sentinel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SentinelSetup]:
    setup = start_sentinel_setup(tmp_path_factory.mktemp("sentinel"))
    try:
        yield setup
    finally:
        setup.stop()


@pytest.fixture
def own_sentinel(tmp_path: Path) -> Iterator[SentinelSetup]:
    """A Sentinel setup of the test's own (for failovers)."""
    setup = start_sentinel_setup(tmp_path)
    try:
        yield setup
    finally:
        setup.stop()


class GoStores(GoStore):
    """The real Go stores via go-harness ``decode`` kinds redis_save / redis_load / redis_delete."""

    def run(self, *reqs: dict[str, Any]) -> list[dict[str, Any]]:
        return self.calls(*reqs)

    def one(self, **req: Any) -> dict[str, Any]:
        return self.call(**req)


@pytest.fixture(scope="session")
def go_stores(harness: Harness) -> GoStores:
    return GoStores(harness)
