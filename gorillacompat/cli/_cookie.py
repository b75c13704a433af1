"""``gorillacompat cookie``: decode, explain, encode, inspect and re-key securecookie values.

Layering: the ``cli`` layer. The checks ``explain`` runs are Go's ``SecureCookie.Decode`` steps in
Go's order (length, base64, MAC, timestamp, base64, decrypt, deserialize); the verdict is what
``decode_multi`` says.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import hmac
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import click

from .. import gob, jsonview
from .._encoding import url_b64decode
from ..errors import Base64Error, GorillaError, MultiError
from ..securecookie import SecureCookie, encode_multi, parse_timestamp
from ..serializers import NopEncoder, Serializer
from ._common import (
    KeyPair,
    codec_options,
    emit,
    error_line,
    error_obj,
    exit_code_for,
    fixed_clock,
    json_option,
    key_options,
    make_codecs,
    make_serializer,
    pair_keys,
    read_text_arg,
)

__all__ = ["cookie"]

_HASHES = ("sha256", "sha1", "sha224", "sha384", "sha512", "sha512_256", "md5")
_AES_BLOCK = 16


@click.group(short_help="Decode, explain, encode, inspect and re-key cookies.")
def cookie() -> None:
    """Decode, explain, encode, inspect and re-key gorilla/securecookie values."""


def _clean(value: str, name: str) -> str:
    """Accept ``VALUE``, ``NAME=VALUE`` or a whole ``Cookie:`` header line."""
    value = value.strip()
    if value.lower().startswith("cookie:"):
        value = value[7:].strip()
    if ";" in value or value.startswith(f"{name}="):
        for part in value.split(";"):
            k, sep, v = part.strip().partition("=")
            if sep and k == name:
                return v.strip()
    return value


def _cookies_arg(value: str, name: str) -> list[str]:
    """One cookie, or (from ``-``/``@file``) one cookie per non-empty line."""
    text = read_text_arg(value)
    if value == "-" or value.startswith("@"):
        return [_clean(line, name) for line in text.splitlines() if line.strip()]
    return [_clean(text, name)]


def _now(now: int | None) -> int:
    return int(time.time()) if now is None else now


# -- decode -----------------------------------------------------------------------------------


def _decode_with(codecs: Sequence[SecureCookie], name: str, value: str) -> tuple[int, object]:
    """Go's DecodeMulti, also telling which pair worked."""
    errors: list[GorillaError] = []
    for i, codec in enumerate(codecs):
        try:
            return i, codec.decode(name, value)
        except GorillaError as exc:
            errors.append(exc)
    raise MultiError(errors)


@cookie.command("decode")
@click.argument("cookie_value", metavar="COOKIE|-")
@click.option("--name", required=True, help="Cookie name (part of the MAC).")
@key_options()
@codec_options
@click.option("--typed", is_flag=True, help="Typed jsonview (every node carries its Go type).")
@click.option("--indent", type=int, default=None, help="Indent the JSON by this many spaces.")
@json_option
def decode_cmd(
    cookie_value: str,
    name: str,
    hash_key: tuple[str, ...],
    block_key: tuple[str, ...],
    hash_name: str,
    serializer: str,
    max_age: int,
    min_age: int,
    max_length: int,
    now: int | None,
    typed: bool,
    indent: int | None,
    as_json: bool,
) -> int:
    """Print the value a cookie carries, as jsonview (plain, or --typed).

    COOKIE may be the value, NAME=VALUE, or '-' to read one cookie per line from stdin.
    Exit code 1 when a cookie does not decode; `cookie explain` says why.
    """
    pairs = pair_keys(hash_key, block_key, env="GORILLA_HASH_KEY")
    codecs = make_codecs(
        pairs,
        hash_name=hash_name,
        serializer=serializer,
        max_age=max_age,
        min_age=min_age,
        max_length=max_length,
        now=now,
    )
    rc = 0
    for value in _cookies_arg(cookie_value, name):
        try:
            i, decoded = _decode_with(codecs, name, value)
        except MultiError as exc:
            rc = max(rc, exit_code_for(exc))
            if as_json:
                emit(error_obj(exc))
            else:
                click.echo(
                    f"gorillacompat: {error_line(exc)}; `gorillacompat cookie explain` says why",
                    err=True,
                )
            continue
        if as_json:
            view = jsonview.to_typed(decoded) if typed else jsonview.to_plain(decoded)
            emit({"ok": True, "key_pair": i, "value": view})
        else:
            click.echo(jsonview.dumps(decoded, typed=typed, indent=indent))
    return rc


