"""Our AES-CTR (ECB keystream over a 128-bit counter) equals a standard CTR context.

cryptography's CTR mode carries across the whole 16-byte block exactly as Go's cipher.NewCTR
does (checked against Go in the spec digest); the Go-written fixtures cover ordinary IVs.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given, settings
from hypothesis import strategies as st

from gorillacompat._cookiewire import AesCtr

EDGE_IVS = [bytes(16), b"\xff" * 16, bytes(8) + b"\xff" * 8, b"\x00" * 15 + b"\xfe", b"\x7f" + b"\xff" * 15]


def _reference(key: bytes, iv: bytes, data: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
    return enc.update(data) + enc.finalize()


@pytest.mark.parametrize("iv", EDGE_IVS, ids=lambda b: b.hex())
@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 48, 1000])
def test_counter_carries_like_go(iv: bytes, size: int) -> None:
    key = bytes(range(32))
    data = bytes(i % 251 for i in range(size))
    assert AesCtr(key).xor(iv, data) == _reference(key, iv, data)


@settings(max_examples=200, deadline=None)
@given(
    key=st.sampled_from([16, 24, 32]).flatmap(lambda n: st.binary(min_size=n, max_size=n)),
    iv=st.binary(min_size=16, max_size=16),
    data=st.binary(max_size=300),
)
def test_matches_reference(key: bytes, iv: bytes, data: bytes) -> None:
    assert AesCtr(key).xor(iv, data) == _reference(key, iv, data)
