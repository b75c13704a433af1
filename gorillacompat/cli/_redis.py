"""``gorillacompat redis``: export, import, convert and count boj/redistore sessions.

Layering: the ``cli`` layer; thin wrappers that open the Redis adapter (``_backends.for_redis``)
from their flags and run the generic engine (``_transfer``), whose safety rules (dry run,
preflight, verified batches, checkpoints) apply unchanged. ``stats`` is Redis's own.

What a redistore record is (boj/redistore ``save``): key ``prefix + ID``, value the serialized
``session.Values`` (gob or JSON, not signed), TTL set by ``SETEX``. These commands move records
without a session cookie: the cookie holds only the signed ID, which does not change.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any, TypeVar

import click

from .. import jsonview
from ..errors import GorillaError
from ._backends.for_redis import RedisBackend, connect
from ._common import emit, json_option
from ._copy import batch_options, report, report_copy, run_export, run_options
from ._transfer import copy_records, import_records, progress_bar

__all__ = ["redis_group"]

F = TypeVar("F", bound=Callable[..., Any])

_DEFAULT_URL = "redis://127.0.0.1:6379/0"
_TTL_BUCKETS = (
    ("no expiry", -1),
    ("< 1m", 60),
    ("< 10m", 600),
    ("< 1h", 3600),
    ("< 1d", 86400),
    ("< 7d", 7 * 86400),
    ("< 30d", 30 * 86400),
    (">= 30d", math.inf),
)


def _backend(url: str, cluster: bool, prefix: str, serializer: str) -> RedisBackend:
    return RedisBackend(connect(url, cluster), url, prefix=prefix, serializer=serializer)


def _source_options(f: F) -> F:
    f = batch_options(f)
    for opt in reversed(
        [
            click.option(
                "--url", default=_DEFAULT_URL, show_default=True, envvar="GORILLA_REDIS_URL",
                help="Source Redis URL [env GORILLA_REDIS_URL].",
            ),
            click.option("--cluster", is_flag=True, help="The source is a Redis Cluster (URL of any node)."),
            click.option(
                "--prefix",
                default="session_",
                show_default=True,
                help="Key prefix (Go: redistore keyPrefix).",
            ),
            click.option(
                "--serializer", type=click.Choice(["gob", "json"]), default="gob", show_default=True,
                help="Session serializer of the records (Go: GobSerializer / JSONSerializer).",
            ),
        ]
    ):  # fmt: skip
        f = opt(f)
    return f


@click.group("redis", short_help="Export, import, convert, count Redis sessions.")
def redis_group() -> None:
    """Export, import, convert and count boj/redistore sessions in Redis."""


@redis_group.command("export")
@_source_options
@click.option("-o", "--output", default="-", show_default=True, help="JSONL file ('-' = stdout).")
@click.option(
    "--resume", is_flag=True, help="Continue an interrupted export of --output from its checkpoint."
)
@click.option("--checkpoint", default=None, help="Checkpoint file [default: OUTPUT.ckpt].")
@click.option(
    "--count/--no-count", "do_count", default=True, show_default=True,
    help="Count the keys first, for the bar's total and ETA.",
)  # fmt: skip
@json_option
def export_cmd(
    url: str, cluster: bool, prefix: str, serializer: str, batch: int, progress: bool | None, output: str,
    resume: bool, checkpoint: str | None, do_count: bool, as_json: bool,
) -> int:  # fmt: skip
    """SCAN a key prefix and write one JSON line per session:
    {"key", "id", "ttl", "pttl", "expires_ms", "serializer", "value" (typed jsonview), "raw" (base64)}.

    Resumable with --resume when writing to a file; a record that does not decode is still
    exported (raw, with "error") and makes the exit code 1.
    """
    return run_export(
        _backend(url, cluster, prefix, serializer), output, batch=batch, checkpoint=checkpoint, resume=resume,
        progress=progress, as_json=as_json, count=do_count,
    )  # fmt: skip


@redis_group.command("import")
@click.argument("input_file", metavar="JSONL")
@click.option(
    "--url", default=_DEFAULT_URL, show_default=True, envvar="GORILLA_REDIS_URL", help="Target Redis URL."
)
@click.option("--cluster", is_flag=True, help="The target is a Redis Cluster.")
@click.option("--prefix", default=None, help="Write under this prefix + id instead of each record's key.")
@click.option(
    "--serializer", type=click.Choice(["gob", "json"]), default=None,
    help="Serializer to write [default: the records' own; their raw bytes are then kept].",
)  # fmt: skip
@click.option("--batch", type=click.IntRange(1, 100000), default=500, show_default=True)
@click.option("--resume", is_flag=True, help="Skip the lines a previous run checkpointed.")
@click.option("--checkpoint", default=None, help="Checkpoint file [default: JSONL.import.ckpt].")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
@json_option
def import_cmd(
    input_file: str, url: str, cluster: bool, prefix: str | None, serializer: str | None, batch: int,
    resume: bool, checkpoint: str | None, progress: bool | None, as_json: bool,
) -> int:  # fmt: skip
    """Write the records of an export (of Redis or any store), TTLs kept, each batch verified by
    reading back. Lines exported with an "error" are skipped."""
    dst = _backend(url, cluster, prefix or "", serializer or _first_serializer(input_file))
    try:
        stats = import_records(
            dst, input_file, batch=batch, checkpoint=checkpoint or f"{input_file}.import.ckpt", resume=resume,
            progress=progress, id_of=_by_key if prefix is None else _by_id,
        )  # fmt: skip
    finally:
        dst.close()
    if as_json:
        emit({"ok": True, **asdict(stats)})
    else:
        report(False, "imported", asdict(stats), ok=True)
    return 0


def _by_key(line: Mapping[str, Any]) -> str:
    return str(line["key"])


def _by_id(line: Mapping[str, Any]) -> str:
    return str(line["id"])


def _first_serializer(input_file: str) -> str:
    """The serializer of an export's records (one export has one)."""
    with open(input_file, encoding="utf-8") as f:
        for ln in f:
            if ln.strip():
                return str(json.loads(ln).get("serializer", "gob"))
    return "gob"


