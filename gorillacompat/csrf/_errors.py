"""Why gorilla/csrf refused a request: one class per Go sentinel, ``str()`` is Go's text.

Layering: imports ``errors`` only.

Go: the ``Err*`` variables of ``csrf.go`` (v1.7.3), which ``csrf.FailureReason(r)`` returns and
the default error handler writes after ``Forbidden - ``. They are input errors (the request is not
acceptable), so they sit under ``DecodeError``.
"""

from __future__ import annotations

from typing import ClassVar

from ..errors import DecodeError

__all__ = [
    "BadOriginError",
    "BadRefererError",
    "BadTokenError",
    "CSRFError",
    "NoRefererError",
    "NoTokenError",
]


class CSRFError(DecodeError):
    """A request that gorilla/csrf refuses (Go: ``csrf.FailureReason``); never raised itself."""

    #: Go's error text, fixed per class.
    text: ClassVar[str] = ""
    #: The status Go's default error handler (``unauthorizedHandler``) answers with.
    status: ClassVar[int] = 403

    def __new__(cls, *args: object, **kwargs: object) -> CSRFError:
        if cls is CSRFError:
            raise TypeError("CSRFError is abstract; raise one of its subclasses")
        return super().__new__(cls)  # type: ignore[return-value]

    def __init__(self, *, hint: str = "") -> None:
        super().__init__(self.text, hint=hint)

    def response_body(self) -> str:
        """The body of Go's 403 answer (``http.Error(w, "Forbidden - " + reason, 403)``)."""
        return f"Forbidden - {self.message}\n"


class NoTokenError(CSRFError):
    """Go: ``ErrNoToken`` — neither the request header nor the form field holds a token."""

    text = "CSRF token not found in request"
    hint = "render the token into the form (template_field) or send it in the request header"


class BadTokenError(CSRFError):
    """Go: ``ErrBadToken`` — the token is not base64, not 64 bytes, or not the cookie's token.

    A missing or invalid ``_gorilla_csrf`` cookie ends here too: Go then makes a new token, which
    no token of an earlier page matches.
    """

    text = "CSRF token invalid"
    hint = "was the form rendered with another auth key, or did the CSRF cookie expire or not arrive?"


class NoRefererError(CSRFError):
    """Go: ``ErrNoReferer`` — an HTTPS request with neither ``Origin`` nor a usable ``Referer``."""

    text = "referer not supplied"
    hint = "an https:// request needs an Origin or a Referer header (mark plain-HTTP requests http://)"


class BadRefererError(CSRFError):
    """Go: ``ErrBadReferer`` — an ``http://`` Referer, or another host not in ``trusted_origins``."""

    text = "referer invalid"
    hint = "add the referring host (host[:port]) to trusted_origins if it may post here"


class BadOriginError(CSRFError):
    """Go: ``ErrBadOrigin`` — an ``Origin`` that does not parse, or another origin not trusted."""

    text = "origin invalid"
    hint = "add the origin's host[:port] to trusted_origins if it may post here"
