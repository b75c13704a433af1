"""Flask: ``CSRFProtect``, gorilla/csrf's ``csrf.Protect`` as a Flask extension.

Layering: imports ``csrf``, ``csrf.adapters._common``, ``sessions`` (cookie parsing) and Flask;
importable only with Flask.

Usage::

    csrf = CSRFProtect(app, CSRF(AUTH_KEY))        # the key the Go app passes to csrf.Protect

    @app.post("/webhook")
    @csrf.exempt                                   # Go: csrf.UnsafeSkipCheck
    def webhook(): ...

Templates get ``csrf_token()`` (Go: ``csrf.Token``) and ``csrf_field()`` (Go:
``csrf.TemplateField``, ready HTML). A refused request gets Go's 403 ``Forbidden - <reason>``,
or what ``error_handler(error)`` returns; ``csrf_verdict()`` gives the request's
:class:`~gorillacompat.csrf.Verdict` (``.error`` is Go's ``csrf.FailureReason``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, current_app, g, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from ...sessions.cookie import parse_cookie_header
from .._errors import CSRFError
from .._protect import CSRF, FormData, Verdict
from ._common import MULTIPART, URLENCODED, forbidden, media_type, parse_query

__all__ = ["CSRFProtect", "csrf_field", "csrf_token", "csrf_verdict"]

_F = TypeVar("_F", bound=Callable[..., object])
_EXEMPT_ATTR = "_gorillacompat_csrf_exempt"
_EXTENSION = "gorillacompat.csrf"


def _form() -> FormData:
    """The body's fields as Go's ``PostFormValue`` reads them."""
    kind = media_type(request.content_type)
    if kind == URLENCODED:
        return parse_query(request.get_data(cache=True))
    if kind == MULTIPART:
        return {key: request.form.getlist(key) for key in request.form}
    return {}


class CSRFProtect:
    """gorilla/csrf for a Flask app (Go: ``csrf.Protect(authKey)(handler)``)."""

    def __init__(
        self,
        app: Flask | None = None,
        csrf: CSRF | None = None,
        *,
        error_handler: Callable[[CSRFError], ResponseReturnValue] | None = None,
    ) -> None:
        self.csrf = csrf
        self.error_handler = error_handler
        if app is not None:
            self.init_app(app, csrf)

    def init_app(self, app: Flask, csrf: CSRF | None = None) -> None:
        """Install the checks on ``app`` (Flask's application-factory pattern)."""
        if csrf is not None:
            self.csrf = csrf
        if self.csrf is None:
            raise TypeError("CSRFProtect needs a gorillacompat.csrf.CSRF")
        app.extensions[_EXTENSION] = self
        app.before_request(self._before)
        app.after_request(self._after)
        app.add_template_global(csrf_token)
        app.add_template_global(csrf_field)

    @staticmethod
    def exempt(view: _F) -> _F:
        """Skip the checks for this view (Go: ``csrf.UnsafeSkipCheck``); no token, no cookie."""
        setattr(view, _EXEMPT_ATTR, True)
        return view

    def _before(self) -> ResponseReturnValue | None:
        csrf = self.csrf
        assert csrf is not None
        view = current_app.view_functions.get(request.endpoint or "")
        if view is not None and getattr(view, _EXEMPT_ATTR, False):
            g.gorillacompat_csrf = Verdict("", None, None, csrf.field_name)
            return None
        verdict = csrf.protect(
            request.method,
            f"{request.scheme}://{request.environ.get('HTTP_HOST') or request.host}/",
            cookies=parse_cookie_header(request.headers.get("Cookie", "")),
            headers=request.headers,
            form=_form,
        )
        g.gorillacompat_csrf = verdict
        if verdict.error is None:
            return None
        if self.error_handler is not None:
            return self.error_handler(verdict.error)
        status, headers, body = forbidden(verdict.error)
        return Response(body, status, headers)

    def _after(self, response: Response) -> Response:
        verdict: Verdict | None = g.get("gorillacompat_csrf")
        if verdict is None:
            return response
        if verdict.set_cookie:
            response.headers.add("Set-Cookie", verdict.set_cookie)
        if verdict.ok and verdict.token:
            response.headers.add("Vary", "Cookie")
        return response


def csrf_verdict() -> Verdict:
    """The current request's verdict (token, ``Set-Cookie``, ``error``)."""
    verdict: Verdict = g.gorillacompat_csrf
    return verdict


def csrf_token() -> str:
    """The masked token for this response (Go: ``csrf.Token(r)``); ``""`` in exempt views."""
    return csrf_verdict().token


def csrf_field() -> Markup:
    """The hidden ``<input>`` for a form (Go: ``csrf.TemplateField(r)``)."""
    return Markup(csrf_verdict().template_field())
