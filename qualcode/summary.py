"""Plain-text summaries of what a command did, for the terminal.

They show counts, file names and reasons, never input text or speaker names: terminals
and CI logs are outputs too.
"""

from __future__ import annotations

from collections import Counter

from qualcode.lexicon.filler import describe_set_aside
from qualcode.model import SURVEY, TRANSCRIPT
from qualcode.pipeline.ingest import FileReport, IngestReport


def ingest_summary(report: IngestReport) -> str:
    lines = [f"{'file':<44} {'kind':<10} {'status':<9} {'docs':>5} {'segments':>8}  details"]
    lines += [_file_line(f) for f in report.files]
    lines.append("")
    by_kind: dict[str, int] = {}
    for f in report.files:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(by_kind.items()))
    lines.append(f"{len(report.files)} files used ({kinds}); {report.documents} documents; "
                 f"{report.segments} segments; {len(report.rejected)} rejected")
    attributes = sorted({a for f in report.files for a in f.attributes})
    if attributes:
        lines.append(f"attributes: {', '.join(attributes)}")
    for rejection in report.rejected:
        lines.append(f"rejected: {rejection.reason}")
    lines.append(f"project store: {report.store_path}")
    return "\n".join(lines)


def _file_line(f: FileReport) -> str:
    if f.kind == TRANSCRIPT:
        details = f"{f.speakers} speakers, {f.interviewer_turns} interviewer turns"
    elif f.kind == SURVEY:
        details = f"{f.documents} respondents, {f.blank_answers} blank answers"
    else:
        details = ""
    return f"{f.source_id:<44} {f.kind:<10} {f.status:<9} {f.documents:>5} {f.segments:>8}  {details}"


def run_summary(result, out) -> str:
    """What a full run did: inputs, segments, redactions, codes, topics, quotes, timings."""
    inputs = len({document.source_path for document in result.documents})
    lines = [f"inputs: {inputs} files used; documents: {len(result.documents)}; "
             f"segments: {len(result.segments)}; rejected inputs: {len(result.rejected)}"]
    lines += [f"rejected: {reason}" for _, reason in result.rejected]
    redactions = ", ".join(f"{label} {n}" for label, n in result.redactions.items()) or "none"
    lines.append(f"redactions: {redactions}")
    by_code = Counter(c.code_id for c in result.codings)
    if result.codebook is not None:
        lines.append("codings: " + ", ".join(f"{code} {by_code.get(code, 0)}" for code in result.codebook.ids))
    emergent = sum(1 for t in result.topics if t.code_id is None)
    set_aside = describe_set_aside(result.topics_set_aside)
    lines.append(f"topics: {len(result.topics)} ({emergent} outside the codebook)"
                 + (f"; set aside before clustering: {set_aside}" if set_aside else "")
                 + f"; quotes: {len(result.quotes)}")
    lines += [f"warning: {warning}" for warning in result.warnings]
    lines.append("timings: " + ", ".join(f"{s.name} {s.seconds:.1f}s" for s in result.stages))
    lines.append(f"outputs: {out}")
    return "\n".join(lines)
