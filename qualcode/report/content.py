"""What the HTML and DOCX reports say, built once so both say exactly the same.

Everything here is plain strings and tuples: the writers only lay it out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath
from typing import Mapping

from qualcode.lexicon.filler import set_aside_name
from qualcode.redact.file_names import NAME_IN_FILE_NAME
from qualcode.report.charts import Chart, all_charts
from qualcode.report.figures import Figures, compute_figures, percent
from qualcode.report.methods import methods_paragraphs, redaction_label
from qualcode.results import RunResult

SECTIONS = (("overview", "Overview"), ("methods", "Methods"), ("codes", "Codes"),
            ("cooccurrence", "Codes that occur together"), ("topics", "Topics"),
            ("appendix-codebook", "Appendix: codebook"))


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class QuoteView:
    """A quote as the report shows it: no document or segment id, which hold file names."""

    text: str
    attribution: str


@dataclass(frozen=True)
class CodeView:
    id: str
    anchor: str
    name: str
    definition: str
    include: str
    exclude: str
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...]
    keywords: tuple[str, ...]
    summary: str
    breakdown: Table | None
    change: str
    quotes: tuple[QuoteView, ...]


@dataclass(frozen=True)
class TopicView:
    id: int
    anchor: str
    label: str
    keywords: str
    summary: str
    emergent: bool
    quotes: tuple[QuoteView, ...]


@dataclass(frozen=True)
class ReportContent:
    title: str
    unit: str
    overview: Table
    rejected: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]
    methods: tuple[str, ...]
    stages: Table
    versions: Table | None
    redactions: Table | None
    agreement: Table | None
    prevalence: Table
    breakdowns: tuple[tuple[str, Table], ...]  # (chart key, table) per attribute
    change: Table | None
    codes: tuple[CodeView, ...]
    cooccurrence: Table
    topic_table: Table | None
    topics: tuple[TopicView, ...]
    charts: Mapping[str, Chart]
    quote_note: str
    suppression_note: str
    sections: tuple[tuple[str, str], ...] = SECTIONS


def build_content(result: RunResult, figures: Figures | None = None) -> ReportContent:
    """The report's content: tables as display strings, prose, quotes and charts."""
    figures = figures or compute_figures(result)
    quotes = _quotes_by_theme(result)
    n = figures.min_group
    return ReportContent(
        title=result.title,
        unit=figures.unit,
        overview=_overview(result, figures),
        rejected=tuple(_shareable(path, reason) for path, reason in result.rejected),
        warnings=tuple(result.warnings),
        methods=tuple(methods_paragraphs(result, figures)),
        stages=Table("Stages of the run", ("Stage", "What was done", "Settings", "Seconds"),
                     tuple((s.name, s.description, _settings(s.settings), f"{s.seconds:.1f}")
                           for s in result.stages)),
        versions=Table("Software versions", ("Package", "Version"),
                       tuple(sorted(result.versions.items()))) if result.versions else None,
        redactions=_redactions(result),
        agreement=_agreement(result),
        prevalence=_prevalence(figures),
        breakdowns=tuple((f"breakdown-{a}", _breakdown_table(figures, a))
                         for a in figures.breakdowns),
        change=_change_table(figures),
        codes=tuple(_code_view(result, figures, code, quotes) for code in figures.code_names),
        cooccurrence=_cooccurrence(figures),
        topic_table=_topic_table(figures),
        topics=tuple(_topic_view(r, quotes) for r in figures.topics.itertuples()),
        charts=all_charts(figures),
        quote_note=result.quote_note,
        suppression_note=(f"Groups of fewer than {n} {figures.unit} and counts of 1 to {n - 1} "
                          f"are shown as \u201c<{n}\u201d."),
    )


def _redactions(result: RunResult) -> Table | None:
    if not result.redactions:
        return None
    ordered = sorted(result.redactions.items(), key=lambda kv: (-kv[1], kv[0]))
    return Table("Personal data replaced, by type", ("Type", "Label", "Replacements"),
                 tuple((redaction_label(label), label, str(n)) for label, n in ordered))


