"""Reuse the loopback Redis fixtures of tests/redistore (a real redis-server on 127.0.0.1), plus a
Redis Cluster of the test's own whose slots the test may move between masters."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.redistore.conftest import Cluster, RedisProc, start_cluster_nodes, wait_until
from tests.redistore.conftest import redis_server as redis_server

__all__ = ["MovableCluster", "own_cluster", "redis_server", "start_cluster"]


def _text(reply: object) -> str:
    return reply.decode() if isinstance(reply, bytes) else str(reply)


class MovableCluster(Cluster):
    """A loopback Cluster (masters only) with helpers to move slots the way operators do.

    ``migrate_slot`` is the manual resharding sequence (what ``redis-cli --cluster reshard`` does
    per slot): ``SETSLOT IMPORTING`` on the target, ``SETSLOT MIGRATING`` on the source, ``MIGRATE``
    the keys in batches, then ``SETSLOT NODE`` on every master. While the slot is half-moved,
    clients get ``ASK`` for keys already on the target (and for new keys); afterwards ``MOVED``.
    """

    def __init__(self, nodes: list[RedisProc]) -> None:
        super().__init__(nodes)
        self._admin = {n.port: n.client() for n in nodes}
        self.ids = {n.port: _text(self._admin[n.port].execute_command("CLUSTER", "MYID")) for n in nodes}

    def admin(self, node: RedisProc) -> redis.Redis:
        return self._admin[node.port]

    def owner(self, slot: int) -> RedisProc:
        """The master that owns ``slot`` (as the first node sees it)."""
        for start, end, master, *_ in self.admin(self.nodes[0]).execute_command("CLUSTER", "SLOTS"):
            if int(start) <= slot <= int(end):
                port = int(master[1])
                return next(n for n in self.nodes if n.port == port)
        raise LookupError(f"slot {slot} is not covered")

    def migrate_slot(self, slot: int, dst: RedisProc, *, batch: int = 10, pause: float = 0.0) -> int:
        """Move ``slot`` to ``dst`` with the manual sequence; returns the number of keys moved.

        ``pause`` seconds are slept after MIGRATING is set and after each ``MIGRATE`` batch, to
        hold the slot half-moved (ASK redirects) while clients keep working.
        """
        src = self.owner(slot)
        if src.port == dst.port:
            return 0
        s, d = self.admin(src), self.admin(dst)
        d.execute_command("CLUSTER", "SETSLOT", slot, "IMPORTING", self.ids[src.port])
        s.execute_command("CLUSTER", "SETSLOT", slot, "MIGRATING", self.ids[dst.port])
        moved = 0
        time.sleep(pause)
        while True:
            keys = s.execute_command("CLUSTER", "GETKEYSINSLOT", slot, batch)
            if not keys:
                break
            s.execute_command("MIGRATE", "127.0.0.1", dst.port, "", 0, 5000, "KEYS", *keys)
            moved += len(keys)
            time.sleep(pause)
        # Target first, then source, then the rest (the order redis-cli uses).
        d.execute_command("CLUSTER", "SETSLOT", slot, "NODE", self.ids[dst.port])
        s.execute_command("CLUSTER", "SETSLOT", slot, "NODE", self.ids[dst.port])
        for n in self.nodes:
            if n.port not in (src.port, dst.port):
                self.admin(n).execute_command("CLUSTER", "SETSLOT", slot, "NODE", self.ids[dst.port])
        return moved

    def reshard(self, src: RedisProc, dst: RedisProc, slots: int, timeout: float = 30) -> None:
        """``redis-cli --cluster reshard`` of ``slots`` slots from ``src`` to ``dst``."""
        subprocess.run(
            ["redis-cli", "--cluster", "reshard", dst.addr,
             "--cluster-from", self.ids[src.port], "--cluster-to", self.ids[dst.port],
             "--cluster-slots", str(slots), "--cluster-yes", "--cluster-pipeline", "10"],
            check=True, capture_output=True, timeout=timeout,
        )  # fmt: skip

    def wait_stable(self, timeout: float = 15) -> None:
        """Every node says ``cluster_state:ok`` and all slots assigned, none open."""

        def ok() -> bool:
            for n in self.nodes:
                info = _text(self.admin(n).execute_command("CLUSTER", "INFO"))
                if "cluster_state:ok" not in info or "cluster_slots_assigned:16384" not in info:
                    return False
                nodes = _text(self.admin(n).execute_command("CLUSTER", "NODES"))
                if "->-" in nodes or "-<-" in nodes:  # an importing/migrating slot is still open
                    return False
            return True

        wait_until(ok, timeout, "a stable cluster (state ok, no open slots)")

    def close_admin(self) -> None:
        for c in self._admin.values():
            c.close()


def start_cluster(base: Path, masters: int = 3) -> MovableCluster:
    """A Cluster of the caller's own (tests/redistore's setup), so a test may disturb it.

    The caller stops it with ``stop_cluster``.
    """
    nodes = start_cluster_nodes(base, masters)
    try:
        cluster = MovableCluster(nodes)
    except BaseException:
        for n in nodes:
            n.stop()
        raise
    try:
        cluster.wait_stable(30)
    except BaseException:
        stop_cluster(cluster)
        raise
    return cluster


def stop_cluster(cluster: MovableCluster) -> None:
    cluster.close_admin()
    for n in cluster.nodes:
        n.stop()


@pytest.fixture
def own_cluster(tmp_path: Path) -> Iterator[MovableCluster]:
    """A 3-master loopback Cluster of the test's own: it may move slots; stopped afterwards."""
    cluster = start_cluster(tmp_path / "cluster")
    try:
        yield cluster
    finally:
        stop_cluster(cluster)
