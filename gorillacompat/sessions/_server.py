"""What the server-side stores (redistore, pgstore, memcache, gormstore) share, written once.

Layering: imports ``errors``, ``serializers`` and the sessions modules below it; never a driver.
A server-side store is a pure *rules* object (``_core`` of each store package; ``ServerRules``
for the codec-backed ones) and a sync and an async *shell* that run the I/O the rules plan. The
shells differ only by ``await``; everything else they do alike lives here:

- ``get``: Go's ``Registry.Get`` name check, then ``new``.
- ``new``: a fresh session, ``rules.begin_load`` (the cookie's ID → what to read, or None), the
  read, ``rules.finish_load``, then ``rules.end_new`` even when the read raised.
- ``save``/``delete`` for rules that plan the write *and* the ``Set-Cookie`` value before any
  I/O (``plan_save``/``delete_plan`` → ``(plan, header)``): run the plan, return the header.
- ``options``/``max_length``/``max_age``: Go's store fields, kept on the rules.
- ``PeriodicJob``/``AsyncPeriodicJob``: Go's cleanup goroutine (pgstore ``Cleanup``, gormstore
  ``PeriodicCleanup``) as a daemon thread or a task, stopped and awaited by ``stop``.

Each store's own differences stay in its package (redistore's and gormstore's cookie is made
after the write; memcache has no ``max_age``; redistore has ``set_max_age``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ClassVar, Protocol

from ..errors import UsageError
from .cookie import is_cookie_name_valid
from .options import Options
from .session import InvalidCookieNameError, Session
from .store import CodecStore

__all__ = [
    "AsyncPeriodicJob",
    "AsyncPlannedStore",
    "AsyncServerStore",
    "LoadRules",
    "MaxAgeField",
    "PeriodicJob",
    "PlanRules",
    "PlannedStore",
    "RulesFields",
    "ServerRules",
    "ServerStore",
]


class ServerRules(CodecStore):
    """The rules every codec-backed server-side store shares (pgstore, memcache, gormstore).

    Codecs, Options, ``max_age``, the clock and the random source come from ``CodecStore``;
    this adds the key-pair and ``max_length`` checks (``config_error``, with ``prefix`` in the
    text, as each Go store words it) and the ``end_new`` step of ``new``.
    """

    #: The store's ``UsageError`` for arguments Go would refuse.
    config_error: ClassVar[type[UsageError]]
    #: The store's name as its messages start (``"pgstore"``, ``"memcache"``, ``"gormstore"``).
    prefix: ClassVar[str]

    def __init__(
        self,
        keys: tuple[bytes | None, ...],
        options: Options | None,
        *,
        defaults: Options | None = None,
        max_length: int,
        clock: Callable[[], int] | None,
        random_bytes: Callable[[int], bytes] | None,
    ) -> None:
        if not keys:
            raise self.config_error(f"{self.prefix}: at least one key pair is required")
        self._check_max_length(max_length)
        super().__init__(
            keys,
            options,
            defaults=defaults,
            clock=clock,
            random_bytes=random_bytes,
            codec_options={"max_length": max_length},
        )

    def _check_max_length(self, length: int) -> None:
        if length < 0:
            raise self.config_error(f"{self.prefix}: max length cannot be negative")

    @property
    def max_length(self) -> int:
        """Limit on each securecookie value, cookie and stored value alike; 0 = none (Go: ``MaxLength``)."""
        return self.codecs[0].max_length

    @max_length.setter
    def max_length(self, length: int) -> None:
        self._check_max_length(length)
        for codec in self.codecs:
            codec.max_length = length

    def end_new(self) -> None:
        """The last step of Go's ``New``, loaded or not; nothing unless the store says otherwise."""


# -- the shells ------------------------------------------------------------------------------------


class LoadRules(Protocol):
    """What ``ServerStore.new`` needs from a store's rules."""

    def begin_load(self, session: Session, cookies: Mapping[str, str]) -> Any:
        """What to read for the cookie's session (a key, an ID), or None: nothing to read."""
        ...

    def finish_load(self, session: Session, data: Any) -> None:
        """Fill ``session`` from what was read (None: nothing was stored)."""
        ...

    def end_new(self) -> None: ...


class PlanRules(LoadRules, Protocol):
    """Rules that plan a save and its ``Set-Cookie`` value before any I/O (pgstore, memcache)."""

    def plan_save(self, session: Session) -> tuple[Any, str]: ...

    def delete_plan(self, session: Session) -> tuple[Any, str]: ...


class RulesFields:
    """Go's store fields a shell keeps on its ``ServerRules``: ``options`` and ``max_length``."""

    rules: ServerRules

    @property
    def options(self) -> Options:
        """Defaults each new session copies (Go: the store's ``Options``; gormstore's ``SessionOpts``).

        Assigning it replaces the Options object and leaves the codecs alone, as in Go.
        """
        return self.rules.options

    @options.setter
    def options(self, options: Options) -> None:
        self.rules.options = options

    @property
    def max_length(self) -> int:
        """Go: ``MaxLength``: the limit on each encoded value (0 = none)."""
        return self.rules.max_length

    @max_length.setter
    def max_length(self, length: int) -> None:
        self.rules.max_length = length


class MaxAgeField:
    """Go's ``MaxAge`` method as a property, for stores that have it (pgstore, gormstore)."""

    rules: ServerRules

    @property
    def max_age(self) -> int:
        """Go: ``MaxAge``: the default MaxAge, and every codec's max age."""
        return self.rules.max_age

    @max_age.setter
    def max_age(self, age: int) -> None:
        self.rules.max_age = age


