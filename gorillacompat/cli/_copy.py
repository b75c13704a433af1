"""``gorillacompat export | import | copy``: any session store, named by URL.

Layering: the ``cli`` layer; the commands parse options, open backends (``_backends``) and run
the engine (``_transfer``). ``redis …`` and ``fs …`` are thin wrappers over the same engine.

Store URLs (``--help`` of each command; docs/cli.md has the full list)::

    redis://[:password@]host:6379/0?prefix=session_&serializer=gob    (rediss://, unix://,
                                                                       redis+cluster://)
    file:///var/lib/app/sessions?serializer=gob
    postgresql://user:password@host:5432/db?serializer=gob&max_age=2592000
    memcache://host:11211?prefix=&store_method=securecookie
    gorm+postgresql://…  gorm+mysql://user:password@host:3306/db  gorm+sqlite:////path.db
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any, TypeVar

import click

from ._backends import Backend, Signing, open_backend
from ._common import emit, json_option, key_options, pair_keys
from ._transfer import CopyResult, copy_records, export_records, import_records

__all__ = [
    "batch_options",
    "copy_cmd",
    "export_cmd",
    "import_cmd",
    "report",
    "report_copy",
    "run_export",
    "run_options",
    "signing_of",
]

F = TypeVar("F", bound=Callable[..., Any])

_URLS = """\b
STORE URLs:
  redis://[:PASSWORD@]HOST:PORT/DB?prefix=session_&serializer=gob|json
  redis+cluster://HOST:PORT?...   rediss://...   unix:///path/redis.sock?db=0&...
  file:///DIR?serializer=gob|json                      (FilesystemStore)
  postgresql://USER@HOST:PORT/DB?serializer=gob&max_age=SECONDS   (pgstore)
  memcache://HOST:PORT?prefix=&store_method=securecookie|gob|json  (gorilla-sessions-memcache)
  gorm+postgresql://...  gorm+mysql://USER@HOST:PORT/DB  gorm+sqlite:////PATH.db  ?table=sessions"""


def batch_options(f: F) -> F:
    """``--batch`` and ``--progress/--no-progress``, as every bulk command takes them."""
    f = click.option(
        "--progress/--no-progress",
        default=None,
        help="Progress bar on stderr [default: when stderr is a terminal].",
    )(f)
    return click.option(
        "--batch", type=click.IntRange(1, 100000), default=500, show_default=True,
        help="Records per round trip (and per checkpoint).",
    )(f)  # fmt: skip


def run_options(default_checkpoint: str) -> Callable[[F], F]:
    """The options of a verified, resumable bulk copy (``copy``, ``redis convert``)."""

    def deco(f: F) -> F:
        for opt in reversed(
            [
                click.option(
                    "--dry-run", is_flag=True, help="Read and convert everything, write nothing, report."
                ),
                click.option(
                    "--preflight/--no-preflight",
                    default=True,
                    show_default=True,
                    help="Run the dry run first and stop before writing if any record would fail.",
                ),
                click.option(
                    "--on-error",
                    type=click.Choice(["stop", "skip"]),
                    default="stop",
                    show_default=True,
                    help="A record that does not convert: stop the run, or leave it and go on.",
                ),
                click.option(
                    "--delete-source",
                    is_flag=True,
                    help="Delete each source record once its copy is verified.",
                ),
                click.option(
                    "--checkpoint", default=None, help=f"Checkpoint file [default: {default_checkpoint}]."
                ),
                click.option(
                    "--resume", is_flag=True, help="Continue an interrupted run from its checkpoint."
                ),
            ]
        ):
            f = opt(f)
        return f

    return deco


def _signing_options(f: F) -> F:
    """The securecookie settings of signed stores (files, PostgreSQL): Go's defaults."""
    for opt in reversed(
        [
            click.option("--name", default="session", show_default=True, help="Session (cookie) name."),
            click.option("--hash", "hash_name", default="sha256", show_default=True, help="HMAC hash."),
            click.option(
                "--max-age", type=int, default=86400 * 30, show_default=True,
                help="Signed records older than this are expired, not copied (0 = no limit).",
            ),
        ]
    ):  # fmt: skip
        f = opt(f)
    return key_options()(f)


