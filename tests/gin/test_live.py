"""A REAL Gin app on gin-contrib/sessions v1.0.4 and the Python stores share sessions, per backend.

For each backend (tests/gin/conftest.py: cookie; redis = boj/redistore v1 ↔
``RedisStore(compat="v1")``; postgres = antonlindstrom/pgstore ↔ ``PGStore``; memcached =
gorilla-sessions-memcache ↔ ``MemcacheStore``; gorm-sqlite/-postgres/-mysql = wader/gormstore/v2 ↔
``GormStore``; and the asyncio twins of the last three), the Gin app (``go-harness gin-serve``:
gin-contrib's own constructor, ``sessions.Sessions`` and ``sessions.Default(c)``) and the Python
store use one server, one cookie name and the same keys:

* the Gin app saves strings, ints, flashes, a registered struct (``main.Person``) and a
  ``time.Time`` → Python reads the same values (typed view), and the reverse;
* either side deletes (logout, or one value) → the other sees no session (or no value);
* expiry: the store's MaxAge on either side ends the session for both;
* key rotation: Gin with [new, old] reads Python's old-key session and re-saves it with the new
  pair, which a Python store with only the old pair can no longer read;
* gin-contrib's ``store.Options(…)`` quirks, pinned per backend.

With CI=true a missing Go or server fails, elsewhere it skips.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from gorillacompat import jsonview
from gorillacompat.sessions import Options
from tests.e2e._servers import COOKIE_NAME, GinServer

from ._client import Jar, canon, cookie_attrs, s, typed, typed_map
from .conftest import NEW_KEYS, OLD_KEYS, GinBackend

pytestmark = pytest.mark.live

Gin = Callable[..., GinServer]

#: What either side saves: strings, ints, a registered struct, a time.
VALUES = typed_map(
    ("user", s("ann")),
    ("n", {"t": "int", "v": 7}),
    ("big", {"t": "int64", "v": -(2**40)}),
    ("p", {"t": "main.Person", "v": {"Name": s("Bo"), "Age": {"t": "int", "v": 3}}}),
    ("at", {"t": "time.Time", "v": {"$time": "2024-05-06T07:08:09.123456789+02:00", "offset": 7200}}),
)
#: Longer than MaxAge 1 with securecookie's whole-second timestamps (age > MaxAge is expired).
PAST_ONE_SECOND = 2.2


def with_pairs(view: dict[str, Any], *pairs: tuple[str, Any]) -> dict[str, Any]:
    return {"t": view["t"], "v": [*view["v"], *[[s(k), v] for k, v in pairs]]}


def flashes_view(*msgs: str) -> dict[str, Any]:
    return {"t": "[]interface {}", "v": [s(m) for m in msgs]}


def test_gin_saves_python_reads(backend: GinBackend, gin: Gin) -> None:
    jar = Jar(gin())
    saved = jar.go_set(VALUES)
    jar.go("/flash?msg=hi")
    jar.go("/flash?msg=there")
    py = backend.store()
    got = jar.py(py)
    assert got.error is None and not got.is_new
    if backend.stored is not None:
        assert got.id == saved["id"] and len(got.id) == 52 and backend.stored(got.id)
    assert typed(got.values) == canon(with_pairs(VALUES, ("_flash", flashes_view("hi", "there"))))
    assert got.flashes() == ["hi", "there"]
    got.values["py"] = "yes"
    header = jar.py_save(py, got)
    # Python's cookie has the attributes of Gin's (the store's defaults; gin-contrib adds none).
    assert cookie_attrs(header) == cookie_attrs(jar.headers[0])
    seen = jar.go("/whoami")
    assert seen["error"] is None and seen["is_new"] is False and seen["set_cookie"] == []
    assert canon(seen["typed"]) == canon(with_pairs(VALUES, ("py", s("yes"))))
    assert seen["id"] == got.id


def test_python_saves_gin_reads(backend: GinBackend, gin: Gin) -> None:
    jar = Jar(gin())
    py = backend.store()
    sess = py.new({}, COOKIE_NAME)
    for k, v in jsonview.from_typed(VALUES).items():
        sess.values[k] = v
    sess.add_flash("welcome")
    jar.py_save(py, sess)
    seen = jar.go("/whoami")
    assert seen["error"] is None and seen["is_new"] is False and seen["id"] == sess.id
    assert canon(seen["typed"]) == canon(with_pairs(VALUES, ("_flash", flashes_view("welcome"))))
    # gin-contrib's Flashes() marks the session written; Save() stores it without the flash.
    answer = jar.go("/flashes")
    assert answer["flashes"] == ["welcome"] and len(answer["set_cookie"]) == 1
    assert cookie_attrs(answer["set_cookie"][0]) == cookie_attrs(jar.headers[0])
    again = jar.py(py)
    assert again.flashes() == [] and typed(again.values) == canon(VALUES)


@pytest.mark.parametrize("who", ["gin", "python"])
def test_either_side_logs_out(backend: GinBackend, gin: Gin, who: str) -> None:
    app = gin()
    jar = Jar(app)
    py = backend.store()
    if who == "gin":  # the other side logs in
        sess = py.new({}, COOKIE_NAME)
        sess.values["user"] = "carol"
        jar.py_save(py, sess)
        sid = sess.id
    else:
        sid = jar.go("/login?user=carol")["id"]
    old_cookie = jar.value
    assert jar.go_user() == "carol" and jar.py(py).values["user"] == "carol"
    if who == "gin":
        # Clear(); Options(sessions.Options{Path: "/", MaxAge: -1}); Save()
        header = jar.go("/logout")["set_cookie"][0]
    else:
        sess = jar.py(py)
        sess.options.max_age = -1
        header = jar.py_save(py, sess)
    assert "Max-Age=0" in header and jar.value is None
    assert jar.go("/whoami")["is_new"] is True and jar.go_user() is None
    assert jar.py(py).is_new and "user" not in jar.py(py).values
    replay = Jar(app)
    replay.value = old_cookie  # the old cookie, e.g. from another tab
    if backend.stored is None:
        # A cookie session cannot be revoked: the replayed cookie is the whole session.
        assert replay.go_user() == "carol" and replay.py(py).values["user"] == "carol"
        return
    assert not backend.stored(sid)
    for user, is_new in ((replay.go_user(), replay.go("/whoami")["is_new"]), (None, replay.py(py).is_new)):
        assert user is None and is_new is True
    assert "user" not in replay.py(py).values and not backend.stored(sid)  # reads re-create nothing


@pytest.mark.parametrize("who", ["gin", "python"])
def test_either_side_deletes_a_value(backend: GinBackend, gin: Gin, who: str) -> None:
    jar = Jar(gin())
    py = backend.store()
    jar.go_set(VALUES)
    if who == "gin":
        jar.go("/delete?key=user")
    else:
        sess = jar.py(py)
        del sess.values["user"]
        jar.py_save(py, sess)
    want = canon({"t": VALUES["t"], "v": VALUES["v"][1:]})
    assert canon(jar.go("/whoami")["typed"]) == want and typed(jar.py(py).values) == want
    if who == "gin":
        jar.go("/clear")  # Clear(): every value, one save
    else:
        sess = jar.py(py)
        sess.values.clear()
        jar.py_save(py, sess)
    assert jar.go("/whoami")["values"] == {"$map": []} and len(jar.py(py).values) == 0
    assert jar.value is not None and not jar.py(py).is_new  # an empty session, still there


@pytest.mark.parametrize("writer", ["gin", "python"])
def test_expiry_on_both_sides(backend: GinBackend, gin: Gin, writer: str) -> None:
    """The store's MaxAge 1 (Go: CookieStore/PGStore.MaxAge, RediStore.SetMaxAge) on both sides."""
    jar = Jar(gin(*backend.max_age_flags(1)))
    py = backend.store(max_age=1)
    if writer == "gin":
        header = jar.go("/login?user=eve")["set_cookie"][0]
    else:
        sess = py.new({}, COOKIE_NAME)
        sess.values["user"] = "eve"
        header = jar.py_save(py, sess)
    assert "Max-Age=1" in header
    assert jar.go_user() == "eve" and jar.py(py).values["user"] == "eve"
    time.sleep(PAST_ONE_SECOND)
    seen, got = jar.go("/whoami"), jar.py(py)
    assert seen["is_new"] is True and seen["values"] == {"$map": []}
    assert got.is_new and len(got.values) == 0
    go_error, py_error = expiry_errors(backend)
    assert seen["error"] == go_error
    assert_py_error(got.error, py_error)


