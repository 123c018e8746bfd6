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
                                       "notes/amy/01.md", "focus_group_amy.txt",
                                       "SarahJones.docx"])
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
    refused = [line for line in result.output.splitlines() if "person's name" in line]
    assert len(refused) == 1 and refused[0].startswith("rejected: tom_smith.md: ")


def test_duplicate_file_names_qualified_by_a_named_folder_are_refused(write):
    from qualcode.ingest import discover

    write("site_a/01.md", "- one\n")
    write("sarah_jones/01.md", "- two\n")
    root = write("site_a/02.md", "- three\n").parent.parent
    sources, rejected = discover([root / "site_a", root / "sarah_jones"], file_name_problem)
    assert [s.id for s in sources] == ["01.md", "02.md"]
    assert [r.reason.split(":")[0] for r in rejected] == ["sarah_jones/01.md"]


@pytest.mark.slow  # a whole run with reports, about 15 s
def test_no_output_of_a_run_names_the_refused_file(write, tmp_path):
    import io
    import zipfile

    from qualcode.pipeline.run import run
    from qualcode.pipeline.settings import RunOptions

    write("home/sarah.jones/study/01.md", "- no time for supervision, the caseload keeps growing\n")
    path = write("home/sarah.jones/study/okonkwo_interview.md", "- fine\n")
    summary = run([path.parent], tmp_path / "out", RunOptions(embedder="hashing", use_ner=False, quiet=True))
    assert summary.exit_code == 1
    texts = []
    for output in (tmp_path / "out").rglob("*"):
        if output.is_file():
            data = output.read_bytes()
            texts.append(data.decode("utf-8", "ignore"))
            if zipfile.is_zipfile(io.BytesIO(data)):
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    texts += [archive.read(m).decode("utf-8", "ignore") for m in archive.namelist()]
    joined = "\n".join(texts).lower()
    assert "okonkwo" not in joined and "sarah" not in joined
    assert "name withheld" in joined  # the report still says an input was refused
