"""Sphinx configuration of the documentation site (``make docs``; warnings are errors there).

Sphinx rather than MkDocs: autodoc reads the docstrings (RST, as the code writes them) from the
imported package, sphinx-click renders the CLI reference from the click tree itself, myst-parser
takes the existing Markdown pages (README, migration, security) unchanged, and ``-W`` turns every
broken reference into a failure. The theme is furo.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import gorillacompat  # noqa: E402

project = "gorillacompat"
author = "the gorillacompat authors"
copyright = "2026, the gorillacompat authors"
release = version = gorillacompat.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx_click",
    "checklinks",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "_ext"]
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_mock_imports: list[str] = []

html_theme = "furo"
html_title = f"gorillacompat {release}"
html_show_sourcelink = False
html_copy_source = False
html_static_path = ["_static"]
html_css_files = ["custom.css"]
