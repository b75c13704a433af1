"""The memcached adapter: bradleypeabody/gorilla-sessions-memcache items.

Layering: imports ``memcache`` (keys, exptime rule, value serializers, error mapping); speaks
memcached's text protocol on one socket, since listing keys and reading an item's remaining TTL
are commands pymemcache does not have.

A record is the item ``prefix + ID`` holding, per the store method, ``securecookie.EncodeMulti(name,
values)`` (Go's default), or the raw gob or JSON of the values (gsm ``save``); exptime from MaxAge.
Keys are listed with ``lru_crawler metadump hash`` (a walk of the hash table; ``metadump all``,
memcached >= 1.4.31, before 1.6, walks the LRUs and can miss items that are being moved), and
walked in sorted order, so a position is the last ID done. Reads pipeline ``mg <key> v t`` (value
and remaining TTL, memcached >= 1.6); writes ``set`` with the remaining lifetime (an absolute time
past 30 days, as the store does).

URL: ``memcache://host:11211?prefix=&store_method=securecookie|gob|json``.
"""

from __future__ import annotations

import math
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar
from urllib.parse import unquote_to_bytes

from ...memcache import STORE_METHODS, MemcacheResponseError, exptime, memcache_key
from ...memcache._core import parse_address
from ...memcache._errors import from_sync_client
from ...redistore import GobSerializer, JSONSerializer
from . import Envelope, Plain, Position, Record, Signed, Signing, URLOptions, option_choice, sorted_batches

__all__ = ["MemcacheBackend", "open_memcache"]

T = TypeVar("T")


class _Conn:
    """One memcached text-protocol connection: send lines, read lines and exact byte counts."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self) -> None:
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("memcached closed the connection")
        self.buf += chunk

    def line(self) -> bytes:
        while b"\r\n" not in self.buf:
            self._fill()
        out, self.buf = self.buf.split(b"\r\n", 1)
        return out

    def exact(self, n: int) -> bytes:
        while len(self.buf) < n + 2:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n + 2 :]
        return out

    def dump(self) -> bytes:
        """A ``metadump`` answer: ``key=… exp=…\n`` lines up to ``END``, or one error line."""
        while b"\n" not in self.buf:
            self._fill()
        if not self.buf.startswith((b"key=", b"END\r\n")):
            raise MemcacheResponseError(
                f"memcache: list keys: {self.line().decode(errors='replace')}", operation="list keys",
                hint="listing keys needs memcached >= 1.4.31 with its LRU crawler enabled",
            )  # fmt: skip
        while not (self.buf.startswith(b"END\r\n") or b"\nEND\r\n" in self.buf):
            self._fill()
        out, _, self.buf = self.buf.partition(b"END\r\n")
        return out

    def close(self) -> None:
        self.sock.close()


class MemcacheBackend:
    """gorilla-sessions-memcache items under one key prefix on one memcached."""

    key_field = "key"
    stores_expiry = True

    def __init__(
        self, conn: _Conn, address: str, envelope: Envelope, *, prefix: str, store_method: str
    ) -> None:
        self.conn = conn
        self.address = address
        self.prefix = prefix
        self.store_method = store_method
        self.envelope = envelope
        self.base = f"memcache://{address}#{prefix}"

    def describe(self) -> str:
        return f"memcache://{self.address} prefix={self.prefix!r} store_method={self.store_method}"

    def _io(self, operation: str, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except OSError as exc:
            raise from_sync_client(exc, operation) from exc

    def _ids(self) -> list[str]:
        def dump(walk: bytes) -> bytes:
            self.conn.send(b"lru_crawler metadump " + walk + b"\r\n")
            return self.conn.dump()

        try:
            text = self._io("list keys", lambda: dump(b"hash"))
        except MemcacheResponseError:  # before 1.6: no hash walk; the LRU walk can miss items in motion
            text = self._io("list keys", lambda: dump(b"all"))
        prefix = self.prefix.encode()
        ids = []
        for line in text.splitlines():
            key = unquote_to_bytes(line.split(b" ", 1)[0].removeprefix(b"key="))
            if key.startswith(prefix):
                ids.append(key[len(prefix) :].decode("utf-8", "surrogateescape"))
        return ids

    def count(self) -> int | None:
        return len(self._ids())

    def scan(self, batch: int, position: Position | None = None) -> Iterator[tuple[list[str], Position]]:
        return sorted_batches(self._ids(), batch, position)

    def read(self, ids: Sequence[str]) -> list[Record | None]:
        keys = [memcache_key(self.prefix, i) for i in ids]

        def get() -> list[tuple[bytes, int] | None]:
            self.conn.send(b"".join(b"mg " + k + b" v t\r\n" for k in keys))
            out: list[tuple[bytes, int] | None] = []
            for _ in keys:
                head = self.conn.line().split()
                if head[:1] == [b"EN"]:
                    out.append(None)
                    continue
                if head[:1] != [b"VA"]:
                    raise MemcacheResponseError(
                        f"memcache: load: {b' '.join(head).decode()}", operation="load"
                    )
                ttl = next(int(f[1:]) for f in head[2:] if f.startswith(b"t"))
                out.append((self.conn.exact(int(head[1])), ttl))
            return out

        now_ms = int(time.time() * 1000)
        found = self._io("load", get)
        return [
            None
            if got is None
            else Record(i, got[0], None if got[1] < 0 else now_ms + got[1] * 1000, self.prefix + i)
            for i, got in zip(ids, found, strict=True)
        ]

    def write(self, records: Sequence[Record]) -> None:
        now = time.time()
        lines = []
        for r in records:
            ttl = 0 if r.expires_ms is None else max(1, math.ceil(r.expires_ms / 1000 - now))
            exp = exptime(ttl, int(now))
            head = b"set %s 0 %d %d\r\n" % (memcache_key(self.prefix, r.id), exp, len(r.stored))
            lines.append(head + r.stored + b"\r\n")

        def send() -> list[bytes]:
            self.conn.send(b"".join(lines))
            return [self.conn.line() for _ in lines]

        for r, answer in zip(records, self._io("save", send), strict=True):
            if answer != b"STORED":
                raise MemcacheResponseError(f"memcache: save {r.id}: {answer.decode()}", operation="save")

    def delete(self, ids: Sequence[str]) -> int:
        keys = [memcache_key(self.prefix, i) for i in ids]

        def send() -> list[bytes]:
            self.conn.send(b"".join(b"delete " + k + b"\r\n" for k in keys))
            return [self.conn.line() for _ in keys]

        return sum(a == b"DELETED" for a in self._io("delete", send))

    def close(self) -> None:
        self.conn.close()


def open_memcache(url: str, signing: Signing) -> MemcacheBackend:
    """``memcache://host:port``; ``store_method`` securecookie (the default) needs the key flags."""
    opts = URLOptions(url, {"prefix": "", "store_method": "securecookie", "timeout": "10"})
    opts.reject_unknown()
    method = option_choice(opts, "store_method", STORE_METHODS)
    envelope: Envelope
    if method == "securecookie":
        envelope = Signed("gob", signing)
    else:
        envelope = Plain(method, GobSerializer() if method == "gob" else JSONSerializer())
    address = opts.parts.netloc or "127.0.0.1:11211"
    host, port = parse_address(address)
    try:
        conn = _Conn(host, port, float(opts.options["timeout"]))
    except OSError as exc:
        raise from_sync_client(exc, f"connect {address}") from exc
    return MemcacheBackend(conn, address, envelope, prefix=opts.options["prefix"], store_method=method)
