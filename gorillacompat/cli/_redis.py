"""``gorillacompat redis``: export, import, convert and count boj/redistore sessions.

Layering: the ``cli`` layer; imports redis-py and ``redistore`` (serializers, error mapping).

What a redistore record is (boj/redistore ``save``): key ``prefix + ID``, value the serialized
``session.Values`` (gob or JSON, not signed), TTL set by ``SETEX``. These commands move records
without a session cookie: the cookie holds only the signed ID, which does not change.

Safety rules of ``convert`` (and ``import``):

1. A dry run (``--dry-run``) or the automatic preflight reads and converts every record without
   writing; errors stop the run before anything is written (``--on-error skip`` to leave them).
2. Records go in batches: ``GET``+``PTTL`` pipelined, converted, written with ``SET … PX`` (the
   remaining TTL, kept to the millisecond; no TTL stays no TTL), then read back and decoded.
3. Only after a batch verifies are its sources deleted (``--delete-source``), and only then is the
   checkpoint (the SCAN cursor per node) replaced atomically. A run killed anywhere re-does at most
   the last batch; every step is idempotent (``SET`` overwrites, a vanished source is skipped, an
   in-place record already in the target format counts as converted), so none is lost or doubled.
"""

from __future__ import annotations

import base64
import importlib
import json
import math
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import click
import redis

from .. import jsonview
from ..errors import GorillaError
from ..redistore import GobSerializer, JSONSerializer, SessionSerializer
from ..redistore._errors import from_redis
from ._common import emit, json_option

__all__ = ["redis_group"]

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


class ConvertError(GorillaError):
    """A record could not be read, converted, written or verified; the run stops there."""


# -- plumbing ---------------------------------------------------------------------------------


def _serializer(name: str) -> SessionSerializer:
    return JSONSerializer() if name == "json" else GobSerializer()


def _connect(url: str, cluster: bool) -> Any:
    try:
        if cluster:
            return redis.RedisCluster.from_url(url, socket_timeout=30, socket_connect_timeout=10)
        client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
        client.ping()
        return client
    except (redis.RedisError, OSError) as exc:
        raise from_redis(exc, "PING", "", url) from exc


def _glob_escape(prefix: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in prefix)


def _nodes(client: Any) -> list[tuple[str, Any]]:
    """The clients to SCAN: the server, or each Cluster primary (SCAN is per node)."""
    if isinstance(client, redis.RedisCluster):
        cluster: Any = client
        primaries = sorted(cluster.get_primaries(), key=lambda n: n.name)
        return [(n.name, client.get_redis_connection(n)) for n in primaries]
    return [("single", client)]


def _scan(
    client: Any, prefix: str, count: int, cursors: dict[str, int] | None = None
) -> Iterator[tuple[list[bytes], dict[str, int]]]:
    """Batches of keys under ``prefix``, with the cursor state to resume *after* each batch.

    ``cursors`` maps node name → next cursor; ``-1`` marks a node already scanned to the end.
    """
    state = dict(cursors or {})
    match = _glob_escape(prefix) + "*"
    for name, node in _nodes(client):
        cur = state.get(name, 0)
        if cur == -1:
            continue
        while True:
            try:
                cur, keys = node.scan(cur, match=match, count=count)
            except (redis.RedisError, OSError) as exc:
                raise from_redis(exc, "SCAN", prefix, name) from exc
            cur = int(cur)
            state[name] = cur if cur != 0 else -1
            yield list(keys), dict(state)
            if cur == 0:
                break


def _count(client: Any, prefix: str, count: int, skip: Callable[[str], bool] | None = None) -> int:
    """How many keys are under ``prefix`` now (a keys-only SCAN, for the progress bar)."""
    n = 0
    for keys, _ in _scan(client, prefix, max(count, 1000)):
        n += sum(1 for k in keys if skip is None or not skip(_text(k)))
    return n


def _pipe(client: Any) -> Any:
    return client.pipeline(transaction=False)


def _run(pipe: Any, what: str) -> list[Any]:
    try:
        return list(pipe.execute(raise_on_error=False))
    except (redis.RedisError, OSError) as exc:
        raise from_redis(exc, what, "") from exc


@dataclass
class Record:
    key: str
    raw: bytes | None  # None: the key vanished between SCAN and GET
    pttl: int  # ms; -1 = no expiry


