"""code_segments: who is coded, how coders' findings merge, and training-file errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from qualcode.codebook import load_codebook
from qualcode.coding import code_segments, is_filler, merge, read_training
from qualcode.errors import QualcodeError, UsageError
from qualcode.model import Code, Codebook, Coding, Segment

CODEBOOK = Codebook((
    Code("isolation", "Isolation", "feeling alone and cut off from colleagues",
         examples=("I felt alone on the ward with nobody to talk to",
                   "nobody to talk to after a shift, I felt alone"),
         keywords=("lonely", "isolated")),
    Code("burnout", "Burnout", "exhaustion and depletion from work",
         examples=("completely exhausted and drained by the workload",
                   "exhausted, drained, running on empty"),
         keywords=("burned out", "exhausted")),
))


def seg(n: int, text: str, role: str = "participant") -> Segment:
    return Segment(f"int:{n}", "int", 0, len(text), text, role=role)


SEGMENTS = [
    seg(1, "How have you been feeling? Exhausted? Lonely?", role="interviewer"),
    seg(2, "Interview with P1, site B, lonely exhausted", role="preamble"),
    seg(3, "Honestly exhausted and drained by the workload, I'm burned out."),
    seg(4, "I felt lonely, nobody to talk to after a shift."),
    seg(5, "The canteen closes at six."),
    seg(6, "N/A"),
    seg(7, "Lonely, and so exhausted."),
]


def run(**options) -> list[Coding]:
    return code_segments(SEGMENTS, CODEBOOK, embedder="hashing", **options)


def test_interviewer_and_preamble_are_never_coded():
    coded = {c.segment_id for c in run(coders=("rules", "semantic"))}
    assert "int:1" not in coded and "int:2" not in coded


@pytest.mark.parametrize("text", ["n/a", "N/A", "Nothing.", "nothing", "no comment", "-", "...",
                                  " No comments! ", "None", "I don\u2019t know", "I'm not sure.",
                                  "I don't think so"])
def test_filler_answers_are_recognised(text):
    assert is_filler(text)


def test_real_answers_are_not_filler():
    assert not is_filler("Nothing was explained to me")
    assert not is_filler("no one listened")
    assert not is_filler("I don't know who to say no to first")


def test_filler_answer_is_never_coded_even_with_a_keyword():
    coded = code_segments([seg(1, "Lonely"), seg(2, "n/a - lonely")], CODEBOOK, coders=("rules",))
    assert [c.segment_id for c in coded] == ["int:1", "int:2"]  # "n/a - lonely" says something
    assert code_segments([seg(1, "-")], CODEBOOK, coders=("rules",)) == []


def test_multi_label_and_no_code_are_both_possible():
    codes = {}
    for c in run(coders=("rules",)):
        codes.setdefault(c.segment_id, set()).add(c.code_id)
    assert codes["int:7"] == {"isolation", "burnout"}
    assert "int:5" not in codes


def test_every_row_has_evidence_method_and_confidence():
    codings = run(coders=("rules", "semantic"))
    assert codings
    for c in codings:
        assert c.evidence and 0 < c.confidence <= 1 and c.coder == "qualcode"
        assert c.method in {"rule", "semantic", "rule+semantic"}


def test_agreeing_coders_merge_into_one_row():
    codings = run(coders=("rules", "semantic"))
    [both] = [c for c in codings if (c.segment_id, c.code_id) == ("int:3", "burnout")]
    assert both.method == "rule+semantic"
    assert both.evidence.startswith("cue: ") and " | nearest example: " in both.evidence


def test_merge_takes_the_highest_confidence_and_orders_methods():
    merged = merge([Coding("s:1", "burnout", "semantic", 0.6, "nearest example: 'x'", "a"),
                    Coding("s:1", "burnout", "rule", 0.7, "cue: 'tired'", "b")],
                   [seg(1, "tired")], CODEBOOK, "team")
    assert merged == [Coding("s:1", "burnout", "rule+semantic", 0.7,
                             "cue: 'tired' | nearest example: 'x'", "team")]


def test_output_is_deterministic_and_in_segment_then_codebook_order():
    first, second = run(), run()
    assert first == second
    order = [(c.segment_id, CODEBOOK.ids.index(c.code_id)) for c in first]
    assert order == sorted(order)


def test_coder_name_is_recorded():
    assert {c.coder for c in run(coders=("rules",), coder_name="team-a")} == {"team-a"}


def test_training_data_adds_the_model_coder():
    train = pd.DataFrame({
        "text": [f"exhausted and drained, week {i}" for i in range(8)]
        + [f"lonely with nobody to talk to, week {i}" for i in range(8)],
        "code": ["burnout"] * 8 + ["isolation"] * 8})
    codings = run(coders=("rules",), train=train)
    methods = {c.method for c in codings}
    assert any("model" in m for m in methods)
    assert not any(c.segment_id in {"int:1", "int:2", "int:6"} for c in codings)


def test_model_coder_without_training_data_says_what_to_give():
    with pytest.raises(UsageError, match="--train"):
        run(coders=("model",))


def test_unknown_coder_is_a_usage_error():
    with pytest.raises(UsageError, match="rules, semantic, model"):
        run(coders=("magic",))


def test_training_file_with_an_unknown_code_names_file_row_and_fix(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_text("text,code\nso tired,burnout\nall alone,lonliness\n", encoding="utf-8")
    with pytest.raises(QualcodeError) as error:
        read_training(path, SEGMENTS, CODEBOOK)
    message = str(error.value)
    assert str(path) in message and "row 3" in message and "'lonliness'" in message
    assert "codebook" in message and "all alone" not in message  # no text in errors


def test_training_file_with_an_unknown_segment_names_file_row_and_fix(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_text("segment_id,code\nint:3,burnout\nint:99,isolation\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"coded\.csv row 3: segment 'int:99' is not among"):
        code_segments(SEGMENTS, CODEBOOK, coders=("rules",), train=path, embedder="hashing")


def test_training_file_groups_codes_by_text(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_text("segment_id,text,code\nint:3,,burnout\nint:3,,isolation\n,alone,isolation\n",
                    encoding="utf-8")
    texts, labels = read_training(path, SEGMENTS, CODEBOOK)
    assert texts == [SEGMENTS[2].text, "alone"]
    assert labels == [("burnout", "isolation"), ("isolation",)]


def test_training_file_without_the_needed_columns(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_text("comment,theme\nx,y\n", encoding="utf-8")
    with pytest.raises(UsageError, match="needs a 'code' column"):
        read_training(path, SEGMENTS, CODEBOOK)


# Isolation with a counterexample about clients, the commonest near miss of its keywords.
NEAR_MISS_BOOK = Codebook((
    Code("isolation", "Isolation", "feeling alone and cut off from colleagues",
         examples=("I felt lonely on the ward with nobody to talk to",
                   "nobody to talk to after a shift, I felt lonely",
                   "lonely and cut off from the team most nights"),
         counterexamples=("my clients are lonely and isolated in their flats",
                          "lonely clients come to the lunch club"),
         keywords=("lonely",)),
))


def test_keyword_cue_refuted_by_the_similarity_is_dropped():
    texts = [seg(1, "I felt lonely with nobody to talk to"),
             seg(2, "They are so lonely in their flats")]
    both = code_segments(texts, NEAR_MISS_BOOK, embedder="hashing")
    assert [(c.segment_id, c.method) for c in both] == [("int:1", "rule+semantic")]
    rules_alone = code_segments(texts, NEAR_MISS_BOOK, coders=("rules",))
    assert [c.segment_id for c in rules_alone] == ["int:1", "int:2"]


@pytest.fixture(scope="module")
def supervision_codings():
    book = load_codebook(Path(__file__).resolve().parent.parent / "codebooks" / "supervision.yaml")
    texts = {
        "burnout": "I'm completely burnt out, I dread Mondays and I can't switch off at night.",
        "client": "A lot of my clients are really lonely and isolated, and a few are stressed "
                  "about money too.",
        "referral": "Referrals come in from the GPs and pharmacists through the clinical system.",
        "interviewer": "Have you ever felt isolated or burnt out in the role?",
    }
    segments = [Segment(f"t:{n}", "t", 0, len(text), text,
                        role="interviewer" if name == "interviewer" else "participant")
                for n, (name, text) in enumerate(texts.items())]
    found = {}
    for coding in code_segments(segments, book):
        found.setdefault(list(texts)[int(coding.segment_id[2:])], {})[coding.code_id] = coding
    return found


@pytest.mark.model
def test_default_coding_gives_a_clear_burnout_quote_burnout_with_both_kinds_of_evidence(
        supervision_codings):
    coding = supervision_codings["burnout"]["burnout"]
    assert coding.method == "rule+semantic" and coding.confidence >= 0.6
    assert "cue: 'burnt out'" in coding.evidence and "nearest example: " in coding.evidence


@pytest.mark.model
def test_default_coding_leaves_clients_loneliness_and_a_referral_sentence_uncoded(
        supervision_codings):
    assert "client" not in supervision_codings  # 'isolated', 'stressed' are cues, refuted
    assert "referral" not in supervision_codings
    assert "interviewer" not in supervision_codings


def test_given_vectors_line_up_with_the_codable_segments_they_belong_to():
    from qualcode.embed import HashingEmbedder

    embedder = HashingEmbedder()
    vectors = embedder.encode([s.text for s in SEGMENTS])  # interviewer, preamble, filler too
    assert code_segments(SEGMENTS, CODEBOOK, embedder=embedder, vectors=vectors) == \
        code_segments(SEGMENTS, CODEBOOK, embedder=embedder)
    with pytest.raises(ValueError, match="one row per segment"):
        code_segments(SEGMENTS, CODEBOOK, embedder=embedder, vectors=vectors[2:])
