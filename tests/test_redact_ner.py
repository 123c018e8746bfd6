"""The spaCy NER recogniser and the full redactor with the model (marked ``model``)."""

from __future__ import annotations

import pytest

from qualcode.redact import Redactor
from qualcode.redact.ner import CHUNK_CHARS, NerRecogniser, chunk_bounds, load_nlp


def test_chunk_bounds_cover_the_text_exactly_at_line_or_word_boundaries():
    text = ("word " * 30 + "\n") * 2000
    bounds = chunk_bounds(text, limit=1000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    for (_, end), (start, _) in zip(bounds, bounds[1:]):
        assert end == start
        assert text[end - 1] in "\n "
    assert all(end - start <= 1000 for start, end in bounds)


def test_chunk_bounds_of_a_text_without_spaces():
    text = "x" * 2500
    assert chunk_bounds(text, limit=1000) == [(0, 1000), (1000, 2000), (2000, 2500)]


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    load_nlp()  # once for the module; the model is cached per process
    return Redactor(use_ner=True)


@pytest.mark.model
def test_only_the_components_ner_needs_are_loaded():
    assert load_nlp().pipe_names == ["ner"]


@pytest.mark.model
def test_ner_finds_people_organisations_and_places(redactor):
    text = "Yesterday Eleanor Whitcombe flew to Edinburgh. She works for Barclays Bank."
    spans = NerRecogniser().find(text)
    found = {(s.label, text[s.start:s.end]) for s in spans}
    assert ("PERSON", "Eleanor Whitcombe") in found
    assert ("ORGANISATION", "Barclays Bank") in found
    assert ("LOCATION", "Edinburgh") in found


@pytest.mark.model
def test_full_redaction_with_the_model(redactor):
    [result] = redactor.redact_texts(["Oluwaseyi Adeyemi-Brown moved from Leeds to Truro in 2019. I will call."])
    assert "Oluwaseyi" not in result.text and "Leeds" not in result.text and "Truro" not in result.text
    assert "in 2019. I will call." in result.text


@pytest.mark.model
def test_word_name_traps_survive_the_model(redactor):
    traps = [
        "I will be honest with you, I hope the service carries on. May was the worst month.",
        "Faith in the service has gone down since COVID. That is the Mark of a good service.",
        "We had the MDT on Zoom, then a Teams call with the SPLW and the care coordinator from the PCN.",
        "Citizens Advice and Age UK were both useful; Mind ran a group on Tuesdays.",
    ]
    for text, result in zip(traps, redactor.redact_texts(traps)):
        assert result.text == text


@pytest.mark.model
def test_batched_results_match_one_by_one(redactor):
    texts = ["Sarah met Tom in Bristol.", "", "Nothing here.", "Dr Amelia Hart works at Derriford Hospital."]
    batched = [[(e.start, e.end, e.label) for e in r.entities] for r in Redactor().redact_texts(texts)]
    single = [[(e.start, e.end, e.label) for e in Redactor().redact_texts([t])[0].entities] for t in texts]
    assert batched == single


@pytest.mark.model
def test_a_text_longer_than_spacy_max_length_is_chunked_with_offsets_right(redactor):
    # The rules-only 2 MB case is in test_redact_patterns; here the model sees > max_length.
    turn = "Interviewer: How was it?\nP1: Eleanor Whitcombe rang me on 07700 900123 from Plymouth. It was fine.\n"
    text = turn * (load_nlp().max_length // len(turn) + 50)
    assert len(text) > load_nlp().max_length > CHUNK_CHARS
    [result] = Redactor().redact_texts([text])
    phones = [e for e in result.entities if e.label == "PHONE"]
    assert len(phones) == text.count("07700 900123")
    people = [e for e in result.entities if e.label == "PERSON"]
    assert all(text[e.start:e.end] in ("Eleanor Whitcombe", "Eleanor", "Whitcombe") for e in people)
    assert "Eleanor" not in result.text and "07700" not in result.text


@pytest.mark.model
def test_control_characters_emoji_and_scripts_with_the_model(redactor):
    text = "\x00😀 Привет, я Анна. 你好 Eleanor Whitcombe\x1b[0m said 👍🏽 hi\u200b"
    [result] = redactor.redact_texts([text])
    for entity in result.entities:
        assert 0 <= entity.start < entity.end <= len(text)
    assert "Eleanor" not in result.text


@pytest.mark.parametrize("text, start, end, kept", [
    ("said Gladys to Logan", 15, 20, True),  # a name that is also a word, written as one
    ("rang to say thanks", 0, 4, False),  # an ordinary word not written like a name
    ("I asked Natasha", 8, 15, True),  # a listed first name
    ("Dr Okonkwo called", 3, 10, True),  # not an English word
    ("the tIme they took", 4, 8, False),  # stray capital in an ordinary word
    ("InformatIon was clear", 0, 11, False),
    ("seen by the Community Nursing Team", 12, 34, False),  # a service in ordinary words
    ("referred to CAMHS", 12, 17, True),
    ("Felt rushed at the desk", 0, 4, False),  # a sentence's first word: its capital says nothing
    ("Staff were kind. Rang twice, no answer", 17, 21, False),
    ("Polite & helpful", 0, 8, False),  # a fragment around "&"
    ("seen by the Trelawny Nursing Team", 12, 33, True),  # a name among the words
])
def test_implausible_guesses_of_the_model_are_dropped(text, start, end, kept):
    from qualcode.redact.ner import _plausible_entity

    assert _plausible_entity(text, start, end) is kept
