"""Benchmark: memory and time of the corpus-wide output writers on a large synthetic run.

The 1M-comment run peaked at 16.9 GB while writing reports and exports (bench/RESULTS.md,
"One million comments"). This measures each writer alone, each in its own process, on the
report tests' small run result (3 interviews, 20 survey rows) replicated to N documents of
two segments each with new ids, so attributes, codes and quotes look like a real run's:

- ``xlsx``: ``render_xlsx`` (quote bank, segments x codes matrix, codebook);
- ``qdpx``: ``write_qdpx`` (REFI-QDA project; the replicated segments carry no codings);
- ``tables``: ``render_tables`` (segments, codings, topics as CSV and Parquet);
- ``html`` / ``docx``: the reports.

Memory is the growth of the process's peak resident set (VmHWM) over what it held before
the writer ran. To compare with older code, run the same command in a worktree of it.

    .venv/bin/python bench/outputs_memory.py --documents 100000
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]  # this checkout's code, before any installed one
WRITERS = ("xlsx", "qdpx", "tables", "html", "docx")


def peak_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def replicated_result(n_documents: int):
    """The report tests' run result with its documents repeated under new ids, two segments each."""
    from test_report import build_run_result

    base = build_run_result()
    first_two: dict[str, list] = {}
    for segment in base.segments:
        first_two.setdefault(segment.doc_id, [])
        if len(first_two[segment.doc_id]) < 2:
            first_two[segment.doc_id].append(segment)
    documents, segments = [], []
    for i in range(n_documents):
        source = base.documents[i % len(base.documents)]
        document = dataclasses.replace(source, id=f"{source.id}-{i}")
        documents.append(document)
        segments += [dataclasses.replace(s, id=f"{document.id}:{s.id.rsplit(':', 1)[1]}", doc_id=document.id)
                     for s in first_two.get(source.id, [])]
    return dataclasses.replace(base, documents=tuple(documents), segments=tuple(segments), codings=())


def measure(writer: str, n_documents: int) -> None:
    from qualcode import report
    from qualcode.export import write_qdpx

    result = replicated_result(n_documents)
    before, started = peak_mb(), time.perf_counter()
    if writer == "xlsx":
        report.render_xlsx(result)
    elif writer == "qdpx":
        with tempfile.TemporaryDirectory() as folder:
            write_qdpx(Path(folder) / "project.qdpx", result.documents, result.codebook, result.codings,
                       segments=result.segments, texts={d.id: d.text for d in result.documents})
    elif writer == "tables":
        report.render_tables(result)
    else:
        content = report.build_content(result, report.compute_figures(result))
        report.render_html(content) if writer == "html" else report.render_docx(content)
    print(f"{writer:7s} {len(result.documents):>9,} documents {len(result.segments):>9,} segments "
          f"{time.perf_counter() - started:7.1f} s  +{peak_mb() - before:7.0f} MB peak "
          f"(process held {before:.0f} MB before)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--only", choices=WRITERS, action="append")
    parser.add_argument("--worker", choices=WRITERS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        measure(args.worker, args.documents)
        return 0
    for writer in args.only or WRITERS:
        subprocess.run([sys.executable, __file__, "--worker", writer, "--documents", str(args.documents)],
                       check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
