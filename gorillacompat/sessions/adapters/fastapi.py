"""FastAPI: ``GoSession``, a dependency-annotated :class:`~gorillacompat.sessions.Session`.

Layering: imports ``sessions``, ``adapters.starlette`` and FastAPI; importable only with FastAPI.

Usage::

    app.add_middleware(SessionMiddleware, store=CookieStore(hash_key), name="session")

    @app.get("/whoami")
    def whoami(session: GoSession) -> dict[str, object]:
        return {"user": session.values.get("user")}
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from ..session import Session
from .starlette import SessionMiddleware, go_session, go_sessions

__all__ = ["GoSession", "SessionMiddleware", "go_session", "go_sessions"]

#: ``session: GoSession`` in a path operation gives the request's Go session.
GoSession = Annotated[Session, Depends(go_session)]