# -- parsing a cookie without keys --------------------------------------------------------------


@dataclass
class _Parts:
    raw_length: int
    decoded: bytes = b""
    timestamp_text: bytes = b""
    inner: bytes = b""
    mac: bytes = b""
    inner_offset: int = 0


def split_cookie(value: str) -> _Parts:
    """Outer base64 and the ``date|value|mac`` split; raises Base64Error or ValueError."""
    raw = value.encode("utf-8", "surrogateescape")
    parts = _Parts(len(raw))
    parts.decoded = url_b64decode(raw)
    first = parts.decoded.find(b"|")
    second = parts.decoded.find(b"|", first + 1) if first >= 0 else -1
    if second < 0:
        raise ValueError("not date|value|mac: fewer than two '|' separators after base64")
    parts.timestamp_text = parts.decoded[:first]
    parts.inner = parts.decoded[first + 1 : second]
    parts.mac = parts.decoded[second + 1 :]
    parts.inner_offset = first + 1
    return parts


def _mac(key: bytes, hash_name: str, name: str, parts: _Parts) -> bytes:
    signed = parts.timestamp_text + b"|" + parts.inner
    return hmac.digest(key, name.encode() + b"|" + signed, hash_name)


def _duration(seconds: int) -> str:
    s = abs(seconds)
    out = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if s >= size:
            out.append(f"{s // size}{unit}")
            s %= size
    if s or not out:
        out.append(f"{s}s")
    return " ".join(out[:2])


def _iso(ts: int) -> str:
    try:
        return _dt.datetime.fromtimestamp(ts, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return "out of range"


def _payload_kind(payload: bytes) -> str | None:
    """``"gob"``/``"json"`` when the bytes deserialize as such, else None."""
    for kind in ("gob", "json"):
        try:
            make_serializer(kind).loads(payload)
        except GorillaError:
            continue
        return kind
    return None


# -- explain ----------------------------------------------------------------------------------


@dataclass
class _Check:
    step: str
    ok: bool
    detail: str
    advice: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"step": self.step, "ok": self.ok, "detail": self.detail}
        if self.advice:
            out["advice"] = self.advice
        return out


