"""FilesystemStore: session values in files, the session ID in the cookie
(Go: ``sessions.FilesystemStore``).

Layering: imports ``store`` and below; its only I/O is its own directory.

Wire layout (gorilla/sessions v1.4.0 ``store.go``: ``Save``, ``save``, ``load``, ``erase``):

- file ``<path>/session_<filepath.Base(ID)>``, mode 0600, holding
  ``securecookie.EncodeMulti(sessionName, session.Values, codecs...)`` (ASCII, no newline);
- cookie value ``securecookie.EncodeMulti(sessionName, session.ID, codecs...)`` (gob string);
- ID: 52 characters of base32 (std alphabet, no padding) of 32 random bytes.

Unlike Go's ``os.WriteFile``, writes are atomic: a temporary file in the same directory is
written, fsynced and ``os.replace``d over the session file, so readers never see a torn file
and a failed save leaves the previous file in place.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import GorillaError, InternalError
from ..serializers import Serializer
from ..values import GoMap
from .options import Options
from .session import Session
from .store import CodecStore, new_session_id

__all__ = [
    "SESSION_FILE_PREFIX",
    "FilesystemError",
    "FilesystemStore",
    "go_base",
    "replace_file",
    "temp_file",
]

#: Go: ``sessionFilePrefix``.
SESSION_FILE_PREFIX = "session_"
_TMP_PREFIX = ".tmp-" + SESSION_FILE_PREFIX


class FilesystemError(InternalError):
    """Reading, writing or removing a session file failed; the text follows Go's ``*PathError``
    (``open /tmp/session_X: no such file or directory``)."""

    def __init__(self, op: str, path: str, exc: OSError | ValueError) -> None:
        if isinstance(exc, OSError) and exc.errno is not None:
            reason = os.strerror(exc.errno)
            reason = reason[:1].lower() + reason[1:]
        else:
            reason = str(exc)
        super().__init__(f"{op} {path}: {reason}")
        self.op = op
        self.path = path
        self.errno = exc.errno if isinstance(exc, OSError) else None


def go_base(path: str) -> str:
    """Go's ``filepath.Base`` on Unix: the last element; ``"."`` for ``""``, ``"/"`` for slashes."""
    if path == "":
        return "."
    path = path.rstrip("/")
    if path == "":
        return "/"
    return path.rsplit("/", 1)[-1]


class FilesystemStore(CodecStore):
    """Go: ``sessions.NewFilesystemStore(path, keyPairs...)``.

    ``path`` ``""`` means the system temp directory, as in Go. ``max_length`` is set on every
    codec (Go: ``store.MaxLength``) and limits the file contents too; 0 means no limit.
    Default Options: Path ``/``, MaxAge 30 days (no Secure, no SameSite, in every release).
    ``save`` with ``options.max_age <= 0`` deletes the file and sends an empty cookie.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *keys: bytes | None,
        options: Options | None = None,
        max_length: int = 4096,
        serializer: Serializer | None = None,
        codec_options: Mapping[str, Any] | None = None,
        clock: Callable[[], int] | None = None,
        random_bytes: Callable[[int], bytes] | None = None,
    ) -> None:
        self.path = os.fspath(path) or tempfile.gettempdir()
        super().__init__(
            keys,
            options,
            clock=clock,
            random_bytes=random_bytes,
            serializer=serializer,
            codec_options=codec_options,
        )
        self.max_length = max_length

    @property
    def max_length(self) -> int:
        """The codecs' max_length (Go: ``FilesystemStore.MaxLength``)."""
        return self.codecs[0].max_length if self.codecs else self._max_length

    @max_length.setter
    def max_length(self, length: int) -> None:
        self._max_length = length
        for codec in self.codecs:
            codec.max_length = length

    def filename(self, session_id: str) -> str:
        """Go: ``filepath.Join(path, "session_"+filepath.Base(ID))``."""
        return os.path.join(self.path, SESSION_FILE_PREFIX + go_base(session_id))

    # -- Store -----------------------------------------------------------------------------------

    def new(self, cookies: Mapping[str, str], name: str) -> Session:
        """Go: ``FilesystemStore.New``; ``is_new`` is False only if cookie and file both load."""
        session = self._fresh(name)
        value = cookies.get(name)
        if value is None:
            return session
        try:
            session.id = self._decode_id(name, value)
            session.values = self._load(session)
        except GorillaError as exc:
            session.error = exc
        else:
            session.is_new = False
        return session

    def save(self, session: Session) -> str:
        """Go: ``FilesystemStore.Save``: write (or erase) the file, return the Set-Cookie value.

        Raises ``FilesystemError`` or what ``encode_multi`` raises; the old file is then intact.
        """
        with self._one_reading() as now:
            if session.options.max_age <= 0:
                self._erase(session)
                return self._cookie(session, "", now)
            if not session.id:
                session.id = new_session_id(self.random_bytes)
            self._write(session)
            encoded = self._encode(session.name, session.id)
        return self._cookie(session, encoded, now)

    # -- files -------------------------------------------------------------------------------------

    def _load(self, session: Session) -> GoMap:
        filename = self.filename(session.id)
        try:
            with open(filename, "rb") as f:
                data = f.read()
        except (OSError, ValueError) as exc:
            raise FilesystemError("open", filename, exc) from exc
        return self._decode_values(session.name, data.decode("utf-8", "surrogateescape"))

    def _write(self, session: Session) -> None:
        encoded = self._encode(session.name, session.values)
        filename = self.filename(session.id)
        if go_base(session.id) in ("/", ".", ".."):
            raise FilesystemError("open", filename, OSError(errno.EISDIR, "is a directory"))
        try:
            fd, tmp = temp_file(self.path)
        except (OSError, ValueError) as exc:
            raise FilesystemError("open", filename, exc) from exc
        try:
            replace_file(fd, tmp, filename, encoded.encode("ascii"))
        except (OSError, ValueError) as exc:
            raise FilesystemError("write", filename, exc) from exc

    def _erase(self, session: Session) -> None:
        filename = self.filename(session.id)
        try:
            os.remove(filename)
        except FileNotFoundError:
            pass  # ignored since gorilla/sessions v1.2.2 (os.IsNotExist)
        except (OSError, ValueError) as exc:
            raise FilesystemError("remove", filename, exc) from exc


def temp_file(directory: str) -> tuple[int, str]:
    """A new temp file beside the session files, mode 0600 (as Go's ``os.WriteFile(..., 0600)``)."""
    return tempfile.mkstemp(prefix=_TMP_PREFIX, dir=directory)


def replace_file(fd: int, tmp: str, path: str, data: bytes) -> None:
    """Fill the temp file ``tmp`` (open as ``fd``), fsync it and move it over ``path``.

    Readers see the old file or the whole new one, never a torn one; on any failure the temp file
    is removed and ``path`` is untouched (Go's ``os.WriteFile`` gives neither guarantee).
    """
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
