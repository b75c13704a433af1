"""Fuzz targets, seeds and a deterministic mutator, shared by the CI slice and ``run.py``.

Every target takes ``bytes`` and checks the invariant of style principle 6: hostile input gives a
``GorillaError`` (or is handled) and nothing else escapes. Where a value decodes, the targets also
check that it can be written back (what a store does on the next save) and, for gob and jsonview,
read again. A target *returns* normally on an accepted or rejected input and *raises* on a finding.

Targets:

- ``gob_loads``            ``gob.loads`` on raw bytes
- ``securecookie_payload`` a valid, MACed and AES-CTR-encrypted cookie whose plaintext is the input,
                           decoded with the gob serializer (mutations reach gob through the MAC)
- ``securecookie_json``    the same, HMAC only, with the JSON serializer (reaches ``decode_first``)
- ``securecookie_raw``     ``SecureCookie.decode`` on the input as cookie text (outer layers)
- ``gojson_unmarshal``     ``gojson.unmarshal``
- ``gojson_decode_first``  ``gojson.decode_first``
- ``jsonview_loads``       ``jsonview.loads`` (typed view texts)
- ``session_cookie``       ``CookieStore.new`` on a valid cookie carrying the input, then ``save``
- ``session_file``         ``FilesystemStore.new`` on a file holding a valid cookie of the input
- ``redis_value``          redistore ``finish_load`` (gob and JSON serializers) on the input as the
                           Redis value, then ``plan_save``
- ``cookie_header``        ``sessions.parse_cookie_header`` on the input as a ``Cookie:`` header
"""

from __future__ import annotations

import json
import os
import random
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from gorillacompat import gob, gojson, jsonview
from gorillacompat.errors import GorillaError
from gorillacompat.redistore._core import Delete, RediStoreRules, Write
from gorillacompat.redistore._serializers import GobSerializer, JSONSerializer
from gorillacompat.securecookie import SecureCookie
from gorillacompat.serializers import GobEncoder, JSONEncoder, NopEncoder
from gorillacompat.sessions import CookieStore, FilesystemStore, Options, Session, parse_cookie_header
from gorillacompat.sessions.cookie import is_cookie_name_valid

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"

HASH_KEY = bytes(range(32))
BLOCK_KEY = bytes(range(100, 132))
NOW = 1_700_000_000
NAME = "session"
#: Seeds larger than this are left out of the mutation corpus (limits.json's 90 KB stream has its
#: own test in tests/limits).
MAX_SEED = 16 * 1024


class InvariantError(AssertionError):
    """An invariant did not hold for one input."""


def _zero_iv(n: int) -> bytes:
    return bytes(n)


def _clock() -> int:
    return NOW


# -- codecs (built once; the targets share them) ------------------------------------------------

_WRAP_AES = SecureCookie(
    HASH_KEY, BLOCK_KEY, serializer=NopEncoder(), max_length=0, clock=_clock, random_bytes=_zero_iv
)
_WRAP_MAC = SecureCookie(HASH_KEY, None, serializer=NopEncoder(), max_length=0, clock=_clock)
_GOB_AES = SecureCookie(HASH_KEY, BLOCK_KEY, serializer=GobEncoder(), max_length=0, clock=_clock)
_JSON_MAC = SecureCookie(HASH_KEY, None, serializer=JSONEncoder(), max_length=0, clock=_clock)
_CODEC_OPTS = {"max_length": 0}


def wrap_aes(payload: bytes) -> str:
    """A cookie our AES+HMAC codecs accept, carrying ``payload`` as the serialized bytes."""
    return _WRAP_AES.encode(NAME, payload)


def wrap_mac(payload: bytes) -> str:
    return _WRAP_MAC.encode(NAME, payload)


def _only_gorilla(fn: Callable[[], Any]) -> tuple[bool, Any]:
    """(True, result) or (False, the GorillaError); anything else escapes as a finding."""
    try:
        return True, fn()
    except GorillaError as exc:
        return False, exc


# -- targets ------------------------------------------------------------------------------------


def gob_loads(data: bytes) -> None:
    ok, value = _only_gorilla(lambda: gob.loads(data))
    if not ok:
        return
    ok, again = _only_gorilla(lambda: gob.dumps(value))
    if ok:
        # What we wrote must read back (the bytes may differ: trailing data, type-id numbering).
        gob.loads(again)