@dataclass
class _Explainer:
    name: str
    pairs: list[KeyPair]
    hash_name: str
    serializer: str
    max_age: int
    min_age: int
    max_length: int
    now: int
    try_names: Sequence[str] = ()
    checks: list[_Check] = field(default_factory=list)
    matched: int | None = None

    def add(self, step: str, ok: bool, detail: str, advice: str = "") -> bool:
        self.checks.append(_Check(step, ok, detail, advice))
        return ok

    def run(self, value: str) -> None:
        raw_len = len(value.encode("utf-8", "surrogateescape"))
        # 1. Length.
        if self.max_length and raw_len > self.max_length:
            self.add(
                "length",
                False,
                f"{raw_len} bytes > max_length {self.max_length}",
                "raise --max-length (Go: codec.MaxLength) on every codec, or store less in the cookie",
            )
            return
        self.add(
            "length",
            True,
            f"{raw_len} bytes" + (f" <= max_length {self.max_length}" if self.max_length else ""),
        )
        # 2. Outer base64.
        try:
            parts = split_cookie(value)
        except Base64Error as exc:
            self.add(
                "base64",
                False,
                _b64_detail(value.encode("utf-8", "surrogateescape"), exc.offset),
                _b64_advice(value, exc.offset),
            )
            return
        except ValueError as exc:
            self.add("format", False, str(exc), "this is not a securecookie value (wrong cookie?)")
            return
        self.add("base64", True, f"{len(parts.decoded)} bytes after URL-safe base64")
        self.add(
            "format",
            True,
            f"date|value|mac: date {len(parts.timestamp_text)} chars, "
            f"value {len(parts.inner)} chars, MAC {len(parts.mac)} bytes",
        )
        # 3. MAC, before anything else is trusted (Go's order).
        if not self._check_mac(parts):
            return
        # 4. Timestamp.
        self._check_timestamp(parts)
        # 5-7. Inner base64, decryption, deserialization.
        self._check_payload(parts)

    def _check_mac(self, parts: _Parts) -> bool:
        for i, p in enumerate(self.pairs):
            if hmac.compare_digest(_mac(p.hash_key, self.hash_name, self.name, parts), parts.mac):
                self.matched = i
                role = (
                    "the encoding pair" if i == 0 else "an old pair; `cookie rekey` re-signs it with pair #1"
                )
                return self.add("mac", True, f"HMAC-{self.hash_name} matches key pair #{i + 1} ({role})")
        # Why not: another hash? another name? another key?
        for h in _HASHES:
            if h == self.hash_name:
                continue
            for i, p in enumerate(self.pairs):
                if hmac.compare_digest(_mac(p.hash_key, h, self.name, parts), parts.mac):
                    return self.add(
                        "mac",
                        False,
                        f"no pair matches with {self.hash_name}, but pair #{i + 1} matches with {h}",
                        f"pass --hash {h}",
                    )
        for other in self.try_names:
            for i, p in enumerate(self.pairs):
                if hmac.compare_digest(_mac(p.hash_key, self.hash_name, other, parts), parts.mac):
                    return self.add(
                        "mac",
                        False,
                        f"signed under cookie name {other!r}, not {self.name!r} (pair #{i + 1})",
                        f"pass --name {other}",
                    )
        size = hashlib.new(self.hash_name).digest_size
        detail = f"securecookie: the value is not valid — no key pair of {len(self.pairs)} matches the MAC"
        if len(parts.mac) != size:
            same = [h for h in _HASHES if hashlib.new(h).digest_size == len(parts.mac)]
            detail += f"; the MAC is {len(parts.mac)} bytes, {self.hash_name} makes {size}"
            if same:
                detail += f" (a {len(parts.mac)}-byte MAC comes from {' or '.join(same)})"
        advice = (
            "the cookie was signed with a hash key you did not pass (add the old pair with another "
            "--hash-key/--block-key: rotation), or under another cookie name (the name is MACed; "
            "try --try-name NAME), or it was altered"
        )
        return self.add("mac", False, detail, advice)

    def _check_timestamp(self, parts: _Parts) -> None:
        text = parts.timestamp_text
        parsed = parse_timestamp(text)
        if parsed is None:
            self.add(
                "timestamp",
                False,
                f"securecookie: invalid timestamp ({text[:30]!r})",
                "the MAC matched, so this was signed as is: the writer is not securecookie",
            )
            return
        ts = parsed
        age = self.now - ts
        when = (
            f"signed {_iso(ts)} ({ts}), age {_duration(age)}"
            if age >= 0
            else (f"signed {_iso(ts)} ({ts}), {_duration(-age)} in the future")
        )
        if self.min_age and ts > self.now - self.min_age:
            self.add(
                "timestamp",
                False,
                f"securecookie: timestamp is too new — {when}, min_age {self.min_age}s",
                "wait, lower --min-age, or check the clocks of writer and reader (--now)",
            )
        elif self.max_age and ts < self.now - self.max_age:
            over = self.now - self.max_age - ts
            self.add(
                "timestamp",
                False,
                f"securecookie: expired timestamp — {when}; expired {_duration(over)} ago "
                f"(max_age {_duration(self.max_age)})",
                "the codec max_age is inside the check, not the cookie: raise --max-age (Go: "
                "codec.MaxAge / store.MaxAge) if the session should live longer, else log in again",
            )
        else:
            limit = f", max_age {_duration(self.max_age)}" if self.max_age else ", no max_age"
            self.add("timestamp", True, when + limit)

    def _check_payload(self, parts: _Parts) -> None:
        try:
            payload = url_b64decode(parts.inner)
        except Base64Error as exc:
            self.add(
                "payload base64",
                False,
                f"illegal base64 data at byte {exc.offset} of the value part "
                f"(byte {parts.inner_offset + exc.offset} after the outer base64)",
                "the MAC matched, so the writer signed bad base64: not a securecookie writer",
            )
            return
        assert self.matched is not None
        pair = self.pairs[self.matched]
        plain = payload
        if pair.block_key is not None:
            if len(pair.block_key) not in (16, 24, 32):
                self.add(
                    "decrypt",
                    False,
                    f"block key is {len(pair.block_key)} bytes",
                    "AES keys are 16, 24 or 32 bytes",
                )
                return
            if len(payload) <= _AES_BLOCK:
                self.add(
                    "decrypt",
                    False,
                    f"securecookie: the value could not be decrypted — "
                    f"{len(payload)} bytes is not IV (16) + data",
                    "the cookie is not encrypted: drop --block-key for this pair",
                )
                return
            codec = SecureCookie(
                pair.hash_key,
                pair.block_key,
                hash_name=self.hash_name,
                serializer=NopEncoder(),
                max_age=0,
                min_age=0,
                max_length=0,
            )
            decoded = codec.decode(self.name, _reencode_outer(parts))
            assert isinstance(decoded, bytes)
            plain = decoded
            self.add(
                "decrypt",
                True,
                f"AES-{len(pair.block_key) * 8}-CTR, IV {payload[:16].hex()}, "
                f"{len(plain)} bytes of plaintext",
            )
        else:
            self.add(
                "decrypt",
                True,
                f"not encrypted (no block key for pair #{self.matched + 1}); {len(plain)} bytes of payload",
            )
        self._check_deserialize(plain, payload, pair)

    def _check_deserialize(self, plain: bytes, payload: bytes, pair: KeyPair) -> None:
        ser: Serializer = make_serializer(self.serializer)
        try:
            value = ser.loads(plain)
        except GorillaError as exc:
            advice = ""
            kind = _payload_kind(plain)
            if kind is not None and kind != self.serializer:
                advice = f"the payload is {kind}: pass --serializer {kind}"
            elif pair.block_key is not None and _payload_kind(payload) is not None:
                advice = "the payload is not encrypted: drop --block-key for this pair"
            elif pair.block_key is not None:
                advice = "wrong block key for this pair (the MAC key was right), or another serializer"
            else:
                advice = "if the cookie is encrypted, pass its --block-key; else try --serializer json/nop"
            self.add("deserialize", False, str(exc), advice)
            return
        detail = f"{self.serializer}: {_describe(value)}"
        self.add("deserialize", True, detail)
        if self.serializer == "gob":
            self._check_gob_names(plain)

    def _check_gob_names(self, plain: bytes) -> None:
        from ._gobdump import dump

        names = dump(plain).interface_names
        unknown = [n for n in names if not gob.default_registry.is_registered(n)]
        if not unknown:
            return
        try:
            gob.loads(plain, strict=True)
            go_text = ""
        except GorillaError as exc:
            go_text = f"; a Go reader without the registration fails with: {exc}"
        self.add(
            "gob types",
            True,
            f"interface types a Go reader must gob.Register: {', '.join(unknown)}" + go_text,
            "register them in every Go reader (gob.Register(T{}) / gob.Register(&T{}))",
        )