def _prevalence(figures: Figures) -> Table:
    return Table(
        f"Prevalence of each code: {figures.unit} whose answers mention it, and segments",
        ("Code", "Mentioned by", "%", "Segments", "% of segments"),
        tuple((r.code, f"{r.people} of {r.people_base}", percent(r.people, r.people_base),
               f"{r.segments} of {r.segments_base}", percent(r.segments, r.segments_base))
              for r in figures.prevalence.itertuples()))


def _cooccurrence(figures: Figures) -> Table:
    matrix, names = figures.cooccurrence, figures.code_names
    return Table("Segments carrying both codes (diagonal: segments carrying the code)",
                 ("",) + tuple(names[c] for c in matrix.columns),
                 tuple((names[code],) + tuple(str(int(v)) for v in row)
                       for code, row in zip(matrix.index, matrix.to_numpy())))


def _topic_table(figures: Figures) -> Table | None:
    if not len(figures.topics):
        return None
    rows = tuple((r.label, r.keywords, str(r.size), str(r.documents),
                  "none: emergent" if r.emergent else r.code)
                 for r in figures.topics.itertuples())
    set_aside = tuple((f"Not clustered: {set_aside_name(reason)}",
                       "set aside before topic modelling", str(n), "", "")
                      for reason, n in figures.counts["topics_set_aside"].items() if n)
    return Table("Topics, largest first", ("Topic", "Keywords", "Segments", "Documents", "Matches code"),
                 rows + set_aside)


def _shareable(path: str, reason: str) -> tuple[str, str]:
    """A rejected input as a shared report may show it: the file's name without its folders
    (which may name a person, a home folder say), and no name at all for a file refused
    because its name seems to hold a person's (the terminal summary names it)."""
    if NAME_IN_FILE_NAME in reason:
        return ("(name withheld)", f"not used: {NAME_IN_FILE_NAME}; the run's summary on the "
                                   "terminal says which file to rename")
    name = PurePath(path).name
    return name, reason.replace(path, name)


def anchor(prefix: str, key: object) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", str(key).lower()).strip("-") or "x"
    return f"{prefix}-{slug}"


def _overview(result: RunResult, figures: Figures) -> Table:
    counts = figures.counts
    kind_of = {d.id: d.kind for d in result.documents}
    seg_kinds = Counter(kind_of.get(s.doc_id, "unknown") for s in result.segments)
    rows = [
        ("Inputs", f"{counts['inputs']} ({counts['rejected']} rejected)"),
        ("Documents", _breakdown_text(counts["documents"], counts["documents_by_kind"])),
        ("Segments", _breakdown_text(counts["segments"], dict(sorted(seg_kinds.items())))),
        ("Segments by speaker role",
         _breakdown_text(counts["segments"], counts["segments_by_role"])),
        ("Segments eligible for coding", str(counts["codable_segments"])),
        ("Segments coded", f"{counts['coded_segments']} ({counts['uncoded_segments']} uncoded)"),
        ("Code assignments", str(counts["codings"])),
        ("Codes applied", f"{counts['codes_applied']} of {len(figures.code_names)}"),
        ("Topics", f"{counts['topics']} ({counts['emergent_topics']} emergent)"),
        ("Quotes", str(counts["quotes"])),
        ("Warnings", str(counts["warnings"])),
    ]
    return Table("What went in and what came out", ("Item", "Count"), tuple(rows))


def _breakdown_text(total: int, parts: Mapping[str, int]) -> str:
    inner = ", ".join(f"{n} {k}" for k, n in parts.items())
    return f"{total} ({inner})" if inner else str(total)


def _settings(settings: Mapping[str, str]) -> str:
    return "; ".join(f"{k} = {v}" for k, v in sorted(settings.items()))


def _agreement(result: RunResult) -> Table | None:
    if not result.agreement:
        return None
    keys = ("code", "coder_a", "coder_b", "n_segments", "kappa", "percent_agreement", "alpha")
    header = ("Code", "Coder A", "Coder B", "Segments", "Kappa", "% agreement", "Alpha")
    return Table("Inter-coder agreement", header,
                 tuple(tuple(_number(row.get(k, "")) for k in keys) for row in result.agreement))


