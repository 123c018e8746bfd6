"""Consistent pseudonyms across a corpus, the operators, and the key kept apart from outputs."""

from __future__ import annotations

import json
import re
import stat

import pytest

from qualcode.errors import UsageError
from qualcode.redact import OPERATORS, Redactor, RedactionKey
from qualcode.redact.checksums import nhs_number_valid

DOCS = [
    "Priya Patel rang me on 07700 900123. Then sarah came.",
    "I saw Dr Patel again, and priya said hello. Sarah Jones was there too.",
    "Sarah rang from 07700900123 and PRIYA emailed priya.patel@example.com.",
]


def test_same_person_same_tag_across_documents_and_name_forms():
    results = Redactor(use_ner=False).redact_texts(DOCS)
    assert results[0].text == "[PERSON_1] rang me on [PHONE_1]. Then [PERSON_2] came."
    assert results[1].text == "I saw Dr [PERSON_1] again, and [PERSON_1] said hello. [PERSON_2] was there too."
    assert results[2].text == "[PERSON_2] rang from [PHONE_1] and [PERSON_1] emailed [EMAIL_1]."


def test_numbering_follows_first_appearance_and_is_deterministic():
    first = [r.text for r in Redactor(use_ner=False).redact_texts(DOCS)]
    second = [r.text for r in Redactor(use_ner=False).redact_texts(DOCS)]
    assert first == second


def test_consistency_holds_across_calls_on_one_redactor():
    redactor = Redactor(use_ner=False)
    one = redactor.redact_texts(["Nurse Thandiwe Ncube visited."])[0]
    two = redactor.redact_texts(["Later thandiwe rang, and Ncube wrote."])[0]
    assert one.text == "Nurse [PERSON_1] visited."
    assert two.text == "Later [PERSON_1] rang, and [PERSON_1] wrote."


def test_two_people_sharing_a_first_name_keep_distinct_full_names():
    results = Redactor(use_ner=False).redact_texts(["Sarah Jones and Sarah Patel both came."])
    assert results[0].text == "[PERSON_1] and [PERSON_2] both came."


def test_entities_point_into_the_original_text_sorted_and_disjoint():
    text = DOCS[0]
    [result] = Redactor(use_ner=False).redact_texts([text])
    previous_end = 0
    rebuilt, cursor = [], 0
    for entity in result.entities:
        assert entity.start >= previous_end and entity.end > entity.start
        previous_end = entity.end
        rebuilt += [text[cursor:entity.start], entity.replacement]
        cursor = entity.end
    rebuilt.append(text[cursor:])
    assert "".join(rebuilt) == result.text


@pytest.mark.parametrize("operator", OPERATORS)
def test_every_operator_removes_the_identifiers(operator):
    results = Redactor(operator=operator, use_ner=False).redact_texts(DOCS)
    for result in results:
        for secret in ("Priya", "Patel", "900123", "priya.patel@example.com", "Jones"):
            assert secret.lower() not in result.text.lower()


def test_pseudonym_operator_gives_plausible_consistent_fakes():
    redactor = Redactor(operator="pseudonym", use_ner=False)
    results = redactor.redact_texts(
        ["Priya Patel rang on 07700 900123 from PL4 6AB; NHS 943 476 5919; she's 84.", "Then priya and Dr Patel met."]
    )
    first, second = results[0].text, results[1].text
    name = results[0].entities[0].replacement
    given, family = name.split()
    assert f"Then {given} and Dr {family} met." == second
    assert "07700 900000" in first
    assert re.search(r"ZZ\d+ \d[A-Z]Z", first)
    fake_nhs = results[0].entities[3].replacement
    assert fake_nhs.startswith("999") and nhs_number_valid(fake_nhs)
    assert "she's 80-89" in first


def test_mask_and_remove_operators():
    text = "Call Sarah on 07700 900123."
    assert Redactor(operator="mask", use_ner=False).redact_texts([text])[0].text == "Call [REDACTED] on [REDACTED]."
    assert Redactor(operator="remove", use_ner=False).redact_texts([text])[0].text == "Call  on ."


def test_unknown_operator_is_a_usage_error_at_first_use():
    redactor = Redactor(operator="scramble", use_ner=False)  # constructors only store
    with pytest.raises(UsageError, match="scramble"):
        redactor.redact_texts(["x"])


def test_key_maps_originals_to_replacements_and_is_written_only_when_asked(tmp_path):
    redactor = Redactor(use_ner=False)
    redactor.redact_texts(DOCS)
    key = redactor.key
    assert isinstance(key, RedactionKey)
    assert key.mapping("PERSON")["Priya Patel"] == "[PERSON_1]"
    assert key.mapping("PHONE")["07700900123"] == "[PHONE_1]"
    assert list(tmp_path.iterdir()) == []
    path = key.to_json(tmp_path / "key.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert {"label": "PERSON", "original": "Priya Patel", "replacement": "[PERSON_1]"} in data["entries"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_key_repr_shows_no_original_text():
    redactor = Redactor(use_ner=False)
    redactor.redact_texts(DOCS)
    shown = repr(redactor.key) + str(redactor.key)
    for secret in ("Priya", "Patel", "Sarah", "07700", "example.com"):
        assert secret not in shown


def test_audit_trail_and_jsonl_records_hold_no_original_text():
    redactor = Redactor(use_ner=False)
    results = redactor.redact_texts(DOCS, ids=["a", "b", "c"])
    dumped = json.dumps([r.to_dict() for r in results]) + json.dumps([row for r in results for row in r.audit_rows()])
    dumped += repr(results)
    for secret in ("Priya", "Patel", "Sarah", "Jones", "07700", "priya.patel", "900123"):
        assert secret.lower() not in dumped.lower()
    row = results[0].audit_rows()[0]
    assert set(row) == {"record_id", "start", "end", "label", "replacement", "source", "score"}
    assert row["record_id"] == "a"


def test_ids_default_to_running_numbers_and_must_match_texts():
    redactor = Redactor(use_ner=False)
    assert [r.id for r in redactor.redact_texts(["a", "b"])] == ["0", "1"]
    assert [r.id for r in redactor.redact_texts(["c"])] == ["2"]
    with pytest.raises(UsageError, match="2 ids given for 1 texts"):
        redactor.redact_texts(["x"], ids=["1", "2"])


def test_duplicate_texts_are_analysed_once_and_redacted_alike():
    texts = ["Sarah rang", "nothing", "Sarah rang", "Tom came", "nothing"]
    results = Redactor(use_ner=False).redact_texts(texts)
    assert [r.text for r in results] == ["[PERSON_1] rang", "nothing", "[PERSON_1] rang", "[PERSON_2] came", "nothing"]
    assert results[0].entities == results[2].entities