def _reencode_outer(parts: _Parts) -> str:
    return base64.urlsafe_b64encode(parts.decoded).decode("ascii")


def _b64_detail(raw: bytes, offset: int) -> str:
    if offset >= len(raw):
        return f"illegal base64 data at input byte {offset}: the value ends mid-quantum (cut short?)"
    return f"illegal base64 data at input byte {offset} ({chr(raw[offset])!r})"


def _b64_advice(value: str, offset: int) -> str:
    if offset < len(value) and value[offset] in "+/":
        return "standard base64 alphabet: securecookie uses the URL-safe one (- and _)"
    if offset < len(value) and value[offset] == "%":
        return "the value is URL-encoded: unquote it first"
    if offset < len(value) and value[offset] in "\"' ;":
        return "quotes or separators in the value: pass only the cookie value (or NAME=VALUE)"
    return "the value was cut or altered in transit (URL-safe base64 with '=' padding expected)"


def _describe(value: object) -> str:
    t = jsonview.to_typed(value)["t"]
    if isinstance(value, dict):
        return f"{t} with {len(value)} entr{'y' if len(value) == 1 else 'ies'}"
    if isinstance(value, (bytes, bytearray)):
        return f"{t}, {len(value)} bytes"
    return str(t)


@cookie.command("explain")
@click.argument("cookie_value", metavar="COOKIE|-")
@click.option("--name", required=True, help="Cookie name (part of the MAC).")
@key_options()
@codec_options
@click.option(
    "--try-name",
    multiple=True,
    metavar="NAME",
    help="Other cookie names to test the MAC with, when no pair matches.",
)
@json_option
def explain_cmd(
    cookie_value: str,
    name: str,
    hash_key: tuple[str, ...],
    block_key: tuple[str, ...],
    hash_name: str,
    serializer: str,
    max_age: int,
    min_age: int,
    max_length: int,
    now: int | None,
    try_name: tuple[str, ...],
    as_json: bool,
) -> int:
    """Say exactly why a cookie does (or does not) decode, step by step, and what to do.

    Runs Go's Decode steps in Go's order: length, base64, MAC (which key pair matched), timestamp
    (expired or too new, and by how much), value base64, decryption, deserialization (and which
    gob types a Go reader must register). Exit code 0 when valid, 1 when not.
    """
    pairs = pair_keys(hash_key, block_key, env="GORILLA_HASH_KEY")
    codecs = make_codecs(
        pairs,
        hash_name=hash_name,
        serializer=serializer,
        max_age=max_age,
        min_age=min_age,
        max_length=max_length,
        now=now,
    )
    rc = 0
    for value in _cookies_arg(cookie_value, name):
        ex = _Explainer(name, pairs, hash_name, serializer, max_age, min_age, max_length, _now(now), try_name)
        ex.run(value)
        try:
            _decode_with(codecs, name, value)
            verdict: str | None = None
        except MultiError as exc:
            verdict = str(exc.errors[ex.matched] if ex.matched is not None else exc.errors[0])
        valid = verdict is None
        rc = rc or (0 if valid else 1)
        if as_json:
            emit(
                {
                    "ok": valid,
                    "valid": valid,
                    "error": verdict,
                    "key_pair": ex.matched,
                    "checks": [c.to_json() for c in ex.checks],
                }
            )
            continue
        click.echo(f"cookie {name!r}, {len(value)} chars, {len(pairs)} key pair(s), now {ex.now}")
        for c in ex.checks:
            click.echo(f"  {'ok  ' if c.ok else 'FAIL'}  {c.step:<12} {c.detail}")
            if c.advice:
                click.echo(f"  {'':4}  {'':<12} -> {c.advice}")
        click.echo("valid" if valid else f"not valid: {verdict}")
    return rc


