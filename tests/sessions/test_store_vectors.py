"""CookieStore and FilesystemStore against what the real gorilla/sessions v1.4.0 wrote."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import pytest

from gorillacompat import jsonview
from gorillacompat.gob import GoMap
from gorillacompat.sessions import CookieStore, FilesystemStore, FlashTypeError, Session
from tests._fixtures import canonical_typed, cases

from ._support import (
    fixed_clock,
    flashes_view,
    go_flashes,
    id_then_iv,
    keys_from,
    options_from,
    repeating,
    typed,
)


def _check_loaded(session: Session, case: dict[str, Any], error: str | None) -> None:
    assert typed(session.values) == canonical_typed(case["values"])
    assert session.is_new == case["is_new"]
    assert (None if session.error is None else str(session.error)) == error
    for key, view in case["flashes"].items():
        if isinstance(view, str):
            assert view.startswith("panic: ")
            with pytest.raises(FlashTypeError):
                session.flashes(key)
            session.values.pop(key)  # Go deleted the key before panicking
        else:
            assert flashes_view(session.flashes(key)) == go_flashes(view)
    assert typed(session.values) == canonical_typed(case["values_after_flashes"])


def _permutations(values: GoMap) -> list[GoMap]:
    items = list(values.items())
    return [
        GoMap(p, key_type="interface {}", elem_type="interface {}") for p in itertools.permutations(items)
    ]


# -- CookieStore ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases("sessions/cookiestore.json", lambda c: c["op"] == "save"))
def test_cookiestore_save_matches_go(case: dict[str, Any]) -> None:
    keys = keys_from(case["keys"])
    iv = bytes.fromhex(case["iv"]) if case["iv"] else None
    # Go set these options on the session (store defaults when options_default).
    store = CookieStore(*keys, clock=fixed_clock(case["now"]), random_bytes=repeating(iv or b"\0" * 16))
    if case["options_default"]:
        assert store.options == options_from(case["options"])
    # encode(decode(x)) == x: the Go cookie's values, in Go's wire order.
    loaded = store.new({"sess": case["cookie"]}, "sess")
    assert loaded.error is None
    assert typed(loaded.values) == canonical_typed(case["values"])
    loaded.options = options_from(case["options"])
    assert store.save(loaded) == case["header"]
    # Values built from the typed view: one entry order gives Go's bytes.
    built = jsonview.loads(jsonview.dumps(loaded.values, typed=True))
    assert isinstance(built, GoMap)
    headers = set()
    for perm in _permutations(built):
        s = store.new({}, "sess")
        s.values = perm
        s.options = options_from(case["options"])
        headers.add(store.save(s))
    assert case["header"] in headers


@pytest.mark.parametrize("case", cases("sessions/cookiestore.json", lambda c: c["op"] == "load"))
def test_cookiestore_load_matches_go(case: dict[str, Any]) -> None:
    store = CookieStore(*keys_from(case["keys"]), clock=fixed_clock(case["now"]))
    if case["store_max_age"] is not None:
        store.max_age = case["store_max_age"]
    cookies = {case["name"]: case["cookie"]} if case["cookie"] else {}
    _check_loaded(store.get(cookies, case["name"]), case, case["error"])


# -- FilesystemStore -----------------------------------------------------------------------------


def _dir_view(path: Path) -> dict[str, Any]:
    return {
        p.name: {"contents": p.read_text(), "mode": f"{p.stat().st_mode & 0o777:04o}"}
        for p in sorted(path.iterdir())
    }


@pytest.mark.parametrize("case", cases("sessions/filesystem.json", lambda c: c["op"] == "save"))
def test_filesystem_save_matches_go(case: dict[str, Any], tmp_path: Path) -> None:
    keys = keys_from(case["keys"])
    rnd = id_then_iv(bytes.fromhex(case["id_random"]), bytes.fromhex(case["iv"]) if case["iv"] else None)
    store = FilesystemStore(tmp_path, *keys, clock=fixed_clock(case["now"]), random_bytes=rnd)
    built = jsonview.loads(jsonview.dumps(jsonview.loads(_json(case["values"])), typed=True))
    assert isinstance(built, GoMap)
    results = []
    for perm in _permutations(built):
        for p in tmp_path.iterdir():
            p.unlink()
        s = store.new({}, "fsess")
        s.values = perm
        if case["max_age"] <= 0:
            store.save(s)
            s.options.max_age = case["max_age"]
        header = store.save(s)
        results.append((header, _dir_view(tmp_path), s.id))
    assert (case["header"], case["files"], case["session_id"]) in results


def _json(view: Any) -> str:
    import json

    return json.dumps(view)


@pytest.mark.parametrize("case", cases("sessions/filesystem.json", lambda c: c["op"] == "load"))
def test_filesystem_load_matches_go(case: dict[str, Any], tmp_path: Path) -> None:
    for name, f in case["files"].items():
        (tmp_path / name).write_text(f["contents"])
    kw = {} if case["max_length"] is None else {"max_length": case["max_length"]}
    store = FilesystemStore(tmp_path, *keys_from(case["keys"]), clock=fixed_clock(case["now"]), **kw)
    cookies = {case["name"]: case["cookie"]} if case["cookie"] else {}
    session = store.get(cookies, case["name"])
    error = None if session.error is None else str(session.error).replace(str(tmp_path), "{dir}")
    assert error == case["error"]
    session.error = None
    assert session.id == case["session_id"]
    _check_loaded(session, case, None)
    assert not [p for p in os.listdir(tmp_path) if p not in case["files"]]