def _number(value: object) -> str:
    if isinstance(value, float):
        return "n/a" if value != value else f"{value:.2f}"
    return str(value)


def _breakdown_table(figures: Figures, attribute: str) -> Table:
    frame = figures.breakdowns[attribute]
    label = attribute.replace("_", " ").capitalize()
    rows = []
    for value in dict.fromkeys(frame.value):
        cells = frame[frame.value == value]
        rows.append((value, cells.group_text.iloc[0]) + tuple(cells.text))
    return Table(f"By {label.lower()}: {figures.unit} whose answers mention each code",
                 (label, "Group size") + tuple(figures.code_names.values()), tuple(rows),
                 note=f"Cells with fewer than {figures.min_group} {figures.unit} are shown as "
                      f"\u201c<{figures.min_group}\u201d.")


def _change_table(figures: Figures) -> Table | None:
    if figures.change is None:
        return None
    wave = figures.wave
    rows = tuple((r.code, r.baseline_text, r.follow_up_text, _pp(r.change_pp))
                 for r in figures.change.itertuples())
    return Table(f"Change from {wave.baseline} to {wave.follow_up} ({wave.attribute})",
                 ("Code", wave.baseline, wave.follow_up, "Change (percentage points)"), rows,
                 note="Baseline and follow-up groups are compared as groups; people are not "
                      "matched across waves.")


def _pp(value) -> str:
    if value is None or value != value:
        return "suppressed"
    return f"{value:+.0f}"


def _code_view(result: RunResult, figures: Figures, code_id: str, quotes) -> CodeView:
    code = result.codebook.code(code_id) if result.codebook and code_id in result.codebook.ids \
        else None
    row = figures.prevalence.set_index("code_id").loc[code_id]
    summary = (f"Mentioned by {row.people} of {row.people_base} {figures.unit} "
               f"({percent(row.people, row.people_base)}), in {row.segments} of "
               f"{row.segments_base} segments ({percent(row.segments, row.segments_base)}).")
    breakdown_rows = []
    for attribute, frame in figures.breakdowns.items():
        label = attribute.replace("_", " ").capitalize()
        for cell in frame[frame.code_id == code_id].itertuples():
            breakdown_rows.append((label, cell.value, cell.group_text, cell.text))
    breakdown = Table(f"{figures.code_names[code_id]} by attribute",
                      ("Attribute", "Group", "Group size", "Mentioning the code"),
                      tuple(breakdown_rows)) if breakdown_rows else None
    change = ""
    if figures.change is not None:
        c = figures.change.set_index("code_id").loc[code_id]
        change = (f"{figures.wave.baseline}: {c.baseline_text}; {figures.wave.follow_up}: "
                  f"{c.follow_up_text}; change: " +
                  (f"{_pp(c.change_pp)} percentage points." if not c.suppressed
                   else "not shown (small numbers)."))
    return CodeView(code_id, anchor("code", code_id), figures.code_names[code_id],
                    code.definition if code else "", code.include if code else "",
                    code.exclude if code else "", code.examples if code else (),
                    code.counterexamples if code else (), code.keywords if code else (),
                    summary, breakdown, change, quotes.get(code_id, ()))


def _topic_view(row, quotes) -> TopicView:
    summary = (f"{row.size} segments from {row.documents} documents. " +
               ("Emergent theme: outside the codebook." if row.emergent
                else f"Most of its segments carry the code \u201c{row.code}\u201d."))
    return TopicView(int(row.topic_id), anchor("topic", row.topic_id), row.label, row.keywords,
                     summary, bool(row.emergent), quotes.get(f"topic:{row.topic_id}", ()))


def _quotes_by_theme(result: RunResult) -> dict[str, tuple[QuoteView, ...]]:
    grouped: dict[str, list] = {}
    for quote in sorted(result.quotes, key=lambda q: (q.theme, -q.score, q.segment_id)):
        grouped.setdefault(quote.theme, []).append(QuoteView(quote.text, quote.attribution))
    return {theme: tuple(views) for theme, views in grouped.items()}
