"""File names that hold a person's name are refused where outputs are redacted.

Document ids are built from file names, and ids reach every output: tables, the REFI-QDA
project, quote attributions ("interview_sarah_jones.docx" would sign a published quote).
Renaming the ids inside the outputs would cut the link to the user's own files and human
codes, so such a file is refused with the reason and the fix, and the other inputs go on.

Only the rule-based recognisers look at file names (fast, no model): they find names from
the gazetteer and name-like words in lower case ("sarah_jones", "okonkwo-interview"), and
nothing in the usual "interview_03_plymouth" or "workforce_survey_2024".
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath

from .entities import PERSON
from .redactor import Redactor

_SEPARATORS = re.compile(r"[_\-.\s]+")
_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")  # "SarahJones" -> "Sarah Jones"
# In the rejection reason; a shared report shows such a rejection without the file's name.
NAME_IN_FILE_NAME = "the file name seems to hold a person's name"


def file_name_problem(source_id: str) -> str | None:
    """Why the file ``source_id`` (its path relative to the folder given) must not be used
    as it is named, or None when its name holds no person's name."""
    path = PurePosixPath(source_id)
    parts = [*path.parent.parts, path.stem]
    words = [_SEPARATORS.sub(" ", _CAMEL_CASE.sub(" ", part)).strip() for part in parts if part not in ("", ".")]
    found = _rules().detect(words)
    if any(span.label == PERSON for spans in found for span in spans):
        return (f"{source_id}: {NAME_IN_FILE_NAME}, and file names become document ids in every "
                "output; rename the file (or its folder) to a participant code such as P07 and run again")
    return None


@lru_cache(maxsize=1)
def _rules() -> Redactor:
    return Redactor(use_ner=False)
