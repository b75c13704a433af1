"""The claims of docs/SECURITY.md that a test can check (issue 8), one test (or more) per claim."""

from __future__ import annotations

import ast
import base64
import errno
import hmac
import os
import traceback
from pathlib import Path
from typing import Any

import pytest

import gorillacompat
from gorillacompat import gob
from gorillacompat.errors import (
    DecryptionError,
    ExpiredTimestampError,
    GorillaError,
    InvalidMacError,
    MultiError,
    TimestampTooNewError,
)
from gorillacompat.securecookie import SecureCookie, codecs_from_pairs, decode_multi
from gorillacompat.serializers import GobEncoder, NopEncoder
from gorillacompat.sessions import CookieStore, FilesystemStore, MemStore

PACKAGE = Path(gorillacompat.__file__).resolve().parent
NOW = 1_700_000_000
# Distinctive keys, so that any leak of them (raw, hex, base64, repr) is easy to find.
HASH_KEY = b"HK-secret-hash-key-0123456789abcdefghijklmnopqrstuv"[:32]
BLOCK_KEY = b"BK-secret-block-key-ZYXWVUTSRQPO"
OLD_HASH = b"OLDHK-secret-rotated-hash-key-!!"


def _codec(**kw: Any) -> SecureCookie:
    kw.setdefault("clock", lambda: NOW)
    return SecureCookie(HASH_KEY, BLOCK_KEY, **kw)


def _outer(cookie: str) -> tuple[bytes, bytes, bytes]:
    raw = base64.urlsafe_b64decode(cookie)
    ts, inner, mac = raw.split(b"|", 2)
    return ts, inner, mac


def _reseal(name: str, ts: bytes, inner: bytes, key: bytes = HASH_KEY) -> str:
    mac = hmac.digest(key, name.encode() + b"|" + ts + b"|" + inner, "sha256")
    return base64.urlsafe_b64encode(ts + b"|" + inner + b"|" + mac).decode()


# -- the MAC is checked first -----------------------------------------------------------------------


class _Spy:
    """A serializer that records whether it was reached."""

    def __init__(self) -> None:
        self.loads_calls = 0

    def dumps(self, value: object) -> bytes:
        return GobEncoder().dumps(value)

    def loads(self, data: bytes) -> object:
        self.loads_calls += 1
        return GobEncoder().loads(data)


def test_tampered_ciphertext_fails_the_mac_before_decryption_or_deserialization() -> None:
    spy = _Spy()
    sc = _codec(serializer=spy)
    cookie = sc.encode("session", {"user": "alice"})
    ts, inner, mac = _outer(cookie)
    payload = bytearray(base64.urlsafe_b64decode(inner))
    payload[-1] ^= 0x01
    forged = base64.urlsafe_b64encode(ts + b"|" + base64.urlsafe_b64encode(bytes(payload)) + b"|" + mac)
    with pytest.raises(InvalidMacError):
        sc.decode("session", forged.decode())
    assert spy.loads_calls == 0


def test_tampered_timestamp_is_a_mac_error_not_an_age_error() -> None:
    sc = _codec()
    ts, inner, mac = _outer(sc.encode("session", "v"))
    forged = base64.urlsafe_b64encode(str(NOW + 10**6).encode() + b"|" + inner + b"|" + mac).decode()
    with pytest.raises(InvalidMacError):
        sc.decode("session", forged)


def test_the_mac_binds_the_cookie_name() -> None:
    sc = _codec()
    cookie = sc.encode("session", "admin")
    with pytest.raises(InvalidMacError):
        sc.decode("other", cookie)


def test_the_mac_binds_the_hash_function() -> None:
    sha1 = SecureCookie(HASH_KEY, BLOCK_KEY, hash_name="sha1", clock=lambda: NOW)
    with pytest.raises(InvalidMacError):
        _codec().decode("session", sha1.encode("session", "v"))


def test_mac_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    sc = _codec()
    cookie = sc.encode("session", "v")
    assert sc.decode("session", cookie) == "v"
    with pytest.raises(InvalidMacError):
        sc.decode("other", cookie)
    assert len(calls) == 2


