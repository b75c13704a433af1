"""Go 1.19 and Go 1.20 write the same gob bytes: both number the first user type 65, Go ≥ 1.21 64.

fixtures/gob/go119_*.json were written by Go 1.19 (Debian's golang-1.19-go), go120_*.json by Go 1.20
(the golang.org/toolchain module), <topic>.json by the harness's own Go (≥ 1.21), all from the same
types.go, one fresh process per case (go-harness/README.md, "go119 and go120 files").
"""

from __future__ import annotations

from typing import Any

import pytest

from gorillacompat import jsonview
from gorillacompat.gob import Encoder, GoInterface
from gorillacompat.gob.encoder import first_id
from tests._fixtures import FIXTURES, load_topic

from ._types import REGISTRY
from .test_vectors import _fresh_skip, _values

#: file prefix → the Go release the files must say wrote them.
OLD_RELEASES = {"go119": "go1.19", "go120": "go1.20"}


def _topics(prefix: str) -> list[str]:
    return sorted(p.stem.removeprefix(prefix + "_") for p in FIXTURES.glob(f"gob/{prefix}_*.json"))


def _pairs() -> list[Any]:
    out = []
    for topic in _topics("go120"):
        old = load_topic(f"gob/go119_{topic}.json")["cases"]
        new = load_topic(f"gob/go120_{topic}.json")["cases"]
        assert [c["id"] for c in new] == [c["id"] for c in old], topic
        out += [pytest.param(a, b, id=f"{topic}:{a['id']}") for a, b in zip(old, new, strict=True)]
    return out


PAIRS = _pairs()
GO120 = [
    pytest.param(topic, c, id=f"{topic}:{c['id']}")
    for topic in _topics("go120")
    for c in load_topic(f"gob/go120_{topic}.json")["cases"]
    if isinstance(c["gob"], str)
]


def _uint(data: bytes, pos: int) -> tuple[int, int]:
    b = data[pos]
    if b < 0x80:
        return b, pos + 1
    n = 256 - b
    return int.from_bytes(data[pos + 1 : pos + 1 + n], "big"), pos + 1 + n


def _message_type_ids(data: bytes) -> list[int]:
    """The leading int of every message: -id for a type definition, the type id of a value."""
    out = []
    pos = 0
    while pos < len(data):
        length, pos = _uint(data, pos)
        u, _ = _uint(data, pos)
        out.append(~(u >> 1) if u & 1 else u >> 1)
        pos += length
    return out


def test_go120_has_the_go119_topics() -> None:
    assert _topics("go120") == _topics("go119")
    assert len(_topics("go120")) >= 10
    assert len(PAIRS) > 300


@pytest.mark.parametrize("prefix", sorted(OLD_RELEASES))
def test_old_files_name_their_toolchain(prefix: str) -> None:
    for topic in _topics(prefix):
        data = load_topic(f"gob/{prefix}_{topic}.json")
        assert f"bytes written by {OLD_RELEASES[prefix]}." in data["description"], topic
        assert {c["type_ids"] for c in data["cases"]} == {"go1.19"}, topic


@pytest.mark.parametrize(("go119", "go120"), PAIRS)
def test_go120_bytes_equal_go119(go119: dict[str, Any], go120: dict[str, Any]) -> None:
    """Case for case the same bytes (`gob`, or `written` before an encode error) and the same case."""
    assert (go120["gob"], go120.get("written")) == (go119["gob"], go119.get("written"))
    assert go120 == go119


@pytest.mark.parametrize("prefix", sorted(OLD_RELEASES))
def test_old_ids_are_new_ids_plus_one(prefix: str) -> None:
    """Message by message, Go ≤ 1.20 uses Go ≥ 1.21's type ids + 1 (user types only: ids ≥ 64)."""
    shifted = 0
    user_ids: set[int] = set()
    for topic in _topics(prefix):
        new = {c["id"]: c for c in load_topic(f"gob/{topic}.json")["cases"]}
        for case in load_topic(f"gob/{prefix}_{topic}.json")["cases"]:
            if not isinstance(case["gob"], str):
                continue
            old_ids = _message_type_ids(bytes.fromhex(case["gob"]))
            new_ids = _message_type_ids(bytes.fromhex(new[case["id"]]["gob"]))
            want = [i + 1 if i >= 64 else i - 1 if i <= -64 else i for i in new_ids]
            assert old_ids == want, f"{topic}:{case['id']}"
            shifted += want != new_ids
            user_ids.update(abs(i) for i in old_ids if abs(i) >= 64)
    assert shifted > 200
    assert min(user_ids) == 65


@pytest.mark.parametrize(("topic", "case"), GO120)
def test_go120_view_encodes_as_go1_20(topic: str, case: dict[str, Any]) -> None:
    """``type_ids="go1.20"`` (a parsed release name) writes Go 1.20's bytes, "go1.21" the newer Go's.

    Built from the typed view, not from decoded values (those keep the wire ids they came with).
    """
    reason = _fresh_skip(case)
    if reason is not None:
        pytest.skip(reason)
    assert first_id("go1.20") == 65
    nodes, go_types, _ = _values(case)
    values = []
    for node, go_type in zip(nodes, go_types, strict=True):
        v = jsonview.from_typed(node)
        values.append(GoInterface(v) if go_type == "*interface {}" else v)
    newer = next(c for c in load_topic(f"gob/{topic}.json")["cases"] if c["id"] == case["id"])
    for type_ids, want in (("go1.20", case["gob"]), ("go1.21", newer["gob"])):
        enc = Encoder(registry=REGISTRY, type_ids=type_ids)
        assert b"".join(enc.encode(v) for v in values).hex() == want, type_ids
