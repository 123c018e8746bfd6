"""Answers that say only "nothing needs to change", perhaps with generic praise or thanks.

Asked what could be better, many people answer "Nothing, everything was great" or "Can't
think of anything - staff were brilliant". Such an answer has no theme beyond "nothing to
improve": clustered, it joins the generic praise and blurs the topics that say what was good.
Topics set it aside like filler, but count it under its own reason, because how many said
nothing could be improved is a finding worth reporting.

The rule is linguistic, not learnt. An answer is "nothing to improve" when

1. it says so: a stock phrase anywhere ("nothing to improve", "couldn't be better", "can't
   fault it", "no complaints", "keep doing what you're doing"), or it opens with a bare
   "nothing", "none", "no" or "not really" that stands as its own clause: followed by
   punctuation, a dash, the end, or a new clause ("Nothing everything was perfect"), never by
   what it governs ("Nothing was explained", "No one told me", "None of the staff");
2. and every other word is praise, thanks, a function word or a generic noun ("staff",
   "care", "service"): one word outside that lexicon ("parking", "but", "not", "wait") and the
   answer is kept, since it carries something the topics should see.
"""

from __future__ import annotations

import re

# What an answer may say besides "nothing to improve": praise, thanks, function words, hedges
# ("as far as I'm concerned") and generic nouns. Negations, contrasts ("but", "except") and comparatives ("more", "better")
# are deliberately absent, so "Nothing, but the food was cold" is kept.
_PRAISE = frozenset("""
    excellent great good brilliant fantastic perfect perfectly lovely wonderful superb
    outstanding amazing amazingly awesome marvellous marvelous exceptional exceptionally
    faultless flawless fab fabulous terrific splendid first class top notch spot
    best fine ok okay alright well happy satisfied pleased content grateful thankful
    impressed helpful friendly kind kindness caring polite courteous professional
    supportive attentive compassionate respectful reassuring welcoming pleasant nice
    efficient thank thanks cheers appreciated appreciate love loved enjoyed 10/10 100%
    """.split())
_FUNCTION = frozenset("""
    the a an and & + was were is are am be been being has have had i i'm im i've ive me my
    myself we we're we've us our you you're youre you've your yours they they're theyre
    they've them their it it's its this that these those here there everything everyone
    everybody all both each every very so really extremely absolutely totally truly quite
    always just overall over whole lot lots much such as with of for to at in on by from
    about throughout got given received provided shown felt found experienced again today
    x xx xxx thing things way time day stay visit job work keep up carry done far concerned
    opinion point view think looked after needs catered met perfection super made feel cared
    minute moment
    """.split())
_GENERIC_NOUNS = frozenset("""
    staff care carer carers service services team teams nurse nurses nursing doctor doctors
    dr consultant consultants people ward wards hospital department unit clinic treatment
    experience support help attention professionals midwife midwives nhs crew
    """.split())
_ALLOWED = _PRAISE | _FUNCTION | _GENERIC_NOUNS

_CANT = r"(?:can't|cant|cannot|can not|couldn't|couldnt|could not|carn't|carnt)"
_NOTHING = (r"(?:absolutely |honestly |really )?(?:nothing|none|not a (?:single )?thing|not anything)"
            r"(?: really| at all| whatsoever| else| much)?")
_BETTER = (r"(?: have| of)?(?: been| be)?(?: done| do| made| treated)?(?: any| much| anything| anything else)?"
           r" (?:better|improved|bettered|differently|more)")
# What follows "nothing" or "can't think of anything" to say it is about improving:
# "... that could have been done better", "... to improve on", "... that needs changing".
_COMPLEMENT = (r"(?: that| which)?(?: you| they| we| i| anyone| the staff| staff)?"
               r"(?: (?:could|can|would|should)" + _BETTER +
               r"| (?:to|needs?|needed|need|required|would)(?: to)?(?: be)?"
               r" (?:improv\w*|chang\w*|add|say|report|mention|suggest|complain about|moan about|"
               r"fault|criticise|criticize)(?: on| upon| things| it)?)")
