"""A Sphinx extension: after an HTML build, every internal link and anchor must resolve.

Sphinx checks cross-references; this checks what ends up in the pages: each ``href`` to a local
file must name a file of the build, and each ``#anchor`` an ``id`` in that file. A broken one is a
warning (an error under ``-W``). External links are counted, not fetched: the build may run with
no network (``make docs-linkcheck`` runs Sphinx's linkcheck builder where there is one).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "a" and a.get("name"):
            self.ids.add(str(a["name"]))
        if tag in ("a", "link") and a.get("href"):
            self.links.append(str(a["href"]))
        if tag in ("img", "script") and a.get("src"):
            self.links.append(str(a["src"]))


def _check(app: Sphinx, exc: BaseException | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    pages: dict[Path, _Page] = {}
    for html in out.rglob("*.html"):
        page = _Page()
        page.feed(html.read_text(encoding="utf-8"))
        pages[html.resolve()] = page
    external = 0
    for html, page in sorted(pages.items()):
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto"):
                external += 1
                continue
            if parts.scheme == "file" and parts.path.isupper():
                continue  # a placeholder of the CLI's store URLs (file:///DIR), linked by docutils
            if parts.scheme or parts.netloc:
                logger.warning("%s: link with an unexpected scheme: %s", html.relative_to(out), href)
                continue
            target = (html.parent / unquote(parts.path)).resolve() if parts.path else html
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                logger.warning("%s: broken link: %s", html.relative_to(out), href)
            elif parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
                logger.warning("%s: broken anchor: %s", html.relative_to(out), href)
    logger.info("checklinks: %d pages checked; %d external links not fetched", len(pages), external)


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("build-finished", _check)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
