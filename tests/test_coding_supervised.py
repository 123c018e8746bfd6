"""Supervised coder on synthetic, separable data (hashing fake embedder: fast, no model)."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.coding import SupervisedCoder
from qualcode.errors import UsageError
from qualcode.model import Segment

WORDS = {"burnout": ["exhausted", "drained", "overworked", "depleted", "shattered"],
         "isolation": ["alone", "lonely", "isolated", "excluded", "forgotten"],
         "validation": ["praised", "valued", "thanked", "recognised", "appreciated"]}


def synthetic(n: int = 60, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        code = list(WORDS)[i % 3]
        first, second = rng.choice(WORDS[code], 2, replace=False)
        texts.append(f"at work I felt {first} and {second} this week {i}")
        labels.append(code)
    return texts, labels


def segments(*texts: str) -> list[Segment]:
    return [Segment(f"s:{n}", "s", 0, len(t), t, role="respondent")
            for n, t in enumerate(texts, start=1)]


@pytest.fixture(scope="module")
def coder() -> SupervisedCoder:
    texts, labels = synthetic()
    return SupervisedCoder(embedder="hashing", inner_folds=3).fit(texts, labels)


def test_fit_learns_single_label_codes(coder):
    assert coder.classes_ == ("burnout", "isolation", "validation")
    assert not coder.multilabel_
    assert coder.predict(["so drained and exhausted", "lonely and excluded"]) == [
        ("burnout",), ("isolation",)]


def test_codings_carry_method_confidence_and_feature_evidence(coder):
    [coding] = coder.predict_codings(segments("totally drained and shattered"))
    assert (coding.segment_id, coding.code_id, coding.method) == ("s:1", "burnout", "model")
    assert 0.5 < coding.confidence <= 1.0
    assert coding.evidence.startswith("features: ") and "drained" in coding.evidence


def test_without_word_features_evidence_is_the_nearest_training_example(coder):
    [coding] = coder.predict_codings(segments("zzz qqq"))
    assert coding.evidence.startswith("nearest training example: 'at work I felt")


def test_cross_validate_scores_separable_data_well(coder):
    texts, labels = synthetic()
    result = coder.cross_validate(texts, labels, n_splits=3)
    assert result.folds == 3 and result.macro_f1 > 0.9 and result.accuracy > 0.9
    assert [code for code, _ in result.per_code] == ["burnout", "isolation", "validation"]


def test_multi_label_training_allows_several_codes_or_none():
    rng = np.random.default_rng(1)
    codes = list(WORDS)
    texts, sets = [], []
    for i in range(120):
        chosen = [codes[i % 3]] + ([codes[(i + 1) % 3]] if i % 2 else [])
        words = [rng.choice(WORDS[code]) for code in chosen]
        texts.append(f"this week {' and '.join(words)} {i}")
        sets.append(tuple(chosen))
    texts += [f"the weather was grey {i}" for i in range(12)]
    sets += [()] * 12
    coder = SupervisedCoder(embedder="hashing", inner_folds=3).fit(texts, sets)
    assert coder.multilabel_
    predicted = coder.predict(["this week drained and exhausted", "this week praised and lonely",
                                "the weather was grey"])
    assert "burnout" in predicted[0]
    assert {"isolation", "validation"} <= set(predicted[1])  # two codes at once
    assert predicted[2] == ()  # and none at all


def test_suggest_returns_the_most_uncertain_first(coder):
    pool = segments("drained and exhausted", "lonely and isolated",
                    "drained and lonely", "praised and valued")
    suggestions = coder.suggest(pool, n=2)
    assert suggestions[0].segment_id == "s:3"  # the mixed one is the coin toss
    assert suggestions[0].uncertainty > suggestions[1].uncertainty
    assert set(suggestions[0].likely_codes) == {"burnout", "isolation"}


def test_suggest_spreads_over_different_content(coder):
    pool = segments("drained and lonely", "drained and lonely", "praised and valued",
                    "drained and exhausted")
    plain = [s.segment_id for s in coder.suggest(pool, n=2, diversity=0.0)]
    spread = [s.segment_id for s in coder.suggest(pool, n=2, diversity=1.0)]
    assert plain == ["s:1", "s:2"]  # the two most uncertain are the same comment twice
    assert spread[0] == "s:1" and spread[1] != "s:2"


def test_suggest_skips_segments_already_in_the_training_data(coder):
    texts, _ = synthetic()
    assert coder.suggest(segments(texts[0]), n=3) == []


def test_fit_needs_two_codes():
    with pytest.raises(UsageError, match="at least two codes"):
        SupervisedCoder(embedder="hashing").fit(["a", "b"], ["burnout", "burnout"])


@pytest.mark.parametrize("labels, problem", [
    (["burnout", "validation"], "at least two codes; found burnout 1, validation 1"),
    (["burnout", "burnout", "validation"], "at least two codes; found burnout 2, validation 1"),
    ([["burnout", "validation"], ["isolation"]], "five or more human-coded segments"),
])
def test_too_few_examples_is_a_clear_error_not_a_crash(labels, problem):
    with pytest.raises(UsageError, match=problem):
        SupervisedCoder(embedder="hashing").fit([f"text {n}" for n in range(len(labels))], labels)


def test_a_code_with_one_example_beside_better_covered_ones_still_trains():
    texts = ["exhausted and drained", "so tired, burned out", "I felt valued by my team",
             "my manager said well done", "nobody to talk to at work"]
    fitted = SupervisedCoder(embedder="hashing", inner_folds=3).fit(
        texts, ["burnout", "burnout", "validation", "validation", "isolation"])
    assert fitted.classes_ == ("burnout", "isolation", "validation")


def test_a_few_multi_label_examples_train():
    texts = ["exhausted, nobody to ask", "burned out", "valued by peers", "alone in the practice",
             "thanked by my manager", "so tired and on my own"]
    labels = [["burnout", "isolation"], ["burnout"], ["validation"], ["isolation"], ["validation"],
              ["burnout", "isolation"]]
    fitted = SupervisedCoder(embedder="hashing").fit(texts, labels)
    assert fitted.multilabel_ and fitted.classes_ == ("burnout", "isolation", "validation")


def test_predicting_before_fit_says_to_fit():
    with pytest.raises(UsageError, match="fit"):
        SupervisedCoder(embedder="hashing").predict_codings(segments("x"))


def test_same_data_same_model():
    texts, labels = synthetic()
    a = SupervisedCoder(embedder="hashing", inner_folds=3).fit(texts, labels)
    b = SupervisedCoder(embedder="hashing", inner_folds=3).fit(texts, labels)
    probe = ["drained and lonely", "praised"]
    np.testing.assert_array_equal(a.predict_proba(probe), b.predict_proba(probe))


def test_min_confidence_leaves_an_unclear_segment_uncoded():
    texts, labels = synthetic()
    strict = SupervisedCoder(embedder="hashing", inner_folds=3, min_confidence=0.9).fit(texts,
                                                                                       labels)
    codings = strict.predict_codings(segments("totally drained and shattered", "drained and lonely"))
    assert [c.segment_id for c in codings] == ["s:1"]


def imbalanced(n_common: int, n_rare: int, seed: int) -> tuple[list[str], list[str]]:
    """A rare code whose cue words also turn up, now and then, in the common code's texts."""
    common = ["waiting", "parking", "food", "noise", "queue", "ward", "bed", "meal"]
    rare = ["dignity", "privacy", "respect"]
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n_common + n_rare):
        words = list(rng.choice(common, 3))
        is_rare = i >= n_common
        if is_rare or rng.random() < 0.1:
            words[rng.integers(3)] = rng.choice(rare)
        texts.append(" ".join(words) + f" {i}")
        labels.append("rare" if is_rare else "common")
    return texts, labels