def securecookie_payload(data: bytes) -> None:
    cookie = wrap_aes(data)
    ok, value = _only_gorilla(lambda: _GOB_AES.decode(NAME, cookie))
    if ok:
        _only_gorilla(lambda: _GOB_AES.encode(NAME, value))


def securecookie_json(data: bytes) -> None:
    cookie = wrap_mac(data)
    ok, value = _only_gorilla(lambda: _JSON_MAC.decode(NAME, cookie))
    if ok:
        _only_gorilla(lambda: _JSON_MAC.encode(NAME, value))


def securecookie_raw(data: bytes) -> None:
    text = data.decode("utf-8", "surrogateescape")
    _only_gorilla(lambda: _GOB_AES.decode(NAME, text))
    _only_gorilla(lambda: _JSON_MAC.decode(NAME, text))


def gojson_unmarshal(data: bytes) -> None:
    ok, value = _only_gorilla(lambda: gojson.unmarshal(data))
    if ok:
        _only_gorilla(lambda: gojson.marshal(value))


def gojson_decode_first(data: bytes) -> None:
    _only_gorilla(lambda: gojson.decode_first(data))


def jsonview_loads(data: bytes) -> None:
    ok, value = _only_gorilla(lambda: jsonview.loads(data))
    if not ok:
        return
    text = jsonview.dumps(value, typed=True)
    jsonview.dumps(value)
    # Reading back is guaranteed for canonical texts only: for a nonsense type such as
    # map[[]uint8]... it may be refused, but only with a GorillaError.
    _only_gorilla(lambda: jsonview.loads(text))


_COOKIE_STORE = CookieStore(
    HASH_KEY, BLOCK_KEY, clock=_clock, random_bytes=_zero_iv, codec_options=_CODEC_OPTS
)


def _check_session(session: Session) -> None:
    if session.error is not None and not isinstance(session.error, GorillaError):
        raise InvariantError(f"session.error is {type(session.error).__name__}, not a GorillaError")
    if session.error is None and session.is_new:
        raise InvariantError("a session that loaded without error is still new")


def session_cookie(data: bytes) -> None:
    session = _COOKIE_STORE.new({NAME: wrap_aes(data)}, NAME)
    _check_session(session)
    if session.error is None:
        _only_gorilla(lambda: _COOKIE_STORE.save(session))


_FS_DIR: str | None = None
_FS_STORE: FilesystemStore | None = None
_FS_ID = "A" * 52


def _fs_store() -> FilesystemStore:
    global _FS_DIR, _FS_STORE
    if _FS_STORE is None:
        # tmpfs when there is one: the store fsyncs every save.
        shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
        _FS_DIR = tempfile.mkdtemp(prefix="gorillacompat-fuzz-", dir=shm)
        _FS_STORE = FilesystemStore(
            _FS_DIR, HASH_KEY, BLOCK_KEY, clock=_clock, random_bytes=_zero_iv, max_length=0
        )
    return _FS_STORE


def session_file(data: bytes) -> None:
    store = _fs_store()
    with open(store.filename(_FS_ID), "wb") as f:
        f.write(wrap_aes(data).encode("ascii"))
    cookie = store.codecs[0].encode(NAME, _FS_ID)
    session = store.new({NAME: cookie}, NAME)
    _check_session(session)
    if session.error is None:
        session.id = _FS_ID
        _only_gorilla(lambda: store.save(session))


_REDIS_RULES = [
    RediStoreRules(
        [SecureCookie(HASH_KEY, BLOCK_KEY, clock=_clock)],
        serializer=ser,
        max_length=0,
        random_bytes=os.urandom,
    )
    for ser in (GobSerializer(), JSONSerializer())
]


def redis_value(data: bytes) -> None:
    for rules in _REDIS_RULES:
        session = Session(NAME, None, options=Options(path="/", max_age=3600), id=_FS_ID, is_new=True)
        rules.finish_load(session, data)  # a bad value becomes session.error
        _check_session(session)
        if session.error is None:
            ok, plan = _only_gorilla(lambda: rules.plan_save(session))  # noqa: B023
            if ok and not isinstance(plan, (Write, Delete)):
                raise InvariantError(f"plan_save returned {plan!r}")