def test_no_equality_test_on_mac_bytes_in_securecookie() -> None:
    # The only comparison of a MAC is hmac.compare_digest: no `mac == ...` / `... != mac`.
    # securecookie.py holds the policy, _cookiewire.py the byte layout where the MAC is checked.
    compared = 0
    for name in ("securecookie.py", "_cookiewire.py"):
        tree = ast.parse((PACKAGE / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and any(isinstance(op, (ast.Eq, ast.NotEq)) for op in node.ops):
                names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                assert not names & {"mac", "expected"}, ast.unparse(node)
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "hmac.compare_digest":
                compared += 1
    assert compared == 1  # the one place the MAC is checked


# -- what AES-CTR gives, and what it does not ----------------------------------------------------


def test_ctr_hides_the_value_but_is_malleable_without_the_mac() -> None:
    # Confidentiality: the plaintext does not appear in the cookie.
    sc = _codec(serializer=NopEncoder())
    cookie = sc.encode("session", b"role=user;;;")
    ts, inner, _ = _outer(cookie)
    payload = base64.urlsafe_b64decode(inner)
    assert b"role=user" not in payload
    # Malleability: whoever knows the *hash* key (but not the block key) can flip plaintext bits
    # by flipping ciphertext bits and re-MACing. Only the MAC key keeps the value intact.
    delta = bytes(a ^ b for a, b in zip(b"role=user;;;", b"role=admin;;", strict=True))
    body = bytearray(payload)
    for i, d in enumerate(delta):
        body[16 + i] ^= d
    forged = _reseal("session", ts, base64.urlsafe_b64encode(bytes(body)))
    assert sc.decode("session", forged) == b"role=admin;;"


def test_same_value_encrypts_differently_each_time() -> None:
    sc = SecureCookie(HASH_KEY, BLOCK_KEY, clock=lambda: NOW)
    assert sc.encode("session", "v") != sc.encode("session", "v")  # a fresh random IV per cookie


def test_a_signed_only_cookie_is_readable_by_anyone() -> None:
    # Without a block key the value is only base64: signing is not encryption.
    sc = SecureCookie(HASH_KEY, None, serializer=NopEncoder(), clock=lambda: NOW)
    _, inner, _ = _outer(sc.encode("session", b"secret-value"))
    assert base64.urlsafe_b64decode(inner) == b"secret-value"


def test_ciphertext_of_one_block_or_less_is_refused_after_the_mac() -> None:
    sc = _codec()
    forged = _reseal("session", str(NOW).encode(), base64.urlsafe_b64encode(b"\x00" * 16))
    with pytest.raises(DecryptionError):
        sc.decode("session", forged)


# -- clock skew -------------------------------------------------------------------------------


def test_clock_skew_future_timestamps_are_accepted_unless_min_age_is_set() -> None:
    ahead = SecureCookie(HASH_KEY, BLOCK_KEY, clock=lambda: NOW + 600)  # a server 10 min fast
    cookie = ahead.encode("session", "v")
    assert _codec().decode("session", cookie) == "v"  # Go does the same: no check for the future
    with pytest.raises(TimestampTooNewError):
        _codec(min_age=1).decode("session", cookie)


def test_clock_skew_extends_or_shortens_max_age_by_the_skew() -> None:
    cookie = SecureCookie(HASH_KEY, BLOCK_KEY, clock=lambda: NOW + 600, max_age=3600).encode("s", "v")
    late = NOW + 3600 + 300  # past NOW + max_age, but the cookie says it was made at NOW + 600
    assert SecureCookie(HASH_KEY, BLOCK_KEY, clock=lambda: late, max_age=3600).decode("s", cookie) == "v"
    with pytest.raises(ExpiredTimestampError):
        SecureCookie(HASH_KEY, BLOCK_KEY, clock=lambda: NOW + 4201, max_age=3600).decode("s", cookie)


def test_max_age_zero_means_cookies_never_expire() -> None:
    old = SecureCookie(HASH_KEY, BLOCK_KEY, clock=lambda: 1).encode("s", "v")
    assert _codec(max_age=0).decode("s", old) == "v"
    with pytest.raises(ExpiredTimestampError):
        _codec().decode("s", old)


# -- no code execution from data ----------------------------------------------------------------


def _package_trees() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(), str(p))) for p in sorted(PACKAGE.rglob("*.py"))]