def test_meta_weighting_chosen_by_inner_cv_lifts_a_rare_code(monkeypatch):
    from qualcode.coding import _stack

    texts, labels = imbalanced(200, 20, seed=0)
    probe, truth = imbalanced(400, 40, seed=1)

    def rare_recall(coder: SupervisedCoder) -> float:
        predicted = [codes[0] for codes in coder.predict(probe)]
        return np.mean([p == "rare" for p, t in zip(predicted, truth) if t == "rare"])

    tuned = SupervisedCoder(embedder="hashing", inner_folds=3).fit(texts, labels)
    monkeypatch.setattr(_stack, "META_WEIGHT_POWERS", (0.0,))
    plain = SupervisedCoder(embedder="hashing", inner_folds=3).fit(texts, labels)
    assert tuned.model_.meta_power_ > 0 and plain.model_.meta_power_ == 0
    assert rare_recall(tuned) > rare_recall(plain) + 0.2  # measured 0.72 against 0.33


def test_fine_tuning_is_skipped_for_multi_label_data():
    texts, labels = synthetic()
    sets = [(code,) if i % 4 else () for i, code in enumerate(labels)]  # some texts uncoded
    coder = SupervisedCoder(embedder="hashing", inner_folds=3, fine_tune=True).fit(texts, sets)
    assert coder.multilabel_ and coder.fine_tuned_ is None  # no model weights were loaded


