"""Quotes: chosen by hand-built segments and embeddings, so every rule is checked exactly."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.errors import UsageError
from qualcode.model import Coding, Document, Segment
from qualcode.quotes import (ELLIPSIS, code_groups, quotes_frame, select_quotes, topic_groups,
                             trim_quote)

LONG_ANSWER = ("Supervision gives me somewhere to take the cases that stay with me after work. "
               "Without it I would have left the role in the first year, honestly. "
               "My supervisor helps me think through risk and what I can and cannot fix for people. "
               "We also talk about boundaries, because people ring me at weekends and I find it hard "
               "to say no when they are struggling and have nobody else to call.")


def _seg(seg_id: str, text: str, doc_id: str | None = None, role: str = "participant",
         speaker: str | None = None, **attributes: str) -> Segment:
    return Segment(id=seg_id, doc_id=doc_id or seg_id.split(":")[0], start=0, end=len(text),
                   text=text, speaker=speaker, role=role, attributes=attributes)


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _answer(i: int) -> str:
    return f"Answer number {i} says supervision helps me manage the hardest cases at work."


def test_short_texts_are_not_quotable_and_mid_length_ones_are_kept_whole():
    assert trim_quote("Supervision helps.", 8, 60) is None
    text = "Supervision helps me keep going when the caseload gets heavy."
    assert trim_quote(text, 8, 60) == text


def test_long_texts_are_trimmed_at_a_sentence_boundary_with_an_ellipsis():
    quote = trim_quote(LONG_ANSWER, 8, 40)
    assert quote.endswith(f". {ELLIPSIS}")
    body = quote[: -len(ELLIPSIS)].strip()
    assert 8 <= len(body.split()) <= 40
    assert LONG_ANSWER.startswith(body)


def test_a_long_first_sentence_is_cut_at_a_clause_or_word_never_mid_word():
    sentence = " ".join(f"word{i}" for i in range(30)) + ", then more words follow here " + \
        " ".join(f"tail{i}" for i in range(40)) + "."
    quote = trim_quote(sentence, 8, 60)
    body = quote[: -len(ELLIPSIS)].strip()
    assert quote.endswith(ELLIPSIS) and len(body.split()) <= 60
    original = sentence.split()
    assert all(word == original[i].rstrip(",") for i, word in enumerate(body.split()))  # whole words
    no_breaks = " ".join(f"w{i}" for i in range(100))
    assert trim_quote(no_breaks, 8, 60) == " ".join(f"w{i}" for i in range(60)) + f" {ELLIPSIS}"


def test_quotes_respect_length_rules_end_to_end():
    segments = [_seg("a:1", "Too short to quote."), _seg("b:1", LONG_ANSWER),
                _seg("c:1", _answer(1)), _seg("d:1", _answer(2))]
    vectors = _unit(np.random.default_rng(0).normal(0, 1, (4, 16)))
    result = select_quotes(segments, vectors, {"support": ["a:1", "b:1", "c:1", "d:1"]}, attributes=())
    assert {q.segment_id for q in result.quotes} == {"b:1", "c:1", "d:1"}
    for quote in result.quotes:
        assert 8 <= len(quote.text.replace(ELLIPSIS, "").split()) <= 60


def test_interviewer_turns_and_preamble_are_never_quoted():
    segments = [_seg("i:1", "So how does supervision help you manage the hardest cases at work?",
                     role="interviewer"),
                _seg("i:0", "Recording started, consent confirmed by the participant for the study.",
                     role="preamble"),
                *[_seg(f"p{i}:1", _answer(i)) for i in range(4)]]
    vectors = _unit(np.vstack([np.ones((2, 8)), 0.3 * np.ones((4, 8)) + np.eye(4, 8)]))  # interviewer central
    result = select_quotes(segments, vectors, {"support": [s.id for s in segments]}, per_theme=6,
                           attributes=())
    assert {q.segment_id for q in result.quotes} == {"p0:1", "p1:1", "p2:1", "p3:1"}


def test_near_duplicates_are_never_both_chosen():
    rng = np.random.default_rng(1)
    base = rng.normal(0, 1, 16)
    rows = [base + rng.normal(0, 0.01, 16) for _ in range(4)] + [rng.normal(0, 1, 16) for _ in range(3)]
    segments = [_seg(f"r{i}:1", _answer(i)) for i in range(7)]
    vectors = _unit(np.array(rows))
    result = select_quotes(segments, vectors, {"t": [s.id for s in segments]}, per_theme=4, attributes=())
    chosen = vectors[[int(q.segment_id[1]) for q in result.quotes]]
    similarity = chosen @ chosen.T
    assert (similarity[~np.eye(len(chosen), dtype=bool)] < 0.9).all()
    assert sum(q.segment_id in {"r0:1", "r1:1", "r2:1", "r3:1"} for q in result.quotes) == 1


def test_identical_text_is_never_quoted_twice_even_with_different_embeddings():
    segments = [_seg(f"r{i}:1", "The same answer appears here word for word again.") for i in range(3)]
    vectors = _unit(np.eye(3, 8))
    result = select_quotes(segments, vectors, {"t": ["r0:1", "r1:1", "r2:1"]}, attributes=())
    assert len(result.quotes) == 1 and "t" in result.shortfalls


def test_distinct_speakers_are_preferred():
    # The three most central segments are all one interviewee's; the others are less central.
    segments = [_seg(f"int1:{i}", _answer(i), doc_id="int1") for i in range(3)]
    segments += [_seg(f"int{i}:1", _answer(10 + i), doc_id=f"int{i}") for i in (2, 3)]
    rng = np.random.default_rng(2)
    centre = rng.normal(0, 1, 16)
    rows = [centre + rng.normal(0, 0.6, 16) for _ in range(3)] + [centre + rng.normal(0, 1.2, 16) for _ in range(2)]
    result = select_quotes(segments, _unit(np.array(rows)), {"t": [s.id for s in segments]}, attributes=())
    assert len({q.segment_id.split(":")[0] for q in result.quotes}) == 3


def _survey(n_full: int = 6, n_small: int = 2) -> tuple[list[Segment], list[Document], np.ndarray]:
    """Respondents with (role, time in role, wave): most common, a pair rare."""
    people = [("SPLW", "2+ years", "wave 1")] * n_full + [("SPLW", "<1 year", "wave 1")] * n_small
    people += [("Coach", "2+ years", "wave 1")] * 4
    documents = [Document(id=f"r{i:02d}", text="", kind="survey", source_path="s.csv",
                          attributes={"Role": role, "Time in role": time, "Wave": wave})
                 for i, (role, time, wave) in enumerate(people)]
    segments = [_seg(f"r{i:02d}:q1", _answer(i)) for i in range(len(people))]
    vectors = _unit(np.random.default_rng(3).normal(0, 1, (len(people), 16)))
    return segments, documents, vectors


def test_small_groups_are_generalised_and_the_rule_is_stated():
    segments, documents, vectors = _survey()
    rare = ["r06:q1", "r07:q1"]  # the two "<1 year" respondents
    result = select_quotes(segments, vectors, {"t": rare}, documents=documents, per_theme=2, min_group=5)
    assert len(result.quotes) == 2
    for quote in result.quotes:
        # time_in_role has as many distinct values as role but is listed later: dropped first.
        assert "<1 year" not in quote.attribution
        assert quote.attribution.endswith("SPLW, wave 1")  # 8 SPLW in wave 1 >= 5
    note = result.suppression_note
    assert "k=5" in note and "fewer than 5 respondents" in note
    assert "time_in_role, role, wave" in note and "2 of 2 attributions were generalised" in note


def test_common_combinations_are_shown_in_full_and_rare_singletons_lose_all_attributes():
    segments, documents, vectors = _survey()
    full = select_quotes(segments, vectors, {"t": ["r00:q1"]}, documents=documents, per_theme=1)
    assert full.quotes[0].attribution == "R01, SPLW, 2+ years, wave 1"  # this run's label, not "r00"
    assert dict(full.quotes[0].shown) == {"role": "SPLW", "time_in_role": "2+ years", "wave": "wave 1"}
    lone = [Document(id="x", text="", kind="survey", source_path="s.csv",
                     attributes={"Role": "Manager", "Time in role": "10 years", "Wave": "wave 3"})]
    segments2 = segments + [_seg("x:q1", _answer(99))]
    vectors2 = np.vstack([vectors, _unit(np.ones((1, 16)))])
    result = select_quotes(segments2, vectors2, {"t": ["x:q1"]}, documents=documents + lone, per_theme=1)
    assert result.quotes[0].attribution == "R13" and result.quotes[0].pseudonym == "R13"
    assert dict(result.quotes[0].shown) == {}  # nothing of a group of one
    assert "1 of them to the id alone" in result.suppression_note


def test_drop_order_can_be_fixed_and_case_ids_are_the_pseudonym():
    segments, documents, vectors = _survey()
    documents = [Document(id=d.id, text="", kind="survey", source_path="s.csv",
                          attributes={**d.attributes, "case": f"P{i:02d}"}) for i, d in enumerate(documents)]
    result = select_quotes(segments, vectors, {"t": ["r06:q1"]}, documents=documents, per_theme=1,
                           drop_order=("wave", "time_in_role", "role"))
    assert result.quotes[0].attribution == "P06, SPLW"  # wave dropped first, then time in role
    assert result.quotes[0].pseudonym == "P06"  # a case id the user gave is the pseudonym
    with pytest.raises(UsageError, match="drop_order"):
        select_quotes(segments, vectors, {"t": ["r06:q1"]}, drop_order=("site",))


def test_confidence_scores_rank_quotes_when_given():
    segments = [_seg(f"r{i}:1", _answer(i)) for i in range(4)]
    vectors = _unit(np.random.default_rng(4).normal(0, 1, (4, 16)))
    codings = [Coding(f"r{i}:1", "support", "semantic", conf, "", "semantic")
               for i, conf in enumerate([0.2, 0.9, 0.5, 0.7])]
    groups, scores = code_groups(codings)
    result = select_quotes(segments, vectors, groups, scores, per_theme=1, attributes=())
    assert result.quotes[0].segment_id == "r1:1" and result.quotes[0].theme == "support"


def test_selection_is_deterministic_and_one_segment_serves_one_theme():
    segments, documents, vectors = _survey()
    groups = {"topic:0": [s.id for s in segments[:8]], "topic:1": [s.id for s in segments[4:]]}
    first = select_quotes(segments, vectors, groups, documents=documents)
    second = select_quotes(list(reversed(segments)), vectors[::-1], groups, documents=documents)
    assert first == second
    chosen = [q.segment_id for q in first.quotes]
    assert len(chosen) == len(set(chosen)) == 6
    frame = quotes_frame(first)
    assert list(frame.columns) == ["theme", "rank", "segment_id", "text", "attribution", "score"]
    assert list(frame["rank"]) == [1, 2, 3, 1, 2, 3]


def test_topic_groups_skip_outliers():
    assert topic_groups({"b:1": 0, "a:1": 0, "c:1": -1, "d:1": 1}) == {"topic:0": ["a:1", "b:1"],
                                                                      "topic:1": ["d:1"]}


def test_pseudonyms_never_carry_file_names():
    ids = ["interview_02_manchester.txt", "breakout_09_scotland.md", "interview_01_london.vtt"]
    kinds = ["transcript", "notes", "transcript"]
    documents = [Document(id=i, text="", kind=k, source_path=i) for i, k in zip(ids, kinds)]
    segments = [_seg(f"{i}:2", _answer(n), doc_id=i) for n, i in enumerate(ids)]
    vectors = _unit(np.random.default_rng(4).normal(0, 1, (3, 16)))
    result = select_quotes(segments, vectors, {"t": [s.id for s in segments]}, documents=documents,
                           per_theme=3, attributes=())
    pseudonyms = {q.segment_id.split(":")[0]: q.pseudonym for q in result.quotes}
    # Numbered within their kind, in id order: london before manchester.
    assert pseudonyms == {"interview_01_london.vtt": "I1", "interview_02_manchester.txt": "I2",
                          "breakout_09_scotland.md": "N1"}
    assert all(q.attribution == q.pseudonym for q in result.quotes)
