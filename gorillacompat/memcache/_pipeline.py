"""A pipelined asyncio memcached client: ``get``, ``set`` and ``delete`` of the text protocol.

Layering: imports ``_errors`` and ``_protocol`` (the commands and the answers' checks); the async
store's only I/O when made from an address.

Why not aiomcache for the store made from an address: aiomcache sends one command per connection
and waits for its answer, and a timeout needs a task per command. At 16 concurrent requests that
cost the event loop twice Go's CPU per request. Here every task's command goes on one shared
connection, the commands queued during one loop turn leave in one write, and memcached answers in
order. So a waiter that gave up (cancelled) just drops its answer, the connection stays in step,
and no answer can reach the wrong request. One timer per connection bounds every command: when the
oldest one is late, the connection is dropped with all it carries (the server is hung; gomemcache
also drops a connection that timed out), and the next command reconnects.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Final

from ._errors import ReplyError
from ._protocol import GET, LINE, delete_command, get_command, out_of_step, parse_answer, set_command, status

__all__ = ["PIPELINE_DEPTH", "PipelinedClient"]

#: Commands in flight on a connection before another one is opened (up to ``connections``).
PIPELINE_DEPTH: Final = 32

_Waiter = tuple["asyncio.Future[bytes | None]", int, bytes, float]  # future, kind, key, deadline


class _Connection(asyncio.Protocol):
    """One connection: commands out in order, answers matched to waiters in the same order."""

    def __init__(self, client: PipelinedClient) -> None:
        self._client = client
        self._loop = asyncio.get_running_loop()
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._waiters: deque[_Waiter] = deque()
        self._outgoing: list[bytes] = []
        self._timer: asyncio.TimerHandle | None = None
        self.lost: asyncio.Future[None] = self._loop.create_future()

    @property
    def pending(self) -> int:
        return len(self._waiters)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def send(self, command: bytes, kind: int, key: bytes) -> asyncio.Future[bytes | None]:
        """Queue a command; its answer (``get``: the value or None; else the line) comes back
        in the future. Commands queued during one loop turn are written together."""
        fut: asyncio.Future[bytes | None] = self._loop.create_future()
        if not self._outgoing:
            self._loop.call_soon(self._flush)
        self._outgoing.append(command)
        self._waiters.append((fut, kind, key, self._loop.time() + self._client.timeout))
        if self._timer is None:
            self._arm()
        return fut

    def _flush(self) -> None:
        if self._transport is not None and self._outgoing:
            self._transport.write(b"".join(self._outgoing))
        self._outgoing.clear()

    # -- timeouts ----------------------------------------------------------------------------------

    def _arm(self) -> None:
        self._timer = self._loop.call_at(self._waiters[0][3], self._check_deadline)

    def _check_deadline(self) -> None:
        self._timer = None
        if not self._waiters:
            return
        if self._waiters[0][3] <= self._loop.time():
            self._drop(TimeoutError(f"memcached did not answer within {self._client.timeout} s"))
        else:
            self._arm()

    # -- answers -----------------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        buf = self._buffer
        buf += data
        pos = 0
        waiters = self._waiters
        try:
            while waiters:
                fut, kind, key, _ = waiters[0]
                parsed = parse_answer(buf, pos, kind, key, self._client.max_value)
                if parsed is None:
                    break
                answer, pos = parsed
                waiters.popleft()
                if not fut.done():  # a cancelled waiter drops its answer
                    if isinstance(answer, ReplyError):
                        fut.set_exception(answer)
                    else:
                        fut.set_result(answer)
                if out_of_step(answer):
                    raise ConnectionResetError("memcached did not understand a command")
            if pos:
                del buf[:pos]
            if not waiters and buf:
                raise ConnectionResetError("memcached sent an answer nobody asked for")
        except ConnectionResetError as exc:
            self._drop(exc)

    # -- closing -----------------------------------------------------------------------------------

    def _drop(self, exc: BaseException) -> None:
        """Fail every waiter with ``exc`` and close the connection."""
        self._fail_all(exc)
        if self._transport is not None:
            self._transport.abort()

    def _fail_all(self, exc: BaseException) -> None:
        self._client.forget(self)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._outgoing.clear()
        while self._waiters:
            fut = self._waiters.popleft()[0]
            if not fut.done():
                fut.set_exception(exc)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def abandon(self) -> None:
        """Close from outside its loop (the client moved to another one). A closed loop cannot
        close it any more: asyncio then warns about the transport when it is collected."""
        if self._transport is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._transport.abort)

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail_all(exc or ConnectionResetError("memcached closed the connection"))
        if not self.lost.done():
            self.lost.set_result(None)


class PipelinedClient:
    """memcached at ``host:port`` for one event loop, over at most ``connections`` connections.

    Every command is bounded by ``timeout`` seconds (connecting too). Errors: ``TimeoutError``,
    ``OSError`` (cannot connect, connection lost) and ``ReplyError`` (memcached's error line).
    ``max_value`` bounds the size of a value it will read.
    """

    def __init__(self, host: str, port: int, *, timeout: float, connections: int, max_value: int) -> None:
        if connections < 1:
            raise ValueError("connections must be at least 1")
        self.host = host
        self.port = port
        self.timeout = timeout
        self.max_value = max_value
        self._max = connections
        self._conns: list[_Connection] = []
        self._opening: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def forget(self, conn: _Connection) -> None:
        if conn in self._conns:
            self._conns.remove(conn)

    def _pick(self) -> _Connection | None:
        """A connection with room in its pipeline, else the least busy one when no more may be
        opened; None: open one (also after a move to another event loop: its connections are
        left to the old one, closed)."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            for conn in self._conns:
                conn.abandon()
            self._conns, self._opening, self._loop = [], None, loop
            return None
        for conn in self._conns:
            if conn.pending < PIPELINE_DEPTH:
                return conn
        if self._conns and len(self._conns) >= self._max:
            return min(self._conns, key=lambda c: c.pending)
        return None

    async def _connection(self) -> _Connection:
        conn = self._pick()
        if conn is not None:
            return conn
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:  # one connect at a time; the others may find it has room
            conn = self._pick()
            if conn is not None:
                return conn
            loop = asyncio.get_running_loop()
            _, opened = await asyncio.wait_for(
                loop.create_connection(lambda: _Connection(self), self.host, self.port), self.timeout
            )
            self._conns.append(opened)
            return opened

    async def get(self, key: bytes) -> bytes | None:
        """The value of ``key``, or None when memcached has none."""
        conn = self._pick() or await self._connection()
        return await conn.send(get_command(key), GET, key)

    async def set(self, key: bytes, value: bytes, exptime: int) -> bool:
        """``set key 0 exptime``: True when memcached answered STORED, False for NOT_STORED."""
        conn = self._pick() or await self._connection()
        return status(await conn.send(set_command(key, value, exptime), LINE, key), b"STORED", b"NOT_STORED")

    async def delete(self, key: bytes) -> bool:
        """True when memcached answered DELETED, False for NOT_FOUND."""
        conn = self._pick() or await self._connection()
        return status(await conn.send(delete_command(key), LINE, key), b"DELETED", b"NOT_FOUND")

    async def close(self) -> None:
        """Close every connection (commands in flight fail with ``ConnectionResetError``)."""
        conns, self._conns = self._conns, []
        if self._loop is not asyncio.get_running_loop():
            for conn in conns:
                conn.abandon()
            return
        for conn in conns:
            conn.close()
        if conns:
            await asyncio.wait([conn.lost for conn in conns], timeout=self.timeout)
