"""What the csrf adapters share: Go's form-body parsing and Go's 403 answer.

Layering: imports ``csrf`` only; imports no web framework.

Go reads the token field with ``r.PostFormValue``: for POST, PUT and PATCH, an
``application/x-www-form-urlencoded`` body is parsed by ``url.ParseQuery`` (``parse_query``
here, which skips the pairs Go skips) and a ``multipart/form-data`` body by
``ParseMultipartForm`` (the adapters use their framework's multipart parser).
"""

from __future__ import annotations

from .._errors import CSRFError

__all__ = [
    "FORBIDDEN_HEADERS",
    "MULTIPART",
    "URLENCODED",
    "forbidden",
    "media_type",
    "parse_query",
]

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
#: The headers of Go's ``http.Error`` answer (the default ``csrf.ErrorHandler``).
FORBIDDEN_HEADERS = (("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff"))
_HEX = frozenset(b"0123456789abcdefABCDEF")


def media_type(content_type: str | None) -> str:
    """The lower-cased media type of a ``Content-Type`` (Go: ``mime.ParseMediaType``'s first result)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def _query_unescape(s: bytes) -> str | None:
    """Go: ``url.QueryUnescape``; None for a bad ``%`` escape."""
    if b"%" not in s and b"+" not in s:
        return s.decode("utf-8", "surrogateescape")
    out = bytearray()
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == 0x25:  # '%'
            if i + 2 >= n or s[i + 1] not in _HEX or s[i + 2] not in _HEX:
                return None
            out.append(int(s[i + 1 : i + 3], 16))
            i += 3
            continue
        out.append(0x20 if c == 0x2B else c)  # '+' is a space
        i += 1
    return out.decode("utf-8", "surrogateescape")


def parse_query(body: bytes) -> dict[str, list[str]]:
    """Go: ``url.ParseQuery``: ``&``-separated pairs; pairs with ``;`` or a bad escape are skipped."""
    form: dict[str, list[str]] = {}
    for pair in body.split(b"&"):
        if not pair or b";" in pair:
            continue
        raw_key, _, raw_value = pair.partition(b"=")
        key, value = _query_unescape(raw_key), _query_unescape(raw_value)
        if key is None or value is None:
            continue
        form.setdefault(key, []).append(value)
    return form


def forbidden(error: CSRFError) -> tuple[int, list[tuple[str, str]], str]:
    """Go's default error handler: status, headers and body (``Forbidden - <reason>``)."""
    return error.status, list(FORBIDDEN_HEADERS), error.response_body()
