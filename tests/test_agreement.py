"""Tests of qualcode.human.agreement against sklearn, the krippendorff package and hand computations."""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from qualcode.human.agreement import (
    AgreementError,
    CodeAgreement,
    PairAgreement,
    agreement_frame,
    agreement_table,
    cohen_kappa,
    confusion_table,
    krippendorff_alpha_nominal,
    percent_agreement,
)
from qualcode.errors import QualcodeError

NAN = np.nan

# Krippendorff (2011) "Computing Krippendorff's alpha-reliability", the 4 coders x 12 units
# example with missing values; nominal alpha = 0.743.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]

# The 3 coders x 15 units example from Wikipedia (and the krippendorff package's docs).
WIKIPEDIA = [
    [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
    [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
    [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
]


def _as_float(matrix: list[list[object]]) -> np.ndarray:
    return np.array([[NAN if value is None else value for value in row] for row in matrix],
                     dtype=float)


def _random_reliability_data(seed: int) -> np.ndarray:
    """Coders x units with 2-4 categories and about 30% missing values."""
    rng = np.random.default_rng(seed)
    n_coders = int(rng.integers(2, 6))
    n_units = int(rng.integers(15, 60))
    n_categories = int(rng.integers(2, 5))
    truth = rng.integers(0, n_categories, n_units)
    # Coders mostly follow a shared "truth" so alpha spans realistic positive values.
    noise = rng.integers(0, n_categories, (n_coders, n_units))
    data = np.where(rng.random((n_coders, n_units)) < 0.7, truth, noise).astype(float)
    data[rng.random(data.shape) < 0.3] = NAN
    return data


# --------------------------------------------------------------------------- kappa


@pytest.mark.parametrize("seed", range(12))
def test_kappa_equals_sklearn_on_random_labels_with_missing_values(seed):
    rng = np.random.default_rng(seed)
    labels = ["isolation", "boundaries", "burnout", "validation"][: int(rng.integers(2, 5))]
    n = int(rng.integers(10, 80))
    a = [labels[i] for i in rng.integers(0, len(labels), n)]
    b = [x if rng.random() < 0.6 else labels[int(rng.integers(0, len(labels)))] for x in a]
    a = [None if rng.random() < 0.2 else x for x in a]
    b = [None if rng.random() < 0.2 else x for x in b]

    kept = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
    expected = cohen_kappa_score([x for x, _ in kept], [y for _, y in kept])

    assert cohen_kappa(a, b) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_kappa_equals_sklearn_on_skewed_binary_judgements(seed):
    rng = np.random.default_rng(100 + seed)
    a = (rng.random(40) < 0.15).astype(int)
    b = np.where(rng.random(40) < 0.8, a, 1 - a)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cohen_kappa_score(a, b)
    if math.isfinite(expected):
        assert cohen_kappa(a, b) == pytest.approx(expected, abs=1e-12)


def test_kappa_is_one_for_perfect_agreement():
    assert cohen_kappa(["a", "b", "c", "a"], ["a", "b", "c", "a"]) == 1.0


def test_kappa_is_one_when_both_coders_use_one_identical_category_throughout():
    # Chance agreement is 1 and kappa is 0/0; sklearn says nan, we say perfect agreement.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert math.isnan(cohen_kappa_score([0, 0, 0], [0, 0, 0]))
    assert cohen_kappa([0, 0, 0], [0, 0, 0]) == 1.0


def test_kappa_is_minus_one_for_complete_systematic_disagreement():
    a, b = [0, 1, 0, 1], [1, 0, 1, 0]
    assert cohen_kappa(a, b) == -1.0 == cohen_kappa_score(a, b)


def test_kappa_is_zero_when_each_coder_uses_a_different_single_category():
    assert cohen_kappa([0, 0, 0], [1, 1, 1]) == 0.0


def test_kappa_drops_missing_values_pairwise():
    a = [1, None, 0, 1, NAN, 0, 1]
    b = [1, 1, None, 1, 0, 0, 0]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score([1, 1, 0, 1], [1, 1, 0, 0]))


def test_kappa_and_percent_agreement_are_nan_without_any_pair():
    assert math.isnan(cohen_kappa([None, 1], [0, None]))
    assert math.isnan(percent_agreement([], []))


def test_mismatched_lengths_raise_an_agreement_error():
    with pytest.raises(AgreementError, match="differ in length"):
        cohen_kappa([1, 0], [1])
    assert issubclass(AgreementError, QualcodeError)


def test_percent_agreement_counts_only_items_both_coded():
    assert percent_agreement([1, 0, 1, None], [1, 1, 1, 0]) == pytest.approx(2 / 3)


# --------------------------------------------------------------------------- confusion


def test_confusion_table_has_coder_a_in_rows_and_coder_b_in_columns():
    table = confusion_table(["x", "x", "y", None], ["x", "y", "y", "y"])
    assert table.index.tolist() == ["x", "y"] and table.columns.tolist() == ["x", "y"]
    assert table.loc["x", "y"] == 1 and table.loc["y", "x"] == 0
    assert int(table.to_numpy().sum()) == 3


def test_confusion_table_uses_given_labels_and_order():
    table = confusion_table([1, 1], [1, 0], labels=[1, 0, 2])
    assert table.index.tolist() == [1, 0, 2]
    assert table.loc[1, 0] == 1 and table.loc[2, 2] == 0


def test_confusion_table_refuses_labels_that_hide_data():
    with pytest.raises(AgreementError, match="not listed"):
        confusion_table([1, 2], [1, 1], labels=[1])


# --------------------------------------------------------------------------- alpha


@pytest.mark.parametrize("seed", range(15))
def test_alpha_equals_krippendorff_package_on_random_data_with_missing_values(seed):
    data = _random_reliability_data(seed)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(data) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_alpha_gives_the_same_result_for_lists_with_none_and_string_labels(seed):
    data = _random_reliability_data(seed)
    as_lists = [[None if math.isnan(v) else f"code-{int(v)}" for v in row] for row in data]
    assert krippendorff_alpha_nominal(as_lists) == pytest.approx(
        krippendorff_alpha_nominal(data), abs=1e-12)


def test_alpha_matches_krippendorff_2011_nominal_example():
    assert krippendorff_alpha_nominal(KRIPPENDORFF_2011) == pytest.approx(0.743, abs=5e-4)
    letters = [[None if v is None else "abcde"[v - 1] for v in row] for row in KRIPPENDORFF_2011]
    assert krippendorff_alpha_nominal(letters) == pytest.approx(
        krippendorff.alpha(reliability_data=_as_float(KRIPPENDORFF_2011),
                           level_of_measurement="nominal"), abs=1e-12)


def test_alpha_matches_wikipedia_nominal_example():
    assert krippendorff_alpha_nominal(WIKIPEDIA) == pytest.approx(0.691358, abs=1e-6)


def test_alpha_is_one_for_perfect_agreement():
    assert krippendorff_alpha_nominal([[1, 2, 3, None], [1, 2, 3, 3], [1, None, 3, 3]]) == 1.0


def test_alpha_is_one_when_only_one_category_occurs():
    data = [[0, 0, 0], [0, 0, None]]
    # The krippendorff package refuses this (expected disagreement is 0); we call it 1.0.
    with pytest.raises(ValueError):
        krippendorff.alpha(reliability_data=_as_float(data), level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(data) == 1.0


def test_alpha_is_one_when_other_categories_occur_only_in_unpairable_units():
    # The 1 sits in a unit with a single value, so the pairable values are all 0.
    assert krippendorff_alpha_nominal([[0, 0, 1], [0, 0, None]]) == 1.0


def test_alpha_for_complete_disagreement_matches_the_package():
    data = [[0, 1, 0, 1], [1, 0, 1, 0]]
    # By hand: o01 = o10 = 4, n0 = n1 = 4, n = 8 -> 1 - 7 * 8 / (64 - 32) = -0.75.
    assert krippendorff_alpha_nominal(data) == pytest.approx(-0.75)
    assert krippendorff_alpha_nominal(data) == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def test_alpha_ignores_a_unit_coded_by_only_one_coder():
    base = _random_reliability_data(3)
    lone = np.full((base.shape[0], 1), NAN)
    lone[0, 0] = 7.0  # a category nobody else uses, in a unit nobody else coded
    assert krippendorff_alpha_nominal(np.hstack([base, lone])) == pytest.approx(
        krippendorff_alpha_nominal(base), abs=1e-12)


def test_alpha_is_nan_when_no_unit_has_two_values():
    assert math.isnan(krippendorff_alpha_nominal([[1, None], [None, 2]]))
    assert math.isnan(krippendorff_alpha_nominal(np.empty((0, 0))))


def test_alpha_refuses_ragged_or_one_dimensional_data():
    with pytest.raises(AgreementError, match="differ in length"):
        krippendorff_alpha_nominal([[1, 2, 3], [1, 2]])
    with pytest.raises(AgreementError, match="2-D"):
        krippendorff_alpha_nominal(["ab", "ab"])
    with pytest.raises(AgreementError, match="2-D"):
        krippendorff_alpha_nominal(np.array([1.0, 2.0]))


# --------------------------------------------------------------------------- tables


def _codings(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["segment_id", "code", "coder"])


RULE = "qualcode:rule"
HAND_CODINGS = _codings([
    ("s1", "isolation", "alice"), ("s2", "isolation", "alice"), ("s3", "isolation", "alice"),
    ("s1", "isolation", "bob"), ("s2", "isolation", "bob"), ("s4", "isolation", "bob"),
    ("s1", "isolation", RULE), ("s2", "isolation", RULE), ("s3", "isolation", RULE),
    ("s6", "isolation", RULE),
    ("s5", "burnout", "bob"),
])
# Bob never saw s6: his judgements there are missing, not "did not apply".
HAND_SEEN = {
    "alice": {"s1", "s2", "s3", "s4", "s5", "s6"},
    "bob": {"s1", "s2", "s3", "s4", "s5"},
    RULE: {"s1", "s2", "s3", "s4", "s5", "s6"},
}


def _pair(pairs: list[PairAgreement], code: str, a: str, b: str) -> PairAgreement:
    return next(p for p in pairs if (p.code, p.coder_a, p.coder_b) == (code, a, b))


def test_agreement_table_matches_hand_computed_kappa():
    pairs, _ = agreement_table(HAND_CODINGS, HAND_SEEN)

    # alice [1,1,1,0,0] vs bob [1,1,0,1,0] on s1-s5: po = 3/5, pe = .6*.6 + .4*.4 = .52,
    # kappa = (.6 - .52) / (1 - .52) = 1/6.
    alice_bob = _pair(pairs, "isolation", "alice", "bob")
    assert alice_bob.n_segments == 5
    assert alice_bob.percent_agreement == pytest.approx(0.6)
    assert alice_bob.kappa == pytest.approx(1 / 6)
    assert dict(alice_bob.confusion) == {(1, 1): 2, (1, 0): 1, (0, 1): 1, (0, 0): 1}

    # alice [1,1,1,0,0,0] vs rule [1,1,1,0,0,1] on s1-s6: po = 5/6, pe = .5*4/6 + .5*2/6
    # = .5, kappa = (5/6 - .5) / .5 = 2/3.
    alice_rule = _pair(pairs, "isolation", "alice", RULE)
    assert alice_rule.n_segments == 6
    assert alice_rule.kappa == pytest.approx(2 / 3)

    # bob vs rule: s6 is missing for bob, so only s1-s5 count.
    bob_rule = _pair(pairs, "isolation", "bob", RULE)
    assert bob_rule.n_segments == 5
    assert bob_rule.kappa == pytest.approx(1 / 6)


def test_agreement_table_alpha_matches_hand_computation_and_package():
    _, codes = agreement_table(HAND_CODINGS, HAND_SEEN)
    burnout, isolation = codes
    # burnout: o00 = 15, o01 = o10 = 1, n0 = 16, n1 = 1, n = 17:
    # alpha = 1 - 16 * 2 / (17**2 - 16**2 - 1**2) = 0.
    assert burnout == CodeAgreement(code="burnout", n_coders=3, n_segments=6, alpha=0.0)
    # Rows alice, bob, rule; columns s1-s6.
    isolation_matrix = [[1, 1, 1, 0, 0, 0], [1, 1, 0, 1, 0, NAN], [1, 1, 1, 0, 0, 1]]
    assert isolation.alpha == pytest.approx(krippendorff.alpha(
        reliability_data=isolation_matrix, level_of_measurement="nominal"), abs=1e-12)


def test_agreement_table_uses_the_one_category_convention_for_unused_codes():
    pairs, _ = agreement_table(HAND_CODINGS, HAND_SEEN)
    # Neither alice nor the rule applied burnout anywhere: perfect agreement by convention.
    assert _pair(pairs, "burnout", "alice", RULE).kappa == 1.0
    # bob applied it once where alice did not: po = .8, pe = .8 -> kappa 0.
    assert _pair(pairs, "burnout", "alice", "bob").kappa == 0.0


def test_agreement_table_sorts_by_code_then_coder_names():
    pairs, codes = agreement_table(HAND_CODINGS.iloc[::-1], HAND_SEEN)
    assert [c.code for c in codes] == ["burnout", "isolation"]
    assert [(p.code, p.coder_a, p.coder_b) for p in pairs] == [
        (code, a, b) for code in ("burnout", "isolation")
        for a, b in (("alice", "bob"), ("alice", RULE), ("bob", RULE))]


def test_agreement_table_without_segments_assumes_every_coder_saw_every_segment():
    pairs, _ = agreement_table(HAND_CODINGS)
    # s6 now counts for bob, as a 0; s1-s6 appear in the codings.
    bob_rule = _pair(pairs, "isolation", "bob", RULE)
    assert bob_rule.n_segments == 6
    expected = cohen_kappa_score([1, 1, 0, 1, 0, 0], [1, 1, 1, 0, 0, 1])
    assert bob_rule.kappa == pytest.approx(expected)


def test_agreement_table_includes_coders_who_applied_nothing():
    seen = {**HAND_SEEN, "carol": {"s1", "s2"}}
    pairs, codes = agreement_table(HAND_CODINGS, seen)
    alice_carol = _pair(pairs, "isolation", "alice", "carol")
    assert alice_carol.n_segments == 2
    assert alice_carol.percent_agreement == 0.0
    assert all(c.n_coders == 4 for c in codes)


def test_agreement_table_ignores_duplicate_assignments():
    doubled = pd.concat([HAND_CODINGS, HAND_CODINGS.iloc[:2]])
    assert agreement_table(doubled, HAND_SEEN) == agreement_table(HAND_CODINGS, HAND_SEEN)


def test_agreement_table_keeps_pairs_that_share_no_segment_as_nan():
    codings = _codings([("s1", "isolation", "ana"), ("s2", "isolation", "ben")])
    pairs, codes = agreement_table(codings, {"ana": {"s1"}, "ben": {"s2"}})
    assert pairs[0].n_segments == 0 and math.isnan(pairs[0].kappa)
    assert codes[0].n_segments == 0 and math.isnan(codes[0].alpha)


def test_agreement_table_names_a_missing_column():
    with pytest.raises(AgreementError, match="coder") as caught:
        agreement_table(HAND_CODINGS.drop(columns=["coder"]))
    assert "segment_id, code and coder" in str(caught.value)


def test_agreement_table_refuses_a_single_coder():
    with pytest.raises(AgreementError, match="at least two coders"):
        agreement_table(_codings([("s1", "isolation", "ana")]))


def test_agreement_table_refuses_codings_outside_segments_by_coder():
    with pytest.raises(AgreementError, match="no entry in segments_by_coder"):
        agreement_table(HAND_CODINGS, {"alice": HAND_SEEN["alice"], "bob": HAND_SEEN["bob"]})
    with pytest.raises(AgreementError, match="not listed"):
        agreement_table(HAND_CODINGS, {**HAND_SEEN, RULE: {"s1", "s2", "s3"}})


def test_agreement_table_refuses_rows_with_empty_fields():
    codings = _codings([("s1", "isolation", "ana"), ("s1", None, "ben")])
    with pytest.raises(AgreementError, match="no code"):
        agreement_table(codings)


def test_agreement_frame_has_one_row_per_pair_with_the_codes_alpha():
    pairs, codes = agreement_table(HAND_CODINGS, HAND_SEEN)
    frame = agreement_frame(pairs, codes)
    assert frame.columns.tolist() == ["code", "coder_a", "coder_b", "n_segments", "kappa",
                                      "percent_agreement", "alpha"]
    assert len(frame) == len(pairs) == 6
    assert (frame.loc[frame["code"] == "burnout", "alpha"] == 0.0).all()
    row = frame[(frame["code"] == "isolation") & (frame["coder_b"] == "bob")].iloc[0]
    assert row["kappa"] == pytest.approx(1 / 6) and row["n_segments"] == 5


def test_results_are_immutable_and_hashable():
    pairs, codes = agreement_table(HAND_CODINGS, HAND_SEEN)
    with pytest.raises(AttributeError):
        pairs[0].kappa = 0.5  # type: ignore[misc]
    with pytest.raises(TypeError):
        pairs[0].confusion[(1, 1)] = 9  # type: ignore[index]
    assert len({*pairs, *codes}) == len(pairs) + len(codes)
