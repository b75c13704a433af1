"""Go's ``net/url.Parse`` as far as gorilla/csrf looks at its result.

Layering: imports nothing from the package.

gorilla/csrf parses the ``Origin`` and ``Referer`` headers with ``url.Parse`` and then reads four
things: whether it failed, ``Scheme``, ``Host`` and whether ``String()`` is empty. A parse error is
a verdict of its own (``origin invalid``, ``referer not supplied``), so this module follows Go
1.26's ``net/url/url.go`` (``Parse``, ``parse``, ``getScheme``, ``parseAuthority``, ``parseHost``,
``validUserinfo``, ``validOptionalPort``, ``unescape``) for every input, not only for well-formed
URLs. Python's ``urllib.parse`` accepts and rejects other strings.

Strings stand for Go's bytes one character per byte (headers arrive Latin-1 decoded), so a
``%XX`` escape becomes ``chr(0xXX)``. Hosts with several colons follow ``GODEBUG=urlstrictcolons=0``,
the behaviour of Go up to 1.25 and of every module whose ``go`` line is older than 1.26.
"""

from __future__ import annotations

import dataclasses
import ipaddress

__all__ = ["ParsedURL", "parse_url"]

_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_HEX = frozenset("0123456789abcdefABCDEF")
#: ASCII that a host may hold unescaped (Go: ``shouldEscape(c, encodeHost)`` is false).
_HOST_OK = _ALNUM | frozenset("-_.~!$&'()*+,;=:[]<>\"")
#: Go: ``validUserinfo``.
_USERINFO_OK = _ALNUM | frozenset("-._:~!$&'()*+,;=%@")
_SCHEME_REST = _ALNUM | frozenset("+-.")

# Go's escaping modes that ``unescape`` tells apart here; the others only check ``%XX``.
_OTHER, _HOST, _ZONE = 0, 1, 2


class _ParseError(Exception):
    """Go's ``url.Parse`` returned an error (its text is not needed)."""


@dataclasses.dataclass(frozen=True)
class ParsedURL:
    """What gorilla/csrf reads of a ``*url.URL``."""

    #: Go: ``URL.Scheme``, lower-cased as ``Parse`` does.
    scheme: str
    #: Go: ``URL.Host`` after unescaping (``host[:port]``).
    host: str
    #: Go: ``URL.String() == ""``.
    empty: bool


def _unhex(c: str) -> int:
    return int(c, 16)


def _unescape(s: str, mode: int) -> str:
    """Go: ``unescape(s, mode)`` without the ``+`` rule (no query mode is used here)."""
    if "%" not in s and mode == _OTHER:
        return s
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == "%":
            if i + 2 >= n or s[i + 1] not in _HEX or s[i + 2] not in _HEX:
                raise _ParseError
            v = _unhex(s[i + 1]) << 4 | _unhex(s[i + 2])
            # Hosts %-encode only non-ASCII bytes (and %25); a zone only what a host may hold.
            if mode == _HOST and _unhex(s[i + 1]) < 8 and s[i : i + 3] != "%25":
                raise _ParseError
            if mode == _ZONE and s[i : i + 3] != "%25" and v != 0x20 and chr(v) not in _HOST_OK:
                raise _ParseError
            out.append(chr(v))
            i += 3
            continue
        if mode != _OTHER and ord(c) < 0x80 and c not in _HOST_OK:
            raise _ParseError
        out.append(c)
        i += 1
    return "".join(out)


def _valid_optional_port(port: str) -> bool:
    """Go: ``validOptionalPort``: empty, or ``:`` and ASCII digits."""
    return port == "" or (port[0] == ":" and all("0" <= c <= "9" for c in port[1:]))