@redis_group.command("convert")
@_source_options
@click.option("--to-url", default=None, help="Target Redis URL [default: the source].")
@click.option("--to-cluster", is_flag=True, help="The target is a Redis Cluster.")
@click.option("--to-prefix", default=None, help="Target key prefix [default: --prefix].")
@click.option(
    "--to-serializer",
    type=click.Choice(["gob", "json"]),
    default=None,
    help="Target serializer [default: --serializer].",
)
@run_options("gorillacompat-convert-<prefix>.ckpt")
@json_option
def convert_cmd(
    url: str, cluster: bool, prefix: str, serializer: str, batch: int, progress: bool | None,
    to_url: str | None, to_cluster: bool, to_prefix: str | None, to_serializer: str | None, dry_run: bool,
    preflight: bool, on_error: str, delete_source: bool, checkpoint: str | None, resume: bool, as_json: bool,
) -> int:  # fmt: skip
    """Move sessions to another serializer (gob <-> JSON), prefix, Redis or Cluster.

    Batched and pipelined; TTLs kept; every record read back and decoded before the next batch;
    sources deleted only with --delete-source and only after verification. Interrupted runs
    continue with --resume from the checkpoint, without losing or doubling a record.
    (`gorillacompat copy` does the same between any two stores.)
    """
    to_prefix = prefix if to_prefix is None else to_prefix
    same_server = to_url is None or (to_url == url and to_cluster == cluster)
    if same_server and to_prefix == prefix and (to_serializer or serializer) == serializer:
        raise click.UsageError("nothing to convert: give --to-prefix, --to-serializer or --to-url")
    src = _backend(url, cluster, prefix, serializer)
    dst = RedisBackend(
        src.client if same_server else connect(to_url or url, to_cluster), to_url or url, prefix=to_prefix,
        serializer=to_serializer or serializer,
    )  # fmt: skip
    try:
        result = copy_records(
            src, dst, checkpoint=checkpoint or f"gorillacompat-convert-{prefix.strip(':') or 'all'}.ckpt",
            batch=batch, dry_run=dry_run, preflight=preflight, on_error=on_error, delete_source=delete_source,
            resume=resume, progress=progress, label="convert",
        )  # fmt: skip
    finally:
        src.close()
        if not same_server:
            dst.close()
    return report_copy(as_json, result)


