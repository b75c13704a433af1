"""The documentation site ``make docs`` built: complete where it promises to be, and visibly rendered.

- The Go ↔ Python map names every exported Go name of the pinned modules (``go doc``), and every
  Python name in it imports (keyword arguments included).
- The CLI reference has every command of the click tree.
- Headless Chromium screenshots the start page and the map (kept in build/docs/screenshots/ for a
  person to look at); a blank or unstyled page fails.
"""

from __future__ import annotations

import importlib
import inspect
import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests._browser import chromium
from tests.conftest import ROOT, _need
from tests.packaging._gomap import go_api
from tests.packaging._support import need_built

pytestmark = pytest.mark.packaging

MAP = ROOT / "docs" / "go-python.md"
HTML = ROOT / "build" / "docs" / "html"
SHOTS = ROOT / "build" / "docs" / "screenshots"
#: The modules the map's Python column names (relative to gorillacompat).
PYTHON_MODULES = {
    "securecookie",
    "sessions",
    "gob",
    "redistore",
    "errors",
    "serializers",
    "values",
    "pgstore",
    "memcache",
    "gormstore",
}
PAGES = [
    "go-python",
    "values",
    "stores",
    "pgstore",
    "memcache",
    "gormstore",
    "gin",
    "adapters",
    "cli",
    "api",
    "migration",
    "SECURITY",
    "deprecation",
    "changelog",
]


def _rows() -> list[tuple[list[str], list[str]]]:
    """(Go names, Python names) of each row of the map's table."""
    rows = []
    for line in MAP.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| `") or len(cells) != 3:
            continue
        go = re.findall(r"`([^`]+)`", cells[0])
        py = re.findall(r"`([^`]+)`", cells[1])
        rows.append((go, py if cells[1] != "—" else []))
    return rows


def test_the_map_covers_every_exported_go_name() -> None:
    if shutil.which("go") is None:
        _need("Go (go doc reads the pinned modules)")
    mapped = {name for go, _ in _rows() for name in go}
    api = go_api(ROOT / "go-harness")
    assert len(api) > 150
    assert not sorted(api - mapped), "Go names missing from docs/go-python.md"
    assert not sorted(mapped - api), "names in docs/go-python.md that Go does not export"


def test_every_row_has_a_python_name_or_says_why_not() -> None:
    for line in MAP.read_text().splitlines():
        if line.startswith("| `"):
            go, py, notes = (c.strip() for c in line.strip().strip("|").split("|"))
            assert py.startswith("`") or (py == "—" and notes), line


def _resolve(name: str) -> None:
    """Import ``gorillacompat.<name>``: ``a.b.C.attr`` or ``a.b.C(kw=)`` or ``a.b.C(positional)``."""
    call = re.fullmatch(r"([\w.]+)\((.*)\)", name)
    dotted, args = (call.group(1), call.group(2)) if call else (name, None)
    parts = dotted.split(".")
    obj: Any = None
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module("gorillacompat." + ".".join(parts[:i]))
        except ImportError:
            continue
        rest = parts[i:]
        break
    assert obj is not None, name
    owner: Any = None
    for attr in rest:
        owner, obj = obj, getattr(obj, attr, _Missing(obj, attr))
    if isinstance(obj, _Missing):  # an instance attribute: set in __init__ or declared on the class
        classes = [c for c in inspect.getmro(owner) if c.__module__.startswith("gorillacompat")]
        src = "".join(inspect.getsource(c) for c in classes)
        assert re.search(rf"self\.{obj.attr}\b[:\s]*[:=]|^    {obj.attr}:", src, re.M), name
        return
    if args is not None and "=" in args:
        params = inspect.signature(obj).parameters
        for kw in re.findall(r"(\w+)=", args):
            assert kw in params, f"{name}: {dotted} takes no {kw}="


class _Missing:
    def __init__(self, owner: object, attr: str) -> None:
        self.owner, self.attr = owner, attr


@pytest.mark.parametrize("python_name", sorted({p for _, py in _rows() for p in py if p[0].islower()}))
def test_every_python_name_in_the_map_exists(python_name: str) -> None:
    assert python_name.split(".")[0] in PYTHON_MODULES, "not a gorillacompat module"
    _resolve(python_name)


def test_the_cli_reference_has_every_command() -> None:
    page = need_built("build/docs/html/cli.html", "make docs")[0].read_text()
    from gorillacompat.cli._app import cli

    def walk(group: Any, prefix: str) -> Iterator[str]:
        for name, cmd in group.commands.items():
            yield f"{prefix} {name}"
            if hasattr(cmd, "commands"):
                yield from walk(cmd, f"{prefix} {name}")

    commands = list(walk(cli, "gorillacompat"))
    assert len(commands) > 10
    for command in commands:  # a section per command, with its own options
        assert f'<section id="{command.replace(" ", "-")}">' in page, command


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    args = ["--disable-background-networking", "--window-size=1280,1000"]
    with chromium(args=args, page_timeout=30) as driver:
        yield driver


def _ink(png: bytes) -> tuple[float, int]:
    """(share of pixels that differ from the most common colour, number of distinct colours)."""
    import io

    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    colors = img.getcolors(maxcolors=1 << 20) or []
    total = img.width * img.height
    background = max(colors)[0] if colors else total
    return 1 - background / total, len(colors)


@pytest.mark.parametrize(
    ("page", "heading"), [("index.html", "gorillacompat"), ("go-python.html", "Go ↔ Python map")]
)
def test_screenshot_is_not_blank(browser: Any, page: str, heading: str) -> None:
    (path,) = need_built(f"build/docs/html/{page}", "make docs")
    browser.get(path.as_uri())
    assert heading in browser.find_element("css selector", "h1").text
    # furo's stylesheet loaded: the sidebar is laid out beside the content, not above it.
    sidebar = browser.find_element("css selector", ".sidebar-drawer")
    content = browser.find_element("css selector", "article")
    assert sidebar.is_displayed() and sidebar.location["x"] < content.location["x"], "unstyled page"
    SHOTS.mkdir(parents=True, exist_ok=True)
    png = browser.get_screenshot_as_png()
    (SHOTS / page.replace(".html", ".png")).write_bytes(png)
    ink, colors = _ink(png)
    assert ink > 0.03 and colors > 16, f"{page} looks blank: {ink:.1%} ink, {colors} colours"


def test_the_built_site_has_every_page() -> None:
    need_built("build/docs/html/index.html", "make docs")
    for page in PAGES:
        assert (HTML / f"{page}.html").exists(), page
    api = (HTML / "api.html").read_text()
    assert 'id="gorillacompat.securecookie.SecureCookie"' in api, "the API reference has no autodoc output"