def cookie_header(data: bytes) -> None:
    text = data.decode("utf-8", "surrogateescape")
    out = parse_cookie_header(text)
    for k, v in out.items():
        if not (isinstance(k, str) and isinstance(v, str) and is_cookie_name_valid(k)):
            raise InvariantError(f"parse_cookie_header returned {k!r}={v!r}")
        if any(not (0x20 <= ord(c) < 0x7F) or c in '";\\' for c in v):
            raise InvariantError(f"cookie value {v!r} holds a byte Go drops")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "gob_loads": gob_loads,
    "securecookie_payload": securecookie_payload,
    "securecookie_json": securecookie_json,
    "securecookie_raw": securecookie_raw,
    "gojson_unmarshal": gojson_unmarshal,
    "gojson_decode_first": gojson_decode_first,
    "jsonview_loads": jsonview_loads,
    "session_cookie": session_cookie,
    "session_file": session_file,
    "redis_value": redis_value,
    "cookie_header": cookie_header,
}


# -- seeds from fixtures/ -------------------------------------------------------------------------


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def _hex(s: Any) -> bytes | None:
    if not isinstance(s, str):
        return None
    try:
        return bytes.fromhex(s)
    except ValueError:
        return None


def _fixture_files(pattern: str) -> list[Any]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob(pattern))]


def _dedup(seeds: list[bytes]) -> list[bytes]:
    seen: set[bytes] = set()
    out = []
    for s in seeds:
        if len(s) <= MAX_SEED and s not in seen:
            seen.add(s)
            out.append(s)
    return out


def _gob_seeds() -> list[bytes]:
    out: list[bytes] = []
    for topic in _fixture_files("gob/*.json") + _fixture_files("securecookie/*.json"):
        for k, v in _walk(topic):
            if k in ("gob", "serialized"):
                b = _hex(v)
                if b is not None and (not b or b[:1] != b"{"):
                    out.append(b)
    return out


def _json_seeds() -> list[bytes]:
    out: list[bytes] = []
    for topic in _fixture_files("json/*.json") + _fixture_files("securecookie/*.json"):
        for k, v in _walk(topic):
            if k in ("input", "serialized", "json", "output"):
                b = _hex(v)
                if (
                    b is not None
                    and b[:1] in (b"{", b"[", b'"', b"n", b"t", b"f", b"-")
                    or (b is not None and b[:1].isdigit())
                ):
                    out.append(b)
    return out


def _typed_view_seeds() -> list[bytes]:
    out: list[bytes] = []
    for topic in _fixture_files("gob/*.json"):
        for case in topic["cases"]:
            if isinstance(case.get("value"), dict):
                out.append(json.dumps(case["value"], separators=(",", ":"), ensure_ascii=False).encode())
    return out


def _cookie_seeds() -> list[bytes]:
    out = [wrap_aes(s).encode() for s in _gob_seeds()[:40]]
    for topic in _fixture_files("securecookie/*.json") + _fixture_files("sessions/*.json"):
        for k, v in _walk(topic):
            if k in ("cookie", "contents", "value") and isinstance(v, str) and v.isascii():
                out.append(v.encode())
    return out


def _header_seeds() -> list[bytes]:
    out = [b"session=abc; other=def", b'a="quoted"; b=; c', b'  x=1 ;;; y=2;z="3" ']
    for topic in _fixture_files("sessions/cookie_header.json"):
        for case in topic["cases"]:
            out.append(f"{case['name']}={case['value']}".encode("utf-8", "surrogateescape"))
    return out


def _session_seeds() -> list[bytes]:
    return [s for s in _gob_seeds() if b"interface" in s] or _gob_seeds()


SEEDS: dict[str, Callable[[], list[bytes]]] = {
    "gob_loads": _gob_seeds,
    "securecookie_payload": _gob_seeds,
    "securecookie_json": _json_seeds,
    "securecookie_raw": _cookie_seeds,
    "gojson_unmarshal": _json_seeds,
    "gojson_decode_first": _json_seeds,
    "jsonview_loads": _typed_view_seeds,
    "session_cookie": _session_seeds,
    "session_file": _session_seeds,
    "redis_value": lambda: _session_seeds() + _json_seeds(),
    "cookie_header": _header_seeds,
}