# -- inspect ----------------------------------------------------------------------------------


@cookie.command("inspect")
@click.argument("cookie_value", metavar="COOKIE|-")
@click.option("--name", default="", help="Cookie name (only needed with keys).")
@key_options()
@click.option("--hash", "hash_name", default="sha256", show_default=True, help="HMAC hash.")
@click.option("--now", type=int, default=None, metavar="UNIX", help="Compute the age against this time.")
@json_option
def inspect_cmd(
    cookie_value: str,
    name: str,
    hash_key: tuple[str, ...],
    block_key: tuple[str, ...],
    hash_name: str,
    now: int | None,
    as_json: bool,
) -> int:
    """Show a cookie's parts without needing keys: timestamp, age, sizes, IV, payload.

    With keys (and --name) it also says which pair's MAC matches and shows the plaintext.
    """
    rc = 0
    t_now = _now(now)
    pairs = pair_keys(hash_key, block_key) if hash_key else []
    for value in _cookies_arg(cookie_value, name):
        info: dict[str, Any] = {"length": len(value)}
        try:
            parts = split_cookie(value)
            payload = url_b64decode(parts.inner)
        except (Base64Error, ValueError) as exc:
            rc = 1
            if as_json:
                emit({"ok": False, "error": str(exc), **info})
            else:
                click.echo(f"gorillacompat: {exc}", err=True)
            continue
        ts_text = parts.timestamp_text.decode("ascii", "replace")
        info["timestamp"] = int(ts_text) if ts_text.lstrip("+-").isdigit() else ts_text
        if isinstance(info["timestamp"], int):
            info["time"] = _iso(info["timestamp"])
            info["age_seconds"] = t_now - info["timestamp"]
        info["decoded_length"] = len(parts.decoded)
        info["value_b64_length"] = len(parts.inner)
        info["payload_length"] = len(payload)
        info["mac_length"] = len(parts.mac)
        info["mac_hashes"] = [h for h in _HASHES if hashlib.new(h).digest_size == len(parts.mac)]
        kind = _payload_kind(payload)
        info["encrypted"] = kind is None and len(payload) > _AES_BLOCK
        info["payload_format"] = kind
        if info["encrypted"]:
            info["iv"] = payload[:_AES_BLOCK].hex()
            info["ciphertext_length"] = len(payload) - _AES_BLOCK
        info["payload_hex"] = payload.hex()
        plain = payload if kind else None
        if pairs:
            info["key_pair"] = None
            for i, p in enumerate(pairs):
                if hmac.compare_digest(_mac(p.hash_key, hash_name, name, parts), parts.mac):
                    info["key_pair"] = i
                    if p.block_key is not None and len(payload) > _AES_BLOCK:
                        codec = SecureCookie(
                            p.hash_key,
                            p.block_key,
                            hash_name=hash_name,
                            serializer=NopEncoder(),
                            max_age=0,
                            max_length=0,
                        )
                        out = codec.decode(name, _reencode_outer(parts))
                        assert isinstance(out, bytes)
                        plain = out
                        info["plaintext_hex"] = plain.hex()
                        info["payload_format"] = _payload_kind(plain)
                    break
        if plain is not None and info.get("payload_format"):
            fmt = info["payload_format"]
            info["value"] = jsonview.to_plain(make_serializer(fmt).loads(plain))
        if as_json:
            emit({"ok": True, **info})
            continue
        for k, v in info.items():
            if k == "value":
                v = jsonview.node_text(v)
            elif k == "age_seconds":
                v = f"{v} ({_duration(v)}{' in the future' if v < 0 else ''})"
            elif isinstance(v, list):
                v = ", ".join(v) or "-"
            elif k.endswith("_hex") and len(v) > 160:
                v = v[:160] + f"… ({len(v) // 2} bytes)"
            click.echo(f"{k:<18} {v}")
    return rc