def signing_of(
    name: str, hash_key: tuple[str, ...], block_key: tuple[str, ...], hash_name: str, *,
    max_age: int = 86400 * 30, flag: str = "--hash-key", env: str = "GORILLA_HASH_KEY", **extra: Any,
) -> Signing:  # fmt: skip
    """Signing settings from key flags; no key flags is fine for stores that do not sign."""
    keys: tuple[bytes | None, ...] = ()
    for p in pair_keys(hash_key, block_key, flag=flag, env=env) if hash_key else ():
        keys += (p.hash_key, p.block_key)
    return Signing(name, keys, hash_name, max_age, **extra)


def report(as_json: bool, what: str, stats: Mapping[str, Any], *, ok: bool) -> None:
    """A one-line summary on stderr (the non-zero counts and the first errors), or JSON."""
    if as_json:
        emit({"ok": ok, **stats})
        return
    parts = [f"{k.replace('_', ' ')} {v}" for k, v in stats.items() if k != "errors" and v]
    click.echo(f"{what}: " + (", ".join(parts) or "no records"), err=True)
    for e in stats.get("errors", [])[:20]:
        click.echo(f"  error: {e}", err=True)


def report_copy(as_json: bool, result: CopyResult) -> int:
    """Report a copy/convert run in words of its outcome; the exit code."""
    stats = result.stats.to_json()
    what = {
        "dry run": "dry run: nothing written",
        "preflight failed": "preflight failed: nothing written",
        "already complete": f"{result.label} already complete",
    }.get(result.outcome, f"{result.label} done")
    ok = result.outcome == "already complete" or not stats["errors"]
    report(as_json, what, stats, ok=ok)
    return 0 if ok else 1


def _warn(text: str) -> None:
    click.echo(f"gorillacompat: {text}", err=True)


def run_export(
    src: Backend, output: str, *, batch: int, checkpoint: str | None, resume: bool, progress: bool | None,
    as_json: bool, count: bool = True,
) -> int:  # fmt: skip
    """Export ``src`` (closed after), report, and return the exit code (1: a record did not decode)."""
    try:
        stats = export_records(
            src, output, batch=batch, checkpoint=None if output == "-" else checkpoint or f"{output}.ckpt",
            resume=resume, count=count, progress=progress, warn=_warn,
        )  # fmt: skip
    finally:
        src.close()
    if stats.complete_before:
        click.echo(f"export already complete: {stats.lines} records in {output}", err=True)
        return 0
    errors = stats.undecodable
    if as_json and output != "-":
        emit({"ok": errors == 0, "exported": stats.lines, "undecodable": errors, "output": output})
    elif output != "-":
        more = f", {errors} undecodable" if errors else ""
        click.echo(f"exported {stats.lines} records to {output}{more}", err=True)
    return 0 if errors == 0 else 1


@click.command("export", epilog=_URLS)
@click.argument("source", metavar="STORE_URL")
@_signing_options
@batch_options
@click.option("-o", "--output", default="-", show_default=True, help="JSONL file ('-' = stdout).")
@click.option(
    "--resume", is_flag=True, help="Continue an interrupted export of --output from its checkpoint."
)
@click.option("--checkpoint", default=None, help="Checkpoint file [default: OUTPUT.ckpt].")
@json_option
def export_cmd(
    source: str, name: str, hash_name: str, max_age: int, hash_key: tuple[str, ...],
    block_key: tuple[str, ...], batch: int, progress: bool | None, output: str, resume: bool,
    checkpoint: str | None, as_json: bool,
) -> int:  # fmt: skip
    """One JSON line per session of any store: {"id", "key" or "file", "expires_ms", "ttl",
    "pttl", "format", "serializer", "timestamp" (signed stores), "value" (typed jsonview),
    "payload" (base64, signed stores), "raw" (base64 of the stored bytes)}.

    A record that does not decode is still exported (raw, with "error") and makes the exit code 1.
    """
    src = open_backend(source, signing_of(name, hash_key, block_key, hash_name, max_age=max_age))
    return run_export(
        src, output, batch=batch, checkpoint=checkpoint, resume=resume, progress=progress, as_json=as_json
    )


