"""Setting terms: the roles, workplaces and colleagues that every code's texts mention.

A codebook about link workers' own experience names link workers, GP practices and GPs in the
examples of every code, and so do most segments. To a sentence embedding those shared words
weigh as much as what is said about them: "I'm the only care coordinator in the network"
comes out nearest a boundaries example about care coordinators rather than an isolation one.
A codebook may list such terms under a generic word (``setting_terms``); the semantic coder
reads each as that word ("care coordinators" as "workers"), in the codebook's own texts and
in the segments alike, so similarity follows the experience described. Keyword cues, evidence
and the codings keep the original text.

Terms match whole words, case-insensitively, with an optional plural "s" or "es"; the
longest term wins where two overlap ("GP practice" before "GP"). A plural match gives the
generic word an "s" unless it ends in one already.

>>> terms = SettingTerms((("worker", ("link worker", "care coordinator")), ("colleagues", ("GP",))))
>>> terms.apply("The GPs send link workers anything")
'The colleagues send workers anything'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qualcode.codebook.rules import setting_term_key


class SettingTerms:
    """Rewrites a codebook's setting terms as their generic words."""

    def __init__(self, groups: Sequence[tuple[str, Sequence[str]]]) -> None:
        self.generic = {setting_term_key(term): word for word, terms in groups for term in terms}
        ordered = sorted(self.generic, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(map(re.escape, term.split())) for term in ordered)
        self.pattern = re.compile(rf"(?<!\w)({alternatives})(e?s)?(?!\w)", re.IGNORECASE) \
            if ordered else None

    def apply(self, text: str) -> str:
        """``text`` with every setting term replaced by its generic word."""
        if self.pattern is None:
            return text
        return self.pattern.sub(self._generic, text)

    def _generic(self, match: re.Match[str]) -> str:
        word = self.generic[setting_term_key(match.group(1))]
        plural = match.group(2) and not word.endswith("s")
        return word + "s" if plural else word
