"""A pipelined asyncio memcached client: ``get``, ``set`` and ``delete`` of the text protocol.

Layering: imports nothing from the package but ``_errors``; the async store's only I/O.

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

__all__ = ["PIPELINE_DEPTH", "PipelinedClient"]

#: Commands in flight on a connection before another one is opened (up to ``connections``).
PIPELINE_DEPTH: Final = 32

_GET: Final = 0  # answer: VALUE <key> <flags> <bytes>\r\n<data>\r\nEND\r\n, or END\r\n
_LINE: Final = 1  # answer: one line (STORED, DELETED, NOT_FOUND, ...)
_END: Final = b"END\r\n"
_VALUE_END: Final = b"\r\nEND\r\n"
#: Answers after which the stream cannot be trusted: the command itself was not understood.
_DESYNC: Final = (b"ERROR", b"CLIENT_ERROR")
_ERRORS: Final = (b"SERVER_ERROR", *_DESYNC)
#: Longer than any answer line (a VALUE line holds a key of at most 250 bytes).
_MAX_LINE: Final = 1024
#: The one-line answers of set and delete.
_STATUS: Final = frozenset((b"STORED", b"NOT_STORED", b"EXISTS", b"NOT_FOUND", b"DELETED"))

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
                eol = buf.find(b"\r\n", pos)
                if eol < 0:
                    if len(buf) - pos > _MAX_LINE:
                        raise ConnectionResetError("memcached sent a line longer than any answer")
                    break
                if kind == _GET and buf.startswith(b"VALUE ", pos):
                    end = self._value_end(buf, pos, eol, key)
                    if len(buf) < end + len(_VALUE_END):
                        break
                    if buf[end : end + len(_VALUE_END)] != _VALUE_END:
                        raise ConnectionResetError("memcached sent a value without END")
                    answer: bytes | None | ReplyError = bytes(buf[eol + 2 : end])
                    pos = end + len(_VALUE_END)
                else:
                    line = bytes(buf[pos:eol])
                    pos = eol + 2
                    answer = self._line_answer(kind, line)
                waiters.popleft()
                if not fut.done():  # a cancelled waiter drops its answer
                    if isinstance(answer, ReplyError):
                        fut.set_exception(answer)
                    else:
                        fut.set_result(answer)
                if isinstance(answer, ReplyError) and answer.line.startswith(_DESYNC):
                    raise ConnectionResetError("memcached did not understand a command")
            if pos:
                del buf[:pos]
            if not waiters and buf:
                raise ConnectionResetError("memcached sent an answer nobody asked for")
        except ConnectionResetError as exc:
            self._drop(exc)

    def _value_end(self, buf: bytearray, pos: int, eol: int, key: bytes) -> int:
        """Where the data of ``VALUE <key> <flags> <bytes>`` ends; checks the header."""
        parts = bytes(buf[pos:eol]).split(b" ")
        if len(parts) != 4 or parts[1] != key or not parts[2].isdigit() or not parts[3].isdigit():
            raise ConnectionResetError("memcached sent a malformed VALUE line")
        size = int(parts[3])
        if size > self._client.max_value:
            raise ConnectionResetError(f"memcached sent a {size}-byte value (limit {self._client.max_value})")
        return eol + 2 + size

    @staticmethod
    def _line_answer(kind: int, line: bytes) -> bytes | None | ReplyError:
        """The answer of a one-line reply; a line the command cannot get means the stream is out
        of step (ConnectionResetError: every waiter fails, the connection closes)."""
        if line.startswith(_ERRORS):
            return ReplyError(line)
        if kind == _GET and line == _END[:-2]:
            return None
        if kind == _LINE and line in _STATUS:
            return line
        raise ConnectionResetError("memcached sent an answer the command cannot get")

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
        return await conn.send(b"get " + key + b"\r\n", _GET, key)

    async def set(self, key: bytes, value: bytes, exptime: int) -> bool:
        """``set key 0 exptime``: True when memcached answered STORED, False for NOT_STORED."""
        conn = self._pick() or await self._connection()
        command = b"set %b 0 %d %d\r\n%b\r\n" % (key, exptime, len(value), value)
        return self._answer(await conn.send(command, _LINE, key), b"STORED", b"NOT_STORED")

    async def delete(self, key: bytes) -> bool:
        """True when memcached answered DELETED, False for NOT_FOUND."""
        conn = self._pick() or await self._connection()
        return self._answer(await conn.send(b"delete " + key + b"\r\n", _LINE, key), b"DELETED", b"NOT_FOUND")

    @staticmethod
    def _answer(line: bytes | None, yes: bytes, no: bytes) -> bool:
        if line == yes:
            return True
        if line == no:
            return False
        raise ReplyError(line or b"")

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
