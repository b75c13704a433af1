"""Export, import and copy, written once over the ``_backends`` interface.

Layering: the ``cli`` layer below the commands; imports ``_backends``, ``jsonview`` and tqdm, not
click, so the ``redis``/``fs`` wrappers and the generic ``export``/``import``/``copy`` share it.

Safety rules (those ``redis convert`` always had, now for every pair of stores):

1. A dry run (or the automatic preflight of ``copy``) reads and converts every record without
   writing; errors stop the run before anything is written (``on_error="skip"`` leaves them).
2. Records go in batches: read, converted, written (expiry kept), then read back and checked
   (stored bytes equal, expiry kept, the value decodes with the target's keys).
3. Only after a batch verifies are its sources deleted (``delete_source``), and only then is the
   checkpoint (the scan position) replaced atomically. A run killed anywhere re-does at most the
   last batch; every step is idempotent (a write replaces, a vanished source is skipped, a record
   already converted in place is counted as such), so none is lost or doubled.
"""

from __future__ import annotations

import base64
import importlib
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from .. import jsonview
from ..errors import DecodeError, ExpiredTimestampError, GorillaError, InternalError, UsageError
from ._backends import Backend, Envelope, Opened, Position, Record

__all__ = [
    "Checkpoint",
    "CopyResult",
    "CopyStats",
    "ExportStats",
    "ImportStats",
    "RunUsageError",
    "TransferError",
    "copy_records",
    "export_records",
    "import_records",
    "progress_bar",
]


class RunUsageError(UsageError):
    """A run that cannot start as asked: its checkpoint's state, or stores that overlap."""


class TransferError(InternalError):
    """A record could not be converted, written or verified; the run stops there."""


class Checkpoint:
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
            raise RunUsageError(f"checkpoint {self.path!r} is unreadable: {exc}") from exc
        return data

    def save(self, data: Mapping[str, Any]) -> None:
        tmp = f"{self.path}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def resumable(self, params: Mapping[str, Any], resume: bool) -> dict[str, Any] | None:
        """The state to continue from: None for a fresh run (a finished run's file is a fresh run).

        Raises ``UsageError`` for an unfinished run not asked to resume, a resume without a file,
        or a file made with other options.
        """
        state = self.load()
        if state is not None and state.get("complete") and not resume:
            return None
        if state is None:
            if resume:
                raise RunUsageError(f"no checkpoint {self.path} to resume from")
            return None
        if not resume:
            raise RunUsageError(f"checkpoint {self.path} exists: pass --resume to continue, or remove it")
        if state.get("params") != params:
            raise RunUsageError(f"checkpoint {self.path} was made with other options: {state.get('params')}")
        return state


def progress_bar(total: int | None, desc: str, enabled: bool | None, initial: int = 0) -> Any:
    """A tqdm bar on stderr (rate and ETA); ``enabled=None`` shows it only on a terminal."""
    tqdm = importlib.import_module("tqdm").tqdm
    return tqdm(
        total=total, initial=initial, desc=desc, unit="rec", unit_scale=False, file=sys.stderr,
        disable=None if enabled is None else not enabled, dynamic_ncols=True, mininterval=0.2,
        smoothing=0.1,
    )  # fmt: skip


def _now_ms() -> int:
    return int(time.time() * 1000)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _rewrap(
    dst: Envelope, fmt: str, serializer: str, stored: bytes, opened: Opened, values: Callable[[], Any],
    timestamp: int | None,
) -> bytes:  # fmt: skip
    """The target's stored bytes: the source's when they already fit (Go's bytes stay Go's), else
    the payload re-sealed, re-serialized only when the serializers differ."""
    if dst.keeps(fmt, serializer, stored):
        return stored
    payload = opened.payload if serializer == dst.serializer_name else dst.serializer.dumps(values())
    return dst.seal(payload, timestamp)


def _write_verified(dst: Backend, records: Sequence[Record]) -> None:
    """Write, read back, and check bytes, expiry and that the target's keys decode the value."""
    if not records:
        return
    dst.write(records)
    for want, got in zip(records, dst.read([r.id for r in records]), strict=True):
        if got is None or got.stored != want.stored:
            n = "no" if got is None else len(got.stored)
            raise TransferError(f"verify {want.id}: read back {n} bytes, wrote {len(want.stored)}")
        if dst.stores_expiry and want.expires_ms is not None:
            if got.expires_ms is None or abs(got.expires_ms - want.expires_ms) > 2000:
                raise TransferError(
                    f"verify {want.id}: expiry {got.expires_ms} after writing {want.expires_ms}"
                )
        try:
            dst.envelope.serializer.loads(dst.envelope.open(got.stored).payload)
        except ExpiredTimestampError:
            pass  # signed with the keys (the MAC is checked first); its age is the source's
        except GorillaError as exc:
            raise TransferError(f"verify {want.id}: the written value does not decode: {exc}") from exc


