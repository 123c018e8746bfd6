"""Pattern recognisers: validated identifiers, contacts, dates, ages, addresses, organisations.

These run without the spaCy model (``use_ner=False``) and stay fast.
"""

from __future__ import annotations

import pytest

from qualcode.redact import Redactor, create
from qualcode.redact.checksums import iban_valid, luhn_valid, nhs_number_valid
from qualcode.redact.temporal import AgeRecogniser, DateRecogniser


def labels_in(text: str, recogniser: str | None = None) -> list[tuple[str, str]]:
    """(label, surface) of every span found in ``text``, by one recogniser or the whole rule set."""
    if recogniser is not None:
        spans = create(recogniser).find(text)
    else:
        spans = Redactor(use_ner=False).find_spans([text])[0]
    return [(s.label, text[s.start:s.end]) for s in sorted(spans, key=lambda s: s.start)]


def surfaces(text: str, label: str) -> list[str]:
    return [surface for found, surface in labels_in(text) if found == label]


# --- NHS numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "943-476-5919", "485 777 3031"])
def test_valid_nhs_numbers_are_found(number):
    assert surfaces(f"My NHS number is {number} thanks", "NHS_NUMBER") == [number]


def test_nhs_number_with_a_wrong_check_digit_is_not_an_nhs_number():
    assert not nhs_number_valid("943 476 5918")
    assert surfaces("ref 943 476 5918 on file", "NHS_NUMBER") == []


def test_a_phone_number_starting_with_0_is_not_taken_for_an_nhs_number():
    # 0161 496 0732 is 10 digits; without an NHS cue it must stay a phone number.
    assert labels_in("ring 0161 496 0732 today") == [("PHONE", "0161 496 0732")]


# --- phones -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "number",
    ["07700 900123", "07700900123", "+44 7700 900123", "+44 (0)20 7946 0123", "0113 496 0019",
     "020 7946 0213", "01632 960 555", "07700-900-123", "(0161) 496 0732", "541-714-1388", "(579)888-3058"],
)
def test_phone_numbers_in_uk_and_common_layouts(number):
    assert surfaces(f"call me on {number} please", "PHONE") == [number]


@pytest.mark.parametrize(
    "text",
    ["We saw 1500 patients in 2019-2020", "The score went from 12 to 20", "It cost 1,250 pounds",
     "between 10 20 and 30", "room 1234"],
)
def test_ordinary_numbers_are_not_phone_numbers(text):
    assert surfaces(text, "PHONE") == []


def test_a_short_number_counts_as_a_phone_number_only_with_a_cue():
    assert surfaces("my registered number 668 5702 is wrong", "PHONE") == ["668 5702"]
    assert surfaces("we had 668 5702 leaflets printed", "PHONE") == []


# --- other identifiers --------------------------------------------------------------------------

def test_national_insurance_numbers_with_valid_prefixes():
    assert surfaces("NI number JH 45 67 89 C", "NI_NUMBER") == ["JH 45 67 89 C"]
    assert surfaces("ni jh456789c", "NI_NUMBER") == ["jh456789c"]
    # GB and BG prefixes are never issued; D as a first letter is not allowed.
    assert surfaces("code GB 12 34 56 A", "NI_NUMBER") == []
    assert surfaces("code DA 12 34 56 A", "NI_NUMBER") == []


def test_emails_urls_handles_and_ip_addresses():
    text = "Email k.mbeki@example.co.uk, see www.example.org/page or https://x.example.com/a?b=1, @kmbeki_care, 192.168.10.4"
    found = labels_in(text)
    assert ("EMAIL", "k.mbeki@example.co.uk") in found
    assert ("URL", "www.example.org/page") in found
    assert ("URL", "https://x.example.com/a?b=1") in found
    assert ("HANDLE", "@kmbeki_care") in found
    assert ("IP_ADDRESS", "192.168.10.4") in found


def test_invalid_ip_and_clock_times_are_not_ip_addresses():
    assert surfaces("version 300.1.2.3 at 12:30:45", "IP_ADDRESS") == []


def test_payment_cards_need_luhn_and_ibans_need_mod_97():
    assert luhn_valid("4111 1111 1111 1111") and not luhn_valid("4111 1111 1111 1112")
    assert surfaces("card 4111 1111 1111 1111 expired", "CARD") == ["4111 1111 1111 1111"]
    assert surfaces("card 4111 1111 1111 1112 expired", "CARD") == []
    assert iban_valid("GB82 WEST 1234 5698 7654 32")
    assert surfaces("IBAN GB82WEST12345698765432 ok", "IBAN") == ["GB82WEST12345698765432"]
    assert surfaces("IBAN GB82WEST12345698765433 ok", "IBAN") == []


