"""Any token, cookie, header or URL: a verdict or a typed CSRFError, never another exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gorillacompat.csrf import (
    CSRF,
    BadOriginError,
    BadTokenError,
    CSRFError,
    NoRefererError,
    NoTokenError,
    parse_url,
)
from gorillacompat.errors import DecodeError, GorillaError, HashKeyNotSetError
from tests.csrf._support import AUTH_KEY, NOW, feeder

CSRF_ = CSRF(AUTH_KEY, clock=lambda: NOW)
TOKEN, SET_COOKIE = CSRF_.token({})
assert SET_COOKIE is not None
NAME, _, REST = SET_COOKIE.partition("=")
COOKIE = REST.split(";", 1)[0]


@given(token=st.text(), cookie=st.text(), origin=st.text(), referer=st.text(), tls=st.booleans())
def test_verify_raises_only_csrf_errors(
    token: str, cookie: str, origin: str, referer: str, tls: bool
) -> None:
    headers = {"X-CSRF-Token": token, "Origin": origin, "Referer": referer}
    try:
        CSRF_.verify(
            "POST", "https://a.test/" if tls else "http://a.test/", cookies={NAME: cookie}, headers=headers
        )
    except CSRFError:
        pass


@given(index=st.integers(0, len(TOKEN) - 1), char=st.characters())
def test_a_mutated_token_is_refused(index: int, char: str) -> None:
    mutated = TOKEN[:index] + char + TOKEN[index + 1 :]
    if mutated == TOKEN or (char in "\r\n" and mutated.replace(char, "") == TOKEN.replace(char, "")):
        return
    try:
        CSRF_.verify("POST", "http://a.test/", cookies={NAME: COOKIE}, form={"gorilla.csrf.Token": mutated})
    except BadTokenError:
        return
    # A flipped character can still decode to the same bytes (base64 padding bits).
    assert CSRF_.real_token({NAME: COOKIE}) is not None


@given(cookie=st.text())
def test_any_cookie_gives_a_token_or_none(cookie: str) -> None:
    real = CSRF_.real_token({NAME: cookie})
    assert real is None or len(real) == 32


@given(raw=st.text())
def test_url_parser_is_total(raw: str) -> None:
    parsed = parse_url(raw)
    assert parsed is None or isinstance(parsed.host, str)


def test_errors_are_typed_with_gos_texts() -> None:
    texts = {
        NoTokenError: "CSRF token not found in request",
        BadTokenError: "CSRF token invalid",
        NoRefererError: "referer not supplied",
        BadOriginError: "origin invalid",
    }
    for cls, text in texts.items():
        error = cls()
        assert str(error) == text and isinstance(error, DecodeError) and isinstance(error, GorillaError)
        assert error.response_body() == f"Forbidden - {text}\n" and error.hint
    with pytest.raises(TypeError):
        CSRFError()


def test_configuration_errors() -> None:
    with pytest.raises(HashKeyNotSetError):
        CSRF(b"")
    with pytest.raises(ValueError, match="cookie name"):
        CSRF(AUTH_KEY, cookie_name="bad name")
    with pytest.raises(ValueError, match="compat"):
        CSRF(AUTH_KEY, compat="v2")
    with pytest.raises(ValueError, match="https://"):
        CSRF_.verify("POST", "ftp://a.test/", cookies={})


def test_negative_max_age_is_gos_default_and_empty_names_are_gos() -> None:
    csrf = CSRF(AUTH_KEY, max_age=-1, cookie_name="", field_name="", request_header="")
    assert csrf.options.max_age == 43200
    assert (csrf.cookie_name, csrf.field_name, csrf.request_header) == (
        "_gorilla_csrf",
        "gorilla.csrf.Token",
        "X-CSRF-Token",
    )


@pytest.mark.parametrize("compat", ["v1.6", "v1.7.1"])
def test_old_releases_check_no_origin_or_referer(compat: str) -> None:
    csrf = CSRF(AUTH_KEY, compat=compat, clock=lambda: NOW)
    foreign = {"Origin": "https://evil.test", "Referer": "http://evil.test/", "X-CSRF-Token": TOKEN}
    csrf.verify("POST", "https://a.test/", cookies={NAME: COOKIE}, headers=foreign)
    missing = NoTokenError if compat == "v1.7.1" else BadTokenError
    with pytest.raises(missing):
        csrf.verify(
            "POST", "https://a.test/", cookies={NAME: COOKIE}, headers={"Origin": "https://evil.test"}
        )


def test_each_render_gets_a_fresh_mask_of_the_same_token() -> None:
    pads = [bytes([i]) * 32 for i in range(3)]
    csrf = CSRF(AUTH_KEY, clock=lambda: NOW, random_bytes=feeder(*pads))
    tokens = {csrf.token({NAME: COOKIE})[0] for _ in pads}
    assert len(tokens) == 3
    for token in tokens:
        csrf.verify("PUT", "http://a.test/", cookies={NAME: COOKIE}, headers={"x-csrf-token": token})


def test_safe_request_passes_with_a_field() -> None:
    verdict = CSRF_.protect("GET", "https://a.test/", cookies={NAME: COOKIE})
    assert verdict.ok and verdict.set_cookie is None
    assert (
        verdict.template_field() == f'<input type="hidden" name="gorilla.csrf.Token" value="{verdict.token}">'
    )
