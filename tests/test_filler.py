"""Filler answers and "nothing to improve" answers: what topics set aside, and why."""

import pytest

from qualcode.lexicon.filler import FILLER, NOTHING_TO_IMPROVE, describe_set_aside, set_aside_reason
from qualcode.lexicon.nothing_to_improve import is_nothing_to_improve


@pytest.mark.parametrize("text", [
    "Nothing, everything was great",
    "Can't think of anything - staff were brilliant",
    "No improvements needed, excellent care",
    "Not really",
    "No, all good.",
    "Nothing at all. Everything was perfect.",
    "Nothing everything was perfect in every way",  # a new clause, unpunctuated
    "Nothing the care was brilliant",
    "Nothing been happy with everything",
    "NothIng  could be done better, Very nIce",  # every i upper-cased
    "Nothing to improve on, excellent",
    "Nothing I can think of that could be done better",
    "I can\u2019t think of anything",
    "Couldn't fault anything",
    "Could not have done any better",
    "Staff were lovely, couldn't have been better. Thank you!",
    "Keep doing what you're doing",
    "No complaints, well done",
    "Honestly nothing.",
    "No, not really, everyone was very kind",
    "I don't think you could have done anything better",
    "10/10, nothing to change",
])
def test_nothing_to_improve_with_only_praise_is_recognised(text):
    assert is_nothing_to_improve(text)


@pytest.mark.parametrize("text", [
    "Nothing was explained to me",  # "nothing" is the subject
    "nothing, it was awful",
    "no, the wait was too long",
    "Nothing really but parking is a nightmare",
    "Not enough staff",
    "No one told me anything",
    "none of the staff listened",
    "None of the staff were helpful",
    "No staff were friendly",  # "no" governs "staff"
    "Nothing was good",
    "Nothing good",
    "good but the food was cold",
    "No, could have been better",
    "Nothing, apart from the food.",
    "Nothing, more staff on nights",
    "no improvement in my condition",
    "not really happy with the care",
    "Excellent care, thank you",  # praise alone says nothing about improving
    "Keep up the good work",
    "Thank you",
    "No problems with parking",
])
def test_answers_with_something_to_say_are_not_nothing_to_improve(text):
    assert not is_nothing_to_improve(text)


def test_filler_comes_before_nothing_to_improve():
    assert set_aside_reason("Nothing.") == FILLER
    assert set_aside_reason("Nothing, all great") == NOTHING_TO_IMPROVE
    assert set_aside_reason("Nothing, all great", nothing_to_improve=False) is None
    assert set_aside_reason("Nothing, the ward was cold") is None


def test_set_aside_counts_read_as_words():
    assert describe_set_aside({FILLER: 970, NOTHING_TO_IMPROVE: 704, "interviewer": 0}) == \
        "970 empty or filler, 704 'nothing to improve'"
    assert describe_set_aside({}) == ""
