"""The live Go side of the csrf tests: `go-harness csrf-serve` (go-harness/csrf_serve.go)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import Harness
from tests.csrf._support import AUTH_KEY
from tests.e2e._servers import GoServer

#: The Go app's trusted origins (csrf.TrustedOrigins).
TRUSTED = ("trusted.example.com", "127.0.0.1:1")


class GoCSRFServer(GoServer):
    """A Go app behind csrf.Protect on 127.0.0.1, and its /verdict oracle."""

    command = "csrf-serve"

    def __init__(self) -> None:
        args = ["-auth-key", AUTH_KEY.hex()]
        for origin in TRUSTED:
            args += ["-trusted", origin]
        super().__init__(*args)
        self.start()

    def verdicts(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """What Go's csrf.Protect decides for each described request (POST /verdict)."""
        body = json.dumps(requests).encode()
        req = urllib.request.Request(self.url + "/verdict", data=body, method="POST")
        with urllib.request.urlopen(req, timeout=60) as resp:
            answers: list[dict[str, Any]] = json.loads(resp.read())
        return answers


@pytest.fixture(scope="session")
def go_csrf(harness: Harness) -> Iterator[GoCSRFServer]:
    server = GoCSRFServer()
    try:
        yield server
    finally:
        server.stop()
