"""Semantic coder: scoring, per-code calibration, evidence; logic with the hashing fake."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.coding import SemanticCoder, split_sentences
from qualcode.coding.semantic import BACKGROUND, best_f1_threshold
from qualcode.embed import HashingEmbedder
from qualcode.model import Code, Codebook, Segment

# With the hashing fake, "similar" means sharing words, so examples share telling words.
CODEBOOK = Codebook((
    Code("isolation", "Isolation", "feeling alone and cut off from colleagues",
         examples=("I felt alone on the ward with nobody to talk to",
                   "nobody to talk to after a shift, I felt alone",
                   "alone and cut off from the team most nights"),
         counterexamples=("I like to be alone on my break to recharge",)),
    Code("burnout", "Burnout", "exhaustion and depletion from work",
         examples=("completely exhausted and drained by the workload",
                   "the workload left me drained and exhausted every week",
                   "exhausted, drained, running on empty")),
))


def segments(*texts: str, role: str = "participant") -> list[Segment]:
    return [Segment(f"doc:{n}", "doc", 0, len(t), t, role=role)
            for n, t in enumerate(texts, start=1)]


@pytest.fixture(scope="module")
def coder() -> SemanticCoder:
    return SemanticCoder(CODEBOOK, HashingEmbedder(), min_threshold=0.2).fit()


def test_split_sentences_drops_empty_fragments():
    assert split_sentences("I was alone. Nobody came!\n\n... Then? 42.") == [
        "I was alone.", "Nobody came!", "Then?"]


def test_segment_near_a_codes_examples_gets_the_code(coder):
    codings = coder.predict_codings(segments("On nights I felt alone with nobody to talk to"))
    assert [(c.code_id, c.method) for c in codings] == [("isolation", "semantic")]
    assert codings[0].evidence.startswith("nearest example: 'I felt alone on the ward")
    assert 0.5 <= codings[0].confidence <= 0.99


def test_unrelated_segment_gets_no_code(coder):
    assert coder.predict_codings(segments("The car park charges went up in April")) == []


def test_one_matching_sentence_in_a_long_turn_is_enough(coder):
    text = ("We started at seven. The car park was full. "
            "Honestly I was exhausted and drained by the workload. Then home.")
    assert [c.code_id for c in coder.predict_codings(segments(text))] == ["burnout"]


def test_multi_label_segment_gets_both_codes(coder):
    text = "I felt alone with nobody to talk to. And completely exhausted and drained."
    assert {c.code_id for c in coder.predict_codings(segments(text))} == {"isolation", "burnout"}


def test_counterexample_pushes_a_near_miss_down(coder):
    scores, _ = coder.score(["I like to be alone on my break to recharge",
                             "I felt alone on my break with nobody to talk to"])
    assert scores[0, 0] < scores[1, 0]
    assert not [c for c in coder.predict_codings(segments(
        "I like to be alone on my break to recharge")) if c.code_id == "isolation"]


def test_thresholds_are_calibrated_per_code_from_the_codebook(coder):
    calibration = {c.code_id: c for c in coder.calibration_}
    assert calibration["isolation"].positives == 3
    # 1 counterexample + 3 burnout examples + the off-topic background sentences
    assert calibration["isolation"].negatives == 4 + len(BACKGROUND)
    assert calibration["isolation"].f1 == pytest.approx(1.0)
    assert set(coder.thresholds_) == {"isolation", "burnout"}
    assert all(0.2 <= t <= 0.95 for t in coder.thresholds_.values())


def test_code_without_examples_uses_the_default_threshold():
    codebook = Codebook((Code("pay", "Pay", "pay and pensions"),
                         Code("rota", "Rota", "shift patterns")))
    coder = SemanticCoder(codebook, HashingEmbedder(), default_threshold=0.4).fit()
    assert coder.thresholds_ == {"pay": 0.4, "rota": 0.4}
    codings = coder.predict_codings(segments("my pay and my pensions"))
    assert [c.code_id for c in codings] == ["pay"]
    assert codings[0].evidence.startswith("nearest: the code's definition")


def test_best_f1_threshold_splits_clean_data_midway():
    cut, f1 = best_f1_threshold(np.array([0.9, 0.8, 0.3, 0.1]), np.array([1, 1, 0, 0], bool))
    assert f1 == 1.0 and cut == pytest.approx(0.55)


def test_same_input_same_output(coder):
    texts = segments("nobody to talk to", "drained", "car park")
    assert coder.predict_codings(texts) == SemanticCoder(
        CODEBOOK, HashingEmbedder(), min_threshold=0.2).fit().predict_codings(texts)


@pytest.mark.model
def test_minilm_codes_clear_sentences_per_code():
    codebook = Codebook((
        Code("isolation", "Isolation", "Feeling lonely, alone or cut off from colleagues.",
             examples=("I felt completely alone on the ward.",
                       "There was nobody I could talk to after a hard shift.",
                       "Working nights, I was cut off from the rest of the team."),
             counterexamples=("I enjoy a quiet break on my own to recharge.",)),
        Code("burnout", "Burnout", "Emotional and physical exhaustion from work.",
             examples=("I was utterly exhausted by the end of every week.",
                       "I had nothing left to give, I was running on empty.",
                       "The workload wore me down until I was burnt out.")),
        Code("validation", "Validation", "Feeling valued, praised or recognised.",
             examples=("My supervisor told me I had handled it really well.",
                       "It meant a lot that my manager thanked me in front of the team.",
                       "I felt my work was recognised and appreciated.")),
    ))
    coder = SemanticCoder(codebook, "minilm").fit()
    texts = {"isolation": "Most days I had no one to turn to and felt very lonely.",
             "burnout": "By Friday I was completely drained and worn out.",
             "validation": "My team leader praised how I handled the family."}
    codings = coder.predict_codings(segments(*texts.values()))
    found = {(c.segment_id, c.code_id) for c in codings}
    for n, code in enumerate(texts, start=1):
        assert (f"doc:{n}", code) in found
    assert len(found) <= 4  # at most one stray code over three clear sentences
    assert not coder.predict_codings(segments("The car park charges went up in April."))