EXPIRED = "securecookie: expired timestamp"


def expiry_errors(backend: GinBackend) -> tuple[str | None, str | None]:
    """The ``Get`` error each side reports for an expired session (Go's text, Python's str).

    The cookie's securecookie timestamp is older than MaxAge (on redis the key has expired as
    well, but the cookie is decoded first). memcached: gsm's codecs keep 30 days, the item is gone,
    and gsm returns gomemcache's cache miss where Python's store gives a plain new session.
    gormstore's ``New`` drops the decode error (returns nil); GormStore keeps it on ``Session.error``.
    """
    if backend.name == "memcached":
        return "memcache: cache miss", None
    return (EXPIRED if backend.go_get_errors else None), EXPIRED


def assert_py_error(error: object, want: str | None) -> None:
    assert (error is None) if want is None else (want in str(error)), (error, want)


def test_key_rotation(backend: GinBackend, gin: Gin) -> None:
    rotated = gin(keys=(NEW_KEYS, OLD_KEYS))
    new_only = gin(keys=(NEW_KEYS,))
    py_old = backend.store(OLD_KEYS)
    py_both = backend.store(NEW_KEYS, OLD_KEYS)
    jar = Jar(rotated)
    sess = py_old.new({}, COOKIE_NAME)
    sess.values["user"] = "rot"
    jar.py_save(py_old, sess)
    old_cookie = jar.value
    # Gin with [new, old] reads the old pair's session; Gin with only the new pair cannot.
    assert jar.go_user() == "rot"
    refused = jar.go("/whoami", new_only)
    assert refused["is_new"] is True and (refused["error"] is not None) is backend.go_get_errors
    assert jar.py(py_both).values["user"] == "rot"
    # Gin saves: the first pair (new) encodes. Python's [new, old] reads it; [old] no longer can.
    jar.go("/login?user=rot2")
    assert jar.value != old_cookie
    assert jar.py(py_both).values["user"] == "rot2"
    stale = jar.py(py_old)
    assert stale.is_new and stale.error is not None and "user" not in stale.values
    assert jar.go_user(new_only) == "rot2"
    # And Python's [new, old] writes with the new pair, which Gin's new-only app reads.
    sess = jar.py(py_both)
    sess.values["user"] = "rot3"
    jar.py_save(py_both, sess)
    assert jar.go_user(new_only) == "rot3" and jar.go_user() == "rot3"


