"""One headless Chromium for every real-browser test (tests/e2e, tests/packaging/test_docs.py).

Loopback only: ``--host-resolver-rules`` makes every host name but 127.0.0.1 (and the names a
test maps to it) fail to resolve. With CI=true a missing browser or driver is a failure.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import _need

CHROMEDRIVER = Path("/usr/bin/chromedriver")


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def chromium(
    *,
    map_hosts: Sequence[str] = (),
    args: Sequence[str] = (),
    capabilities: dict[str, Any] | None = None,
    page_timeout: float = 20,
) -> Iterator[Any]:
    """A selenium driver for headless Chromium; ``map_hosts`` resolve to 127.0.0.1 too."""
    binary = _chromium()
    if binary is None or not CHROMEDRIVER.exists():
        _need("headless Chromium and chromedriver (Debian: apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options as ChromeOptions
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _need("selenium")
    opts = ChromeOptions()
    opts.binary_location = str(binary)
    rules = ", ".join([*(f"MAP {h} 127.0.0.1" for h in map_hosts), "MAP * ~NOTFOUND", "EXCLUDE 127.0.0.1"])
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        f"--host-resolver-rules={rules}",
        *args,
    ):
        opts.add_argument(arg)
    for name, value in (capabilities or {}).items():
        opts.set_capability(name, value)
    driver = webdriver.Chrome(options=opts, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(page_timeout)
    try:
        yield driver
    finally:
        driver.quit()
