"""The whole pipeline on the sample corpus, with the real models.

Two runs must agree exactly, and no planted identifier may appear in any file of the output
folder: text files, the SQLite store, Parquet tables, and inside the .docx, .xlsx and .qdpx
zips.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from conftest import REPO, SAMPLE
from qualcode.errors import UsageError
from qualcode.pipeline.run import run
from qualcode.pipeline.settings import RunOptions

pytestmark = pytest.mark.model

CODEBOOK = REPO / "codebooks" / "supervision.yaml"
IDENTIFIERS = [line.strip() for line in (REPO / "tests" / "data" / "sample_identifiers.txt")
               .read_text(encoding="utf-8").splitlines() if line.strip()]
EXPECTED_FILES = {"report.html", "report.docx", "quotes.xlsx", "project.qdpx", "manifest.json",
                  "qualcode.db", "redaction_audit.csv", "segments.csv", "codings.csv", "topics.csv",
                  "segments.parquet", "codings.parquet", "topics.parquet"}


@pytest.fixture(scope="module", autouse=True)
def fixed_export_time():
    """project.qdpx records when its run started; a fixed SOURCE_DATE_EPOCH makes runs made at
    different times comparable byte for byte."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1714557600")
        yield


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    options = RunOptions(codebook=str(CODEBOOK), quiet=True)
    first = tmp_path_factory.mktemp("run1")
    second = tmp_path_factory.mktemp("run2")
    return run([SAMPLE], first, options), run([SAMPLE], second, options)


def texts_in(folder: Path):
    """(file name, text) for every file, looking inside zips, databases and Parquet."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".parquet":
            yield path.name, pd.read_parquet(path).to_csv(index=False)
        elif zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    yield f"{path.name}!{member}", archive.read(member).decode("utf-8", "ignore")
        else:
            yield path.name, data.decode("utf-8", "ignore")


def test_run_writes_every_output(runs):
    summary, _ = runs
    names = {p.name for p in summary.out.iterdir()}
    assert EXPECTED_FILES <= names
    assert not any(name.startswith(".qualcode-staging") for name in names)
    manifest = json.loads((summary.out / "manifest.json").read_text())
    assert set(manifest["inputs"]) >= {"interview_01_london.vtt", "workforce_survey_2024.csv"}
    assert manifest["versions"]["spacy"]


def test_no_planted_identifier_reaches_any_output(runs):
    summary, _ = runs
    leaks = []
    for name, text in texts_in(summary.out):
        for identifier in IDENTIFIERS:
            if re.search(rf"(?<!\w){re.escape(identifier)}(?!\w)", text, re.IGNORECASE):
                leaks.append(f"{identifier!r} in {name}")
    assert not leaks, f"{len(leaks)} leaks: {leaks[:20]}"


def test_two_runs_give_identical_topics_and_quotes(runs):
    first, second = runs
    assert first.result.topics == second.result.topics
    assert first.result.topic_of_segment == second.result.topic_of_segment
    assert first.result.quotes == second.result.quotes
    assert first.result.codings == second.result.codings


def test_every_code_is_found_in_the_sample_with_evidence(runs):
    summary, _ = runs
    codes = {c.code_id for c in summary.result.codings}
    assert codes == {"isolation", "boundaries", "burnout", "validation"}
    assert all(c.evidence for c in summary.result.codings)


def test_interviewer_turns_are_never_coded_or_quoted(runs):
    summary, _ = runs
    interviewer = {s.id for s in summary.result.segments if s.role == "interviewer"}
    assert interviewer
    assert not interviewer & {c.segment_id for c in summary.result.codings}
    assert not interviewer & {q.segment_id for q in summary.result.quotes}


def test_key_inside_the_output_folder_is_refused(tmp_path):
    with pytest.raises(UsageError, match="keep the re-identification key elsewhere"):
        run([SAMPLE], tmp_path, RunOptions(key_file=str(tmp_path / "key.json"), quiet=True))


def test_dask_engine_gives_the_same_outputs_as_the_local_engine(runs, tmp_path):
    """Redaction, embedding and coding on a LocalCluster of 2 worker processes."""
    local, _ = runs
    distributed = run([SAMPLE], tmp_path, RunOptions(codebook=str(CODEBOOK), engine="dask", workers=2,
                                                     quiet=True))
    assert distributed.result.segments == local.result.segments
    assert distributed.result.documents == local.result.documents
    assert distributed.result.codings == local.result.codings
    assert distributed.result.topic_of_segment == local.result.topic_of_segment
    assert distributed.result.quotes == local.result.quotes
    for name in ("segments.csv", "codings.csv", "topics.csv", "redaction_audit.csv", "project.qdpx"):
        assert (tmp_path / name).read_bytes() == (local.out / name).read_bytes(), name
