"""Helpers shared by the csrf tests: a CSRF from fixture options, pinned randomness."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from gorillacompat.csrf import CSRF, SameSite

AUTH_KEY = bytes(range(40, 72))
NOW = 1700000000


def feeder(*chunks: bytes) -> Callable[[int], bytes]:
    """A ``random_bytes`` that yields ``chunks`` in order and then fails (like the harness's reader)."""
    it: Iterator[bytes] = iter(chunks)

    def random_bytes(n: int) -> bytes:
        chunk = next(it)
        assert len(chunk) == n
        return chunk

    return random_bytes


def csrf_from_fixture(case: dict[str, Any], random_bytes: Callable[[int], bytes] | None = None) -> CSRF:
    """The CSRF that ``csrf.Protect`` with the fixture's (explicit) options stands for."""
    o = case["options"]
    return CSRF(
        bytes.fromhex(case["auth_key"]),
        cookie_name=o["cookie_name"],
        field_name=o["field_name"],
        request_header=o["request_header"],
        max_age=o["max_age"],
        path=o["path"],
        domain=o["domain"],
        secure=o["secure"],
        http_only=o["http_only"],
        same_site=SameSite(o["same_site"]) if o["same_site"] else None,
        clock=lambda: case["now"],
        random_bytes=random_bytes,
    )
