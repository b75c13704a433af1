"""One export/import interface over every session store, and the URLs that open them.

Layering: below the command modules of ``cli`` and above the stores; imports no click, so the
generic commands (``_transfer``) and a Python migration script can use it alike. Each adapter
(``for_redis``, ``for_files``, ``for_pgstore``, …) imports its store's driver only when opened.

A store holds, per session ID, some *stored bytes* and maybe an expiry. The stored bytes wrap the
*payload* (the serialized ``session.Values``) in one of two envelopes::

    plain         stored = payload                                  # boj/redistore, memcache gob/json
    securecookie  stored = securecookie.EncodeMulti(name, payload)  # files, pgstore, gormstore,
                                                                    # memcache's default
Copying keeps the stored bytes when the target would write the very same envelope (Go's bytes
stay Go's bytes), keeps the payload when only the envelope changes, and re-serializes the values
only when the serializer changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

from ..._encoding import url_b64decode
from ...errors import DecodeError, UsageError
from ...securecookie import SecureCookie, codecs_from_pairs, decode_multi, parse_timestamp
from ...serializers import GobEncoder, JSONEncoder, NopEncoder

__all__ = [
    "SCHEMES",
    "SECURECOOKIE_SERIALIZERS",
    "Backend",
    "BackendURLError",
    "Envelope",
    "MissingKeysError",
    "Opened",
    "Plain",
    "Position",
    "Record",
    "Serializer",
    "Signed",
    "Signing",
    "URLOptions",
    "UnsupportedBackendError",
    "open_backend",
    "option_choice",
    "redact",
    "sorted_batches",
]

#: Where a scan stopped, as a JSON object a checkpoint can hold.
Position = dict[str, Any]


class BackendURLError(UsageError, ValueError):
    """A store URL that names no known backend, or has an option the backend does not take."""


class MissingKeysError(UsageError):
    """A securecookie store was named without the key pairs its records are signed with."""


class UnsupportedBackendError(UsageError):
    """The backend needs a package that is not installed (an extra, or a store not yet built)."""


class Serializer(Protocol):
    """A payload codec: securecookie's encoders and redistore's session serializers both fit."""

    def dumps(self, values: Any) -> bytes: ...

    def loads(self, data: bytes) -> Any: ...


@dataclass(frozen=True)
class Record:
    """One stored session, as the backend holds it."""

    #: The session ID (what the browser's cookie carries, signed).
    id: str
    #: Exactly the bytes the store holds: the Redis value, the file, the ``data`` column.
    stored: bytes
    #: When the store drops it, Unix milliseconds; None: never (the signed timestamp decides).
    expires_ms: int | None
    #: The store's own name for it (Redis key, file name, ...), for reports and JSONL.
    key: str


@dataclass(frozen=True)
class Opened:
    """A record's stored bytes, verified and unwrapped."""

    payload: bytes
    #: The securecookie timestamp (Unix seconds); None for a plain envelope.
    timestamp: int | None


class Envelope(Protocol):
    """How a backend wraps the serialized values into its stored bytes."""

    @property
    def format(self) -> str:
        """``"plain"`` or ``"securecookie"`` (the JSONL ``format`` field)."""
        ...

    @property
    def serializer_name(self) -> str:
        """``"gob"`` or ``"json"``: equal names mean a payload can be carried over byte for byte."""
        ...

    @property
    def serializer(self) -> Serializer: ...

    def open(self, stored: bytes) -> Opened:
        """Verify and unwrap; raises a ``DecodeError`` for bytes this envelope did not write."""
        ...

    def seal(self, payload: bytes, timestamp: int | None) -> bytes:
        """Wrap ``payload`` (a signed envelope stamps ``timestamp``, or now when None)."""
        ...

    def keeps(self, fmt: str, serializer_name: str, stored: bytes) -> bool:
        """Whether ``stored``, of that format and serializer, is already what this envelope writes."""
        ...

    def expiry_ms(self, opened: Opened) -> int | None:
        """When a reader with these settings stops accepting it (signed: timestamp + max age)."""
        ...


@dataclass(frozen=True)
class Plain:
    """The payload is the stored value (boj/redistore, memcache's gob and JSON store methods)."""

    serializer_name: str
    serializer: Serializer = field(compare=False)
    format: str = "plain"

    def open(self, stored: bytes) -> Opened:
        return Opened(stored, None)

    def seal(self, payload: bytes, timestamp: int | None) -> bytes:
        return payload

    def keeps(self, fmt: str, serializer_name: str, stored: bytes) -> bool:
        return fmt == self.format and serializer_name == self.serializer_name

    def expiry_ms(self, opened: Opened) -> int | None:
        return None


