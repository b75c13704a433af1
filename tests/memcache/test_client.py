"""The sync store's memcached client (gorillacompat/memcache/_client.py).

Against the real memcached: threads share the pool and each gets its own answer, values larger
than one receive or one send, a hung server, a forked child. Against a scripted server on loopback
(what no healthy memcached sends): answers split byte by byte, error lines, answers out of step, a
partial answer and then silence; each ends in a typed error, never a wrong answer or a hang. And
the polling before blocking: a slow server makes the client stop polling, a fast answer resumes it.
"""

from __future__ import annotations

import os
import threading
import time
import warnings
from typing import Any

import pytest

from gorillacompat.memcache import _client
from gorillacompat.memcache._client import _MAX_SKIP, SocketClient
from gorillacompat.memcache._errors import ReplyError

from ._scripted import OUT_OF_STEP, scripted_thread
from .conftest import MemcachedProc


def client_for(address: str, *, timeout: float = 2.0, max_value: int = 1 << 20) -> SocketClient:
    host, port = address.rsplit(":", 1)
    return SocketClient(host, int(port), timeout=timeout, max_value=max_value)


def total_connections(raw: Any) -> int:
    return int(raw.stats()[b"total_connections"])


# ---- the real memcached -------------------------------------------------------------------------


def test_threads_share_the_pool_and_each_gets_its_own_answer(address: str, raw: Any) -> None:
    before = total_connections(raw)
    client = client_for(address)
    failures: list[BaseException] = []

    def one(t: int) -> None:
        try:
            for i in range(200):
                key, value = b"k%d-%d" % (t, i % 7), b"v%d-%d-" % (t, i) * (i % 30 + 1)
                assert client.set(key, value, 0)
                assert client.get(key) == value
                assert client.get(b"missing%d" % t) is None
                assert client.delete(key) is True
                assert client.delete(key) is False
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=one, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    try:
        assert not failures, failures
        opened = total_connections(raw) - before
        assert 1 <= opened <= 8 and client._open == opened == len(client._idle)
    finally:
        client.close()
    assert client._open == 0 and not client._idle


@pytest.mark.parametrize("size", [20_000, 300_000, 1_000_000])  # > one receive; > one send
def test_values_larger_than_one_receive_or_one_send(address: str, size: int) -> None:
    client = client_for(address, max_value=2 << 20)
    value = os.urandom(size // 2).hex().encode()
    try:
        assert client.set(b"big", value, 0)
        assert client.get(b"big") == value
        assert client.get(b"big") == value  # the connection is still in step
    finally:
        client.close()


def test_a_hung_server_times_out_within_the_timeout_and_no_answer_goes_astray(own_mc: MemcachedProc) -> None:
    client = client_for(own_mc.address, timeout=0.3)
    try:
        assert client.set(b"a", b"A", 0) and client.set(b"b", b"B", 0)
        own_mc.pause()
        start = time.monotonic()
        with pytest.raises(TimeoutError):
            client.get(b"a")
        assert time.monotonic() - start < 1.5
        own_mc.resume()  # memcached now answers the timed-out get on the connection we closed
        assert client.get(b"b") == b"B"
        assert client.get(b"a") == b"A"
    finally:
        own_mc.resume()
        client.close()


def test_a_forked_child_leaves_the_parents_connections_alone(address: str, raw: Any) -> None:
    raw.set(b"k", b"parent", noreply=False)
    client = client_for(address)
    assert client.get(b"k") == b"parent"
    before = total_connections(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12+: fork with threads
        pid = os.fork()
    if pid == 0:  # the child: report through the exit status only
        ok = not client._idle and client._open == 0 and client.get(b"k") == b"parent"
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert total_connections(raw) - before == 1  # the child opened its own
    for _ in range(20):
        assert client.get(b"k") == b"parent"
    assert client._open == 1
    client.close()


def test_a_caught_answer_resets_the_backoff(address: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_client, "_SPIN", 5.0)  # however loaded the machine, the poll catches it
    client = client_for(address)
    try:
        client.get(b"k")  # the first command on a connection does not poll
        client._next_skip = _MAX_SKIP
        assert client.get(b"k") is None
        assert client._next_skip == 1 and client._skip == 0
    finally:
        client.close()


# ---- a scripted server: what memcached should never send ----------------------------------------


def test_answers_split_byte_by_byte() -> None:
    replies = (b"VALUE k 0 5\r\nab\r\nc\r\nEND\r\n", b"STORED\r\n", b"END\r\n")
    with scripted_thread(*replies, chunk=1) as (addr, _):
        client = client_for(addr)
        try:
            assert client.get(b"k") == b"ab\r\nc"  # the data may hold CRLF
            assert client.set(b"k", b"x", 0) is True
            assert client.get(b"k") is None
        finally:
            client.close()


def test_server_error_fails_one_command_and_the_connection_goes_on() -> None:
    replies = (
        b"SERVER_ERROR out of memory storing object\r\n",
        b"NOT_STORED\r\n",
        b"VALUE k 0 1\r\nv\r\nEND\r\n",
    )
    with scripted_thread(*replies) as (addr, accepted):
        client = client_for(addr)
        try:
            with pytest.raises(ReplyError, match="SERVER_ERROR out of memory"):
                client.set(b"k", b"v", 0)
            assert client.set(b"k", b"v", 0) is False
            assert client.get(b"k") == b"v"
            assert len(accepted) == 1
        finally:
            client.close()


@pytest.mark.parametrize(
    "bad",
    [*OUT_OF_STEP, b"END\r\nEND\r\n", None],  # also: an answer nobody asked for; no answer at all
)
def test_answers_out_of_step_close_the_connection_then_the_next_command_reconnects(bad: bytes | None) -> None:
    with scripted_thread(bad, b"VALUE k 0 1\r\nv\r\nEND\r\n") as (addr, accepted):
        client = client_for(addr, max_value=1000)
        try:
            with pytest.raises((ReplyError, ConnectionResetError)):
                client.get(b"k")
            assert client._open == 0
            assert client.get(b"k") == b"v"
            assert len(accepted) == 2
        finally:
            client.close()


def test_a_slow_server_makes_the_client_stop_polling() -> None:
    n = 2 * _MAX_SKIP + 20
    with scripted_thread(*[b"END\r\n"] * n, delay=0.002) as (addr, accepted):  # 2 ms: every poll runs out
        client = client_for(addr)
        try:
            polls = 0
            for _ in range(n):
                polled = client._skip == 0
                client.get(b"k")
                polls += polled
            # 1, 2, 4, ... 64 commands block at once after each miss: a few polls, not one per command.
            assert client._next_skip == _MAX_SKIP
            assert polls <= 12, polls
            assert len(accepted) == 1
        finally:
            client.close()


@pytest.mark.parametrize(
    ("answer", "chunk"),
    [
        (b"VALUE k 0 5\r\nab", 0),  # part of an answer, then silence
        (b"VALUE k 0 1000\r\n" + b"v" * 1000 + b"\r\nEND\r\n", 1),  # a byte a millisecond: over 1 s
    ],
)
def test_an_answer_that_stops_or_trickles_times_out_within_the_timeout(answer: bytes, chunk: int) -> None:
    with scripted_thread(b"END\r\n", answer, chunk=chunk) as (addr, _):
        client = client_for(addr, timeout=0.3)
        try:
            assert client.get(b"k") is None
            start = time.monotonic()
            with pytest.raises(TimeoutError):
                client.get(b"k")
            assert 0.25 < time.monotonic() - start < 0.8  # the whole command is bounded, not each read
            assert client._open == 0
        finally:
            client.close()
