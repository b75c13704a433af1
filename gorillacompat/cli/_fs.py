"""``gorillacompat fs``: export and import gorilla/sessions FilesystemStore directories.

Layering: the ``cli`` layer; thin wrappers that open the filesystem adapter
(``_backends.for_files``) from their flags and run the generic engine (``_transfer``).

A FilesystemStore file ``session_<ID>`` holds ``securecookie.EncodeMulti(sessionName,
session.Values, codecs...)``; the browser's cookie holds only the signed ID (gorilla/sessions
``FilesystemStore.save``). Export verifies and decodes each file; import writes files atomically
(temp file + ``os.replace``, mode 0600): Go's file byte for byte when it is already signed with
the first key pair, else the serialized payload re-signed with it.
"""

from __future__ import annotations

import click

from ._backends.for_files import FilesBackend
from ._common import codec_options, emit, fixed_clock, json_option, key_options
from ._copy import signing_of
from ._transfer import export_records, import_records

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
    directory: str, name: str, hash_key: tuple[str, ...], block_key: tuple[str, ...], hash_name: str,
    serializer: str, max_age: int, min_age: int, max_length: int, now: int | None, output: str, as_json: bool,
) -> int:  # fmt: skip
    """One JSON line per session file: {"id", "file", "timestamp", "value" (typed), "payload" (base64),
    "raw" (base64 of the file)}.

    Files that do not decode are reported on stderr (and as {"id", "file", "error"} lines); the
    exit code is then 1.
    """
    if serializer not in ("gob", "json"):
        raise click.BadParameter("files hold gob or json payloads", param_hint="--serializer")
    signing = signing_of(
        name, hash_key, block_key, hash_name, max_age=max_age, min_age=min_age, max_length=max_length,
        clock=fixed_clock(now) if now is not None else None,
    )  # fmt: skip
    stats = export_records(
        FilesBackend(directory, signing, serializer=serializer), output, count=False, progress=False,
        warn=lambda text: click.echo(f"gorillacompat: {text}", err=True),
    )  # fmt: skip
    done, errors = stats.lines - stats.undecodable, stats.undecodable
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
    input_file: str, directory: str, name: str, hash_key: tuple[str, ...], block_key: tuple[str, ...],
    hash_name: str, max_length: int, fresh_timestamp: bool, overwrite: bool, as_json: bool,
) -> int:  # fmt: skip
    """Write session files from an export (of files or any store) signed with the first key pair.

    Use it to re-key a directory: export with the old keys, import with the new ones. Browsers'
    cookies hold the ID signed with the old keys: keep the old pair second until they expire.
    """
    signing = signing_of(name, hash_key, block_key, hash_name, max_age=0, max_length=max_length)
    stats = import_records(
        FilesBackend(directory, signing), input_file, progress=False, overwrite=overwrite,
        fresh_timestamp=fresh_timestamp,
    )  # fmt: skip
    written, skipped = stats.imported, stats.skipped_errors + stats.skipped_existing + stats.expired
    if as_json:
        emit({"ok": True, "written": written, "skipped": skipped})
    else:
        click.echo(
            f"wrote {written} session files to {directory}" + (f", skipped {skipped}" if skipped else ""),
            err=True,
        )
    return 0
