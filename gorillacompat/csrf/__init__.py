"""gorilla/csrf in Python: the ``_gorilla_csrf`` cookie, masked tokens and Go's checks.

Go: ``github.com/gorilla/csrf`` v1.7.3 (``compat`` covers v1.6 and v1.7.1).

Layering: ``securecookie`` and ``sessions`` (options, ``Set-Cookie`` rendering) ← ``csrf`` ←
``csrf.adapters`` (Flask, Starlette/FastAPI, Django). The core takes cookies, headers and form
fields and returns a token, a ``Set-Cookie`` value and a verdict; it knows no web framework.

A page rendered by Go posts to Python and passes, and the reverse, when both sides use the same
auth key (and cookie name, field name and request header)::

    csrf = CSRF(AUTH_KEY)                                   # Go: csrf.Protect(AUTH_KEY)
    token, set_cookie = csrf.token(cookies)                 # Go: csrf.Token(r)
    csrf.verify("POST", "https://example.com/pay", cookies=cookies, headers=headers, form=form)
"""

from ..sessions.options import SameSite as SameSite
from ._errors import BadOriginError as BadOriginError
from ._errors import BadRefererError as BadRefererError
from ._errors import BadTokenError as BadTokenError
from ._errors import CSRFError as CSRFError
from ._errors import NoRefererError as NoRefererError
from ._errors import NoTokenError as NoTokenError
from ._protect import COMPAT_VERSIONS as COMPAT_VERSIONS
from ._protect import CSRF as CSRF
from ._protect import DEFAULT_MAX_AGE as DEFAULT_MAX_AGE
from ._protect import FORM_METHODS as FORM_METHODS
from ._protect import SAFE_METHODS as SAFE_METHODS
from ._protect import TOKEN_LENGTH as TOKEN_LENGTH
from ._protect import FormData as FormData
from ._protect import Headers as Headers
from ._protect import Verdict as Verdict
from ._url import ParsedURL as ParsedURL
from ._url import parse_url as parse_url

__all__ = [
    "COMPAT_VERSIONS",
    "CSRF",
    "DEFAULT_MAX_AGE",
    "FORM_METHODS",
    "SAFE_METHODS",
    "TOKEN_LENGTH",
    "BadOriginError",
    "BadRefererError",
    "BadTokenError",
    "CSRFError",
    "FormData",
    "Headers",
    "NoRefererError",
    "NoTokenError",
    "ParsedURL",
    "SameSite",
    "Verdict",
    "parse_url",
]
