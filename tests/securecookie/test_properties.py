"""Properties of securecookie that hold for any keys, options and payloads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gorillacompat import errors
from gorillacompat.errors import GorillaError
from gorillacompat.securecookie import SecureCookie, codecs_from_pairs, decode_multi, encode_multi
from gorillacompat.serializers import NopEncoder

HASHES = ["sha1", "sha224", "sha256", "sha384", "sha512", "md5", "sha512_256"]
TOKEN = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _exactly(n: int) -> st.SearchStrategy[bytes]:
    return st.binary(min_size=n, max_size=n)


codec_args = st.fixed_dictionaries(
    {
        "hash_key": st.binary(min_size=1, max_size=80),
        "block_key": st.none()
        | st.sampled_from([16, 24, 32]).flatmap(lambda n: st.binary(min_size=n, max_size=n)),
        "hash_name": st.sampled_from(HASHES),
    }
)


@settings(max_examples=300, deadline=None)
@given(
    args=codec_args,
    name=st.text(TOKEN, min_size=1, max_size=20),
    payload=st.binary(min_size=1, max_size=600),
    ts=st.integers(0, 2**40),
)
def test_decode_inverts_encode(args: dict, name: str, payload: bytes, ts: int) -> None:
    codec = SecureCookie(**args, serializer=NopEncoder(), max_length=0, max_age=0, clock=lambda: ts)
    assert codec.decode(name, codec.encode(name, payload)) == payload


@settings(max_examples=500, deadline=None)
@given(
    data=st.data(),
    args=codec_args,
    payload=st.binary(min_size=1, max_size=100),
)
def test_mutated_cookies_raise_only_gorilla_errors(data: st.DataObject, args: dict, payload: bytes) -> None:
    codec = SecureCookie(**args, serializer=NopEncoder(), clock=lambda: 1700000000)
    cookie = codec.encode("session", payload)
    pos = data.draw(st.integers(0, len(cookie)))
    junk = data.draw(st.text(min_size=0, max_size=4))
    cut = data.draw(st.integers(0, 3))
    mutated = cookie[:pos] + junk + cookie[pos + cut :]
    try:
        out = codec.decode("session", mutated)
    except GorillaError:
        return
    # Anything that still decodes must be the original payload: the MAC admits nothing else.
    assert out == payload


def test_first_pair_encodes_and_every_pair_decodes() -> None:
    keys = [bytes([i]) * 32 for i in range(1, 7)]
    new, old = codecs_from_pairs(*keys[:2]), codecs_from_pairs(*keys[2:4], *keys[:2])
    cookie = encode_multi("s", b"x", [*new, *old])
    assert new[0].decode("s", cookie) == b"x"
    assert decode_multi("s", encode_multi("s", b"y", old), [*new, *old]) == b"y"


def test_a_broken_first_codec_falls_through_like_go() -> None:
    broken = SecureCookie(b"k" * 32, b"short", serializer=NopEncoder())
    good = SecureCookie(b"j" * 32, serializer=NopEncoder())
    cookie = encode_multi("s", b"v", [broken, good])
    assert good.decode("s", cookie) == b"v"
    with pytest.raises(errors.KeySizeError):
        broken.encode("s", b"v")


def test_no_codecs() -> None:
    with pytest.raises(errors.NoCodecsError):
        encode_multi("s", b"v", [])
    with pytest.raises(errors.NoCodecsError):
        decode_multi("s", "x", [])


def test_unknown_hash_name_is_a_usage_error() -> None:
    with pytest.raises(errors.UnknownHashError) as info:
        SecureCookie(b"k", hash_name="sha3-9000")
    assert info.value.is_usage()


def test_iv_source_failure_is_internal() -> None:
    codec = SecureCookie(b"k", b"b" * 16, serializer=NopEncoder(), random_bytes=lambda n: b"")
    with pytest.raises(errors.IVGenerationError) as info:
        codec.encode("s", b"v")
    assert info.value.is_internal()


def test_base_classes_are_abstract() -> None:
    for cls in (errors.GorillaError, errors.DecodeError, errors.UsageError, errors.InternalError):
        with pytest.raises(TypeError):
            cls("x")
    assert issubclass(errors.MultiError, errors.DecodeError)
    assert issubclass(errors.DecodeError, ValueError)


def test_multi_error_predicates_ask_the_children() -> None:
    multi = errors.MultiError([errors.InvalidMacError(), errors.KeySizeError(5)])
    assert multi.is_decode() and multi.is_usage() and not multi.is_internal()
    assert multi.errors[1].hint