@dataclass(frozen=True)
class Signing:
    """The securecookie settings of signed stores: the cookie name and key pairs, from flags.

    ``keys`` are hash, block, hash, block, … (Go's order: the first pair signs). ``max_age`` and
    ``min_age`` apply when reading, as the Go store's codecs would; ``clock`` is for tests.
    """

    name: str = "session"
    keys: tuple[bytes | None, ...] = ()
    hash_name: str = "sha256"
    max_age: int = 86400 * 30
    min_age: int = 0
    max_length: int = 4096
    clock: Callable[[], int] | None = None


#: securecookie serializers by name (Go: ``securecookie.GobEncoder`` / ``JSONEncoder``).
SECURECOOKIE_SERIALIZERS: dict[str, Callable[[], Serializer]] = {"gob": GobEncoder, "json": JSONEncoder}


@dataclass(frozen=True)
class Signed:
    """``securecookie.EncodeMulti(name, values)`` (files, pgstore, gormstore, memcache default)."""

    serializer_name: str
    signing: Signing
    format: str = "securecookie"
    serializer: Serializer = field(init=False, compare=False)
    _readers: list[SecureCookie] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.signing.keys:
            raise MissingKeysError(
                "no hash key: a securecookie store (files, PostgreSQL, GORM, memcache) needs "
                "--hash-key (and --block-key if it encrypts)"
            )
        s = self.signing
        object.__setattr__(self, "serializer", SECURECOOKIE_SERIALIZERS[self.serializer_name]())
        readers = codecs_from_pairs(
            *s.keys, hash_name=s.hash_name, serializer=NopEncoder(), max_age=s.max_age,
            min_age=s.min_age, max_length=s.max_length, clock=s.clock,
        )  # fmt: skip
        object.__setattr__(self, "_readers", readers)

    def open(self, stored: bytes) -> Opened:
        text = stored.decode("utf-8", "surrogateescape")
        payload = decode_multi(self.signing.name, text, self._readers)
        assert isinstance(payload, bytes)  # NopEncoder
        return Opened(payload, parse_timestamp(url_b64decode(stored).split(b"|", 1)[0]))

    def seal(self, payload: bytes, timestamp: int | None) -> bytes:
        s = self.signing
        first = self._readers[0]
        clock = (lambda: timestamp) if timestamp is not None else s.clock
        writer = SecureCookie(
            first.hash_key, first.block_key, hash_name=s.hash_name, serializer=NopEncoder(),
            max_length=s.max_length, clock=clock,
        )  # fmt: skip
        return writer.encode(s.name, payload).encode("ascii")

    def keeps(self, fmt: str, serializer_name: str, stored: bytes) -> bool:
        """Same format and serializer, and signed by this envelope's first key pair already."""
        if fmt != self.format or serializer_name != self.serializer_name:
            return False
        try:
            self._readers[0].decode(self.signing.name, stored.decode("utf-8", "surrogateescape"))
        except DecodeError:
            return False
        return True

    def expiry_ms(self, opened: Opened) -> int | None:
        if opened.timestamp is None or not self.signing.max_age:
            return None
        return (opened.timestamp + self.signing.max_age) * 1000


class Backend(Protocol):
    """What the export/import/copy commands need from a session store.

    Every method raises the store's own ``GorillaError`` subclasses (a server down, a refused
    command); none raises a driver exception.
    """

    @property
    def envelope(self) -> Envelope:
        """How stored bytes wrap the values."""
        ...

    @property
    def base(self) -> str:
        """A record of ID ``x`` lives at ``base + x``; equal bases mean the same records.

        Used to convert in place and to skip a copy's own output when the stores overlap.
        """
        ...

    @property
    def stores_expiry(self) -> bool:
        """False when the store keeps no expiry of its own (files: the signed timestamp decides)."""
        ...

    @property
    def key_field(self) -> str:
        """The JSONL field that holds ``Record.key`` (``"key"``; ``"file"`` for the filesystem)."""
        ...

    def describe(self) -> str:
        """The store as a URL without secrets, for reports and checkpoints."""
        ...

    def count(self) -> int | None:
        """How many sessions there are, when that is cheap to know; else None."""
        ...

    def scan(self, batch: int, position: Position | None = None) -> Iterator[tuple[list[str], Position]]:
        """Batches of session IDs, each with the position to resume *after* it.

        An ID may come twice (Redis ``SCAN``); callers skip repeats.
        """
        ...

    def read(self, ids: Sequence[str]) -> list[Record | None]:
        """The records of ``ids``, in order; None where one is gone."""
        ...

    def write(self, records: Sequence[Record]) -> None:
        """Store each record under its ID with its expiry, replacing what is there."""
        ...

    def delete(self, ids: Sequence[str]) -> int:
        """Remove the records of ``ids``; how many there were."""
        ...

    def close(self) -> None: ...


