"""The single-stage commands end to end on a small input, with the real models."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import REPO, SAMPLE
from qualcode.cli import main
from qualcode.codebook import load_codebook
from qualcode.report.tables import CODING_COLUMNS

pytestmark = pytest.mark.model

CODEBOOK = str(REPO / "codebooks" / "supervision.yaml")
INPUTS = [str(SAMPLE / "interview_03_plymouth.txt"), str(SAMPLE / "breakout_01_london.md")]


def invoke(*args: str):
    result = CliRunner().invoke(main, [*args, "--quiet"])
    assert result.exit_code == 0, result.output
    return result


def test_code_writes_the_contract_columns_with_evidence(tmp_path):
    out = tmp_path / "codings.csv"
    result = invoke("code", *INPUTS, "--codebook", CODEBOOK, "--out", str(out))
    frame = pd.read_csv(out)
    assert list(frame.columns) == list(CODING_COLUMNS)  # codings.csv as qualcode run writes it
    assert len(frame) > 0 and frame["evidence"].notna().all()
    assert set(frame["code_id"]) <= {"isolation", "boundaries", "burnout", "validation"}
    names = {code.id: code.name for code in load_codebook(CODEBOOK).codes}
    assert all(frame["code"] == frame["code_id"].map(names))  # the display name beside the id
    # Interviewer turns (odd turns in this transcript) are never coded.
    interviewer = {f"interview_03_plymouth.txt:{n}" for n in range(1, 60, 2)}
    assert not interviewer & set(frame["segment_id"])
    assert "codings of" in result.output


def test_code_suggest_needs_training_data(tmp_path):
    result = CliRunner().invoke(main, ["code", *INPUTS, "--codebook", CODEBOOK, "--out",
                                       str(tmp_path / "c.csv"), "--suggest", "5"])
    assert result.exit_code == 2 and "--suggest needs --train" in result.output


def test_code_with_training_data_suggests_segments(tmp_path):
    train = tmp_path / "train.csv"
    train.write_text("segment_id,code\n"
                     "interview_03_plymouth.txt:6,isolation\ninterview_03_plymouth.txt:8,burnout\n"
                     "interview_03_plymouth.txt:10,boundaries\ninterview_03_plymouth.txt:12,validation\n"
                     "interview_03_plymouth.txt:14,isolation\ninterview_03_plymouth.txt:16,burnout\n")
    result = invoke("code", *INPUTS, "--codebook", CODEBOOK, "--out", str(tmp_path / "c.csv"),
                    "--train", str(train), "--suggest", "3")
    suggested = [line for line in result.output.splitlines() if "uncertainty" in line]
    assert len(suggested) == 3


def test_code_trains_on_the_human_codes_stored_in_a_project(tmp_path):
    project = str(tmp_path / "project")
    assert CliRunner().invoke(main, ["ingest", *INPUTS, "--out", project]).exit_code == 0
    alice = tmp_path / "alice.csv"
    alice.write_text("segment_id,code\n"
                     "interview_03_plymouth.txt:6,isolation\ninterview_03_plymouth.txt:8,burnout\n"
                     "interview_03_plymouth.txt:14,isolation\ninterview_03_plymouth.txt:16,burnout\n")
    imported = CliRunner().invoke(main, ["import-codes", str(alice), "--project", project])
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "c.csv"
    invoke("code", *INPUTS, "--codebook", CODEBOOK, "--out", str(out), "--train", project)
    frame = pd.read_csv(out)
    assert (frame["method"] == "model").any()


def test_topics_and_quotes_commands(tmp_path):
    result = invoke("topics", *INPUTS, "--out", str(tmp_path / "topics"))
    assert "topics from" in result.output
    assert len(pd.read_csv(tmp_path / "topics" / "topics.csv")) >= 2
    fixed = invoke("topics", *INPUTS, "--n-topics", "4", "--out", str(tmp_path / "four"))
    assert "k=4, fixed" in fixed.output
    assert len(pd.read_csv(tmp_path / "four" / "topics.csv")) == 4
    refused = CliRunner().invoke(main, ["topics", *INPUTS, "--n-topics", "1", "--out", str(tmp_path / "one")])
    assert refused.exit_code == 2 and "--n-topics" in refused.output
    quotes = tmp_path / "quotes.csv"
    result = invoke("quotes", *INPUTS, "--codebook", CODEBOOK, "--out", str(quotes))
    frame = pd.read_csv(quotes)
    assert len(frame) > 0
    assert "fewer than 5" in result.output or "small" in result.output.lower()
