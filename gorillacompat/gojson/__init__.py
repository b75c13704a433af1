"""Go's encoding/json, byte for byte: what ``json.Marshal`` writes and what ``json.Unmarshal`` reads.

Layering: imports ``errors`` and ``values`` (the Go value model) only. It knows nothing of cookies,
sessions or stores.

Mirrors golang/go src/encoding/json: encode.go (``Marshal``, ``encodeState.string``,
``floatEncoder.encode``, ``mapEncoder.encode``, ``resolveKeyName``), stream.go (``Encoder.Encode``,
``Decoder.Decode``, ``Decoder.readValue``), scanner.go (the state machine whose error texts we keep)
and decode.go (``literalInterface``, ``convertNumber``, ``unquote``). Rules: spec/json.md.

Output, with no insignificant whitespace (``Encoder.Encode`` adds one ``\\n``)::

    value  = "null" | "true" | "false" | integer | float | string | array | object
    float  = shortest round-trip digits (float32 or float64), ES6 layout: exponent form only
             below 1e-6 or from 1e21 on, written "1e-7" and "1e+21"
    string = '"' UTF-8 '"', with \\" \\\\ \\n \\r \\t \\b \\f, other controls as \\u00xx, HTML-safe
             \\u003c \\u003e \\u0026, \\u2028 \\u2029, each invalid UTF-8 byte as \\ufffd
    array  = "[" value ("," value)* "]"
    object = "{" string ":" value ("," ...)* "}"   members sorted by raw key bytes (maps)

Python ``str`` values stand for Go strings; invalid Go bytes travel as ``surrogateescape``
surrogates (U+DC80..U+DCFF stand for bytes 0x80..0xFF). Profiles name the Go release whose output
to reproduce (``PROFILES``). Reading follows the classic decoder: Go 1.27's v2-backed decoder gives
the same values but other texts for some syntax errors.

Modules: ``_encode`` (Marshal), ``_strconv`` (Go's float digits and quoting), ``_decode`` (the
scanner and Unmarshal into ``interface{}``).
"""

from ._decode import decode_first as decode_first
from ._decode import unmarshal as unmarshal
from ._encode import PROFILES as PROFILES
from ._encode import encode as encode
from ._encode import marshal as marshal

__all__ = ["PROFILES", "decode_first", "encode", "marshal", "unmarshal"]
