"""Django: ``CSRFMiddleware``, gorilla/csrf's ``csrf.Protect`` in place of Django's own CSRF check.

Layering: imports ``csrf``, ``csrf.adapters._common``, ``sessions`` (cookie parsing, the raw
``Set-Cookie`` morsel) and Django; importable only with Django.

settings.py::

    MIDDLEWARE = [
        # instead of "django.middleware.csrf.CsrfViewMiddleware"
        "gorillacompat.csrf.adapters.django.CSRFMiddleware",
        ...
    ]
    GORILLA_CSRF = {"AUTH_KEY": bytes.fromhex("..."), "OPTIONS": {"trusted_origins": ["app.example.com"]}}
    TEMPLATES[0]["OPTIONS"]["context_processors"].append(
        "gorillacompat.csrf.adapters.django.context_processor")

``OPTIONS`` are :class:`~gorillacompat.csrf.CSRF`'s keyword arguments. Templates get
``gorilla_csrf_token`` (Go: ``csrf.Token``) and ``gorilla_csrf_field`` (Go:
``csrf.TemplateField``); Django's own ``csrf_token`` name is left alone. ``@gorilla_csrf_exempt``
skips a view (Go: ``csrf.UnsafeSkipCheck``). A refused request gets Go's 403
``Forbidden - <reason>``, or ``GORILLA_CSRF["ERROR_VIEW"](request, error)``'s response (a dotted
path or a callable); ``request.gorilla_csrf`` is the :class:`~gorillacompat.csrf.Verdict`.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any, TypeVar

from django.conf import settings  # type: ignore[import-untyped]
from django.core.exceptions import ImproperlyConfigured  # type: ignore[import-untyped]
from django.http import HttpRequest, HttpResponse, HttpResponseBase  # type: ignore[import-untyped]
from django.utils.cache import patch_vary_headers  # type: ignore[import-untyped]
from django.utils.module_loading import import_string  # type: ignore[import-untyped]
from django.utils.safestring import SafeString, mark_safe  # type: ignore[import-untyped]

from ...sessions.adapters.django import _GoMorsel
from ...sessions.cookie import parse_cookie_header
from .._protect import CSRF, FormData, Verdict
from ._common import MULTIPART, URLENCODED, forbidden, media_type, parse_query

__all__ = ["CSRFMiddleware", "context_processor", "gorilla_csrf_exempt"]

_F = TypeVar("_F", bound=Callable[..., Any])
_EXEMPT_ATTR = "gorilla_csrf_exempt"


def gorilla_csrf_exempt(view: _F) -> _F:
    """Skip the checks for this view (Go: ``csrf.UnsafeSkipCheck``); no token, no cookie."""
    setattr(view, _EXEMPT_ATTR, True)
    return view


def _form(request: HttpRequest) -> FormData:
    """The body's fields as Go's ``PostFormValue`` reads them (PUT and PATCH included)."""
    kind = media_type(request.META.get("CONTENT_TYPE"))
    if kind == URLENCODED:
        return parse_query(request.body)
    if kind != MULTIPART:
        return {}
    if request.method == "POST":
        post = request.POST
    else:  # Django parses multipart bodies of POSTs only
        post, _ = request.parse_file_upload(request.META, BytesIO(request.body))
    return {key: post.getlist(key) for key in post}


class CSRFMiddleware:
    """gorilla/csrf for a Django project (Go: ``csrf.Protect(authKey)(handler)``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        conf = getattr(settings, "GORILLA_CSRF", None)
        if not conf or not conf.get("AUTH_KEY"):
            raise ImproperlyConfigured("settings.GORILLA_CSRF = {'AUTH_KEY': b'...'} is required")
        self.get_response = get_response
        self.csrf = CSRF(conf["AUTH_KEY"], **conf.get("OPTIONS", {}))
        handler = conf.get("ERROR_VIEW")
        self.error_view: Callable[..., HttpResponseBase] | None = (
            import_string(handler) if isinstance(handler, str) else handler
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        verdict: Verdict | None = getattr(request, "gorilla_csrf", None)
        if verdict is not None:
            self._finish(verdict, response)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        csrf = self.csrf
        if getattr(view, _EXEMPT_ATTR, False):
            request.gorilla_csrf = Verdict("", None, None, csrf.field_name)
            return None
        verdict = csrf.protect(
            request.method,
            f"{request.scheme}://{request.META.get('HTTP_HOST') or request.get_host()}/",
            cookies=parse_cookie_header(request.META.get("HTTP_COOKIE", "")),
            headers=request.headers,
            form=lambda: _form(request),
        )
        request.gorilla_csrf = verdict
        if verdict.error is None:
            return None
        if self.error_view is not None:
            return self.error_view(request, verdict.error)
        status, headers, body = forbidden(verdict.error)
        return HttpResponse(body, status=status, headers=dict(headers))

    @staticmethod
    def _finish(verdict: Verdict, response: HttpResponseBase) -> None:
        if verdict.set_cookie:
            morsel = _GoMorsel(verdict.set_cookie)
            response.cookies[morsel.key] = morsel
        if verdict.ok and verdict.token:
            patch_vary_headers(response, ("Cookie",))


def context_processor(request: HttpRequest) -> dict[str, str | SafeString]:
    """``gorilla_csrf_token`` and ``gorilla_csrf_field`` (Go: ``csrf.Token``, ``csrf.TemplateField``)."""
    verdict: Verdict | None = getattr(request, "gorilla_csrf", None)
    if verdict is None:
        return {"gorilla_csrf_token": "", "gorilla_csrf_field": ""}
    return {"gorilla_csrf_token": verdict.token, "gorilla_csrf_field": mark_safe(verdict.template_field())}
