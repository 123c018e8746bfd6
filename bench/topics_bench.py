"""Topics and quotes: qualcode against BERTopic's defaults on real NHS feedback.

Run from the repository root:

    .venv/bin/python bench/topics_bench.py

Data: ``../shared/bench/nhs-feedback/phase1_text_data.csv`` (10,302 non-empty Friends and
Family Test comments, each with one human category of 9). Both tools get the same
embeddings, in two modes: "fast" (model2vec static, distilled offline from MiniLM) and
"accurate" (MiniLM). Corpora: all comments, and a seeded sample of 300; and, as a check
against tuning to those labels, ``v6framework_230831.csv`` (7,406 answers coded by other
people with a different, multi-label framework): the reference is the top-level group
(pxtextmining's v6 ``major_cat_dict``, 12 groups) of each answer's first label, and NMI
against the first label itself (44 categories in use) is printed too.

- qualcode: ``fit_topics`` with default settings (3 seeds inside), ``select_quotes``.
- BERTopic: ``BERTopic(embedding_model=<wrapper>)`` with default settings except UMAP's
  ``random_state`` (0, 1, 2: three runs), ``fit_transform(docs, embeddings)``,
  ``get_representative_docs()`` as its quotes.

Each tool runs in its own subprocess so its peak memory (maxrss) is its own. Embeddings and
the distilled model are cached under ``bench/out/`` (gitignored), keyed by a hash of the
model name and texts; embedding times are measured when the cache is built and kept with it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from itertools import combinations
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "bench" / "nhs-feedback" / "phase1_text_data.csv"
V6 = DATA.with_name("v6framework_230831.csv")
# pxtextmining 0.5.4 params.major_cat_dict: the v6 framework's top-level groups.
V6_GROUPS = {
    "General": ["Labelling not possible", "Positive experience & gratitude",
                "Negative experience & dissatisfaction", "Not assigned", "Organisation & efficiency",
                "Funding & use of financial resources"],
    "Staff": ["Staff manner & personal attributes", "Number & deployment of staff", "Staff responsiveness",
              "Staff continuity", "Competence & training"],
    "Communication & involvement": [
        "Unspecified communication", "Staff listening, understanding & involving patients",
        "Information directly from staff during care", "Information provision & guidance",
        "Being kept informed, clarity & consistency of information", "Interaction with family/ carers"],
    "Access to medical care & support": ["Contacting services", "Appointment arrangements", "Appointment method",
                                         "Timeliness of care"],
    "Medication": ["Supplying & understanding medication", "Pain management"],
    "Patient journey & service coordination": ["Diagnosis & triage", "Referals & continuity of care", "Admission",
                                               "Discharge", "Care plans", "Patient records",
                                               "Impact of treatment/ care"],
    "Food & diet": ["Food & drink provision & facilities"],
    "Category TBC": ["Feeling safe", "Patient appearance & grooming", "Equality, Diversity & Inclusion"],
    "Activities": ["Activities & access to fresh air", "Electronic entertainment"],
    "Environment & equipment": ["Cleanliness, tidiness & infection control", "Sensory experience",
                                "Environment & Facilities", "Provision of medical equipment"],
    "Mental Health specifics": ["Mental Health Act"],
    "Service location, travel & transport": ["Service location", "Transport to/ from services", "Parking"],
}
OUT = REPO / "bench" / "out"
MODES = {"fast": "static", "accurate": "minilm"}
SAMPLE = 300
SEEDS = (0, 1, 2)
NEAR_DUPLICATE = 0.9


def load_v6() -> tuple[list[str], list[str], list[str], list[str]]:
    """v6 framework answers: texts, top-level group, first label, trust."""
    import pandas as pd

    frame = pd.read_csv(V6)
    frame = frame[frame["FFT answer"].notna()].reset_index(drop=True)
    label_columns = list(frame.columns[list(frame.columns).index("Not assigned"):])
    coded = frame[label_columns].fillna(0).to_numpy() > 0
    first = [label_columns[row.argmax()] if row.any() else "none" for row in coded]
    group_of = {label: group for group, labels in V6_GROUPS.items() for label in labels}
    groups = [group_of.get(label, "Other") for label in first]
    return frame["FFT answer"].astype(str).tolist(), groups, first, frame["Trust"].astype(str).tolist()


def load(corpus: str) -> tuple[list[str], list[str], list[str]]:
    """Texts, human labels and organisations: every non-empty comment, or the seeded sample."""
    import pandas as pd

    if corpus == "v6":
        texts, groups, _, trusts = load_v6()
        return texts, groups, trusts
    frame = pd.read_csv(DATA)
    frame = frame[frame["feedback"].notna()].reset_index(drop=True)
    if corpus == "sample":
        rows = np.sort(np.random.default_rng(0).choice(len(frame), SAMPLE, replace=False))
        frame = frame.iloc[rows].reset_index(drop=True)
    return (frame["feedback"].astype(str).tolist(), frame["label"].astype(str).tolist(),
            frame["organization"].astype(str).tolist())


def embedder(mode: str):
    sys.path.insert(0, str(REPO))
    from qualcode.embed import MiniLMEmbedder, StaticEmbedder

    if MODES[mode] == "static":
        return StaticEmbedder(folder=OUT / "static-minilm-l6-v2-pca256")
    return MiniLMEmbedder()


def embeddings(mode: str, texts: list[str]) -> tuple[np.ndarray, dict]:
    """Cached embeddings of ``texts`` and how long they took to compute when first cached."""
    digest = hashlib.sha256("\x00".join([MODES[mode], *texts]).encode()).hexdigest()[:16]
    path, meta_path = OUT / f"emb-{mode}-{digest}.npy", OUT / f"emb-{mode}-{digest}.json"
    if path.exists() and meta_path.exists():
        return np.load(path), json.loads(meta_path.read_text())
    OUT.mkdir(parents=True, exist_ok=True)
    model = embedder(mode)
    started = time.perf_counter()
    model.encode(texts[:8])  # load (and for "fast", distil) the model outside the timing
    loaded = time.perf_counter()
    vectors = model.encode(texts)
    meta = {"load_s": round(loaded - started, 1), "embed_s": round(time.perf_counter() - loaded, 1),
            "n": len(texts)}
    np.save(path, vectors)
    meta_path.write_text(json.dumps(meta))
    return vectors, meta


# --- workers: one tool, one mode, one corpus per subprocess -------------------------------

def run_ours(texts: list[str], organisations: list[str], vectors: np.ndarray, mode: str) -> dict:
    sys.path.insert(0, str(REPO))
    from qualcode.model import Document, Segment
    from qualcode.quotes import select_quotes, topic_groups
    from qualcode.topics import fit_topics

    segments = [Segment(id=f"c{i:05d}:1", doc_id=f"c{i:05d}", start=0, end=len(t), text=t, role="respondent")
                for i, t in enumerate(texts)]
    documents = [Document(id=f"c{i:05d}", text=t, kind="survey", source_path=str(DATA),
                          attributes={"organisation": o}) for i, (t, o) in enumerate(zip(texts, organisations))]
    model = embedder(mode)
    started = time.perf_counter()
    result = fit_topics(segments, vectors, embedder=model)
    topics_s = time.perf_counter() - started
    started = time.perf_counter()
    quotes = select_quotes(segments, vectors, topic_groups(result.assignments), attributes=("organisation",),
                           documents=documents)
    quotes_s = time.perf_counter() - started
    labels = [result.assignments[seg.id] for seg in segments]
    quote_rows: dict[str, list[int]] = {}
    for quote in quotes.quotes:
        quote_rows.setdefault(quote.theme.split(":")[1], []).append(int(quote.segment_id[1:6]))
    return {"labels": [labels], "time_s": topics_s, "time_3_s": topics_s, "quotes_s": quotes_s, "quotes": quote_rows,
            "stability": result.info.stability_ari, "clusterer": result.info.clusterer,
            "filler": result.info.filler_count, "nothing_to_improve": result.info.nothing_to_improve_count,
            "set_aside": result.info.set_aside_note, "outlier_share": result.info.outlier_share,
            "example_labels": [t.label for t in result.topics[:5]]}


def run_bertopic(texts: list[str], vectors: np.ndarray, mode: str) -> dict:
    from bertopic import BERTopic
    from bertopic.backend import BaseEmbedder
    from umap import UMAP

    model = embedder(mode)

    class Wrapper(BaseEmbedder):  # our embedder, so BERTopic never loads or downloads one
        def embed(self, documents, verbose=False):
            return model.encode(list(documents))

    runs, times, quotes = [], [], {}
    for seed in SEEDS:
        # BERTopic's own default UMAP, with only random_state added.
        umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", low_memory=False,
                    random_state=seed)
        topic_model = BERTopic(embedding_model=Wrapper(), umap_model=umap)
        started = time.perf_counter()
        labels, _ = topic_model.fit_transform(texts, vectors)
        times.append(time.perf_counter() - started)
        runs.append([int(x) for x in labels])
        if seed == SEEDS[0]:
            row_of: dict[str, int] = {}
            for row, text in enumerate(texts):
                row_of.setdefault(text, row)
            for topic, docs in topic_model.get_representative_docs().items():
                if topic != -1:
                    quotes[str(topic)] = [row_of[doc] for doc in docs]
    return {"labels": runs, "time_s": times[0], "time_3_s": sum(times), "quotes": quotes}


def worker(tool: str, mode: str, corpus: str, out: Path) -> None:
    texts, _, organisations = load(corpus)
    vectors, _ = embeddings(mode, texts)
    result = run_ours(texts, organisations, vectors, mode) if tool == "ours" else run_bertopic(texts, vectors, mode)
    result["maxrss_mb"] = peak_rss_mb()
    out.write_text(json.dumps(result))


def peak_rss_mb() -> float:
    """This process's peak resident memory since exec.

    Linux's VmHWM starts afresh at exec, unlike ``getrusage().ru_maxrss``, which keeps the
    parent's peak across fork and exec and would charge the embedding model to each worker.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- scoring -------------------------------------------------------------------------------

