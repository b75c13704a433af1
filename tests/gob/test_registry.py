"""Registry: Python dataclasses as Go structs, per-instance registries, Go's registration errors.

go-harness/types.go registers ``main.Person{Name string; Age int}`` by value
(``gob.Register(Person{})``) and ``*main.Account`` by pointer (``gob.Register(&Account{})``). Here
the same Go types are registered with Python dataclasses instead of field lists: Go's fixture bytes
decode into dataclass instances and re-encode to Go's exact bytes, and dataclass values Python
encodes are read by the real Go harness as the same typed values. Expected bytes, values and error
texts come from fixtures/gob/*.json or from the live harness.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from gorillacompat import jsonview
from gorillacompat.errors import GobDecodeError, GobEncodeError, UsageError
from gorillacompat.gob import (
    Decoder,
    Encoder,
    GoInterface,
    GoMap,
    GoSlice,
    GoStruct,
    GoTime,
    Registry,
    Uint64,
    default_registry,
    dumps,
    loads,
)
from tests._fixtures import canonical_typed, load_topic

# -- Go's types as dataclasses (module level: their annotations must resolve) --------------------


@dataclass
class Person:
    """go-harness/types.go ``Person{Name string; Age int}``, registered by value."""

    name: str = ""
    age: int = 0


def _zero_time() -> GoTime:
    return GoTime(-62135596800)  # Go's time.Time{} (0001-01-01 00:00:00 UTC)


@dataclass
class Account:
    """go-harness/types.go ``Account``, registered by pointer (interface name ``*main.Account``)."""

    id: int = field(default=0, metadata={"gob_name": "ID", "gob_type": "uint64"})
    email: str = ""
    roles: list[str] | None = None  # PEP 604 Optional of a slice: Go's []string
    balance: float = 0.0
    verified: bool = False
    created: GoTime = field(default_factory=_zero_time)


@dataclass
class Other:
    """A second Python type with Person's shape, for the duplicate-registration errors."""

    name: str = ""
    age: int = 0


@dataclass
class Foo:
    """A type the Go harness does not register (``main.Foo``)."""

    x: int = 0


_SESSION_MAPS = ("map[interface {}]interface {}", "map[string]interface {}")


def _registry() -> Registry:
    """A fresh registry like types.go's, with dataclasses for main.Person and *main.Account."""
    reg = Registry()
    reg.register("[]interface {}")
    reg.register("main.Person", Person)
    reg.register("*main.Account", Account)
    for name in _SESSION_MAPS:
        reg.register(name)
    return reg


def _case(topic: str, case_id: str) -> dict[str, Any]:
    for case in load_topic(f"gob/{topic}.json")["cases"]:
        if case["id"] == case_id:
            found: dict[str, Any] = case
            return found
    raise KeyError(f"fixtures/gob/{topic}.json has no case {case_id!r}")


