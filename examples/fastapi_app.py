"""FastAPI sharing a Go app's gorilla/sessions session. Run: python examples/fastapi_app.py

Start it next to the Go app on the same host (cookies are per host, not per port) with the Go app's
keys (hex) in HASH_KEY / BLOCK_KEY and its session name.
"""

import os

from fastapi import FastAPI

from gorillacompat.sessions import CookieStore
from gorillacompat.sessions.adapters.fastapi import GoSession, SessionMiddleware

app = FastAPI()
# The Go app's keys: sessions.NewCookieStore(hashKey, blockKey), and its session name.
store = CookieStore(
    bytes.fromhex(os.environ.get("HASH_KEY", "01" * 32)),
    bytes.fromhex(os.environ.get("BLOCK_KEY", "02" * 32)),
)
app.add_middleware(SessionMiddleware, store=store, name="session")


@app.get("/")
def index(session: GoSession) -> dict[str, object]:  # the Go app's user and flashes
    return {"user": session.values.get("user"), "flashes": session.flashes()}


@app.get("/hello")
def hello(session: GoSession) -> dict[str, object]:
    session.add_flash("hello from FastAPI")  # Go's session.Flashes() returns it
    return {"ok": True}


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=8000)