# -- export -----------------------------------------------------------------------------------


@dataclass
class ExportStats:
    lines: int = 0
    undecodable: int = 0
    complete_before: bool = False


def export_line(src: Backend, rec: Record) -> tuple[dict[str, Any], GorillaError | None]:
    """One JSONL object: where it was, its expiry, the typed jsonview value and the raw bytes.

    A signed record of a store without expiries (files) gets the one its readers apply:
    timestamp + max age.
    """
    env = src.envelope
    line: dict[str, Any] = {src.key_field: rec.key, "id": rec.id}
    fields: dict[str, Any] = {}
    expires, error = rec.expires_ms, None
    try:
        opened = env.open(rec.stored)
        if opened.timestamp is not None:
            fields["timestamp"] = opened.timestamp
        fields["value"] = jsonview.to_typed(env.serializer.loads(opened.payload))
        if opened.payload != rec.stored:
            fields["payload"] = _b64(opened.payload)
        expires = expires if expires is not None else env.expiry_ms(opened)
    except GorillaError as exc:
        fields["error"] = str(exc)
        error = exc
    ttl_ms = -1 if expires is None else max(0, expires - _now_ms())
    line.update(
        ttl=-1 if ttl_ms < 0 else math.ceil(ttl_ms / 1000), pttl=ttl_ms, expires_ms=expires,
        format=env.format, serializer=env.serializer_name, **fields, raw=_b64(rec.stored),
    )  # fmt: skip
    return line, error


def export_records(
    src: Backend, output: str, *, batch: int = 500, checkpoint: str | None = None, resume: bool = False,
    count: bool = True, progress: bool | None = None, warn: Callable[[str], None] = lambda _: None,
) -> ExportStats:  # fmt: skip
    """Write one JSON line per record of ``src`` to ``output`` (``-``: stdout).

    With a ``checkpoint`` (a file output only), the file and the scan position are saved after
    each batch, so ``resume`` continues a killed run without a record twice. A record that does
    not decode is still exported (raw, with ``error``) and ``warn``-ed.
    """
    to_file = output != "-"
    if resume and (not to_file or checkpoint is None):
        raise RunUsageError("--resume needs --output FILE")
    ckpt = Checkpoint(checkpoint) if to_file and checkpoint is not None else None
    params = {"source": src.describe()}
    stats = ExportStats()
    position: Position | None = None
    seen: set[str] = set()
    state = ckpt.resumable(params, resume) if ckpt is not None else None
    if state is not None:
        if state.get("complete"):
            return ExportStats(state["done"], state["errors"], complete_before=True)
        position, stats.lines, stats.undecodable = state["position"], state["done"], state["errors"]
        os.truncate(output, state["offset"])
        with open(output, encoding="utf-8") as done_lines:
            seen = {json.loads(line)["id"] for line in done_lines if line.strip()}
    total = src.count() if count else None
    out: IO[str] = sys.stdout
    if to_file:
        out = open(output, "a" if state else "w", encoding="utf-8")
    bar = progress_bar(total, "export", progress, initial=stats.lines)

    def save(position: Position, complete: bool) -> None:
        if ckpt is not None:
            out.flush()
            os.fsync(out.fileno())
            ckpt.save({"params": params, "position": position, "done": stats.lines,
                       "errors": stats.undecodable, "offset": out.tell(), "complete": complete})  # fmt: skip

    try:
        for ids, after in src.scan(batch, position):
            for rec in src.read([i for i in dict.fromkeys(ids) if i not in seen]):
                if rec is None:
                    continue
                seen.add(rec.id)
                line, error = export_line(src, rec)
                if error is not None:
                    stats.undecodable += 1
                    warn(f"{rec.key}: {error}")
                out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
                stats.lines += 1
                bar.update(1)
            save(after, False)
        save({}, True)
    finally:
        bar.close()
        if to_file:
            out.close()
    return stats


# -- import -----------------------------------------------------------------------------------


@dataclass
class ImportStats:
    imported: int = 0
    skipped_lines: int = 0
    skipped_errors: int = 0
    skipped_existing: int = 0
    expired: int = 0


def _expiry(line: Mapping[str, Any], now_ms: int) -> int | None:
    """``expires_ms`` (absolute); lines of older exports carry only ``pttl`` (relative)."""
    if "expires_ms" in line:
        return None if line["expires_ms"] is None else int(line["expires_ms"])
    pttl = int(line.get("pttl", int(line.get("ttl", -1)) * 1000))
    return now_ms + pttl if pttl > 0 else None


