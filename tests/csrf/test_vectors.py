"""The cookie, tokens and template field real gorilla/csrf v1.7.3 wrote (fixtures/csrf/tokens.json)."""

from __future__ import annotations

from typing import Any

import pytest

from tests._fixtures import cases
from tests.csrf._support import csrf_from_fixture, feeder

TOKENS = cases("csrf/tokens.json")


@pytest.mark.parametrize("case", TOKENS)
def test_new_token_cookie_and_mask_equal_go(case: dict[str, Any]) -> None:
    real, otp = bytes.fromhex(case["real"]), bytes.fromhex(case["otp"])
    csrf = csrf_from_fixture(case, feeder(real, otp))
    token, set_cookie = csrf.token({})
    assert set_cookie == case["set_cookie"]
    assert token == case["token"]


@pytest.mark.parametrize("case", TOKENS)
def test_protect_gives_go_token_field_and_cookie(case: dict[str, Any]) -> None:
    csrf = csrf_from_fixture(case, feeder(bytes.fromhex(case["real"]), bytes.fromhex(case["otp"])))
    verdict = csrf.protect("GET", "https://example.com/", cookies={})
    assert (verdict.ok, verdict.set_cookie, verdict.token) == (True, case["set_cookie"], case["token"])
    assert verdict.template_field() == case["field"]


@pytest.mark.parametrize("case", TOKENS)
def test_go_cookie_reads_back_and_masks_like_go(case: dict[str, Any]) -> None:
    csrf = csrf_from_fixture(case, feeder(bytes.fromhex(case["otp2"])))
    cookies = {case["options"]["cookie_name"]: case["cookie"]}
    assert csrf.real_token(cookies) == bytes.fromhex(case["real"])
    assert csrf.token(cookies) == (case["token2"], None)


@pytest.mark.parametrize("case", TOKENS)
def test_go_tokens_verify(case: dict[str, Any]) -> None:
    csrf = csrf_from_fixture(case)
    o = case["options"]
    cookies = {o["cookie_name"]: case["cookie"]}
    for token in (case["token"], case["token2"]):
        csrf.verify("POST", "http://example.com/", cookies=cookies, headers={o["request_header"]: token})
        csrf.verify("POST", "http://example.com/", cookies=cookies, form={o["field_name"]: [token, "x"]})
