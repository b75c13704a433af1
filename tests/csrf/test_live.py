"""Live interop with real gorilla/csrf v1.7.3 (go-harness csrf-serve): tokens cross both ways, and
Python's verdict and reason equal Go's for every request shape."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gorillacompat.csrf import CSRF, BadTokenError, NoTokenError
from tests.csrf._support import AUTH_KEY
from tests.csrf._verdicts import go_view, python_verdict
from tests.csrf.conftest import TRUSTED, GoCSRFServer

pytestmark = pytest.mark.live

FIELD = "gorilla.csrf.Token"


def _call(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes, Any]:
    req = urllib.request.Request(
        url, data=data, headers=headers or {}, method="POST" if data is not None else "GET"
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read(), resp.headers
    except urllib.error.HTTPError as e:
        body = e.read()
        e.close()
        return e.code, body, e.headers


def _cookie_of(set_cookie: str) -> tuple[str, str]:
    name, _, rest = set_cookie.partition("=")
    return name, rest.split(";", 1)[0]


def _go_token(go: GoCSRFServer) -> tuple[str, dict[str, str], str]:
    status, body, headers = _call(go.url + "/token")
    assert status == 200
    name, value = _cookie_of(headers["Set-Cookie"])
    page = json.loads(body)
    return page["token"], {name: value}, page["field"]


# -- both directions ---------------------------------------------------------------------------


def test_go_rendered_token_passes_python(go_csrf: GoCSRFServer) -> None:
    token, cookies, field = _go_token(go_csrf)
    csrf = CSRF(AUTH_KEY, path="")
    origin = f"https://{go_csrf.addr}"
    csrf.verify("POST", origin + "/pay", cookies=cookies, headers={"Origin": origin}, form={FIELD: token})
    csrf.verify(
        "POST", origin + "/pay", cookies=cookies, headers={"X-CSRF-Token": token, "Referer": origin + "/"}
    )
    assert f'value="{token}"' in field
    with pytest.raises(BadTokenError):  # Go's token under another key
        CSRF(bytes(32)).verify(
            "POST", origin, cookies=cookies, headers={"Origin": origin, "X-CSRF-Token": token}
        )


@pytest.mark.parametrize("via", ["form", "header"])
def test_python_rendered_token_passes_go(go_csrf: GoCSRFServer, via: str) -> None:
    csrf = CSRF(AUTH_KEY)
    token, set_cookie = csrf.token({})
    assert set_cookie is not None
    name, value = _cookie_of(set_cookie)
    headers = {"Cookie": f"{name}={value}", "Origin": f"https://{go_csrf.addr}"}
    if via == "header":
        headers["X-CSRF-Token"] = token
        data = urllib.parse.urlencode({"msg": "hi"}).encode()
    else:
        data = urllib.parse.urlencode({FIELD: token, "msg": "hi"}).encode()
    status, body, resp_headers = _call(go_csrf.url + "/submit", data=data, headers=headers)
    assert (status, json.loads(body)) == (200, {"ok": True, "msg": "hi"})
    assert resp_headers.get_all("Set-Cookie") is None  # Go accepted Python's cookie as is
    # …and Go's next token for that cookie passes Python.
    status, body, _ = _call(go_csrf.url + "/token", headers={"Cookie": headers["Cookie"]})
    go_token = json.loads(body)["token"]
    csrf.verify("POST", "http://x/", cookies={name: value}, headers={"X-CSRF-Token": go_token})


def test_go_refuses_with_the_text_python_gives(go_csrf: GoCSRFServer) -> None:
    status, body, headers = _call(
        go_csrf.url + "/submit", data=b"msg=x", headers={"X-Harness-Scheme": "http"}
    )
    error = NoTokenError()
    assert (status, body.decode()) == (error.status, error.response_body())
    assert headers["X-Content-Type-Options"] == "nosniff"


# -- the table of request shapes --------------------------------------------------------------

APP = "https://app.example.com"
PLAIN = "http://app.example.com"
OPTIONS = {"trusted_origins": list(TRUSTED), "path": "/"}


def _shapes() -> list[tuple[str, dict[str, Any]]]:
    csrf = CSRF(AUTH_KEY)
    token, set_cookie = csrf.token({})
    assert set_cookie is not None
    name, value = _cookie_of(set_cookie)
    other_token, _ = CSRF(AUTH_KEY).token({})  # a valid token of another cookie
    cookie = ("Cookie", f"{name}={value}")
    tampered = ("Cookie", f"{name}={value[:-3]}AAA")
    expired_codec = CSRF(AUTH_KEY, clock=lambda: 1_000_000_000)
    _, old_cookie = expired_codec.token({})
    assert old_cookie is not None
    expired = ("Cookie", "=".join(_cookie_of(old_cookie)))
    form_ct = ("Content-Type", "application/x-www-form-urlencoded")
    body = urllib.parse.urlencode({FIELD: token, "msg": "x"})
    same = ("Origin", APP)
    hdr = ("X-CSRF-Token", token)
    short = base64.b64encode(base64.b64decode(token)[:40]).decode()

    def shape(method: str, url: str, *headers: tuple[str, str], body: str = "") -> dict[str, Any]:
        return {"method": method, "url": url, "headers": [list(h) for h in headers], "body": body}

    table = [
        ("get-no-cookie", shape("GET", APP + "/")),
        ("get-foreign-origin", shape("GET", APP + "/", ("Origin", "https://evil.com"))),
        ("head-no-token", shape("HEAD", APP + "/", cookie)),
        ("options-no-token", shape("OPTIONS", APP + "/", cookie)),
        ("trace-no-token", shape("TRACE", APP + "/", cookie)),
        ("lowercase-post-is-not-safe", shape("post", APP + "/", cookie, same)),
        ("header-token-same-origin", shape("POST", APP + "/", cookie, same, hdr)),
        ("form-token-same-origin", shape("POST", APP + "/", cookie, same, form_ct, body=body)),
        ("form-token-put", shape("PUT", APP + "/", cookie, same, form_ct, body=body)),
        ("form-token-patch", shape("PATCH", APP + "/", cookie, same, form_ct, body=body)),
        ("form-token-delete-is-not-read", shape("DELETE", APP + "/", cookie, same, form_ct, body=body)),
        ("form-token-without-content-type", shape("POST", APP + "/", cookie, same, body=body)),
        ("form-token-in-query-is-not-read", shape("POST", APP + "/?" + body, cookie, same)),
        (
            "header-wins-over-form",
            shape("POST", APP + "/", cookie, same, ("X-CSRF-Token", other_token), form_ct, body=body),
        ),
        (
            "empty-header-falls-back-to-form",
            shape("POST", APP + "/", cookie, same, ("X-CSRF-Token", ""), form_ct, body=body),
        ),
        ("header-name-any-case", shape("POST", APP + "/", cookie, same, ("x-csrf-token", token))),
        ("origin-foreign", shape("POST", APP + "/", cookie, ("Origin", "https://evil.com"), hdr)),
        ("origin-trusted", shape("POST", APP + "/", cookie, ("Origin", "https://trusted.example.com"), hdr)),
        (
            "origin-trusted-any-scheme",
            shape("POST", APP + "/", cookie, ("Origin", "http://trusted.example.com"), hdr),
        ),
        ("origin-trusted-port", shape("POST", APP + "/", cookie, ("Origin", "https://127.0.0.1:1"), hdr)),
        ("origin-http-on-https", shape("POST", APP + "/", cookie, ("Origin", PLAIN), hdr)),
        ("origin-other-port", shape("POST", APP + "/", cookie, ("Origin", APP + ":8443"), hdr)),
        ("origin-null", shape("POST", APP + "/", cookie, ("Origin", "null"), hdr)),
        ("origin-unparsable", shape("POST", APP + "/", cookie, ("Origin", "https://[::1"), hdr)),
        ("origin-upper-scheme", shape("POST", APP + "/", cookie, ("Origin", "HTTPS://app.example.com"), hdr)),
        ("origin-upper-host", shape("POST", APP + "/", cookie, ("Origin", "https://APP.example.com"), hdr)),
        (
            "origin-skips-referer",
            shape("POST", APP + "/", cookie, same, ("Referer", "http://evil.com/"), hdr),
        ),
        ("origin-checked-before-token", shape("POST", APP + "/", ("Origin", "https://evil.com"))),
        ("referer-missing", shape("POST", APP + "/", cookie, hdr)),
        ("referer-same", shape("POST", APP + "/", cookie, ("Referer", APP + "/form"), hdr)),
        ("referer-http", shape("POST", APP + "/", cookie, ("Referer", PLAIN + "/form"), hdr)),
        ("referer-foreign", shape("POST", APP + "/", cookie, ("Referer", "https://evil.com/"), hdr)),
        (
            "referer-trusted",
            shape("POST", APP + "/", cookie, ("Referer", "https://trusted.example.com/x"), hdr),
        ),
        ("referer-relative", shape("POST", APP + "/", cookie, ("Referer", "/form"), hdr)),
        ("referer-fragment-only", shape("POST", APP + "/", cookie, ("Referer", "#"), hdr)),
        ("referer-empty-authority", shape("POST", APP + "/", cookie, ("Referer", "//"), hdr)),
        ("referer-unparsable", shape("POST", APP + "/", cookie, ("Referer", "https://a b/"), hdr)),
        ("referer-ftp-foreign", shape("POST", APP + "/", cookie, ("Referer", "ftp://evil.com/"), hdr)),
        ("referer-checked-before-token", shape("POST", APP + "/", ("Referer", "https://evil.com/"))),
        ("plain-http-no-referer", shape("POST", PLAIN + "/", cookie, hdr)),
        (
            "plain-http-foreign-referer",
            shape("POST", PLAIN + "/", cookie, ("Referer", "https://evil.com/"), hdr),
        ),
        ("plain-http-same-origin", shape("POST", PLAIN + "/", cookie, ("Origin", PLAIN), hdr)),
        ("plain-http-https-origin", shape("POST", PLAIN + "/", cookie, same, hdr)),
        ("plain-http-foreign-origin", shape("POST", PLAIN + "/", cookie, ("Origin", "http://evil.com"), hdr)),
        ("wrong-token", shape("POST", APP + "/", cookie, same, ("X-CSRF-Token", other_token))),
        ("no-token", shape("POST", APP + "/", cookie, same)),
        ("token-not-base64", shape("POST", APP + "/", cookie, same, ("X-CSRF-Token", "not base64!"))),
        (
            "token-url-alphabet",
            shape(
                "POST", APP + "/", cookie, same, ("X-CSRF-Token", token.replace("+", "-").replace("/", "_"))
            ),
        ),
        ("token-unpadded", shape("POST", APP + "/", cookie, same, ("X-CSRF-Token", token.rstrip("=")))),
        ("token-too-short", shape("POST", APP + "/", cookie, same, ("X-CSRF-Token", short))),
        (
            "token-space-plus-in-form",
            shape("POST", APP + "/", cookie, same, form_ct, body=f"{FIELD}={token}"),
        ),
        ("cookie-tampered", shape("POST", APP + "/", tampered, same, hdr)),
        ("cookie-tampered-no-token", shape("POST", APP + "/", tampered, same)),
        ("cookie-missing", shape("POST", APP + "/", same, hdr)),
        ("cookie-missing-no-token", shape("POST", APP + "/", same)),
        ("cookie-expired", shape("POST", APP + "/", expired, same, hdr)),
        ("cookie-first-of-two", shape("POST", APP + "/", cookie, ("Cookie", f"{name}=junk"), same, hdr)),
        ("cookie-second-of-two", shape("POST", APP + "/", ("Cookie", f"{name}=junk"), cookie, same, hdr)),
        ("get-tampered-cookie", shape("GET", APP + "/", tampered)),
        ("get-valid-cookie", shape("GET", APP + "/", cookie)),
    ]
    return [(sid, {"id": sid, "auth_key": AUTH_KEY.hex(), "options": OPTIONS, **desc}) for sid, desc in table]


SHAPES = _shapes()


def test_every_shape_gets_gos_verdict_and_reason(go_csrf: GoCSRFServer) -> None:
    answers = go_csrf.verdicts([desc for _, desc in SHAPES])
    mismatches = []
    for (sid, desc), answer in zip(SHAPES, answers, strict=True):
        assert "harness_error" not in answer, answer
        if python_verdict(desc) != go_view(answer):
            mismatches.append((sid, python_verdict(desc), go_view(answer)))
    assert not mismatches, mismatches
    # The table covers every reason and both outcomes.
    reasons = {go_view(a)["reason"] for a in answers}
    assert reasons >= {None, "origin invalid", "referer not supplied", "referer invalid"}
    assert reasons >= {"CSRF token not found in request", "CSRF token invalid"}


# -- differential: Origin and Referer strings of every kind ------------------------------------

_URL_PIECES = st.sampled_from(
    [
        "https://",
        "http://",
        "HTTPS://",
        "ftp:",
        "//",
        "/",
        ":",
        "@",
        "?",
        "#",
        "[",
        "]",
        "%",
        "%25",
        "%41",
        "%c3%a9",
        "::1",
        "fe80::1",
        "1.2.3.4",
        "app.example.com",
        "trusted.example.com",
        "evil.com",
        "127.0.0.1:1",
        ":443",
        ":8x",
        "user:pw",
        " ",
        "\t",
        "a",
        "Z",
        "0",
        "-",
        "_",
        "~",
        ".",
        "é",
        "null",
    ]
)
_URLISH = st.lists(_URL_PIECES, max_size=8).map("".join)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(pairs=st.lists(st.tuples(_URLISH, _URLISH, st.booleans()), min_size=40, max_size=40))
def test_origin_and_referer_parsing_matches_go(
    go_csrf: GoCSRFServer, pairs: list[tuple[str, str, bool]]
) -> None:
    token, set_cookie = CSRF(AUTH_KEY).token({})
    assert set_cookie is not None
    cookie = ["Cookie", "=".join(_cookie_of(set_cookie))]
    descs = []
    for i, (origin, referer, tls) in enumerate(pairs):
        headers = [cookie, ["X-CSRF-Token", token], ["Referer", referer]]
        if origin.strip(" \t"):
            headers.append(["Origin", origin])
        url = (APP if tls else PLAIN) + "/"
        descs.append(
            {
                "id": str(i),
                "auth_key": AUTH_KEY.hex(),
                "options": OPTIONS,
                "method": "POST",
                "url": url,
                "headers": headers,
            }
        )
    for desc, answer in zip(descs, go_csrf.verdicts(descs), strict=True):
        if "harness_error" in answer:  # net/http refuses the header (a Go server answers 400)
            continue
        assert python_verdict(desc) == go_view(answer), desc


_B64 = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_\r\n %", max_size=100)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_tokens_and_cookies_get_gos_verdict(go_csrf: GoCSRFServer, data: st.DataObject) -> None:
    token, set_cookie = CSRF(AUTH_KEY).token({})
    assert set_cookie is not None
    name, value = _cookie_of(set_cookie)
    descs = []
    for i in range(30):
        mutated_token = data.draw(st.one_of(_B64, _flip(token)))
        mutated_cookie = data.draw(
            st.one_of(st.just(value), _flip(value), _B64.filter(lambda s: not set(s) & set(";\r\n")))
        )
        headers = [["Cookie", f"{name}={mutated_cookie}"], ["Origin", APP]]
        body = urllib.parse.urlencode({FIELD: mutated_token})
        headers.append(["Content-Type", "application/x-www-form-urlencoded"])
        descs.append(
            {
                "id": str(i),
                "auth_key": AUTH_KEY.hex(),
                "options": OPTIONS,
                "method": "POST",
                "url": APP + "/",
                "headers": headers,
                "body": body,
            }
        )
    for desc, answer in zip(descs, go_csrf.verdicts(descs), strict=True):
        if "harness_error" in answer:
            continue
        assert python_verdict(desc) == go_view(answer), desc


def _flip(text: str) -> st.SearchStrategy[str]:
    """``text`` with one character replaced."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_"
    return st.tuples(st.integers(0, len(text) - 1), st.sampled_from(alphabet)).map(
        lambda p: text[: p[0]] + p[1] + text[p[0] + 1 :]
    )
