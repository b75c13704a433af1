"""The only base64 helpers in the package, with Go's acceptance rules.

Layering: imports ``errors`` only.

Go's ``base64.URLEncoding.Decode`` (encoding/base64) skips ``\\r`` and ``\\n``, requires ``=`` padding,
rejects any byte outside ``A-Za-z0-9-_`` and any data after padding, and reports the offending
byte's offset in the input. Python's ``urlsafe_b64decode`` silently drops bad bytes, so it is only
called after the input was checked here.
"""

from __future__ import annotations

import base64
import binascii
import re
import sys

from .errors import Base64Error

__all__ = ["b32_nopad", "url_b64decode", "url_b64encode"]


def b32_nopad(data: bytes) -> str:
    """Standard base32 without ``=`` (Go: ``base32.StdEncoding.WithPadding(NoPadding)``).

    Go's session stores make their IDs this way; 32 random bytes give 52 characters.
    """
    return base64.b32encode(data).decode("ascii").rstrip("=")


def url_b64encode(data: bytes) -> bytes:
    """URL-safe alphabet with ``=`` padding (Go: ``base64.URLEncoding.EncodeToString``).

    ``base64.urlsafe_b64encode`` without its two Python-level calls (cookies encode twice each).
    """
    return binascii.b2a_base64(data, newline=False).translate(_STD_TO_URL)


def url_b64decode(data: bytes) -> bytes:
    """Decode as Go's ``base64.URLEncoding.DecodeString`` does, or raise Base64Error(offset)."""
    fast = _decode_plain(data)
    if fast is not None:
        return fast
    offset = _go_error_offset(data)
    if offset is not None:
        raise Base64Error(offset)
    try:
        return base64.urlsafe_b64decode(data.replace(b"\r", b"").replace(b"\n", b""))
    except (binascii.Error, ValueError) as exc:  # pragma: no cover - the scan accepted it
        raise Base64Error(0) from exc


if sys.version_info >= (3, 11):

    def _decode_plain(data: bytes) -> bytes | None:
        """The decoding of input Go accepts without newlines, or None for anything else.

        binascii's strict mode checks the alphabet and the padding in C; it lets stray ``=`` after
        a whole quantum through, which the length test rules out.
        """
        if len(data) & 3:
            return None
        try:
            return binascii.a2b_base64(data.translate(_URL_TO_STRICT), strict_mode=True)
        except binascii.Error:
            return None

else:

    def _decode_plain(data: bytes) -> bytes | None:
        if _VALID_NO_NEWLINES.fullmatch(data) is not None and len(data) % 4 == 0:
            return base64.urlsafe_b64decode(data)
        return None


def _go_error_offset(src: bytes) -> int | None:
    """The offset Go's decoder reports for ``src``, or None when Go accepts it.

    Go reads 4-character quanta, skipping CR/LF; the offsets below are the ones its
    ``CorruptInputError`` carries for each way a quantum can go wrong.
    """
    n = len(src)
    si = 0
    while True:
        j = 0  # characters of the current quantum seen so far
        while j < 4:
            if si == n:
                return None if j == 0 else si - j  # ended mid-quantum: padding was required
            c = src[si]
            si += 1
            if c in _NEWLINES:
                continue
            if c in _ALPHABET:
                j += 1
                continue
            if c != _PAD:
                return si - 1
            if j < 2:
                return si - 1
            if j == 2:  # a second '=' must follow
                si = _skip_newlines(src, si)
                if si == n:
                    return n
                if src[si] != _PAD:
                    return si - 1
                si += 1
            si = _skip_newlines(src, si)
            return si if si < n else None


def _skip_newlines(src: bytes, si: int) -> int:
    while si < len(src) and src[si] in _NEWLINES:
        si += 1
    return si


_VALID_NO_NEWLINES = re.compile(rb"[A-Za-z0-9_-]*={0,2}")
#: URL alphabet to the standard one; the standard-only "+" and "/" become a byte strict mode rejects.
_URL_TO_STRICT = bytes.maketrans(b"-_+/", b"+/!!")
_STD_TO_URL = bytes.maketrans(b"+/", b"-_")
_ALPHABET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_NEWLINES = frozenset(b"\r\n")
_PAD = 0x3D
