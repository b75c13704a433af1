"""Serializers: objects with ``dumps(value) -> bytes`` and ``loads(data) -> object``.

Layering: imports ``errors``, ``gob`` and ``gojson``; knows nothing of cookies. securecookie and the
stores take any object that satisfies :class:`Serializer`.

Go: the ``securecookie.Serializer`` interface and its three implementations.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from . import gob, gojson
from .errors import DeserializeError, GorillaError, SerializeError, ValueNotBytesError

__all__ = ["GobEncoder", "JSONEncoder", "NopEncoder", "Serializer"]


@runtime_checkable
class Serializer(Protocol):
    """What securecookie and the stores need of a serializer (Go: ``securecookie.Serializer``).

    ``dumps`` raises a ``GorillaError`` for values it cannot carry; ``loads`` raises a
    ``DecodeError`` for bytes it cannot read, and nothing else.
    """

    def dumps(self, value: object) -> bytes: ...

    def loads(self, data: bytes) -> object: ...


class GobEncoder:
    """encoding/gob, one fresh encoder per value, as Go's ``securecookie.GobEncoder`` does.

    Go: ``securecookie.GobEncoder``. ``type_ids`` picks the type-id numbering of the Go release
    whose bytes you want: ``"go1.21"`` (Go 1.21 and later, first id 64) or ``"go1.19"`` (65).
    Reading accepts both.
    """

    def __init__(self, *, registry: gob.Registry | None = None, type_ids: str = "go1.21") -> None:
        self.registry = registry
        self.type_ids = type_ids

    def dumps(self, value: object) -> bytes:
        try:
            return gob.dumps(value, registry=self.registry, type_ids=self.type_ids)
        except GorillaError as exc:
            raise SerializeError.caused_by(exc) from exc

    def loads(self, data: bytes) -> object:
        try:
            return gob.loads(data, registry=self.registry)
        except GorillaError as exc:
            raise DeserializeError.caused_by(exc) from exc

    def __repr__(self) -> str:
        return f"GobEncoder(type_ids={self.type_ids!r})"


class JSONEncoder:
    """encoding/json as ``json.NewEncoder(w).Encode`` writes it (note the trailing newline).

    Go: ``securecookie.JSONEncoder``. Reading follows ``json.NewDecoder(r).Decode`` into an
    ``interface{}``: numbers become float64 and data after the first value is ignored.
    ``profile`` selects the Go release whose output to reproduce (``"go1.21"``, ``"go1.22"``,
    ``"go1.27"``); the default covers Go 1.22 to 1.26.
    """

    def __init__(self, *, profile: str = "go1.22") -> None:
        self.profile = profile

    def dumps(self, value: object) -> bytes:
        try:
            return gojson.encode(value, profile=self.profile)
        except GorillaError as exc:
            raise SerializeError.caused_by(exc) from exc

    def loads(self, data: bytes) -> object:
        try:
            return gojson.decode_first(data)
        except GorillaError as exc:
            raise DeserializeError.caused_by(exc) from exc

    def __repr__(self) -> str:
        return f"JSONEncoder(profile={self.profile!r})"


class NopEncoder:
    """Bytes in, bytes out (Go: ``securecookie.NopEncoder``); anything else is Go's error."""

    def dumps(self, value: object) -> bytes:
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise ValueNotBytesError()
        return bytes(value)

    def loads(self, data: bytes) -> object:
        return bytes(data)

    def __repr__(self) -> str:
        return "NopEncoder()"
