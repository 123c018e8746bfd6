"""Codebooks: the YAML format (load, validate, save), the bundled codebooks, keyword rules,
and REFI-QDA ``.qdc`` in and out.

- :mod:`.load`: :func:`load_codebook` (a path or a bundled codebook's name) and
  :func:`save_codebook_yaml`; every problem of a file in one error with file, line and field.
- :mod:`.rules`: what a valid code is, and the keyword syntax (:func:`keyword_regex`).
- :mod:`.qdc`: REFI-QDA codebooks for NVivo, ATLAS.ti, MAXQDA and QualCoder.
- ``bundled/``: the codebooks that ship with qualcode (``qualcode codebooks`` lists them).
"""

from qualcode.codebook.load import (bundled_codebooks, load_codebook, resolve_codebook,
                                    save_codebook_yaml)
from qualcode.codebook.qdc import read_qdc, write_qdc
from qualcode.codebook.rules import MIN_EXAMPLES, keyword_regex

__all__ = ["MIN_EXAMPLES", "bundled_codebooks", "keyword_regex", "load_codebook", "read_qdc",
           "resolve_codebook", "save_codebook_yaml", "write_qdc"]
