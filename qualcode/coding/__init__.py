"""Automatic coding: apply a codebook to segments and say why each code was given.

Three coders, each with ``fit`` and ``predict_codings(segments) -> list[Coding]``:

- :class:`RuleCoder`: the codebook's keywords, matched over lemmas (method "rule").
- :class:`SemanticCoder`: similarity to each code's definition and examples (method "semantic").
- :class:`SupervisedCoder`: a model trained on human-coded segments (method "model"), with
  :meth:`SupervisedCoder.suggest` for choosing what to code by hand next.

:func:`code_segments` runs the chosen coders and merges their findings; it never codes
interviewer turns, preamble or filler answers.
"""

from qualcode.coding.combine import code_segments, fit_model, is_codable, is_filler, merge
from qualcode.coding.rules import RuleCoder
from qualcode.coding.semantic import Calibration, SemanticCoder, split_sentences
from qualcode.coding.supervised import CrossValidation, Suggestion, SupervisedCoder
from qualcode.coding.training import read_training

__all__ = ["Calibration", "CrossValidation", "RuleCoder", "SemanticCoder", "Suggestion",
           "SupervisedCoder", "code_segments", "fit_model", "is_codable", "is_filler", "merge",
           "read_training", "split_sentences"]
