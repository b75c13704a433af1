"""memcached's text protocol for the store's three commands, without I/O: commands out, answers in.

Layering: imports ``_errors`` only. Both clients the store makes use it: ``_client`` (sync, one
pooled socket per command) and ``_pipeline`` (asyncio, many commands in flight on a connection).
Every check that keeps a connection in step lives here once, so neither client can hand a request
an answer that was not its own.
"""

from __future__ import annotations

from typing import Final

from ._errors import ReplyError

__all__ = [
    "GET",
    "LINE",
    "MAX_VALUE",
    "Answer",
    "delete_command",
    "get_command",
    "out_of_step",
    "parse_answer",
    "set_command",
    "status",
]

GET: Final = 0  # answer: VALUE <key> <flags> <bytes>\r\n<data>\r\nEND\r\n, or END\r\n
LINE: Final = 1  # answer: one line (STORED, DELETED, NOT_FOUND, ...)

#: The largest value a client reads: memcached's own ceiling (-I 1024m); a larger size is garbage.
MAX_VALUE: Final = 1024 * 1024 * 1024

_END: Final = b"END"
_VALUE_END: Final = b"\r\nEND\r\n"
#: Answers after which the stream cannot be trusted: the command itself was not understood.
_DESYNC: Final = (b"ERROR", b"CLIENT_ERROR")
_ERRORS: Final = (b"SERVER_ERROR", *_DESYNC)
#: Longer than any answer line (a VALUE line holds a key of at most 250 bytes).
_MAX_LINE: Final = 1024
#: The one-line answers of set and delete.
_STATUS: Final = frozenset((b"STORED", b"NOT_STORED", b"EXISTS", b"NOT_FOUND", b"DELETED"))

#: A get's value (None: a miss), a status line, or memcached's error line.
Answer = bytes | None | ReplyError


def get_command(key: bytes) -> bytes:
    return b"get " + key + b"\r\n"


def set_command(key: bytes, value: bytes, exptime: int) -> bytes:
    """``set key 0 exptime``: flags 0, as gomemcache's ``Item`` sends them by default."""
    return b"set %b 0 %d %d\r\n%b\r\n" % (key, exptime, len(value), value)


def delete_command(key: bytes) -> bytes:
    return b"delete " + key + b"\r\n"


def parse_answer(
    buf: bytes | bytearray, pos: int, kind: int, key: bytes, max_value: int
) -> tuple[Answer, int] | None:
    """The answer to a ``kind`` command for ``key`` that starts at ``pos``, and where the next
    answer starts; None while ``buf`` does not hold all of it yet.

    Raises ConnectionResetError when the bytes cannot be this command's answer (another key's
    value, a malformed or oversized one, a line no answer has): the connection is out of step
    and must be closed.
    """
    eol = buf.find(b"\r\n", pos)
    if eol < 0:
        if len(buf) - pos > _MAX_LINE:
            raise ConnectionResetError("memcached sent a line longer than any answer")
        return None
    if kind == GET and buf.startswith(b"VALUE ", pos):
        end = _value_end(buf, pos, eol, key, max_value)
        if len(buf) < end + len(_VALUE_END):
            return None
        if buf[end : end + len(_VALUE_END)] != _VALUE_END:
            raise ConnectionResetError("memcached sent a value without END")
        return bytes(buf[eol + 2 : end]), end + len(_VALUE_END)
    return _line_answer(kind, bytes(buf[pos:eol])), eol + 2


def _value_end(buf: bytes | bytearray, pos: int, eol: int, key: bytes, max_value: int) -> int:
    """Where the data of ``VALUE <key> <flags> <bytes>`` ends; checks the header."""
    parts = bytes(buf[pos:eol]).split(b" ")
    if len(parts) != 4 or parts[1] != key or not parts[2].isdigit() or not parts[3].isdigit():
        raise ConnectionResetError("memcached sent a malformed VALUE line")
    size = int(parts[3])
    if size > max_value:
        raise ConnectionResetError(f"memcached sent a {size}-byte value (limit {max_value})")
    return eol + 2 + size


def _line_answer(kind: int, line: bytes) -> Answer:
    if line.startswith(_ERRORS):
        return ReplyError(line)
    if kind == GET and line == _END:
        return None
    if kind == LINE and line in _STATUS:
        return line
    raise ConnectionResetError("memcached sent an answer the command cannot get")


def out_of_step(answer: Answer) -> bool:
    """An error line after which the connection cannot be trusted (memcached did not understand
    the command, so it may read part of it as the next one)."""
    return isinstance(answer, ReplyError) and answer.line.startswith(_DESYNC)


def status(line: Answer, yes: bytes, no: bytes) -> bool:
    """A set's or delete's status line as a bool (``yes``/``no``); any other is a ReplyError."""
    if line == yes:
        return True
    if line == no:
        return False
    raise ReplyError(line if isinstance(line, bytes) else b"")
