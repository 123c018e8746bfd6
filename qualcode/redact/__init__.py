"""The redaction stage: find personal data in text and replace it with consistent pseudonyms.

>>> from qualcode.redact import Redactor
>>> redactor = Redactor(operator="tag", use_ner=False)
>>> redactor.redact_texts(["Call Sarah on 07700 900123"])[0].text
'Call [PERSON_1] on [PHONE_1]'

Recognisers (UK patterns, dates and ages, addresses, organisations, names, spaCy NER) sit
behind a small protocol with a registry by name (:mod:`.recognisers`); overlapping finds are
resolved into one span list (:mod:`.resolve`); the :class:`Redactor` owns the pseudonym map
that keeps replacements consistent across a corpus and the :class:`RedactionKey`.
"""

from .entities import DIRECT_IDENTIFIERS, LABELS, Entity, RedactionResult
from .operators import OPERATORS
from .pseudonyms import RedactionKey
from .recognisers import Recogniser, available, create, register
from .redactor import Redactor, is_role_label

__all__ = [
    "DIRECT_IDENTIFIERS",
    "LABELS",
    "OPERATORS",
    "Entity",
    "RedactionKey",
    "RedactionResult",
    "Recogniser",
    "Redactor",
    "available",
    "create",
    "is_role_label",
    "register",
]