def _as_go(value: Any, reg: Registry) -> Any:
    """``value`` with every dataclass instance replaced by the GoStruct it stands for."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        entry = reg.by_python_type(type(value))
        assert entry is not None, f"{type(value).__name__} is not registered"
        names = reg.dataclass_field_names(type(value))
        spec = reg.spec(entry.go_name.lstrip("*"))
        assert spec is not None
        types = {n: f for n, f in spec.fields}
        fields = {}
        for py, g in names:
            v = getattr(value, py)
            elem = types[g].elem
            if type(v) is list and types[g].go.startswith("[]") and elem is not None:
                v = GoSlice(v, elem_type=elem.go)  # a plain list in a []T field is Go's []T
            fields[g] = _as_go(v, reg)
        return GoStruct(entry.go_name, fields, field_types={n: f.go for n, f in spec.fields})
    if isinstance(value, GoInterface):
        return GoInterface(_as_go(value.value, reg))
    if isinstance(value, GoMap):
        out = copy.copy(value)
        for k in list(out):
            out[k] = _as_go(out[k], reg)
        return out
    if isinstance(value, GoSlice):
        out_s = copy.copy(value)
        out_s[:] = [_as_go(x, reg) for x in value]
        return out_s
    return value


def _typed_view(value: Any, reg: Registry) -> Any:
    return canonical_typed(json.loads(jsonview.dumps(_as_go(value, reg), typed=True)))


def _find(value: Any, cls: type) -> list[Any]:
    """Every instance of ``cls`` in a decoded tree, in order."""
    if isinstance(value, cls):
        return [value]
    if isinstance(value, GoInterface):
        return _find(value.value, cls)
    if isinstance(value, dict):
        return [x for v in value.values() for x in _find(v, cls)]
    if isinstance(value, list):
        return [x for v in value for x in _find(v, cls)]
    return []


# -- (1), (2) Go's fixture bytes ↔ dataclasses --------------------------------------------------

#: (topic, case id, the dataclass values the case holds, in tree order)
DATACLASS_CASES = [
    ("sessions", "user.value", [Person("Ann", 40)]),
    ("sessions", "user.ptr-of-value-type", [Person("Ann", 40)]),
    ("sessions", "flashes", [Person("F", 1)]),
    ("interfaces", "top-level.person", [Person("Top", 1)]),
    ("interfaces", "same-struct-twice", [Person("A", 1), Person("B", 2)]),
    ("interfaces", "spec-11.4", [Person("P", 2)]),
    ("interfaces", "string-map.nested", [Person("Deep", 3)]),
    (
        "sessions",
        "account.ptr",
        [
            Account(
                id=1 << 40,
                email="a@example.com",
                roles=["admin"],
                balance=12.5,
                verified=True,
                created=GoTime(1700000000),
            )
        ],
    ),
    # Go's nil []string decodes to an empty (nil) GoSlice, which equals [].
    ("interfaces", "person-and-account", [Person("A", 1), Account(id=2, roles=[])]),
]


@pytest.mark.parametrize(
    ("topic", "case_id", "want"),
    [pytest.param(t, c, w, id=f"{t}:{c}") for t, c, w in DATACLASS_CASES],
)
def test_go_bytes_decode_into_dataclasses(topic: str, case_id: str, want: list[Any]) -> None:
    case = _case(topic, case_id)
    reg = _registry()
    got = loads(bytes.fromhex(case["gob"]), registry=reg, go_type=case["go_type"], strict=True)
    found = _find(got, Person) + _find(got, Account)
    assert len(found) == len(want)
    assert all(x in want for x in found) and all(x in found for x in want)
    assert not _find(got, GoStruct), "every registered struct should come back as its dataclass"
    for acct in _find(got, Account):
        assert type(acct.id) is Uint64  # the Go field type survives
    # Field values, types and struct names are exactly Go's decoded value.
    assert _typed_view(got, reg) == canonical_typed(case["value"])


@pytest.mark.parametrize(
    ("topic", "case_id"),
    [pytest.param(t, c, id=f"{t}:{c}") for t, c, _ in DATACLASS_CASES],
)
def test_dataclasses_reencode_to_go_bytes(topic: str, case_id: str) -> None:
    case = _case(topic, case_id)
    data = bytes.fromhex(case["gob"])
    reg = _registry()
    got = loads(data, registry=reg, go_type=case["go_type"])
    enc = Encoder(registry=reg, type_ids=case["type_ids"], strict=True)
    assert enc.encode(got).hex() == data.hex()


@pytest.mark.parametrize(
    ("topic", "case_id", "build"),
    [
        pytest.param(
            "sessions",
            "user.value",
            lambda: GoMap({"user": Person("Ann", 40)}),
            id="sessions:user.value",
        ),
        pytest.param(
            "interfaces",
            "same-struct-twice",
            lambda: GoSlice([Person("A", 1), Person("B", 2)]),
            id="interfaces:same-struct-twice",
        ),
        pytest.param(
            "interfaces",
            "top-level.person",
            lambda: GoInterface(Person("Top", 1)),
            id="interfaces:top-level.person",
        ),
        pytest.param(
            "sessions",
            "account.ptr",
            lambda: GoMap(
                {
                    "account": Account(
                        id=1 << 40,
                        email="a@example.com",
                        roles=["admin"],
                        balance=12.5,
                        verified=True,
                        created=GoTime(1700000000),
                    )
                }
            ),
            id="sessions:account.ptr",
        ),
    ],
)
def test_fresh_dataclass_values_encode_to_go_bytes(topic: str, case_id: str, build: Any) -> None:
    """Values built in Python (plain ints, lists) encode to the bytes Go wrote for the same value."""
    case = _case(topic, case_id)
    got = dumps(build(), registry=_registry(), type_ids=case["type_ids"], strict=True)
    assert got.hex() == case["gob"]


def test_pep604_optional_annotations_give_go_types() -> None:
    """``list[str] | None`` is Go's ``[]string`` (as ``Optional[list[str]]`` is), not interface {}."""
    spec = _registry().spec("main.Account")
    assert spec is not None
    assert [(n, f.go) for n, f in spec.fields] == [
        ("ID", "uint64"),
        ("Email", "string"),
        ("Roles", "[]string"),
        ("Balance", "float64"),
        ("Verified", "bool"),
        ("Created", "time.Time"),
    ]


