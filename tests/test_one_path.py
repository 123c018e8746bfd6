"""Every command reaches redacted text by one path (qualcode.pipeline.process), so `code`,
`topics`, `quotes` and `run` see the same redacted segments, and each table has one writer."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

import qualcode.cli
import qualcode.pipeline.process
import qualcode.pipeline.run
from qualcode.cli import main
from qualcode.report.tables import CODING_COLUMNS, TOPIC_COLUMNS

# Twelve survey answers, read in batches of four. The participant names "Okonkwo" only in
# lower case in the first batch; "Dr Okonkwo" (a title, so a name for certain) first appears
# in the last batch, and must be redacted everywhere all the same.
ANSWERS = [
    "i asked okonkwo for help but i was on my own with it, nobody to ask",
    "I feel isolated and on my own most days at the practice",
    "The caseload is huge and I am exhausted and burnt out by Friday",
    "Clients ring my personal mobile out of hours and I cannot say no",
    "Peer supervision made me feel valued and listened to by the team",
    "I work alone, no one to bounce ideas off, it is lonely in this role",
    "Stress is constant, I lie awake worrying about referrals",
    "Not my role to sort housing, but the GPs send everything to us",
    "My manager said well done and I felt appreciated for once",
    "Working alone with nobody to debrief after a hard session",
    "Dr Okonkwo keeps sending inappropriate referrals, a dumping ground",
    "I am drained and overwhelmed, running on empty most weeks",
]


@pytest.fixture
def survey(write):
    rows = "".join(f'{n},Link worker,"{answer}"\n' for n, answer in enumerate(ANSWERS, start=1))
    return write("survey.csv", "respondent_id,role,comment\n" + rows)


@pytest.fixture
def seen(monkeypatch):
    """Every command's redacted segments, as process returned them to it."""
    seen: dict[str, list[tuple[str, str]]] = {}
    real = qualcode.pipeline.process.process

    def spy(inputs, options=None, **kwargs):
        processed = real(inputs, options, **kwargs)
        seen.setdefault("calls", []).append([(s.id, s.text) for s in processed.redacted.segments])
        return processed

    monkeypatch.setattr(qualcode.pipeline.process, "process", spy)  # what the stage commands call
    monkeypatch.setattr(qualcode.pipeline.run, "process", spy)  # what run calls
    # Hashed n-grams instead of the sentence model: the same path, no model weights.
    monkeypatch.setattr(qualcode.cli, "ACCURATE_EMBEDDER", "hashing")
    return seen


def invoke(*args: str) -> None:
    result = CliRunner().invoke(main, [*args, "--no-ner", "--batch-size", "4", "--quiet"])
    assert result.exit_code == 0, result.output


@pytest.mark.slow  # four commands end to end, about 30 s
def test_every_command_sees_the_same_redacted_segments_and_writes_the_same_tables(survey, seen, tmp_path):
    invoke("run", str(survey), "--codebook", "supervision", "--out", str(tmp_path / "run"))
    invoke("code", str(survey), "--codebook", "supervision", "--out", str(tmp_path / "codings.csv"))
    invoke("topics", str(survey), "--codebook", "supervision", "--out", str(tmp_path / "topics"))
    invoke("quotes", str(survey), "--codebook", "supervision", "--out", str(tmp_path / "quotes.csv"))

    run, *others = seen["calls"]
    assert len(others) == 3 and all(other == run for other in others)
    texts = dict(run)
    assert len(texts) == len(ANSWERS)
    assert "okonkwo" not in " ".join(texts.values()).lower()  # swept from the first batch too
    assert texts["survey.csv#1:1"].startswith("i asked [PERSON_1] for help")

    # One writer per table: the same columns, and here the same rows, whichever command wrote it.
    run_codings = pd.read_csv(tmp_path / "run" / "codings.csv")
    code_codings = pd.read_csv(tmp_path / "codings.csv")
    assert list(code_codings.columns) == list(run_codings.columns) == list(CODING_COLUMNS)
    pd.testing.assert_frame_equal(code_codings, run_codings)
    run_topics = pd.read_csv(tmp_path / "run" / "topics.csv")
    command_topics = pd.read_csv(tmp_path / "topics" / "topics.csv")
    assert list(command_topics.columns) == list(run_topics.columns) == list(TOPIC_COLUMNS)
    pd.testing.assert_frame_equal(command_topics, run_topics)
