"""Keyword rules: a code applies when one of its keywords occurs, in any inflection.

Keywords are matched over lemmas of spaCy tokens, so the keyword ``isolated`` finds
"isolating" and "isolate", and ``burned out`` finds "burnt out" and "burning out".

Why not spaCy's ``Matcher``: lemma sets (below) need a custom token attribute, which the
Matcher tests in Python for every token and pattern; it coded about 40 NHS comments a second.
An index from lemma to the keywords that start with it finds the same matches, token by
token, at thousands a second.

Why not the lemmas of ``en_core_web_sm``: its rule lemmatizer needs the tagger, and the
tagged pipeline runs at about 10k words/s on 2 cores against over 100k words/s for the
tokenizer alone (measured on the NHS feedback comments). Instead each word gets the set of
lemmas it could have as a noun, verb or adjective, from the same lemmatizer tables (rules,
exceptions, index); a keyword word matches a text word when the two sets intersect. Without
the tagger the lemma is ambiguous ("left" may be the verb "leave"), so a set errs on the
side of matching; the cue shown as evidence lets a researcher see and fix such a rule.

Keyword syntax: a phrase of words, case ignored; a word ending in ``*`` matches any word
starting with the rest (``isolat*``); ``<word>`` is the same as ``word`` here (any inflection).
Keywords are tokenized like the text, so "can't cope" finds "can’t cope" and "cant cope".
A cue preceded in its clause, within three words, by a negation ("not", "never", "n't",
"no"...) is ignored: "I never felt isolated" is not isolation. A keyword that starts with a
negation ("not my job") is matched as written.

A cue whose nearest person before it, in its sentence, is someone the worker works with
("my clients are so lonely", "several of my patients are signed off with stress", "she gets
isolated once she stops driving") is ignored too: the codes are about the worker's own
experience, and a client's isolation or stress is the commonest near miss. A first person
nearer the cue ("people like me feel undervalued"), or in the cue itself ("he thanked me"),
keeps it. "They", "people" and "someone" are not read as clients: they are as often the
practice, or in breakout notes the workforce ("several people described scope creep").

Confidence comes from the cue: 0.6 for one word, +0.1 per extra word (a phrase is more
specific), -0.1 for a wildcard word, up to 0.9; several distinct cues for one code combine as
independent evidence, 1 - prod(1 - c).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from qualcode.errors import ModelError
from qualcode.lexicon.words import lemma_candidates
from qualcode.model import Codebook, Coding, Segment

RULE = "rule"
_NEGATIONS = frozenset({"not", "n't", "never", "no", "nobody", "nothing", "none", "without",
                        "hardly", "barely", "nor", "neither", "cannot"})
_CLAUSE_BREAKS = frozenset({".", ",", ";", ":", "!", "?", "but", "although", "though"})
_NEGATION_WINDOW = 3
_SENTENCE_BREAKS = frozenset({".", ";", "!", "?", ":"})
FIRST_PERSON = frozenset({"i", "me", "my", "myself", "mine", "we", "us", "our", "ours",
                           "ourselves"})
# Words for the people a worker works with. Not "people", "person" or "someone": in breakout
# notes those are as often the workforce ("several people described scope creep").
OTHER_PEOPLE = frozenset({"client", "clients", "patient", "patients", "carer", "carers",
                           "resident", "residents", "he", "she", "him", "his", "her",
                           "husband", "wife", "son", "daughter", "mum", "dad", "family",
                           "families", "gentleman", "lady", "user", "users"})
_MAX_CUE_CONFIDENCE = 0.9


class RuleCoder:
    """Codes segments by the keywords of each code, with the matched cue as evidence.

    >>> coder = RuleCoder(codebook).fit()  # doctest: +SKIP
    >>> coder.predict_codings([segment])  # doctest: +SKIP
    [Coding(segment_id='p1:3', code_id='burnout', method='rule', confidence=0.7,
            evidence="cue: 'burned out'", coder='qualcode')]
    """

    method = RULE

    def __init__(self, codebook: Codebook, negation: bool = True, others: bool = True,
                 coder: str = "qualcode") -> None:
        self.codebook = codebook
        self.negation = negation
        self.others = others
        self.coder = coder

    def fit(self, segments: Sequence[Segment] | None = None, y: object = None) -> "RuleCoder":
        """Compile the keyword patterns; rules learn nothing from data."""
        nlp = _tokenizer_pipeline()
        self.weights_: dict[str, float] = {}
        self.index_ = _KeywordIndex()
        for code in self.codebook.codes:
            for keyword in code.keywords:
                words = keyword.lower().split()
                if not words:
                    continue
                key = f"{code.id}\x00{keyword.lower()}"
                self.index_.add(key, [matcher for word in words for matcher in _word_matchers(word, nlp)])
                wildcards = sum(word.endswith("*") for word in words)
                self.weights_[key] = min(_MAX_CUE_CONFIDENCE,
                                         0.6 + 0.1 * (len(words) - 1) - 0.1 * wildcards)
        return self

    def predict_codings(self, segments: Sequence[Segment]) -> list[Coding]:
        """One coding per (segment, code) with at least one cue, in segment then codebook order."""
        if not hasattr(self, "index_"):
            self.fit()
        nlp = _tokenizer_pipeline()
        order = {code_id: n for n, code_id in enumerate(self.codebook.ids)}
        codings = []
        for segment, doc in zip(segments, nlp.tokenizer.pipe(s.text for s in segments)):
            cues: dict[str, dict[str, float]] = {}
            for key, start, end in self.index_.matches(doc):
                if self.negation and _negated(doc, start):
                    continue
                if self.others and _about_someone_else(doc, start, end):
                    continue
                code_id = key.split("\x00", 1)[0]
                cue = doc[start:end].text
                found = cues.setdefault(code_id, {})
                found[cue] = max(found.get(cue, 0.0), self.weights_[key])
            for code_id in sorted(cues, key=order.__getitem__):
                found = _drop_nested(cues[code_id])
                miss = 1.0
                for weight in found.values():
                    miss *= 1.0 - weight
                evidence = "; ".join(f"cue: {cue!r}" for cue in found)
                codings.append(Coding(segment.id, code_id, RULE, round(min(0.99, 1.0 - miss), 4),
                                      evidence, self.coder))
        return codings


# A keyword word as a test on one token: ("prefix", "isolat") or ("lemmas", {"isolate", ...}).
_WordMatcher = tuple[str, object]


def _word_matchers(word: str, nlp) -> list[_WordMatcher]:
    """Token tests for one keyword word: ``word*`` a prefix, anything else its lemmas.

    ``<word>`` (any inflection of a lemma) is a plain word here, since plain words already
    match every inflection. A word the tokenizer splits ("can't" is "ca" + "n't") gives one
    test per token, so keywords with contractions match the text's tokens.
    """
    if word.endswith("*") and len(word) > 1:
        return [("prefix", word[:-1])]
    if len(word) > 2 and word.startswith("<") and word.endswith(">"):
        word = word[1:-1]
    return [("lemmas", lemma_candidates(_plain(token.text))) for token in nlp.tokenizer(word)]


class _KeywordIndex:
    """Keywords by what their first word can be, to find every match in a tokenized text."""

    def __init__(self) -> None:
        self._by_lemma: dict[str, list[tuple[str, list[_WordMatcher]]]] = {}
        self._by_prefix: list[tuple[str, str, list[_WordMatcher]]] = []

    def add(self, key: str, words: list[_WordMatcher]) -> None:
        kind, value = words[0]
        if kind == "prefix":
            self._by_prefix.append((str(value), key, words))
        else:
            for lemma in value:  # type: ignore[union-attr]
                self._by_lemma.setdefault(lemma, []).append((key, words))

    def matches(self, doc) -> list[tuple[str, int, int]]:
        """(keyword key, start token, end token) of every match, by start then end."""
        lowers = [token.lower_ for token in doc]
        lemmas = [lemma_candidates(_plain(lower)) for lower in lowers]
        found = set()
        for start, candidates in enumerate(lemmas):
            # A keyword is filed under each lemma of its first word: one check per keyword.
            starting = {key: words for lemma in candidates for key, words in self._by_lemma.get(lemma, ())}
            starting |= {key: words for prefix, key, words in self._by_prefix
                         if lowers[start].startswith(prefix)}
            for key, words in starting.items():
                end = start + len(words)
                if end <= len(lowers) and all(_token_matches(word, lowers[i], lemmas[i])
                                              for word, i in zip(words, range(start, end))):
                    found.add((key, start, end))
        return sorted(found, key=lambda match: (match[1], match[2], match[0]))


def _token_matches(word: _WordMatcher, lower: str, lemmas: frozenset[str]) -> bool:
    kind, value = word
    if kind == "prefix":
        return lower.startswith(value)  # type: ignore[arg-type]
    return not lemmas.isdisjoint(value)  # type: ignore[arg-type]


def _plain(word: str) -> str:
    """Lower case, typographic apostrophes typed, and "nt" (from "dont", "cant") as "n't"."""
    word = word.lower().replace("\u2019", "'")
    return "n't" if word == "nt" else word


def _negated(doc, start: int) -> bool:
    for token in reversed(doc[max(0, start - _NEGATION_WINDOW):start]):
        lower = _plain(token.lower_)
        if lower in _CLAUSE_BREAKS:
            return False
        if lower in _NEGATIONS:
            return True
    return False


def _about_someone_else(doc, start: int, end: int) -> bool:
    """Whether the nearest person before the cue, in its sentence, is not the worker."""
    if any(_plain(token.lower_) in FIRST_PERSON for token in doc[start:end]):
        return False
    for token in reversed(doc[:start]):
        lower = _plain(token.lower_)
        if lower in _SENTENCE_BREAKS:
            return False
        if lower in FIRST_PERSON:
            return False
        if lower in OTHER_PEOPLE:
            return True
    return False


def _drop_nested(cues: dict[str, float]) -> dict[str, float]:
    """Keep 'burned out' and drop 'burned' when both matched: one cue, not two."""
    lowered = {cue: cue.lower() for cue in cues}
    return {cue: weight for cue, weight in cues.items()
            if not any(other != lowered[cue] and re.search(rf"\b{re.escape(lowered[cue])}\b", other)
                       for other in lowered.values())}


@lru_cache(maxsize=1)
def _tokenizer_pipeline():
    """spaCy's English tokenizer.

    A blank English pipeline loads in a fraction of a second, where loading the packaged
    pipeline (even with its components excluded) takes seconds; only the tokenizer is needed.
    """
    try:
        import spacy
    except ImportError:
        raise ModelError("keyword rules need the Python package 'spacy'; install it with: "
                         "pip install spacy") from None
    return spacy.blank("en")
