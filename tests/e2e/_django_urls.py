"""URLconf of the Django test app (tests/e2e/_apps.py): the Go app's routes on ``request.session``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path


def whoami(request: HttpRequest) -> JsonResponse:
    go = request.session.go  # type: ignore[attr-defined]
    return JsonResponse(
        {
            "user": request.session.get("user"),  # type: ignore[attr-defined]
            "is_new": go.is_new,
            "error": None if go.error is None else str(go.error),
            "keys": sorted(k for k in go.values if isinstance(k, str)),
        }
    )


def login(request: HttpRequest) -> JsonResponse:
    request.session["user"] = request.GET["user"]  # type: ignore[attr-defined]
    return JsonResponse({"ok": True})


def flash(request: HttpRequest) -> JsonResponse:
    request.session.add_flash(request.GET["msg"])  # type: ignore[attr-defined]
    return JsonResponse({"ok": True})


def flashes(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"flashes": request.session.flashes()})  # type: ignore[attr-defined]


def logout(request: HttpRequest) -> JsonResponse:
    request.session.flush()  # type: ignore[attr-defined]
    return JsonResponse({"ok": True})


def noop(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns: list[Any] = [
    path(f"{view.__name__}", view) for view in (whoami, login, flash, flashes, logout, noop)
]
