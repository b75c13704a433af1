"""Session, flashes and FilesystemStore specifics (Go's rules, and our atomic writes)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gorillacompat.gob import GoSlice
from gorillacompat.sessions import (
    CookieStore,
    FilesystemError,
    FilesystemStore,
    FlashTypeError,
    MemStore,
    Options,
    PartitionedUnsupportedError,
    Registry,
    SameSite,
    Session,
    new_session_id,
)
from gorillacompat.sessions.filesystem import go_base

HASH = b"s" * 32


def test_flashes_are_interface_slices() -> None:
    s = Session("x")
    s.add_flash("a")
    s.add_flash(1)
    v = s.values["_flash"]
    assert isinstance(v, GoSlice) and v.go_type == "[]interface {}"
    # The gob bytes name []interface {} (what Go's Flashes() type-asserts).
    assert s.flashes() == ["a", 1] and "_flash" not in s.values


@pytest.mark.parametrize("bad", ["str", None, GoSlice(["a"], elem_type="string"), {"a": 1}])
def test_flashes_refuse_what_go_panics_on(bad: object) -> None:
    s = Session("x", values={"_flash": bad})
    with pytest.raises(FlashTypeError):
        s.flashes()
    with pytest.raises(FlashTypeError):
        s.add_flash("more")
    assert s.values["_flash"] is bad or s.values["_flash"] == bad


def test_registry_returns_cached_session_for_any_store() -> None:
    a, b = CookieStore(HASH), MemStore(HASH)
    reg = Registry({})
    s = reg.get(a, "n")
    assert reg.get(b, "n") is s and s.store is b and "n" in reg


def test_session_ids() -> None:
    sid = new_session_id(lambda n: bytes(n))
    assert sid == "A" * 52
    assert len(new_session_id(os.urandom)) == 52


@pytest.mark.parametrize(
    ("sid", "base"),
    [("abc", "abc"), ("../../etc/passwd", "passwd"), ("a/b/", "b"), ("", "."), ("///", "/")],
)
def test_go_base(sid: str, base: str) -> None:
    assert go_base(sid) == base


def test_traversal_ids_stay_in_the_directory(tmp_path: Path) -> None:
    store = FilesystemStore(tmp_path / "d", HASH)
    (tmp_path / "d").mkdir()
    s = store.new({}, "app")
    s.id = "../../escape"
    s.values["k"] = 1
    store.save(s)
    assert os.listdir(tmp_path / "d") == ["session_escape"]
    assert sorted(os.listdir(tmp_path)) == ["d"]
    s.id = "/"
    with pytest.raises(FilesystemError):
        store.save(s)


def test_file_mode_and_atomic_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = FilesystemStore(tmp_path, HASH)
    s = store.new({}, "app")
    s.values["k"] = "old"
    header = store.save(s)
    path = tmp_path / f"session_{s.id}"
    assert path.stat().st_mode & 0o777 == 0o600
    before = path.read_text()

    def boom(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    s.values["k"] = "new"
    with pytest.raises(FilesystemError) as info:
        store.save(s)
    assert "no space left on device" in str(info.value) and info.value.is_internal()
    assert path.read_text() == before
    assert os.listdir(tmp_path) == [path.name]
    cookies = {"app": header.split(";")[0].split("=", 1)[1]}
    assert store.get(cookies, "app").values == {"k": "old"}


def test_missing_file_error_text(tmp_path: Path) -> None:
    store = FilesystemStore(tmp_path, HASH)
    s = store.new({}, "app")
    header = store.save(s)
    os.remove(tmp_path / f"session_{s.id}")
    got = store.get({"app": header.split(";")[0].split("=", 1)[1]}, "app")
    assert str(got.error) == f"open {tmp_path}/session_{s.id}: no such file or directory"
    assert got.is_new and got.id == s.id


def test_memstore_delete_clears_values() -> None:
    store = MemStore(HASH)
    s = store.new({}, "m")
    s.values["k"] = 1
    store.save(s)
    assert len(store) == 1
    s.options.max_age = -1
    assert store.save(s).startswith("m=; Path=/; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0")
    assert len(s.values) == 0 and len(store) == 0


def test_compat_defaults_and_partitioned() -> None:
    assert CookieStore(HASH, compat="v1.2").options == Options()
    v13 = CookieStore(HASH, compat="v1.3")
    assert v13.options.secure and v13.options.same_site is SameSite.NONE
    s = v13.new({}, "a")
    s.options.partitioned = True
    with pytest.raises(PartitionedUnsupportedError):
        v13.save(s)
    with pytest.raises(ValueError):
        CookieStore(HASH, compat="v2")


def test_one_clock_reading_per_save() -> None:
    readings = iter([1_700_000_000, 1_800_000_000])
    store = CookieStore(HASH, clock=lambda: next(readings))
    s = store.new({}, "a")
    header = store.save(s)
    assert "Expires=Thu, 14 Dec 2023 22:13:20 GMT" in header  # 1_700_000_000 + 30 days
    store.clock = lambda: 1_700_000_000
    assert store.get({"a": header.split(";")[0][2:]}, "a").error is None
