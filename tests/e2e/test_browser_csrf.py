"""A real headless Chromium posts forms between a Go app on gorilla/csrf and a Flask app on ours.

The Go app is the REAL gorilla/csrf v1.7.3 ``csrf.Protect`` (``go-harness csrf-serve -plaintext``,
go-harness/csrf_serve.go); the Flask app is :class:`gorillacompat.csrf.adapters.flask.CSRFProtect`
with the same 32-byte auth key. Both run plain HTTP on 127.0.0.1 (two ports, one host), so the
browser holds one ``_gorilla_csrf`` cookie for 127.0.0.1 that both apps read and write. Plain HTTP
is Go's ``csrf.PlaintextHTTPRequest`` case (the harness wraps every request, as a plain-HTTP Go app
must; the Flask adapter takes ``http`` from the request): an ``Origin`` must be the app's own or a
trusted one, and no ``Referer`` is needed. Each app trusts the other's origin
(``csrf.TrustedOrigins`` / ``trusted_origins``), as two apps that post to each other must.

- A form rendered by Go (``csrf.TemplateField``) and submitted to Flask passes, and the reverse;
  whichever app minted the cookie, the other masks and checks the same real token.
- A forged POST from another origin — an auto-submitting form or a ``fetch`` with credentials, on
  a page of a cross-site origin (``http://attacker.test:<port>``, mapped to 127.0.0.1 in the
  browser only) or of a same-site one (``http://127.0.0.1:<other port>``, where the Lax cookie
  IS sent) — is refused by Go and by Flask alike: 403, ``Forbidden - origin invalid``, the same
  headers (text/plain, nosniff, length). When the forged request carried no cookie, both send a
  fresh one with the refusal (Go's ServeHTTP does); Chromium keeps it from the forged top-level
  form, so that forgery replaces the victim's token — in Go as in ours.
- The scheme matters as in Go: the same apps taking their plain-HTTP requests for TLS (Go
  without ``csrf.PlaintextHTTPRequest``; Flask told https) refuse their own forms, because
  ``Origin: http://host`` is not the origin ``https://host``.

What the browser really sent and got (``Origin``, ``Cookie``, status, ``Set-Cookie``) is read from
Chromium's own network log (``goog:loggingPrefs`` performance), not inferred.

Needs ``chromium`` and ``chromium-driver`` (Debian) and Go; with CI=true their absence fails.
"""

from __future__ import annotations

import html
import http.server
import json
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from gorillacompat.csrf import CSRF
from tests._browser import chromium
from tests.conftest import Harness
from tests.csrf._support import AUTH_KEY
from tests.e2e._servers import GoServer, wsgi_server

pytestmark = pytest.mark.live

PAGE_TIMEOUT = 20
COOKIE = "_gorilla_csrf"
FIELD = "gorilla.csrf.Token"
#: A cross-site origin for the forger's page; the browser maps it to 127.0.0.1 (no DNS).
ATTACKER_HOST = "attacker.test"
#: Go's default csrf.ErrorHandler answer for ErrBadOrigin (http.Error).
ORIGIN_INVALID = "Forbidden - origin invalid\n"


# -- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # The forger's host name resolves to 127.0.0.1 (loopback only); the network log shows what
    # the browser really sent.
    with chromium(
        map_hosts=[ATTACKER_HOST],
        capabilities={"goog:loggingPrefs": {"performance": "ALL"}},
        page_timeout=PAGE_TIMEOUT,
    ) as driver:
        yield driver


@dataclass
class Exchange:
    """One request as Chromium's network log shows it: what was sent, what came back."""

    url: str
    method: str
    request_id: str
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)


def _lower(headers: dict[str, Any]) -> dict[str, str]:
    return {k.lower(): str(v) for k, v in headers.items()}


