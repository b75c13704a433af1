"""sessions._coalesce: concurrent calls share one run; each caller gets its own result or the run's error."""

from __future__ import annotations

import asyncio

import pytest

from gorillacompat.sessions._coalesce import Coalescer


class Recorder:
    """A run that records its batches and takes one loop turn per run (a round trip)."""

    def __init__(self, fail_on: object = None, gate: asyncio.Event | None = None) -> None:
        self.batches: list[list[int]] = []
        self.fail_on = fail_on
        self.gate = gate

    async def __call__(self, items: list[int]) -> list[int]:
        self.batches.append(list(items))
        if self.gate is not None:
            await self.gate.wait()
        await asyncio.sleep(0)
        if self.fail_on in items:
            raise ValueError(f"run of {items} failed")
        return [i * 10 for i in items]


async def queued_behind(
    coalesce: Coalescer[int, int], first: int, others: tuple[int, ...]
) -> tuple[asyncio.Future[int], list[asyncio.Future[int]]]:
    """``first`` under way (its run held at the gate), then ``others`` waiting for it."""
    running = asyncio.ensure_future(coalesce(first))
    await asyncio.sleep(0)
    waiting = [asyncio.ensure_future(coalesce(i)) for i in others]
    await asyncio.sleep(0)
    return running, waiting


def test_a_call_alone_runs_alone_and_concurrent_ones_go_together() -> None:
    run = Recorder()
    coalesce: Coalescer[int, int] = Coalescer(run)

    async def main() -> list[int]:
        assert await coalesce(7) == 70
        return await asyncio.gather(*(coalesce(i) for i in range(20)))

    assert asyncio.run(main()) == [i * 10 for i in range(20)]
    # The first of the twenty found no run under way; the other nineteen waited for it.
    assert run.batches == [[7], [0], list(range(1, 20))]


def test_a_failed_run_fails_its_callers_only() -> None:
    gate = asyncio.Event()
    run = Recorder(fail_on=3, gate=gate)
    coalesce: Coalescer[int, int] = Coalescer(run)

    async def main() -> tuple[list[object], int]:
        first, waiting = await queued_behind(coalesce, 0, (1, 2, 3))
        gate.set()
        batch = await asyncio.gather(*waiting, return_exceptions=True)
        return [await first, *batch], await coalesce(4)

    results, after = asyncio.run(main())
    assert results[0] == 0
    assert all(isinstance(r, ValueError) and str(r) == "run of [1, 2, 3] failed" for r in results[1:])
    assert after == 40 and run.batches == [[0], [1, 2, 3], [4]]


def test_a_lone_call_raises_its_own_error() -> None:
    coalesce: Coalescer[int, int] = Coalescer(Recorder(fail_on=5))
    with pytest.raises(ValueError, match=r"run of \[5\] failed"):
        asyncio.run(coalesce(5))


def test_a_cancelled_caller_drops_its_result_and_the_others_get_theirs() -> None:
    gate = asyncio.Event()
    run = Recorder(gate=gate)
    coalesce: Coalescer[int, int] = Coalescer(run)

    async def main() -> list[object]:
        first, waiting = await queued_behind(coalesce, 0, (1, 2, 3))
        waiting[1].cancel()
        gate.set()
        return await asyncio.gather(first, *waiting, return_exceptions=True)

    results = asyncio.run(main())
    assert results[0] == 0 and results[1] == 10 and results[3] == 30
    assert isinstance(results[2], asyncio.CancelledError)
    assert run.batches == [[0], [1, 3]]  # a caller cancelled before its run is left out of it


def test_the_first_caller_cancelled_mid_run_hands_the_others_on() -> None:
    gate = asyncio.Event()
    run = Recorder(gate=gate)
    coalesce: Coalescer[int, int] = Coalescer(run)

    async def main() -> list[object]:
        first, waiting = await queued_behind(coalesce, 0, (1, 2))
        first.cancel()
        await asyncio.sleep(0)
        gate.set()
        return await asyncio.gather(first, *waiting, return_exceptions=True)

    results = asyncio.run(main())
    assert isinstance(results[0], asyncio.CancelledError) and results[1:] == [10, 20]


def test_a_run_that_miscounts_is_an_error_for_every_caller() -> None:
    async def short(items: list[int]) -> list[int]:
        await asyncio.sleep(0)
        return items[:-1]

    coalesce: Coalescer[int, int] = Coalescer(short)

    async def main() -> list[object]:
        return await asyncio.gather(*(coalesce(i) for i in range(3)), return_exceptions=True)

    results = asyncio.run(main())
    assert all(isinstance(r, RuntimeError) and "results for" in str(r) for r in results)


def test_a_new_event_loop_starts_afresh() -> None:
    """A loop closed with a run under way leaves nothing behind for the next loop, even when the
    abandoned run is collected while the next loop runs."""
    run = Recorder(gate=asyncio.Event())
    coalesce: Coalescer[int, int] = Coalescer(run)
    old = asyncio.new_event_loop()
    abandoned = old.create_task(coalesce(1))
    abandoned._log_destroy_pending = False  # type: ignore[attr-defined]  # abandoned on purpose
    old.run_until_complete(asyncio.sleep(0.01))  # the run waits on the gate
    old.close()

    async def main() -> list[int]:
        run.gate = gate = asyncio.Event()
        first, queued = await queued_behind(coalesce, 2, (3, 4))
        abandoned.get_coro().close()  # what the collector does to the old loop's task
        queued.append(asyncio.ensure_future(coalesce(5)))  # still a run under way: it waits
        await asyncio.sleep(0)
        gate.set()
        return [await first, *await asyncio.gather(*queued)]

    assert asyncio.run(main()) == [20, 30, 40, 50]
    assert run.batches == [[1], [2], [3, 4, 5]]