def _is_ipv6(text: str) -> bool:
    """Go: ``netip.ParseAddr(text)`` succeeds and is not IPv4 (the bracketed-host rule)."""
    for c in text:
        if c == ":":
            break
        if c in ".%":
            return False  # IPv4 (refused in brackets), or Go's "missing IPv6 address"
    else:
        return False
    addr, sep, zone = text.partition("%")
    if sep and not zone:
        return False
    try:
        ipaddress.IPv6Address(addr)
    except ValueError:
        return False
    return True


def _parse_host(host: str) -> str:
    """Go: ``parseHost``: ``host[:port]``, unescaped, or a parse error."""
    bracket = host.rfind("[")
    if bracket > 0:
        raise _ParseError
    if bracket == 0:
        close = host.rfind("]")
        if close < 0:
            raise _ParseError
        colon_port = host[close + 1 :]
        if not _valid_optional_port(colon_port):
            raise _ParseError
        hostname = host[1:close]
        zone = hostname.find("%25")
        if zone >= 0:
            unescaped = _unescape(hostname[:zone], _HOST) + _unescape(hostname[zone:], _ZONE)
        else:
            unescaped = _unescape(hostname, _HOST)
        if not _is_ipv6(unescaped):
            raise _ParseError
        return f"[{unescaped}]{colon_port}"
    # urlstrictcolons=0: a port follows the last colon (http and https included).
    if ":" in host and not _valid_optional_port(host[host.rfind(":") :]):
        raise _ParseError
    return _unescape(host, _HOST)


def _parse_authority(authority: str) -> tuple[bool, str]:
    """Go: ``parseAuthority``: (has userinfo, host)."""
    at = authority.rfind("@")
    host = _parse_host(authority[at + 1 :])
    if at < 0:
        return False, host
    userinfo = authority[:at]
    if not all(c in _USERINFO_OK for c in userinfo):
        raise _ParseError
    for part in userinfo.split(":", 1):
        _unescape(part, _OTHER)
    return True, host


def _get_scheme(raw: str) -> tuple[str, str]:
    """Go: ``getScheme``: ``[a-zA-Z][a-zA-Z0-9+.-]*`` before the first ``:``, or none."""
    for i, c in enumerate(raw):
        if c == ":":
            if i == 0:
                raise _ParseError  # "missing protocol scheme"
            return raw[:i], raw[i + 1 :]
        if c not in _SCHEME_REST or (i == 0 and not c.isalpha()):
            return "", raw
    return "", raw


def _parse(raw: str) -> tuple[str, bool, str, str, str, bool]:
    """Go: ``parse(rawURL, false)``: (scheme, userinfo?, host, path, raw query, force query)."""
    if any(ord(c) < 0x20 or c == "\x7f" for c in raw):
        raise _ParseError  # "invalid control character in URL"
    if raw == "*":
        return "", False, "", "*", "", False
    scheme, rest = _get_scheme(raw)
    scheme = scheme.lower()
    force_query = rest.endswith("?") and rest.count("?") == 1
    if force_query:
        rest, query = rest[:-1], ""
    else:
        rest, _, query = rest.partition("?")
    if not rest.startswith("/"):
        if scheme:
            return scheme, False, "", rest, query, force_query  # opaque
        if ":" in rest.partition("/")[0]:
            raise _ParseError  # "first path segment in URL cannot contain colon"
    has_user, host = False, ""
    if (scheme or not rest.startswith("///")) and rest.startswith("//"):
        authority, slash, path = rest[2:].partition("/")
        rest = slash + path
        has_user, host = _parse_authority(authority)
    return scheme, has_user, host, _unescape(rest, _OTHER), query, force_query


def parse_url(raw: str) -> ParsedURL | None:
    """Go: ``url.Parse(raw)``; None where Go returns an error."""
    before, _, fragment = raw.partition("#")
    try:
        scheme, has_user, host, path, query, force_query = _parse(before)
        fragment = _unescape(fragment, _OTHER)
    except _ParseError:
        return None
    empty = not (scheme or has_user or host or path or query or force_query or fragment)
    return ParsedURL(scheme, host, empty)