# -- (3) Python writes dataclasses, the real Go reads them ----------------------------------------


def _live_values() -> list[tuple[str, Any]]:
    """(Go destination, a Python value built from plain Python values and dataclasses)."""
    acct = Account(id=7, email="z@example.com", roles=["a", "b"], balance=-1.25, created=GoTime(1700000001))
    return [
        ("interface-map", GoMap({"user": Person("Zed", 77)})),
        ("interface-map", GoMap({"acct": acct, "who": Person("Y", 0)})),
        ("interface-map", GoMap({"_flash": GoSlice(["x", Person("", -3)])})),
        ("interface {}", GoInterface(Person("Top", 5))),
        ("main.Person", Person("Plain", 1)),
        ("*main.Account", acct),
    ]


@pytest.mark.live
def test_go_decodes_python_dataclasses(harness: Any) -> None:
    reg = _registry()
    values = _live_values()
    requests = [
        {"kind": "gob", "id": i, "gob": dumps(v, registry=reg, strict=True).hex(), "dest": dest}
        for i, (dest, v) in enumerate(values)
    ]
    answers = harness.decode(requests)
    for (dest, v), ans in zip(values, answers, strict=True):
        assert "harness_error" not in ans, ans
        assert ans["error"] is None, (dest, ans["error"])
        # Go's typed view of what it decoded: an interface destination shows the value it holds;
        # a *main.Account is a pointer to the struct in both views.
        want = _typed_view(v.value if isinstance(v, GoInterface) else v, reg)
        assert canonical_typed(ans["value"]) == want, dest
        # Go's own re-encoding decodes back to equal dataclasses.
        back = loads(bytes.fromhex(ans["gob"]), registry=reg, go_type=ans["dest"], strict=True)
        assert back == v, dest


@pytest.mark.live
def test_unregistered_name_strict_matches_go(harness: Any) -> None:
    """Go (which never registered main.Foo) and strict Python reject the same bytes alike."""
    writer = _registry()
    writer.register("main.Foo", Foo)
    data = dumps(GoMap({"f": Foo(3)}), registry=writer)
    [ans] = harness.decode([{"kind": "gob", "id": 0, "gob": data.hex(), "dest": "interface-map"}])
    assert ans["error"] == 'gob: name not registered for interface: "main.Foo"'
    with pytest.raises(GobDecodeError) as info:
        loads(data, registry=_registry(), strict=True)
    assert str(info.value) == ans["error"]
    # Registered, strict decoding reads it; non-strict decoding reads it either way.
    assert loads(data, registry=writer, strict=True) == GoMap({"f": Foo(3)})
    assert loads(data, registry=_registry())["f"] == GoStruct("main.Foo", {"X": 3})


# -- (4) per-instance registries ----------------------------------------------------------------


def test_registering_on_a_copy_leaves_others_alone() -> None:
    base = Registry()
    a = base.copy()
    b = base.copy()
    a.register("main.Person", Person)
    assert a.is_registered("main.Person")
    assert a.by_python_type(Person) is a.entry("main.Person")
    for other in (base, b, default_registry):
        assert not other.is_registered("main.Person")
        assert other.by_python_type(Person) is None
    # The other way round: b gets its own, different Person type.
    b.register("main.Person", Other)
    assert a.by_python_type(Other) is None
    assert b.by_python_type(Person) is None