@redis_group.command("stats")
@_source_options
@json_option
def stats_cmd(
    url: str, cluster: bool, prefix: str, serializer: str, batch: int, progress: bool | None, as_json: bool
) -> int:
    """Counts, value sizes, a TTL histogram and the Go types stored under a prefix."""
    src = _backend(url, cluster, prefix, serializer)
    other = RedisBackend(src.client, url, prefix=prefix, serializer="json" if serializer == "gob" else "gob")
    sizes: list[int] = []
    ttl_hist: Counter[str] = Counter()
    types: Counter[str] = Counter()
    key_types: Counter[str] = Counter()
    formats: Counter[str] = Counter()
    bar = progress_bar(None, "stats", progress)
    try:
        for ids, _ in src.scan(batch):
            for rec in src.read(ids):
                if rec is None:
                    continue
                bar.update(1)
                sizes.append(len(rec.stored))
                ttl_hist[_bucket(rec.expires_ms)] += 1
                try:
                    values = src.envelope.serializer.loads(rec.stored)
                except GorillaError:
                    try:
                        other.envelope.serializer.loads(rec.stored)
                        formats[other.envelope.serializer_name] += 1
                    except GorillaError:
                        formats["undecodable"] += 1
                    continue
                formats[serializer] += 1
                node = jsonview.to_typed(values)
                for k, v in node["v"]:
                    key_types[k["t"]] += 1
                    types[v["t"]] += 1
    finally:
        bar.close()
        src.close()
    _print_stats(as_json, prefix, sizes, ttl_hist, formats, types, key_types)
    return 0


def _print_stats(
    as_json: bool, prefix: str, sizes: list[int], ttl_hist: Mapping[str, int], formats: Counter[str],
    types: Counter[str], key_types: Counter[str],
) -> None:  # fmt: skip
    n = len(sizes)
    out: dict[str, Any] = {
        "ok": True,
        "prefix": prefix,
        "records": n,
        "bytes": sum(sizes),
        "size": {
            "min": min(sizes, default=0),
            "max": max(sizes, default=0),
            "mean": round(sum(sizes) / n, 1) if n else 0,
            "p50": _pct(sizes, 50),
            "p99": _pct(sizes, 99),
        },
        "ttl": {name: ttl_hist.get(name, 0) for name, _ in _TTL_BUCKETS},
        "formats": dict(formats),
        "value_types": dict(types.most_common()),
        "key_types": dict(key_types.most_common()),
    }
    if as_json:
        emit(out)
        return
    click.echo(f"prefix {prefix!r}: {n} records, {out['bytes']} bytes")
    s = out["size"]
    click.echo(f"size      min {s['min']}  p50 {s['p50']}  mean {s['mean']}  p99 {s['p99']}  max {s['max']}")
    click.echo("formats   " + ", ".join(f"{k} {v}" for k, v in formats.items()))
    click.echo("ttl")
    width = max(out["ttl"].values(), default=0) or 1
    for name, count in out["ttl"].items():
        click.echo(f"  {name:<10} {count:>8}  {'#' * round(40 * count / width)}")
    click.echo("value types")
    for t, c in types.most_common(20):
        click.echo(f"  {c:>8}  {t}")
    click.echo("key types " + ", ".join(f"{k} {v}" for k, v in key_types.most_common()))


def _bucket(expires_ms: int | None) -> str:
    if expires_ms is None:
        return "no expiry"
    left = expires_ms / 1000 - time.time()
    for name, limit in _TTL_BUCKETS[1:]:
        if left < limit:
            return name
    return ">= 30d"  # pragma: no cover


def _pct(values: list[int], p: int) -> int:
    if not values:
        return 0
    s = sorted(values)
    return s[min(len(s) - 1, (len(s) * p) // 100)]
