"""gorilla/csrf's middleware as pure functions: the cookie, the masked token, the checks.

Layering: imports ``errors``, ``_encoding``, ``serializers``, ``securecookie`` and
``sessions.options``/``sessions.cookie``; no web framework, no I/O.

Mirrors ``gorilla/csrf`` v1.7.3: ``Protect`` and ``csrf.ServeHTTP`` (csrf.go), ``cookieStore``
(store.go), ``mask``/``unmask``/``requestToken``/``sameOrigin``/``compareTokens``/``TemplateField``
(helpers.go) and the defaults of ``parseOptions`` (options.go). The wire::

    cookie  _gorilla_csrf = securecookie(name, JSON(base64std(real token)) + "\\n")   # 32 bytes
            ; Path; Domain; Expires=now+MaxAge; Max-Age=43200; HttpOnly; Secure; SameSite=Lax
    token   base64std(otp || otp XOR real token)                     # otp: 32 fresh random bytes

``CSRF.protect`` runs ServeHTTP's steps in Go's order:

1. read the real token from the cookie; when it is missing, invalid or not 32 bytes, make a new
   one and the ``Set-Cookie`` to send (even if the request is then refused);
2. mask it for this response (a fresh one-time pad every time);
3. for a method other than GET, HEAD, OPTIONS, TRACE: the ``Origin`` check, then (TLS, no
   ``Origin``) the ``Referer`` checks, then the token from the request header or the form.
"""

from __future__ import annotations

import base64
import dataclasses
import hmac
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from .._encoding import url_b64decode
from ..errors import Base64Error, GorillaError, HashKeyNotSetError
from ..securecookie import SecureCookie
from ..serializers import JSONEncoder
from ..sessions.cookie import is_cookie_name_valid, new_cookie
from ..sessions.options import Options, SameSite
from ._errors import BadOriginError, BadRefererError, BadTokenError, CSRFError, NoRefererError, NoTokenError
from ._url import parse_url

__all__ = [
    "COMPAT_VERSIONS",
    "CSRF",
    "DEFAULT_MAX_AGE",
    "FORM_METHODS",
    "SAFE_METHODS",
    "TOKEN_LENGTH",
    "FormData",
    "Headers",
    "Verdict",
]

#: Go: ``tokenLength``, the size of the real token and of the one-time pad.
TOKEN_LENGTH = 32
#: Go: ``defaultAge`` (12 hours), also what a negative ``max_age`` becomes.
DEFAULT_MAX_AGE = 3600 * 12
#: Go: ``safeMethods`` (RFC 7231 §4.2.2); compared case-sensitively, as Go does.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
#: The methods whose body ``http.Request.ParseForm`` reads, so the only ones whose form Go sees.
FORM_METHODS = frozenset({"POST", "PUT", "PATCH"})
#: ``compat`` values: the gorilla/csrf releases whose checks differ.
COMPAT_VERSIONS = ("v1.7.3", "v1.7.1", "v1.6")

#: Form fields as frameworks hold them: a value, or all values of the field (the first counts).
FormData = Mapping[str, "str | Sequence[str]"]


class Headers(Protocol):
    """Request headers: a ``Mapping[str, str]`` or a framework's headers (repeated names allowed)."""

    def items(self) -> Iterable[tuple[str, str]]: ...


#: The standard base64 alphabet mapped onto the URL-safe one, so ``url_b64decode`` (Go's rules:
#: CR/LF skipped, padding required) decodes it; the URL-only ``-``/``_`` become invalid bytes.
_STD_TO_URL = bytes.maketrans(b"+/-_", b"-_!!")


def _std_b64decode(text: str) -> bytes | None:
    """Go: ``base64.StdEncoding.DecodeString``; None where Go returns an error."""
    try:
        return url_b64decode(text.encode("ascii").translate(_STD_TO_URL))
    except (UnicodeEncodeError, Base64Error):
        return None


