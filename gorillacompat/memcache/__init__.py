"""Sessions in memcached, shared byte for byte with Go's bradleypeabody/gorilla-sessions-memcache
(the store that gin-contrib/sessions/memcached wraps).

Layering: ``errors`` ← ``securecookie`` ← ``sessions`` ← ``redistore`` (value serializers) ←
``memcache``; the only package modules that import pymemcache and aiomcache. ``_core`` holds the
rules (no I/O); ``store`` (sync, pymemcache) and ``asyncio`` (its own pipelined client,
``_pipeline``, or an aiomcache client you pass in) are thin shells. Install with the ``memcache``
extra.

Go: ``github.com/bradleypeabody/gorilla-sessions-memcache`` v0.0.0-20240916143655-c0e34fd2f304.
"""

from ._core import DEFAULT_MAX_AGE as DEFAULT_MAX_AGE
from ._core import DEFAULT_MAX_ITEM_SIZE as DEFAULT_MAX_ITEM_SIZE
from ._core import DEFAULT_MAX_LENGTH as DEFAULT_MAX_LENGTH
from ._core import STORE_METHODS as STORE_METHODS
from ._core import exptime as exptime
from ._core import memcache_key as memcache_key
from ._errors import CorruptValueError as CorruptValueError
from ._errors import ItemTooLargeError as ItemTooLargeError
from ._errors import JSONKeyError as JSONKeyError
from ._errors import MalformedKeyError as MalformedKeyError
from ._errors import MemcacheConnectionError as MemcacheConnectionError
from ._errors import MemcacheResponseError as MemcacheResponseError
from ._errors import MemcacheStoreConfigError as MemcacheStoreConfigError
from ._errors import MemcacheStoreError as MemcacheStoreError
from ._errors import MemcacheTimeoutError as MemcacheTimeoutError
from .asyncio import AsyncMemcacheStore as AsyncMemcacheStore
from .store import MemcacheStore as MemcacheStore

__all__ = [
    "DEFAULT_MAX_AGE",
    "DEFAULT_MAX_ITEM_SIZE",
    "DEFAULT_MAX_LENGTH",
    "STORE_METHODS",
    "AsyncMemcacheStore",
    "CorruptValueError",
    "ItemTooLargeError",
    "JSONKeyError",
    "MalformedKeyError",
    "MemcacheConnectionError",
    "MemcacheResponseError",
    "MemcacheStoreConfigError",
    "MemcacheStoreError",
    "MemcacheTimeoutError",
    "MemcacheStore",
    "exptime",
    "memcache_key",
]
