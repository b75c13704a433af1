"""The ``Set-Cookie`` value exactly as Go's net/http writes it, and cookie-name checks.

Layering: imports ``options`` only; no I/O, no web framework.

Mirrors ``gorilla/sessions`` v1.4.0 ``NewCookie``/``newCookieFromOptions`` and ``lex.go``
(``isCookieNameValid``), and Go's ``net/http/cookie.go`` (``(*Cookie).String``,
``sanitizeCookieValue``, ``sanitizeCookiePath``, ``validCookieDomain``, ``validCookieExpires``,
``readCookies``). The header value is::

    name=value[; Path=p][; Domain=d][; Expires=<http date>][; Max-Age=n][; HttpOnly][; Secure]
              [; SameSite=None|Lax|Strict][; Partitioned]

An invalid name gives ``""``: Go's ``http.SetCookie`` then writes no header at all. Go logs and
drops invalid value/path bytes and invalid domains; so do we (without the log line).
"""

from __future__ import annotations

import re

from .options import Options, SameSite

__all__ = [
    "DEFAULT_MAX_COOKIES",
    "http_date",
    "is_cookie_name_valid",
    "new_cookie",
    "parse_cookie_header",
    "valid_cookie_domain",
]

#: One or more RFC 7230 tchar: Go's isTokenTable (net/http and gorilla/sessions lex.go hold the
#: same set).
_TOKEN_RUN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_IPV4_FIELD = re.compile(r"0|[1-9][0-9]{0,2}")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SAME_SITE_TEXT = {SameSite.NONE: "None", SameSite.LAX: "Lax", SameSite.STRICT: "Strict"}


def _go_bytes(s: str) -> bytes:
    """A Python str as the Go string (bytes) it stands for."""
    return s.encode("utf-8", "surrogateescape")


def is_cookie_name_valid(name: str) -> bool:
    """Non-empty and only RFC 7230 token characters (Go: ``sessions.isCookieNameValid``)."""
    return _TOKEN_RUN.fullmatch(name) is not None


def _sanitize(value: bytes, *, path: bool) -> str:
    """Go's ``sanitizeOrWarn``: keep 0x20-0x7E minus ``;`` (and minus ``"`` ``\\`` for values)."""
    return value.translate(None, _DROP_FROM_PATH if path else _DROP_FROM_VALUE).decode("ascii")


_OUTSIDE_PRINTABLE = bytes(range(0x20)) + bytes(range(0x7F, 0x100))
_DROP_FROM_PATH = _OUTSIDE_PRINTABLE + b";"
_DROP_FROM_VALUE = _OUTSIDE_PRINTABLE + b'";\\'


def _sanitize_value(value: str) -> str:
    """Go's ``sanitizeCookieValue`` (``Quoted`` is never set by gorilla/sessions)."""
    v = _sanitize(_go_bytes(value), path=False)
    if " " in v or "," in v:
        return f'"{v}"'
    return v


def _is_cookie_domain_name(s: bytes) -> bool:
    """Go's ``isCookieDomainName``: a DNS name (at least one letter), optional leading dot."""
    if not s or len(s) > 255:
        return False
    if s[:1] == b".":
        s = s[1:]
    last = ord(".")
    ok = False
    partlen = 0
    for c in s:
        if 0x61 <= c <= 0x7A or 0x41 <= c <= 0x5A:
            ok = True
            partlen += 1
        elif 0x30 <= c <= 0x39:
            partlen += 1
        elif c == 0x2D:  # '-'
            if last == 0x2E:
                return False
            partlen += 1
        elif c == 0x2E:  # '.'
            if last in (0x2E, 0x2D) or partlen > 63 or partlen == 0:
                return False
            partlen = 0
        else:
            return False
        last = c
    if last == 0x2D or partlen > 63:
        return False
    return ok


def _is_ipv4(s: bytes) -> bool:
    """Go's ``net.ParseIP`` accepting ``s`` as an IPv4 literal (no leading zeros, 4 fields)."""
    try:
        text = s.decode("ascii")
    except UnicodeDecodeError:
        return False
    fields = text.split(".")
    return len(fields) == 4 and all(_IPV4_FIELD.fullmatch(f) is not None and int(f) <= 255 for f in fields)


def valid_cookie_domain(domain: str) -> bool:
    """Go's ``validCookieDomain``: a domain name or an IPv4 literal (IPv6 is refused)."""
    raw = _go_bytes(domain)
    return _is_cookie_domain_name(raw) or (_is_ipv4(raw) and b":" not in raw)


