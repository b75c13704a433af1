"""The async store's pipelined memcached client (gorillacompat/memcache/_pipeline.py).

Against the real memcached: many tasks share one connection and each gets its own answer,
cancelled commands leave the connection in step, the pipeline opens more connections only when it
is deep, and a client moved to another event loop reconnects there. Against a scripted TCP server
on loopback (what no healthy memcached sends): answers split byte by byte, error lines, answers out
of step, oversized values; each ends in a typed error, never a wrong answer or a hang.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest

from gorillacompat.memcache import AsyncMemcacheStore, MemcacheResponseError
from gorillacompat.memcache._errors import ReplyError
from gorillacompat.memcache._pipeline import PIPELINE_DEPTH, PipelinedClient
from tests.redistore.conftest import wait_until

from ._scripted import OUT_OF_STEP, scripted
from .conftest import KEYS, MemcachedProc

T = TypeVar("T")


def run(coro: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``coro()`` with a hard bound: a hang fails the test instead of stalling the suite."""

    async def bounded() -> T:
        return await asyncio.wait_for(coro(), 30)

    return asyncio.run(bounded())


def client_for(
    address: str, *, connections: int = 16, timeout: float = 2.0, max_value: int = 1 << 20
) -> PipelinedClient:
    host, port = address.rsplit(":", 1)
    return PipelinedClient(host, int(port), timeout=timeout, connections=connections, max_value=max_value)


def total_connections(raw: Any) -> int:
    return int(raw.stats()[b"total_connections"])


# ---- the real memcached -------------------------------------------------------------------------


def test_many_tasks_share_one_connection_and_each_gets_its_own_answer(address: str, raw: Any) -> None:
    before = total_connections(raw)

    async def main() -> None:
        client = client_for(address)
        try:

            async def one(i: int) -> None:
                key, value = b"k%d" % i, b"v%d-" % i * (i % 50 + 1)
                assert await client.set(key, value, 0)
                assert await client.get(key) == value
                assert await client.get(b"missing%d" % i) is None
                assert await client.delete(key) is True
                assert await client.delete(key) is False

            for _ in range(3):  # 10 tasks at a time: well inside one pipeline
                await asyncio.gather(*(one(i) for i in range(10)))
        finally:
            await client.close()

    run(main)
    assert total_connections(raw) - before == 1


def test_a_deep_pipeline_opens_more_connections_up_to_the_limit(own_mc: MemcachedProc) -> None:
    raw = own_mc.raw()
    raw.set(b"k", b"v", noreply=False)
    n = PIPELINE_DEPTH * 3 + 1

    async def main(connections: int) -> None:
        client = client_for(own_mc.address, connections=connections, timeout=10)
        try:
            own_mc.pause()  # nothing is answered: every command stays in flight
            gets = asyncio.gather(*(client.get(b"k") for _ in range(n)))
            await asyncio.sleep(0.2)
            own_mc.resume()
            assert await gets == [b"v"] * n
        finally:
            own_mc.resume()
            await client.close()

    try:
        before = total_connections(raw)
        run(lambda: main(16))
        assert total_connections(raw) - before == 4  # 32 + 32 + 32 + 1 commands in flight
        run(lambda: main(2))
        assert total_connections(raw) - before == 6  # at most 2 more
    finally:
        raw.close()


def test_cancelled_commands_leave_the_connection_in_step(address: str, raw: Any) -> None:
    raw.set(b"a", b"A", noreply=False)
    raw.set(b"b", b"B", noreply=False)

    async def main() -> None:
        client = client_for(address)
        try:
            for _ in range(20):
                keys = [b"a", b"b"] * 10
                tasks = [asyncio.ensure_future(client.get(k)) for k in keys]
                await asyncio.sleep(0)  # every command is queued (sent or about to be), none answered
                for t in tasks[::3]:
                    t.cancel()
                results = await asyncio.gather(*tasks, return_exceptions=True)
                for i, (k, r) in enumerate(zip(keys, results, strict=True)):
                    if i % 3 == 0:
                        assert isinstance(r, asyncio.CancelledError)
                    else:
                        assert r == k.upper()
                assert await client.get(b"b") == b"B"
        finally:
            await client.close()

    run(main)


