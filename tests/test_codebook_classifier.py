"""The semantic coder's second opinion: per-code classifiers trained on the codebook alone."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.coding import SemanticCoder
from qualcode.coding._codebook_classifier import MIN_TEXTS, fit_code_classifier, training_sets
from qualcode.embed import HashingEmbedder
from qualcode.model import Code, Codebook, Segment


def test_training_sets_use_each_codes_own_guidance_and_everyone_elses_examples():
    owners = [0, 0, 0, 0, 1, 1, 1, -1]
    roles = ["example", "include", "counterexample", "exclude", "example", "counterexample",
             "include", "background"]
    first, second = training_sets(2, owners, roles, [f"text {n}" for n in range(len(owners))])
    # code 0: its examples and include sentences are positive; its near misses, the other
    # code's examples and counterexamples and the background negative; code 1's include unused
    assert first.tolist() == [1, 1, 0, 0, 0, 0, -1, 0]
    assert second.tolist() == [0, -1, 0, -1, 1, 0, 1, 0]


def test_an_example_filed_under_two_codes_is_never_a_negative_of_either():
    owners, roles = [0, 1, -1], ["example", "example", "background"]
    first, second = training_sets(2, owners, roles, ["alone and exhausted", "alone and exhausted", "rota"])
    assert first.tolist() == [1, -1, 0] and second.tolist() == [-1, 1, 0]


def test_too_few_texts_on_either_side_give_no_classifier():
    vectors = np.eye(2 * MIN_TEXTS)
    positive = np.arange(2 * MIN_TEXTS) < MIN_TEXTS - 1
    assert fit_code_classifier(vectors, positive) is None


def test_a_separable_code_is_learnt_with_a_threshold_from_its_own_cross_validation():
    rng = np.random.default_rng(0)
    positives = rng.normal(size=(12, 8)) + np.array([3.0] + [0.0] * 7)
    negatives = rng.normal(size=(30, 8)) - np.array([3.0] + [0.0] * 7)
    vectors = np.vstack([positives, negatives])
    truth = np.arange(len(vectors)) < len(positives)
    classifier = fit_code_classifier(vectors, truth)
    assert classifier.f1 == 1.0 and 0.05 <= classifier.threshold <= 0.95 and classifier.spread > 0
    opinion = classifier.standardised(vectors)
    assert (opinion[truth] >= 0).all() and (opinion[~truth] < 0).all()
    again = fit_code_classifier(vectors, truth)  # deterministic
    assert np.array_equal(again.weights, classifier.weights) and again.threshold == classifier.threshold


# With the hashing fake, "similar" means sharing words.
ISOLATION = ("I felt alone on the ward with nobody to talk to",
             "nobody to talk to after a shift, I felt alone",
             "alone and cut off from the team most nights",
             "cut off, alone, no colleague to talk to",
             "on my own all week with nobody to ask",
             "no team around me, alone with the cases",
             "alone in the practice, nobody to talk to",
             "cut off from other link workers, alone",
             "nobody to ask, alone on the rota",
             "I am the only one, alone and cut off")
BURNOUT = ("completely exhausted and drained by the workload",
           "the workload left me drained and exhausted every week",
           "exhausted, drained, running on empty",
           "running on empty, nothing left, exhausted",
           "so tired and drained I could cry",
           "the caseload wore me out, drained",
           "drained and exhausted by Friday",
           "exhausted by the caseload, nothing left",
           "worn out and drained, running on empty")


def codebook(isolation_examples) -> Codebook:
    return Codebook((
        Code("isolation", "Isolation", "feeling alone and cut off from colleagues",
             examples=isolation_examples, counterexamples=("I like to be alone on my break",)),
        Code("burnout", "Burnout", "exhaustion and depletion from work", examples=BURNOUT,
             include="Use for tiredness from work.", exclude="Not for a client's tiredness."),
    ))


def test_codes_with_enough_examples_get_a_classifier_and_report_its_f1():
    coder = SemanticCoder(codebook(ISOLATION[:MIN_TEXTS - 1]), HashingEmbedder()).fit()
    isolation, burnout = coder.classifiers_
    # 9 examples are too few to learn from; 9 examples and an include sentence are enough
    assert isolation is None and burnout is not None
    calibration = {c.code_id: c for c in coder.calibration_}
    assert calibration["isolation"].classifier_f1 is None
    assert 0 < calibration["burnout"].classifier_f1 <= 1
    assert "with the codebook classifier" in coder.predict_codings(
        [Segment("d:1", "d", 0, 9, "I was exhausted and drained by the workload")])[0].evidence


def test_the_decision_adds_the_classifiers_opinion_to_the_margin_in_units_of_spread():
    coder = SemanticCoder(codebook(ISOLATION), HashingEmbedder()).fit()
    plain = SemanticCoder(codebook(ISOLATION), HashingEmbedder(), classifier=False).fit()
    texts = ["I felt alone and drained, nobody to talk to", "the car park is full again",
             "exhausted after the shift"]
    margins, _, _, evidence = coder._segment_scores(texts)
    opinions = np.column_stack([c.standardised(coder.embedder_.encode(texts)) for c in coder.classifiers_])
    # one-sentence texts: one piece each, so the opinion is the whole text's
    assert np.allclose(evidence, margins / coder.spreads_ + opinions)
    # without classifiers the margin decides alone, exactly as before
    plain_margins, _, _, plain_evidence = plain._segment_scores(texts)
    assert np.array_equal(plain_evidence >= 0, plain_margins >= 0)


@pytest.mark.parametrize("classifier", [True, False])
def test_confidence_is_one_half_at_the_decision_boundary(classifier):
    coder = SemanticCoder(codebook(ISOLATION), HashingEmbedder(), classifier=classifier).fit()
    texts = ISOLATION + BURNOUT + ("nobody came after the shift", "tired after the drive home")
    segments = [Segment(f"d:{n}", "d", 0, 1, text) for n, text in enumerate(texts)]
    evidence, _ = coder.score(texts)
    # a cue on every pair: those under the boundary that the none reference does not refute
    # are kept too, below 0.5
    cues = {(s.id, code) for s in segments for code in ("isolation", "burnout")}
    codings = coder.predict_codings(segments, cues=cues)
    sides = set()
    for coding in codings:
        row = int(coding.segment_id.split(":")[1])
        column = ["isolation", "burnout"].index(coding.code_id)
        assert (coding.confidence >= 0.5) == (evidence[row, column] >= 0)
        sides.add(coding.confidence >= 0.5)
    assert sides == {True, False}


def test_the_speaker_check_follows_the_codebooks_subject():
    about_her = "She felt alone with nobody to talk to, cut off"
    segment = [Segment("d:1", "d", 0, 1, about_her)]
    anyone = codebook(ISOLATION)
    speaker = Codebook(anyone.codes, subject="speaker")
    assert SemanticCoder(anyone, HashingEmbedder()).fit().predict_codings(segment)
    assert SemanticCoder(speaker, HashingEmbedder()).fit().predict_codings(segment) == []
    assert SemanticCoder(speaker, HashingEmbedder(), worker_check=False).fit().predict_codings(segment)


def test_an_empty_codebook_codes_nothing_and_vectors_must_match_the_segments():
    assert SemanticCoder(Codebook(()), HashingEmbedder()).fit().predict_codings(
        [Segment("d:1", "d", 0, 1, "alone")]) == []
    coder = SemanticCoder(codebook(ISOLATION), HashingEmbedder()).fit()
    with pytest.raises(ValueError, match="vectors has 2 rows for 1 segments"):
        coder.predict_codings([Segment("d:1", "d", 0, 1, "alone")], vectors=np.zeros((2, 8)))


def test_a_code_with_one_example_and_no_definition_is_not_given_to_everything():
    # its leave-one-out score is -inf, which must not spoil the spread of its margin
    solo = Codebook((*codebook(ISOLATION).codes[1:], Code("solo", "Solo", "", examples=("I work alone all week",))))
    coder = SemanticCoder(solo, HashingEmbedder()).fit()
    assert np.isfinite(coder.spreads_).all()
    assert coder.predict_codings([Segment("d:1", "d", 0, 1, "the car park is full again")]) == []
