"""Codes exported by qualcode and imported again land on exactly the same segments, whether or
not a document was redacted; codings that cannot be placed are named, never moved."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.codebook import load_codebook
from qualcode.export import write_qdpx
from qualcode.ingest import ingest
from qualcode.model import Coding
from qualcode.human import compare_coders, read_codings
from qualcode.model import analysable
from qualcode.segment import segment

# Two transcripts with personal data (redacted in the export: different text and offsets) and
# two without (the same text either way), so one project mixes both kinds of document.
NAMED = ("Interviewer: How is the role going?\n"
         "P1: I'm on my own most days. Dr Okonkwo at Riverside Surgery is kind but never there.\n"
         "Interviewer: And the caseload?\n"
         "P1: Exhausted, honestly. Email me at ana.silva@example.org if you need more, or ring "
         "07700 900123.\n"
         "Interviewer: Anything that helps?\n"
         "P1: Supervision with Margaret Ellison helped; she said my work mattered.\n")
PLAIN = ("Interviewer: How is the role going?\n"
         "P1: I work alone, nobody to bounce ideas off and no team around me.\n"
         "Interviewer: Boundaries?\n"
         "P1: Clients ring me on my day off and I can't say no, I end up doing everything.\n"
         "Interviewer: Support?\n"
         "P1: My manager said well done, which made me feel valued.\n")
CODEBOOK = "supervision"


# Survey answers with personal data and without: an answer exports as it was written unless
# something in it is redacted, so one project holds documents of both kinds (the old import
# read every document by one choice of text, and misplaced the other kind's codes).
SURVEY = ("respondent,role,comment\n"
          "r1,SPLW,I feel isolated and on my own most days; nobody to ask.\n"
          "r2,SPLW,Dr Okonkwo rings my personal mobile out of hours and I can't say no.\n"
          "r3,Coach,Totally exhausted and burnt out by the end of the week.\n"
          "r4,Coach,Margaret Ellison at Riverside Surgery said well done and I felt valued.\n"
          "r5,SPLW,Working alone is isolating; I can't switch off and I'm drained.\n"
          "r6,SPLW,Ring Ana Silva on 07700 900123: she is stressed and exhausted and on her knees.\n")


@pytest.fixture
def corpus(write):
    write("corpus/a_named.txt", NAMED)
    write("corpus/b_plain.txt", PLAIN)
    return write("corpus/survey.csv", SURVEY).parent


@pytest.mark.slow  # a whole run with the NER model, about 20 s
def test_the_runs_own_export_imports_back_exactly_on_a_mixed_corpus(corpus, tmp_path):
    from qualcode.pipeline.run import run
    from qualcode.pipeline.settings import RunOptions

    out = tmp_path / "out"
    run([corpus], out, RunOptions(codebook=CODEBOOK, embedder="hashing", quiet=True))
    exported = pd.read_csv(out / "codings.csv")
    documents = list(ingest([corpus]).documents)
    original = {d.id: d.text for d in documents}
    with_codes = set(exported["doc_id"])
    exported_texts = _source_texts(out / "project.qdpx")
    # The premise: coded documents whose exported text is the original, and coded documents
    # whose text was redacted.
    assert any(exported_texts[d] == original[d] for d in with_codes)
    assert any("[PERSON_" in exported_texts[d] for d in with_codes)

    read = read_codings([out / "project.qdpx"], documents, analysable(segment(documents)),
                        load_codebook(CODEBOOK))
    assert read.unplaced == ()
    assert {(c.segment_id, c.code_id) for c in read.codings} == set(
        zip(exported["segment_id"], exported["code_id"]))

    # The same codings from the CSV under another coder's name agree perfectly, 0 lost.
    exported.assign(coder="copy").to_csv(tmp_path / "copy.csv", index=False)
    comparison = compare_coders([corpus], [out / "project.qdpx", tmp_path / "copy.csv"],
                                load_codebook(CODEBOOK))
    assert comparison.unplaced == ()
    assert set(comparison.table["code"]) == set(exported["code_id"])
    assert (comparison.table["kappa"] == 1.0).all()


def _source_texts(path):
    from qualcode.export import read_qdpx

    return {source.name: source.text for source in read_qdpx(path).sources}


def _two_documents(write):
    inputs = write("in/b_plain.txt", PLAIN)
    write("in/d_plain.txt", PLAIN.replace("bounce", "share"))
    documents = list(ingest([inputs.parent]).documents)
    return inputs.parent, documents, segment(documents)


def test_codes_on_a_document_edited_elsewhere_are_named_not_moved(write, tmp_path):
    folder, documents, segments = _two_documents(write)
    codings = [Coding("b_plain.txt:2", "isolation", "human", 1.0, "", "carol"),
               Coding("d_plain.txt:2", "isolation", "human", 1.0, "", "carol"),
               Coding("d_plain.txt:4", "boundaries", "human", 1.0, "", "carol")]
    # The other tool's copy of d_plain.txt had a sentence added before the coded turns.
    texts = {d.id: d.text if d.id == "b_plain.txt" else "Added line.\n" + d.text for d in documents}
    moved = [s if s.doc_id == "b_plain.txt" else replace(s, start=s.start + 12, end=s.end + 12)
             for s in segments]
    project = tmp_path / "carol.qdpx"
    write_qdpx(project, documents, load_codebook(CODEBOOK), codings, segments=moved, texts=texts)
    read = read_codings([project], documents, analysable(segments), load_codebook(CODEBOOK))
    assert [(c.segment_id, c.code_id) for c in read.codings] == [("b_plain.txt:2", "isolation")]
    assert len(read.unplaced) == 1
    assert "'d_plain.txt': 2 coded selection(s) not placed" in read.unplaced[0]

    alice = write("alice.csv", "segment_id,code\nb_plain.txt:2,Isolation\n")  # a display name
    result = CliRunner().invoke(main, ["agree", str(folder), "--codings", str(alice),
                                       "--codings", str(project), "--codebook", CODEBOOK])
    assert result.exit_code == 1, result.output
    assert "warning:" in result.output and "d_plain.txt" in result.output
    assert "isolation" in result.output


def test_agree_takes_codes_by_id_or_display_name_and_names_an_unknown_one(write):
    folder, _, _ = _two_documents(write)
    by_id = write("alice.csv", "segment_id,code\nb_plain.txt:2,isolation\nb_plain.txt:4,boundaries\n")
    by_name = write("bob.csv", "segment_id,code\nb_plain.txt:2,Isolation\nb_plain.txt:4,boundaries\n")
    # qualcode's own codings.csv: display names in `code`, ids in `code_id`.
    own = write("own.csv", "segment_id,code_id,code,coder\nb_plain.txt:2,isolation,Isolation,qualcode\n"
                           "b_plain.txt:4,boundaries,Boundaries,qualcode\n")
    for alice, codebook in ((by_id, []), (by_name, ["--codebook", CODEBOOK])):
        result = CliRunner().invoke(main, ["agree", str(folder), "--codings", str(alice),
                                           "--codings", str(own), *codebook])
        assert result.exit_code == 0, result.output
        rows = [line.split() for line in result.output.splitlines()[1:]]
        assert sorted(row[0] for row in rows) == ["boundaries", "isolation"]
        assert all(row[4] == "1.000" for row in rows)  # kappa

    typo = write("typo.csv", "segment_id,code\nb_plain.txt:2,Isolaton\n")
    result = CliRunner().invoke(main, ["agree", str(folder), "--codings", str(by_id),
                                       "--codings", str(typo), "--codebook", CODEBOOK])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "typo.csv row 2: code 'Isolaton' is not in the codebook" in result.output
    assert "isolation (Isolation)" in result.output
