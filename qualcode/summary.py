"""Plain-text summaries of what a command did, for the terminal.

They show counts, file names and reasons, never input text or speaker names: terminals
and CI logs are outputs too.
"""

from __future__ import annotations

from qualcode.model import SURVEY, TRANSCRIPT
from qualcode.pipeline import FileReport, IngestReport


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
