"""The base64 fast path (binascii strict mode) gives exactly the exact scanner's outcome.

The exact path (``_go_error_offset`` + decode) is the one checked against Go's texts and offsets
by the securecookie fixtures and the live mutated-cookie test; here the fast path must agree with
it on every input, valid or not.
"""

from __future__ import annotations

import base64

from hypothesis import given, settings
from hypothesis import strategies as st

from gorillacompat._encoding import _decode_plain, _go_error_offset, url_b64decode
from gorillacompat.errors import Base64Error

_CHARS = st.sampled_from(list(b"AQgw09az-_+/=\r\n*"))
_TEXT = st.lists(_CHARS, max_size=24).map(bytes) | st.binary(max_size=24).map(
    lambda b: base64.urlsafe_b64encode(b)
)


def _exact(data: bytes) -> tuple[str, object]:
    offset = _go_error_offset(data)
    if offset is not None:
        return ("error", offset)
    return ("ok", base64.urlsafe_b64decode(data.replace(b"\r", b"").replace(b"\n", b"")))


def _outcome(data: bytes) -> tuple[str, object]:
    try:
        return ("ok", url_b64decode(data))
    except Base64Error as exc:
        return ("error", exc.offset)


@settings(max_examples=5000)
@given(_TEXT)
def test_fast_path_equals_exact_path(data: bytes) -> None:
    assert _outcome(data) == _exact(data)


@given(st.binary(max_size=64))
def test_fast_path_takes_every_padded_encoding(raw: bytes) -> None:
    assert _decode_plain(base64.urlsafe_b64encode(raw)) == raw


def test_fast_path_declines_what_it_must_not_decide() -> None:
    # Standard-alphabet bytes, newlines, missing padding, data after padding: Go's texts and
    # offsets (or Go's newline skipping) come from the exact path.
    for bad in (b"+A==", b"/A==", b"QQ==\n", b"Q\rQ==", b"QQ", b"QQ==QQ==", b"====", b"Q===", b"AAAA="):
        assert _decode_plain(bad) is None
        assert _outcome(bad) == _exact(bad)
    assert _decode_plain(b"QR==") is not None  # spare bits set: Go accepts them, and so do we
    assert _outcome(b"QR==") == _exact(b"QR==")
