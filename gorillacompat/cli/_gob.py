"""``gorillacompat gob``: an annotated dump of a gob stream, and gob bytes ↔ typed jsonview.

Layering: the ``cli`` layer; the listing itself is ``_gobdump`` (pure).
"""

from __future__ import annotations

import base64
import sys

import click

from .. import gob, jsonview
from ._common import emit, json_option, read_bytes_arg, read_text_arg
from ._gobdump import dump, format_lines

__all__ = ["gob_group"]

_FORMATS = click.Choice(["auto", "hex", "base64", "raw"])


@click.group("gob", short_help="Dump gob streams; gob <-> typed jsonview.")
def gob_group() -> None:
    """Look inside encoding/gob bytes, and convert them to and from typed jsonview."""


@gob_group.command("dump")
@click.argument("source", metavar="HEX|BASE64|FILE|-")
@click.option(
    "--format",
    "fmt",
    type=_FORMATS,
    default="auto",
    show_default=True,
    help="How SOURCE holds the bytes (auto: hex, then base64, then raw).",
)
@click.option("--width", type=int, default=8, show_default=True, help="Bytes of hex shown per line.")
@json_option
def dump_cmd(source: str, fmt: str, width: int, as_json: bool) -> int:
    """An annotated listing: messages and lengths, type definitions with their ids and field
    numbers, and every value, each line with its offset and bytes.

    Exit code 1 (after listing what was readable) when the stream is malformed.
    """
    data = read_bytes_arg(source, fmt)
    result = dump(data)
    if as_json:
        emit(
            {
                "ok": result.error is None,
                "length": len(data),
                "values": result.values,
                "lines": [ln.to_json() for ln in result.lines],
                "interface_types": result.interface_names,
                "error": result.error,
                "error_offset": result.error_offset,
            }
        )
    else:
        if result.lines:
            click.echo(format_lines(result.lines, width=width))
        summary = f"{len(data)} bytes, {result.values} value{'s' * (result.values != 1)}"
        if result.error is not None:
            click.echo(f"{result.error_offset:06x}  error: {result.error}")
            click.echo(f"gorillacompat: {result.error} (at byte {result.error_offset})", err=True)
        else:
            click.echo(f"{len(data):06x}  end: {summary}")
    return 0 if result.error is None else 1


@gob_group.command("decode")
@click.argument("source", metavar="HEX|BASE64|FILE|-")
@click.option(
    "--format", "fmt", type=_FORMATS, default="auto", show_default=True, help="How SOURCE holds the bytes."
)
@click.option("--typed", is_flag=True, help="Typed jsonview (re-encodes to the same bytes).")
@click.option("--all", "all_values", is_flag=True, help="Every value of the stream, one per line.")
@click.option("--go-type", default=None, help="Go type decoded into at top level (e.g. int8, main.Person).")
@click.option("--indent", type=int, default=None, help="Indent the JSON by this many spaces.")
@json_option
def decode_cmd(
    source: str,
    fmt: str,
    typed: bool,
    all_values: bool,
    go_type: str | None,
    indent: int | None,
    as_json: bool,
) -> int:
    """Print the gob value(s) as jsonview. Unregistered interface types decode to generic values
    that still re-encode to the same bytes."""
    data = read_bytes_arg(source, fmt)
    if all_values:
        values = list(gob.Decoder(data))
    else:
        values = [gob.loads(data, go_type=go_type)]
    for v in values:
        if as_json:
            emit({"ok": True, "value": jsonview.to_typed(v) if typed else jsonview.to_plain(v)})
        else:
            click.echo(jsonview.dumps(v, typed=typed, indent=indent))
    return 0


@gob_group.command("encode")
@click.argument("value", metavar="TYPED_JSON|-|@FILE")
@click.option(
    "--output",
    "out_fmt",
    type=click.Choice(["hex", "base64", "raw"]),
    default="hex",
    show_default=True,
    help="How to print the bytes (raw: binary to stdout).",
)
@click.option(
    "--type-ids",
    type=click.Choice(["go1.21", "go1.19"]),
    default="go1.21",
    show_default=True,
    help="Type-id numbering of the Go release to match (first user id 64 or 65).",
)
@click.option("--all", "all_values", is_flag=True, help="One typed value per input line, one stream.")
@json_option
def encode_cmd(value: str, out_fmt: str, type_ids: str, all_values: bool, as_json: bool) -> int:
    """Write gob bytes for a typed jsonview value (what `gob decode --typed` prints)."""
    text = read_text_arg(value)
    if all_values:
        enc = gob.Encoder(type_ids=type_ids)
        chunks = [enc.encode(jsonview.loads(line)) for line in text.splitlines() if line.strip()]
        data = b"".join(c for c in chunks if c)
    else:
        data = bytes(gob.dumps(jsonview.loads(text), type_ids=type_ids))
    if as_json:
        emit({"ok": True, "hex": data.hex(), "length": len(data)})
    elif out_fmt == "raw":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        click.echo(data.hex() if out_fmt == "hex" else base64.b64encode(data).decode("ascii"))
    return 0
