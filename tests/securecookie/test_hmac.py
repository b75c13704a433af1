"""Our keyed-once HMAC (``_cookiewire.Hmac``) equals the standard library's for every hash.

Keys longer than the hash's block are hashed first (RFC 2104), so the lengths cross each block
size (64 for SHA-1/SHA-256, 128 for SHA-512, 136 and 144 for SHA-3).
"""

from __future__ import annotations

import hmac

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gorillacompat._cookiewire import Hmac
from gorillacompat.errors import UnknownHashError
from gorillacompat.securecookie import SecureCookie

NAMES = [
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "sha512_256",
    "md5",
    "sha3_256",
    "sha3_224",
    "blake2b",
]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(NAMES), st.binary(min_size=1, max_size=300), st.binary(max_size=600))
def test_equals_standard_hmac(name: str, key: bytes, message: bytes) -> None:
    mac = Hmac(key, name)
    assert mac.digest(message) == hmac.new(key, message, name).digest()
    assert mac.digest(message) == mac.digest(message)  # the keyed state is copied, never used up


@pytest.mark.parametrize("name", ["sha256", "sha512", "sha3_256"])
@pytest.mark.parametrize("size", [63, 64, 65, 127, 128, 129, 135, 136, 137])
def test_keys_around_the_block_size(name: str, size: int) -> None:
    key = bytes(range(size))
    assert Hmac(key, name).digest(b"m") == hmac.new(key, b"m", name).digest()


@pytest.mark.parametrize("name", ["shake_128", "shake_256"])
def test_extendable_output_hashes_are_refused(name: str) -> None:
    """SHAKE has no fixed digest size, so no MAC; refused when the codec is made (was a bare
    ValueError from hmac.new)."""
    with pytest.raises(UnknownHashError):
        SecureCookie(b"k" * 32, hash_name=name)