# Phrases that say "nothing to improve" wherever they stand in the answer.
_STATEMENTS = [
    _NOTHING + _COMPLEMENT,
    _NOTHING + r"(?: that)? (?:i|we) (?:can|could) (?:think of|think off|suggest|say|see|fault)"
    r"(?: really| at all)?(?:" + _COMPLEMENT + r")?",
    _NOTHING + r"(?: that)? (?:comes?|springs?) to mind",
    _NOTHING + r" went wrong",
    r"(?:i )?" + _CANT + r" think of anything(?: really| else| at all)?(?:" + _COMPLEMENT + r")?",
    r"(?:i )?(?:don't|do not) think (?:there(?:'s| is) anything|anything|you|they|it|anyone|the staff)"
    r"(?: else)? (?:could|can)" + _BETTER,
    r"no (?:improvements?|changes?)(?: (?:needed|necessary|required|to (?:be )?made))?",
    r"no need (?:to|for) (?:change|improvement)s?",
    r"none needed",
    r"no (?:complaints?|suggestions?|faults?)(?: (?:at all|whatsoever|really))?",
    r"(?:i )?" + _CANT + r" find (?:any )?faults?",
    r"(?:i )?" + _CANT + r" fault (?:it|anything|them|you|this|any of it|"
    r"the (?:care|service|staff|team|treatment|hospital|ward|nurses|doctors))",
    r"(?:it |this |that |things |everything |you |they |staff |the (?:care|service|staff|treatment) )?"
    + _CANT + _BETTER,
    r"(?:hard|impossible|difficult) to improve(?: on| upon)?(?: perfection| that| it)?",
    _CANT + r" improve(?: on| upon)?(?: perfection| excellence| excellent| that| it)?",
    r"(?:i )?(?:wouldn't|would not|don't|do not|would) change (?:a thing|anything|nothing)",
    r"(?:you )?(?:don't|do not) (?:have|need) to change (?:a thing|anything)",
    r"(?:just )?(?:keep|carry on|continue)(?: on)?(?: doing)? what (?:you|you're|you are|they're|they are|your)"
    r" (?:doing|do)",
    r"just do what (?:you|you're|you are|your) (?:doing|do)",
    r"carry on as you are",
]
_STATEMENT = re.compile(r"(?<![\w'])(?:" + "|".join(_STATEMENTS) + r")(?![\w'])")
# Bare openings, which say "nothing" only as a clause of their own at the start ("No, nothing
# at all" is one opening).
_BARE = re.compile(r"(?:no+[,.!]? +(?=not|nothing))?"
                   r"(?P<word>no+|nope|nah|none|not really|nothing|absolutely nothing|honestly nothing|"
                   r"not a (?:single )?thing|not (?:that|as) i (?:can|could) (?:see|think of))"
                   r"(?: really| at all| whatsoever| much| else| thanks| thank you| for me| i think|"
                   r" in my opinion| as far as i'm concerned| as far as i am concerned)?(?![\w'])")
# A new clause may follow a bare "nothing" or "none" without punctuation: "Nothing everything
# was perfect", "Nothing the care was brilliant". A verb or "of" would make it the subject
# ("Nothing was explained", "None of the staff"), so those are not here. After "no" only a
# pronoun starts a clause: "No staff were friendly" says no staff were.
_CLAUSE_AFTER_NO = frozenset("""
    everything everyone everybody all it it's its i i'm im i've ive they they're we we're
    you you're very been thank thanks every absolutely x xx xxx keep just
    """.split())
_CLAUSE_AFTER_NOTHING = _CLAUSE_AFTER_NO | frozenset("the staff care service as because".split())
_LEAD_IN = re.compile(r"^(?:(?:honestly|genuinely|really|personally|well|um+|erm+|oh|hmm+|tbh|"
                      r"to be honest|in my opinion|imo|i think|for me|for myself|"
                      r"there(?:'s| is| was)|so far)[\s,.!-]+)+")
_WORD = re.compile(r"[a-z0-9][a-z0-9'/%&+]*|&|\+")
_PUNCTUATION = re.compile(r"[^\w\s'/%&+]")


def is_nothing_to_improve(text: str) -> bool:
    """True when ``text`` says only that nothing needs to change, perhaps with generic praise.

    >>> is_nothing_to_improve("Nothing, everything was great"), is_nothing_to_improve("Nothing was explained")
    (True, False)
    """
    normal = " ".join(text.replace("\u2019", "'").replace("\u2018", "'").lower().split())
    normal = _LEAD_IN.sub("", normal)
    rest, stated = _STATEMENT.subn(" , ", normal)
    opened, rest = _opening(rest.lstrip(" ,"))
    if not (stated or opened):
        return False
    return all(word in _ALLOWED for word in _WORD.findall(rest))


def _opening(text: str) -> tuple[bool, str]:
    """Whether ``text`` opens with a bare "nothing" clause, and the text after it."""
    match = _BARE.match(text)
    if not match:
        return False, text
    rest = text[match.end():]
    if not rest.strip() or _PUNCTUATION.match(rest.lstrip()):
        return True, rest
    following = rest.split()[0]
    after_no = match["word"] in ("nope", "nah") or set(match["word"]) == {"n", "o"}
    if following in (_CLAUSE_AFTER_NO if after_no else _CLAUSE_AFTER_NOTHING):
        return True, rest
    return False, text  # "Nothing was explained", "No one told me"