def _fetch(client: Any, keys: Sequence[bytes | str]) -> list[Record]:
    pipe = _pipe(client)
    for k in keys:
        pipe.get(k)
        pipe.pttl(k)
    res = _run(pipe, "GET")
    out = []
    for i, k in enumerate(keys):
        raw, pttl = res[2 * i], res[2 * i + 1]
        for r in (raw, pttl):
            if isinstance(r, Exception):
                raise from_redis(r, "GET", _text(k))
        out.append(Record(_text(k), raw if isinstance(raw, bytes) else None, int(pttl)))
    return out


def _text(k: bytes | str) -> str:
    return k.decode("utf-8", "surrogateescape") if isinstance(k, bytes) else k


class _Checkpoint:
    """A small JSON file replaced atomically (temp file + fsync + ``os.replace``)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def load(self) -> dict[str, Any] | None:
        try:
            with open(self.path, encoding="utf-8") as f:
                data: dict[str, Any] = json.load(f)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise click.UsageError(f"checkpoint {self.path!r} is unreadable: {exc}") from exc
        return data

    def save(self, data: Mapping[str, Any]) -> None:
        tmp = f"{self.path}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)


def _progress(total: int | None, desc: str, enabled: bool | None, initial: int = 0) -> Any:
    """A tqdm bar on stderr (rate and ETA); ``enabled=None`` shows it only on a terminal."""
    tqdm = importlib.import_module("tqdm").tqdm
    return tqdm(
        total=total,
        initial=initial,
        desc=desc,
        unit="rec",
        unit_scale=False,
        file=sys.stderr,
        disable=None if enabled is None else not enabled,
        dynamic_ncols=True,
        mininterval=0.2,
        smoothing=0.1,
    )


def _source_options(f: Any) -> Any:
    for opt in reversed(
        [
            click.option(
                "--url",
                default=_DEFAULT_URL,
                show_default=True,
                envvar="GORILLA_REDIS_URL",
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
                "--serializer",
                type=click.Choice(["gob", "json"]),
                default="gob",
                show_default=True,
                help="Session serializer of the records (Go: GobSerializer / JSONSerializer).",
            ),
            click.option(
                "--batch",
                type=click.IntRange(1, 100000),
                default=500,
                show_default=True,
                help="Records per SCAN/pipeline round trip.",
            ),
            click.option(
                "--progress/--no-progress",
                default=None,
                help="Progress bar on stderr [default: when stderr is a terminal].",
            ),
        ]
    ):
        f = opt(f)
    return f


# -- export -----------------------------------------------------------------------------------


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
    "--count/--no-count",
    "do_count",
    default=True,
    show_default=True,
    help="Count the keys first, for the bar's total and ETA.",
)
@json_option
def export_cmd(
    url: str,
    cluster: bool,
    prefix: str,
    serializer: str,
    batch: int,
    progress: bool | None,
    output: str,
    resume: bool,
    checkpoint: str | None,
    do_count: bool,
    as_json: bool,
) -> int:
    """SCAN a key prefix and write one JSON line per session:
    {"key", "id", "ttl", "pttl", "serializer", "value" (typed jsonview), "raw" (base64)}.

    Resumable with --resume when writing to a file; a record that does not decode is still
    exported (raw, with "error") and makes the exit code 1.
    """
    client = _connect(url, cluster)
    ser = _serializer(serializer)
    to_file = output != "-"
    if resume and not to_file:
        raise click.UsageError("--resume needs --output FILE")
    ckpt = _Checkpoint(checkpoint or f"{output}.ckpt") if to_file else None
    params = {"url": url, "prefix": prefix, "serializer": serializer}
    cursors: dict[str, int] = {}
    done = errors = 0
    seen: set[str] = set()
    if ckpt is not None:
        state = ckpt.load()
        if state is not None and state.get("complete") and not resume:
            state = None  # a finished export: write it again from the start
        if state is not None and not resume:
            raise click.UsageError(
                f"checkpoint {ckpt.path} exists: pass --resume, or remove it to start over"
            )
        if state is not None:
            if state.get("params") != params:
                raise click.UsageError(
                    f"checkpoint {ckpt.path} was made with other options: {state.get('params')}"
                )
            if state.get("complete"):
                click.echo(f"export already complete: {state['done']} records in {output}", err=True)
                return 0
            cursors, done, errors = state["cursors"], state["done"], state["errors"]
            with open(output, "r+b") as f:
                f.truncate(state["offset"])
            with open(output, encoding="utf-8") as f:
                seen = {json.loads(line)["key"] for line in f if line.strip()}
        elif resume:
            raise click.UsageError(f"no checkpoint {ckpt.path} to resume from")
    total = _count(client, prefix, batch) if do_count else None
    out = open(output, "a" if resume else "w", encoding="utf-8") if to_file else sys.stdout
    bar = _progress(total, "export", progress, initial=done)
    try:
        for keys, state_after in _scan(client, prefix, batch, cursors):
            fresh = [k for k in keys if _text(k) not in seen]
            for rec in _fetch(client, fresh):
                if rec.raw is None:
                    continue
                seen.add(rec.key)
                line: dict[str, Any] = {
                    "key": rec.key,
                    "id": rec.key[len(prefix) :],
                    "ttl": _ttl_s(rec.pttl),
                    "pttl": rec.pttl,
                    "serializer": serializer,
                }
                try:
                    line["value"] = jsonview.to_typed(ser.loads(rec.raw))
                except GorillaError as exc:
                    line["error"] = str(exc)
                    errors += 1
                line["raw"] = base64.b64encode(rec.raw).decode("ascii")
                out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
                done += 1
                bar.update(1)
            if ckpt is not None:
                out.flush()
                os.fsync(out.fileno())
                ckpt.save(
                    {
                        "params": params,
                        "cursors": state_after,
                        "done": done,
                        "errors": errors,
                        "offset": out.tell(),
                        "complete": False,
                    }
                )
        if ckpt is not None:
            ckpt.save(
                {
                    "params": params,
                    "cursors": {},
                    "done": done,
                    "errors": errors,
                    "offset": out.tell(),
                    "complete": True,
                }
            )
    finally:
        bar.close()
        if to_file:
            out.close()
    summary = {"ok": errors == 0, "exported": done, "undecodable": errors, "output": output}
    if as_json and to_file:
        emit(summary)
    elif to_file:
        click.echo(
            f"exported {done} records to {output}" + (f", {errors} undecodable" if errors else ""), err=True
        )
    return 0 if errors == 0 else 1


def _ttl_s(pttl: int) -> int:
    return -1 if pttl < 0 else math.ceil(pttl / 1000)


# -- writing and verifying --------------------------------------------------------------------


@dataclass
class _Planned:
    source: str
    target: str
    payload: bytes
    pttl: int


def _write_verify(client: Any, plans: Sequence[_Planned], ser: SessionSerializer) -> None:
    """``SET target payload [PX pttl]`` for every plan, then read each back and decode it."""
    if not plans:
        return
    pipe = _pipe(client)
    for p in plans:
        if p.pttl > 0:
            pipe.set(p.target, p.payload, px=p.pttl)
        else:
            pipe.set(p.target, p.payload)
    for p, r in zip(plans, _run(pipe, "SET"), strict=True):
        if isinstance(r, Exception):
            raise from_redis(r, "SET", p.target)
    back = _fetch(client, [p.target for p in plans])
    for p, rec in zip(plans, back, strict=True):
        if rec.raw != p.payload:
            raise ConvertError(f"verify {p.target}: read back {_n(rec.raw)} bytes, wrote {len(p.payload)}")
        if (p.pttl > 0) != (rec.pttl > 0):
            raise ConvertError(f"verify {p.target}: TTL {rec.pttl} ms after writing {p.pttl} ms")
        try:
            ser.loads(rec.raw)
        except GorillaError as exc:
            raise ConvertError(f"verify {p.target}: the written value does not decode: {exc}") from exc


def _n(raw: bytes | None) -> str:
    return "no" if raw is None else str(len(raw))


# -- import -----------------------------------------------------------------------------------


@redis_group.command("import")
@click.argument("input_file", metavar="JSONL")
@click.option(
    "--url", default=_DEFAULT_URL, show_default=True, envvar="GORILLA_REDIS_URL", help="Target Redis URL."
)
@click.option("--cluster", is_flag=True, help="The target is a Redis Cluster.")
@click.option("--prefix", default=None, help="Write under this prefix + id instead of each record's key.")
@click.option(
    "--serializer",
    type=click.Choice(["gob", "json"]),
    default=None,
    help="Serializer to write [default: each record's own; its raw bytes are then kept].",
)
@click.option("--batch", type=click.IntRange(1, 100000), default=500, show_default=True)
@click.option("--resume", is_flag=True, help="Skip the lines a previous run checkpointed.")
@click.option("--checkpoint", default=None, help="Checkpoint file [default: JSONL.import.ckpt].")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
@json_option
def import_cmd(
    input_file: str,
    url: str,
    cluster: bool,
    prefix: str | None,
    serializer: str | None,
    batch: int,
    resume: bool,
    checkpoint: str | None,
    progress: bool | None,
    as_json: bool,
) -> int:
    """Write the records of a `redis export` file, TTLs kept, each batch verified by reading back."""
    client = _connect(url, cluster)
    ckpt = _Checkpoint(checkpoint or f"{input_file}.import.ckpt")
    state = ckpt.load()
    if state is not None and not resume and not state.get("complete"):
        raise click.UsageError(f"checkpoint {ckpt.path} exists: pass --resume, or remove it")
    skip = state["lines"] if state is not None and resume else 0
    with open(input_file, encoding="utf-8") as f:
        lines = [ln for ln in f if ln.strip()]
    bar = _progress(len(lines), "import", progress, initial=skip)
    written = 0
    try:
        for start in range(skip, len(lines), batch):
            groups: dict[str, list[_Planned]] = {}
            for ln in lines[start : start + batch]:
                rec = json.loads(ln)
                name = serializer or rec.get("serializer", "gob")
                groups.setdefault(name, []).append(_plan_import(rec, prefix, serializer))
            for name, plans in groups.items():
                _write_verify(client, plans, _serializer(name))
                written += len(plans)
            done = min(start + batch, len(lines))
            ckpt.save({"input": input_file, "lines": done, "complete": False})
            bar.update(done - start)
        ckpt.save({"input": input_file, "lines": len(lines), "complete": True})
    finally:
        bar.close()
    if as_json:
        emit({"ok": True, "imported": written, "skipped_lines": skip})
    else:
        click.echo(f"imported {written} records", err=True)
    return 0


def _plan_import(rec: Mapping[str, Any], prefix: str | None, serializer: str | None) -> _Planned:
    key = rec["key"] if prefix is None else prefix + rec["id"]
    own = rec.get("serializer", "gob")
    if (serializer is None or serializer == own) and rec.get("raw") is not None:
        payload = base64.b64decode(rec["raw"])
    else:
        if "value" not in rec:
            raise ConvertError(f"{rec['key']}: no decodable value to re-serialize ({rec.get('error')})")
        payload = _serializer(serializer or own).dumps(jsonview.from_typed(rec["value"]))
    return _Planned(rec["key"], key, payload, int(rec.get("pttl", rec.get("ttl", -1) * 1000)))


# -- convert ----------------------------------------------------------------------------------


@dataclass
class _Stats:
    converted: int = 0
    already: int = 0
    vanished: int = 0
    skipped: int = 0
    deleted: int = 0
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "converted": self.converted,
            "already_converted": self.already,
            "vanished": self.vanished,
            "skipped_errors": self.skipped,
            "deleted_sources": self.deleted,
            "errors": self.errors[:20],
        }


@dataclass
class _Converter:
    src: Any
    dst: Any
    prefix: str
    to_prefix: str
    from_ser: SessionSerializer
    to_ser: SessionSerializer
    same_server: bool
    on_error: str

    def skip_key(self, key: str) -> bool:
        """On one server, keys already under a longer target prefix are outputs, not inputs."""
        return (
            self.same_server
            and self.to_prefix != self.prefix
            and self.to_prefix.startswith(self.prefix)
            and key.startswith(self.to_prefix)
        )

    def plan(self, records: Sequence[Record], stats: _Stats) -> list[_Planned]:
        plans = []
        for rec in records:
            if rec.raw is None or rec.pttl in (-2, 0):  # gone, or expiring this millisecond
                stats.vanished += 1
                continue
            target = self.to_prefix + rec.key[len(self.prefix) :]
            try:
                values = self.from_ser.loads(rec.raw)
            except GorillaError as exc:
                if target == rec.key and self.same_server and _decodes(self.to_ser, rec.raw):
                    stats.already += 1  # converted in place by an interrupted run
                    continue
                self._error(stats, f"{rec.key}: {exc}")
                continue
            try:
                payload = self.to_ser.dumps(values)
            except GorillaError as exc:
                self._error(stats, f"{rec.key}: cannot write as the target serializer: {exc}")
                continue
            plans.append(_Planned(rec.key, target, payload, rec.pttl))
        return plans

    def _error(self, stats: _Stats, text: str) -> None:
        stats.errors.append(text)
        if self.on_error == "stop":
            raise ConvertError(text, hint="fix or remove the record, or pass --on-error skip to leave it")
        stats.skipped += 1

    def records(self, keys: Sequence[bytes]) -> list[Record]:
        return _fetch(self.src, [k for k in keys if not self.skip_key(_text(k))])

    def delete_sources(self, plans_sources: Sequence[str], stats: _Stats) -> None:
        if not plans_sources:
            return
        pipe = _pipe(self.src)
        for k in plans_sources:
            pipe.delete(k)
        for k, r in zip(plans_sources, _run(pipe, "DEL"), strict=True):
            if isinstance(r, Exception):
                raise from_redis(r, "DEL", k)
            stats.deleted += int(r)


def _decodes(ser: SessionSerializer, raw: bytes) -> bool:
    try:
        ser.loads(raw)
    except GorillaError:
        return False
    return True


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
@click.option("--dry-run", is_flag=True, help="Read and convert everything, write nothing, report.")
@click.option(
    "--preflight/--no-preflight",
    default=True,
    show_default=True,
    help="Run the dry run first and stop before writing if any record would fail.",
)
@click.option(
    "--on-error",
    type=click.Choice(["stop", "skip"]),
    default="stop",
    show_default=True,
    help="A record that does not convert: stop the run, or leave it and go on.",
)
@click.option("--delete-source", is_flag=True, help="Delete each source record once its copy is verified.")
@click.option(
    "--checkpoint", default=None, help="Checkpoint file [default: gorillacompat-convert-<prefix>.ckpt]."
)
@click.option("--resume", is_flag=True, help="Continue an interrupted run from its checkpoint.")
@json_option
def convert_cmd(
    url: str,
    cluster: bool,
    prefix: str,
    serializer: str,
    batch: int,
    progress: bool | None,
    to_url: str | None,
    to_cluster: bool,
    to_prefix: str | None,
    to_serializer: str | None,
    dry_run: bool,
    preflight: bool,
    on_error: str,
    delete_source: bool,
    checkpoint: str | None,
    resume: bool,
    as_json: bool,
) -> int:
    """Move sessions to another serializer (gob <-> JSON), prefix, Redis or Cluster.

    Batched and pipelined; TTLs kept; every record read back and decoded before the next batch;
    sources deleted only with --delete-source and only after verification. Interrupted runs
    continue with --resume from the checkpoint, without losing or doubling a record.
    """
    to_prefix = prefix if to_prefix is None else to_prefix
    to_serializer = to_serializer or serializer
    same_server = to_url is None or (to_url == url and to_cluster == cluster)
    if same_server and to_prefix == prefix and to_serializer == serializer:
        raise click.UsageError("nothing to convert: give --to-prefix, --to-serializer or --to-url")
    if same_server and to_prefix != prefix and prefix.startswith(to_prefix):
        raise click.UsageError("on one server the target prefix must not be a prefix of the source prefix")
    if delete_source and same_server and to_prefix == prefix:
        delete_source = False  # converted in place: the source *is* the target
    src = _connect(url, cluster)
    dst = src if same_server else _connect(to_url or url, to_cluster)
    conv = _Converter(
        src,
        dst,
        prefix,
        to_prefix,
        _serializer(serializer),
        _serializer(to_serializer),
        same_server,
        on_error,
    )
    params = {
        "url": url,
        "prefix": prefix,
        "serializer": serializer,
        "to_url": to_url or url,
        "to_prefix": to_prefix,
        "to_serializer": to_serializer,
    }
    ckpt = _Checkpoint(checkpoint or f"gorillacompat-convert-{prefix.strip(':') or 'all'}.ckpt")
    state = None if dry_run else ckpt.load()
    if state is not None and state.get("complete") and not resume:
        state = None  # a finished run's checkpoint: this is a new run (idempotent)
    if state is not None and not resume and not state.get("complete"):
        raise click.UsageError(f"checkpoint {ckpt.path} exists: pass --resume to continue, or remove it")
    if state is not None and resume and state.get("params") != params:
        raise click.UsageError(f"checkpoint {ckpt.path} was made with other options: {state.get('params')}")
    if resume and state is None:
        raise click.UsageError(f"no checkpoint {ckpt.path} to resume from")
    if state is not None and state.get("complete") and resume:
        _report(as_json, "convert already complete", state["stats"], ok=True)
        return 0
    if dry_run or (preflight and state is None):
        dry = replace(conv, on_error="skip")
        stats = _Stats()
        bar = _progress(
            _count(src, prefix, batch, conv.skip_key), "dry run" if dry_run else "preflight", progress
        )
        try:
            for keys, _ in _scan(src, prefix, batch):
                records = dry.records(keys)
                stats.converted += len(dry.plan(records, stats))
                bar.update(len(records))
        finally:
            bar.close()
        if dry_run or (stats.errors and on_error == "stop"):
            what = "dry run: nothing written" if dry_run else "preflight failed: nothing written"
            _report(as_json, what, stats.to_json(), ok=not stats.errors)
            return 0 if not stats.errors else 1
    stats = _Stats()
    cursors: dict[str, int] = {}
    if state is not None:
        cursors = state["cursors"]
        s = state["stats"]
        stats = _Stats(
            s["converted"],
            s["already_converted"],
            s["vanished"],
            s["skipped_errors"],
            s["deleted_sources"],
            list(s["errors"]),
        )
    done0 = stats.converted + stats.already + stats.skipped + stats.vanished
    left = _count(src, prefix, batch, conv.skip_key)
    total = done0 + left if delete_source else max(left, done0)
    bar = _progress(total, "convert", progress, initial=done0)
    try:
        for keys, state_after in _scan(src, prefix, batch, cursors):
            records = conv.records(keys)
            plans = conv.plan(records, stats)
            _write_verify(dst, plans, conv.to_ser)
            stats.converted += len(plans)
            if delete_source:
                conv.delete_sources([p.source for p in plans], stats)
            ckpt.save({"params": params, "cursors": state_after, "stats": stats.to_json(), "complete": False})
            bar.update(len(records))
        ckpt.save({"params": params, "cursors": {}, "stats": stats.to_json(), "complete": True})
    finally:
        bar.close()
    _report(as_json, "converted", stats.to_json(), ok=not stats.errors)
    return 0 if not stats.errors else 1


def _report(as_json: bool, what: str, stats: Mapping[str, Any], *, ok: bool) -> None:
    if as_json:
        emit({"ok": ok, **stats})
        return
    parts = [f"{k.replace('_', ' ')} {v}" for k, v in stats.items() if k != "errors" and v]
    click.echo(f"{what}: " + (", ".join(parts) or "no records"), err=True)
    for e in stats.get("errors", [])[:20]:
        click.echo(f"  error: {e}", err=True)


# -- stats ------------------------------------------------------------------------------------


@redis_group.command("stats")
@_source_options
@json_option
def stats_cmd(
    url: str, cluster: bool, prefix: str, serializer: str, batch: int, progress: bool | None, as_json: bool
) -> int:
    """Counts, value sizes, a TTL histogram and the Go types stored under a prefix."""
    client = _connect(url, cluster)
    ser = _serializer(serializer)
    sizes: list[int] = []
    ttl_hist: Counter[str] = Counter()
    types: Counter[str] = Counter()
    key_types: Counter[str] = Counter()
    formats: Counter[str] = Counter()
    bar = _progress(None, "stats", progress)
    try:
        for keys, _ in _scan(client, prefix, batch):
            for rec in _fetch(client, keys):
                if rec.raw is None:
                    continue
                bar.update(1)
                sizes.append(len(rec.raw))
                ttl_hist[_bucket(rec.pttl)] += 1
                try:
                    values = ser.loads(rec.raw)
                except GorillaError:
                    other = "json" if serializer == "gob" else "gob"
                    formats["undecodable" if not _decodes(_serializer(other), rec.raw) else other] += 1
                    continue
                formats[serializer] += 1
                node = jsonview.to_typed(values)
                for k, v in node["v"]:
                    key_types[k["t"]] += 1
                    types[v["t"]] += 1
    finally:
        bar.close()
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
        return 0
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
    return 0


def _bucket(pttl: int) -> str:
    if pttl < 0:
        return "no expiry"
    for name, limit in _TTL_BUCKETS[1:]:
        if pttl / 1000 < limit:
            return name
    return ">= 30d"  # pragma: no cover


def _pct(values: list[int], p: int) -> int:
    if not values:
        return 0
    s = sorted(values)
    return s[min(len(s) - 1, (len(s) * p) // 100)]
