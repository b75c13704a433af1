"""URLs of the Django app in tests/csrf/test_adapters.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from gorillacompat.csrf.adapters.django import context_processor, gorilla_csrf_exempt


def form(request: HttpRequest) -> JsonResponse:
    ctx = context_processor(request)
    return JsonResponse({"token": ctx["gorilla_csrf_token"], "field": str(ctx["gorilla_csrf_field"])})


def submit(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@gorilla_csrf_exempt
def hook(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hook")


urlpatterns = [path("form", form), path("submit", submit), path("hook", hook)]