def test_no_pickle_marshal_eval_or_exec_in_the_package() -> None:
    banned_modules = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "yaml", "jsonpickle"}
    banned_calls = {"eval", "exec", "compile", "__import__"}
    for path, tree in _package_trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in banned_modules, f"{path}: import {alias.name}"
            elif isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in banned_modules, f"{path}: from {node.module}"
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in banned_calls, f"{path}:{node.lineno}: {node.func.id}()"


def test_unknown_gob_types_decode_to_data_never_to_code() -> None:
    # A registered-looking name the registry does not know becomes an inert value.
    from gorillacompat.values import GoStruct

    value = gob.loads(gob.dumps(GoStruct("os.Process", {"Pid": 1})))
    assert type(value).__module__.startswith("gorillacompat.")


# -- keys never in exception texts, reprs or tracebacks -----------------------------------------


def _leaks(text: str, keys: list[bytes]) -> list[str]:
    found = []
    for k in keys:
        forms = {
            k.decode("latin-1"),
            k.hex(),
            k.hex().upper(),
            base64.b64encode(k).decode(),
            base64.urlsafe_b64encode(k).decode(),
            repr(k),
            k[:12].decode("latin-1"),  # a distinctive prefix: catches truncated dumps too
        }
        found += [f for f in forms if f in text]
    return found


def _all_text(exc: BaseException) -> str:
    parts = ["".join(traceback.format_exception(type(exc), exc, exc.__traceback__))]
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        parts += [str(e), repr(e), getattr(e, "hint", ""), repr(getattr(e, "args", ()))]
        parts += [repr(v) for v in vars(e).values()] if hasattr(e, "__dict__") else []
        stack += [e.__cause__, e.__context__]
        stack += list(getattr(e, "errors", []) or [])
    return "\n".join(parts)


def _raised(fn: Any) -> BaseException:
    try:
        fn()
    except GorillaError as exc:
        return exc
    raise AssertionError(f"{fn} did not raise")


def _error_cases(tmp_path: Path) -> list[BaseException]:
    sc = _codec()
    good = sc.encode("session", {"a": 1})
    old = SecureCookie(OLD_HASH, None, clock=lambda: NOW)
    codecs = codecs_from_pairs(HASH_KEY, BLOCK_KEY, OLD_HASH, None, clock=lambda: NOW)
    fs_dir = tmp_path / "not-a-dir"
    fs_dir.write_text("a file where the directory should be")
    fs = FilesystemStore(str(fs_dir), HASH_KEY, BLOCK_KEY)
    s = fs.new({}, "session")
    s.values["k"] = "v"
    return [
        _raised(lambda: sc.decode("other", good)),
        _raised(lambda: sc.decode("session", "!!!not base64!!!")),
        _raised(lambda: sc.decode("session", "A" * 10000)),
        _raised(lambda: _codec(max_age=1, clock=lambda: NOW + 10).decode("session", good)),
        _raised(lambda: _codec(min_age=100).decode("session", good)),
        _raised(lambda: SecureCookie(HASH_KEY, b"short-block-key").encode("s", 1)),
        _raised(lambda: SecureCookie(HASH_KEY, b"short-block-key").decode("s", good)),
        _raised(lambda: sc.encode("session", object())),
        _raised(lambda: sc.encode("session", "x" * 10000)),
        _raised(lambda: decode_multi("session", old.encode("session", 1)[:-4], codecs)),
        _raised(lambda: decode_multi("session", good[:-4], codecs)),
        _raised(lambda: _reseal_and_decode(sc)),
        _raised(lambda: fs.save(s)),
        CookieStore(HASH_KEY, BLOCK_KEY).new({"session": good + "x"}, "session").error or _none(),
        MemStore(HASH_KEY, BLOCK_KEY).new({"session": "garbage"}, "session").error or _none(),
    ]


def _none() -> BaseException:
    raise AssertionError("expected session.error")


def _reseal_and_decode(sc: SecureCookie) -> object:
    forged = _reseal("session", str(NOW).encode(), base64.urlsafe_b64encode(b"\x00" * 40))
    return sc.decode("session", forged)