def record_of_line(
    dst: Envelope, line: Mapping[str, Any], session_id: str, *, fresh_timestamp: bool = False
) -> Record:
    """The target record of one export line (of any store, or of an older ``redis``/``fs`` export)."""
    fmt = line.get("format") or ("securecookie" if "payload" in line else "plain")
    raw = base64.b64decode(line["raw"]) if "raw" in line else None
    if "payload" in line:
        payload = base64.b64decode(line["payload"])
    elif fmt == "plain" and raw is not None:
        payload = raw
    else:
        payload = None

    def values() -> Any:
        if "value" not in line:
            raise TransferError(f"{session_id}: no decodable value to re-serialize ({line.get('error')})")
        return jsonview.from_typed(line["value"])

    serializer = line.get("serializer", "gob")
    if payload is None:
        payload, serializer = dst.serializer.dumps(values()), dst.serializer_name
    timestamp = None if fresh_timestamp else line.get("timestamp")
    if raw is None or fresh_timestamp:
        raw, fmt = b"", "none"  # nothing to keep: seal anew
    stored = _rewrap(dst, fmt, serializer, raw, Opened(payload, timestamp), values, timestamp)
    return Record(session_id, stored, _expiry(line, _now_ms()), "")


def import_records(
    dst: Backend, input_file: str, *, batch: int = 500, checkpoint: str | None = None,
    resume: bool = False, progress: bool | None = None, overwrite: bool = True,
    fresh_timestamp: bool = False, id_of: Callable[[Mapping[str, Any]], str] = lambda line: str(line["id"]),
) -> ImportStats:  # fmt: skip
    """Write the records of an export into ``dst``: IDs and expiry kept, each batch verified.

    Lines that were exported with an ``error`` are skipped (they were reported then); records whose
    expiry has passed are skipped as expired. ``id_of`` picks the ID a line is written under.
    """
    ckpt = Checkpoint(checkpoint) if checkpoint is not None else None
    params = {"input": input_file, "target": dst.describe()}
    state = ckpt.resumable(params, resume) if ckpt is not None else None
    stats = ImportStats(skipped_lines=state["lines"] if state is not None else 0)
    with open(input_file, encoding="utf-8") as f:
        lines = [ln for ln in f if ln.strip()]
    bar = progress_bar(len(lines), "import", progress, initial=stats.skipped_lines)
    now_ms = _now_ms()
    try:
        for start in range(stats.skipped_lines, len(lines), batch):
            records: list[Record] = []
            for ln in lines[start : start + batch]:
                line = json.loads(ln)
                if "error" in line:
                    stats.skipped_errors += 1
                    continue
                rec = record_of_line(dst.envelope, line, id_of(line), fresh_timestamp=fresh_timestamp)
                if dst.stores_expiry and rec.expires_ms is not None and rec.expires_ms <= now_ms:
                    stats.expired += 1  # a files target keeps no expiry: its readers check the timestamp
                    continue
                records.append(rec)
            if not overwrite and records:
                there = {r.id for r in dst.read([r.id for r in records]) if r is not None}
                stats.skipped_existing += len(there)
                records = [r for r in records if r.id not in there]
            _write_verified(dst, records)
            stats.imported += len(records)
            done = min(start + batch, len(lines))
            if ckpt is not None:
                ckpt.save({"params": params, "lines": done, "complete": False})
            bar.update(done - start)
        if ckpt is not None:
            ckpt.save({"params": params, "lines": len(lines), "complete": True})
    finally:
        bar.close()
    return stats


# -- copy -------------------------------------------------------------------------------------


@dataclass
class CopyStats:
    converted: int = 0
    already_converted: int = 0
    vanished: int = 0
    skipped_errors: int = 0
    deleted_sources: int = 0
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["errors"] = self.errors[:20]
        return out

    @property
    def seen(self) -> int:
        return self.converted + self.already_converted + self.skipped_errors + self.vanished


