"""Setting terms: a codebook's words for roles, places and colleagues read as generic words."""

from __future__ import annotations

import numpy as np

from qualcode.coding._setting_terms import SettingTerms
from qualcode.coding.semantic import SemanticCoder
from qualcode.embed import HashingEmbedder
from qualcode.model import Code, Codebook, Segment

TERMS = SettingTerms((("worker", ("link worker", "care coordinator", "health coach")),
                      ("work", ("GP practice", "the practice")),
                      ("colleagues", ("GP", "nurse"))))


def test_terms_become_their_generic_words_whole_word_and_any_case():
    assert TERMS.apply("I'm the only Care Coordinator in the PCN") == \
        "I'm the only worker in the PCN"
    assert TERMS.apply("gps and NURSES ask the link   worker") == "colleagues and colleagues ask the worker"
    assert TERMS.apply("GPSurgery, GPs' meeting, nursery") == "GPSurgery, colleagues' meeting, nursery"


def test_the_longest_term_wins_and_plurals_keep_their_number():
    assert TERMS.apply("at the GP practice, the GP said") == "at the work, the colleagues said"
    assert TERMS.apply("two health coaches and one link worker") == "two workers and one worker"
    assert TERMS.apply("both GP practices") == "both works"


def test_no_terms_leave_text_alone():
    assert SettingTerms(()).apply("The GP") == "The GP"


def test_a_term_written_with_extra_spaces_still_matches():
    assert SettingTerms((("worker", ("Link  Worker",)),)).apply("a link worker") == "a worker"


class CountingEmbedder(HashingEmbedder):
    """Remembers every text it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return super().encode(texts)


def codebook(setting_terms=()) -> Codebook:
    code = Code(id="isolation", name="Isolation", definition="Working alone.",
                examples=("I'm the only link worker here.", "No one to ask.", "Just me all week."))
    return Codebook(codes=(code,), setting_terms=setting_terms)


def test_the_semantic_coder_embeds_codebook_and_segments_with_generic_words():
    embedder = CountingEmbedder()
    coder = SemanticCoder(codebook((("worker", ("link worker",)),)), embedder,
                          classifier=False).fit()
    assert "I'm the only worker here." in embedder.seen
    assert not any("link worker" in text for text in embedder.seen)
    segment = Segment("s1", "d", 0, 27, "The link worker is on leave", role="participant")
    coder.predict_codings([segment], vectors=np.zeros((1, embedder.dim)))
    # The stored whole-text vector holds the original words, so the piece is embedded anew.
    assert embedder.seen[-1] == "The worker is on leave"
    # Evidence quotes the codebook as written.
    assert "I'm the only link worker here." in coder.prototype_texts_


def test_a_whole_text_vector_is_reused_when_no_term_changes_it():
    embedder = CountingEmbedder()
    coder = SemanticCoder(codebook((("worker", ("link worker",)),)), embedder,
                          classifier=False).fit()
    before = len(embedder.seen)
    segment = Segment("s1", "d", 0, 12, "No one here.", role="participant")
    coder.predict_codings([segment], vectors=embedder.encode([segment.text]))
    assert len(embedder.seen) == before + 1  # only the vector passed in
