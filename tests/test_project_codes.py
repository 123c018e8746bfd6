"""Human codes stored in a project with the coder's name, and read back as training data."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from conftest import REPO
from qualcode.cli import main
from qualcode.errors import UsageError
from qualcode.pipeline.ingest import ingest_to_store
from qualcode.model import Code, Codebook, Coding
from qualcode.human.project import import_human_codes, project_agreement, training_from_project
from qualcode.store import Store

CODEBOOK = str(REPO / "codebooks" / "supervision.yaml")
TRANSCRIPT = ("Interviewer: How is it?\nP1: I'm the only one in my practice.\n"
              "Interviewer: And work?\nP1: Exhausted, honestly.\n"
              "Interviewer: Support?\nP1: My manager said well done, which was nice.\n")


def _book(*ids):
    return Codebook(tuple(Code(code_id, code_id.title(), "a definition") for code_id in ids))


@pytest.fixture
def project(write, tmp_path):
    ingest_to_store([write("a.txt", TRANSCRIPT)], tmp_path / "project")
    return tmp_path / "project"


def stored(project, coder=None):
    with Store.open(project) as store:
        return [(c.segment_id, c.code_id, c.coder, c.method) for c in store.codings(coder)]


def test_codes_are_stored_under_each_coders_name(write, project):
    alice = write("alice.csv", "segment_id,code\na.txt:2,isolation\na.txt:4,burnout\n")
    bob = write("bob.csv", "text,code,coder\nwell done,validation,bob\n")
    imported = import_human_codes([alice, bob], project, _book("isolation", "burnout", "validation"))
    assert imported.codings_by_coder == {"alice": 2, "bob": 1}
    assert imported.segments == 3
    assert stored(project) == [("a.txt:2", "isolation", "alice", "human"),
                               ("a.txt:4", "burnout", "alice", "human"),
                               ("a.txt:6", "validation", "bob", "human")]


def test_importing_a_coder_again_replaces_only_that_coders_codes(write, project):
    first = write("alice.csv", "segment_id,code\na.txt:2,isolation\na.txt:4,burnout\n")
    bob = write("bob.csv", "segment_id,code\na.txt:4,burnout\n")
    import_human_codes([first, bob], project)
    corrected = write("corrected.csv", "segment_id,code,coder\na.txt:6,validation,alice\n")
    import_human_codes([corrected], project)
    assert stored(project, "alice") == [("a.txt:6", "validation", "alice", "human")]
    assert stored(project, "bob") == [("a.txt:4", "burnout", "bob", "human")]


def test_a_bad_row_stores_nothing(write, project):
    good = write("alice.csv", "segment_id,code\na.txt:2,isolation\n")
    bad = write("bob.csv", "segment_id,code\na.txt:2,loneliness\n")
    with pytest.raises(UsageError, match="bob.csv row 2: code 'loneliness' is not in the codebook"):
        import_human_codes([good, bad], project, _book("isolation", "burnout"))
    assert stored(project) == []


def test_codes_are_checked_against_the_codebook_a_run_stored(write, project):
    from qualcode.codebook import load_codebook

    with Store.open(project) as store:
        store.put_codes("supervision", load_codebook(CODEBOOK).codes)
    typo = write("alice.csv", "segment_id,code\na.txt:2,isolaton\n")
    with pytest.raises(UsageError, match="'isolaton' is not in the codebook"):
        import_human_codes([typo], project)


def test_interviewer_turns_cannot_be_coded(write, project):
    codes = write("alice.csv", "segment_id,code\na.txt:1,isolation\n")
    with pytest.raises(UsageError, match="segment 'a.txt:1' is not in the inputs"):
        import_human_codes([codes], project)


def test_a_folder_without_a_project_is_a_clear_error_and_stays_empty(write, tmp_path):
    codes = write("alice.csv", "segment_id,code\na.txt:2,isolation\n")
    with pytest.raises(UsageError, match="no project database"):
        import_human_codes([codes], tmp_path / "nothing")
    assert not (tmp_path / "nothing").exists()


def test_codes_from_a_qdpx_project_coded_elsewhere(write, project, tmp_path):
    from qualcode.codebook import load_codebook
    from qualcode.export import write_qdpx

    with Store.open(project) as store:
        documents, segments = store.documents(), store.segments()
    qdpx = tmp_path / "nvivo.qdpx"
    write_qdpx(qdpx, documents, load_codebook(CODEBOOK),
               [Coding("a.txt:4", "burnout", "human", 1.0, "", "carol")], segments=segments)
    import_human_codes([qdpx], project)
    assert stored(project) == [("a.txt:4", "burnout", "carol", "human")]


def test_stored_codes_become_training_rows_with_the_segment_text(write, project):
    codes = write("alice.csv", "segment_id,code\na.txt:2,isolation\na.txt:2,burnout\na.txt:4,burnout\n")
    import_human_codes([codes], project)
    frame = training_from_project(project)
    assert frame.to_dict("records") == [
        {"text": "I'm the only one in my practice.", "code": "burnout", "coder": "alice"},
        {"text": "I'm the only one in my practice.", "code": "isolation", "coder": "alice"},
        {"text": "Exhausted, honestly.", "code": "burnout", "coder": "alice"}]


def test_a_training_error_names_the_coder_and_segment_not_a_database_row(write, project):
    from qualcode.codebook import load_codebook
    from qualcode.coding.training import read_training

    import_human_codes([write("alice.csv", "segment_id,code\na.txt:2,isolation\na.txt:4,burnout\n"),
                        write("bob.csv", "segment_id,code\na.txt:6,exhaustion\n")], project)
    frame = training_from_project(project)
    for rows in (frame, frame.sort_values("code"), frame[frame.coder == "bob"]):
        with pytest.raises(UsageError, match=r"qualcode.db: bob's code for segment a.txt:6: "
                                             r"code 'exhaustion' is not in the codebook"):
            read_training(rows, [], load_codebook(CODEBOOK))


def test_a_project_without_human_codes_cannot_train(project):
    with pytest.raises(UsageError, match="no human codes; import some with qualcode import-codes"):
        training_from_project(project)


def test_import_codes_command(write, project):
    codes = write("alice.csv", "segment_id,code\na.txt:2,isolation\na.txt:4,burnout\n")
    result = CliRunner().invoke(main, ["import-codes", str(codes), "--project", str(project),
                                       "--codebook", CODEBOOK])
    assert result.exit_code == 0, result.output
    assert "stored 2 by alice (2 segments coded)" in result.output
    # Provenance: the import is a recorded run in the project.
    with sqlite3.connect(project / "qualcode.db") as db:
        assert db.execute("SELECT command, status FROM runs").fetchall() == [("import-codes", "ok")]
    missing = CliRunner().invoke(main, ["import-codes", str(codes), "--project", str(project.parent / "x")])
    assert missing.exit_code == 2 and missing.output.count("\n") == 1


@pytest.mark.slow  # a whole run (reports included), about 15 s
def test_run_keeps_the_human_codes_it_compares_with(write, tmp_path):
    from qualcode.pipeline.run import run
    from qualcode.pipeline.settings import RunOptions

    alice = write("alice.csv", "segment_id,code\na.txt:2,isolation\n")
    options = RunOptions(codebook=CODEBOOK, embedder="hashing", use_ner=False, quiet=True,
                         human_codes=(str(alice),))
    summary = run([write("a.txt", TRANSCRIPT)], tmp_path / "out", options)
    assert {row["coder_a"] for row in summary.result.agreement} == {"alice"}
    assert stored(tmp_path / "out", "alice") == [("a.txt:2", "isolation", "alice", "human")]
    machine = {c.coder for c in summary.result.codings}
    assert {coder for _, _, coder, _ in stored(tmp_path / "out")} == {"alice", *machine}


def test_agreement_between_the_coders_stored_in_a_project(write, tmp_path):
    ingest_to_store([write("a.txt", TRANSCRIPT), write("b.txt", TRANSCRIPT)], tmp_path / "project")
    project = tmp_path / "project"
    alice = write("alice.csv", "segment_id,code\na.txt:2,isolation\na.txt:4,burnout\n")
    bob = write("bob.csv", "segment_id,code\na.txt:2,isolation\na.txt:6,burnout\n")
    import_human_codes([alice, bob], project)
    with Store.open(project) as store:  # a machine coder that coded both files
        store.put_codings([Coding("a.txt:2", "isolation", "semantic", 0.8, "example", "qualcode"),
                           Coding("b.txt:2", "isolation", "semantic", 0.8, "example", "qualcode")])
    table = project_agreement(project).set_index(["code", "coder_a", "coder_b"])
    # Only a.txt was coded by hand: its 3 participant turns are compared, b.txt is left out.
    assert table.loc[("isolation", "alice", "bob"), "n_segments"] == 3
    assert table.loc[("isolation", "alice", "qualcode"), "kappa"] == pytest.approx(1.0)
    # burnout: alice (0,1,0) vs bob (0,0,1) on 3 segments: kappa -0.5
    assert table.loc[("burnout", "alice", "bob"), "kappa"] == pytest.approx(-0.5)
    result = CliRunner().invoke(main, ["agree", "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert "alice" in result.output and "qualcode" in result.output


def test_agree_needs_either_a_project_or_inputs_with_codings(write, project):
    both = CliRunner().invoke(main, ["agree", str(write("a.txt", TRANSCRIPT)), "--project", str(project)])
    neither = CliRunner().invoke(main, ["agree"])
    assert both.exit_code == neither.exit_code == 2
    alone = write("alice.csv", "segment_id,code\na.txt:2,isolation\n")
    import_human_codes([alone], project)
    one_coder = CliRunner().invoke(main, ["agree", "--project", str(project)])
    assert one_coder.exit_code == 2 and "at least two coders" in one_coder.output


def test_an_import_never_touches_qualcodes_own_codings(write, project):
    machine = Coding("a.txt:2", "isolation", "semantic", 0.8, "nearest example", "qualcode")
    with Store.open(project) as store:
        store.put_codings([machine])
    alice = write("alice.csv", "segment_id,code\na.txt:4,burnout\n")
    import_human_codes([alice], project)
    import_human_codes([alice], project)  # again: replaces alice's codes only
    assert stored(project) == [("a.txt:2", "isolation", "qualcode", "semantic"),
                               ("a.txt:4", "burnout", "alice", "human")]
    named_like_the_machine = write("qualcode.csv", "segment_id,code\na.txt:6,validation\n")
    with pytest.raises(UsageError, match="coder name 'qualcode' is used by machine codings"):
        import_human_codes([named_like_the_machine], project)
    program_output = write("codings.csv", "segment_id,code,method,coder\na.txt:6,burnout,rule,bot\n")
    with pytest.raises(UsageError, match="method 'rule'.*stores people's codes only"):
        import_human_codes([program_output], project)
    assert len(stored(project)) == 2


def test_documents_split_between_coders_do_not_count_against_them(write, tmp_path):
    ingest_to_store([write("a.txt", TRANSCRIPT), write("b.txt", TRANSCRIPT)], tmp_path / "project")
    project = tmp_path / "project"
    alice = write("alice.csv", "segment_id,code\na.txt:2,isolation\nb.txt:4,burnout\n")
    bob = write("bob.csv", "segment_id,code\na.txt:2,isolation\n")  # bob coded a.txt only
    import_human_codes([alice, bob], project)
    table = project_agreement(project).set_index(["code", "coder_a", "coder_b"])
    assert table.loc[("isolation", "alice", "bob"), "kappa"] == pytest.approx(1.0)
    assert table.loc[("isolation", "alice", "bob"), "n_segments"] == 3


@pytest.mark.slow  # three whole runs, about 40 s
def test_running_again_keeps_imported_codes_of_unchanged_files(write, tmp_path):
    from qualcode.pipeline.run import run
    from qualcode.pipeline.settings import RunOptions

    options = RunOptions(codebook=CODEBOOK, embedder="hashing", use_ner=False, quiet=True)
    a = write("in/a.txt", TRANSCRIPT)
    b = write("in/b.txt", TRANSCRIPT)
    out = tmp_path / "out"
    run([a.parent], out, options)
    codes = write("alice.csv", "segment_id,code\na.txt:2,isolation\nb.txt:4,burnout\n")
    import_human_codes([codes], out)
    run([a.parent], out, options)
    assert stored(out, "alice") == [("a.txt:2", "isolation", "alice", "human"),
                                    ("b.txt:4", "burnout", "alice", "human")]
    b.write_text(TRANSCRIPT.replace("Exhausted, honestly.", "Tired."))  # b.txt changed
    run([a.parent], out, options)
    assert stored(out, "alice") == [("a.txt:2", "isolation", "alice", "human")]
