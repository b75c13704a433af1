"""Sessions in Redis, shared byte for byte with Go's boj/redistore (and rbcervilla/redisstore).

Layering: ``errors`` ← ``gob``/``gojson`` ← ``securecookie`` ← ``sessions`` ← ``redistore``; the only
package module that imports redis-py. ``_core`` holds the rules (no I/O); ``store`` (sync) and
``asyncio`` are thin shells over redis-py; ``rbcervilla`` is the second Go store's flavour.

Go: ``github.com/boj/redistore/v2`` v2.0.1 (``compat="v2"``) and ``github.com/boj/redistore``
2018 … v1.4.2 (``compat="v1"``).
"""

from ._core import new_session_id as new_session_id
from ._errors import InvalidExpireError as InvalidExpireError
from ._errors import JSONKeyError as JSONKeyError
from ._errors import RedisConnectionError as RedisConnectionError
from ._errors import RedisResponseError as RedisResponseError
from ._errors import RedisStoreConfigError as RedisStoreConfigError
from ._errors import RedisStoreError as RedisStoreError
from ._errors import RedisTimeoutError as RedisTimeoutError
from ._errors import ReplicationError as ReplicationError
from ._errors import ValueTooBigError as ValueTooBigError
from ._serializers import GobSerializer as GobSerializer
from ._serializers import JSONSerializer as JSONSerializer
from ._serializers import SessionSerializer as SessionSerializer
from .asyncio import AsyncRedisStore as AsyncRedisStore
from .rbcervilla import AsyncRbcRedisStore as AsyncRbcRedisStore
from .rbcervilla import RbcRedisStore as RbcRedisStore
from .store import RedisStore as RedisStore

__all__ = [
    "AsyncRbcRedisStore",
    "AsyncRedisStore",
    "GobSerializer",
    "InvalidExpireError",
    "JSONKeyError",
    "JSONSerializer",
    "RbcRedisStore",
    "RedisConnectionError",
    "RedisResponseError",
    "RedisStoreConfigError",
    "RedisStoreError",
    "RedisTimeoutError",
    "RedisStore",
    "ReplicationError",
    "SessionSerializer",
    "ValueTooBigError",
    "new_session_id",
]