def test_keys_never_appear_in_errors_reprs_or_tracebacks(tmp_path: Path) -> None:
    keys = [HASH_KEY, BLOCK_KEY, OLD_HASH]
    errors = _error_cases(tmp_path)
    assert len(errors) >= 15
    kinds = {type(e).__name__ for e in errors}
    assert {"InvalidMacError", "KeySizeError", "FilesystemError", "MultiError"} <= kinds, kinds
    for exc in errors:
        assert isinstance(exc, GorillaError)
        text = _all_text(exc)
        assert not _leaks(text, keys), (type(exc).__name__, _leaks(text, keys))
    # ...and the objects holding the keys do not print them either.
    for obj in (
        _codec(),
        CookieStore(HASH_KEY, BLOCK_KEY),
        MemStore(HASH_KEY, BLOCK_KEY),
        FilesystemStore(str(tmp_path), HASH_KEY, BLOCK_KEY),
        *codecs_from_pairs(HASH_KEY, BLOCK_KEY, OLD_HASH),
        MultiError([InvalidMacError()]),
    ):
        assert not _leaks(repr(obj) + str(obj), keys), repr(obj)


def test_redis_store_errors_do_not_carry_keys() -> None:
    from gorillacompat.redistore import RedisStore

    with socket_closed_port() as port:
        store = RedisStore(f"redis://127.0.0.1:{port}/0", HASH_KEY, BLOCK_KEY, socket_timeout=0.5)
        cookie = store.codecs[0].encode("session", "A" * 52)
        exc = _raised(lambda: store.get({"session": cookie}, "session"))
        assert type(exc).__name__ == "RedisConnectionError"
        assert not _leaks(_all_text(exc) + repr(store), [HASH_KEY, BLOCK_KEY])
        store.close()


class socket_closed_port:  # noqa: N801 - a context manager used like a function
    """A loopback port nothing listens on (bound, then closed)."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port: int = s.getsockname()[1]
        return port

    def __exit__(self, *exc: object) -> None:
        return None


# -- key length guidance --------------------------------------------------------------------------


def test_generate_random_key_gives_fresh_full_length_keys() -> None:
    from gorillacompat.securecookie import generate_random_key

    keys = {generate_random_key(32) for _ in range(64)}
    assert len(keys) == 64 and all(len(k) == 32 for k in keys)
    assert len(generate_random_key(64)) == 64


def test_block_key_sizes_are_enforced_and_hash_key_is_required() -> None:
    for size in (0, 8, 15, 17, 31, 33, 64):
        with pytest.raises(GorillaError):
            SecureCookie(HASH_KEY, os.urandom(size) if size else b"x" * 1).encode("s", "v")
    with pytest.raises(GorillaError):
        SecureCookie(b"", None).encode("s", "v")
    for size in (16, 24, 32):
        assert SecureCookie(HASH_KEY, os.urandom(size)).encode("s", "v")


def test_filesystem_session_ids_cannot_leave_the_directory(tmp_path: Path) -> None:
    fs = FilesystemStore(str(tmp_path), HASH_KEY, BLOCK_KEY)
    for sid in ("../../etc/passwd", "/etc/shadow", "a/../../b", "..", "."):
        name = fs.filename(sid)
        assert os.path.dirname(name) == str(tmp_path), name
    s = fs.new({}, "session")
    s.id = ".."
    with pytest.raises(GorillaError) as info:
        fs.save(s)
    assert getattr(info.value, "errno", None) == errno.EISDIR


def test_claim_cookie_headers_over_3000_pairs_give_no_cookies() -> None:
    """SECURITY.md: more than 3000 pairs read as no cookies (Go's limit), also in the adapters,
    which count every Cookie header line of a request together, as Go does."""
    from gorillacompat.sessions import parse_cookie_header
    from gorillacompat.sessions.adapters._common import parse_cookie_header as adapter_parse

    assert parse_cookie_header("; ".join(["a=1"] * 3000)) == {"a": "1"}
    assert parse_cookie_header("; ".join(["a=1"] * 3001)) == {}
    assert parse_cookie_header("; ".join(["a=1"] * 3001), max_cookies=0) == {"a": "1"}
    assert adapter_parse(["a=1"] * 3000) == {"a": "1"}
    assert adapter_parse(["a=1; b=2"] * 1500 + ["c=3"]) == {}
