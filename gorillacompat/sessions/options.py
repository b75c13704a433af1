"""Cookie options of a session (Go: ``sessions.Options``, ``http.SameSite``).

Layering: imports nothing from the package; ``cookie`` renders these, the stores copy them.
"""

from __future__ import annotations

import dataclasses
import enum

__all__ = ["DEFAULT_MAX_AGE", "Options", "SameSite"]

#: Go's stores default to 30 days (``86400 * 30``).
DEFAULT_MAX_AGE = 86400 * 30

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


class SameSite(enum.IntEnum):
    """The SameSite attribute (Go: ``http.SameSite``); the values are Go's.

    ``Options.same_site = None`` is Go's zero value (unset). ``DEFAULT`` is Go's
    ``SameSiteDefaultMode``; like unset it writes no attribute (Go >= 1.16).
    """

    DEFAULT = 1
    LAX = 2
    STRICT = 3
    NONE = 4


@dataclasses.dataclass
class Options:
    """Cookie attributes for a session (Go: ``sessions.Options``).

    ``max_age``: ``0`` = browser-session cookie (no Max-Age, no Expires); ``< 0`` = delete now
    (``Max-Age=0`` and an Expires in 1970); ``> 0`` = lifetime in seconds. Mutable, like Go's
    ``*Options``: each session gets its own copy of its store's defaults.
    ``partitioned`` needs gorilla/sessions v1.4 (Go 1.23).
    """

    path: str = "/"
    domain: str = ""
    max_age: int = DEFAULT_MAX_AGE
    secure: bool = False
    http_only: bool = False
    same_site: SameSite | None = None
    partitioned: bool = False

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ``ValueError``/``TypeError`` for values Go's ``Options`` cannot hold."""
        if isinstance(self.max_age, bool) or not isinstance(self.max_age, int):
            raise TypeError(f"max_age must be an int, not {type(self.max_age).__name__}")
        if not _INT64_MIN <= self.max_age <= _INT64_MAX:
            raise ValueError(f"max_age {self.max_age} does not fit in Go's int (int64)")
        if self.same_site is not None and not isinstance(self.same_site, SameSite):
            self.same_site = SameSite(self.same_site)
        if not isinstance(self.path, str) or not isinstance(self.domain, str):
            raise TypeError("path and domain must be str")

    def copy(self) -> Options:
        """An independent copy (Go: ``opts := *store.Options``), checked like a new one.

        Every session starts with one, so it copies the fields directly: ``dataclasses.replace``
        costs several times more.
        """
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.validate()
        return clone
