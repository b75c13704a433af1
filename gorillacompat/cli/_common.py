"""What every command shares: key parsing, codec building, reading inputs, printing results.

Layering: the ``cli`` layer; imports click and the library below it.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from ..errors import GorillaError, MultiError
from ..securecookie import SecureCookie
from ..serializers import GobEncoder, JSONEncoder, NopEncoder, Serializer

__all__ = [
    "KeyPair",
    "State",
    "codec_options",
    "emit",
    "exit_code_for",
    "fixed_clock",
    "json_option",
    "key_options",
    "make_codecs",
    "make_serializer",
    "pair_keys",
    "parse_key",
    "read_bytes_arg",
    "read_text_arg",
]

F = TypeVar("F", bound=Callable[..., Any])

_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")
_B64 = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")


@dataclass
class State:
    """Per-run state on the click context (``ctx.obj``): output mode and stream overrides."""

    json: bool = False


# -- keys ------------------------------------------------------------------------------------


def _decode_key_text(text: str) -> bytes | None:
    """Hex (wins when both read), then standard or URL-safe base64, padding optional."""
    if text.startswith("hex:"):
        try:
            return bytes.fromhex(text[4:])
        except ValueError:
            return None
    if text.startswith("base64:"):
        text = text[7:]
    elif _HEX.fullmatch(text):
        return bytes.fromhex(text)
    if not _B64.fullmatch(text):
        return None
    padded = text.rstrip("=")
    padded += "=" * (-len(padded) % 4)
    try:
        return base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None


def parse_key(text: str, *, what: str = "key") -> bytes | None:
    """A key from the command line: hex, base64 (standard or URL-safe), or ``@file``.

    ``-`` (or ``none``) means "no key" (a pair without encryption). ``hex:``/``base64:`` force a
    reading; otherwise hex wins over base64. ``@file`` holds the key as hex/base64 text or as raw
    bytes. Raises ``click.BadParameter`` for anything else.
    """
    text = text.strip()
    if text in ("-", "none", ""):
        return None
    if text.startswith("@"):
        try:
            with open(text[1:], "rb") as f:
                raw = f.read()
        except OSError as exc:
            raise click.BadParameter(f"cannot read {what} file {text[1:]!r}: {exc.strerror}") from exc
        try:
            as_text = raw.decode("ascii").strip()
        except UnicodeDecodeError:
            return raw
        parsed = _decode_key_text(as_text) if as_text else None
        return parsed if parsed is not None else raw
    parsed = _decode_key_text(text)
    if parsed is None:
        raise click.BadParameter(
            f"{what} {text[:12]!r}… is neither hex nor base64 (use @FILE for a key file)"
        )
    return parsed


@dataclass(frozen=True)
class KeyPair:
    """One (hash key, block key) pair; the first pair encodes, all pairs decode (Go's order)."""

    hash_key: bytes
    block_key: bytes | None

    def describe(self) -> str:
        enc = f"AES-{len(self.block_key) * 8}" if self.block_key else "no encryption"
        return f"hash key {len(self.hash_key)} bytes, {enc}"


def pair_keys(
    hash_keys: Sequence[str], block_keys: Sequence[str], *, flag: str = "--hash-key", env: str = ""
) -> list[KeyPair]:
    """Pairs by position: ``--hash-key H1 --block-key B1 --hash-key H2 …`` (``-`` = no block key)."""
    if not hash_keys:
        where = f" or set {env}" if env else ""
        raise click.UsageError(f"no hash key: pass {flag}{where}")
    if len(block_keys) > len(hash_keys):
        raise click.UsageError(
            f"{len(block_keys)} block keys for {len(hash_keys)} hash keys; pair them by position "
            "and use '-' for a pair without encryption"
        )
    pairs = []
    for i, h in enumerate(hash_keys):
        hk = parse_key(h, what="hash key")
        if hk is None:
            raise click.UsageError(f"hash key #{i + 1} is empty")
        bk = parse_key(block_keys[i], what="block key") if i < len(block_keys) else None
        pairs.append(KeyPair(hk, bk))
    return pairs


def key_options(prefix: str = "", *, required: bool = True) -> Callable[[F], F]:
    """``--hash-key``/``--block-key`` (repeatable, env fallback) as ``<prefix>hash_key`` etc."""
    dash = prefix.replace("_", "-")
    env = f"GORILLA_{prefix.upper()}"

    def deco(f: F) -> F:
        f = click.option(
            f"--{dash}block-key",
            f"{prefix}block_key",
            multiple=True,
            envvar=f"{env}BLOCK_KEY",
            metavar="KEY",
            help=f"AES key (16/24/32 bytes) paired by position with --{dash}hash-key; '-' for none "
            f"[env {env}BLOCK_KEY].",
        )(f)
        f = click.option(
            f"--{dash}hash-key",
            f"{prefix}hash_key",
            multiple=True,
            envvar=f"{env}HASH_KEY",
            metavar="KEY",
            help="HMAC key: hex, base64 or @FILE; repeat for rotation (first pair encodes) "
            f"[env {env}HASH_KEY, space-separated].",
        )(f)
        return f

    return deco


def codec_options(f: F) -> F:
    """The securecookie settings of ``cookie`` commands and stores (Go's defaults)."""
    for opt in reversed(
        [
            click.option(
                "--hash",
                "hash_name",
                default="sha256",
                show_default=True,
                help="HMAC hash (any hashlib name: sha1, sha512, ...).",
            ),
            click.option(
                "--serializer",
                type=click.Choice(["gob", "json", "nop"]),
                default="gob",
                show_default=True,
                help="How the value was serialized (Go: securecookie.*Encoder).",
            ),
            click.option(
                "--max-age",
                type=int,
                default=86400 * 30,
                show_default=True,
                help="Reject cookies older than this many seconds (0 = no limit).",
            ),
            click.option(
                "--min-age",
                type=int,
                default=0,
                show_default=True,
                help="Reject cookies younger than this many seconds.",
            ),
            click.option(
                "--max-length",
                type=int,
                default=4096,
                show_default=True,
                help="Reject cookie values longer than this (0 = no limit).",
            ),
            click.option(
                "--now",
                type=int,
                default=None,
                metavar="UNIX",
                help="Check ages against this Unix time instead of the clock.",
            ),
        ]
    ):
        f = opt(f)
    return f


def make_serializer(name: str, *, type_ids: str = "go1.21") -> Serializer:
    if name == "gob":
        return GobEncoder(type_ids=type_ids)
    if name == "json":
        return JSONEncoder()
    return NopEncoder()


def fixed_clock(now: int) -> Callable[[], int]:
    """A clock that always reads ``now`` (for re-signing with a cookie's original timestamp)."""
    return lambda: now


def make_codecs(
    pairs: Sequence[KeyPair],
    *,
    hash_name: str = "sha256",
    serializer: str | Serializer = "gob",
    max_age: int = 86400 * 30,
    min_age: int = 0,
    max_length: int = 4096,
    now: int | None = None,
    random_bytes: Callable[[int], bytes] | None = None,
) -> list[SecureCookie]:
    """One SecureCookie per pair, in order (Go: ``securecookie.CodecsFromPairs`` + setters)."""
    ser = make_serializer(serializer) if isinstance(serializer, str) else serializer
    clock = fixed_clock(now) if now is not None else None
    return [
        SecureCookie(
            p.hash_key,
            p.block_key,
            hash_name=hash_name,
            serializer=ser,
            max_age=max_age,
            min_age=min_age,
            max_length=max_length,
            clock=clock,
            random_bytes=random_bytes,
        )
        for p in pairs
    ]


# -- input -------------------------------------------------------------------------------------


def read_text_arg(value: str) -> str:
    """``-`` reads stdin, ``@file`` reads a file, anything else is the text itself."""
    if value == "-":
        return sys.stdin.read()
    if value.startswith("@"):
        try:
            with open(value[1:], encoding="utf-8") as f:
                return f.read()
        except OSError as exc:
            raise click.BadParameter(f"cannot read {value[1:]!r}: {exc.strerror}") from exc
    return value


def read_bytes_arg(value: str, fmt: str) -> bytes:
    """Bytes given as hex, base64 or raw (a file or ``-``); ``fmt="auto"`` guesses hex, base64, raw."""
    if value == "-":
        raw = sys.stdin.buffer.read()
    elif value.startswith("@") or os.path.exists(value):
        path = value[1:] if value.startswith("@") else value
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError as exc:
            raise click.BadParameter(f"cannot read {path!r}: {exc.strerror}") from exc
    else:
        raw = value.encode("utf-8", "surrogateescape")
    if fmt == "raw":
        return raw
    try:
        text = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        if fmt == "auto":
            return raw
        raise click.BadParameter(f"input is not {fmt} text") from None
    text = "".join(text.split())
    if fmt in ("auto", "hex") and _HEX.fullmatch(text or "zz"):
        return bytes.fromhex(text)
    if fmt in ("auto", "base64"):
        decoded = _decode_key_text("base64:" + text) if text else b""
        if decoded is not None:
            return decoded
    if fmt == "auto":
        return raw
    raise click.BadParameter(f"input is not valid {fmt}")


# -- output ------------------------------------------------------------------------------------


def json_option(f: F) -> F:
    """``--json``: print one machine-readable JSON document (or JSONL) instead of text."""

    def cb(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        if value:
            st = ctx.find_object(State)
            if st is not None:
                st.json = True
        return value

    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        expose_value=True,
        callback=cb,
        help='Machine-readable JSON output ({"ok": ...}); errors too.',
    )(f)


def json_text(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def emit(obj: Any) -> None:
    """Print one compact JSON document on stdout."""
    click.echo(json_text(obj))


def exit_code_for(exc: GorillaError) -> int:
    """2 for a usage error (every child of a MultiError a usage error), else 1."""
    if isinstance(exc, MultiError):
        return 2 if exc.errors and all(e.is_usage() for e in exc.errors) else 1
    return 2 if exc.is_usage() else 1


def error_line(exc: BaseException) -> str:
    """The error as one line (drivers' messages can span several), with its hint."""
    text = " ".join(part.strip() for part in str(exc).splitlines())
    hint = getattr(exc, "hint", "")
    return f"{text} ({hint})" if hint else text


def error_obj(exc: BaseException) -> dict[str, Any]:
    out: dict[str, Any] = {"ok": False, "error": str(exc), "error_type": type(exc).__name__}
    hint = getattr(exc, "hint", "")
    if hint:
        out["hint"] = hint
    if isinstance(exc, MultiError):
        out["errors"] = [str(e) for e in exc.errors]
    return out
