"""gorilla/sessions in Python: sessions, flashes, stores and the exact ``Set-Cookie`` bytes.

Go: ``github.com/gorilla/sessions`` (v1.2 … v1.4) and ``github.com/quasoft/memstore``.

Layering: ``securecookie`` ← ``sessions`` (``options`` ← ``cookie``; ``session`` ← ``store`` ←
``cookiestore``/``filesystem``/``memory``) ← adapters. The core takes a cookie mapping and returns
the ``Set-Cookie`` value; it knows no web framework and no Redis.

Go's ``store.New`` returns a session *and* an error; here ``get``/``new`` return the session and
put that error on ``session.error``. Only an invalid cookie name raises
(``InvalidCookieNameError``).
"""

from .cookie import http_date as http_date
from .cookie import is_cookie_name_valid as is_cookie_name_valid
from .cookie import new_cookie as new_cookie
from .cookie import parse_cookie_header as parse_cookie_header
from .cookie import valid_cookie_domain as valid_cookie_domain
from .cookiestore import COMPAT_VERSIONS as COMPAT_VERSIONS
from .cookiestore import CookieStore as CookieStore
from .cookiestore import PartitionedUnsupportedError as PartitionedUnsupportedError
from .cookiestore import cookie_store_defaults as cookie_store_defaults
from .filesystem import FilesystemError as FilesystemError
from .filesystem import FilesystemStore as FilesystemStore
from .memory import MemStore as MemStore
from .options import DEFAULT_MAX_AGE as DEFAULT_MAX_AGE
from .options import Options as Options
from .options import SameSite as SameSite
from .session import FLASHES_KEY as FLASHES_KEY
from .session import FlashTypeError as FlashTypeError
from .session import InvalidCookieNameError as InvalidCookieNameError
from .session import MissingStoreError as MissingStoreError
from .session import SaveAllError as SaveAllError
from .session import SaveError as SaveError
from .session import Session as Session
from .store import CodecStore as CodecStore
from .store import Registry as Registry
from .store import Store as Store
from .store import new_session_id as new_session_id

#: Go's name for the error ``Registry.save_all`` raises (``sessions.MultiError``).
MultiError = SaveAllError

__all__ = [
    "COMPAT_VERSIONS",
    "DEFAULT_MAX_AGE",
    "FLASHES_KEY",
    "CodecStore",
    "CookieStore",
    "FilesystemError",
    "FilesystemStore",
    "FlashTypeError",
    "InvalidCookieNameError",
    "MemStore",
    "MissingStoreError",
    "MultiError",
    "Options",
    "PartitionedUnsupportedError",
    "Registry",
    "SameSite",
    "SaveAllError",
    "SaveError",
    "Session",
    "Store",
    "cookie_store_defaults",
    "http_date",
    "is_cookie_name_valid",
    "new_cookie",
    "new_session_id",
    "parse_cookie_header",
    "valid_cookie_domain",
]
