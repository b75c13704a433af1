"""The Redis adapter: boj/redistore records (v1 and v2 write the same), rbcervilla's too.

Layering: imports redis-py and ``redistore`` (serializers, error mapping).

A record is key ``prefix + ID`` holding the serialized values, not signed (boj/redistore
``save``: ``SETEX``). Reads pipeline ``GET`` + ``PTTL``; writes use ``SET … PX`` with the remaining
lifetime to the millisecond (no expiry stays none). ``SCAN`` runs per node on a Cluster, so a
position is the cursor of each node.

URL: ``redis://[:password@]host:port/db?prefix=session_&serializer=gob`` (``rediss://``, ``unix://``;
``redis+cluster://`` for a Cluster); other query options go to redis-py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import redis

from ...redistore import GobSerializer, JSONSerializer
from ...redistore._errors import from_redis
from . import BackendURLError, Plain, Position, Record, Serializer, Signing, URLOptions, option_choice, redact

__all__ = ["RedisBackend", "open_redis"]

_SERIALIZERS: dict[str, Callable[[], Serializer]] = {"gob": GobSerializer, "json": JSONSerializer}


def connect(url: str, cluster: bool) -> Any:
    """A client that has answered (a Cluster client learns the slots on creation)."""
    try:
        if cluster:
            return redis.RedisCluster.from_url(url, socket_timeout=30, socket_connect_timeout=10)
        client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
        client.ping()
        return client
    except ValueError as exc:  # redis-py's URL parser
        raise BackendURLError(f"{redact(url)}: {exc}") from exc
    except Exception as exc:  # RedisClusterUnreachableError is no RedisError
        raise from_redis(exc, "PING", "", redact(url)) from exc


def _glob_escape(prefix: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in prefix)


def _text(k: bytes | str) -> str:
    return k.decode("utf-8", "surrogateescape") if isinstance(k, bytes) else k


def _run(pipe: Any, what: str) -> list[Any]:
    try:
        return list(pipe.execute(raise_on_error=False))
    except (redis.RedisError, OSError) as exc:
        raise from_redis(exc, what, "") from exc


class RedisBackend:
    """boj/redistore's records under one key prefix on a Redis server or Cluster."""

    key_field = "key"
    stores_expiry = True

    def __init__(self, client: Any, url: str, *, prefix: str = "session_", serializer: str = "gob") -> None:
        self.client = client
        self.url = url
        self.prefix = prefix
        self.envelope = Plain(serializer, _SERIALIZERS[serializer]())
        self.base = f"{redact(url).split('?', 1)[0].rstrip('/')}#{prefix}"

    def describe(self) -> str:
        return f"{redact(self.url)} prefix={self.prefix!r} serializer={self.envelope.serializer_name}"

    def _nodes(self) -> list[tuple[str, Any]]:
        """The clients to SCAN: the server, or each Cluster primary (SCAN is per node)."""
        if isinstance(self.client, redis.RedisCluster):
            cluster: Any = self.client
            primaries = sorted(cluster.get_primaries(), key=lambda n: n.name)
            return [(n.name, cluster.get_redis_connection(n)) for n in primaries]
        return [("single", self.client)]

    def scan(self, batch: int, position: Position | None = None) -> Iterator[tuple[list[str], Position]]:
        """``SCAN`` each node; the position maps node name → next cursor (-1: node done)."""
        state = dict(position or {})
        match = _glob_escape(self.prefix) + "*"
        for name, node in self._nodes():
            cur = state.get(name, 0)
            if cur == -1:
                continue
            while True:
                try:
                    cur, keys = node.scan(cur, match=match, count=batch)
                except (redis.RedisError, OSError) as exc:
                    raise from_redis(exc, "SCAN", self.prefix, name) from exc
                cur = int(cur)
                state[name] = cur if cur != 0 else -1
                yield [_text(k)[len(self.prefix) :] for k in keys], dict(state)
                if cur == 0:
                    break

    def count(self) -> int | None:
        return sum(len(ids) for ids, _ in self.scan(1000))

    def read(self, ids: Sequence[str]) -> list[Record | None]:
        pipe = self.client.pipeline(transaction=False)
        for i in ids:
            pipe.get(self.prefix + i)
            pipe.pttl(self.prefix + i)
        res = _run(pipe, "GET")
        now_ms = int(time.time() * 1000)
        out: list[Record | None] = []
        for n, i in enumerate(ids):
            raw, pttl = res[2 * n], res[2 * n + 1]
            for r in (raw, pttl):
                if isinstance(r, Exception):
                    raise from_redis(r, "GET", self.prefix + i)
            if not isinstance(raw, bytes) or int(pttl) in (-2, 0):  # gone, or expiring this ms
                out.append(None)
                continue
            expires = None if int(pttl) < 0 else now_ms + int(pttl)
            out.append(Record(i, raw, expires, self.prefix + i))
        return out

    def write(self, records: Sequence[Record]) -> None:
        pipe = self.client.pipeline(transaction=False)
        now_ms = int(time.time() * 1000)
        for r in records:
            if r.expires_ms is None:
                pipe.set(self.prefix + r.id, r.stored)
            else:
                pipe.set(self.prefix + r.id, r.stored, px=max(1, r.expires_ms - now_ms))
        for r, res in zip(records, _run(pipe, "SET"), strict=True):
            if isinstance(res, Exception):
                raise from_redis(res, "SET", self.prefix + r.id)

    def delete(self, ids: Sequence[str]) -> int:
        pipe = self.client.pipeline(transaction=False)
        for i in ids:
            pipe.delete(self.prefix + i)
        n = 0
        for i, res in zip(ids, _run(pipe, "DEL"), strict=True):
            if isinstance(res, Exception):
                raise from_redis(res, "DEL", self.prefix + i)
            n += int(res)
        return n

    def close(self) -> None:
        self.client.close()


def open_redis(url: str, signing: Signing) -> RedisBackend:
    """``redis://…``, ``rediss://…``, ``unix://…`` or ``redis+cluster://…`` (signing is unused)."""
    opts = URLOptions(url, {"prefix": "session_", "serializer": "gob"})
    serializer = option_choice(opts, "serializer", _SERIALIZERS)
    scheme = opts.parts.scheme.lower()
    cluster = scheme.endswith("+cluster")
    plain_url = opts.passed_on(scheme=scheme.removesuffix("+cluster"))
    return RedisBackend(
        connect(plain_url, cluster), plain_url, prefix=opts.options["prefix"], serializer=serializer
    )