def _xor(a: bytes, b: bytes) -> bytes:
    """Go: ``xorToken`` (both inputs are 32 bytes here)."""
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(len(a), "big")


def _header(headers: Headers | None, name: str) -> str:
    """Go: ``r.Header.Get(name)``: the first value of a header, any case; ``""`` if absent."""
    if headers:
        wanted = name.lower()
        for key, value in headers.items():
            if key.lower() == wanted:
                return value
    return ""


def _form_value(form: FormData | None, name: str) -> str:
    """Go: ``r.PostFormValue(name)``: the first value of the field, ``""`` if absent."""
    if form is None:
        return ""
    value = form.get(name)
    if value is None or isinstance(value, str):
        return value or ""
    return value[0] if value else ""


def _request_origin(url: str) -> tuple[str, str]:
    """(scheme, host) of the request URL: ``https`` or ``http``, and Go's ``r.Host``."""
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep or scheme not in ("http", "https"):
        raise ValueError(f"the request URL must start with https:// or http://, not {url[:16]!r}")
    end = len(rest)
    for stop in "/?#":
        found = rest.find(stop)
        if found != -1:
            end = min(end, found)
    return scheme, rest[:end]


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What gorilla/csrf decided about one request, and what the response needs.

    Go: the request context ``csrf.Protect`` fills (``csrf.Token``, ``csrf.FailureReason``) and
    the ``Set-Cookie`` its ``cookieStore.Save`` writes.
    """

    #: The masked token to render (Go: ``csrf.Token(r)``); ``""`` for an exempt request.
    token: str
    #: The ``Set-Cookie`` value to send with the response (refused or not), or None.
    set_cookie: str | None
    #: Why the request is refused (Go: ``csrf.FailureReason(r)``), or None when it passes.
    error: CSRFError | None
    #: The form field the token goes in (Go: the ``gorilla.csrf.Form`` context value).
    field_name: str

    @property
    def ok(self) -> bool:
        """True when the request passes."""
        return self.error is None

    def template_field(self) -> str:
        """The hidden ``<input>`` for a form (Go: ``csrf.TemplateField``), HTML ready to insert."""
        if not self.token:
            return ""
        return f'<input type="hidden" name="{self.field_name}" value="{self.token}">'


class CSRF:
    """CSRF protection that shares its cookie and tokens with a Go app on gorilla/csrf.

    Go: ``csrf.Protect(authKey, opts...)`` with its options as keyword arguments, defaults as in
    v1.7.3 except ``path`` (Go sends no ``Path``, so browsers scope the cookie to the directory
    of the page that set it; pass ``path=""`` for that). ``auth_key`` is the 32-byte key the Go
    app passes to ``csrf.Protect``. Empty ``cookie_name``/``field_name``/``request_header`` mean
    Go's defaults; a negative ``max_age`` means 12 hours, ``0`` a browser-session cookie.
    ``trusted_origins`` holds ``host[:port]`` entries (Go: ``csrf.TrustedOrigins``).
    ``compat`` selects the release whose checks apply (see ``COMPAT_VERSIONS``): ``"v1.7.1"``
    (v1.7.1 and v1.7.2) and ``"v1.6"`` (v1.6.x and v1.7.0) check no ``Origin`` and no
    ``Referer`` (Go's check looked at ``r.URL.Scheme``, which is empty on a server), and
    ``"v1.6"`` reports a missing token as ``CSRF token invalid``; v1.6 apps also default to no
    ``SameSite`` (pass ``same_site=SameSite.DEFAULT``).
    ``clock`` (Unix seconds) and ``random_bytes`` are for tests and migrations; the defaults are
    what you want. Raises ``HashKeyNotSetError`` for an empty key and ``ValueError`` for an
    invalid cookie name or ``compat`` (Go accepts both and then fails every request).
    """

    def __init__(
        self,
        auth_key: bytes,
        *,
        cookie_name: str = "_gorilla_csrf",
        field_name: str = "gorilla.csrf.Token",
        request_header: str = "X-CSRF-Token",
        max_age: int = DEFAULT_MAX_AGE,
        secure: bool = True,
        http_only: bool = True,
        same_site: SameSite | None = SameSite.LAX,
        path: str = "/",
        domain: str = "",
        trusted_origins: Iterable[str] = (),
        compat: str = "v1.7.3",
        clock: Callable[[], int] | None = None,
        random_bytes: Callable[[int], bytes] | None = None,
    ) -> None:
        if not auth_key:
            raise HashKeyNotSetError()
        if compat not in COMPAT_VERSIONS:
            raise ValueError(f"compat must be one of {COMPAT_VERSIONS}, not {compat!r}")
        self.cookie_name = cookie_name or "_gorilla_csrf"
        if not is_cookie_name_valid(self.cookie_name):
            raise ValueError(f"invalid cookie name {self.cookie_name!r}: Go would send no cookie")
        self.field_name = field_name or "gorilla.csrf.Token"
        self.request_header = request_header or "X-CSRF-Token"
        max_age = DEFAULT_MAX_AGE if max_age < 0 else max_age
        self.options = Options(
            path=path, domain=domain, max_age=max_age, secure=secure, http_only=http_only, same_site=same_site
        )
        self.trusted_origins = frozenset(trusted_origins)
        self.compat = compat
        self.clock = clock if clock is not None else _unix_now
        self.random_bytes = random_bytes if random_bytes is not None else os.urandom
        self.codec = SecureCookie(auth_key, serializer=JSONEncoder(), max_age=max_age, clock=self.clock)

    def __repr__(self) -> str:
        return (
            f"CSRF(cookie_name={self.cookie_name!r}, field_name={self.field_name!r}, "
            f"request_header={self.request_header!r}, options={self.options!r}, "
            f"trusted_origins={sorted(self.trusted_origins)!r}, compat={self.compat!r})"
        )

    # -- the cookie (Go: cookieStore) ----------------------------------------------------------

    def real_token(self, cookies: Mapping[str, str]) -> bytes | None:
        """The 32-byte token in the CSRF cookie, or None if missing or invalid.

        Go: ``cookieStore.Get`` plus ServeHTTP's length check. Any failure (no cookie, bad MAC,
        expired, not JSON, not base64, not 32 bytes) gives None: Go then makes a new token.
        """
        value = cookies.get(self.cookie_name)
        if value is None:
            return None
        try:
            decoded = self.codec.decode(self.cookie_name, value)
        except GorillaError:
            return None
        if not isinstance(decoded, str):  # Go decodes into []byte: a JSON string (or null)
            return None
        real = _std_b64decode(decoded)
        return real if real is not None and len(real) == TOKEN_LENGTH else None

    def new_cookie(self, real: bytes) -> str:
        """The ``Set-Cookie`` value that stores ``real`` (Go: ``cookieStore.Save``)."""
        value = self.codec.encode(self.cookie_name, bytes(real))
        return new_cookie(self.cookie_name, value, self.options, now=self.clock())

    # -- tokens (Go: mask, unmask) --------------------------------------------------------------

    def mask(self, real: bytes) -> str:
        """A masked token for a page: pad and pad XOR real, standard base64 (Go: ``mask``)."""
        otp = self.random_bytes(TOKEN_LENGTH)
        return base64.b64encode(otp + _xor(otp, real)).decode("ascii")

    def token(self, cookies: Mapping[str, str]) -> tuple[str, str | None]:
        """A masked token for a form or header, and the ``Set-Cookie`` to send or None.

        Go: ``csrf.Token(r)`` after ``Protect`` ran; a missing or invalid cookie gets a new token,
        whose cookie must be sent with the page.
        """
        real = self.real_token(cookies)
        set_cookie = None
        if real is None:
            real = self.random_bytes(TOKEN_LENGTH)
            set_cookie = self.new_cookie(real)
        return self.mask(real), set_cookie

    # -- the checks (Go: csrf.ServeHTTP) --------------------------------------------------------

    def verify(
        self,
        method: str,
        url: str,
        *,
        cookies: Mapping[str, str],
        headers: Headers | None = None,
        form: FormData | Callable[[], FormData] | None = None,
    ) -> None:
        """Return if Go's ``csrf.Protect`` lets the request through; raise its reason otherwise.

        ``url`` is the full request URL: ``https://`` gets the Referer checks, ``http://`` is
        Go's ``csrf.PlaintextHTTPRequest``. ``headers`` holds ``Origin``, ``Referer`` and the
        request header; ``form`` the body's fields, or a callable giving them (Go reads them for
        POST, PUT and PATCH without a header token only). Raises a ``CSRFError``.
        """
        error = self._check(method, url, self.real_token(cookies), headers, form)
        if error is not None:
            raise error

    def protect(
        self,
        method: str,
        url: str,
        *,
        cookies: Mapping[str, str],
        headers: Headers | None = None,
        form: FormData | Callable[[], FormData] | None = None,
    ) -> Verdict:
        """Everything ``csrf.Protect`` does for one request, for middleware (Go: ``ServeHTTP``).

        Arguments as for :meth:`verify`. Never raises a ``CSRFError``: the verdict carries it.
        """
        real = self.real_token(cookies)
        set_cookie = None
        if real is None:
            real = self.random_bytes(TOKEN_LENGTH)
            set_cookie = self.new_cookie(real)
        token = self.mask(real)
        error = self._check(method, url, real, headers, form)
        return Verdict(token, set_cookie, error, self.field_name)

    def needs_form(self, method: str, headers: Headers | None) -> bool:
        """Whether Go would read the form of this request (for adapters that must parse it first)."""
        return method in FORM_METHODS and not _header(headers, self.request_header)

    def _check(
        self,
        method: str,
        url: str,
        real: bytes | None,
        headers: Headers | None,
        form: FormData | Callable[[], FormData] | None,
    ) -> CSRFError | None:
        """ServeHTTP's checks for one request; ``real`` None stands for Go's fresh token."""
        if method in SAFE_METHODS:
            return None
        scheme, host = _request_origin(url)
        if self.compat == "v1.7.3":
            error = self._check_origin(scheme, host, headers)
            if error is not None:
                return error
        issued = _header(headers, self.request_header)
        if not issued and method in FORM_METHODS:
            issued = _form_value(form() if callable(form) else form, self.field_name)
        if not issued and self.compat != "v1.6":  # v1.6 decodes "" and fails the comparison
            return NoTokenError()
        masked = _std_b64decode(issued)
        if masked is None or len(masked) != 2 * TOKEN_LENGTH or real is None:
            return BadTokenError()
        if not hmac.compare_digest(_xor(masked[:TOKEN_LENGTH], masked[TOKEN_LENGTH:]), real):
            return BadTokenError()
        return None

    def _check_origin(self, scheme: str, host: str, headers: Headers | None) -> CSRFError | None:
        """The ``Origin`` check, then (TLS without ``Origin``) the ``Referer`` checks (v1.7.3)."""
        origin = _header(headers, "Origin")
        if origin:
            parsed = parse_url(origin)
            if parsed is None:
                return BadOriginError()
            same = parsed.scheme == scheme and parsed.host == host  # Go: sameOrigin
            if not same and parsed.host not in self.trusted_origins:
                return BadOriginError()
            return None
        if scheme == "http":  # Go: PlaintextHTTPRequest skips the Referer checks
            return None
        referer = parse_url(_header(headers, "Referer"))
        if referer is None or referer.empty:
            return NoRefererError()
        if referer.scheme == "http":
            return BadRefererError()
        if referer.host and referer.host != host and referer.host not in self.trusted_origins:
            return BadRefererError()
        return None


def _unix_now() -> int:
    return int(time.time())
