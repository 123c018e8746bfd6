"""Batch-at-scale benchmark (issue 7): end to end at 10k/100k/1M comments, redaction against
Presidio and the spaCy tokenizer floor, and 1 vs 2 Dask workers.

Data: the 10,302 non-empty real comments of ``../shared/bench/nhs-feedback/phase1_text_data.csv``,
replicated with variation to the sizes asked for (each copy after the first is changed: a
sentence of another comment appended, lower-cased, a typo, or its final full stop dropped),
written as a survey export with id, trust, question and wave columns. Files are built once
into ``bench/out/scale/``.

    .venv/bin/python bench/scale_bench.py --e2e 10000 100000     # end to end, fast mode
    .venv-bench/bin/python bench/scale_bench.py --redaction 3000  # vs Presidio (make bench first)
    .venv/bin/python bench/scale_bench.py --dask 100000           # 1 vs 2 workers (per-segment stages)

End to end runs ``qualcode run FILE --fast --codebook codebooks/supervision.yaml`` in a child
process: wall time, and peak resident memory of that process and its workers together
(sampled every 0.2 s with psutil).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "bench" / "nhs-feedback" / "phase1_text_data.csv"
OUT = ROOT / "bench" / "out" / "scale"
CODEBOOK = ROOT / "codebooks" / "supervision.yaml"
QUALCODE = ROOT / ".venv" / "bin" / "qualcode"

sys.path.insert(0, str(Path(__file__).resolve().parent))


def real_comments() -> list[dict]:
    with SOURCE.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["feedback"].strip()]
    return rows


def corpus(size: int) -> Path:
    """A survey export of ``size`` comments (built once, then reused)."""
    path = OUT / f"comments_{size}.csv"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    rows = real_comments()
    rng = random.Random(size)
    partial = path.with_suffix(".part")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "trust", "question", "wave", "feedback"])
        for n in range(size):
            row = rows[n % len(rows)]
            text = row["feedback"].strip()
            if n >= len(rows):
                text = _varied(text, rows[rng.randrange(len(rows))]["feedback"], rng)
            writer.writerow([f"R{n:07d}", row["organization"], row["question"],
                             "baseline" if n % 2 else "follow-up", text])
    partial.replace(path)
    return path


def _varied(text: str, other: str, rng: random.Random) -> str:
    choice = rng.randrange(4)
    if choice == 0:
        first = re.split(r"(?<=[.!?])\s+", other.strip())[0]
        return f"{text} {first}"
    if choice == 1:
        return text.lower()
    if choice == 2:
        words = text.split()
        long = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
        if long:
            i = rng.choice(long)
            w = words[i]
            j = rng.randrange(len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        return " ".join(words)
    return text.rstrip(".")


def words_in(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(len(r["feedback"].split()) for r in csv.DictReader(handle))


def end_to_end(size: int) -> dict:
    path = corpus(size)
    out = OUT / f"run_{size}"
    command = [str(QUALCODE), "run", str(path), "--fast", "--codebook", str(CODEBOOK), "--out", str(out),
               "--quiet", "--max-file-mb", "5000"]
    log = OUT / f"run_{size}.log"
    started = time.perf_counter()
    with log.open("w") as handle:  # a file, not a pipe: a full pipe would stall the run
        child = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, text=True)
        peak = _peak_memory(child)
    seconds = time.perf_counter() - started
    stdout = stderr = log.read_text()
    if child.returncode != 0:
        raise SystemExit(f"qualcode run failed on {size} comments:\n{stderr[-3000:]}")
    timings = re.search(r"^timings: (.*)$", stdout, re.M)
    words = words_in(path)
    return {"comments": size, "words": words, "seconds": seconds, "words_per_s": words / seconds,
            "peak_mb": peak / 2**20, "timings": timings.group(1) if timings else ""}


def _peak_memory(child: subprocess.Popen) -> int:
    """The largest resident memory of the run and all its worker processes together (bytes),
    sampled every 0.2 s until it ends."""
    import psutil

    process = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass  # a worker ended between listing and reading
        time.sleep(0.2)
    return peak


def redaction(size: int, repeat: int) -> None:
    """qualcode's Redactor against Presidio's AnalyzerEngine on the same comments, same process."""
    from redact_bench import timed_runs, tokenizer_floor

    texts = [r["feedback"].strip() for r in real_comments()][:size]
    words = sum(len(t.split()) for t in texts)
    print(f"== redaction: {len(texts)} real comments, {words:,} words, best of {repeat}")
    floor = tokenizer_floor(texts)
    for n_process in (1, 2):
        _, ours, _, presidio = timed_runs(texts, repeat, n_process)
        print(f"n_process={n_process}: presidio {words / presidio:,.0f} words/s, qualcode "
              f"{words / ours:,.0f} words/s, ratio {presidio / ours:.1f}x; qualcode is "
              f"{floor / ours:.3f} of the tokenizer's speed")
    print(f"spaCy tokenizer alone: {words / floor:,.0f} words/s")


def dask_workers(size: int) -> None:
    """The per-segment stages (read, redact, embed, code) on 1 and 2 Dask workers, same input."""
    from qualcode.codebook import load_codebook
    from qualcode.ingest import IngestOptions
    from qualcode.redact import Redactor
    from qualcode.stream import DaskEngine, LocalEngine, ProcessSettings, process

    path = corpus(size)
    words = words_in(path)
    codebook = load_codebook(CODEBOOK)
    settings = ProcessSettings(IngestOptions(max_file_mb=5000), embedder="static")
    print(f"== per-segment stages on {size:,} comments ({words:,} words)")
    results = {}
    for label, make in (("dask, 1 worker", lambda: DaskEngine(workers=1)),
                        ("dask, 2 workers", lambda: DaskEngine(workers=2)),
                        ("local engine", LocalEngine)):
        engine = make()
        started = time.perf_counter()
        processed = process([path], settings, Redactor(), codebook, engine)
        results[label] = time.perf_counter() - started
        engine.close()
        print(f"{label}: {results[label]:.0f} s, {words / results[label]:,.0f} words/s, "
              f"{len(processed.redacted.segments):,} segments, {processed.batches} batches")
    print(f"speed-up 2 vs 1 worker: {results['dask, 1 worker'] / results['dask, 2 workers']:.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--e2e", type=int, nargs="*", default=[], help="corpus sizes to run end to end")
    parser.add_argument("--redaction", type=int, help="comments for the Presidio comparison")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dask", type=int, help="comments for the 1 vs 2 worker comparison")
    args = parser.parse_args()
    if not (args.e2e or args.redaction or args.dask):
        parser.error("choose --e2e SIZES, --redaction N or --dask N")
    for size in args.e2e:
        r = end_to_end(size)
        print(f"== end to end, {r['comments']:,} comments, {r['words']:,} words: {r['seconds']:.0f} s, "
              f"{r['words_per_s']:,.0f} words/s, peak memory {r['peak_mb']:,.0f} MB\n   {r['timings']}",
              flush=True)
    if args.redaction:
        redaction(args.redaction, args.repeat)
    if args.dask:
        dask_workers(args.dask)
    return 0


if __name__ == "__main__":
    sys.exit(main())
