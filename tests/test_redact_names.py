"""Names the model misses: lower case, titles, speaker labels, word-names in name context."""

from __future__ import annotations

import pytest

from qualcode.redact import Redactor, is_role_label


def redact(text: str) -> str:
    return Redactor(use_ner=False).redact_texts([text])[0].text


def person_surfaces(text: str) -> list[str]:
    spans = Redactor(use_ner=False).find_spans([text])[0]
    return [text[s.start:s.end] for s in spans if s.label == "PERSON"]


@pytest.mark.parametrize(
    "text, names",
    [
        ("i spoke to sarah about it", ["sarah"]),
        ("honestly gary was the only one who rang", ["gary"]),
        ("me and jess went to the drop in", ["jess"]),
        ("Priya Patel was brilliant", ["Priya Patel"]),
        ("I think patel said so", ["patel"]),
        ("Sarah's mum came", ["Sarah"]),
    ],
)
def test_gazetteer_names_in_any_case(text, names):
    assert person_surfaces(text) == names


@pytest.mark.parametrize(
    "text, name",
    [("I saw Dr Patel today", "Patel"), ("Mrs K. from reception", "K."), ("Nurse Jones came", "Jones"),
     ("i told dr rahman twice", "rahman"), ("Sister Adebayo was kind", "Adebayo"), ("Dr Okonkwo-Smith", "Okonkwo-Smith")],
)
def test_titles_mark_the_following_word_as_a_name_and_stay_in_the_text(text, name):
    assert person_surfaces(text) == [name]
    assert "[PERSON_1]" in redact(text)


@pytest.mark.parametrize(
    "text, name",
    [
        ("Will and I went to the PCN", "Will"),
        ("I spoke to Hope about it", "Hope"),
        ("my daughter Hope did the shopping", "Hope"),
        ("We met Faith at the group", "Faith"),
        ("Mark said he would chase it", "Mark"),
        ("it was Will Thompson who rang", "Will Thompson"),
        ("a woman called may", "may"),
    ],
)
def test_word_names_are_names_in_name_context(text, name):
    assert person_surfaces(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "I will be honest with you.",
        "I hope the service carries on.",
        "May was the worst month.",
        "After my bath I sat down.",
        "Faith in the service has gone.",
        "That is the Mark of a good service.",
        "She may be able to help with the form.",
        "I'd like to mark this as a complaint.",
        "Grace under pressure, that's the nurses.",
        "The rose bushes needed pruning; pure joy.",
        "We will see. I hope so.",
    ],
)
def test_word_names_are_left_alone_elsewhere(text):
    assert redact(text) == text


def test_speaker_label_lines_with_names():
    text = "Sarah: I think so.\nInterviewer: And then?\nWill: yes."
    assert person_surfaces(text) == ["Sarah", "Will"]


def test_names_after_relation_and_speech_cues_even_if_unlisted():
    assert person_surfaces("my neighbour Xanthippe drives me") == ["Xanthippe"]
    assert person_surfaces("Mehrudin shouted at Tobiah: what now") == ["Mehrudin", "Tobiah"]
    assert person_surfaces("Timotea lives on the hill") == ["Timotea"]
    assert person_surfaces("Name: Sieda Batukayev") == ["Sieda Batukayev"]
    assert person_surfaces("a concert by Ravil G Yefimov") == ["Ravil G Yefimov"]


@pytest.mark.parametrize("label", ["Interviewer", "I", "P4", "Participant 3", "Speaker 1", "R", "Respondent 12", "FG1", "Moderator"])
def test_role_labels_are_not_names(label):
    assert is_role_label(label)
    assert Redactor(use_ner=False).redact_name(label) == label


def test_redact_name_for_speaker_labels_is_consistent_with_text_mentions():
    redactor = Redactor(use_ner=False)
    assert redactor.redact_name("Sarah") == "[PERSON_1]"
    [result] = redactor.redact_texts(["then sarah rang me"])
    assert result.text == "then [PERSON_1] rang me"
    assert redactor.redact_name("SARAH") == "[PERSON_1]"


def test_speakers_argument_redacts_labels_and_sweeps_their_mentions():
    redactor = Redactor(use_ner=False)
    results = redactor.redact_texts(["I think Oluwatobi is right", "yes"], speakers=["Oluwatobi", "Interviewer"])
    assert results[0].speaker == "[PERSON_1]"
    assert results[0].text == "I think [PERSON_1] is right"
    assert results[1].speaker == "Interviewer"


def test_list_members_next_to_a_known_name_are_names_too():
    text = "Our 3 founders: Eklund, Michael and Hodge."
    assert redact(text) == "Our 3 founders: [PERSON_1], [PERSON_2] and [PERSON_3]."


