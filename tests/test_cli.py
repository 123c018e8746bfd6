"""The command line: help everywhere, summaries, exit codes for partial and total failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main

GOOD = "Interviewer: How are you?\nP1: Tired.\nInterviewer: Why?\nP1: Caseload.\n"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def all_commands():
    return sorted(main.commands)


@pytest.mark.parametrize("command", all_commands())
def test_every_command_has_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(main.commands[command].help or "") > 20


@pytest.mark.parametrize("command", all_commands())
def test_every_command_is_documented_in_the_readme(command):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"### `qualcode {command}" in readme


def test_ingest_summary_and_success(write, tmp_path):
    path = write("a.txt", GOOD)
    result = invoke("ingest", str(path.parent), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "a.txt" in result.output and "2 interviewer turns" in result.output
    assert "1 documents; 4 segments; 0 rejected" in result.output


def test_mixed_folder_is_partial_success_with_one_line_per_bad_file(write, tmp_path):
    good = write("good.txt", GOOD)
    write("empty.txt", b"")
    write("scan.pdf", b"%PDF-1.4")
    write("broken.docx", b"PK\x03\x04 not really a zip")
    result = invoke("ingest", str(good.parent), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    rejected = [line for line in result.output.splitlines() if line.startswith("rejected:")]
    assert len(rejected) == 3
    assert any("empty.txt: is empty" in line for line in rejected)
    assert any("scan.pdf: unsupported file type" in line for line in rejected)
    assert any("broken.docx" in line for line in rejected)
    assert "1 files used" in result.output


def test_nothing_usable_exits_2(write, tmp_path):
    path = write("empty.txt", b"")
    result = invoke("ingest", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2


def test_missing_input_is_reported_not_crashed(tmp_path):
    result = invoke("ingest", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_missing_required_option_is_usage_error():
    assert invoke("ingest", "x.txt").exit_code == 2


def test_many_files_progress_every_file_and_the_bad_one_reported(write, tmp_path):
    from qualcode.ingest import ingest

    for n in range(120):
        write(f"notes/breakout_{n:03d}.md", f"# Group {n}\n- People felt isolated\n- Too many referrals\n")
    bad = write("notes/breakout_bad.md", bytes(range(256)) * 20)
    calls = []
    result = ingest([bad.parent], on_file=calls.append)
    assert calls[0] == 121 and calls[1:] == [0] * 121  # the total, then one tick per file
    assert len(result.sources) == 120
    assert [r.path for r in result.rejected] == [str(bad)]
    cli = invoke("ingest", str(bad.parent), "--out", str(tmp_path / "out"))
    assert cli.exit_code == 1 and "breakout_bad.md: looks like a binary file" in cli.output
