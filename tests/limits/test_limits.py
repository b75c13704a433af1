"""Hostile sizes and shapes (issue 8): each is rejected fast with a GorillaError, or handled
within bounds, in a fresh process whose address space is capped (``RLIMIT_AS``).

Bounds: every call finishes in ``SECONDS``; the tracemalloc peak of a rejected input stays under
``REJECT_RATIO`` times its size (plus a small constant); inputs that decode into one Python object
per input byte or two (a million-element slice) are held to ``DECODE_RATIO``, the cost of a boxed
Python object per element, and type graphs to ``TYPES_RATIO``.
Run ``python -m tests.limits.test_limits`` for the table of figures.
"""

from __future__ import annotations

import sys

import pytest

from tests.limits._probe import Probe, probe

SECONDS = 5.0
REJECT_RATIO = 4.0
DECODE_RATIO = 48.0
#: A type definition of ~15 bytes becomes a TypeSpec of a few hundred: type tables cost ~20x.
TYPES_RATIO = 32.0
#: Constant allowance: type tables, exception objects, small buffers, and the traceback of an
#: error raised max_depth (200) levels down, which the compiled codec builds at ~1.5 KB a level.
SLACK = 512 * 1024

GOB = "from gorillacompat import gob\nfrom gorillacompat.gob._wire import uint_bytes\n"
UINT = "def u(n):\n    return bytes(uint_bytes(n))\ndef msg(body):\n    return u(len(body)) + body\n"
#: `type T []int` as type 64 (Go 1.21 numbering), and friends, as gob writes them.
DEFS = (
    "SLICE_INT = msg(bytes.fromhex('7f020102ff800001040000'))\n"
    "SLICE_IFACE = msg(bytes.fromhex('7f020102ff800001100000'))\n"
    "MAP_STR_IFACE = msg(bytes.fromhex('7f040102ff8000010c01100000'))\n"
    "SELF_SLICE = msg(bytes.fromhex('7f020102ff800001ff800000'))\n"  # type T []T
    "IFACE_NAME = b'\\x0e[]interface {}'\n"
    "HUGE = 1 << 60\n"
)


def make(expr: str) -> str:
    """Setup code defining ``make()`` that returns ``expr``."""
    return f"def make():\n    return {expr}\n"


GOBX = GOB + UINT + DEFS
GOJSON = "from gorillacompat import gojson\n"
JSONVIEW = "from gorillacompat import jsonview\n"
SC = "from gorillacompat.securecookie import SecureCookie\n"
HDR = "from gorillacompat.sessions import parse_cookie_header\n"
LOADS = "return gob.loads(data)"
GOB_ERR = "GobDecodeError"
TYPES_64_TO_10063 = (
    "def make():\n"
    "    out = b''\n"
    "    for i in range(64, 10064):  # i = []int, as the next id\n"
    "        body = b'\\x02\\x01\\x02' + u(i << 1) + b'\\x00\\x01\\x04\\x00\\x00'\n"
    "        out += msg(u(((i - 1) << 1) | 1) + body)\n"
    "    return out + msg(b'\\x04\\x00\\x02')\n"
)
INTERFACES_10000 = (
    "def make():\n"
    "    v = b'\\x00\\x00'\n"
    "    for _ in range(10000):\n"
    "        v = b'\\x00\\x01' + IFACE_NAME + b'\\xff\\x80' + u(len(v)) + v\n"
    "    return SLICE_IFACE + msg(b'\\xff\\x80' + v)\n"
)
MUTUAL = (
    "def make():\n"
    "    a = msg(bytes.fromhex('7f020102ff800001ff820000'))  # 64 = []65\n"
    "    b = msg(bytes.fromhex('ff81020102ff820001ff800000'))  # 65 = []64\n"
    "    return a + b + msg(b'\\xff\\x80\\x00' + b'\\x01' * 10000 + b'\\x00')\n"
)
IGNORED = (
    "import json\n"
    "def make():\n"
    "    case = json.load(open('fixtures/gob/limits.json'))['cases'][0]\n"
    "    return bytes.fromhex(case['gob'])\n"
)
BAD_MAC = (
    "import base64, os\n"
    "def make():\n"
    "    inner = base64.urlsafe_b64encode(os.urandom(700_000))\n"
    "    return base64.urlsafe_b64encode(b'1700000000|' + inner + b'|' + b'm' * 32).decode()\n"
)
INTS_256K = "SLICE_INT + msg(b'\\xff\\x80\\x00' + u(1 << 18) + b'\\x02' * (1 << 18))"
DEEP_VIEW = """b'{"t":"[]interface {}","v":[' * 10000 + b'{"t":"nil","v":null}' + b']}' * 10000"""

