"""Set-Cookie bytes: every fixture header Go wrote, plus Go checking random options live."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gorillacompat.sessions import (
    Options,
    SameSite,
    cookie_store_defaults,
    http_date,
    is_cookie_name_valid,
    new_cookie,
    parse_cookie_header,
)
from gorillacompat.sessions.cookie import expires_for
from tests._fixtures import cases

from ._support import options_from, options_view


@pytest.mark.parametrize("case", cases("sessions/cookie_header.json"))
def test_header_matches_go(case: dict[str, Any]) -> None:
    opts = options_from(case["options"])
    assert new_cookie(case["name"], case["value"], opts, now=case["now"]) == case["header"]
    assert expires_for(opts.max_age, case["now"]) == case["expires"]
    assert is_cookie_name_valid(case["name"]) == case["valid_name_lex"]


@pytest.mark.parametrize("case", cases("sessions/store_defaults.json", lambda c: "options" in c))
def test_store_defaults_match_go(case: dict[str, Any]) -> None:
    from gorillacompat.sessions import FilesystemStore, MemStore

    expected = options_from(case["options"])
    kind = case["id"]
    if kind.startswith("cookie-"):
        got = cookie_store_defaults(kind.removeprefix("cookie-"))
    elif kind == "filesystem":
        got = FilesystemStore("", b"k").options
    else:
        got = MemStore(b"k").options
    assert got == expected
    assert new_cookie("sess", "v", got, now=case["now"]) == case["header"]


def test_http_date_extremes() -> None:
    assert http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert http_date(253402300800) == "Sat, 01 Jan 10000 00:00:00 GMT"
    assert http_date(951782400) == "Tue, 29 Feb 2000 00:00:00 GMT"


def test_parse_cookie_header_follows_go() -> None:
    got = parse_cookie_header(' a=1; b="two"; a=3; bad name=x; c=q"x; ;d=; e')
    assert got == {"a": "1", "b": "two", "d": "", "e": ""}


# -- live: Go renders random options -------------------------------------------------------------

_names = st.one_of(st.sampled_from(["sess", "", "a b", "ß", "x;y"]), st.text(max_size=6))
_text = st.text(st.characters(min_codepoint=0, max_codepoint=0x3FF), max_size=12)
_domains = st.one_of(
    st.sampled_from(["", "example.com", ".example.com", "1.2.3.4", "::1", "a_b.com", "a..b"]),
    st.from_regex(r"\.?[a-z0-9-]{0,8}(\.[a-z0-9-]{0,8}){0,3}", fullmatch=True),
    _text,
)
_max_age = st.one_of(
    st.sampled_from([0, -1, 1, 3600, 9223372036, 9223372037]),
    st.integers(-(1 << 63), (1 << 63) - 1),
)
_options = st.builds(
    Options,
    path=st.one_of(st.sampled_from(["", "/", "/a;b"]), _text),
    domain=_domains,
    max_age=_max_age,
    secure=st.booleans(),
    http_only=st.booleans(),
    same_site=st.one_of(st.none(), st.sampled_from(list(SameSite))),
    partitioned=st.booleans(),
)
_now = st.one_of(st.just(1700000000), st.integers(-(10**11), 10**11))


@pytest.mark.live
@settings(max_examples=1, deadline=None)
@given(st.lists(st.tuples(_names, _text, _options, _now), min_size=300, max_size=300))
def test_random_headers_match_live_go(harness: Any, batch: list[tuple[str, str, Options, int]]) -> None:
    reqs = [
        {"kind": "set-cookie", "id": i, "name": n, "value": v, "options": options_view(o), "now": now}
        for i, (n, v, o, now) in enumerate(batch)
    ]
    answers = harness.decode(reqs)
    for (n, v, o, now), ans in zip(batch, answers, strict=True):
        assert "harness_error" not in ans, ans
        assert new_cookie(n, v, o, now=now) == ans["header"], (n, v, o, now)
