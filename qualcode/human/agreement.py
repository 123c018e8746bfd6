"""Inter-coder agreement: Cohen's kappa, Krippendorff's alpha and percent agreement.

Agreement is computed at segment level, one thematic code at a time: for a given code each
coder's judgement on a segment is binary (1 = applied the code, 0 = did not), and only over
the segments that coder actually coded. A coder who never saw a segment gives a *missing*
value, not a 0, so partial double-coding does not inflate agreement on absences.

Machine coders (``"qualcode:rule"``...) are ordinary coders here; nothing is special about
them.

Conventions for the undefined cases (documented once here, repeated where they apply):

* No pairable data at all (empty input, or no unit coded by two coders): ``nan``.
* Kappa when chance agreement is 1 (both coders used one identical category throughout):
  the formula is 0/0; we return ``1.0`` because the coders agreed on every item.
  ``sklearn.metrics.cohen_kappa_score`` returns ``nan`` (with a warning) there.
* Alpha when the pairable values all fall in one category (expected disagreement 0): the
  observed disagreement is then 0 as well, and we return ``1.0``. The ``krippendorff``
  package raises ``ValueError`` when the whole data has a single value, and returns ``nan``
  when other values occur only in units that have a single value.

Everywhere else the results equal sklearn's and the krippendorff package's to rounding.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from qualcode.errors import AgreementError

__all__ = [
    "AgreementError",
    "CodeAgreement",
    "PairAgreement",
    "agreement_frame",
    "agreement_table",
    "cohen_kappa",
    "confusion_table",
    "krippendorff_alpha_nominal",
    "percent_agreement",
]

CODING_COLUMNS = ("segment_id", "code", "coder")
FRAME_COLUMNS = ["code", "coder_a", "coder_b", "n_segments", "kappa", "percent_agreement",
                 "alpha"]

Pair = tuple[Hashable, Hashable]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class PairAgreement:
    """Agreement of two coders on one code, over the segments both of them coded.

    ``confusion`` maps ``(label_a, label_b)`` to a count, with labels 1 (applied) and
    0 (not applied); all four cells are present, zeros included.
    """

    code: str
    coder_a: str
    coder_b: str
    n_segments: int
    kappa: float
    percent_agreement: float
    # A read-only mapping; left out of the hash because mappings are not hashable.
    confusion: Mapping[tuple[int, int], int] = field(hash=False)


@dataclass(frozen=True)
class CodeAgreement:
    """Krippendorff's alpha of one code over all coders.

    ``n_segments`` counts the segments alpha is computed on: those coded by at least two
    coders (a segment seen by one coder only cannot show agreement or disagreement).
    """

    code: str
    n_coders: int
    n_segments: int
    alpha: float


# --------------------------------------------------------------------------- pairwise


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two coders' labels, ``(po - pe) / (1 - pe)``.

    Missing values (``None``, NaN, ``pd.NA``) are dropped pairwise. Returns ``nan`` when no
    pair is left, and ``1.0`` when both coders used one identical category throughout
    (kappa is 0/0 there; sklearn returns ``nan``). Elsewhere equals
    ``sklearn.metrics.cohen_kappa_score``.

    >>> cohen_kappa(["x", "x", "y", "y"], ["x", "y", "y", "y"])
    0.5
    >>> cohen_kappa([1, 1, None], [1, 1, 0])
    1.0
    """
    return _kappa(_pair_counts(a, b))


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Share of items (missing values dropped pairwise) on which both coders agree.

    >>> percent_agreement([1, 0, 1, None], [1, 1, 1, 0])
    0.6666666666666666
    """
    return _percent(_pair_counts(a, b))


def confusion_table(a: Sequence[Hashable], b: Sequence[Hashable],
                    labels: Sequence[Hashable] | None = None) -> pd.DataFrame:
    """Counts of label pairs: rows are coder ``a``'s labels, columns coder ``b``'s.

    Missing values are dropped pairwise. ``labels`` fixes the rows and columns (and their
    order); by default the labels seen, sorted when they can be.

    >>> confusion_table([1, 0, 1], [1, 1, 1]).values.tolist()
    [[0, 1], [0, 2]]
    """
    counts = _pair_counts(a, b)
    seen = _ordered_labels([label for pair in counts for label in pair])
    if labels is None:
        labels = seen
    else:
        labels = list(labels)
        allowed = set(labels)
        unknown = [label for label in seen if label not in allowed]
        if unknown:
            raise AgreementError(
                f"the data contains labels not listed in labels={labels!r}: {unknown!r}; "
                "add them to labels or leave labels out")
    table = pd.DataFrame(
        [[counts.get((row, col), 0) for col in labels] for row in labels],
        index=pd.Index(labels, name="a"), columns=pd.Index(labels, name="b"), dtype="int64")
    return table


def _pair_counts(a: Sequence[Hashable], b: Sequence[Hashable]) -> Counter[Pair]:
    """How often each ``(label_a, label_b)`` pair occurs, missing values dropped pairwise."""
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise AgreementError(
            f"the two coders' label sequences differ in length ({len(a)} and {len(b)}); "
            "give one label (or None) per item for each coder, in the same item order")
    return Counter((x, y) for x, y in zip(a, b) if not (_is_missing(x) or _is_missing(y)))


def _kappa(counts: Mapping[Pair, int]) -> float:
    """Kappa from pair counts, in integer arithmetic until the one final division."""
    n = sum(counts.values())
    if n == 0:
        return math.nan
    agreed = sum(count for (x, y), count in counts.items() if x == y)
    marginal_a: Counter[Hashable] = Counter()
    marginal_b: Counter[Hashable] = Counter()
    for (x, y), count in counts.items():
        marginal_a[x] += count
        marginal_b[y] += count
    # po = agreed / n and pe = chance / n**2; scaling both by n**2 keeps them exact.
    chance = sum(count * marginal_b[label] for label, count in marginal_a.items())
    if chance == n * n:
        # pe == 1 only when both coders used the same single category for every item, so
        # po == 1 too: perfect agreement, kappa 0/0 -> 1.0 by our convention.
        return 1.0
    return (n * agreed - chance) / (n * n - chance)


def _percent(counts: Mapping[Pair, int]) -> float:
    n = sum(counts.values())
    if n == 0:
        return math.nan
    return sum(count for (x, y), count in counts.items() if x == y) / n


# --------------------------------------------------------------------------- alpha


def krippendorff_alpha_nominal(reliability_data: Any) -> float:
    """Krippendorff's alpha for nominal data, from a coders x units matrix.

    ``reliability_data`` is a list of lists or a 2-D array, one row per coder and one
    column per unit; missing values are ``None``, NaN or ``pd.NA``. Any number of coders.
    Units with fewer than two values are ignored (they cannot be paired). Computed from the
    coincidence matrix ``o``: ``alpha = 1 - (n - 1) * (n - trace(o)) / (n**2 - sum(n_c**2))``
    with ``n_c`` the column sums of ``o`` and ``n`` their total.

    Returns ``nan`` when no unit has two values, and ``1.0`` when all the pairable values
    are one category (no disagreement is observed or expected; the krippendorff package
    raises or returns ``nan`` there). Note that a NumPy *string* array cannot hold missing
    values here (the krippendorff package reads the string ``"nan"`` as missing; we read it
    as a label): use lists or an object array with ``None``.

    >>> round(krippendorff_alpha_nominal([["a", "a", "b", None],
    ...                                   ["a", "b", "b", "b"]]), 4)
    0.4444
    """
    value_counts = _value_counts(_label_indices(reliability_data))
    return _alpha_from_value_counts(value_counts)


def _label_indices(reliability_data: Any) -> np.ndarray:
    """The matrix as integer label indices (coders x units), -1 where a value is missing."""
    if isinstance(reliability_data, np.ndarray) and reliability_data.dtype.kind in "biuf":
        return _numeric_indices(reliability_data)
    matrix = _object_matrix(reliability_data)
    indices = np.full(matrix.shape, -1, dtype=np.int64)
    index_of: dict[Hashable, int] = {}
    for (row, col), value in np.ndenumerate(matrix):
        if not _is_missing(value):
            indices[row, col] = index_of.setdefault(value, len(index_of))
    return indices


def _numeric_indices(matrix: np.ndarray) -> np.ndarray:
    """Vectorised path for numeric arrays (the common case from agreement_table)."""
    if matrix.ndim != 2:
        raise AgreementError(
            f"reliability data must be 2-D (coders x units), got {matrix.ndim} dimension(s)")
    present = ~np.isnan(matrix) if matrix.dtype.kind == "f" else np.ones(matrix.shape, bool)
    indices = np.full(matrix.shape, -1, dtype=np.int64)
    _, inverse = np.unique(matrix[present], return_inverse=True)
    indices[present] = inverse.ravel()
    return indices


def _object_matrix(reliability_data: Any) -> np.ndarray:
    """Rows of any hashable values as a 2-D object array, refusing ragged input.

    Built cell by cell because ``np.asarray`` would turn ``[["a", nan]]`` into the string
    ``"nan"`` and ragged lists into a 1-D array of lists.
    """
    if isinstance(reliability_data, np.ndarray) and reliability_data.ndim != 2:
        raise AgreementError(
            f"reliability data must be 2-D (coders x units), got {reliability_data.ndim} "
            "dimension(s)")
    if isinstance(reliability_data, pd.DataFrame):
        reliability_data = reliability_data.to_numpy(dtype=object)
    rows = [_row(row) for row in reliability_data]
    widths = {len(row) for row in rows}
    if len(widths) > 1:
        raise AgreementError(
            f"reliability data rows differ in length ({sorted(widths)}); give every coder "
            "one value per unit, None where the coder did not code the unit")
    matrix = np.empty((len(rows), widths.pop() if widths else 0), dtype=object)
    for row_number, row in enumerate(rows):
        for col_number, value in enumerate(row):
            matrix[row_number, col_number] = value
    return matrix


def _row(row: Any) -> list[Any]:
    # A string is iterable but is one value, not a coder's row: "ab" must not become a, b.
    if isinstance(row, (str, bytes)) or not isinstance(row, Iterable):
        raise AgreementError(
            "reliability data must be 2-D (coders x units): give one list of values per coder")
    return list(row)


def _value_counts(indices: np.ndarray) -> np.ndarray:
    """Units x labels: how many coders gave each label to each unit."""
    n_labels = int(indices.max()) + 1 if indices.size else 0
    counts = np.zeros((indices.shape[1], n_labels), dtype=np.int64)
    for label in range(n_labels):
        counts[:, label] = (indices == label).sum(axis=0)
    return counts


def _alpha_from_value_counts(value_counts: np.ndarray) -> float:
    pairable = value_counts.sum(axis=1)
    value_counts = value_counts[pairable >= 2]  # a lone value has no partner to pair with
    if value_counts.size == 0:
        return math.nan
    m_u = value_counts.sum(axis=1).astype(float)
    # Coincidences: every ordered pair of values within a unit, from different coders,
    # weighted 1 / (m_u - 1) so each unit contributes m_u pairable values in total.
    outer = value_counts[:, :, None] * value_counts[:, None, :]
    diagonal = value_counts[:, :, None] * np.eye(value_counts.shape[1], dtype=np.int64)
    o = ((outer - diagonal) / (m_u - 1)[:, None, None]).sum(axis=0)
    n_c = o.sum(axis=0)
    n = n_c.sum()
    expected = n * n - (n_c * n_c).sum()  # proportional to expected disagreement
    observed = n - np.trace(o)            # observed disagreement (off-diagonal mass)
    if expected <= 0:
        # A single category among the pairable values: nothing can disagree, and by our
        # convention that is perfect reliability rather than 0/0.
        return 1.0
    return float(1.0 - (n - 1) * observed / expected)


# --------------------------------------------------------------------------- tables


def agreement_table(
    codings: pd.DataFrame,
    segments_by_coder: Mapping[str, Iterable[str]] | None = None,
) -> tuple[list[PairAgreement], list[CodeAgreement]]:
    """Kappa and percent agreement per code and coder pair, alpha per code.

    ``codings`` has one row per code assignment, columns ``segment_id``, ``code`` and
    ``coder`` (other columns are ignored; values are compared as strings). A coder who
    applied no code to a segment has no row for it. ``segments_by_coder`` says which
    segments each coder coded; it may name coders with no codings at all (they applied
    nothing). When it is None every coder is taken to have coded every segment that
    appears in ``codings``.

    Pairs are computed over the segments both coders coded, alpha over every coder with
    missing values for the segments a coder did not code. Results are sorted by code, then
    coder names (``coder_a < coder_b``). Pairs that share no segment are kept, with
    ``nan`` statistics and ``n_segments == 0``.

    >>> codings = pd.DataFrame({"segment_id": ["s1", "s2", "s1"],
    ...                         "code": ["burnout", "burnout", "burnout"],
    ...                         "coder": ["ana", "ana", "qualcode:rule"]})
    >>> pairs, codes = agreement_table(codings)
    >>> pairs[0].coder_a, pairs[0].coder_b, pairs[0].percent_agreement
    ('ana', 'qualcode:rule', 0.5)
    """
    codings = _checked_codings(codings)
    seen = _segments_seen(codings, segments_by_coder)
    coders = sorted(seen)
    if len(coders) < 2:
        raise AgreementError(
            f"agreement needs at least two coders, found {len(coders)}; add the other "
            "coders' codings (or list them in segments_by_coder)")
    segments = sorted(set().union(*seen.values()))
    seen_matrix = np.array([[segment in seen[coder] for segment in segments]
                            for coder in coders], dtype=bool)

    pairs: list[PairAgreement] = []
    code_results: list[CodeAgreement] = []
    for code in sorted(codings["code"].unique()):
        applied = _applied_matrix(codings[codings["code"] == code], coders, segments)
        # 1.0 / 0.0 where the coder coded the segment, NaN where they did not.
        judgements = np.where(seen_matrix, applied.astype(float), np.nan)
        code_results.append(CodeAgreement(
            code=code, n_coders=len(coders),
            n_segments=int((seen_matrix.sum(axis=0) >= 2).sum()),
            alpha=krippendorff_alpha_nominal(judgements)))
        for i, j in combinations(range(len(coders)), 2):
            pairs.append(_pair_agreement(code, coders[i], coders[j], judgements[i],
                                         judgements[j]))
    return pairs, code_results


def agreement_frame(pairs: Sequence[PairAgreement],
                    codes: Sequence[CodeAgreement]) -> pd.DataFrame:
    """The results of :func:`agreement_table` as one report-ready DataFrame.

    One row per code and coder pair, with the code's alpha repeated on each of its rows.

    >>> codings = pd.DataFrame({"segment_id": ["s1", "s1"], "code": ["isolation"] * 2,
    ...                         "coder": ["ana", "ben"]})
    >>> agreement_frame(*agreement_table(codings)).columns.tolist()
    ['code', 'coder_a', 'coder_b', 'n_segments', 'kappa', 'percent_agreement', 'alpha']
    """
    alpha_by_code = {result.code: result.alpha for result in codes}
    rows = [(pair.code, pair.coder_a, pair.coder_b, pair.n_segments, pair.kappa,
             pair.percent_agreement, alpha_by_code.get(pair.code, math.nan))
            for pair in pairs]
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    return frame.astype({"n_segments": "int64", "kappa": "float64",
                         "percent_agreement": "float64", "alpha": "float64"})


def _checked_codings(codings: pd.DataFrame) -> pd.DataFrame:
    """The three columns we need, as strings, one row per distinct assignment."""
    missing = [column for column in CODING_COLUMNS if column not in codings.columns]
    if missing:
        raise AgreementError(
            f"codings lacks column(s) {', '.join(missing)}; give a DataFrame with columns "
            "segment_id, code and coder (one row per code a coder applied to a segment)")
    subset = codings.loc[:, list(CODING_COLUMNS)]
    for column in CODING_COLUMNS:
        empty = int(subset[column].isna().sum())
        if empty:
            raise AgreementError(
                f"codings has {empty} row(s) with no {column}; fill them in or drop them")
    # Applying a code twice to the same segment is still one binary judgement.
    return subset.astype(str).drop_duplicates()


def _segments_seen(codings: pd.DataFrame,
                   segments_by_coder: Mapping[str, Iterable[str]] | None) -> dict[str, set[str]]:
    """Which segments each coder coded, checked against the codings."""
    if segments_by_coder is None:
        everything = set(codings["segment_id"])
        return {coder: everything for coder in codings["coder"].unique()}
    seen = {str(coder): {str(segment) for segment in segments}
            for coder, segments in segments_by_coder.items()}
    for coder, rows in codings.groupby("coder", sort=True):
        if coder not in seen:
            raise AgreementError(
                f"coder {coder!r} has codings but no entry in segments_by_coder; add the "
                "segments that coder coded")
        outside = sorted(set(rows["segment_id"]) - seen[coder])
        if outside:
            raise AgreementError(
                f"coder {coder!r} applied codes to {len(outside)} segment(s) not listed "
                f"as coded by them in segments_by_coder (first: {outside[0]!r}); add them")
    return seen


def _applied_matrix(rows: pd.DataFrame, coders: list[str], segments: list[str]) -> np.ndarray:
    """Coders x segments booleans: did the coder apply this code to the segment?"""
    coder_index = {coder: i for i, coder in enumerate(coders)}
    segment_index = {segment: j for j, segment in enumerate(segments)}
    applied = np.zeros((len(coders), len(segments)), dtype=bool)
    applied[rows["coder"].map(coder_index).to_numpy(int),
            rows["segment_id"].map(segment_index).to_numpy(int)] = True
    return applied


def _pair_agreement(code: str, coder_a: str, coder_b: str,
                    a: np.ndarray, b: np.ndarray) -> PairAgreement:
    """Binary present/absent agreement over the segments both coders coded."""
    both = ~np.isnan(a) & ~np.isnan(b)
    a_both, b_both = a[both].astype(int), b[both].astype(int)
    counts = {(x, y): int(((a_both == x) & (b_both == y)).sum())
              for x in (1, 0) for y in (1, 0)}
    return PairAgreement(
        code=code, coder_a=coder_a, coder_b=coder_b, n_segments=int(both.sum()),
        kappa=_kappa(counts), percent_agreement=_percent(counts),
        confusion=MappingProxyType(counts))


# --------------------------------------------------------------------------- helpers


def _is_missing(value: object) -> bool:
    """None, NaN (Python or NumPy floats) and pandas' NA/NaT count as missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def _ordered_labels(labels: Iterable[Hashable]) -> list[Hashable]:
    """Distinct labels, sorted when comparable, else in order of first appearance."""
    distinct = list(dict.fromkeys(labels))
    try:
        return sorted(distinct)  # type: ignore[type-var]
    except TypeError:
        return distinct