CASES: dict[str, tuple[str, str, str | None, float]] = {
    # id: (setup defining make(), body of call(), expected GorillaError class or None, memory ratio)
    # -- gob: declared lengths ---------------------------------------------------------------
    "gob-message-length-tooBig": (GOBX + make("u(1 << 62) + b'x' * 16"), LOADS, GOB_ERR, REJECT_RATIO),
    "gob-message-claims-1GiB": (
        GOBX + make("u((1 << 30) - 1) + b'\\x0c\\x00\\x03abc'"),
        LOADS,
        GOB_ERR,
        REJECT_RATIO,
    ),
    "gob-string-length-2^60": (
        GOBX + make("msg(b'\\x0c\\x00' + u(HUGE) + b'abc')"),
        LOADS,
        GOB_ERR,
        REJECT_RATIO,
    ),
    "gob-slice-count-2^60": (
        GOBX + make("SLICE_INT + msg(b'\\xff\\x80\\x00' + u(HUGE) + b'\\x02')"),
        LOADS,
        GOB_ERR,
        REJECT_RATIO,
    ),
    "gob-map-count-2^60": (
        GOBX + make("MAP_STR_IFACE + msg(b'\\xff\\x80\\x00' + u(HUGE) + b'\\x01a')"),
        LOADS,
        GOB_ERR,
        REJECT_RATIO,
    ),
    "gob-interface-name-length-2^60": (
        GOBX + make("SLICE_IFACE + msg(b'\\xff\\x80\\x00\\x01' + u(HUGE) + b'x')"),
        LOADS,
        GOB_ERR,
        REJECT_RATIO,
    ),
    "gob-struct-field-count-2^60": (
        GOBX + make("msg(b'\\x7f\\x03\\x01\\x01\\x01S\\x01\\xff\\x80\\x00\\x01' + u(HUGE) + b'\\x01')"),
        LOADS,
        GOB_ERR,
        REJECT_RATIO,
    ),
    "gob-string-claims-1MB": (
        GOBX + make("msg(b'\\x0c\\x00' + u(1 << 20)) + b'a' * 100"),
        LOADS,
        GOB_ERR,
        REJECT_RATIO,
    ),
    # -- gob: nesting and type graphs ------------------------------------------------------
    "gob-self-referential-type-10000-deep": (
        GOBX + make("SELF_SLICE + msg(b'\\xff\\x80\\x00' + b'\\x01' * 10000 + b'\\x00')"),
        LOADS,
        GOB_ERR,
        REJECT_RATIO,
    ),
    "gob-self-referential-type-empty-value": (
        GOBX + make("SELF_SLICE + msg(b'\\xff\\x80\\x00\\x00')"),
        "return gob.dumps(gob.loads(data)) == data",
        None,
        REJECT_RATIO,
    ),
    "gob-mutually-recursive-types-10000-deep": (GOBX + MUTUAL, LOADS, GOB_ERR, REJECT_RATIO),
    "gob-interfaces-10000-deep": (GOBX + INTERFACES_10000, LOADS, GOB_ERR, REJECT_RATIO),
    "gob-ignored-type-nesting-10001": (GOBX + IGNORED, LOADS, GOB_ERR, TYPES_RATIO),
    "gob-duplicate-type-id": (
        GOBX + make("SLICE_INT + SLICE_INT + msg(b'\\xff\\x80\\x00\\x00')"),
        LOADS,
        GOB_ERR,
        REJECT_RATIO,
    ),
    "gob-undefined-element-type": (
        GOBX + make("msg(bytes.fromhex('7f020102ff800001fe4e200000')) + msg(b'\\xff\\x80\\x00\\x01\\x02')"),
        LOADS,
        GOB_ERR,
        REJECT_RATIO,
    ),
    "gob-10000-type-definitions": (GOBX + TYPES_64_TO_10063, LOADS, None, TYPES_RATIO),
    "gob-256k-element-slice": (GOBX + make(INTS_256K), "return len(gob.loads(data))", None, DECODE_RATIO),
    "gob-256k-nil-interfaces": (
        GOBX + make("SLICE_IFACE + msg(b'\\xff\\x80\\x00' + u(1 << 18) + b'\\x00' * (1 << 18))"),
        "return len(gob.loads(data))",
        None,
        DECODE_RATIO,
    ),
    "gob-256k-element-slice-max_elements": (
        GOBX + make(INTS_256K),
        "return gob.loads(data, max_elements=10000)",
        GOB_ERR,
        REJECT_RATIO,
    ),
    # -- JSON ------------------------------------------------------------------------------------
    "json-unmarshal-10001-deep": (
        GOJSON + make("b'[' * 10001 + b']' * 10001"),
        "return gojson.unmarshal(data)",
        "JSONDecodeError",
        DECODE_RATIO,  # Go's limit is 10000 levels: the parser's stack holds them first
    ),
    "json-decode_first-10001-deep-objects": (
        GOJSON + make("""b'{"a":' * 10001 + b'1' + b'}' * 10001"""),
        "return gojson.decode_first(data)",
        "JSONDecodeError",
        DECODE_RATIO,
    ),
    "json-unmarshal-1MB-number": (
        GOJSON + make("b'1' * (1 << 20)"),
        "return gojson.unmarshal(data)",
        "JSONDecodeError",  # Go: cannot unmarshal number ... (out of float64 range)
        8.0,  # the digits are copied to text once or twice
    ),
    "json-unmarshal-1MB-of-escapes": (
        GOJSON + make("b'\"' + b'\\\\u00e9' * (1 << 17) + b'\"'"),
        "return len(gojson.unmarshal(data))",
        None,
        REJECT_RATIO,
    ),
    "jsonview-10000-deep": (JSONVIEW + make(DEEP_VIEW), "return jsonview.loads(data)", "JSONViewError", 16.0),
    "jsonview-100k-digit-int": (
        JSONVIEW + make("""b'{"t":"int","v":{"$int":"' + b'9' * 100000 + b'"}}'"""),
        "return jsonview.loads(data)",
        "JSONViewError",
        REJECT_RATIO,
    ),
    # -- cookies --------------------------------------------------------------------------------
    "cookie-1MB-default-max_length": (
        SC + "sc = SecureCookie(b'h' * 32, b'b' * 32)\n" + make("'A' * (1 << 20)"),
        "return sc.decode('session', data)",
        "ValueToDecodeTooLongError",
        REJECT_RATIO,
    ),
    "cookie-1MB-unlimited-bad-mac": (
        SC + "sc = SecureCookie(b'h' * 32, b'b' * 32, max_length=0)\n" + BAD_MAC,
        "return sc.decode('session', data)",
        "InvalidMacError",
        REJECT_RATIO,
    ),
    "cookie-1MB-unlimited-valid": (
        SC
        + "sc = SecureCookie(b'h' * 32, b'b' * 32, max_length=0, clock=lambda: 1700000000)\n"
        + make("sc.encode('session', {'blob': b'x' * 560_000})"),
        "return len(sc.decode('session', data)['blob'])",
        None,
        12.0,  # two base64 layers, ciphertext, plaintext and the value: each about the input's size
    ),
    "cookiestore-1MB-cookie": (
        "from gorillacompat.sessions import CookieStore\n"
        "store = CookieStore(b'h' * 32, b'b' * 32)\n" + make("'A' * (1 << 20)"),
        "s = store.new({'session': data}, 'session')\nreturn type(s.error).__name__",
        None,
        REJECT_RATIO,
    ),
    # -- Cookie: header bombs ---------------------------------------------------------------
    "header-1MB-one-cookie": (
        HDR + make("'session=' + 'A' * (1 << 20)"),
        "return len(parse_cookie_header(data))",
        None,
        REJECT_RATIO,
    ),
    "header-1MB-100k-distinct-cookies": (
        HDR + make("'; '.join(f'c{i}=v' for i in range(100_000))"),
        "return len(parse_cookie_header(data))",
        None,
        DECODE_RATIO,
    ),
    "header-1MB-one-name-repeated": (
        HDR + make("'a=b;' * (1 << 18)"),
        "return len(parse_cookie_header(data))",
        None,
        DECODE_RATIO,
    ),
    "header-10MB-of-semicolons": (
        HDR + make("';' * (10 << 20)"),
        "return len(parse_cookie_header(data))",
        None,
        DECODE_RATIO,
    ),
}


def run(case_id: str) -> Probe:
    setup, call, _, _ = CASES[case_id]
    return probe(setup, call, cap_mb=1024)


@pytest.mark.parametrize("case_id", list(CASES))
def test_issue_8_limit(case_id: str) -> None:
    _, _, expected, ratio = CASES[case_id]
    p = run(case_id)
    print(case_id, p)
    if expected is not None:
        assert p.error == expected, p
    assert p.seconds < SECONDS, p
    assert p.peak_bytes <= ratio * p.input_bytes + SLACK, p


if __name__ == "__main__":
    for cid in CASES if len(sys.argv) < 2 else sys.argv[1:]:
        print(f"{cid:42s} {run(cid)}", flush=True)
