"""Flask sharing a Go app's gorilla/sessions session. Run: python examples/flask_app.py

Start it next to the Go app on the same host (cookies are per host, not per port) with the Go app's
keys (hex) in HASH_KEY / BLOCK_KEY and its session name.
"""

import os

from flask import Flask, session

from gorillacompat.sessions import CookieStore
from gorillacompat.sessions.adapters.flask import GorillaSessionInterface

app = Flask(__name__)
# The Go app's keys: sessions.NewCookieStore(hashKey, blockKey), and its session name.
store = CookieStore(
    bytes.fromhex(os.environ.get("HASH_KEY", "01" * 32)),
    bytes.fromhex(os.environ.get("BLOCK_KEY", "02" * 32)),
)
app.session_interface = GorillaSessionInterface(store, "session")


@app.get("/")
def index() -> dict[str, object]:  # the Go app's user, and its flashes (consumed, as in Go)
    return {"user": session.get("user"), "flashes": session.flashes()}


@app.get("/hello")
def hello() -> dict[str, object]:
    session.add_flash("hello from Flask")  # Go's session.Flashes() returns it
    return {"ok": True}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5000)
