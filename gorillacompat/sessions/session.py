"""A session and its flashes (Go: ``sessions.Session``, ``AddFlash``, ``Flashes``), and the
errors of the sessions layer.

Layering: imports ``errors``, ``gob`` value types and ``options``; knows no store and no I/O.

``values`` is Go's ``map[interface{}]interface{}``: a ``GoMap`` whose key and element types are
``interface {}``. Flashes are stored exactly as Go stores them: a gob ``[]interface {}`` under the
key ``"_flash"`` (or a named key). Anything else under a flash key makes Go's ``Flashes()`` panic,
so :meth:`Session.flashes` refuses it too (``FlashTypeError``) and :meth:`Session.add_flash`
never writes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import GorillaError, MultiError, UsageError
from ..values import GoMap, GoSlice
from .options import Options

if TYPE_CHECKING:
    from .store import Store

__all__ = [
    "FLASHES_KEY",
    "FlashTypeError",
    "InvalidCookieNameError",
    "MissingStoreError",
    "SaveError",
    "SaveAllError",
    "Session",
    "new_values",
]

#: Go: ``flashesKey``.
FLASHES_KEY = "_flash"

_IFACE = "interface {}"


def new_values(data: Mapping[Any, Any] | None = None) -> GoMap:
    """An empty (or filled) Go ``map[interface {}]interface {}``."""
    return GoMap(data or {}, key_type=_IFACE, elem_type=_IFACE)


def _is_flash_list(v: object) -> bool:
    """True for what Go's ``v.([]interface{})`` accepts (a plain list stands for ``[]interface {}``)."""
    if isinstance(v, GoSlice):
        return v.go_type == "[]interface {}"
    return type(v) is list


class InvalidCookieNameError(UsageError, ValueError):
    """Go: ``Registry.Get``'s ``sessions: invalid character in cookie name: <name>``."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"sessions: invalid character in cookie name: {name}",
            hint="session names must be non-empty RFC 7230 tokens (letters, digits, !#$%&'*+-.^_`|~)",
        )
        self.name = name


class FlashTypeError(UsageError, TypeError):
    """The value under a flash key is not a ``[]interface {}`` (Go's ``Flashes`` would panic)."""

    def __init__(self, key: object, value: object) -> None:
        go_type = getattr(value, "go_type", type(value).__name__)
        super().__init__(
            f"sessions: flashes under {key!r} are {go_type}, not []interface {{}}",
            hint="Go's Session.Flashes panics on this value; store flashes only with add_flash",
        )
        self.key = key


class SaveError(GorillaError):
    """One session's save failed (Go: ``sessions: error saving session "<name>" -- <err>``).

    The kind (``is_usage``/``is_decode``/``is_internal``) is the cause's; Go's ``fmt.Errorf``
    wrapping loses it.
    """

    def __init__(self, name: str, cause: GorillaError) -> None:
        super().__init__(f'sessions: error saving session "{name}" -- {cause}', hint=cause.hint)
        self.name = name
        self.cause = cause

    def is_usage(self) -> bool:
        return self.cause.is_usage()

    def is_decode(self) -> bool:
        return self.cause.is_decode()

    def is_internal(self) -> bool:
        return self.cause.is_internal()


class MissingStoreError(UsageError):
    """Go: ``sessions: missing store for session "<name>"``."""

    def __init__(self, name: str) -> None:
        super().__init__(f'sessions: missing store for session "{name}"')
        self.name = name


class SaveAllError(MultiError):
    """Every failure of ``Registry.save_all`` (Go: ``sessions.MultiError``, same text).

    ``headers`` holds the ``Set-Cookie`` values of the sessions that did save: Go has already
    written those to the response when it returns this error.
    """

    def __init__(self, errors: Sequence[GorillaError], headers: Sequence[str] = ()) -> None:
        super().__init__(errors)
        self.headers: list[str] = list(headers)


class Session:
    """One named session (Go: ``sessions.Session``).

    ``values`` is Go's ``map[interface{}]interface{}``; ``id`` is empty for cookie-only stores;
    ``is_new`` is False only when an existing session was loaded; ``options`` is this session's
    own copy of the store defaults. ``error`` holds what Go's ``store.New`` returns next to the
    session (a bad, expired or foreign cookie, a missing file): the session is then a fresh one.
    """

    __slots__ = ("error", "id", "is_new", "name", "options", "store", "values")

    def __init__(
        self,
        name: str,
        store: Store | None = None,
        *,
        values: Mapping[Any, Any] | None = None,
        options: Options | None = None,
        id: str = "",  # Go: Session.ID
        is_new: bool = False,
    ) -> None:
        self.name = name
        self.store = store
        self.values: GoMap = values if isinstance(values, GoMap) else new_values(values)
        self.options: Options = options if options is not None else Options()
        self.id = id
        self.is_new = is_new
        self.error: GorillaError | None = None

    def __repr__(self) -> str:
        return (
            f"Session(name={self.name!r}, id={self.id!r}, is_new={self.is_new}, "
            f"values={dict(self.values)!r}, error={self.error!r})"
        )

    def add_flash(self, value: object, key: str = FLASHES_KEY) -> None:
        """Append a flash message (Go: ``Session.AddFlash``); stored as ``[]interface {}``."""
        items: list[Any] = []
        if key in self.values:
            existing = self.values[key]
            if not _is_flash_list(existing):
                raise FlashTypeError(key, existing)
            items = list(existing)
        items.append(value)
        self.values[key] = GoSlice(items, elem_type=_IFACE)

    def flashes(self, key: str = FLASHES_KEY) -> list[Any]:
        """Remove and return the flashes under ``key`` (Go: ``Session.Flashes``); ``[]`` if none.

        Like Go, the removal is persisted only by a later save. Raises ``FlashTypeError`` where
        Go would panic (the value is not a ``[]interface {}``); the value then stays in place.
        """
        if key not in self.values:
            return []
        v = self.values[key]
        if not _is_flash_list(v):
            raise FlashTypeError(key, v)
        del self.values[key]
        return list(v)

    def save(self) -> str:
        """Save through this session's store (Go: ``Session.Save``); returns the Set-Cookie value."""
        if self.store is None:
            raise MissingStoreError(self.name)
        return self.store.save(self)
