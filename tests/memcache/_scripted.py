"""A scripted memcached stand-in on loopback: it answers what no healthy memcached sends.

Used by the tests of both clients the store makes (``test_pipeline``: asyncio, ``test_client``:
sync, with the server on its own thread).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

Reply = bytes | None  # None: close the connection instead of answering

#: Answers to ``get k`` that put a connection out of step: each must end in an error, and the
#: connection must not be used again.
OUT_OF_STEP: list[Reply] = [
    b"CLIENT_ERROR bad command line format\r\n",
    b"ERROR\r\n",
    b"VALUE other 0 1\r\nv\r\nEND\r\n",  # another key's value
    b"VALUE k 0 x\r\n",  # no length
    b"VALUE k 0 1\r\nvX\r\nEND\r\n",  # data longer than announced
    b"VALUE k 0 999999999999\r\n",  # larger than max_value (1000): refused before reading it
    b"STORED\r\n",  # a set's answer to a get
    b"x" * 2000,  # no line end in sight
]


@asynccontextmanager
async def scripted(
    *replies: Reply, chunk: int = 0, delay: float = 0.0
) -> AsyncIterator[tuple[str, list[int]]]:
    """A TCP server on 127.0.0.1 answering each command with the next reply (``chunk`` > 0: in
    pieces of that many bytes, each written on its own; ``delay``: seconds before each reply).
    Yields its address and a list that counts the connections it accepted."""
    queue = list(replies)
    accepted: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(1)
        try:
            while line := await reader.readline():
                if line.startswith(b"set "):
                    await reader.readexactly(int(line.split()[4]) + 2)
                reply = queue.pop(0) if queue else None
                if reply is None:
                    break
                if delay:
                    await asyncio.sleep(delay)
                pieces = [reply[i : i + chunk] for i in range(0, len(reply), chunk)] if chunk else [reply]
                for piece in pieces:
                    writer.write(piece)
                    await writer.drain()
                    await asyncio.sleep(0.001)
        except (ConnectionError, asyncio.CancelledError):
            pass  # the client dropped the connection, or the test is over
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"127.0.0.1:{port}", accepted
    finally:
        server.close()
        await server.wait_closed()


@contextmanager
def scripted_thread(*replies: Reply, chunk: int = 0, delay: float = 0.0) -> Iterator[tuple[str, list[int]]]:
    """``scripted`` served from its own thread and event loop, for sync clients."""
    ready: list[tuple[asyncio.AbstractEventLoop, asyncio.Event, tuple[str, list[int]]]] = []
    started = threading.Event()

    async def serve() -> None:
        done = asyncio.Event()
        async with scripted(*replies, chunk=chunk, delay=delay) as served:
            ready.append((asyncio.get_running_loop(), done, served))
            started.set()
            await done.wait()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)  # run: cancels handlers
    thread.start()
    if not started.wait(10):
        raise AssertionError("the scripted server did not start")
    loop, done, served = ready[0]
    try:
        yield served
    finally:
        loop.call_soon_threadsafe(done.set)
        thread.join(10)
