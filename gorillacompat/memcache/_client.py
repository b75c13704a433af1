"""A thread-safe memcached client for the sync store: each command on a pooled blocking socket.

Layering: imports ``_errors`` and ``_protocol``; the sync store's only I/O when made from an address.

Why not pymemcache's ``PooledClient`` for the store made from an address: a socket with a Python
timeout costs a ``poll()`` before every send and every receive, and the pool and client layers cost
as much again in Python, so a request spent more on the client than on its two round trips. Here
the timeout is the kernel's (``SO_RCVTIMEO``/``SO_SNDTIMEO``) on a blocking socket, so a command is
one send and, nearly always, one receive, as gomemcache's are. An answer that does not come in one
receive, a command too long for one send and the first command on a new connection go on with
Python's own timeout, set to what is left of ``timeout``: gomemcache sets one deadline per command
too. (The kernel's timeout bounds each wait; a short command's send does not wait, since memcached
has read every earlier command on the connection before it answered it.) A connection that fails,
times out or falls out of step is closed; the next command opens a new one.

Why it polls before it blocks: a thread that blocks in ``recv`` and is woken by the answer loses
tens of microseconds per command to the wake-up (about 40 µs on a 2-core VM, twice per request),
more than memcached takes to answer on the same host. Go's scheduler spins before it parks a
goroutine for the same reason. So the command that is alone in flight on the client first polls
for ``_SPIN`` seconds without blocking (which, with the GIL released at each poll, leaves other
threads free to run). A poll that runs out (memcached on another host, or busy) makes the next
commands block at once, twice as many after each miss up to ``_MAX_SKIP``, so a slow network
costs one wasted poll per ``_MAX_SKIP`` commands.
"""

from __future__ import annotations

import os
import socket
import struct
import sys
import threading
import time
import weakref
from collections import deque
from typing import Final

from ._errors import ReplyError
from ._protocol import (
    GET,
    LINE,
    Answer,
    delete_command,
    get_command,
    out_of_step,
    parse_answer,
    set_command,
    status,
)

__all__ = ["SocketClient"]

#: One receive holds any session a cookie-sized store writes; larger answers take more.
_FIRST_READ: Final = 16384
_NEXT_READ: Final = 262144
#: Longer commands are sent under Python's timeout, which bounds the whole send.
_ONE_SEND: Final = 65536
#: The kernel timeouts take a ``struct timeval``; Windows takes milliseconds, so it keeps Python's.
_KERNEL_TIMEOUTS: Final = sys.platform != "win32"
#: A receive that never blocks (0 where the platform has none: no polling there).
_DONT_WAIT: Final[int] = getattr(socket, "MSG_DONTWAIT", 0)
#: How long a command polls for its answer before it blocks.
_SPIN: Final = 100e-6
#: The most commands that block at once after polls that ran out, before polling is tried again.
_MAX_SKIP: Final = 64


