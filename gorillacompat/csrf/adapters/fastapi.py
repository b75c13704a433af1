"""FastAPI: the Starlette ``CSRFMiddleware`` plus dependencies for the token and the verdict.

Layering: imports ``csrf.adapters.starlette`` and FastAPI; importable only with FastAPI.

Usage::

    app.add_middleware(CSRFMiddleware, csrf=CSRF(AUTH_KEY))

    @app.get("/form", response_class=HTMLResponse)
    def form(token: CSRFToken) -> str:               # Go: csrf.Token(r)
        return f'<form method="post"><input type="hidden" name="gorilla.csrf.Token" value="{token}">'
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from .._protect import Verdict
from .starlette import CSRFMiddleware, csrf_field, csrf_token, csrf_verdict

__all__ = [
    "CSRFField",
    "CSRFMiddleware",
    "CSRFToken",
    "CSRFVerdict",
    "csrf_field",
    "csrf_token",
    "csrf_verdict",
]

#: ``token: CSRFToken`` in a path operation gives the masked token (Go: ``csrf.Token(r)``).
CSRFToken = Annotated[str, Depends(csrf_token)]
#: ``field: CSRFField`` gives the hidden ``<input>`` (Go: ``csrf.TemplateField(r)``).
CSRFField = Annotated[str, Depends(csrf_field)]
#: ``verdict: CSRFVerdict`` gives the request's :class:`~gorillacompat.csrf.Verdict`.
CSRFVerdict = Annotated[Verdict, Depends(csrf_verdict)]