def _civil(days: int) -> tuple[int, int, int]:
    """(year, month, day) of a day count since 1970-01-01, proleptic Gregorian, any year."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    return year, month, day


def http_date(unix_seconds: int) -> str:
    """Go's ``t.UTC().Format(http.TimeFormat)``: ``Mon, 02 Jan 2006 15:04:05 GMT``.

    Every save of a second asks for the same date: the last one is kept (one tuple, swapped
    whole, so threads never see half of it).
    """
    global _last_date
    last = _last_date
    if last[0] == unix_seconds:
        return last[1]
    text = _format_http_date(unix_seconds)
    _last_date = (unix_seconds, text)
    return text


_last_date: tuple[int, str] = (-1 << 70, "")


def _format_http_date(unix_seconds: int) -> str:
    days, secs = divmod(unix_seconds, 86400)
    year, month, day = _civil(days)
    hh, rest = divmod(secs, 3600)
    mm, ss = divmod(rest, 60)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday (Mon = 0)
    return f"{_DAYS[weekday]}, {day:02d} {_MONTHS[month - 1]} {year:04d} {hh:02d}:{mm:02d}:{ss:02d} GMT"


def _wrap_int64(n: int) -> int:
    return (n + (1 << 63)) % (1 << 64) - (1 << 63)


def expires_for(max_age: int, now: int) -> int | None:
    """Unix seconds of ``NewCookie``'s Expires, or None when it sets none (``max_age == 0``).

    Go: ``time.Now().Add(time.Duration(MaxAge) * time.Second)`` — the Duration multiplication
    wraps around int64 nanoseconds for lifetimes beyond ~292 years, as in Go.
    """
    if max_age > 0:
        return now + _wrap_int64(max_age * 1_000_000_000) // 1_000_000_000
    if max_age < 0:
        return 1  # time.Unix(1, 0)
    return None


def _year_of(unix_seconds: int) -> int:
    return _civil(unix_seconds // 86400)[0]


def new_cookie(name: str, value: str, options: Options, *, now: int) -> str:
    """The ``Set-Cookie`` value Go writes for ``NewCookie(name, value, options)`` at ``now``.

    Go: ``http.SetCookie(w, sessions.NewCookie(name, value, options))``. ``now`` is Unix seconds
    (Go reads its own clock). Returns ``""`` for an invalid name: Go then sends no header.
    """
    if not is_cookie_name_valid(name):
        return ""
    parts = [f"{name}={_sanitize_value(value)}"]
    if options.path:
        parts.append(f"Path={_sanitize(_go_bytes(options.path), path=True)}")
    if options.domain and valid_cookie_domain(options.domain):
        d = options.domain
        parts.append(f"Domain={d[1:] if d[0] == '.' else d}")
    expires = expires_for(options.max_age, now)
    if expires is not None and _year_of(expires) >= 1601:
        parts.append(f"Expires={http_date(expires)}")
    if options.max_age > 0:
        parts.append(f"Max-Age={options.max_age}")
    elif options.max_age < 0:
        parts.append("Max-Age=0")
    if options.http_only:
        parts.append("HttpOnly")
    if options.secure:
        parts.append("Secure")
    if options.same_site is not None and options.same_site in _SAME_SITE_TEXT:
        parts.append(f"SameSite={_SAME_SITE_TEXT[options.same_site]}")
    if options.partitioned:
        parts.append("Partitioned")
    return "; ".join(parts)


def _parse_cookie_value(raw: str) -> str | None:
    """Go's ``parseCookieValue(raw, true)``: strip one pair of quotes; None if a byte is invalid."""
    if len(raw) > 1 and raw[0] == '"' and raw[-1] == '"':
        raw = raw[1:-1]
    for ch in raw:
        o = ord(ch)
        if not (0x20 <= o < 0x7F) or ch in '";\\':
            return None
    return raw


#: Go's net/http reads no cookie at all from a header holding more pairs than this (counted as one
#: more than its ``;``s): Go 1.24.8/1.25.2 and later, for modules that say ``go 1.24`` or later
#: (``GODEBUG=httpcookiemaxnum`` changes it; older modules and toolchains have no limit: 0).
DEFAULT_MAX_COOKIES = 3000


def parse_cookie_header(header: str, *, max_cookies: int = DEFAULT_MAX_COOKIES) -> dict[str, str]:
    """Name → value of a ``Cookie:`` header; the first pair of a name wins, as ``r.Cookie`` does.

    Go: ``net/http`` ``readCookies``: pairs split on ``;``, trimmed of ASCII spaces, names must be
    tokens, surrounding quotes are removed, pairs with invalid value bytes are skipped. A header
    with more than ``max_cookies`` pairs gives no cookies, as current Go does (see
    ``DEFAULT_MAX_COOKIES``; ``max_cookies=0`` reads like Go modules older than 1.24).
    """
    if max_cookies and header.count(";") + 1 > max_cookies:
        return {}
    out: dict[str, str] = {}
    for part in header.strip(" \t\r\n").split(";"):
        part = part.strip(" \t\r\n")
        if not part:
            continue
        name, _, val = part.partition("=")
        name = name.strip(" \t\r\n")
        if not is_cookie_name_valid(name):
            continue
        parsed = _parse_cookie_value(val)
        if parsed is None or name in out:
            continue
        out[name] = parsed
    return out
