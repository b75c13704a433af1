"""``gorillacompat keys``: new random keys of the sizes Go's securecookie expects.

Layering: the ``cli`` layer.
"""

from __future__ import annotations

import base64

import click

from ..securecookie import generate_random_key
from ._common import emit, json_option

__all__ = ["keys"]


@click.group(short_help="Generate hash and block keys.")
def keys() -> None:
    """Generate hash and block keys."""


@keys.command("generate")
@click.option(
    "--hash-size",
    type=click.Choice(["32", "64"]),
    default="64",
    show_default=True,
    help="HMAC key bytes (gorilla's docs: 32 or 64).",
)
@click.option(
    "--block-size",
    type=click.Choice(["0", "16", "24", "32"]),
    default="32",
    show_default=True,
    help="AES key bytes: 16/24/32 = AES-128/192/256; 0 = no encryption.",
)
@click.option(
    "--pairs",
    type=click.IntRange(1, 16),
    default=1,
    show_default=True,
    help="How many pairs (the first encodes).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["hex", "base64", "env"]),
    default="hex",
    show_default=True,
    help="env: GORILLA_HASH_KEY=/GORILLA_BLOCK_KEY= lines for a shell or .env file.",
)
@json_option
def generate_cmd(hash_size: str, block_size: str, pairs: int, fmt: str, as_json: bool) -> int:
    """Print new random keys (Go: securecookie.GenerateRandomKey), one pair per line."""
    made = [
        (
            generate_random_key(int(hash_size)),
            generate_random_key(int(block_size)) if block_size != "0" else None,
        )
        for _ in range(pairs)
    ]

    def text(k: bytes) -> str:
        return base64.b64encode(k).decode("ascii") if fmt == "base64" else k.hex()

    if as_json:
        emit(
            {
                "ok": True,
                "pairs": [{"hash_key": h.hex(), "block_key": b.hex() if b else None} for h, b in made],
            }
        )
    elif fmt == "env":
        click.echo(f"GORILLA_HASH_KEY='{' '.join(h.hex() for h, _ in made)}'")
        if block_size != "0":
            click.echo(f"GORILLA_BLOCK_KEY='{' '.join(b.hex() for _, b in made if b)}'")
    else:
        for h, b in made:
            click.echo(f"{text(h)} {text(b)}" if b else text(h))
    return 0