def test_gin_options_replace_the_store_defaults(backend: GinBackend, gin: Gin) -> None:
    """``store.Options(sessions.Options{MaxAge: 60})`` replaces every default: no Path, no Secure."""
    jar = Jar(gin("-options", "MaxAge=60,HttpOnly=true"))
    header = jar.go("/login?user=opt")["set_cookie"][0]
    assert cookie_attrs(header) == [COOKIE_NAME, "Max-Age=60", "HttpOnly"]
    py = backend.store()
    backend.mirror_options(py, Options(path="", max_age=60, http_only=True))
    sess = jar.py(py)
    assert sess.values["user"] == "opt"
    assert cookie_attrs(jar.py_save(py, sess)) == cookie_attrs(header)
    # Gin's logout writes its own Options (Path "/"), whatever the store's were.
    assert cookie_attrs(jar.go("/logout")["set_cookie"][0]) == [COOKIE_NAME, "Path=/", "Max-Age=0"]


def test_gin_options_max_age_and_the_codecs(backend: GinBackend, gin: Gin) -> None:
    """Options MaxAge 1 set the Gin way: only the cookie store still accepts the session later.

    gin-contrib's ``Options`` does not call the store's ``MaxAge``: the gorilla CookieStore's codecs
    keep 86400*30 (a replayed cookie outlives its Max-Age); redistore's SETEX and gsm's item TTL use
    Options.MaxAge (the record is gone; the cookie still decodes); pgstore's and gormstore's ``New``
    resync their codecs to Options.MaxAge on every request (the cookie has expired).
    """
    jar = Jar(gin("-options", "Path=/,MaxAge=1"))
    jar.go("/login?user=old")
    py = backend.store()
    backend.mirror_options(py, Options(path="/", max_age=1))
    time.sleep(PAST_ONE_SECOND)
    seen, got = jar.go("/whoami"), jar.py(py)
    still = backend.name == "cookie"
    assert (jar.go_user() == "old") is still
    assert (got.values.get("user") == "old") is still and got.is_new is not still
    go_error, py_error = {
        "cookie": (None, None),
        "redis": (None, None),
        "postgres": (EXPIRED, EXPIRED),
    }.get(backend.name) or expiry_errors(backend)
    assert seen["error"] == go_error
    assert_py_error(got.error, py_error)


@pytest.mark.parametrize("writer", ["gin", "python"])
def test_max_age_zero_follows_the_store_on_both_sides(backend: GinBackend, gin: Gin, writer: str) -> None:
    """A save with Options.MaxAge 0 (a browser-session cookie): each Go store's own rule, both sides.

    The cookie store and pgstore keep the session; gsm stores the item with no expiry; redistore
    v1 deletes the key and blanks the cookie; gormstore writes ``expires_at = now``, a row its
    reader (``expires_at > now``) never returns.
    """
    jar = Jar(gin())
    py = backend.store()
    sid = jar.go("/login?user=zed")["id"]
    if writer == "gin":
        header = jar.go("/options?o=Path=/,MaxAge=0")["set_cookie"][0]
    else:
        sess = jar.py(py)
        sess.options = Options(path="/", max_age=0)  # what gin-contrib's session.Options sets
        header = jar.py_save(py, sess)
    assert "Max-Age" not in header and "Expires" not in header
    time.sleep(1.1)  # gormstore: a second later, expires_at is in the past
    keeps = backend.name in ("cookie", "postgres", "memcached")
    assert (jar.go_user() == "zed") is keeps
    assert (jar.py(py).values.get("user") == "zed") is keeps
    if backend.name == "redis":
        assert backend.stored is not None
        assert jar.value is None and not backend.stored(sid)
