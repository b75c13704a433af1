"""Go reads what Python wrote: the real CookieStore/FilesystemStore load our cookies and files,
and Go's Flashes() reads flashes added in Python without panicking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gorillacompat.gob import GoMap, Int64
from gorillacompat.sessions import CookieStore, FilesystemStore, Session, parse_cookie_header

from ._support import flashes_view, go_flashes, typed

pytestmark = pytest.mark.live

HASH = bytes(range(32))
BLOCK = bytes(range(32, 48))
NOW = 1_700_000_000


def _fill(s: Session) -> None:
    s.values["user"] = "ann"
    s.values[Int64(7)] = [1, "two", 3.5]
    s.values["prefs"] = {"theme": "dark"}
    s.add_flash("hello")
    s.add_flash(42)
    s.add_flash("bad input", "errors")


def _cookie(header: str, name: str) -> str:
    return parse_cookie_header(header.split(";", 1)[0])[name]


def _expect(ans: dict[str, Any], values: GoMap, flashes: dict[str, list[Any]]) -> None:
    assert "harness_error" not in ans, ans
    assert ans["error"] is None
    assert ans["is_new"] is False
    assert typed(values) == typed_go(ans["values"])
    for key, items in flashes.items():
        assert go_flashes(ans["flashes"][key]) == flashes_view(items)


def typed_go(view: Any) -> Any:
    from tests._fixtures import canonical_typed

    return canonical_typed(view)


@pytest.mark.parametrize("keys", [(HASH,), (HASH, BLOCK)], ids=["hmac", "aes"])
def test_go_cookiestore_reads_python(harness: Any, keys: tuple[bytes, ...]) -> None:
    store = CookieStore(*keys, clock=lambda: NOW)
    s = store.new({}, "sess")
    _fill(s)
    cookie = _cookie(store.save(s), "sess")
    [ans] = harness.decode(
        [
            {
                "kind": "session-cookie",
                "id": 1,
                "keys": [k.hex() for k in keys],
                "name": "sess",
                "cookie": cookie,
                "now": NOW + 5,
                "flash_keys": ["_flash", "errors"],
            }
        ]
    )
    values = s.values.copy()
    _expect(ans, values, {"_flash": ["hello", 42], "errors": ["bad input"]})


def test_go_rejects_python_cookie_for_other_name_or_age(harness: Any) -> None:
    store = CookieStore(HASH, clock=lambda: NOW)
    s = store.new({}, "sess")
    cookie = _cookie(store.save(s), "sess")
    base = {"kind": "session-cookie", "keys": [HASH.hex()], "cookie": cookie}
    answers = harness.decode(
        [
            {**base, "id": 1, "name": "other", "now": NOW},
            {**base, "id": 2, "name": "sess", "now": NOW + 86400 * 30 + 1},
        ]
    )
    assert answers[0]["error"] == "securecookie: the value is not valid" and answers[0]["is_new"]
    assert answers[1]["error"] == "securecookie: expired timestamp" and answers[1]["is_new"]
    # Python says the same.
    assert str(store.get({"other": cookie}, "other").error) == answers[0]["error"]


@pytest.mark.parametrize("keys", [(HASH,), (HASH, BLOCK)], ids=["hmac", "aes"])
def test_go_filesystemstore_reads_python(harness: Any, keys: tuple[bytes, ...], tmp_path: Path) -> None:
    store = FilesystemStore(tmp_path, *keys, clock=lambda: NOW)
    s = store.new({}, "fsess")
    _fill(s)
    cookie = _cookie(store.save(s), "fsess")
    files = {p.name: p.read_text() for p in tmp_path.iterdir()}
    assert list(files) == [f"session_{s.id}"] and len(s.id) == 52
    [ans] = harness.decode(
        [
            {
                "kind": "session-file",
                "id": 1,
                "keys": [k.hex() for k in keys],
                "name": "fsess",
                "cookie": cookie,
                "files": files,
                "now": NOW + 5,
                "flash_keys": ["_flash", "errors"],
            }
        ]
    )
    assert ans["session_id"] == s.id
    _expect(ans, s.values, {"_flash": ["hello", 42], "errors": ["bad input"]})


def test_python_flashes_removed_then_saved_are_gone_for_go(harness: Any) -> None:
    store = CookieStore(HASH, clock=lambda: NOW)
    s = store.new({}, "sess")
    s.add_flash("once")
    s = store.get({"sess": _cookie(store.save(s), "sess")}, "sess")
    assert s.flashes() == ["once"]
    cookie = _cookie(store.save(s), "sess")
    [ans] = harness.decode(
        [
            {
                "kind": "session-cookie",
                "id": 1,
                "keys": [HASH.hex()],
                "name": "sess",
                "cookie": cookie,
                "now": NOW,
            }
        ]
    )
    assert ans["error"] is None and ans["flashes"]["_flash"] == {"t": "[]interface {}", "v": []}  # nil: none


@pytest.mark.parametrize("others", [2998, 2999, 3000, 5000])
@pytest.mark.parametrize("go_limit", [3000, 0], ids=["go-module-1.24+", "go-module-1.23"])
def test_cookie_count_limit_matches_go(
    harness: Any, others: int, go_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Go reads no cookie from a header of more than 3000 pairs (the session is new) when its
    module says go 1.24 or later; the harness says 1.23, so GODEBUG sets the newer default."""
    if go_limit:
        monkeypatch.setenv("GODEBUG", f"httpcookiemaxnum={go_limit}")
    store = CookieStore(HASH, clock=lambda: NOW)
    s = store.new({}, "sess")
    s.values["user"] = "ann"
    cookie = _cookie(store.save(s), "sess")
    header = "x=1; " * others + f"sess={cookie}"
    request = {"kind": "session-cookie", "id": 1, "keys": [HASH.hex()], "name": "sess", "now": NOW}
    [ans] = harness.decode([{**request, "cookie_header": header}])
    ours = store.get(parse_cookie_header(header, max_cookies=go_limit), "sess")
    assert ans["is_new"] == ours.is_new == (go_limit > 0 and others + 1 > go_limit)
    if go_limit:
        assert parse_cookie_header(header) == parse_cookie_header(header, max_cookies=go_limit)
