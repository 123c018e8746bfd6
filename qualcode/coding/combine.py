"""Run the chosen coders over segments and merge what they found.

Which segments are coded: never an interviewer turn, never a transcript's preamble, and never
a filler answer ("n/a", "nothing", "no comment", "-", ...): the answer says nothing a code
could describe, and coding it would inflate counts.

Keyword rules and similarity check each other. When both run, the rules' cues are handed to
the semantic coder, which keeps a cued (segment, code) pair unless the segment reads more like
a near miss or ordinary talk than like the code (see :mod:`qualcode.coding.semantic`); a cue
it refutes is dropped ("she was stressed about her debts" has a burnout keyword, but is a
client's stress). Without the semantic coder, rules stand alone.

Merging is then a union: a (segment, code) pair found by any coder is kept once. Its ``method``
names every coder that found it, in the fixed order rule, semantic, model, joined by "+"
("rule+semantic" means both the keyword rule and the similarity found it, the strongest kind
of agreement a reader can check). Its confidence is the highest of the coders' confidences:
they are not calibrated against each other, so adding them up would claim more than we know;
agreement is shown by the method instead. Evidence of each coder is kept, joined by " | ".
Output order is input segment order, then codebook order: the same input gives the same rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from qualcode.coding.rules import RULE, RuleCoder
from qualcode.coding.semantic import SEMANTIC, SemanticCoder, check_vector_rows
from qualcode.coding.supervised import MODEL, SupervisedCoder
from qualcode.coding.training import read_training
from qualcode.embed import Embedder
from qualcode.errors import UsageError
from qualcode.lexicon.filler import is_filler
from qualcode.model import Codebook, Coding, Segment

# Accepted coder names (the CLI's spelling and the method each produces).
CODER_NAMES = {"rules": RULE, "rule": RULE, "semantic": SEMANTIC, "model": MODEL,
               "supervised": MODEL}
_METHOD_ORDER = (RULE, SEMANTIC, MODEL)
def is_codable(segment: Segment) -> bool:
    """Whether any coder may code ``segment``: not the interviewer, not preamble, not filler."""
    return segment.analysed and not is_filler(segment.text)


def code_segments(segments: Sequence[Segment], codebook: Codebook,
                  coders: Iterable[str] = ("rules", "semantic"),
                  train: str | Path | pd.DataFrame | SupervisedCoder | None = None,
                  coder_name: str = "qualcode",
                  embedder: Embedder | str = "minilm",
                  fitted: Mapping[str, RuleCoder | SemanticCoder] | None = None,
                  vectors: np.ndarray | None = None) -> list[Coding]:
    """Code ``segments`` with ``codebook``, merging the chosen coders' findings.

    ``coders`` picks from "rules", "semantic" and "model"; giving ``train`` (a CSV path or a
    DataFrame with ``code`` and ``text`` or ``segment_id``, or a :func:`fit_model` result)
    adds "model" if it is missing. ``fitted`` gives coders already fitted on ``codebook``, by
    method (``fitted_coders``), so code that codes many batches fits them once. ``vectors``
    (one row per segment, by the same embedder) are reused by the semantic coder instead of
    embedding each segment's whole text again.

    >>> code_segments(segments, codebook, coders=("rules",))  # doctest: +SKIP
    [Coding(segment_id='p1:4', code_id='burnout', method='rule', confidence=0.7,
            evidence="cue: 'burned out'", coder='qualcode')]
    """
    methods = _methods(coders, train is not None)
    if not codebook.codes:
        raise UsageError("the codebook has no codes; add codes to it before coding")
    segments = list(segments)
    rows = [row for row, s in enumerate(segments) if is_codable(s)]
    targets = [segments[row] for row in rows]
    if vectors is not None:
        check_vector_rows(vectors, segments)
    target_vectors = None if vectors is None else np.asarray(vectors)[rows]
    found: list[Coding] = []
    if targets:
        by_method: dict[str, list[Coding]] = {}
        for method in methods:
            coder = (fitted or {}).get(method) or _coder(method, codebook, segments, train,
                                                         coder_name, embedder)
            if method != SEMANTIC:
                by_method[method] = coder.predict_codings(targets)
                continue
            cues = {(c.segment_id, c.code_id) for c in by_method.get(RULE, ())}
            by_method[SEMANTIC] = coder.predict_codings(targets, cues=cues, vectors=target_vectors)
            if RULE in by_method:  # a cue the similarity refutes is dropped
                confirmed = {(c.segment_id, c.code_id) for c in by_method[SEMANTIC]}
                by_method[RULE] = [c for c in by_method[RULE] if (c.segment_id, c.code_id) in confirmed]
        found = [coding for method in methods for coding in by_method[method]]
    return merge(found, segments, codebook, coder_name)


def merge(codings: Iterable[Coding], segments: Sequence[Segment], codebook: Codebook,
          coder_name: str = "qualcode") -> list[Coding]:
    """One Coding per (segment, code): union of methods, highest confidence, all evidence."""
    groups: dict[tuple[str, str], list[Coding]] = {}
    for coding in codings:
        groups.setdefault((coding.segment_id, coding.code_id), []).append(coding)
    segment_rank = {segment.id: n for n, segment in enumerate(segments)}
    code_rank = {code_id: n for n, code_id in enumerate(codebook.ids)}
    merged = []
    for (segment_id, code_id), group in groups.items():
        group.sort(key=lambda c: _METHOD_ORDER.index(c.method.split("+")[0]))
        methods = [m for m in _METHOD_ORDER if any(m in c.method.split("+") for c in group)]
        merged.append(Coding(segment_id, code_id, "+".join(methods),
                             max(c.confidence for c in group),
                             " | ".join(c.evidence for c in group if c.evidence), coder_name))
    return sorted(merged, key=lambda c: (segment_rank.get(c.segment_id, len(segment_rank)),
                                         c.segment_id, code_rank.get(c.code_id, len(code_rank))))


def _methods(coders: Iterable[str], has_training: bool) -> list[str]:
    if isinstance(coders, str):
        coders = [part.strip() for part in coders.split(",")]
    methods = []
    for name in coders:
        if name not in CODER_NAMES:
            raise UsageError(f"unknown coder {name!r}; choose from: rules, semantic, model")
        if CODER_NAMES[name] not in methods:
            methods.append(CODER_NAMES[name])
    if has_training and MODEL not in methods:
        methods.append(MODEL)
    if MODEL in methods and not has_training:
        raise UsageError("the 'model' coder learns from human-coded examples; give a training "
                         "file (--train FILE.csv with columns 'code' and 'text' or 'segment_id')")
    if not methods:
        raise UsageError("no coder chosen; choose one or more of: rules, semantic, model")
    return sorted(methods, key=_METHOD_ORDER.index)


def fitted_coders(codebook: Codebook, embedder: Embedder | str = "minilm",
                  coder_name: str = "qualcode") -> dict[str, RuleCoder | SemanticCoder]:
    """The codebook coders, fitted (the semantic one embeds every prototype), by method."""
    return {RULE: RuleCoder(codebook, coder=coder_name).fit(),
            SEMANTIC: SemanticCoder(codebook, embedder, coder=coder_name).fit()}


def _coder(method: str, codebook: Codebook, segments: Sequence[Segment],
           train: str | Path | pd.DataFrame | SupervisedCoder | None, coder_name: str,
           embedder: Embedder | str):
    if method == RULE:
        return RuleCoder(codebook, coder=coder_name).fit()
    if method == SEMANTIC:
        return SemanticCoder(codebook, embedder, coder=coder_name).fit()
    if isinstance(train, SupervisedCoder):
        return train  # fitted by the caller, who also wants its suggestions
    return fit_model(train, segments, codebook, coder_name, embedder)


def fit_model(train: str | Path | pd.DataFrame, segments: Sequence[Segment], codebook: Codebook,
              coder_name: str = "qualcode", embedder: Embedder | str = "minilm") -> SupervisedCoder:
    """The supervised coder, fitted on human-coded examples as :func:`code_segments` uses it."""
    texts, labels = read_training(train, segments, codebook)
    # Training files list coded text only, so a single-label model never saw "no code" and
    # always has a favourite; keeping it only at even odds or better lets a segment stay uncoded.
    return SupervisedCoder(embedder, min_confidence=0.5, coder=coder_name).fit(texts, labels)