class ServerStore:
    """``get`` and ``new`` of a sync shell; the shell reads with ``_load``."""

    rules: LoadRules
    options: Options

    def _load(self, key: Any) -> object:
        """Read what ``rules.begin_load`` named (None when nothing is stored)."""
        raise NotImplementedError

    def new(self, cookies: Mapping[str, str], name: str) -> Session:
        """A session loaded from the server when the cookie names one, else a fresh one (Go: ``New``).

        A bad cookie or an undecodable stored value gives a fresh session with ``session.error``;
        server failures raise the store's error (Go returns them next to the session).
        """
        session = Session(name, self, options=self.options.copy(), is_new=True)
        key = self.rules.begin_load(session, cookies)
        try:
            if key is not None:
                self.rules.finish_load(session, self._load(key))
        finally:
            self.rules.end_new()
        return session

    def get(self, cookies: Mapping[str, str], name: str) -> Session:
        """Like ``new``, after Go's ``Registry.Get`` name check (``InvalidCookieNameError``)."""
        if not is_cookie_name_valid(name):
            raise InvalidCookieNameError(name)
        return self.new(cookies, name)

    def save(self, session: Session) -> str:
        raise NotImplementedError


class PlannedStore(ServerStore):
    """A sync shell whose rules plan the cookie before the write; the shell runs plans with ``_apply``."""

    rules: PlanRules

    def _apply(self, plan: Any) -> None:
        """Run a write or delete plan; return once the server has it."""
        raise NotImplementedError

    def save(self, session: Session) -> str:
        """Write (or, for MaxAge < 0, delete) the session and return the ``Set-Cookie`` value (Go: ``Save``).

        Raises the encoders' errors (nothing is written) or the store's error; the value
        returned means the server has the write.
        """
        plan, header = self.rules.plan_save(session)
        if plan is not None:
            self._apply(plan)
        return header

    def delete(self, session: Session) -> str:
        """Delete the stored session; the ``Set-Cookie`` value that removes the cookie.

        Go: ``Options.MaxAge = -1`` then ``Save``.
        """
        plan, header = self.rules.delete_plan(session)
        if plan is not None:
            self._apply(plan)
        return header


class AsyncServerStore:
    """Async ``ServerStore``. Sessions it returns have no ``store`` (``Session.save`` is sync)."""

    rules: LoadRules
    options: Options

    async def _load(self, key: Any) -> object:
        raise NotImplementedError

    async def new(self, cookies: Mapping[str, str], name: str) -> Session:
        """Go: ``New`` (see ``ServerStore.new``)."""
        session = Session(name, None, options=self.options.copy(), is_new=True)
        key = self.rules.begin_load(session, cookies)
        try:
            if key is not None:
                self.rules.finish_load(session, await self._load(key))
        finally:
            self.rules.end_new()
        return session

    async def get(self, cookies: Mapping[str, str], name: str) -> Session:
        """Like ``new``, after Go's ``Registry.Get`` name check (``InvalidCookieNameError``)."""
        if not is_cookie_name_valid(name):
            raise InvalidCookieNameError(name)
        return await self.new(cookies, name)


class AsyncPlannedStore(AsyncServerStore):
    """Async ``PlannedStore``."""

    rules: PlanRules

    async def _apply(self, plan: Any) -> None:
        raise NotImplementedError

    async def save(self, session: Session) -> str:
        """Go: ``Save`` (see ``PlannedStore.save``); the value returned means the server has the write."""
        plan, header = self.rules.plan_save(session)
        if plan is not None:
            await self._apply(plan)
        return header

    async def delete(self, session: Session) -> str:
        """Delete the stored session; the ``Set-Cookie`` value that removes the cookie."""
        plan, header = self.rules.delete_plan(session)
        if plan is not None:
            await self._apply(plan)
        return header


# -- periodic cleanup ------------------------------------------------------------------------------


class PeriodicJob:
    """``job()`` every ``interval`` seconds in a daemon thread named ``name``, until ``stop``.

    A ``catch`` error is logged as ``"<name>: unable to delete expired sessions"`` and the loop
    goes on (Go logs and goes on too).
    """

    def __init__(
        self, job: Callable[[], object], *, name: str, log: logging.Logger, catch: type[Exception]
    ) -> None:
        self.job, self.name, self.log, self.catch = job, name, log, catch
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, interval: float) -> None:
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(interval):
                try:
                    self.job()
                except self.catch as exc:
                    self.log.warning("%s: unable to delete expired sessions: %s", self.name, exc)

        self._stop = stop
        self._thread = threading.Thread(target=loop, name=f"{self.name}-cleanup", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread and wait for it; no-op when not running."""
        if self._stop is None or self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._stop = self._thread = None


class AsyncPeriodicJob:
    """``PeriodicJob`` as a task of the running loop: ``await job()`` every ``interval`` seconds."""

    def __init__(
        self, job: Callable[[], Awaitable[object]], *, name: str, log: logging.Logger, catch: type[Exception]
    ) -> None:
        self.job, self.name, self.log, self.catch = job, name, log, catch
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self, interval: float) -> None:
        async def loop() -> None:
            while True:
                await asyncio.sleep(interval)
                try:
                    await self.job()
                except self.catch as exc:
                    self.log.warning("%s: unable to delete expired sessions: %s", self.name, exc)

        self._task = asyncio.get_running_loop().create_task(loop(), name=f"{self.name}-cleanup")

    async def stop(self) -> None:
        """Cancel the task and wait for it; no-op when not running."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            if not task.cancelled():
                raise
