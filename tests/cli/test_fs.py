"""``gorillacompat fs …``: FilesystemStore directories the real Go store wrote (fixtures/sessions),
re-keyed, then read by the real Go FilesystemStore (go-harness ``session-file``)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from gorillacompat.securecookie import codecs_from_pairs, encode_multi
from tests._fixtures import canonical_typed, load_topic

from .conftest import Runner, key_args

SAVES = [c for c in load_topic("sessions/filesystem.json")["cases"] if c["op"] == "save" and c["files"]]
NEW_KEYS = ["77" * 32, "88" * 16]


def test_export_go_files_then_rekey_and_go_reads_them(cli: Runner, harness: Any, tmp_path: Path) -> None:
    reqs, want = [], []
    for i, case in enumerate(SAVES):
        src, dst = tmp_path / f"src{i}", tmp_path / f"dst{i}"
        src.mkdir()
        for name, f in case["files"].items():
            (src / name).write_text(f["contents"])
        (src / "unrelated.txt").write_text("not a session")
        out = tmp_path / f"export{i}.jsonl"
        res = cli("fs", "export", str(src), "--name", case["name"], *key_args(case["keys"]),
                  "--now", str(case["now"]), "-o", str(out), "--json")  # fmt: skip
        assert res.code == 0, res.out + res.err
        (row,) = [json.loads(line) for line in out.read_text().splitlines()]
        assert row["id"] == case["session_id"] and row["timestamp"] == case["now"]
        assert canonical_typed(row["value"]) == canonical_typed(case["values"])
        imp = cli("fs", "import", str(out), str(dst), "--name", case["name"], *key_args(NEW_KEYS), "--json")
        assert imp.code == 0 and imp.json()["written"] == 1
        path = dst / f"session_{case['session_id']}"
        assert oct(os.stat(path).st_mode & 0o777) == "0o600"
        now = case["now"]
        codecs = codecs_from_pairs(*(bytes.fromhex(k) for k in NEW_KEYS), clock=lambda now=now: now)
        cookie = encode_multi(case["name"], case["session_id"], codecs)
        reqs.append({"id": i, "kind": "session-file", "keys": NEW_KEYS, "name": case["name"],
                     "cookie": cookie, "now": now, "files": {path.name: path.read_text()}})  # fmt: skip
        want.append(case["values"])
    for ans, values in zip(harness.decode(reqs), want, strict=True):
        assert ans["error"] is None and ans["is_new"] is False, ans
        assert canonical_typed(ans["values"]) == canonical_typed(values)


def test_export_reports_files_with_other_keys(cli: Runner, tmp_path: Path) -> None:
    case = SAVES[0]
    for name, f in case["files"].items():
        (tmp_path / name).write_text(f["contents"])
    res = cli("fs", "export", str(tmp_path), "--name", case["name"], "--hash-key", "99" * 32)
    assert res.code == 1 and "securecookie: the value is not valid" in res.err
    assert json.loads(res.out.splitlines()[0])["error"].startswith("securecookie: the value is not valid")
