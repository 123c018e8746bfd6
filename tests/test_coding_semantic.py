"""Semantic coder: margin over a none reference, keyword cues, evidence; logic with the hashing
fake, outcomes on the shipped codebook with MiniLM (marked ``model``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qualcode.codebook import load_codebook
from qualcode.coding import SemanticCoder, split_sentences
from qualcode.coding.semantic import BACKGROUND
from qualcode.embed import HashingEmbedder
from qualcode.model import Code, Codebook, Segment

SUPERVISION = Path(__file__).resolve().parent.parent / "codebooks" / "supervision.yaml"

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
    return SemanticCoder(CODEBOOK, HashingEmbedder()).fit()


def test_split_sentences_drops_empty_fragments():
    assert split_sentences("I was alone. Nobody came!\n\n... Then? 42.") == [
        "I was alone.", "Nobody came!", "Then?"]


def test_split_sentences_does_not_end_a_sentence_at_an_abbreviation():
    assert split_sentences("New tasks, e.g. the flu clinic. Dr. Khan agreed. Then home.") == [
        "New tasks, e.g. the flu clinic.", "Dr. Khan agreed.", "Then home."]


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


def test_a_near_tie_between_two_codes_gives_both():
    # one piece, as near to burnout's examples as to isolation's less 0.005, far from the none
    # reference: within the tie both codes apply; without it only the nearer one does
    def scores(tie: float) -> list[float]:
        coder = SemanticCoder(CODEBOOK, HashingEmbedder(), tie=tie).fit()
        similarity = np.where(coder.owners_ == 0, 0.500, np.where(coder.owners_ == 1, 0.495, 0.1))
        return list(coder._scores(similarity[None, :].astype(float))[0][0])

    assert all(score >= 0 for score in scores(tie=0.01))
    assert scores(tie=0.0)[0] > 0 > scores(tie=0.0)[1]


def test_similarity_alone_does_not_code_a_segment_about_someone_else(coder):
    # near isolation's examples, but about a patient, with no word for the worker
    about_her = "She felt alone on the ward with nobody to talk to"
    unchecked = coder  # off by default for a codebook whose subject is anyone (see below)
    checked = SemanticCoder(CODEBOOK, HashingEmbedder(), worker_check=True).fit()
    assert checked.predict_codings(segments(about_her)) == []
    assert unchecked.predict_codings(segments(about_her))
    # a first person, or a keyword cue, keeps it
    assert checked.predict_codings(segments("She said I felt alone with nobody to talk to"))
    assert checked.predict_codings(segments(about_her), cues={("doc:1", "isolation")})


def test_counterexample_pushes_a_near_miss_down(coder):
    scores, _ = coder.score(["I like to be alone on my break to recharge",
                             "I felt alone on my break with nobody to talk to"])
    assert scores[0, 0] < scores[1, 0]
    assert not [c for c in coder.predict_codings(segments(
        "I like to be alone on my break to recharge")) if c.code_id == "isolation"]


def test_off_topic_talk_from_the_background_is_never_coded(coder):
    assert coder.predict_codings(segments(*BACKGROUND[:10])) == []


def test_a_keyword_cue_lowers_the_bar_but_a_near_miss_refutes_it(coder):
    texts = segments("Nobody came after a shift", "I like to be alone on my break to recharge")
    assert coder.predict_codings(texts) == []  # neither is clearly isolation on similarity
    cues = {("doc:1", "isolation"), ("doc:2", "isolation")}
    kept = coder.predict_codings(texts, cues=cues)
    # the first is nearer the code than the none reference; the second is a counterexample
    assert [(c.segment_id, c.code_id) for c in kept] == [("doc:1", "isolation")]
    assert kept[0].confidence < 0.5 and kept[0].evidence.startswith("nearest example: ")


def test_calibration_reports_how_well_the_codebook_separates_at_the_margin(coder):
    calibration = {c.code_id: c for c in coder.calibration_}
    assert calibration["isolation"].positives == 3
    # 1 counterexample + 3 burnout examples + the off-topic background sentences
    assert calibration["isolation"].negatives == 4 + len(BACKGROUND)
    assert 0.5 <= calibration["isolation"].f1 <= 1.0
    assert coder.thresholds_ == {"isolation": 0.0, "burnout": 0.0}


def test_code_without_examples_is_represented_by_its_definition():
    codebook = Codebook((Code("pay", "Pay", "pay and pensions"),
                         Code("rota", "Rota", "shift patterns")))
    coder = SemanticCoder(codebook, HashingEmbedder()).fit()
    codings = coder.predict_codings(segments("my pay and my pensions"))
    assert [c.code_id for c in codings] == ["pay"]
    assert codings[0].evidence.startswith("nearest: the code's definition")


def test_same_input_same_output(coder):
    texts = segments("nobody to talk to", "drained", "car park")
    assert coder.predict_codings(texts) == SemanticCoder(
        CODEBOOK, HashingEmbedder()).fit().predict_codings(texts)


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


@pytest.fixture(scope="module")
def supervision_coder() -> SemanticCoder:
    return SemanticCoder(load_codebook(SUPERVISION), "minilm").fit()


def codes_of(coder: SemanticCoder, text: str) -> set[str]:
    return {c.code_id for c in coder.predict_codings(segments(text))}


@pytest.mark.model
@pytest.mark.parametrize("text, code", [
    ("Honestly I'm shattered, I go home and just lie on the sofa, I've nothing left for my kids.",
     "burnout"),
    ("There's nobody else doing my job here, so I have no one to talk cases through with.",
     "isolation"),
    ("The practice keeps handing me their admin, which really isn't what I was employed to do.",
     "boundaries"),
    ("My manager said I'd done a brilliant job with a difficult family, lovely to be appreciated.",
     "validation"),
])
def test_shipped_codebook_codes_a_clear_quote(supervision_coder, text, code):
    [coding] = [c for c in supervision_coder.predict_codings(segments(text)) if c.code_id == code]
    assert coding.evidence.startswith("nearest example: ") and coding.confidence >= 0.5


@pytest.mark.model
@pytest.mark.parametrize("text", [
    "Most of the older men I see are very lonely and isolated since their wives died.",
    "Referrals come to us from the GPs and the practice nurses through the clinical system.",
    "We had a stall at the library open day to tell people about the walking group.",
    "Can you hear me now? Sorry, my laptop was updating.",
])
def test_shipped_codebook_leaves_near_misses_and_ordinary_talk_uncoded(supervision_coder, text):
    assert codes_of(supervision_coder, text) == set()


@pytest.mark.model
def test_clients_loneliness_loses_its_keyword_cue(supervision_coder):
    text = "She lives alone and feels terribly isolated, so I found her a befriender."
    [segment] = segments(text)
    assert not supervision_coder.predict_codings([segment], cues={(segment.id, "isolation")})


def test_the_segments_own_vectors_are_reused_not_embedded_again():
    class Counting(HashingEmbedder):
        embedded: list[str] = []

        def encode(self, texts):
            self.embedded.extend(texts)
            return super().encode(texts)

    embedder = Counting()
    coder = SemanticCoder(CODEBOOK, embedder).fit()
    texts = segments("On nights I felt alone with nobody to talk to",
                     "I was exhausted. Drained by the workload.")
    expected = coder.predict_codings(texts)
    vectors = embedder.encode([s.text for s in texts])
    embedder.embedded.clear()
    assert coder.predict_codings(texts, vectors=vectors) == expected
    # only the sentences of the two-sentence segment; each whole text came with its vector
    assert embedder.embedded == ["I was exhausted.", "Drained by the workload."]