@click.command("import", epilog=_URLS)
@click.argument("input_file", metavar="JSONL")
@click.argument("target", metavar="STORE_URL")
@_signing_options
@batch_options
@click.option("--resume", is_flag=True, help="Skip the lines a previous run checkpointed.")
@click.option("--checkpoint", default=None, help="Checkpoint file [default: JSONL.import.ckpt].")
@click.option(
    "--overwrite/--no-overwrite", default=True, show_default=True, help="Replace existing sessions."
)
@click.option(
    "--fresh-timestamp", is_flag=True, help="Sign with the current time instead of the exported one."
)
@json_option
def import_cmd(
    input_file: str, target: str, name: str, hash_name: str, max_age: int, hash_key: tuple[str, ...],
    block_key: tuple[str, ...], batch: int, progress: bool | None, resume: bool, checkpoint: str | None,
    overwrite: bool, fresh_timestamp: bool, as_json: bool,
) -> int:  # fmt: skip
    """Write the sessions of an `export` (of any store) into a store: IDs and expiry kept, the
    stored bytes kept when the target writes the same format with the same first key pair, else
    re-signed with the first pair; each batch read back and verified."""
    dst = open_backend(target, signing_of(name, hash_key, block_key, hash_name, max_age=max_age))
    try:
        stats = import_records(
            dst, input_file, batch=batch, checkpoint=checkpoint or f"{input_file}.import.ckpt", resume=resume,
            progress=progress, overwrite=overwrite, fresh_timestamp=fresh_timestamp,
        )  # fmt: skip
    finally:
        dst.close()
    report(as_json, "imported", asdict(stats), ok=True)
    return 0


@click.command("copy", epilog=_URLS)
@click.argument("source", metavar="SRC_URL")
@click.argument("target", metavar="DST_URL")
@_signing_options
@key_options("to_", required=False)
@batch_options
@run_options("gorillacompat-copy-<hash>.ckpt")
@click.option("--fresh-timestamp", is_flag=True, help="Sign with the current time instead of the source's.")
@json_option
def copy_cmd(
    source: str, target: str, name: str, hash_name: str, max_age: int, hash_key: tuple[str, ...],
    block_key: tuple[str, ...], to_hash_key: tuple[str, ...], to_block_key: tuple[str, ...], batch: int,
    progress: bool | None, dry_run: bool, preflight: bool, on_error: str, delete_source: bool,
    fresh_timestamp: bool, checkpoint: str | None, resume: bool, as_json: bool,
) -> int:  # fmt: skip
    """Copy every session from one store to another (Redis -> PostgreSQL, files -> Redis, ...),
    or convert a store in place (same URL: another serializer, or --to-hash-key to re-key).

    IDs and expiry are kept, so browsers stay logged in. Go's stored bytes are kept when the target
    writes the same format with the same first key pair; else the payload is re-signed with the
    target's first pair (--to-hash-key/--to-block-key, default: the source's keys), re-serialized
    only when the serializers differ. Batched, verified by reading back, resumable (--resume).
    """
    signing = signing_of(name, hash_key, block_key, hash_name, max_age=max_age)
    to_signing = signing
    if to_hash_key:
        to_signing = signing_of(
            name, to_hash_key, to_block_key, hash_name, max_age=max_age, flag="--to-hash-key",
            env="GORILLA_TO_HASH_KEY",
        )  # fmt: skip
    src = open_backend(source, signing)
    try:
        dst: Backend = open_backend(target, to_signing)
    except BaseException:
        src.close()
        raise
    digest = hashlib.sha256(f"{src.describe()}\n{dst.describe()}".encode()).hexdigest()[:12]
    try:
        result = copy_records(
            src, dst, checkpoint=checkpoint or f"gorillacompat-copy-{digest}.ckpt", batch=batch,
            dry_run=dry_run, preflight=preflight, on_error=on_error, delete_source=delete_source,
            resume=resume, fresh_timestamp=fresh_timestamp, progress=progress,
        )  # fmt: skip
    finally:
        src.close()
        dst.close()
    return report_copy(as_json, result)