@pytest.fixture(scope="module")
def fine_tuned():
    from qualcode.coding._finetune import FineTunedClassifier

    texts, labels = synthetic(48)
    y = [list(WORDS).index(code) for code in labels]
    settings = dict(epochs=1, batch_size=8, head_learning_rate=1e-2)
    return (FineTunedClassifier(**settings).fit(texts, y, n_codes=3),
            FineTunedClassifier(**settings).fit(texts, y, n_codes=3))


PROBES = (["so drained and exhausted", "lonely and isolated", "praised and thanked",
           "overworked, depleted", "excluded and forgotten", "valued and recognised"],
          [0, 1, 2, 0, 1, 2])


@pytest.mark.model
def test_fine_tuned_encoder_learns_a_separable_toy_set(fine_tuned):
    probabilities = fine_tuned[0].predict_proba(PROBES[0])
    assert probabilities.shape == (6, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    assert np.mean(probabilities.argmax(axis=1) == PROBES[1]) >= 0.8  # chance is 1/3


@pytest.mark.model
def test_fine_tuning_twice_gives_the_same_model(fine_tuned):
    first, second = fine_tuned
    np.testing.assert_array_equal(first.predict_proba(PROBES[0]),
                                  second.predict_proba(PROBES[0]))


@pytest.mark.model
def test_fine_tuned_coder_averages_probabilities_and_keeps_evidence(monkeypatch):
    from qualcode.coding import _finetune, supervised

    real = _finetune.FineTunedClassifier
    monkeypatch.setattr(supervised, "FineTunedClassifier",
                        lambda **kw: real(epochs=1, batch_size=8, head_learning_rate=1e-2, **kw))
    texts, labels = synthetic(48)
    coder = SupervisedCoder(embedder="hashing", inner_folds=3, fine_tune=True).fit(texts, labels)
    stack = coder.model_.predict_proba(PROBES[0], coder.embedder_.encode(PROBES[0]))
    expected = 0.5 * stack + 0.5 * coder.fine_tuned_.predict_proba(PROBES[0])
    np.testing.assert_allclose(coder.predict_proba(PROBES[0]), expected)
    [coding] = coder.predict_codings(segments("totally drained and shattered"))
    assert coding.code_id == "burnout" and coding.evidence.startswith("features: ")


def test_fine_tuning_is_chosen_by_training_size_and_embedder_unless_forced():
    assert not SupervisedCoder(embedder="hashing")._fine_tunes(1999)
    assert SupervisedCoder(embedder="hashing")._fine_tunes(2000)
    assert not SupervisedCoder(embedder="static")._fine_tunes(50_000)  # fast mode stays fast

    class Static:
        name = "static"
    assert not SupervisedCoder(embedder=Static())._fine_tunes(50_000)
    assert not SupervisedCoder(embedder="minilm", fine_tune=False)._fine_tunes(50_000)
    assert SupervisedCoder(embedder="hashing", fine_tune=True)._fine_tunes(10)
