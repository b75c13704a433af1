"""Requests per second through each gorillacompat adapter vs the same bare app (not a test).

    python tests/bench/bench_adapters.py [--seconds 1]

In-process, no sockets: each framework's app is called directly (WSGI ``app(environ,
start_response)``, ASGI ``await app(scope, receive, send)``), so the numbers show what the adapter
adds per request, not network or server cost. Per framework:
  bare   the route, adapter removed (Flask on its own cookie sessions, untouched)
  noop   the same route with the adapter installed (session not used; ASGI decodes eagerly)
  read   /whoami with a valid Go session cookie (decode, no Set-Cookie)
  write  /login with the cookie (decode + encode + Set-Cookie)
CookieStore with AES-256 + HMAC-SHA256, as a Go app would configure it.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from gorillacompat.sessions import CookieStore  # noqa: E402
from tests.e2e._apps import APPS, ASGI  # noqa: E402
from tests.e2e._servers import BLOCK_KEY, COOKIE_NAME, HASH_KEY  # noqa: E402


def bare_app(framework: str) -> Any:
    """The same app with the adapter taken out (Flask back on its own cookie sessions)."""
    app = APPS[framework](CookieStore(HASH_KEY, BLOCK_KEY), COOKIE_NAME)
    if framework == "wsgi":
        return app.app
    if framework == "flask":
        from flask.sessions import SecureCookieSessionInterface

        app.session_interface = SecureCookieSessionInterface()
        return app
    if framework in ASGI:
        app.user_middleware.clear()  # the stack is built on the first call
        return app
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    saved, settings.MIDDLEWARE = settings.MIDDLEWARE, []
    try:
        return WSGIHandler()
    finally:
        settings.MIDDLEWARE = saved


def _cookie() -> str:
    store = CookieStore(HASH_KEY, BLOCK_KEY)
    s = store.new({}, COOKIE_NAME)
    s.values["user"] = "ann"
    s.values["roles"] = ["admin", "editor"]
    return f"{COOKIE_NAME}={store.save(s).split(';')[0].split('=', 1)[1]}"


def wsgi_caller(app: Any, path: str, cookie: str) -> Callable[[], None]:
    p, _, q = path.partition("?")
    base = {
        "REQUEST_METHOD": "GET", "PATH_INFO": p, "QUERY_STRING": q, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie, "SCRIPT_NAME": "", "wsgi.url_scheme": "http", "wsgi.version": (1, 0),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }  # fmt: skip

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        assert status.startswith("200"), status
        return None

    def call() -> None:
        env = dict(base, **{"wsgi.input": io.BytesIO()})
        body = app(env, start_response)
        for _ in body:
            pass
        close = getattr(body, "close", None)
        if close:
            close()

    return call


def asgi_runner(app: Any, path: str, cookie: str) -> Callable[[int], float]:
    p, _, q = path.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": p, "raw_path": p.encode(), "query_string": q.encode(),
        "root_path": "", "headers": [(b"host", b"127.0.0.1"), (b"cookie", cookie.encode())],
        "client": ("127.0.0.1", 1234), "server": ("127.0.0.1", 80),
    }  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            assert message["status"] == 200, message

    async def loop(n: int) -> float:
        t = time.perf_counter()
        for _ in range(n):
            await app(dict(scope), receive, send)
        return time.perf_counter() - t

    return lambda n: asyncio.run(loop(n))


def rate(run: Callable[[int], float], seconds: float) -> float:
    """Requests per second: best of 3 runs sized to take about ``seconds`` / 3 each."""
    n = 50
    while (elapsed := run(n)) < 0.05:
        n *= 4
    n = max(1, int(n * seconds / 3 / elapsed))
    return max(n / run(n) for _ in range(3))


def bench(framework: str, seconds: float) -> dict[str, float]:
    cookie = _cookie()
    out = {}
    for label, path in (
        ("bare", "/noop"),
        ("noop", "/noop"),
        ("read", "/whoami"),
        ("write", "/login?user=bob"),
    ):
        app = (
            bare_app(framework)
            if label == "bare"
            else APPS[framework](CookieStore(HASH_KEY, BLOCK_KEY), COOKIE_NAME)
        )
        if framework in ASGI:
            out[label] = rate(asgi_runner(app, path, cookie), seconds)
        else:
            call = wsgi_caller(app, path, cookie)

            def run(n: int, call: Callable[[], None] = call) -> float:
                t = time.perf_counter()
                for _ in range(n):
                    call()
                return time.perf_counter() - t

            out[label] = rate(run, seconds)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    ap.add_argument("frameworks", nargs="*", default=list(APPS))
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    print(f"{'framework':<10} {'bare':>9} {'noop':>9} {'read':>9} {'write':>9}   (requests/s, in-process)")
    for fw in args.frameworks:
        r = bench(fw, args.seconds)
        print(
            f"{fw:<10} {r['bare']:>9,.0f} {r['noop']:>9,.0f} {r['read']:>9,.0f} {r['write']:>9,.0f}"
            f"   noop/read/write = {r['noop'] / r['bare']:.0%}/{r['read'] / r['bare']:.0%}"
            f"/{r['write'] / r['bare']:.0%} of bare"
        )


if __name__ == "__main__":
    main()
