"""Every securecookie fixture that real Go wrote: decode, encode byte for byte, and Go's errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gorillacompat import jsonview
from gorillacompat.errors import GorillaError
from gorillacompat.securecookie import decode_multi, encode_multi
from tests._fixtures import canonical_typed, cases
from tests.securecookie._support import check_error, codecs_for, has_multi_entry_map, typed

# Go's default decode destinations; other destinations exist only in Go's static typing
# (``Decode(name, v, &someInt)``), which Python has no counterpart for.
DEFAULT_DEST = {"gob": "map[interface {}]interface {}", "json": "interface {}", "nop": "[]uint8"}


def _python_can_express(case: dict[str, Any]) -> bool:
    """Errors that exist only because of Go's static types have no Python counterpart.

    These are: a non-default decode destination (``Decode(name, v, &someInt)``); a value Python
    cannot hold (a chan or func); and an unregistered struct, because a Python ``GoStruct``
    carries its Go name itself, which is what ``gob.Register`` gives a Go type.
    """
    if not case.get("error"):
        return True
    text = json.dumps(case.get("value"))
    return (
        case.get("dest") == DEFAULT_DEST[case["serializer"]]
        and "$unsupported" not in text
        and "type not registered for interface" not in case["error"]["text"]
    )


def _good_encode(c: dict[str, Any]) -> bool:
    return c["op"].startswith("encode") and not c.get("error")


ENCODES = cases("securecookie/*.json", _good_encode)
# Go writes gob maps of 2+ entries in random order; for those only the cookie shows Go's order,
# and the re-encode test covers them.
DIRECT_ENCODES = cases(
    "securecookie/*.json",
    lambda c: _good_encode(c) and not (c["serializer"] == "gob" and has_multi_entry_map(c["value"])),
)
DECODES = cases("securecookie/*.json", lambda c: c["op"].startswith("decode") and not c.get("error"))
ERRORS = cases("securecookie/*.json", lambda c: bool(c.get("error")) and _python_can_express(c))


@pytest.mark.parametrize("case", DECODES)
def test_decode_gives_gos_value(case: dict[str, Any]) -> None:
    value = decode_multi(case["name"], case["cookie"], codecs_for(case))
    assert typed(value) == canonical_typed(case["value"])


@pytest.mark.parametrize("case", ENCODES)
def test_gos_encoded_cookie_decodes_as_in_go(case: dict[str, Any]) -> None:
    codecs = codecs_for(case)
    if case.get("decode_error"):
        with pytest.raises(GorillaError) as info:
            decode_multi(case["name"], case["cookie"], codecs)
        check_error(info.value, case["decode_error"])
        return
    value = decode_multi(case["name"], case["cookie"], codecs)
    want = case["decoded"] if case.get("decoded") is not None else case["value"]
    assert typed(value) == canonical_typed(want)
    # Decoded values keep Go's types and map order, so re-encoding gives Go's cookie back.
    if case["serializer"] != "json" or want == case["value"]:
        assert encode_multi(case["name"], value, codecs) == case["cookie"]


@pytest.mark.parametrize("case", DIRECT_ENCODES)
def test_encode_of_fixture_value_is_gos_cookie(case: dict[str, Any]) -> None:
    value = jsonview.from_typed(case["value"])
    codecs = codecs_for(case)
    assert codecs[0].serializer.dumps(value).hex() == case["serialized"]
    assert encode_multi(case["name"], value, codecs) == case["cookie"]


@pytest.mark.parametrize("case", ERRORS)
def test_gos_errors(case: dict[str, Any]) -> None:
    codecs = codecs_for(case)
    with pytest.raises(GorillaError) as info:
        if case["op"].startswith("encode"):
            encode_multi(case["name"], jsonview.from_typed(case["value"]), codecs)
        else:
            decode_multi(case["name"], case["cookie"], codecs)
    check_error(info.value, case["error"])