def test_default_registry_is_go_basics_plus_session_slice() -> None:
    for name in ("int", "string", "[]uint8", "[]string", "[]interface {}"):
        assert default_registry.is_registered(name)
    for name in ("main.Person", "*main.Account", "time.Time"):
        assert not default_registry.is_registered(name)


def test_codecs_copy_the_registry_they_are_given() -> None:
    data = bytes.fromhex(_case("sessions", "user.value")["gob"])
    reg = Registry()
    reg.register("[]interface {}")
    enc = Encoder(registry=reg)
    dec = Decoder(data, registry=reg)
    strict_dec = Decoder(data, registry=reg, strict=True)
    reg.register("main.Person", Person)
    # Made before the registration: they do not see it.
    with pytest.raises(GobEncodeError, match="not registered"):
        enc.encode(GoMap({"user": Person("Ann", 40)}))
    assert dec.decode()["user"] == GoStruct("main.Person", {"Name": "Ann", "Age": 40})
    with pytest.raises(GobDecodeError, match='not registered for interface: "main.Person"'):
        strict_dec.decode()
    # Made after it: they do; and registering more later does not change them.
    enc2 = Encoder(registry=reg)
    dec2 = Decoder(data, registry=reg, strict=True)
    reg.register("main.Foo", Foo)
    assert dec2.decode()["user"] == Person("Ann", 40)
    assert enc2.encode(GoMap({"user": Person("Ann", 40)})) == data
    with pytest.raises(GobEncodeError, match="not registered"):
        enc2.encode(GoMap({"f": Foo(1)}))


# -- (5) Go's registration errors -----------------------------------------------------------------


def test_one_name_two_types_raises_like_go() -> None:
    reg = _registry()
    reg.register("main.Person", Person)  # the same type again: fine, as in Go
    with pytest.raises(GobEncodeError) as info:
        reg.register("main.Person", Other)
    assert isinstance(info.value, UsageError) and info.value.is_usage()
    assert str(info.value).startswith('gob: registering duplicate types for "main.Person": ')
    assert str(info.value).endswith(f" != {Other.__module__}.Other")
    # Nothing changed.
    assert reg.entry("main.Person").python_type is Person  # type: ignore[union-attr]
    assert reg.by_python_type(Other) is None
    # Field lists: the same list again is fine, another one is not.
    reg.register("main.P", fields={"A": "int"})
    reg.register("main.P", fields={"A": "int"})
    with pytest.raises(GobEncodeError, match='^gob: registering duplicate types for "main.P": '):
        reg.register("main.P", fields={"A": "string"})


def test_one_type_two_names_raises_like_go() -> None:
    reg = _registry()
    with pytest.raises(GobEncodeError) as info:
        reg.register("main.Human", Person)
    assert isinstance(info.value, UsageError)
    assert str(info.value) == (
        f'gob: registering duplicate names for {Person.__module__}.Person: "main.Person" != "main.Human"'
    )
    assert not reg.is_registered("main.Human")
    assert reg.by_python_type(Person) is reg.entry("main.Person")
    # By value and by pointer are two names for one Go type, as in Go.
    with pytest.raises(GobEncodeError, match="^gob: registering duplicate names for "):
        reg.register("*main.Person", Person)


def test_empty_name_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        Registry().register("", Person)


@pytest.mark.parametrize("case_id", ["iface.name-not-registered", "iface.top-level-not-registered"])
def test_strict_decoding_of_unregistered_name_is_gos_error(case_id: str) -> None:
    case = _case("errors", case_id)
    data = bytes.fromhex(case["gob"])
    with pytest.raises(GobDecodeError) as info:
        loads(data, registry=_registry(), strict=True, go_type=case["go_type"])
    assert str(info.value) == case["error"]
    loads(data, registry=_registry(), go_type=case["go_type"])  # non-strict: read anyway
