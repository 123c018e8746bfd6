"""Keyword rules over lemmas: inflections match, negated cues do not, evidence names the cue."""

from __future__ import annotations

import pytest

from qualcode.coding import RuleCoder
from qualcode.coding.rules import lemma_candidates
from qualcode.model import Code, Codebook, Segment

CODEBOOK = Codebook((
    Code("burnout", "Burnout", "Exhaustion from work.", keywords=("burned out", "exhausted")),
    Code("isolation", "Isolation", "Feeling alone at work.",
         keywords=("isolated", "lonely", "on my own", "cut off")),
    Code("validation", "Validation", "Feeling valued.", keywords=("valu*",)),
))


def segments(*texts: str) -> list[Segment]:
    return [Segment(f"doc:{n}", "doc", 0, len(t), t, role="participant")
            for n, t in enumerate(texts, start=1)]


@pytest.fixture(scope="module")
def coder() -> RuleCoder:
    return RuleCoder(CODEBOOK).fit()


def by_segment(codings):
    return {(c.segment_id, c.code_id): c for c in codings}


def test_keywords_match_other_inflections(coder):
    found = by_segment(coder.predict_codings(segments(
        "By March I was burnt out.", "Working nights felt isolating.", "I'm burning out fast.")))
    assert set(found) == {("doc:1", "burnout"), ("doc:2", "isolation"), ("doc:3", "burnout")}
    assert found[("doc:1", "burnout")].evidence == "cue: 'burnt out'"
    assert found[("doc:2", "isolation")].evidence == "cue: 'isolating'"


def test_case_is_ignored_and_the_cue_is_quoted_as_written(coder):
    [coding] = coder.predict_codings(segments("Honestly, EXHAUSTED."))
    assert coding.code_id == "burnout" and coding.evidence == "cue: 'EXHAUSTED'"
    assert coding.method == "rule" and coding.coder == "qualcode"


def test_negated_cue_is_not_coded(coder):
    assert coder.predict_codings(segments("I never felt isolated there.",
                                          "I was not exhausted at all")) == []


def test_negation_stops_at_a_clause_break(coder):
    found = coder.predict_codings(segments("Not always, but I was lonely."))
    assert [(c.code_id, c.evidence) for c in found] == [("isolation", "cue: 'lonely'")]


def test_negation_can_be_switched_off():
    found = RuleCoder(CODEBOOK, negation=False).fit().predict_codings(
        segments("I never felt isolated."))
    assert [c.code_id for c in found] == ["isolation"]


def test_wildcard_matches_word_starts(coder):
    found = coder.predict_codings(segments("My manager valued what we did", "Invaluable support"))
    assert [(c.segment_id, c.code_id) for c in found] == [("doc:1", "validation")]


def test_phrase_cue_is_more_confident_than_a_single_word(coder):
    found = by_segment(coder.predict_codings(segments("I was on my own.", "I was lonely.")))
    assert found[("doc:1", "isolation")].confidence > found[("doc:2", "isolation")].confidence


def test_several_cues_raise_confidence_and_all_appear_as_evidence(coder):
    one, two = coder.predict_codings(segments("I was lonely.", "Lonely and cut off."))
    assert two.confidence > one.confidence
    assert two.evidence == "cue: 'Lonely'; cue: 'cut off'"


def test_a_segment_may_get_several_codes_or_none(coder):
    found = coder.predict_codings(segments("Exhausted and lonely", "The canteen was shut"))
    assert [(c.segment_id, c.code_id) for c in found] == [("doc:1", "burnout"),
                                                          ("doc:1", "isolation")]


def test_lemma_candidates_cover_irregular_forms():
    assert "leave" in lemma_candidates("left")
    assert "isolate" in lemma_candidates("isolated")
    assert "burn" in lemma_candidates("burnt")


def test_predict_without_fit_compiles_the_rules():
    found = RuleCoder(CODEBOOK).predict_codings(segments("so exhausted"))
    assert [c.code_id for c in found] == ["burnout"]


def test_keywords_with_contractions_match_typed_curly_and_missing_apostrophes():
    codebook = Codebook((Code("burnout", "Burnout", "Exhaustion from work.",
                              keywords=("can't cope", "can't switch off")),))
    found = RuleCoder(codebook).fit().predict_codings(segments(
        "Some days I can't cope.", "I can’t switch off at night", "honestly i cant cope",
        "I can cope most days"))
    assert [(c.segment_id, c.evidence) for c in found] == [
        ("doc:1", "cue: \"can't cope\""), ("doc:2", "cue: 'can’t switch off'"),
        ("doc:3", "cue: 'cant cope'")]


def test_lemma_keyword_matches_any_inflection():
    codebook = Codebook((Code("isolation", "Isolation", "Alone at work.",
                              keywords=("<bounce> ideas", "<feel> part of")),))
    found = RuleCoder(codebook).fit().predict_codings(segments(
        "I used to bounce ideas off her", "We bounced ideas around", "I felt part of a team"))
    assert [c.segment_id for c in found] == ["doc:1", "doc:2", "doc:3"]


def test_keyword_that_starts_with_a_negation_is_matched_as_written():
    codebook = Codebook((Code("boundaries", "Boundaries", "Role limits.",
                              keywords=("not my job", "nobody to ask")),))
    found = RuleCoder(codebook).fit().predict_codings(segments(
        "Chasing prescriptions is not my job.", "There was nobody to ask."))
    assert [c.segment_id for c in found] == ["doc:1", "doc:2"]


def test_cue_about_a_client_is_not_coded(coder):
    found = coder.predict_codings(segments(
        "My clients are so lonely in their flats.",
        "Several of my patients are exhausted by the waiting.",
        "She gets isolated quickly once she stops driving."))
    assert found == []


def test_first_person_nearer_the_cue_than_the_client_keeps_it(coder):
    found = coder.predict_codings(segments(
        "After a day of clients in crisis I feel exhausted.",
        "The patients are fine. I was lonely, though.",
        "It can be very isolating."))
    assert [(c.segment_id, c.code_id) for c in found] == [
        ("doc:1", "burnout"), ("doc:2", "isolation"), ("doc:3", "isolation")]


def test_client_check_can_be_switched_off():
    found = RuleCoder(CODEBOOK, others=False).fit().predict_codings(
        segments("My clients are so lonely."))
    assert [c.code_id for c in found] == ["isolation"]
