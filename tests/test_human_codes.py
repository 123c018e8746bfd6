"""Importing human codes and comparing coders at segment level."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.errors import UsageError
from qualcode.human.codes import read_human_codes
from qualcode.model import Code, Codebook, Segment
from qualcode.human import compare_coders

BOOK = Codebook((Code("isolation", "Isolation", "Working alone."),
                 Code("burnout", "Burnout", "Worn out.")))
SEGMENTS = [
    Segment("a.txt:2", "a.txt", 0, 10, "I am the only one in my practice.\nNo one to ask."),
    Segment("a.txt:4", "a.txt", 0, 10, "I'm exhausted, the caseload is huge."),
    Segment("a.txt:6", "a.txt", 0, 10, "Peer sessions made me feel valued."),
]


def test_codes_match_by_segment_id_or_by_excerpt(tmp_path):
    path = tmp_path / "alice.csv"
    path.write_text("text,code\n\"the only one in my  practice. no one\",isolation\n"
                    "\"I'm exhausted, the caseload is huge.\",burnout\n")
    codings = read_human_codes(path, SEGMENTS, BOOK)
    assert [(c.segment_id, c.code_id, c.coder, c.method) for c in codings] == [
        ("a.txt:2", "isolation", "alice", "human"), ("a.txt:4", "burnout", "alice", "human")]


@pytest.mark.parametrize("content, problem", [
    ("segment_id,code\na.txt:99,burnout\n", "row 2: segment 'a.txt:99' is not in the inputs"),
    ("segment_id,code\na.txt:2,loneliness\n", "row 2: code 'loneliness' is not in the codebook"),
    ("text,code\nnot said anywhere,burnout\n", "row 2: the text matches no segment"),
    ("segment,label\nx,y\n", "need a 'code' column"),
])
def test_bad_training_rows_name_the_row_and_the_fix(tmp_path, content, problem):
    path = tmp_path / "bob.csv"
    path.write_text(content)
    with pytest.raises(UsageError, match=problem):
        read_human_codes(path, SEGMENTS, BOOK)


def test_error_for_unmatched_text_does_not_echo_the_text(tmp_path):
    path = tmp_path / "bob.csv"
    path.write_text("text,code\nMrs Jones said hello,burnout\n")
    with pytest.raises(UsageError) as error:
        read_human_codes(path, SEGMENTS)
    assert "Jones" not in str(error.value)


TRANSCRIPT = ("Interviewer: How is it?\nP1: I'm the only one in my practice.\n"
              "Interviewer: And work?\nP1: Exhausted, honestly.\n"
              "Interviewer: Support?\nP1: My manager said well done, which was nice.\n")


def test_compare_coders_counts_uncoded_segments_as_absent(write):
    inputs = write("a.txt", TRANSCRIPT)
    alice = write("alice.csv", "segment_id,code\na.txt:2,isolation\na.txt:4,burnout\n")
    bob = write("bob.csv", "segment_id,code\na.txt:2,isolation\na.txt:6,burnout\n")
    table = compare_coders([inputs], [alice, bob]).table.set_index("code")
    assert table.loc["isolation", "kappa"] == pytest.approx(1.0)
    assert table.loc["isolation", "n_segments"] == 3  # the three participant turns
    # burnout: alice (1,0,0) vs bob (0,0,1) on 3 segments: po = 1/3, pe = 5/9, kappa = -0.5
    assert table.loc["burnout", "kappa"] == pytest.approx(-0.5)
    assert table.loc["burnout", "percent_agreement"] == pytest.approx(1 / 3)


def test_agree_command_prints_and_writes_the_table(write, tmp_path):
    inputs = write("a.txt", TRANSCRIPT)
    alice = write("alice.csv", "segment_id,code\na.txt:2,isolation\n")
    bob = write("bob.csv", "segment_id,code,coder\na.txt:2,isolation,bob\n")
    out = tmp_path / "agree.csv"
    result = CliRunner().invoke(main, ["agree", str(inputs), "--codings", str(alice),
                                       "--codings", str(bob), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "isolation" in result.output and "alice" in result.output
    assert out.read_text().startswith("code,coder_a,coder_b,n_segments,kappa")


def test_agree_needs_two_coders(write):
    inputs = write("a.txt", TRANSCRIPT)
    alice = write("alice.csv", "segment_id,code\na.txt:2,isolation\n")
    result = CliRunner().invoke(main, ["agree", str(inputs), "--codings", str(alice)])
    assert result.exit_code == 2
    assert "at least two coders" in result.output


def test_agreement_with_a_qdpx_project_coded_elsewhere(write, tmp_path):
    from qualcode.codebook import load_codebook
    from qualcode.export import write_qdpx
    from qualcode.ingest import ingest
    from qualcode.model import Coding
    from qualcode.segment import segment

    from conftest import REPO

    inputs = write("a.txt", TRANSCRIPT)
    documents = ingest([inputs]).documents
    segments = segment(documents)
    codebook = load_codebook(REPO / "codebooks" / "supervision.yaml")
    # Another tool's human coding of the original text, as a .qdpx.
    project = tmp_path / "qualcoder.qdpx"
    write_qdpx(project, documents, codebook, [Coding("a.txt:2", "isolation", "human", 1.0, "", "carol"),
                                              Coding("a.txt:4", "burnout", "human", 1.0, "", "carol")],
               segments=segments)
    alice = write("alice.csv", "segment_id,code\na.txt:2,isolation\na.txt:4,burnout\n")
    table = compare_coders([inputs], [alice, project], codebook).table.set_index("code")
    assert table.loc["isolation", "coder_b"] == "carol"
    assert table.loc["isolation", "kappa"] == pytest.approx(1.0)
    assert table.loc["burnout", "kappa"] == pytest.approx(1.0)
