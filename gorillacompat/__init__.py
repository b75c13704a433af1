"""gorillacompat: Go's gorilla wire formats (securecookie, sessions, gob, redistore) in Python.

What Go wrote, we read; what we write, Go reads, byte for byte.
Public modules mirror Go import paths: ``securecookie``, ``gob``, ``sessions``, ``redistore``.
"""

from .errors import (
    DecodeError as DecodeError,
)
from .errors import (
    GorillaError as GorillaError,
)
from .errors import (
    InternalError as InternalError,
)
from .errors import (
    MultiError as MultiError,
)
from .errors import (
    UsageError as UsageError,
)

__version__ = "0.1.0"

__all__ = ["DecodeError", "GorillaError", "InternalError", "MultiError", "UsageError", "__version__"]