def test_uk_postcodes_in_either_case_but_not_mixed():
    assert surfaces("we moved to PL4 6AB last year", "POSTCODE") == ["PL4 6AB"]
    assert surfaces("it's pl4 6ab i think", "POSTCODE") == ["pl4 6ab"]
    assert surfaces("the model Pl4 6aB", "POSTCODE") == []


# --- dates and ages -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "date",
    ["3rd March 2023", "03/03/2023", "Tuesday 4 May", "the 4th of May", "March 3rd, 2023", "17/03/23",
     "2023-03-17", "Friday 9th June", "14 February 2024"],
)
def test_specific_dates_are_found(date):
    assert surfaces(f"It was on {date} that it happened", "DATE") == [date]


@pytest.mark.parametrize(
    "text",
    ["May was the worst month", "It was in March", "back in 2019", "last week", "on Tuesday morning",
     "I may 2 or 3 times", "in the 1990s"],
)
def test_months_years_and_relative_dates_are_left_alone(text):
    assert surfaces(text, "DATE") == []


@pytest.mark.parametrize(
    "text, age",
    [("she's 84 now", "84"), ("he is 91 years old", "91"), ("aged 67, retired", "67"),
     ("a 65-year-old male", "65"), ("I'm 58 y/o", "58"), ("my son is 19 and", "19")],
)
def test_ages_are_found_as_the_number(text, age):
    assert surfaces(text, "AGE") == [age]


@pytest.mark.parametrize("text", ["I'm 100% sure", "I waited 5 years", "she's 5 minutes away", "he is 6 foot tall"])
def test_numbers_that_are_not_ages(text):
    assert surfaces(text, "AGE") == []


# --- addresses and organisations -------------------------------------------------------------------

@pytest.mark.parametrize(
    "address",
    ["14 Fernbank Road", "Flat 2, 7 Victoria Street", "1234 Elm St, Springfield, IL 62704", "3 orchard close",
     "Hammarvägen 15", "22 Moor View Terrace"],
)
def test_street_addresses(address):
    assert surfaces(f"She lives at {address}. It is nice", "ADDRESS") == [address]


def test_address_with_town_and_postcode_is_one_address():
    assert labels_in("Home visit to 22 Moor View Terrace, Liskeard PL14 3DF today") == [
        ("ADDRESS", "22 Moor View Terrace, Liskeard PL14 3DF")
    ]


def test_multi_line_address_block():
    text = "William Hughes\n\n20789 Allika 46\n Suite 501\n Riisa\n\n Estonia 62488"
    assert ("ADDRESS", "20789 Allika 46\n Suite 501\n Riisa\n\n Estonia 62488") in labels_in(text, "addresses")


@pytest.mark.parametrize("text", ["3 miles down the road", "5 minutes walk", "2 people in the lane", "it's 10 minutes up the road"])
def test_distances_are_not_addresses(text):
    assert surfaces(text, "ADDRESS") == []


@pytest.mark.parametrize(
    "org", ["Riverside Surgery", "Tamar Valley PCN", "St Mary's Medical Centre", "Royal Cornwall Hospital", "Moorside Pharmacy"]
)
def test_named_practices_and_health_organisations(org):
    assert surfaces(f"I go to {org} usually", "ORGANISATION") == [org]


@pytest.mark.parametrize("text", ["the GP Surgery", "our local hospital", "the Memory Clinic", "Mental Health Trust", "the Pain Clinic"])
def test_generic_service_names_are_not_organisations(text):
    assert surfaces(f"I went to {text} yesterday", "ORGANISATION") == []


# --- protected terms --------------------------------------------------------------------------

def test_protected_domain_terms_are_never_redacted():
    text = "The SPLW, the care coordinator and the GP met on Zoom and Teams; Age UK and Citizens Advice helped, so did Mind."
    result = Redactor(use_ner=False).redact_texts([text])[0]
    assert result.text == text


def test_protected_terms_are_configurable():
    text = "We used Riverside Surgery."
    assert Redactor(use_ner=False).redact_texts([text])[0].text == "We used [ORGANISATION_1]."
    custom = Redactor(use_ner=False, extra_protected_terms=["Riverside Surgery"])
    assert custom.redact_texts([text])[0].text == text


