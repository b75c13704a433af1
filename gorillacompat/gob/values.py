"""The Go value types, under the name they had before they became their own layer.

They live in :mod:`gorillacompat.values` (below gob, gojson and jsonview alike); this module keeps
``from gorillacompat.gob.values import GoMap`` working.
"""

from __future__ import annotations

from ..values import *  # noqa: F403
from ..values import __all__ as __all__
