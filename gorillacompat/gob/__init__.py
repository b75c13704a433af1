"""Go's encoding/gob, byte for byte (Go: ``encoding/gob``).

``dumps(value)`` writes what a fresh Go process's ``gob.NewEncoder(w).Encode(value)`` writes;
``loads(data)`` reads any gob stream into Go-typed values (``values``) that re-encode to the same
bytes. ``Encoder``/``Decoder`` handle streams of several values. ``Registry`` is Go's
``gob.Register`` table.

Layering: ``errors``, ``values`` (the Go value model, shared with gojson and jsonview) and ``_time``
← ``gob``; the codec knows nothing of cookies or sessions. Inside: ``_wire`` ← ``_typedesc`` ←
``registry`` ← ``decoder``, ``encoder``. The value types are re-exported here (``gob.GoMap``).
"""

from ..values import Complex64 as Complex64
from ..values import Float32 as Float32
from ..values import GoArray as GoArray
from ..values import GoInterface as GoInterface
from ..values import GoMap as GoMap
from ..values import GoNamed as GoNamed
from ..values import GoNil as GoNil
from ..values import GoOpaque as GoOpaque
from ..values import GoPointer as GoPointer
from ..values import GoSlice as GoSlice
from ..values import GoStruct as GoStruct
from ..values import GoTime as GoTime
from ..values import Int8 as Int8
from ..values import Int16 as Int16
from ..values import Int32 as Int32
from ..values import Int64 as Int64
from ..values import Uint as Uint
from ..values import Uint8 as Uint8
from ..values import Uint16 as Uint16
from ..values import Uint32 as Uint32
from ..values import Uint64 as Uint64
from ..values import Uintptr as Uintptr
from ..values import go_key as go_key
from ..values import go_type_of as go_type_of
from .decoder import Decoder as Decoder
from .decoder import loads as loads
from .encoder import Encoder as Encoder
from .encoder import dumps as dumps
from .registry import Registry as Registry
from .registry import default_registry as default_registry
from .registry import register as register

__all__ = [
    "Complex64",
    "Decoder",
    "Encoder",
    "Float32",
    "GoArray",
    "GoInterface",
    "GoMap",
    "GoNamed",
    "GoNil",
    "GoOpaque",
    "GoPointer",
    "GoSlice",
    "GoStruct",
    "GoTime",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "Uint",
    "Uint8",
    "Uint16",
    "Uint32",
    "Uint64",
    "Registry",
    "Uintptr",
    "default_registry",
    "dumps",
    "go_key",
    "go_type_of",
    "loads",
    "register",
]