class SocketClient:
    """memcached at ``host:port`` for any number of threads: ``get``, ``set`` and ``delete``.

    Each command takes an idle connection (or opens one) and gives it back when the answer is in,
    so the pool grows to the number of threads that use it at once. Every command, connecting
    included, is bounded by ``timeout`` seconds; ``max_value`` bounds the size of a value it will
    read. Errors: ``TimeoutError``, ``OSError`` (cannot connect, connection lost, answer out of
    step) and ``ReplyError`` (memcached's error line). A child process made by ``fork`` starts
    with no connections: the parent's stay the parent's.
    """

    def __init__(self, host: str, port: int, *, timeout: float, max_value: int) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self.max_value = max_value
        self._idle: deque[socket.socket] = deque()
        self._open = 0  # connections open, idle or in flight
        self._open_lock = threading.Lock()
        self._skip = 0  # commands left that block at once
        self._next_skip = 1
        _CLIENTS.add(self)

    # -- commands ----------------------------------------------------------------------------------

    def get(self, key: bytes) -> bytes | None:
        """The value of ``key``, or None when memcached has none."""
        return self._call(get_command(key), GET, key)

    def set(self, key: bytes, value: bytes, exptime: int) -> bool:
        """``set key 0 exptime``: True when memcached answered STORED, False for NOT_STORED."""
        return status(self._call(set_command(key, value, exptime), LINE, key), b"STORED", b"NOT_STORED")

    def delete(self, key: bytes) -> bool:
        """True when memcached answered DELETED, False for NOT_FOUND."""
        return status(self._call(delete_command(key), LINE, key), b"DELETED", b"NOT_FOUND")

    def close(self) -> None:
        """Close the idle connections (a command in flight keeps its own until it is done)."""
        while True:
            try:
                sock = self._idle.pop()
            except IndexError:  # (also when another thread took the last one meanwhile)
                return
            self._discard(sock)

    # -- one command -------------------------------------------------------------------------------

    def _call(self, command: bytes, kind: int, key: bytes) -> bytes | None:
        deadline = time.monotonic() + self.timeout
        sock, fresh = self._take(deadline)
        try:
            if not fresh and len(command) <= _ONE_SEND:
                sock.sendall(command)
                buf = self._receive(sock)
                answer, complete = self._parse(buf, kind, key)
                if not complete:
                    answer = self._finish(sock, b"", bytearray(buf), kind, key, deadline)
            else:
                answer = self._finish(sock, command, bytearray(), kind, key, deadline)
        except BlockingIOError as exc:  # the kernel's timeout ran out (EAGAIN)
            self._discard(sock)
            raise TimeoutError(f"memcached did not answer within {self.timeout} s") from exc
        except BaseException:
            self._discard(sock)
            raise
        if out_of_step(answer):
            self._discard(sock)
        else:
            self._idle.append(sock)
        if isinstance(answer, ReplyError):
            raise answer
        return answer

    def _receive(self, sock: socket.socket) -> bytes:
        """The first bytes of the answer: polled for while this is the only command in flight
        (see the module's docstring), else, or after ``_SPIN``, waited for."""
        if _DONT_WAIT and self._open - len(self._idle) <= 1:
            if self._skip > 0:  # (threads racing here may leave it at -1: the same as 0)
                self._skip -= 1
            else:
                give_up = time.monotonic() + _SPIN
                while True:
                    try:
                        data = sock.recv(_FIRST_READ, _DONT_WAIT)
                    except BlockingIOError:
                        if time.monotonic() < give_up:
                            continue
                        self._skip = self._next_skip
                        self._next_skip = min(self._next_skip * 2, _MAX_SKIP)
                        break
                    self._next_skip = 1
                    return data
        return sock.recv(_FIRST_READ)

    def _parse(self, buf: bytes | bytearray, kind: int, key: bytes) -> tuple[Answer, bool]:
        """(the answer, True) once ``buf`` holds all of it and nothing more; (None, False) before."""
        if not buf:
            return None, False
        parsed = parse_answer(buf, 0, kind, key, self.max_value)
        if parsed is None:
            return None, False
        if parsed[1] != len(buf):
            raise ConnectionResetError("memcached sent an answer nobody asked for")
        return parsed[0], True

    def _finish(
        self, sock: socket.socket, command: bytes, buf: bytearray, kind: int, key: bytes, deadline: float
    ) -> Answer:
        """Send ``command`` (if any) and read until the answer is whole, under Python's timeout
        set to what is left before ``deadline``."""
        try:
            if command:
                sock.settimeout(_left(deadline))
                sock.sendall(command)
            while True:
                answer, complete = self._parse(buf, kind, key)
                if complete:
                    return answer
                sock.settimeout(_left(deadline))
                chunk = sock.recv(_NEXT_READ)
                if not chunk:
                    raise ConnectionResetError("memcached closed the connection")
                buf += chunk
        finally:
            sock.settimeout(None if _KERNEL_TIMEOUTS else self.timeout)

    # -- connections -------------------------------------------------------------------------------

    def _take(self, deadline: float) -> tuple[socket.socket, bool]:
        """An idle connection, or a new one (True: connecting took part of the deadline)."""
        try:
            return self._idle.pop(), False
        except IndexError:
            pass
        sock = socket.create_connection((self.host, self.port), _left(deadline))
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if _KERNEL_TIMEOUTS:
                seconds = int(self.timeout)
                timeval = struct.pack("ll", seconds, int((self.timeout - seconds) * 1e6))
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval)
                sock.settimeout(None)
            else:
                sock.settimeout(self.timeout)
        except BaseException:
            sock.close()
            raise
        with self._open_lock:
            self._open += 1
        return sock, True

    def _discard(self, sock: socket.socket) -> None:
        sock.close()
        with self._open_lock:
            self._open -= 1

    def _forget_after_fork(self) -> None:
        """In a child process: the inherited connections are the parent's; close our copies."""
        idle, self._idle = self._idle, deque()
        self._open, self._open_lock = 0, threading.Lock()
        for sock in idle:
            sock.close()


def _left(deadline: float) -> float:
    """Seconds left before ``deadline``; TimeoutError when none are."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("memcached did not answer in time")
    return left


_CLIENTS: Final[weakref.WeakSet[SocketClient]] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for client in list(_CLIENTS):
        client._forget_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