def score(result: dict, truth: list[str], vectors: np.ndarray, texts: list[str]) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    labels = np.array(result["labels"][0])
    kept = labels != -1
    truth_arr = np.array(truth)
    stability = result.get("stability")
    if stability is None:
        stability = float(np.mean([adjusted_rand_score(a, b) for a, b in combinations(result["labels"], 2)]))
    purities = [max(np.unique(truth_arr[labels == t], return_counts=True)[1]) / (labels == t).sum()
                for t in set(labels.tolist()) - {-1}]
    duplicated, matches, n_quotes = 0, 0, 0
    for topic, rows in result["quotes"].items():
        rows = list(rows)
        similarity = vectors[rows] @ vectors[rows].T
        same_text = len({texts[r].strip().lower() for r in rows}) < len(rows)
        near = (similarity[~np.eye(len(rows), dtype=bool)] >= NEAR_DUPLICATE).any() if len(rows) > 1 else False
        duplicated += bool(same_text or near)
        members = truth_arr[labels == int(topic)]
        majority = max(sorted(set(members)), key=lambda c: (members == c).sum()) if len(members) else None
        matches += sum(truth[r] == majority for r in rows)
        n_quotes += len(rows)
    return {
        "n_topics": int(len(set(labels.tolist()) - {-1})),
        "unassigned": float(np.mean(~kept)),
        "outliers": result.get("outlier_share", float(np.mean(~kept))),
        "nmi": normalized_mutual_info_score(truth, labels),
        "ari": adjusted_rand_score(truth, labels),
        "nmi_kept": normalized_mutual_info_score(truth_arr[kept], labels[kept]),
        "ari_kept": adjusted_rand_score(truth_arr[kept], labels[kept]),
        "stability": stability,
        "dup_topics": duplicated, "quoted_topics": len(result["quotes"]), "quotes": n_quotes,
        "quote_match": matches / n_quotes if n_quotes else float("nan"),
        "purity": float(np.mean(purities)) if purities else float("nan"),
        "time_s": result["time_s"], "time_3_s": result.get("time_3_s"), "maxrss_mb": result["maxrss_mb"],
    }