# --- bad input ---------------------------------------------------------------------------------

def test_empty_and_whitespace_texts():
    results = Redactor(use_ner=False).redact_texts(["", "   \n\t "])
    assert [r.text for r in results] == ["", "   \n\t "]
    assert all(r.entities == () for r in results)


def test_control_characters_emoji_and_mixed_scripts_keep_offsets_right():
    text = "\x00\x07😀 Привет 你好 call 07700 900123\x1b[0m or email a.b@example.com 👍🏽\u200b"
    result = Redactor(use_ner=False).redact_texts([text])[0]
    assert [text[e.start:e.end] for e in result.entities] == ["07700 900123", "a.b@example.com"]
    assert result.text == text.replace("07700 900123", "[PHONE_1]").replace("a.b@example.com", "[EMAIL_1]")


def test_non_string_input_is_a_clear_error_without_the_content():
    from qualcode.errors import UsageError

    with pytest.raises(UsageError, match="text 1 is a int"):
        Redactor(use_ner=False).redact_texts(["fine", 42])  # type: ignore[list-item]


def test_a_2mb_transcript_rules_only_keeps_offsets_right():
    block = "Sarah rang 07700 900123 about 14 Fernbank Road. Nothing else to say here at all.\n" * 25_000
    assert len(block) > 2_000_000
    result = Redactor(use_ner=False).redact_texts([block])[0]
    assert len(result.entities) == 75_000
    assert "Sarah" not in result.text and "07700" not in result.text
    for entity in result.entities[-3:]:
        assert block[entity.start:entity.end] in ("Sarah", "07700 900123", "14 Fernbank Road")


def test_street_corners_and_postcode_vouched_streets():
    assert surfaces("meet me at the corner of Dalbraut 99 and Frederikke Coves, ok", "ADDRESS") == [
        "the corner of Dalbraut 99 and Frederikke Coves"
    ]
    assert surfaces("the corner of the road and the lane was busy", "ADDRESS") == []
    assert surfaces("wrote to me at 5 Gwel an Mor, Newquay TR7 1QX but", "ADDRESS") == ["5 Gwel an Mor, Newquay TR7 1QX"]


def test_windows_line_endings_keep_address_blocks_and_offsets():
    text = "William Hughes\r\n\r\n20789 Allika 46\r\n Suite 501\r\n Riisa\r\n\r\n Estonia 62488"
    found = [s for s in labels_in(text, "addresses")]
    assert ("ADDRESS", "20789 Allika 46\r\n Suite 501\r\n Riisa\r\n\r\n Estonia 62488") in found


# Dates finer than a year, and ages the way people write them (2026-12-05 round).

@pytest.mark.parametrize("text, date", [
    ("We moved here in October 2019 after the flood.", "October 2019"),
    ("The review was pencilled in for Feb '24, then dropped.", "Feb '24"),
    ("It was Boxing Day 2018 when she went into hospital.", "Boxing Day 2018"),
    ("We lost him on New Year's Eve 2021.", "New Year's Eve 2021"),
])
def test_a_month_or_named_day_of_a_year_is_a_date(text, date):
    found = [text[s.start:s.end] for s in DateRecogniser().find(text)]
    assert found == [date]
    assert DateRecogniser(month_year=False).find(text) == []  # the policy setting keeps them


@pytest.mark.parametrize("text", [
    "may 2020 be the last bad year", "In October we met again.", "Back in 2019 things were easier.",
])
def test_bare_months_and_years_are_not_dates(text):
    assert DateRecogniser().find(text) == []


@pytest.mark.parametrize("text, age", [
    ("Mr Okafor, 83, still drives to the club.", "83"),
    ("Her nan (91) lives with them now.", "91"),
    ("My dad is 72 yrs and won't use a stick.", "72"),
    ("She turned seventy-five in the spring.", "seventy-five"),
    ("A lady, ninety-three years old, came on her own.", "ninety-three"),
    ("He's sixty and still working nights.", "sixty"),
])
def test_ages_in_apposition_brackets_abbreviations_and_words(text, age):
    assert {text[s.start:s.end] for s in AgeRecogniser().find(text)} == {age}


@pytest.mark.parametrize("text", [
    "I've done this job for 6 yrs now.", "Rooms 4, 12, and 15 were booked.", "He's one of the best.",
    "We are twenty minutes from the surgery.", "Bay 3 (6) was closed.",
])
def test_numbers_that_are_not_ages(text):
    assert AgeRecogniser().find(text) == []
