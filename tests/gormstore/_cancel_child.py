"""Cancel AsyncGormStore operations mid-statement, many times; then check the store and the rows.

    python -m tests.gormstore._cancel_child URL

Run by test_concurrency.py in a subprocess, so a crash (a connection used by two threads at once
segfaulted here) fails that test instead of killing pytest. Exits 0 when all is well; prints
what was wrong otherwise.
"""

from __future__ import annotations

import asyncio
import faulthandler
import random
import sys

from gorillacompat.gormstore import AsyncGormStore

from ._facade import cookie_of
from .conftest import KEYS

SESSIONS = 8
ROUNDS = 150
TASKS = 6


async def main(url: str) -> str:
    """What is wrong ("" when nothing)."""
    rnd = random.Random(14)
    store = AsyncGormStore(url, *KEYS, pool_size=2, timeout=5.0)
    try:
        cookies = []
        for i in range(SESSIONS):
            s = await store.new({}, "session")
            s.values["n"] = i
            cookies.append(cookie_of(await store.save(s)))

        async def op(i: int) -> None:
            s = await store.get({"session": cookies[i % SESSIONS]}, "session")
            s.values["n"] = i
            await store.save(s)

        cancelled = 0
        for r in range(ROUNDS):
            tasks = [asyncio.create_task(op(r * TASKS + t)) for t in range(TASKS)]
            await asyncio.sleep(rnd.random() * 0.004)
            for t in tasks:
                t.cancel()
            for res in await asyncio.gather(*tasks, return_exceptions=True):
                if isinstance(res, asyncio.CancelledError):
                    cancelled += 1
                elif res is not None:
                    return f"round {r}: {res!r}"
        if cancelled == 0:
            return "no operation was cancelled: the test tests nothing"
        # Every slot is back: as many operations as connections, twice over, within the timeout.
        await asyncio.gather(*(op(i) for i in range(4 * SESSIONS)))
        for c in cookies:
            s = await store.get({"session": c}, "session")
            if s.is_new or s.error is not None:
                return f"a session was lost or torn: {s.error!r}"
        return ""
    finally:
        await store.close()


if __name__ == "__main__":
    faulthandler.enable()
    problem = asyncio.run(main(sys.argv[1]))
    print(problem or "ok")
    sys.exit(1 if problem else 0)