def test_lists_do_not_swallow_days_pronouns_or_protected_terms():
    assert redact("Sarah and I went on Monday, Tuesday and Friday to Mind and Age UK.") == (
        "[PERSON_1] and I went on Monday, Tuesday and Friday to Mind and Age UK."
    )


def test_conditions_named_after_people_are_not_people():
    assert redact("My husband has Parkinson's and Crohn's disease.") == "My husband has Parkinson's and Crohn's disease."
    assert redact("I saw Mr Parkinson about it.") == "I saw Mr [PERSON_1] about it."


def test_organisation_line_in_a_postal_address_block():
    text = "Sarah Jones\nAcme Widgets\n14 Fernbank Road\nPlymouth PL4 6AB"
    assert redact(text) == "[PERSON_1]\n[ORGANISATION_1]\n[ADDRESS_1]"


def test_titles_written_with_a_full_stop():
    assert person_surfaces("For my take on Mrs. Baker, see below; Dr. Wells agreed") == ["Baker", "Wells"]


def test_addressee_lines_above_a_postal_address():
    text = ">Gyala Antall\n>Google Public Data Explorer\n>Gyala Antall\n>3369 24 Clarke Avenue"
    assert redact(text) == ">[PERSON_1]\n>[ORGANISATION_1]\n>[PERSON_1]\n>[ADDRESS_1]"
    letter = "Dear all,\nThe letter went to\n14 Fernbank Road"
    assert redact(letter) == "Dear all,\nThe letter went to\n[ADDRESS_1]"


@pytest.mark.parametrize("text, name", [
    ("Facilitator: Rhodri Baines, Cwm Taf Valleys Cluster", "Rhodri Baines"),
    ("The session was chaired by Ffion Lloyd-Evans.", "Ffion Lloyd-Evans"),
    ("Co-facilitator: Tegwen Morgan", "Tegwen Morgan"),
])
def test_names_after_meeting_roles_are_found_whatever_the_name(text, name):
    result = Redactor(use_ner=False).redact_texts([text])[0]
    assert name not in result.text and name.split()[0] not in result.text


def test_welsh_gp_clusters_are_organisations():
    result = Redactor(use_ner=False).redact_texts(["We meet as the Cwm Taf Valleys Cluster monthly."])[0]
    assert "Cwm Taf" not in result.text and "[ORGANISATION_1]" in result.text


def test_ordinary_words_of_a_false_name_are_not_swept_through_the_corpus():
    """One title-case answer taken for a name must not redact "very" in every other answer."""
    redactor = Redactor(use_ner=False)
    texts = ["Very Friendly & Good Service", "very helpful staff, the service was very good",
             "Dr Okonkwo was great", "okonkwo explained everything", "sarah jones rang me", "jones again"]
    results = [r.text for r in redactor.redact_texts(texts)]
    assert results[1] == "very helpful staff, the service was very good"
    assert "okonkwo" not in results[3].lower() and "jones" not in results[5].lower()


def test_praise_in_title_case_is_not_learned_as_a_full_name():
    from qualcode.redact.sweep import KnownNames

    known = KnownNames()
    known.add("Very Good")  # a false guess must not make every "very good" a person
    known.add("Sarah Jones")
    assert known.find("the staff were very good") == []
    assert [s.start for s in known.find("i spoke to sarah jones")] == [11]


# Name positions without a list (2026-12-05 round): kinship titles, names addressed at the end
# of thanks or a sign-off, line labels that are no English word or role; and no name runs
# across a line break.

@pytest.mark.parametrize("text, expected", [
    ("Grandad Tadeusz taught me to fish.", "Grandad [PERSON_1] taught me to fish."),
    ("We stayed with Aunty Folasade over summer.", "We stayed with Aunty [PERSON_1] over summer."),
    ("That's all for today, thanks Siobhan.", "That's all for today, thanks [PERSON_1]."),
    ("Kind regards, Olamide", "Kind regards, [PERSON_1]"),
    ("Ffion: the drop-in works for me\nGethin: it doesn't for me",
     "[PERSON_1]: the drop-in works for me\n[PERSON_2]: it doesn't for me"),
])
def test_names_in_name_positions_whatever_the_name(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "Thanks for listening.", "Outcomes: fewer GP visits", "Next steps: book the room",
    "Morning everyone, shall we start?",
])
def test_headings_and_greetings_without_names_stay(text):
    assert redact(text) == text


def test_no_person_span_crosses_a_line_break():
    from qualcode.model import Span
    from qualcode.redact.resolve import ProtectedTerms, resolve

    text = "Spoke to Kezia\nPhysio next week"
    spans = resolve(text, [Span(9, 21, "PERSON", "ner", 0.8)], ProtectedTerms(()))
    assert spans and all("\n" not in text[s.start:s.end] for s in spans)
    assert text[spans[0].start:spans[0].end] == "Kezia"