ROWS = [("topics", "n_topics", "{:.0f}"), ("outlier share (after reduction)", "outliers", "{:.1%}"),
        ("unassigned (-1: outliers + set aside)", "unassigned", "{:.1%}"),
        ("NMI vs human, -1 as a cluster", "nmi", "{:.3f}"), ("ARI vs human, -1 as a cluster", "ari", "{:.3f}"),
        ("NMI vs human, assigned only", "nmi_kept", "{:.3f}"), ("ARI vs human, assigned only", "ari_kept", "{:.3f}"),
        ("run-to-run ARI (3 seeds)", "stability", "{:.3f}"),
        ("topics with duplicate quotes", "dup_topics", "{:.0f}"), ("quotes", "quotes", "{:.0f}"),
        ("quotes in topic's majority category", "quote_match", "{:.1%}"),
        ("mean topic purity (majority category share)", "purity", "{:.1%}"),
        ("time: 3 seeded fits (s)", "time_3_s", "{:.1f}"), ("peak memory, VmHWM (MB)", "maxrss_mb", "{:.0f}")]


def table(ours: dict, theirs: dict) -> str:
    lines = ["| metric | qualcode | BERTopic default | qualcode / BERTopic |", "|---|---:|---:|---:|"]
    for name, key, fmt in ROWS:
        a, b = ours[key], theirs[key]
        ratio = f"{a / b:.2f}x" if b else "n/a"
        if key in {"nmi", "ari", "nmi_kept", "ari_kept", "stability", "quote_match", "purity"}:
            ratio = f"{a - b:+.3f}"
        lines.append(f"| {name} | {fmt.format(a)} | {fmt.format(b)} | {ratio} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worker", choices=["ours", "bertopic", "embed"])
    parser.add_argument("--mode", choices=list(MODES), default="fast")
    parser.add_argument("--corpus", choices=["full", "sample", "v6"], default="full")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--modes", default="fast,accurate", help="modes to run, comma-separated")
    parser.add_argument("--corpora", default="full,sample,v6", help="corpora to run, comma-separated")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"topics_bench: benchmark data not found at {DATA}; it lives in ../shared, outside "
              f"the repository, so there is nothing to measure here. Skipping.")
        return 0
    if args.worker == "embed":
        embeddings(args.mode, load(args.corpus)[0])
        return 0
    if args.worker:
        worker(args.worker, args.mode, args.corpus, args.out)
        return 0

    started = time.perf_counter()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "PYTHONWARNINGS": "ignore"}
    report = [f"# topics_bench: {DATA.name}, seeds {SEEDS}"]
    for mode in args.modes.split(","):
        for corpus in args.corpora.split(","):
            texts, truth, _ = load(corpus)
            # Models load in a child, so no worker inherits their memory.
            subprocess.run([sys.executable, __file__, "--worker", "embed", "--mode", mode, "--corpus", corpus],
                           check=True, env=env, cwd=REPO)
            vectors, meta = embeddings(mode, texts)
            results = {}
            for tool in ("ours", "bertopic"):
                out = OUT / f"result-{tool}-{mode}-{corpus}.json"
                subprocess.run([sys.executable, __file__, "--worker", tool, "--mode", mode, "--corpus", corpus,
                                "--out", str(out)], check=True, env=env, cwd=REPO)
                results[tool] = json.loads(out.read_text())
            ours = score(results["ours"], truth, vectors, texts)
            theirs = score(results["bertopic"], truth, vectors, texts)
            block = [f"\n## {mode} ({MODES[mode]}), {corpus}: {len(texts)} comments",
                     f"embedding: {meta['embed_s']:.1f} s for {meta['n']} texts "
                     f"({meta['n'] / max(meta['embed_s'], 0.1):,.0f}/s or more; model load "
                     f"{meta['load_s']} s; measured when the cache was built)",
                     f"qualcode: {results['ours']['clusterer']}; set aside: {results['ours']['set_aside'] or 'none'}; "
                     f"fit incl. 3 seeds {ours['time_s']:.1f} s, quotes {results['ours']['quotes_s']:.1f} s; "
                     f"BERTopic one run {theirs['time_s']:.1f} s",
                     f"qualcode labels: {results['ours']['example_labels']}", "", table(ours, theirs)]
            if corpus == "v6":  # the finer reference: each answer's first label (44 in use)
                from sklearn.metrics import normalized_mutual_info_score

                first = load_v6()[2]
                block.append(f"NMI vs first label (-1 as a cluster): qualcode "
                             f"{normalized_mutual_info_score(first, results['ours']['labels'][0]):.3f}, "
                             f"BERTopic {normalized_mutual_info_score(first, results['bertopic']['labels'][0]):.3f}")
            print("\n".join(block), flush=True)
            report.extend(block)
    report.append(f"\ntotal benchmark time {time.perf_counter() - started:.0f} s")
    print(report[-1])
    (OUT / "topics_bench.md").write_text("\n".join(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