@dataclass
class _Copier:
    src: Backend
    dst: Backend
    on_error: str
    fresh_timestamp: bool = False

    @property
    def in_place(self) -> bool:
        return self.src.base == self.dst.base

    def check(self) -> None:
        """Refuse copies that would do nothing or read their own output."""
        if self.in_place and self.src.envelope == self.dst.envelope and not self.fresh_timestamp:
            raise RunUsageError(
                "nothing to copy: the source and the target are the same store, format and keys"
            )
        if not self.in_place and self.src.base.startswith(self.dst.base):
            raise RunUsageError(
                "the target's records include the source's (e.g. a target key prefix that is a prefix "
                "of the source's): the copy would read its own output"
            )

    def wanted(self, ids: Sequence[str]) -> list[str]:
        """IDs that are sources, not this copy's output (a target nested in the source's range)."""
        if self.in_place:
            return list(ids)
        return [i for i in ids if not (self.src.base + i).startswith(self.dst.base)]

    def plan(self, records: Sequence[Record | None], stats: CopyStats) -> list[Record]:
        now_ms = _now_ms()
        src, dst = self.src.envelope, self.dst.envelope
        out = []
        for rec in records:
            if rec is None or (rec.expires_ms is not None and rec.expires_ms <= now_ms):
                stats.vanished += 1
                continue
            try:
                opened = src.open(rec.stored)
                values = src.serializer.loads(opened.payload)
            except ExpiredTimestampError:
                stats.vanished += 1  # past the reader's MaxAge: Go would not load it either
                continue
            except DecodeError as exc:
                if self.in_place and _decodes(dst, rec.stored):
                    stats.already_converted += 1  # converted in place by an interrupted run
                else:
                    self._error(stats, f"{rec.key}: {exc}")
                continue
            stamp = None if self.fresh_timestamp else opened.timestamp
            try:
                stored = _rewrap(
                    dst, "none" if self.fresh_timestamp else src.format, src.serializer_name, rec.stored,
                    opened, _const(values), stamp,
                )  # fmt: skip
            except GorillaError as exc:
                self._error(stats, f"{rec.key}: cannot write as the target serializer: {exc}")
                continue
            expires = rec.expires_ms if rec.expires_ms is not None else src.expiry_ms(opened)
            out.append(Record(rec.id, stored, expires, rec.key))
        return out

    def _error(self, stats: CopyStats, text: str) -> None:
        stats.errors.append(text)
        if self.on_error == "stop":
            raise TransferError(text, hint="fix or remove the record, or pass --on-error skip to leave it")
        stats.skipped_errors += 1

    def batches(
        self, batch: int, position: Position | None
    ) -> Iterator[tuple[list[Record | None], Position]]:
        for ids, after in self.src.scan(batch, position):
            yield self.src.read(self.wanted(list(dict.fromkeys(ids)))), after


def _const(value: Any) -> Callable[[], Any]:
    return lambda: value


def _decodes(env: Envelope, stored: bytes) -> bool:
    try:
        env.serializer.loads(env.open(stored).payload)
    except GorillaError:
        return False
    return True


@dataclass
class CopyResult:
    stats: CopyStats
    #: What happened: "dry run", "preflight failed", "already complete" or "done".
    outcome: str
    #: The run's name in reports and on the progress bar ("copy", "convert").
    label: str


def copy_records(
    src: Backend, dst: Backend, *, checkpoint: str, batch: int = 500, dry_run: bool = False,
    preflight: bool = True, on_error: str = "stop", delete_source: bool = False, resume: bool = False,
    fresh_timestamp: bool = False, progress: bool | None = None, label: str = "copy",
) -> CopyResult:  # fmt: skip
    """Copy every session of ``src`` into ``dst`` (the safety rules in the module docstring).

    ``src`` and ``dst`` may be the same store: records are then converted in place (another
    serializer or other keys), and ``delete_source`` is ignored.
    """
    copier = _Copier(src, dst, on_error, fresh_timestamp)
    copier.check()
    delete_source = delete_source and not copier.in_place
    ckpt = Checkpoint(checkpoint)
    params = {"source": src.describe(), "target": dst.describe(), "fresh_timestamp": fresh_timestamp}
    state = None if dry_run else ckpt.resumable(params, resume)
    if state is not None and state.get("complete"):
        return CopyResult(CopyStats(**state["stats"]), "already complete", label)
    if dry_run or (preflight and state is None):
        dry = _Copier(src, dst, "skip", fresh_timestamp)
        stats = CopyStats()
        bar = progress_bar(src.count(), "dry run" if dry_run else "preflight", progress)
        try:
            for records, _ in dry.batches(batch, None):
                stats.converted += len(dry.plan(records, stats))
                bar.update(len(records))
        finally:
            bar.close()
        if dry_run:
            return CopyResult(stats, "dry run", label)
        if stats.errors and on_error == "stop":
            return CopyResult(stats, "preflight failed", label)
    stats = CopyStats(**state["stats"]) if state is not None else CopyStats()
    position = state["position"] if state is not None else None
    left = src.count()
    total = None if left is None else (stats.seen + left if delete_source else max(left, stats.seen))
    bar = progress_bar(total, label, progress, initial=stats.seen)
    try:
        for records, after in copier.batches(batch, position):
            plans = copier.plan(records, stats)
            _write_verified(dst, plans)
            stats.converted += len(plans)
            if delete_source:
                stats.deleted_sources += src.delete([p.id for p in plans])
            ckpt.save({"params": params, "position": after, "stats": asdict(stats), "complete": False})
            bar.update(len(records))
        ckpt.save({"params": params, "position": {}, "stats": asdict(stats), "complete": True})
    finally:
        bar.close()
    return CopyResult(stats, "done", label)