def test_a_client_moved_to_another_event_loop_reconnects_there(address: str, raw: Any) -> None:
    raw.set(b"k", b"v", noreply=False)
    client = client_for(address)
    before = total_connections(raw)

    async def use() -> None:
        assert await client.get(b"k") == b"v"

    async def use_and_close() -> None:
        await use()
        await client.close()

    old = asyncio.new_event_loop()
    try:
        old.run_until_complete(use())
        run(use_and_close)  # a new loop: a new connection; the old one is closed on the old loop
        old.run_until_complete(asyncio.sleep(0.05))
    finally:
        old.close()
    assert total_connections(raw) - before == 2
    wait_until(lambda: int(raw.stats()[b"curr_connections"]) == 1, 5, "the old loop's connection to close")


def test_a_hung_server_times_out_every_command_in_flight(own_mc: MemcachedProc) -> None:
    async def main() -> None:
        client = client_for(own_mc.address, timeout=0.3)
        try:
            assert await client.set(b"k", b"v", 0)
            own_mc.pause()
            loop = asyncio.get_running_loop()
            start = loop.time()
            got = await asyncio.gather(*(client.get(b"k") for _ in range(5)), return_exceptions=True)
            assert all(isinstance(g, TimeoutError) for g in got), got
            assert loop.time() - start < 2
            own_mc.resume()
            assert await client.get(b"k") == b"v"  # a new connection; the old answers are gone
        finally:
            own_mc.resume()
            await client.close()

    run(main)


# ---- a scripted server: what memcached should never send ----------------------------------------


def test_answers_split_byte_by_byte() -> None:
    async def main() -> None:
        async with scripted(b"VALUE k 0 5\r\nab\r\nc\r\nEND\r\n", b"STORED\r\n", b"END\r\n", chunk=1) as (
            addr,
            _,
        ):
            client = client_for(addr)
            try:
                assert await client.get(b"k") == b"ab\r\nc"  # the data may hold CRLF
                assert await client.set(b"k", b"x", 0) is True
                assert await client.get(b"k") is None
            finally:
                await client.close()

    run(main)


def test_server_error_fails_one_command_and_the_connection_goes_on() -> None:
    async def main() -> None:
        replies = (
            b"SERVER_ERROR out of memory storing object\r\n",
            b"NOT_STORED\r\n",
            b"VALUE k 0 1\r\nv\r\nEND\r\n",
        )
        async with scripted(*replies) as (addr, accepted):
            client = client_for(addr)
            try:
                with pytest.raises(ReplyError, match="SERVER_ERROR out of memory"):
                    await client.set(b"k", b"v", 0)
                assert await client.set(b"k", b"v", 0) is False
                assert await client.get(b"k") == b"v"
                assert len(accepted) == 1
            finally:
                await client.close()

    run(main)


@pytest.mark.parametrize("bad", OUT_OF_STEP)
def test_answers_out_of_step_fail_everything_in_flight_then_reconnect(bad: bytes) -> None:
    async def main() -> None:
        async with scripted(bad, b"VALUE k 0 1\r\nv\r\nEND\r\n", b"VALUE k 0 1\r\nv\r\nEND\r\n") as (
            addr,
            accepted,
        ):
            client = client_for(addr, max_value=1000)
            try:
                first, second = await asyncio.gather(
                    client.get(b"k"), client.get(b"k"), return_exceptions=True
                )
                assert isinstance(first, (ReplyError, ConnectionResetError)), first
                assert isinstance(second, ConnectionResetError), second  # never the other's answer
                assert await client.get(b"k") == b"v"
                assert len(accepted) == 2
            finally:
                await client.close()

    run(main)


def test_unsolicited_data_and_closed_connections() -> None:
    async def main() -> None:
        async with scripted(b"END\r\nEND\r\n", None, b"END\r\n") as (addr, accepted):
            client = client_for(addr)
            try:
                assert await client.get(b"k") is None  # the second END is nobody's: dropped
                await asyncio.sleep(0.05)
                with pytest.raises(ConnectionResetError):
                    await client.get(b"k")  # a new connection, closed without an answer
                assert await client.get(b"k") is None
                assert len(accepted) == 3
            finally:
                await client.close()

    run(main)


def test_the_store_turns_client_errors_into_its_own() -> None:
    async def main() -> None:
        async with scripted(b"SERVER_ERROR object too large for cache\r\n") as (addr, _):
            store = AsyncMemcacheStore(addr, *KEYS)
            try:
                session = await store.new({}, "session")
                with pytest.raises(MemcacheResponseError) as info:
                    await store.save(session)
                assert info.value.operation == "save" and session.id not in str(info.value)
            finally:
                await store.close()

    run(main)