#: URL scheme → ``module:function`` of the adapter that opens it (imported on use).
SCHEMES: dict[str, str] = {
    "redis": "for_redis:open_redis",
    "rediss": "for_redis:open_redis",
    "unix": "for_redis:open_redis",
    "redis+cluster": "for_redis:open_redis",
    "rediss+cluster": "for_redis:open_redis",
    "file": "for_files:open_files",
    "postgresql": "for_pgstore:open_pgstore",
    "postgres": "for_pgstore:open_pgstore",
    "memcache": "for_memcache:open_memcache",
    "gorm+postgresql": "for_gormstore:open_gormstore",
    "gorm+postgres": "for_gormstore:open_gormstore",
    "gorm+mysql": "for_gormstore:open_gormstore",
    "gorm+sqlite": "for_gormstore:open_gormstore",
}


def open_backend(url: str, signing: Signing) -> Backend:
    """The backend a URL names: ``redis://host:6379/0?prefix=session_``, ``file:///dir``,
    ``postgresql://user@host/db``, … (docs/cli.md lists them and their options).

    Raises ``BackendURLError`` for an unknown scheme or option, ``UnsupportedBackendError`` when its
    package is missing, and the store's own error when the server cannot be reached.
    """
    scheme = urlsplit(url).scheme.lower()
    target = SCHEMES.get(scheme)
    if target is None:
        known = ", ".join(f"{s}://" for s in SCHEMES)
        raise BackendURLError(f"cannot open {redact(url)!r}: unknown store URL scheme; use one of {known}")
    module_name, func = target.split(":")
    try:
        module = importlib.import_module(f"{__name__}.{module_name}")
    except ImportError as exc:
        raise UnsupportedBackendError(
            f"{scheme}:// needs a package that is not installed ({exc.name}); "
            "install gorillacompat with that store's extra"
        ) from exc
    opener: Callable[[str, Signing], Backend] = getattr(module, func)
    return opener(url, signing)


class URLOptions:
    """A store URL split into what the adapter takes (``options``) and what it passes on."""

    def __init__(self, url: str, known: dict[str, str]) -> None:
        self.parts: SplitResult = urlsplit(url)
        self.url = url
        self.options = dict(known)
        rest = []
        for k, v in parse_qsl(self.parts.query, keep_blank_values=True):
            if k in known:
                self.options[k] = v
            else:
                rest.append((k, v))
        self.rest = rest

    def passed_on(self, *, scheme: str | None = None) -> str:
        """The URL without the adapter's own options (what the driver gets)."""
        p = self.parts
        return urlunsplit((scheme or p.scheme, p.netloc, p.path, urlencode(self.rest), p.fragment))

    def reject_unknown(self) -> None:
        if self.rest:
            names = ", ".join(k for k, _ in self.rest)
            raise BackendURLError(
                f"{redact(self.url)}: unknown option(s) {names}; known: {', '.join(self.options)}"
            )

    def integer(self, name: str) -> int:
        try:
            return int(self.options[name])
        except ValueError:
            raise BackendURLError(f"{redact(self.url)}: {name} must be an integer") from None


def sorted_batches(
    ids: Iterable[str], batch: int, position: Position | None
) -> Iterator[tuple[list[str], Position]]:
    """``ids`` in sorted order, in batches, after ``position`` (stores without a cursor of their own)."""
    after = (position or {}).get("after", "")
    todo = sorted(i for i in set(ids) if i > after)
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        yield chunk, {"after": chunk[-1]}


def redact(url: str) -> str:
    """The URL with its password replaced by ``***`` (for messages and checkpoints)."""
    p = urlsplit(url)
    if p.password is None:
        return url
    host = p.netloc.rsplit("@", 1)[1]
    return urlunsplit((p.scheme, f"{p.username or ''}:***@{host}", p.path, p.query, p.fragment))


def option_choice(url: URLOptions, name: str, choices: Collection[str]) -> str:
    """The URL option ``name``, checked against what the store supports."""
    value = url.options[name]
    if value not in choices:
        raise BackendURLError(f"{redact(url.url)}: {name} must be one of {', '.join(choices)}, not {value!r}")
    return value
