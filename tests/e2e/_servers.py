"""Loopback servers for live session interop: the Go app (go-harness serve) and Python apps.

Every server listens on 127.0.0.1 only, starts within a bounded time and is stopped by the
fixture that started it. Used by tests/sessions/test_adapters.py, tests/e2e/test_browser.py,
tests/e2e/test_browser_redis.py, tests/redistore/test_shared_login.py, and (GinServer, a Gin
app) tests/gin/ and tests/e2e/test_browser_gin.py.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import HARNESS_BIN, HARNESS_DIR, _need

#: Keys shared by the Go app and the Python apps (hash, block), hex in the harness flags.
HASH_KEY = bytes(range(1, 33))
BLOCK_KEY = bytes(range(101, 133))
COOKIE_NAME = "gsession"
START_TIMEOUT = 30.0
#: Go: redistore's sessionExpire, the default Options.MaxAge (seconds).
SESSION_EXPIRE = 86400 * 30


def harness_binary() -> Path:
    """go-harness, rebuilt when a .go file is newer than the binary (serve.go may be new)."""
    sources = list(HARNESS_DIR.glob("*.go")) + [HARNESS_DIR / "go.mod", HARNESS_DIR / "go.sum"]
    newest = max(p.stat().st_mtime for p in sources)
    if HARNESS_BIN.exists() and HARNESS_BIN.stat().st_mtime >= newest:
        return HARNESS_BIN
    if shutil.which("go") is None:
        if HARNESS_BIN.exists():
            return HARNESS_BIN  # stale but usable if it has `serve`
        _need("Go (to build go-harness)")
    subprocess.run(["go", "build", "-o", str(HARNESS_BIN), "."], cwd=HARNESS_DIR, check=True, timeout=600)
    return HARNESS_BIN


class GoServer:
    """`go-harness serve`: a gorilla/sessions app on 127.0.0.1 (see go-harness/serve.go)."""

    #: The harness subcommand that serves (it prints "ready <addr>" and stops when stdin closes).
    command = "serve"

    def __init__(self, *args: str) -> None:
        self.args = args
        self.proc: subprocess.Popen[bytes] | None = None
        self.addr = ""

    @property
    def url(self) -> str:
        return f"http://{self.addr}"

    def start(self) -> GoServer:
        cmd = [str(harness_binary()), self.command, "-port", "0", "-watch-stdin", *self.args]
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        line: list[bytes] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(START_TIMEOUT)
        first = line[0].decode() if line else ""
        if not first.startswith("ready "):
            self.stop()
            err = self.proc.stderr.read().decode() if self.proc.stderr else ""
            raise RuntimeError(f"go-harness {self.command} did not start: {first!r} {err[-2000:]}")
        self.addr = first.split()[1]
        return self

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.stdin:
            self.proc.stdin.close()  # -watch-stdin: the server exits on EOF
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        for f in (self.proc.stdout, self.proc.stderr):
            if f:
                f.close()

    def get(self, path: str, cookie: str | None = None) -> tuple[int, Any, list[str]]:
        """GET path → (status, JSON body, Set-Cookie headers)."""
        return http_get(self.url + path, cookie)


def http_get(url: str, cookie: str | None = None, timeout: float = 10) -> tuple[int, Any, list[str]]:
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read()), resp.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as e:
        body = e.read()
        e.close()
        return e.code, json.loads(body or b"null"), []


@contextmanager
def go_server(*args: str) -> Iterator[GoServer]:
    server = GoServer(*args).start()
    try:
        yield server
    finally:
        server.stop()


class GinServer(GoServer):
    """`go-harness gin-serve`: a Gin app on gin-contrib/sessions v1.0.4 (go-harness/gin_serve.go)."""

    command = "gin-serve"


@contextmanager
def gin_server(*args: str) -> Iterator[GinServer]:
    server = GinServer(*args)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def go_key_flags(hash_key: bytes = HASH_KEY, block_key: bytes | None = BLOCK_KEY) -> list[str]:
    flags = ["-name", COOKIE_NAME, "-hash-key", hash_key.hex()]
    if block_key:
        flags += ["-block-key", block_key.hex()]
    return flags


def go_redis_flags(redis_addr: str, flavor: str = "v2", key_prefix: str | None = None) -> list[str]:
    """go-harness serve flags for the real boj/redistore (``-store redis``, serve_redis.go)."""
    flags = ["-store", "redis", "-redis-addr", redis_addr, "-redistore", flavor]
    if key_prefix is not None:
        flags += ["-redis-prefix", key_prefix]
    return flags


def _loopback_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def wsgi_server(app: Any) -> Iterator[str]:
    """A threaded werkzeug server on 127.0.0.1; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def asgi_server(app: Any) -> Iterator[str]:
    """uvicorn in a thread on 127.0.0.1 (its own event loop); yields its base URL."""
    import uvicorn

    sock = _loopback_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, lifespan="off", ws="none", log_level="warning", access_log=False)
    server = uvicorn.Server(config)

    def run() -> None:
        asyncio.run(server.serve(sockets=[sock]))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
