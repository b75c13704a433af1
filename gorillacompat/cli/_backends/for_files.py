"""The filesystem adapter: gorilla/sessions FilesystemStore directories.

Layering: imports ``sessions.filesystem`` (file naming and atomic replace).

A record is the file ``<dir>/session_<ID>`` holding ``securecookie.EncodeMulti(name, values)``
(gorilla/sessions ``FilesystemStore.save``). The store keeps no expiry: the signed timestamp and
the reader's MaxAge decide. Files are listed in name order, so a position is the last name done;
writes are atomic (temp file + ``os.replace``, mode 0600) and the directory is made if missing.

URL: ``file:///path/to/dir?serializer=gob``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from urllib.parse import unquote

from ...sessions.filesystem import SESSION_FILE_PREFIX, FilesystemError, go_base, replace_file, temp_file
from . import (
    SECURECOOKIE_SERIALIZERS,
    BackendURLError,
    Position,
    Record,
    Signed,
    Signing,
    URLOptions,
    option_choice,
    sorted_batches,
)

__all__ = ["FilesBackend", "open_files"]


class FilesBackend:
    """The ``session_*`` files of one directory."""

    key_field = "file"
    stores_expiry = False

    def __init__(self, directory: str, signing: Signing, *, serializer: str = "gob") -> None:
        self.directory = directory
        self.envelope = Signed(serializer, signing)
        self.base = os.path.join(os.path.realpath(directory), SESSION_FILE_PREFIX)

    def describe(self) -> str:
        return f"file://{os.path.abspath(self.directory)} serializer={self.envelope.serializer_name}"

    def _names(self) -> list[str]:
        try:
            return sorted(e for e in os.listdir(self.directory) if e.startswith(SESSION_FILE_PREFIX))
        except OSError as exc:
            raise FilesystemError("open", self.directory, exc) from exc

    def count(self) -> int | None:
        return len(self._names())

    def scan(self, batch: int, position: Position | None = None) -> Iterator[tuple[list[str], Position]]:
        ids = (n[len(SESSION_FILE_PREFIX) :] for n in self._names())
        return sorted_batches(ids, batch, position)

    def _path(self, session_id: str) -> str:
        return os.path.join(self.directory, SESSION_FILE_PREFIX + go_base(session_id))

    def read(self, ids: Sequence[str]) -> list[Record | None]:
        out: list[Record | None] = []
        for i in ids:
            path = self._path(i)
            try:
                with open(path, "rb") as f:
                    out.append(Record(i, f.read(), None, os.path.basename(path)))
            except FileNotFoundError:
                out.append(None)
            except OSError as exc:
                raise FilesystemError("open", path, exc) from exc
        return out

    def write(self, records: Sequence[Record]) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
        except OSError as exc:
            raise FilesystemError("mkdir", self.directory, exc) from exc
        for r in records:
            path = self._path(r.id)
            try:
                fd, tmp = temp_file(self.directory)
                replace_file(fd, tmp, path, r.stored)
            except OSError as exc:
                raise FilesystemError("write", path, exc) from exc

    def delete(self, ids: Sequence[str]) -> int:
        n = 0
        for i in ids:
            path = self._path(i)
            try:
                os.remove(path)
                n += 1
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise FilesystemError("remove", path, exc) from exc
        return n

    def close(self) -> None:
        """Nothing to close: files are opened per record."""


def open_files(url: str, signing: Signing) -> FilesBackend:
    """``file:///dir`` (an absolute path; ``file:relative/dir`` is refused as ambiguous)."""
    opts = URLOptions(url, {"serializer": "gob"})
    opts.reject_unknown()
    if opts.parts.netloc not in ("", "localhost") or not opts.parts.path.startswith("/"):
        raise BackendURLError(f"{url}: use file:///absolute/path/to/dir")
    serializer = option_choice(opts, "serializer", SECURECOOKIE_SERIALIZERS)
    return FilesBackend(unquote(opts.parts.path), signing, serializer=serializer)
