"""Flask: ``flask.session`` is the Go session (a Flask ``SessionInterface``).

Layering: imports ``sessions``, ``adapters._common`` and Flask; importable only with Flask.

Usage::

    app.session_interface = GorillaSessionInterface(CookieStore(hash_key, block_key), "session")

    @app.get("/")
    def index():
        user = session.get("user")          # Go: session.Values["user"]
        session.add_flash("hello")          # Go's session.Flashes() returns it
        return session.flashes()            # Go: session.Flashes() (consumes them)

``flask.session`` shows the string keys of ``session.Values``; ``session.go`` is the
:class:`~gorillacompat.sessions.Session` (ID, options, other keys), and ``session.sessions``
the request's :class:`RequestSessions` (other names, other stores). Cookie attributes come from
the store's Go ``Options``, not from Flask's ``SESSION_COOKIE_*`` settings; ``session.permanent``
reads ``Options.MaxAge`` and stores nothing in the session. Flask's own ``flash()`` keeps
working (a ``_flashes`` list of pairs, which Go does not read); use ``add_flash`` to talk to Go.
"""

from __future__ import annotations

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin

from ._common import RequestSessions, SessionStore, ValuesView, parse_cookie_header

__all__ = ["GorillaFlaskSession", "GorillaSessionInterface"]


class GorillaFlaskSession(ValuesView, SessionMixin):
    """``flask.session``: a dict view over the Go session's string keys, plus Go's flashes."""

    def __init__(self, sessions: RequestSessions) -> None:
        super().__init__(sessions.session)
        self.sessions = sessions
        self.new = bool(self.go.is_new)

    @property
    def permanent(self) -> bool:
        """True when the cookie outlives the browser session (Go: ``Options.MaxAge > 0``)."""
        return bool(self.go.options.max_age > 0)

    @permanent.setter
    def permanent(self, value: bool) -> None:
        """Ignored: set ``session.go.options.max_age`` instead (Go keeps no such flag)."""


class GorillaSessionInterface(SessionInterface):
    """Flask ``SessionInterface`` over a gorillacompat store. Go: ``store.Get`` + ``Save``.

    The cookie is written only when the session changed (or always with
    ``save_every_request=True``), and the header is exactly the store's ``save()`` string. A
    cookie that fails to decode gives a fresh session and a log line, never a 500.
    """

    session_class = GorillaFlaskSession
    pickle_based = False

    def __init__(self, store: SessionStore, name: str, *, save_every_request: bool = False) -> None:
        self.store = store
        self.name = name
        self.save_every_request = save_every_request

    def get_cookie_name(self, app: Flask) -> str:
        return self.name

    def open_session(self, app: Flask, request: Request) -> GorillaFlaskSession:
        sessions = RequestSessions(
            parse_cookie_header(request.headers.getlist("Cookie")),
            self.store,
            self.name,
            save_every_request=self.save_every_request,
            delete_empty=True,
        )
        return self.session_class(sessions)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not isinstance(session, GorillaFlaskSession):  # a null session: nothing to save
            return
        if session.modified:
            session.sessions.mark_modified()
        for header in session.sessions.save():
            response.headers.add("Set-Cookie", header)
        if session.accessed:
            response.vary.add("Cookie")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.store!r}, {self.name!r})"
