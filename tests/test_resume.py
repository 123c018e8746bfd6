"""A run killed with SIGKILL in the middle of a batch, started again with the same command,
gives exactly the outputs of a run that was never interrupted.

The run goes in a child process so it can really be killed. It uses the rule recognisers and
hashing embeddings (no model weights), and small batches so the kill lands mid-corpus.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE
from qualcode.stream import WORK

pytestmark = pytest.mark.slow

CODEBOOK = REPO / "codebooks" / "supervision.yaml"
SCRIPT = """
import sys
from qualcode.pipeline.run import run
from qualcode.pipeline.settings import RunOptions
summary = run([sys.argv[1]], sys.argv[2], RunOptions(
    codebook=sys.argv[3], key_file=sys.argv[4], use_ner=False, embedder="hashing",
    batch_size=40, quiet=True))
print("resumed", summary.resumed, "of", summary.batches)
"""
COMPARED = ["segments.csv", "codings.csv", "topics.csv", "redaction_audit.csv", "segments.parquet",
            "codings.parquet", "topics.parquet", "project.qdpx"]


def start(out: Path, key: Path) -> subprocess.Popen:
    # project.qdpx records when its run started; a fixed SOURCE_DATE_EPOCH makes two runs
    # made at different times comparable byte for byte.
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1714557600"}
    return subprocess.Popen([sys.executable, "-c", SCRIPT, str(SAMPLE), str(out), str(CODEBOOK), str(key)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=env)


def finish(process: subprocess.Popen) -> str:
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr[-2000:]
    return stdout


def store_rows(out: Path) -> dict[str, list]:
    with sqlite3.connect(out / "qualcode.db") as db:
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("documents", "segments")}


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("whole")
    finish(start(folder / "out", folder / "key.json"))
    return folder


@pytest.mark.parametrize("killed_after", [1, 9])
def test_killed_run_resumes_to_the_same_outputs(uninterrupted, tmp_path, killed_after):
    out, key = tmp_path / "out", tmp_path / "key.json"
    running = start(out, key)
    finished_batch = out / WORK / f"batch-{killed_after:06d}"
    deadline = time.monotonic() + 300
    while not finished_batch.exists():
        assert running.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(running.pid, signal.SIGKILL)  # in the middle of the next batch
    running.wait()
    assert running.returncode == -signal.SIGKILL
    done = sorted(p.name for p in (out / WORK).glob("batch-*") if not p.name.endswith(".tmp"))
    assert killed_after <= len(done) < 20  # killed before the last of 20 batches
    assert not (out / "manifest.json").exists()  # no outputs from the killed run

    stdout = finish(start(out, key))

    assert f"resumed {len(done)} of 20" in stdout
    assert not (out / WORK).exists()  # checkpoints go once the outputs are in place
    for name in COMPARED:
        assert (out / name).read_bytes() == (uninterrupted / "out" / name).read_bytes(), name
    assert store_rows(out) == store_rows(uninterrupted / "out")
    assert json.loads(key.read_text()) == json.loads((uninterrupted / "key.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["outputs"] == json.loads((uninterrupted / "out" / "manifest.json").read_text())["outputs"]
