"""Inputs whose file names hold a person's name are refused where outputs are redacted."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import SAMPLE
from qualcode.cli import main
from qualcode.redact.file_names import file_name_problem
from qualcode.stream import ProcessSettings, process
from qualcode.redact import Redactor


@pytest.mark.parametrize("source_id", ["sarah_jones.docx", "Interview with Sarah 12-03.docx",
                                       "okonkwo-interview.txt", "john.smith.interview.vtt",
                                       "notes/amy/01.md", "focus_group_amy.txt"])
def test_names_in_file_or_folder_names_are_found(source_id):
    problem = file_name_problem(source_id)
    assert problem and problem.startswith(f"{source_id}: the file name seems to hold a person's name")
    assert "rename the file" in problem


@pytest.mark.parametrize("source_id", [p.relative_to(SAMPLE).as_posix() for p in sorted(SAMPLE.iterdir())]
                         + ["P07_transcript.txt", "will_notes.md", "grace_house_notes.md",
                            "Teams meeting 2024-03-01.vtt", "nhs_feedback_q3.csv"])
def test_ordinary_file_names_pass(source_id):
    assert file_name_problem(source_id) is None


def test_a_named_file_is_rejected_and_the_others_still_processed(write):
    write("notes/01.md", "- no time for supervision\n")
    path = write("notes/sarah_jones.md", "- she said it was fine\n")
    processed = process([path.parent], ProcessSettings(embedder="hashing"), Redactor(use_ner=False), None)
    assert [s.id for s in processed.sources] == ["01.md"]
    assert [r.path for r in processed.rejected] == [str(path)]
    assert "rename the file" in processed.rejected[0].reason
    assert not any("sarah" in s.id for s in processed.redacted.segments)


def test_redact_command_refuses_the_named_file_with_one_line(write, tmp_path):
    write("in/01.md", "- Call Tom on 07700 900123\n")
    path = write("in/tom_smith.md", "- fine\n")
    result = CliRunner().invoke(main, ["redact", str(path.parent), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["01.jsonl"]
    assert [line for line in result.output.splitlines() if "tom_smith.md" in line] == [
        line for line in result.output.splitlines() if "person's name" in line]
