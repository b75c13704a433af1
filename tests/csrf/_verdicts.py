"""One request description, judged by Python exactly as the Go harness's /verdict judges it."""

from __future__ import annotations

from typing import Any

from gorillacompat.csrf import CSRF, FORM_METHODS, SameSite
from gorillacompat.csrf.adapters._common import URLENCODED, media_type, parse_query
from gorillacompat.sessions.cookie import parse_cookie_header


def csrf_for(desc: dict[str, Any]) -> CSRF:
    """The CSRF for the description's auth key and options (Go's defaults where absent)."""
    o = desc.get("options", {})
    same_site = o.get("same_site", 2)
    return CSRF(
        bytes.fromhex(desc["auth_key"]),
        cookie_name=o.get("cookie_name", ""),
        field_name=o.get("field_name", ""),
        request_header=o.get("request_header", ""),
        max_age=o.get("max_age", 43200),
        path=o.get("path", ""),
        domain=o.get("domain", ""),
        secure=o.get("secure", True),
        http_only=o.get("http_only", True),
        same_site=SameSite(same_site) if same_site else None,
        trusted_origins=o.get("trusted_origins") or (),
    )


def python_verdict(desc: dict[str, Any]) -> dict[str, Any]:
    """``{"ok", "reason", "new_cookie"}`` from gorillacompat.csrf for a /verdict description."""
    headers: list[tuple[str, str]] = [(k, v.strip(" \t")) for k, v in desc.get("headers", [])]
    first = {k.lower(): v for k, v in reversed(headers)}
    cookies = parse_cookie_header("; ".join(v for k, v in headers if k.lower() == "cookie"))
    form = None
    if desc["method"] in FORM_METHODS and media_type(first.get("content-type")) == URLENCODED:
        form = parse_query(desc.get("body", "").encode())
    verdict = csrf_for(desc).protect(desc["method"], desc["url"], cookies=cookies, headers=first, form=form)
    return {
        "ok": verdict.ok,
        "reason": None if verdict.error is None else str(verdict.error),
        "new_cookie": verdict.set_cookie is not None,
    }


def go_view(answer: dict[str, Any]) -> dict[str, Any]:
    """The same three facts from a /verdict answer."""
    return {"ok": answer["ok"], "reason": answer["reason"], "new_cookie": bool(answer["set_cookie"])}
