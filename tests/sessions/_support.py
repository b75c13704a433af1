"""Helpers shared by the sessions tests: fixture options → ``Options``, keys, clocks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from gorillacompat.sessions import Options, SameSite


def options_from(view: dict[str, Any]) -> Options:
    """The ``Options`` of a fixture's ``options`` object (same_site is Go's number)."""
    ss = view["same_site"]
    return Options(
        path=view["path"],
        domain=view["domain"],
        max_age=view["max_age"],
        secure=view["secure"],
        http_only=view["http_only"],
        same_site=None if ss == 0 else SameSite(ss),
        partitioned=view["partitioned"],
    )


def options_view(o: Options) -> dict[str, Any]:
    """The harness request form of ``o``."""
    return {
        "path": o.path,
        "domain": o.domain,
        "max_age": o.max_age,
        "secure": o.secure,
        "http_only": o.http_only,
        "same_site": 0 if o.same_site is None else int(o.same_site),
        "partitioned": o.partitioned,
    }


def keys_from(hexes: list[str | None]) -> list[bytes | None]:
    return [None if k is None else bytes.fromhex(k) for k in hexes]


def fixed_clock(now: int) -> Callable[[], int]:
    return lambda: now


def byte_stream(*chunks: bytes) -> Callable[[int], bytes]:
    """``random_bytes`` yielding ``chunks`` in order, each read taking exactly one chunk."""
    it: Iterator[bytes] = iter(chunks)

    def read(n: int) -> bytes:
        chunk = next(it)
        assert len(chunk) == n, (len(chunk), n)
        return chunk

    return read


def repeating(chunk: bytes) -> Callable[[int], bytes]:
    def read(n: int) -> bytes:
        assert n == len(chunk)
        return chunk

    return read


def id_then_iv(id_random: bytes, iv: bytes | None) -> Callable[[int], bytes]:
    """Go's crypto/rand as the fixtures pinned it: 32 bytes for an ID, 16 for every IV."""

    def read(n: int) -> bytes:
        if n == 32:
            return id_random
        assert iv is not None and n == 16
        return iv

    return read


def typed(value: object) -> Any:
    """The typed jsonview of ``value`` with maps in the fixtures' canonical order."""
    import json

    from gorillacompat import jsonview
    from tests._fixtures import canonical_typed

    return canonical_typed(json.loads(jsonview.dumps(value, typed=True)))


def flashes_view(items: list[Any]) -> Any:
    from gorillacompat.gob import GoSlice

    return typed(GoSlice(items, elem_type="interface {}"))


def go_flashes(view: Any) -> Any:
    """Go's ``Flashes()`` result as the fixture shows it; a nil slice is ``[]`` in Python."""
    from tests._fixtures import canonical_typed

    if isinstance(view, dict) and view.get("v") is None:
        return {"t": view["t"], "v": []}
    return canonical_typed(view)
