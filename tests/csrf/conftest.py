"""The live Go side of the csrf tests: `go-harness csrf-serve` (go-harness/csrf_serve.go)."""

from __future__ import annotations

import json
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import Harness
from tests.csrf._support import AUTH_KEY
from tests.e2e._servers import START_TIMEOUT, harness_binary

#: The Go app's trusted origins (csrf.TrustedOrigins).
TRUSTED = ("trusted.example.com", "127.0.0.1:1")


class GoCSRFServer:
    """A Go app behind csrf.Protect on 127.0.0.1, and its /verdict oracle."""

    def __init__(self) -> None:
        args = ["csrf-serve", "-port", "0", "-watch-stdin", "-auth-key", AUTH_KEY.hex()]
        for origin in TRUSTED:
            args += ["-trusted", origin]
        self.proc = subprocess.Popen(
            [str(harness_binary()), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        line: list[bytes] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(START_TIMEOUT)
        first = line[0].decode() if line else ""
        if not first.startswith("ready "):
            self.stop()
            raise RuntimeError(f"go-harness csrf-serve did not start: {first!r}")
        self.addr = first.split()[1]

    @property
    def url(self) -> str:
        return f"http://{self.addr}"

    def verdicts(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """What Go's csrf.Protect decides for each described request (POST /verdict)."""
        body = json.dumps(requests).encode()
        req = urllib.request.Request(self.url + "/verdict", data=body, method="POST")
        with urllib.request.urlopen(req, timeout=60) as resp:
            answers: list[dict[str, Any]] = json.loads(resp.read())
        return answers

    def stop(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        for f in (self.proc.stdout, self.proc.stderr):
            if f:
                f.close()


@pytest.fixture(scope="session")
def go_csrf(harness: Harness) -> Iterator[GoCSRFServer]:
    server = GoCSRFServer()
    try:
        yield server
    finally:
        server.stop()
