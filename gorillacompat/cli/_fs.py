"""``gorillacompat fs``: export and import gorilla/sessions FilesystemStore directories.

Layering: the ``cli`` layer. A FilesystemStore file ``session_<ID>`` holds
``securecookie.EncodeMulti(sessionName, session.Values, codecs...)``; the browser's cookie holds only
the signed ID (gorilla/sessions ``FilesystemStore.save``). Export verifies and decodes each file;
import writes files atomically (temp file + ``os.replace``, mode 0600), signed with the first key
pair, carrying the serialized payload byte for byte.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import time
from typing import Any

import click

from .. import jsonview
from ..errors import GorillaError
from ..securecookie import SecureCookie, decode_multi
from ..serializers import NopEncoder
from ..sessions.filesystem import SESSION_FILE_PREFIX, replace_file, temp_file
from ._common import (
    codec_options,
    emit,
    fixed_clock,
    json_option,
    key_options,
    make_codecs,
    make_serializer,
    pair_keys,
)
from ._cookie import split_cookie

__all__ = ["fs"]


@click.group(short_help="Export and import FilesystemStore directories.")
def fs() -> None:
    """Export and import FilesystemStore session directories."""


@fs.command("export")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--name", required=True, help="Session (cookie) name the files were signed under.")
@key_options()
@codec_options
@click.option("-o", "--output", default="-", show_default=True, help="JSONL file ('-' = stdout).")
@json_option
def export_cmd(
    directory: str,
    name: str,
    hash_key: tuple[str, ...],
    block_key: tuple[str, ...],
    hash_name: str,
    serializer: str,
    max_age: int,
    min_age: int,
    max_length: int,
    now: int | None,
    output: str,
    as_json: bool,
) -> int:
    """One JSON line per session file: {"id", "file", "timestamp", "value" (typed), "payload" (base64)}.

    Files that do not decode are reported on stderr (and as {"id", "file", "error"} lines); the
    exit code is then 1.
    """
    pairs = pair_keys(hash_key, block_key, env="GORILLA_HASH_KEY")
    readers = make_codecs(
        pairs,
        hash_name=hash_name,
        serializer=NopEncoder(),
        max_age=max_age,
        min_age=min_age,
        max_length=max_length,
        now=now,
    )
    ser = make_serializer(serializer)
    out = open(output, "w", encoding="utf-8") if output != "-" else sys.stdout
    done = errors = 0
    try:
        for entry in sorted(os.listdir(directory)):
            if not entry.startswith(SESSION_FILE_PREFIX):
                continue
            path = os.path.join(directory, entry)
            line: dict[str, Any] = {"id": entry[len(SESSION_FILE_PREFIX) :], "file": entry}
            try:
                with open(path, "rb") as f:
                    text = f.read().decode("utf-8", "surrogateescape")
                payload = decode_multi(name, text, readers)
                assert isinstance(payload, bytes)  # NopEncoder
                line["timestamp"] = int(split_cookie(text).timestamp_text)
                line["value"] = jsonview.to_typed(ser.loads(payload))
                line["payload"] = base64.b64encode(payload).decode("ascii")
                done += 1
            except (GorillaError, OSError) as exc:
                line["error"] = str(exc)
                errors += 1
                click.echo(f"gorillacompat: {entry}: {exc}", err=True)
            out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    if output != "-":
        if as_json:
            emit({"ok": errors == 0, "exported": done, "errors": errors})
        else:
            click.echo(f"exported {done} sessions" + (f", {errors} failed" if errors else ""), err=True)
    return 0 if errors == 0 else 1


@fs.command("import")
@click.argument("input_file", metavar="JSONL")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--name", required=True, help="Session (cookie) name to sign the files under.")
@key_options()
@click.option("--hash", "hash_name", default="sha256", show_default=True, help="HMAC hash.")
@click.option(
    "--max-length", type=int, default=4096, show_default=True, help="Go: FilesystemStore.MaxLength."
)
@click.option(
    "--fresh-timestamp", is_flag=True, help="Sign with the current time instead of the exported one."
)
@click.option("--overwrite/--no-overwrite", default=True, show_default=True, help="Replace existing files.")
@json_option
def import_cmd(
    input_file: str,
    directory: str,
    name: str,
    hash_key: tuple[str, ...],
    block_key: tuple[str, ...],
    hash_name: str,
    max_length: int,
    fresh_timestamp: bool,
    overwrite: bool,
    as_json: bool,
) -> int:
    """Write session files from an `fs export` (or typed values) signed with the first key pair.

    Use it to re-key a directory: export with the old keys, import with the new ones. Browsers'
    cookies hold the ID signed with the old keys: keep the old pair second until they expire.
    """
    pairs = pair_keys(hash_key, block_key, env="GORILLA_HASH_KEY")
    os.makedirs(directory, exist_ok=True)
    written = skipped = 0
    with open(input_file, encoding="utf-8") as f:
        for ln in f:
            if not ln.strip():
                continue
            rec = json.loads(ln)
            if "error" in rec:
                skipped += 1
                continue
            payload = (
                base64.b64decode(rec["payload"])
                if "payload" in rec
                else make_serializer("gob").dumps(jsonview.from_typed(rec["value"]))
            )
            stamp = int(time.time()) if fresh_timestamp or "timestamp" not in rec else int(rec["timestamp"])
            codec = SecureCookie(
                pairs[0].hash_key,
                pairs[0].block_key,
                hash_name=hash_name,
                serializer=NopEncoder(),
                max_length=max_length,
                clock=fixed_clock(stamp),
            )
            path = os.path.join(directory, SESSION_FILE_PREFIX + os.path.basename(rec["id"]))
            if not overwrite and os.path.exists(path):
                skipped += 1
                continue
            _atomic_write(path, codec.encode(name, payload).encode("ascii"))
            written += 1
    if as_json:
        emit({"ok": True, "written": written, "skipped": skipped})
    else:
        click.echo(
            f"wrote {written} session files to {directory}" + (f", skipped {skipped}" if skipped else ""),
            err=True,
        )
    return 0


def _atomic_write(path: str, data: bytes) -> None:
    fd, tmp = temp_file(os.path.dirname(path) or ".")
    replace_file(fd, tmp, path, data)
