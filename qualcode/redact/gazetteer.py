"""The word lists shipped with the package, loaded once per process.

Lists are plain text under ``data/`` (one entry a line, ``#`` comments) so a researcher can
read and extend them without touching code. No list holds real people's data.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ..lexicon.words import is_english_word


def _read(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=None)
def first_names() -> frozenset[str]:
    return frozenset(_read("first_names.txt"))


@lru_cache(maxsize=None)
def surnames() -> frozenset[str]:
    return frozenset(_read("surnames.txt"))


def ordinary_word(key: str) -> bool:
    """An ordinary English word (lower case) that is not also a listed first name or surname."""
    return is_english_word(key) and key not in first_names() and key not in surnames()


@lru_cache(maxsize=None)
def ambiguous_names() -> frozenset[str]:
    """Names that are also ordinary words ("will", "hope", "may", "brown"): need context."""
    return frozenset(_read("ambiguous_names.txt"))


@lru_cache(maxsize=None)
def default_protected_terms() -> tuple[str, ...]:
    return tuple(_read("protected_terms.txt"))


@lru_cache(maxsize=None)
def pseudonym_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(first names, surnames) used by the pseudonym operator."""
    entries = _read("pseudonym_names.txt")
    split = entries.index("---")
    return tuple(entries[:split]), tuple(entries[split + 1:])


@lru_cache(maxsize=None)
def pseudonym_places() -> tuple[str, ...]:
    return tuple(_read("pseudonym_places.txt"))


# Capitalised words that are not names even when they follow one ("Sarah Monday", "Sarah And").
NOT_NAME_WORDS = frozenset(
    """
    i me my mine we us our you your he him his she her they them their it its this that these those
    a an the and or but if so then than because as at by for from in into of off on onto out over to
    up with without about after before again also just only not no yes ok okay oh well yeah hi hello
    dear thanks thank please sir madam mum dad nan gran grandma grandad auntie uncle
    monday tuesday wednesday thursday friday saturday sunday january february march april june july
    august september october november december today tomorrow yesterday christmas easter
    is was are were be been being am do does did done have has had will would can could shall should
    may might must said says say told asked went came come go going got get see saw think thought
    know knew mr mrs ms miss dr doctor nurse professor prof sister brother who what when where why
    how which there here all any some every each both either neither one two three
    street road lane avenue close drive way court place surgery practice hospital clinic centre
    email e-mail tel phone mobile fax name address dob ref website web note notes re subject
    back later again soon anytime whenever asap something anything nothing everything sometime
    everyone everybody someone somebody nobody anyone anybody people staff god mine yours
    """.split()
)

# Speaker and participant labels that name a role, not a person ("Interviewer", "P4", "Speaker 1").
ROLE_LABEL = re.compile(
    r"(?i)^\s*(?:interviewer|interviewee|int|iv|i|r|q|a|p|pt|participant|respondent|resp|speaker|"
    r"moderator|facilitator|researcher|note ?taker|observer|unknown|unidentified|inaudible|all|"
    r"group|voice|other|male|female|man|woman|m|f|staff|patient|carer|clinician|gp|nurse|fg)"
    r"\s*[-_#.]?\s*\d*[a-z]?\s*$"
)

# Labels of form fields and headings that end with a colon like a speaker label does.
FIELD_LABELS = frozenset(
    """
    name date time when where who what why how address phone mobile tel telephone fax desk office
    email e-mail website web url note notes subject from to cc re answer question user agent
    assistant system customer bot summary comment comments feedback response reply action actions
    outcome agenda attendees apologies present location venue ref reference dob status priority
    category type source title background method methods results conclusion conclusions aim aims
    objective objectives update updates ps nb info personal directed produced written genre genres
    rating runtime cast case role locality region wave id site team service organisation
    interviewer interviewee participant respondent speaker moderator facilitator
    """.split()
)

# People whose names became conditions: "Parkinson's", "Crohn's disease" are not people here.
EPONYMOUS_CONDITIONS = frozenset(
    """
    parkinson alzheimer crohn huntington asperger down hodgkin addison cushing raynaud tourette
    graves bell wilson kawasaki guillain menière meniere marfan sjögren sjogren paget bright
    """.split()
)

# Titles that introduce a name ("Dr Patel", "Mrs K.", "Nurse Jones").
TITLES = frozenset(
    """
    mr mrs ms miss mx dr doctor prof professor nurse sister matron rev reverend father fr pastor
    imam rabbi cllr councillor sir dame lady lord judge captain capt sergeant sgt officer pc
    """.split()
)
