"""The release checks (``make dist``, ``make docs``): they build, install and render, so they run
only when asked for with ``-m packaging``; ``make test``'s run deselects them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "packaging" in (config.option.markexpr or ""):
        return
    keep = [i for i in items if HERE not in i.path.parents]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if HERE in i.path.parents])
        items[:] = keep