def seeds(target: str) -> list[bytes]:
    found = _dedup(SEEDS[target]())
    if not found:
        raise FileNotFoundError(f"no seeds for {target} under fixtures/; run `make fixtures`")
    return found


# -- a deterministic mutator (the CI slice; atheris brings its own) -------------------------------

#: Byte strings that hit the decoders' edges: gob's uint prefixes (0xf8 = 8-byte uint), huge and
#: negative lengths, type-definition starts, JSON structure and numbers, base64 and cookie syntax.
TOKENS: list[bytes] = [
    b"\x00", b"\x01", b"\x7f", b"\x80", b"\xff", b"\xfe", b"\xf8", b"\xf8\xff\xff\xff\xff\xff\xff\xff\xff",
    b"\xfc\x7f\xff\xff\xff", b"\xfc\x80\x00\x00\x00", b"\xff\x81", b"\x03\x01\x02\xff\x82",
    b"\x0cinterface {}", b"\x07[]uint8", b"\x09time.Time", b"\x04main",
    b"[", b"]", b"{", b"}", b'{"t":"', b'","v":', b"[[", b"]]", b'"', b"\\u", b"\\ud800", b"\\", b",",
    b":", b"1e999", b"-0", b"1e-400", b"123456789012345678901234567890", b"null", b"true", b"NaN",
    b'{"$float":"NaN"}', b'{"$int":"', b"|", b"=", b"==", b"; ", b"\xc3\xa9", b"\xed\xa0\x80",
]  # fmt: skip


def mutate(data: bytes, rng: random.Random, corpus: list[bytes]) -> bytes:
    """One to four random edits of ``data``."""
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(9)
        n = len(b)
        if op == 0 and n:  # flip a bit
            i = rng.randrange(n)
            b[i] ^= 1 << rng.randrange(8)
        elif op == 1 and n:  # set a byte
            b[rng.randrange(n)] = rng.choice((0, 1, 0x7F, 0x80, 0xFE, 0xFF, rng.randrange(256)))
        elif op == 2:  # insert a token
            i = rng.randint(0, n)
            b[i:i] = rng.choice(TOKENS)
        elif op == 3 and n:  # delete a range
            i = rng.randrange(n)
            del b[i : i + rng.randint(1, 8)]
        elif op == 4 and n:  # duplicate a range
            i = rng.randrange(n)
            j = min(n, i + rng.randint(1, 32))
            b[j:j] = b[i:j]
        elif op == 5 and n:  # truncate
            del b[rng.randrange(n) :]
        elif op == 6 and corpus:  # splice with another seed
            other = rng.choice(corpus)
            i = rng.randint(0, n)
            j = rng.randint(0, len(other))
            b = b[:i] + other[j:]
        elif op == 7:  # insert random bytes
            i = rng.randint(0, n)
            b[i:i] = rng.randbytes(rng.randint(1, 8))
        elif op == 8 and n >= 2:  # swap two bytes
            i, j = rng.randrange(n), rng.randrange(n)
            b[i], b[j] = b[j], b[i]
    return bytes(b[: 2 * MAX_SEED])


def run_target(
    name: str, iterations: int, seed: int, *, time_budget: float | None = None
) -> tuple[int, list[tuple[bytes, BaseException]]]:
    """Run ``iterations`` mutated inputs (after every seed as is); (executions, findings)."""
    import time

    target = TARGETS[name]
    corpus = seeds(name)
    rng = random.Random(f"{name}:{seed}")
    findings: list[tuple[bytes, BaseException]] = []
    done = 0
    start = time.monotonic()
    inputs: Iterator[bytes] = iter(corpus)
    for i in range(len(corpus) + iterations):
        data = next(inputs, None)
        if data is None:
            data = mutate(rng.choice(corpus), rng, corpus)
        try:
            target(data)
        except Exception as exc:  # a finding: anything that is not handled
            findings.append((data, exc))
        done += 1
        if time_budget is not None and i % 64 == 0 and time.monotonic() - start > time_budget:
            break
    return done, findings
