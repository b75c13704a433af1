"""time.Time's binary layout and Go's RFC 3339 formatting, without datetime's year limits.

Layering: imports nothing from the package; ``values.GoTime`` and the gob codec use it.

Go: ``time.Time.MarshalBinary`` / ``UnmarshalBinary`` / ``GobEncode`` (src/time/time.go)::

    version 1 (15 bytes): 01 | sec:8 | nsec:4 | offset_min:2
    version 2 (16 bytes): 02 | sec:8 | nsec:4 | offset_min:2 | offset_sec:1

``sec`` is big-endian signed seconds since January 1, year 1, 00:00 UTC; ``nsec`` big-endian signed
32 bits; ``offset_min`` big-endian signed minutes east of UTC with -1 meaning "location is time.UTC".
Version 2 is written only when the offset is not a whole number of minutes; Go writes the extra
seconds as a signed byte but reads them back as an unsigned one (so negative sub-minute offsets do
not round trip in Go either).
"""

from __future__ import annotations

import struct

__all__ = [
    "UNIX_TO_YEAR1",
    "civil_from_unix",
    "marshal_time",
    "parse_rfc3339",
    "rfc3339nano",
    "unmarshal_time",
]

#: Seconds from 0001-01-01T00:00:00Z to the Unix epoch (Go: ``unixToInternal``).
UNIX_TO_YEAR1 = 62135596800

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1


class TimeFormatError(ValueError):
    """A time payload or text that Go would refuse; the message is Go's."""


def _div(a: int, b: int) -> int:
    """Go's integer division (truncates toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def marshal_time(unix_seconds: int, nanos: int, offset: int | None) -> bytes:
    """The MarshalBinary bytes of a time (Go: ``Time.MarshalBinary``); raises TimeFormatError."""
    version = 1
    offset_sec = 0
    if offset is None:
        offset_min = -1
    else:
        if offset % 60:
            version = 2
            offset_sec = offset - _div(offset, 60) * 60
        offset_min = _div(offset, 60)
        if offset_min < -32768 or offset_min == -1 or offset_min > 32767:
            raise TimeFormatError("Time.MarshalBinary: unexpected zone offset")
    sec = unix_seconds + UNIX_TO_YEAR1
    if not _INT64_MIN <= sec <= _INT64_MAX or not -(1 << 31) <= nanos < (1 << 31):
        raise TimeFormatError("Time.MarshalBinary: time out of range")
    out = struct.pack(">BqiH", version, sec, nanos, offset_min & 0xFFFF)
    if version == 2:
        out += bytes([offset_sec & 0xFF])
    return out


def unmarshal_time(data: bytes) -> tuple[int, int, int | None]:
    """(unix_seconds, nanos, offset) from MarshalBinary bytes (Go: ``Time.UnmarshalBinary``)."""
    if not data:
        raise TimeFormatError("Time.UnmarshalBinary: no data")
    version = data[0]
    if version not in (1, 2):
        raise TimeFormatError("Time.UnmarshalBinary: unsupported version")
    want = 15 if version == 1 else 16
    if len(data) != want:
        raise TimeFormatError("Time.UnmarshalBinary: invalid length")
    _, sec, nsec, offset_min = struct.unpack(">Bqih", data[:15])
    offset = offset_min * 60
    if version == 2:
        offset += data[15]  # unsigned, as Go reads it
    return sec - UNIX_TO_YEAR1, nsec, (None if offset == -60 else offset)


def civil_from_unix(seconds: int) -> tuple[int, int, int, int, int, int]:
    """(year, month, day, hour, minute, second) of Unix seconds, proleptic Gregorian, any year."""
    days, rem = divmod(seconds, 86400)
    # Howard Hinnant's civil_from_days.
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    return y, m, d, rem // 3600, rem % 3600 // 60, rem % 60


def _days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _year_text(year: int) -> str:
    # Go: appendInt(b, year, 4) — sign, then at least four digits.
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def rfc3339nano(unix_seconds: int, nanos: int, offset: int | None) -> str:
    """Go's ``t.Format(time.RFC3339Nano)``: fraction without trailing zeros, ``Z`` for offset 0."""
    off = offset or 0
    y, mo, d, h, mi, s = civil_from_unix(unix_seconds + off + nanos // 1_000_000_000)
    ns = nanos % 1_000_000_000
    frac = f".{ns:09d}".rstrip("0") if ns else ""
    if off == 0:
        zone = "Z"
    else:
        zmin = _div(off, 60)
        sign = "-" if zmin < 0 else "+"
        zmin = abs(zmin)
        zone = f"{sign}{zmin // 60:02d}:{zmin % 60:02d}"
    return f"{_year_text(y)}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{frac}{zone}"


def parse_rfc3339(text: str) -> tuple[int, int, int]:
    """(unix_seconds, nanos, offset_seconds) of an RFC 3339 text as ``rfc3339nano`` writes it."""
    try:
        neg = text.startswith("-")
        body = text[1:] if neg else text
        date, _, rest = body.partition("T")
        ys, ms, ds = date.split("-")
        year = -int(ys) if neg else int(ys)
        if rest.endswith(("Z", "z")):
            clock, zone_off = rest[:-1], 0
        else:
            cut = max(rest.rfind("+"), rest.rfind("-"))
            if cut < 0:
                raise ValueError(text)
            clock, zone = rest[:cut], rest[cut:]
            zh, zm = zone[1:].split(":")
            zone_off = (int(zh) * 3600 + int(zm) * 60) * (-1 if zone[0] == "-" else 1)
        hms, _, frac = clock.partition(".")
        hh, mm, ss = (int(x) for x in hms.split(":"))
        nanos = int((frac + "000000000")[:9]) if frac else 0
        if frac and not frac.isdigit():
            raise ValueError(text)
        days = _days_from_civil(year, int(ms), int(ds))
    except (ValueError, IndexError) as exc:
        raise TimeFormatError(f"cannot parse {text!r} as RFC 3339") from exc
    return days * 86400 + hh * 3600 + mm * 60 + ss - zone_off, nanos, zone_off
