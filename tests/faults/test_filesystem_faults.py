"""FilesystemStore under faults (issue 8): disk full and permission errors.

Each fault gives a typed ``FilesystemError`` (with ``errno``), the previous session file stays
whole and readable, no temporary file is left behind, and the same store works again once the
fault is gone. Disk full is a real 64 KiB tmpfs when we may mount one (root), else ``os.fsync``
raising ENOSPC. Permission errors are real: as root, the store runs with the effective uid of
``nobody`` for the duration (root ignores file modes); otherwise ``chmod`` is enough.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from gorillacompat.sessions import FilesystemError, FilesystemStore
from gorillacompat.sessions.filesystem import _TMP_PREFIX

KEYS = (b"h" * 32, b"b" * 32)
NOBODY = 65534


def _store(path: Path) -> FilesystemStore:
    return FilesystemStore(str(path), *KEYS)


def _save(store: FilesystemStore, values: dict[str, object], sid: str = "") -> tuple[str, str]:
    s = store.new({}, "session")
    if sid:
        s.id = sid
    s.values.update(values)
    header = store.save(s)
    return s.id, header.split(";", 1)[0].split("=", 1)[1]


def _load(store: FilesystemStore, cookie: str) -> dict[object, object]:
    s = store.get({"session": cookie}, "session")
    assert s.error is None, s.error
    return dict(s.values)


def _no_temp_files(path: Path) -> None:
    assert not [p for p in os.listdir(path) if p.startswith(_TMP_PREFIX)]


@contextlib.contextmanager
def _tiny_tmpfs(base: Path) -> Iterator[Path | None]:
    mnt = base / "tmpfs"
    mnt.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        yield None
        return
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(mnt)],
        capture_output=True,
        check=False,
        timeout=10,
    )
    if proc.returncode != 0:
        yield None
        return
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True, check=False, timeout=10)


def _fill(path: Path) -> Path:
    """Write a file until the filesystem is full."""
    filler = path / "filler"
    with open(filler, "wb", buffering=0) as f:
        chunk = b"\0" * 4096
        with contextlib.suppress(OSError):
            while True:
                f.write(chunk)
        with contextlib.suppress(OSError):
            while True:
                f.write(b"\0")
    return filler


def test_issue_8_disk_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with _tiny_tmpfs(tmp_path) as mnt:
        where = mnt if mnt is not None else tmp_path / "dir"
        where.mkdir(exist_ok=True)
        store = _store(where)
        sid, cookie = _save(store, {"n": 1})
        before = (where / f"session_{sid}").read_bytes()

        if mnt is not None:
            filler = _fill(mnt)
        else:
            filler = None

            def full(fd: int) -> None:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            monkeypatch.setattr(os, "fsync", full)

        # 1. Updating an existing session fails with a typed error; the old file is intact.
        with pytest.raises(FilesystemError) as info:
            _save(store, {"n": 2, "blob": "x" * 1500}, sid)
        assert info.value.errno == errno.ENOSPC
        assert "no space left on device" in str(info.value)
        assert (where / f"session_{sid}").read_bytes() == before
        assert _load(store, cookie) == {"n": 1}
        _no_temp_files(where)
        # 2. A new session is not half-created either.
        with pytest.raises(FilesystemError):
            _save(store, {"new": True})
        assert sorted(p for p in os.listdir(where) if p.startswith("session_")) == [f"session_{sid}"]

        # 3. Space comes back: the same store saves again, no restart.
        if filler is not None:
            filler.unlink()
        else:
            monkeypatch.undo()
        _save(store, {"n": 3}, sid)
        assert _load(store, cookie) == {"n": 3}
        _no_temp_files(where)


@contextlib.contextmanager
def _as_nobody() -> Iterator[None]:
    """Run the block with the effective uid/gid of nobody when we are root (modes then apply)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_issue_8_permission_errors() -> None:
    base = Path(tempfile.mkdtemp(prefix="gorillacompat-perm-"))
    try:
        os.chmod(base, 0o755)
        d = base / "sessions"
        d.mkdir()
        os.chmod(d, 0o777)
        if os.geteuid() == 0:
            os.chown(d, NOBODY, NOBODY)
        store = _store(d)
        with _as_nobody():
            sid, cookie = _save(store, {"n": 1})
        f = d / f"session_{sid}"
        before = f.read_bytes()

        # A directory we may not write to: the save fails typed, the old record stays readable.
        with _as_nobody():
            os.chmod(d, 0o555)
            with pytest.raises(FilesystemError) as info:
                _save(store, {"n": 2}, sid)
            assert info.value.errno == errno.EACCES
            assert "permission denied" in str(info.value)
            assert _load(store, cookie) == {"n": 1}
            assert f.read_bytes() == before
            # A file we may not read: loading gives a fresh session with a typed error, no raise.
            os.chmod(d, 0o755)
            os.chmod(f, 0o000)
            s = store.get({"session": cookie}, "session")
            assert isinstance(s.error, FilesystemError) and s.error.errno == errno.EACCES
            assert s.is_new and not s.values
            # Fixed without a restart.
            os.chmod(f, 0o600)
            _save(store, {"n": 3}, sid)
            assert _load(store, cookie) == {"n": 3}
        _no_temp_files(d)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_issue_8_session_path_is_a_file(tmp_path: Path) -> None:
    not_dir = tmp_path / "file"
    not_dir.write_text("")
    store = _store(not_dir)
    s = store.new({}, "session")
    with pytest.raises(FilesystemError) as info:
        store.save(s)
    assert info.value.errno == errno.ENOTDIR
