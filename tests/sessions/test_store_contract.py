"""One store contract run against CookieStore, FilesystemStore and MemStore (principle 13c)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gorillacompat.errors import ExpiredTimestampError, GorillaError, InvalidMacError, MultiError
from gorillacompat.sessions import (
    CodecStore,
    CookieStore,
    FilesystemStore,
    InvalidCookieNameError,
    MemStore,
    Options,
    Registry,
    SaveAllError,
    Session,
    parse_cookie_header,
)

HASH = b"h" * 32
BLOCK = b"b" * 32
Factory = Callable[..., CodecStore]


class Clock:
    def __init__(self, now: int = 1_700_000_000) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


@pytest.fixture(params=["cookie", "filesystem", "memory"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Factory:
    kind = request.param

    def factory(*keys: bytes | None, **kw: Any) -> CodecStore:
        keys = keys or (HASH, BLOCK)
        if kind == "cookie":
            return CookieStore(*keys, **kw)
        if kind == "filesystem":
            return FilesystemStore(tmp_path, *keys, **kw)
        shared = kw.pop("_mem", None)
        store = MemStore(*keys, **kw)
        if shared is not None:  # MemStore holds its data: share it between "processes"
            store._cache = shared._cache
        return store

    factory.kind = kind  # type: ignore[attr-defined]
    return factory


def cookie_value(header: str) -> dict[str, str]:
    """What a browser sends back for a Set-Cookie header (name=value only)."""
    return parse_cookie_header(header.split(";", 1)[0])


def roundtrip(store: CodecStore, session: Session) -> Session:
    return store.get(cookie_value(store.save(session)), session.name)


def test_new_then_get(make: Factory) -> None:
    store = make()
    s = store.get({}, "app")
    assert s.is_new and s.error is None and len(s.values) == 0 and s.name == "app"
    s.values["user"] = "ann"
    s.values[42] = [1, "x"]
    again = roundtrip(store, s)
    assert not again.is_new and again.error is None
    assert again.values == {"user": "ann", 42: [1, "x"]}
    assert again.options == store.options and again.options is not store.options


def test_flashes_survive_a_save(make: Factory) -> None:
    store = make()
    s = store.get({}, "app")
    s.add_flash("one")
    s.add_flash("two")
    s.add_flash("bad", "errors")
    again = roundtrip(store, s)
    assert again.flashes() == ["one", "two"]
    assert again.flashes() == []
    assert again.flashes("errors") == ["bad"]
    assert roundtrip(store, again).values == {}


def test_negative_max_age_deletes(make: Factory) -> None:
    store = make()
    s = store.get({}, "app")
    s.values["k"] = "v"
    cookies = cookie_value(store.save(s))
    s.options.max_age = -1
    header = store.save(s)
    assert "Max-Age=0" in header and "Expires=Thu, 01 Jan 1970 00:00:01 GMT" in header
    if make.kind == "cookie":  # type: ignore[attr-defined]
        # Go's CookieStore still encodes the values into the expiring cookie.
        assert cookie_value(header)["app"]
    else:
        assert cookie_value(header) == {"app": ""}
        gone = store.get(cookies, "app")
        assert gone.is_new and len(gone.values) == 0


def test_zero_max_age_per_store_rule(make: Factory) -> None:
    store = make()
    s = store.get({}, "app")
    s.values["k"] = "v"
    cookies = cookie_value(store.save(s))
    s.options.max_age = 0
    header = store.save(s)
    assert "Max-Age" not in header and "Expires" not in header
    kept = store.get(cookies, "app")
    if make.kind == "filesystem":  # type: ignore[attr-defined]
        assert cookie_value(header) == {"app": ""} and kept.is_new  # Go erases on MaxAge <= 0
    else:
        assert not kept.is_new and kept.values == {"k": "v"}


def test_failed_save_keeps_old_value(make: Factory) -> None:
    store = make()
    s = store.get({}, "app")
    s.values["k"] = "old"
    cookies = cookie_value(store.save(s))
    s.values["k"] = object()  # no Go type: gob refuses it
    with pytest.raises(GorillaError) as info:
        store.save(s)
    assert info.value.is_usage()
    assert store.get(cookies, "app").values == {"k": "old"}
    if make.kind != "memory":  # type: ignore[attr-defined]  # MemStore has no length limit
        s.values["k"] = "x" * 5000  # too long for max_length 4096
        with pytest.raises(GorillaError):
            store.save(s)
        assert store.get(cookies, "app").values == {"k": "old"}


def test_key_rotation(make: Factory) -> None:
    clock = Clock()
    old = make(HASH, BLOCK, clock=clock)
    s = old.get({}, "app")
    s.values["k"] = "v"
    cookies = cookie_value(old.save(s))
    new_keys = (b"n" * 32, b"m" * 16, HASH, BLOCK)
    rotated = (
        make(*new_keys, clock=clock, _mem=old) if make.kind == "memory" else make(*new_keys, clock=clock)
    )  # type: ignore[attr-defined]
    got = rotated.get(cookies, "app")
    assert got.error is None and got.values == {"k": "v"}
    # Re-saved with the first pair: the old store no longer reads it.
    cookies2 = cookie_value(rotated.save(got))
    assert old.get(cookies2, "app").error is not None
    only_new = (
        make(b"n" * 32, b"m" * 16, clock=clock, _mem=old)
        if make.kind == "memory"
        else make(b"n" * 32, b"m" * 16, clock=clock)
    )  # type: ignore[attr-defined]
    assert only_new.get(cookies2, "app").values == {"k": "v"}


def test_expired_foreign_and_garbage_cookies_give_fresh_sessions(make: Factory) -> None:
    clock = Clock()
    store = make(clock=clock)
    s = store.get({}, "app")
    s.values["k"] = "v"
    cookies = cookie_value(store.save(s))
    clock.now += 86400 * 30 + 1
    expired = store.get(cookies, "app")
    assert expired.is_new and len(expired.values) == 0
    assert isinstance(expired.error, MultiError)
    assert isinstance(expired.error.errors[0], ExpiredTimestampError)
    assert str(expired.error) == "securecookie: expired timestamp"
    foreign = make(b"z" * 32, clock=clock).get(cookies, "app")
    assert foreign.is_new and isinstance(foreign.error, MultiError)
    assert isinstance(foreign.error.errors[0], InvalidMacError)
    garbage = store.get({"app": "%%%"}, "app")
    assert garbage.is_new and garbage.error is not None and garbage.error.is_decode()


def test_max_age_property_syncs_codecs(make: Factory) -> None:
    clock = Clock()
    store = make(clock=clock)
    s = store.get({}, "app")
    cookies = cookie_value(store.save(s))
    store.max_age = 60
    assert all(c.max_age == 60 for c in store.codecs) and store.options.max_age == 60
    clock.now += 61
    assert store.get(cookies, "app").error is not None
    store.options.max_age = 10**6  # like Go: does not touch the codecs
    assert store.get(cookies, "app").error is not None


def test_invalid_names(make: Factory) -> None:
    store = make()
    with pytest.raises(InvalidCookieNameError) as info:
        store.get({}, "bad name")
    assert str(info.value) == "sessions: invalid character in cookie name: bad name"
    assert info.value.is_usage()
    s = store.new({}, "bad name")  # New does not check (Go's neither) ...
    s.options.max_age = 3600
    assert store.save(s) == ""  # ... and String() gives no header


def test_registry_caches_and_saves_all(make: Factory) -> None:
    store = make()
    reg = Registry({})
    a = reg.get(store, "a")
    assert reg.get(store, "a") is a
    a.values["x"] = 1
    b = reg.get(store, "b")
    b.values["y"] = 2
    headers = reg.save_all()
    assert [h.split("=", 1)[0] for h in headers] == ["a", "b"]
    reg2 = Registry({k: v for h in headers for k, v in cookie_value(h).items()})
    assert reg2.get(store, "a").values == {"x": 1}
    assert reg2.get(store, "b").values == {"y": 2}


def test_registry_save_errors_use_gos_text(make: Factory) -> None:
    store = make()
    reg = Registry({})
    good = reg.get(store, "good")
    good.values["ok"] = 1
    for name in ("bad1", "bad2"):
        reg.get(store, name).values["v"] = object()
    orphan = reg.get(store, "orphan")
    orphan.store = None
    with pytest.raises(SaveAllError) as info:
        reg.save_all()
    err = info.value
    assert len(err.errors) == 3 and len(err.headers) == 1
    assert str(err).startswith('sessions: error saving session "bad1" -- securecookie: ')
    assert str(err).endswith(" (and 2 other errors)")
    assert str(err.errors[2]) == 'sessions: missing store for session "orphan"'
    assert err.is_usage()


def test_options_are_copied(make: Factory) -> None:
    opts = Options(max_age=10)
    store = make(HASH, options=opts)
    opts.max_age = 99
    assert store.options.max_age == 10
    assert store.codecs[0].max_age == 10
    store.max_age = 20
    assert opts.max_age == 99


@pytest.mark.parametrize(
    "rules",
    [
        "gorillacompat.pgstore._core:PGStoreRules",
        "gorillacompat.memcache._core:MemcacheRules",
        "gorillacompat.gormstore._core:GormStoreRules",
    ],
)
def test_server_rules_copy_options_and_default_to_go_s(rules: str) -> None:
    """Every server store's rules copy the caller's Options, and None is the Go store's defaults."""
    import importlib

    module, _, name = rules.partition(":")
    cls = getattr(importlib.import_module(module), name)
    kw: dict[str, Any] = {"max_length": 4096, "clock": None, "random_bytes": None}
    if name == "MemcacheRules":
        kw.update(key_prefix="session_", store_method="securecookie", max_item_size=0)
    opts = Options(max_age=10)
    store = cls((HASH, BLOCK), opts, **kw)
    store.max_age = 20
    assert opts.max_age == 10 and store.options is not opts
    assert cls((HASH, BLOCK), None, **kw).options == Options(path="/", max_age=86400 * 30)


def test_issue_13_keys_go_keeps_apart_survive_a_save(make: Factory) -> None:
    """1, true, 1.0, int8(1) and "1" are five Go keys in session.Values; every store keeps five."""
    from gorillacompat.values import Int8

    store = make()
    s = store.get({}, "app")
    for key, value in [(1, "int"), (True, "bool"), (1.0, "float64"), (Int8(1), "int8"), ("1", "string")]:
        s.values[key] = value
    again = roundtrip(store, s)
    assert len(again.values) == 5 and again.values == s.values
    assert [type(k) for k in again.values] == [int, bool, float, Int8, str]
    assert (again.values[1], again.values[True], again.values[1.0], again.values[Int8(1)]) == (
        "int",
        "bool",
        "float64",
        "int8",
    )
    del again.values[True]
    assert len(roundtrip(store, again).values) == 4
