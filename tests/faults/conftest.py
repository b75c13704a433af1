"""Reuse the loopback Redis fixtures of tests/redistore (a real redis-server on 127.0.0.1)."""

from tests.redistore.conftest import redis_server as redis_server

__all__ = ["redis_server"]
