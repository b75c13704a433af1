"""Unmarshal and Decoder.Decode into ``interface{}`` (Go: encoding/json scanner.go, decode.go, stream.go).

Two paths give one answer. Python's C decoder runs first, only on input where its grammar is Go's;
anything else (errors, invalid UTF-8, surrogate escapes, overflow, deep nesting) goes to ``Parser``,
a transcription of Go's scanner that also reproduces its error texts. The tests hold both to Go.
"""

from __future__ import annotations

import json
import math
import re
from typing import AnyStr, NoReturn

from ..errors import JSONDecodeError
from ._strconv import go_quote

__all__ = ["Parser", "decode_first", "unmarshal"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def unmarshal(data: bytes) -> object:
    """Go's ``json.Unmarshal(data, &v)`` into ``var v interface{}``.

    Objects become ``dict`` (last duplicate wins), arrays ``list``, numbers ``float``, strings
    ``str`` (invalid UTF-8 and unpaired surrogate escapes as U+FFFD). Only whitespace may surround
    the value. Raises JSONDecodeError with Go's text, and nothing else, for any input.
    """
    data = bytes(data)
    try:
        return _fast(data, stream=False)
    except _SlowPathError:
        return Parser(data, stream=False).parse()


def decode_first(data: bytes) -> object:
    """Go's ``json.NewDecoder(r).Decode(&v)`` into ``interface{}``: the first value; the rest is ignored.

    Go: ``json.Decoder.Decode`` (what ``securecookie.JSONEncoder`` reads with). Empty input raises
    JSONDecodeError ``EOF``, a cut value ``unexpected EOF``.
    """
    data = bytes(data)
    if not data.strip(b" \t\r\n"):
        raise JSONDecodeError("EOF")
    try:
        return _fast(data, stream=True)
    except _SlowPathError:
        return Parser(data, stream=True).parse()


class _SlowPathError(Exception):
    """The fast path cannot vouch for Go's answer; the Go-faithful parser decides."""


def _finite(text: str) -> float:
    f = float(text)
    if math.isinf(f):
        raise _SlowPathError
    return f


def _reject(_text: str) -> NoReturn:
    raise _SlowPathError


_MAX_DEPTH = 10000  # Go: maxNestingDepth
_PY_DECODER = json.JSONDecoder(parse_float=_finite, parse_int=_finite, parse_constant=_reject)
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_WS_TEXT = re.compile(r"[ \t\r\n]*")


def _fast(data: bytes, *, stream: bool) -> object:
    """Python's C decoder, used only where its grammar is Go's (valid UTF-8, no surrogate escapes,
    no overflow, no top-level number in stream mode, nesting within Go's limit)."""
    if data.count(b"[") + data.count(b"{") > _MAX_DEPTH or _SURROGATE_ESCAPE.search(data):
        raise _SlowPathError
    try:
        text = data.decode("utf-8")
        start = _end(_WS_TEXT, text)
        if stream and text[start] in "-0123456789":
            raise _SlowPathError  # Go needs the byte after a number; `1.x` is an error there
        value, end = _PY_DECODER.raw_decode(text, start)
    except (ValueError, RecursionError):
        raise _SlowPathError from None
    if not stream and _end(_WS_TEXT, text, end) != len(text):
        raise _SlowPathError
    return value


_WS = re.compile(rb"[ \t\r\n]*")


def _end(pattern: re.Pattern[AnyStr], text: AnyStr, start: int = 0) -> int:
    """Where a match of ``pattern`` (which matches the empty string) at ``start`` ends."""
    m = pattern.match(text, start)
    assert m is not None
    return m.end()


_STR_RUN = re.compile(rb'[^"\\\x00-\x1f]*')
_DIGITS = re.compile(rb"[0-9]*")
_HEX = frozenset(b"0123456789abcdefABCDEF")
_SIMPLE_ESCAPES = frozenset(b'bfnrt\\/"')
_LITERALS: dict[int, tuple[bytes, object]] = {
    ord("t"): (b"true", True),
    ord("f"): (b"false", False),
    ord("n"): (b"null", None),
}


class Parser:
    """Go's scanner, one value, iteratively, with its error texts.

    End of input is read as one space, then as "the end": Go's ``scanner.eof`` steps a space
    too, so ``1.`` fails with ``invalid character ' ' after decimal point``.
    """

    def __init__(self, data: bytes, *, stream: bool) -> None:
        self.buf = data + b" "
        self.n = len(data)
        self.stream = stream
        self.overflow = ""  # first number out of float64 range, reported after the syntax

    def at(self, i: int) -> int:
        return self.buf[i] if i <= self.n else -1

    def fail(self, i: int, context: str) -> NoReturn:
        if i >= self.n and self.stream:
            raise JSONDecodeError("unexpected EOF")
        if i > self.n:
            raise JSONDecodeError("unexpected end of JSON input")
        raise JSONDecodeError(f"invalid character {_quote_char(self.buf[i])} {context}")

    def parse(self) -> object:
        buf, at = self.buf, self.at
        stack: list[list[object] | dict[str, object]] = []
        keys: list[str] = []
        value: object
        i = 0
        while True:
            i = _end(_WS, buf, i)
            c = at(i)
            if c == 0x5B or c == 0x7B:  # [ {
                if len(stack) >= _MAX_DEPTH:
                    self.fail(i, "exceeded max depth")
                i = _end(_WS, buf, i + 1)
                if at(i) == c + 2:  # ] }
                    value, i = ([] if c == 0x5B else {}), i + 1
                elif c == 0x5B:
                    stack.append([])
                    continue
                else:
                    key, i = self.key(i)
                    stack.append({})
                    keys.append(key)
                    continue
            elif c == 0x22:
                value, i = self.string(i)
            elif c == 0x2D or 0x30 <= c <= 0x39:
                value, i = self.number(i)
            elif c in _LITERALS:
                value, i = self.literal(i)
            else:
                self.fail(i, "looking for beginning of value")
            while True:  # a value is complete: Go's stateEndValue
                if not stack:
                    return self.finish(value, i)
                i = _end(_WS, buf, i)
                c, top = at(i), stack[-1]
                if isinstance(top, list):
                    top.append(value)
                    if c == 0x2C:
                        i += 1
                        break
                    if c != 0x5D:
                        self.fail(i, "after array element")
                else:
                    top[keys.pop()] = value
                    if c == 0x2C:
                        key, i = self.key(_end(_WS, buf, i + 1))
                        keys.append(key)
                        break
                    if c != 0x7D:
                        self.fail(i, "after object key:value pair")
                value, i = stack.pop(), i + 1

    def finish(self, value: object, i: int) -> object:
        if not self.stream:
            i = _end(_WS, self.buf, i)
            if i < self.n:
                self.fail(i, "after top-level value")
        if self.overflow:
            raise JSONDecodeError(
                f"json: cannot unmarshal number {self.overflow} into Go value of type float64"
            )
        return value

    def key(self, i: int) -> tuple[str, int]:
        if self.at(i) != 0x22:
            self.fail(i, "looking for beginning of object key string")
        key, i = self.string(i)
        i = _end(_WS, self.buf, i)
        if self.at(i) != 0x3A:
            self.fail(i, "after object key")
        return key, i + 1

    def string(self, i: int) -> tuple[str, int]:
        buf, at = self.buf, self.at
        j = i + 1
        while True:
            j = _end(_STR_RUN, buf, j)
            c = at(j)
            if c == 0x22:
                break
            if c != 0x5C:
                self.fail(j, "in string literal")
            if at(j + 1) == 0x75:  # \uXXXX
                for k in range(j + 2, j + 6):
                    if at(k) not in _HEX:
                        self.fail(k, "in \\u hexadecimal character escape")
                j += 6
            elif at(j + 1) in _SIMPLE_ESCAPES:
                j += 2
            else:
                self.fail(j + 1, "in string escape code")
        text = buf[i : j + 1].decode("utf-8", "surrogateescape")
        s: str = _PY_DECODER.raw_decode(text)[0]
        return _SURROGATE.sub("\ufffd", s), j + 1

    def number(self, i: int) -> tuple[float, int]:
        buf, at = self.buf, self.at
        start = i
        if buf[i] == 0x2D:
            i += 1
            if not 0x30 <= at(i) <= 0x39:
                self.fail(i, "in numeric literal")
        i = i + 1 if buf[i] == 0x30 else _end(_DIGITS, buf, i + 1)
        if at(i) == 0x2E:
            if not 0x30 <= at(i + 1) <= 0x39:
                self.fail(i + 1, "after decimal point in numeric literal")
            i = _end(_DIGITS, buf, i + 2)
        if at(i) in (0x45, 0x65):
            i += 2 if at(i + 1) in (0x2B, 0x2D) else 1
            if not 0x30 <= at(i) <= 0x39:
                self.fail(i, "in exponent of numeric literal")
            i = _end(_DIGITS, buf, i + 1)
        text = buf[start:i].decode("ascii")
        f = float(text)
        if math.isinf(f) and not self.overflow:
            self.overflow = text
        return f, i

    def literal(self, i: int) -> tuple[object, int]:
        word, value = _LITERALS[self.buf[i]]
        for k in range(1, len(word)):
            if self.at(i + k) != word[k]:
                self.fail(i + k, f"in literal {word.decode()} (expecting {_quote_char(word[k])})")
        return value, i + len(word)


def _quote_char(c: int) -> str:
    """Go's ``quoteChar``: the byte as a rune, quoted as ``strconv.Quote`` does, in single quotes."""
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    return "'" + go_quote(chr(c))[1:-1] + "'"