# -- encode -----------------------------------------------------------------------------------


@cookie.command("encode")
@click.argument("value", metavar="TYPED_JSON|-|@FILE")
@click.option("--name", required=True, help="Cookie name (part of the MAC).")
@key_options()
@codec_options
@click.option("--iv", default=None, metavar="HEX", help="AES-CTR IV (16 bytes hex; default: random).")
@click.option(
    "--type-ids",
    type=click.Choice(["go1.21", "go1.19"]),
    default="go1.21",
    show_default=True,
    help="gob type-id numbering of the Go release to match.",
)
@json_option
def encode_cmd(
    value: str,
    name: str,
    hash_key: tuple[str, ...],
    block_key: tuple[str, ...],
    hash_name: str,
    serializer: str,
    max_age: int,
    min_age: int,
    max_length: int,
    now: int | None,
    iv: str | None,
    type_ids: str,
    as_json: bool,
) -> int:
    """Make a cookie from a typed jsonview value (what `cookie decode --typed` prints).

    The first key pair encodes (Go: EncodeMulti). --now pins the timestamp and --iv the IV, which
    reproduces a Go-written cookie byte for byte.
    """
    pairs = pair_keys(hash_key, block_key, env="GORILLA_HASH_KEY")
    go_value = jsonview.loads(read_text_arg(value))
    iv_bytes = None
    if iv is not None:
        try:
            iv_bytes = bytes.fromhex(iv)
        except ValueError:
            iv_bytes = b""
        if len(iv_bytes) != _AES_BLOCK:
            raise click.BadParameter("the IV must be 16 bytes of hex", param_hint="--iv")
    fixed_iv = iv_bytes

    def rnd(n: int) -> bytes:
        return fixed_iv if fixed_iv is not None and n == len(fixed_iv) else os.urandom(n)

    codecs = make_codecs(
        pairs,
        hash_name=hash_name,
        serializer=make_serializer(serializer, type_ids=type_ids),
        max_age=max_age,
        min_age=min_age,
        max_length=max_length,
        now=now,
        random_bytes=rnd,
    )
    out = encode_multi(name, go_value, codecs)
    if as_json:
        emit({"ok": True, "name": name, "cookie": out, "length": len(out)})
    else:
        click.echo(out)
    return 0