def network_log(driver: Any) -> list[Exchange]:
    """The requests since the last call (the log is drained), in the order they were sent."""
    exchanges: dict[str, Exchange] = {}
    extra: dict[str, dict[str, Any]] = {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        method, params = message["method"], message.get("params", {})
        rid = params.get("requestId")
        if method == "Network.requestWillBeSent":
            req = params["request"]
            exchanges[rid] = Exchange(req["url"], req["method"], rid, req.get("postData", ""))
        elif method == "Network.requestWillBeSentExtraInfo":  # the headers as sent, Cookie too
            extra.setdefault(rid, {})["headers"] = _lower(params["headers"])
        elif method == "Network.responseReceived":
            extra.setdefault(rid, {})["status"] = params["response"]["status"]
        elif method == "Network.responseReceivedExtraInfo":  # raw, Set-Cookie too
            extra.setdefault(rid, {})["response_headers"] = _lower(params["headers"])
    for rid, info in extra.items():
        if rid in exchanges:
            for key, value in info.items():
                setattr(exchanges[rid], key, value)
    return list(exchanges.values())


def _wait(driver: Any, done: Callable[[Any], object]) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, PAGE_TIMEOUT).until(done)


def _body_text(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    pres = driver.find_elements(By.TAG_NAME, "pre")
    return str(pres[0].text if pres else driver.find_element(By.TAG_NAME, "body").text)


# -- the servers -------------------------------------------------------------------------------


class GoCSRFApp(GoServer):
    """`go-harness csrf-serve`: gorilla/csrf's csrf.Protect in front of a small app."""

    command = "csrf-serve"


class _Deferred:
    """A WSGI app set after its server listens (the apps must know each other's ports)."""

    app: Any = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        result: Iterable[bytes] = self.app(environ, start_response)
        return result


FORM_PAGE = """<!doctype html>
<title>Flask form</title>
<form id="f" method="post" action="{{ action }}">
{{ csrf_field() }}
<input name="msg" value="from Flask">
<button id="send" type="submit">send</button>
</form>
"""


def flask_csrf_app(csrf: CSRF) -> Any:
    """The Go app's routes in Flask, behind gorillacompat.csrf's CSRFProtect."""
    from flask import Flask, jsonify, render_template_string, request

    from gorillacompat.csrf.adapters.flask import CSRFProtect

    app = Flask("flask_csrf_app")
    CSRFProtect(app, csrf)

    @app.get("/form")
    def form() -> Any:
        return render_template_string(FORM_PAGE, action=request.args.get("action", "/submit"))

    @app.post("/submit")
    def submit() -> Any:
        return jsonify(ok=True, msg=request.form.get("msg", ""))

    return app


FORGED_FORM = """<!doctype html>
<title>You won a prize</title>
<body onload="document.forms[0].submit()">
<form method="post" action="{target}"><input type="hidden" name="msg" value="forged"></form>
"""

FORGED_FETCH = """<!doctype html>
<title>loading</title>
<script>
fetch({target}, {{method: "POST", mode: "no-cors", credentials: "include",
                  body: new URLSearchParams({{msg: "forged"}})}})
  .then(() => {{ document.title = "sent"; }}, () => {{ document.title = "failed"; }});
</script>
"""


class _Forger(http.server.BaseHTTPRequestHandler):
    """The other origin's pages: GET /form?target=URL and GET /fetch?target=URL."""

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        target = urllib.parse.parse_qs(url.query).get("target")
        if url.path not in ("/form", "/fetch") or not target:
            self.send_error(404)  # /favicon.ico
            return
        if url.path == "/form":
            page = FORGED_FORM.format(target=html.escape(target[0]))
        else:
            page = FORGED_FETCH.format(target=json.dumps(target[0]))
        body = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def forger_server() -> Iterator[int]:
    """The forger's site on 127.0.0.1; yields its port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Forger)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class Apps:
    """The Go app, the Flask app and the forger's site, and the browser that visits them."""

    def __init__(self, driver: Any, go: str, flask: str, forger_port: int) -> None:
        self.driver = driver
        self.urls = {"go": go, "flask": flask}
        self.forger_port = forger_port

    def csrf_cookies(self) -> list[dict[str, Any]]:
        return [c for c in self.driver.get_cookies() if c["name"] == COOKIE]

    def open_form(self, app: str, action: str) -> Any:
        """GET app's /form posting to ``action``; the page's token field."""
        from selenium.webdriver.common.by import By

        self.driver.get(self.urls[app] + "/form?" + urllib.parse.urlencode({"action": action}))
        return self.driver.find_element(By.NAME, FIELD)

    def submit(self) -> None:
        from selenium.webdriver.common.by import By

        page = self.driver.current_url
        self.driver.find_element(By.ID, "send").click()
        _wait(self.driver, lambda d: d.current_url != page)
        _wait(self.driver, lambda d: d.execute_script("return document.readyState") == "complete")


def _as_https(wsgi: Any) -> Any:
    """The request's scheme says https (an app told so by a proxy, e.g. ProxyFix)."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ["wsgi.url_scheme"] = "https"
        result: Iterable[bytes] = wsgi(environ, start_response)
        return result

    return app


@contextmanager
def running_apps(driver: Any, *, plaintext: bool) -> Iterator[Apps]:
    """Go and Flask, each trusting the other's origin, and the forger's site.

    ``plaintext``: Go wraps each request in csrf.PlaintextHTTPRequest and Flask sees ``http``,
    as apps served over plain HTTP should; otherwise both take the request for TLS (Go's
    default since v1.7.3; Flask behind a proxy that says https).
    """
    with ExitStack() as stack:
        deferred = _Deferred()
        flask = stack.enter_context(wsgi_server(deferred))
        args = ["-auth-key", AUTH_KEY.hex(), "-secure=false", "-trusted", urllib.parse.urlsplit(flask).netloc]
        go = GoCSRFApp(*args, *(["-plaintext"] if plaintext else [])).start()
        stack.callback(go.stop)
        # Plain HTTP: Go's csrf.Secure(false) and ours; Go sets csrf.Path("/"), ours defaults to it.
        app = flask_csrf_app(CSRF(AUTH_KEY, secure=False, trusted_origins=[go.addr]))
        deferred.app = app if plaintext else _as_https(app)
        forger = stack.enter_context(forger_server())
        yield Apps(driver, go.url, flask, forger)


@pytest.fixture(scope="module")
def apps(harness: Harness, browser: Any) -> Iterator[Apps]:
    with running_apps(browser, plaintext=True) as running:
        yield running
    browser.delete_all_cookies()


def _fresh(apps: Apps) -> Apps:
    """No CSRF cookie yet and an empty network log."""
    apps.driver.get(apps.urls["go"] + "/token")
    apps.driver.delete_all_cookies()
    network_log(apps.driver)
    return apps


@pytest.fixture
def fresh(apps: Apps) -> Apps:
    return _fresh(apps)


# -- legitimate forms, both ways ---------------------------------------------------------------


def test_go_form_page(fresh: Apps) -> None:
    """Go's csrf.TemplateField renders the hidden token and sets the cookie the browser keeps."""
    field = fresh.open_form("go", fresh.urls["flask"] + "/submit")
    assert field.get_attribute("type") == "hidden"
    assert len(field.get_attribute("value")) == 88  # base64 of pad || pad XOR token (64 bytes)
    (cookie,) = fresh.csrf_cookies()
    assert cookie["domain"] == "127.0.0.1" and cookie["path"] == "/"
    assert cookie["httpOnly"] is True and cookie["secure"] is False and cookie["sameSite"] == "Lax"


@pytest.mark.parametrize("minted_by", ["renderer", "other"])
@pytest.mark.parametrize(
    ("renderer", "receiver"), [("go", "flask"), ("flask", "go"), ("go", "go"), ("flask", "flask")]
)
def test_form_rendered_by_one_app_passes_the_other(
    fresh: Apps, renderer: str, receiver: str, minted_by: str
) -> None:
    other = "flask" if renderer == "go" else "go"
    if minted_by == "other":
        fresh.driver.get(fresh.urls[other] + "/form")  # the other app sets the cookie first
    action = fresh.urls[receiver] + "/submit"
    token = fresh.open_form(renderer, action).get_attribute("value")
    (cookie,) = fresh.csrf_cookies()
    fresh.submit()

    assert fresh.driver.current_url == action
    sent = {"go": "from Go", "flask": "from Flask"}[renderer]
    assert json.loads(_body_text(fresh.driver)) == {"ok": True, "msg": sent}
    (post,) = [x for x in network_log(fresh.driver) if x.method == "POST"]
    assert post.url == action and post.status == 200
    assert post.headers["origin"] == fresh.urls[renderer]  # checked: own origin or trusted
    assert f"{COOKIE}={cookie['value']}" in post.headers["cookie"]
    assert urllib.parse.parse_qs(post.body) == {FIELD: [token], "msg": [sent]}
    assert "set-cookie" not in post.response_headers  # the cookie was valid: kept
    assert fresh.csrf_cookies() == [cookie]


# -- forgeries from another origin -------------------------------------------------------------


FORGERS = {
    # Another site: the SameSite=Lax cookie stays home, and Origin names the forger.
    "cross-site": (ATTACKER_HOST, False),
    # Same site (cookies ignore the port), another origin: the cookie IS sent; Origin stops it.
    "same-site": ("127.0.0.1", True),
}


@pytest.mark.parametrize("vector", ["form", "fetch"])
@pytest.mark.parametrize("forger", list(FORGERS))
@pytest.mark.parametrize("target", ["go", "flask"])
def test_forged_post_from_another_origin_is_refused(
    fresh: Apps, target: str, forger: str, vector: str
) -> None:
    host, cookie_sent = FORGERS[forger]
    fresh.open_form("go", "/submit")  # the victim has a CSRF cookie (and a page with a token)
    (cookie,) = fresh.csrf_cookies()
    network_log(fresh.driver)

    forger_origin = f"http://{host}:{fresh.forger_port}"
    action = fresh.urls[target] + "/submit"
    fresh.driver.get(forger_origin + f"/{vector}?" + urllib.parse.urlencode({"target": action}))
    if vector == "form":  # the page submits itself on load: the browser lands on the answer
        _wait(fresh.driver, lambda d: d.current_url == action)
        assert _body_text(fresh.driver) == ORIGIN_INVALID.strip()
    else:
        _wait(fresh.driver, lambda d: d.title in ("sent", "failed"))
        assert fresh.driver.title == "sent"  # an opaque answer: the forger cannot read it

    (post,) = [x for x in network_log(fresh.driver) if x.method == "POST"]
    assert post.url == action
    assert post.headers["origin"] == forger_origin
    assert (f"{COOKIE}={cookie['value']}" in post.headers.get("cookie", "")) is cookie_sent
    assert post.status == 403
    assert post.response_headers["content-type"] == "text/plain; charset=utf-8"
    assert post.response_headers["x-content-type-options"] == "nosniff"
    # The fetch's opaque body never reaches the page (Chromium's ORB); its length is the reason's.
    assert post.response_headers["content-length"] == str(len(ORIGIN_INVALID))
    # Go's ServeHTTP sends a fresh cookie when the request had none, refused or not; so does ours.
    assert ("set-cookie" in post.response_headers) is not cookie_sent
    # Chromium stores a cookie set by a top-level navigation, cross-site or not, and ignores one
    # set by a cross-site fetch: the forged form (in Go as in ours) replaces the victim's token.
    (after,) = [
        c for c in fresh.driver.execute_cdp_cmd("Storage.getCookies", {})["cookies"] if c["name"] == COOKIE
    ]
    replaced = not cookie_sent and vector == "form"
    assert (after["value"] != cookie["value"]) is replaced


# -- the scheme matters: Go's PlaintextHTTPRequest, the URL's scheme here -----------------------


@pytest.fixture(scope="module")
def tls_assumed(harness: Harness, browser: Any) -> Iterator[Apps]:
    """The same apps on plain HTTP, but each taking its requests for TLS."""
    with running_apps(browser, plaintext=False) as running:
        yield running
    browser.delete_all_cookies()


@pytest.mark.parametrize("app", ["go", "flask"])
def test_own_form_is_refused_when_a_plain_http_app_assumes_tls(tls_assumed: Apps, app: str) -> None:
    """Without csrf.PlaintextHTTPRequest, Go v1.7.3 compares ``Origin: http://host`` with
    ``https://host`` and refuses the app's own form; told https, ours does the same. (A trusted
    origin passes on its host alone, so the cross-app forms would still pass.)"""
    apps = _fresh(tls_assumed)
    apps.open_form(app, "/submit")
    apps.submit()
    assert _body_text(apps.driver) == ORIGIN_INVALID.strip()
    (post,) = [x for x in network_log(apps.driver) if x.method == "POST"]
    assert post.url == apps.urls[app] + "/submit" and post.status == 403
    assert post.headers["origin"] == apps.urls[app]
    assert f"{COOKIE}=" in post.headers["cookie"]  # token and cookie were right: only the scheme
