"""One "browser" shared by a live Gin app and a Python store: a one-cookie jar and the values' views.

The Gin app is driven over loopback HTTP (go-harness gin-serve, tests/e2e/_servers.py GinServer);
the Python store is called directly with the jar's cookies, as an adapter would. Whatever either
side answers with ``Set-Cookie`` goes into the jar, as a browser would keep it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from gorillacompat import jsonview
from gorillacompat.sessions.session import Session
from tests._fixtures import canonical_typed
from tests.e2e._servers import COOKIE_NAME, GinServer

IFACE_MAP = "map[interface {}]interface {}"


def s(v: str) -> dict[str, Any]:
    """A typed-view string."""
    return {"t": "string", "v": v}


def typed_map(*pairs: tuple[str, Any]) -> dict[str, Any]:
    """A typed-view ``map[interface {}]interface {}`` with string keys (jsonview.md)."""
    return {"t": IFACE_MAP, "v": [[s(k), v] for k, v in pairs]}


def canon(view: Any) -> Any:
    """A typed view without Go's random map order."""
    return canonical_typed(view)


def typed(values: Any) -> Any:
    """The canonical typed view of a Python session's values."""
    return canon(jsonview.to_typed(values))


def cookie_attrs(header: str) -> list[str]:
    """A Set-Cookie header's name and attributes, without the value and Expires (they change)."""
    name_value, *attrs = [p.strip() for p in header.split(";")]
    return [name_value.split("=", 1)[0], *[a for a in attrs if not a.startswith("Expires=")]]


class Jar:
    """The session cookie as a browser keeps it, and the two sides that read and write it."""

    def __init__(self, app: GinServer | None = None) -> None:
        self.app = app
        self.value: str | None = None
        #: Every Set-Cookie header either side sent, in order.
        self.headers: list[str] = []

    # -- the jar --------------------------------------------------------------------------------

    def take(self, header: str) -> None:
        """Keep (or, for Max-Age=0 / an empty value, drop) the cookie a Set-Cookie header sends."""
        self.headers.append(header)
        name_value, *attrs = [p.strip() for p in header.split(";")]
        name, value = name_value.split("=", 1)
        assert name == COOKIE_NAME, header
        expired = any(a.lower() in ("max-age=0",) or a.lower().startswith("max-age=-") for a in attrs)
        self.value = None if expired or value == "" else value

    def cookies(self) -> dict[str, str]:
        return {} if self.value is None else {COOKIE_NAME: self.value}

    # -- the Gin app ----------------------------------------------------------------------------

    def go(self, path: str, app: GinServer | None = None) -> dict[str, Any]:
        """GET a Gin route with the jar's cookie; its JSON answer (serve.go's session view)."""
        server = app or self.app
        assert server is not None
        cookie = None if self.value is None else f"{COOKIE_NAME}={self.value}"
        status, body, set_cookie = server.get(path, cookie)
        assert status == 200, (path, status, body)
        assert body["save_error"] is None, body
        assert set_cookie == body["set_cookie"]
        for header in set_cookie:
            self.take(header)
        return dict(body)

    def go_set(
        self, view: dict[str, Any], *, clear: bool = False, app: GinServer | None = None
    ) -> dict[str, Any]:
        """The Gin app Set()s every pair of a typed-view map (real Go values) and saves."""
        return self.go(f"/set?values={quote(json.dumps(view))}" + ("&clear=1" if clear else ""), app)

    def go_user(self, app: GinServer | None = None) -> Any:
        """``Get("user")`` on the Gin app (None when absent)."""
        values = dict(map(tuple, self.go("/whoami", app)["values"]["$map"]))
        return values.get("user")

    # -- the Python store -----------------------------------------------------------------------

    def py(self, store: Any) -> Session:
        """``store.get`` with the jar's cookies."""
        session: Session = store.get(self.cookies(), COOKIE_NAME)
        return session

    def py_save(self, store: Any, session: Session) -> str:
        header: str = store.save(session)
        self.take(header)
        return header