# -- rekey ------------------------------------------------------------------------------------


@cookie.command("rekey")
@click.argument("cookie_value", metavar="COOKIE|-")
@click.option("--name", required=True, help="Cookie name (part of the MAC).")
@key_options()
@key_options("new_")
@codec_options
@click.option("--new-name", default=None, help="Sign under another cookie name.")
@click.option("--new-hash", default=None, help="HMAC hash for the new cookie (default: --hash).")
@click.option(
    "--fresh-timestamp",
    is_flag=True,
    help="Stamp with --now/the clock instead of keeping the original time (restarts max_age).",
)
@json_option
def rekey_cmd(
    cookie_value: str,
    name: str,
    hash_key: tuple[str, ...],
    block_key: tuple[str, ...],
    new_hash_key: tuple[str, ...],
    new_block_key: tuple[str, ...],
    hash_name: str,
    serializer: str,
    max_age: int,
    min_age: int,
    max_length: int,
    now: int | None,
    new_name: str | None,
    new_hash: str | None,
    fresh_timestamp: bool,
    as_json: bool,
) -> int:
    """Decode under the old keys and encode under the new ones, payload byte for byte.

    The serialized payload is not re-serialized, so types a Go reader registered stay exactly as
    they were. The original timestamp is kept unless --fresh-timestamp. '-' re-keys one cookie per
    line of stdin, printing one per line; failures go to stderr (exit code 1).
    """
    old = pair_keys(hash_key, block_key, env="GORILLA_HASH_KEY")
    new = pair_keys(new_hash_key, new_block_key, flag="--new-hash-key", env="GORILLA_NEW_HASH_KEY")
    check: Serializer = make_serializer(serializer)
    readers = make_codecs(
        old,
        hash_name=hash_name,
        serializer=NopEncoder(),
        max_age=max_age,
        min_age=min_age,
        max_length=max_length,
        now=now,
    )
    rc = 0
    for value in _cookies_arg(cookie_value, name):
        try:
            i, plain = _decode_with(readers, name, value)
            assert isinstance(plain, bytes)
            check.loads(plain)  # a payload that does not deserialize is not carried over
            stamp = _now(now) if fresh_timestamp else int(split_cookie(value).timestamp_text)
            writer = SecureCookie(
                new[0].hash_key,
                new[0].block_key,
                hash_name=new_hash or hash_name,
                serializer=NopEncoder(),
                max_length=max_length,
                clock=fixed_clock(stamp),
            )
            out = writer.encode(new_name or name, plain)
        except GorillaError as exc:
            rc = max(rc, exit_code_for(exc))
            if as_json:
                emit(error_obj(exc))
            else:
                click.echo(f"gorillacompat: {error_line(exc)}", err=True)
            continue
        if as_json:
            emit({"ok": True, "cookie": out, "old_key_pair": i, "timestamp": stamp})
        else:
            click.echo(out)
    return rc
