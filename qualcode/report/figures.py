"""The numbers every report writer shares, computed once from a :class:`RunResult`.

Units are explicit. *Prevalence* counts people: the participants (transcripts, notes) or
respondents (survey rows) with at least one codable segment that carries the code, as a share
of those with any codable segment. Segment counts are given beside them and labelled as such.

Small groups: in every breakdown (by role, locality, wave...) a group of fewer than
``min_group`` people, or a count of 1 to ``min_group - 1`` people, is shown as ``"<5"`` and its
percentage withheld, the same rule the quote stage applies to attributions. Zeros are shown.
Overall figures (the whole sample) are not suppressed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping

import pandas as pd

from qualcode.model import MIN_GROUP, SURVEY, Document, Segment, analysable
from qualcode.results import RunResult

# Attributes that identify a row rather than describe a group: never broken down by.
_ID_LIKE = {"id", "row", "respondent id", "case", "case id", "participant", "participant id",
            "email", "name"}
# Attributes users most expect first, in this order; the rest follow alphabetically.
_PREFERRED = ("role", "job role", "site", "locality", "region", "area", "wave", "survey wave",
              "time in role")
_BASELINE = re.compile(r"^\s*(baseline|pre\b|before|t0\b|t1\b|wave\s*1\b|time\s*1\b)", re.I)
_FOLLOW_UP = re.compile(r"^\s*(follow[\s-]*up|post\b|after|endline|t2\b|wave\s*2\b|time\s*2\b)",
                        re.I)
_WAVE_NAME = re.compile(r"wave|phase|time_?point|round|period", re.I)


@dataclass(frozen=True)
class Wave:
    """The attribute that separates baseline from follow-up, and its two values."""

    attribute: str
    baseline: str
    follow_up: str


@dataclass(frozen=True)
class Figures:
    unit: str  # "participants", "respondents" or "participants and respondents"
    code_names: Mapping[str, str]  # code id -> name, codebook order first
    prevalence: pd.DataFrame  # one row per code
    breakdowns: Mapping[str, pd.DataFrame]  # attribute -> one row per (value, code)
    wave: Wave | None
    change: pd.DataFrame | None  # one row per code: baseline vs follow-up
    cooccurrence: pd.DataFrame  # code x code, segments carrying both (diagonal: the code)
    topics: pd.DataFrame  # one row per topic, largest first
    counts: Mapping[str, object]
    min_group: int = MIN_GROUP
    group_sizes: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def compute_figures(result: RunResult, min_group: int = MIN_GROUP) -> Figures:
    """Every table the writers need, as pandas DataFrames."""
    codable = analysable(result.segments)
    people = _people(result.documents, codable)
    names = _code_names(result)
    coded = _coded_pairs(result, {s.id for s in codable})
    doc_of = {s.id: s.doc_id for s in codable}
    docs_with = {code: {doc_of[seg] for seg, c in coded if c == code} for code in names}
    segs_with = {code: {seg for seg, c in coded if c == code} for code in names}
    attributes = breakdown_attributes(people)
    wave = detect_wave(people, attributes)
    breakdowns = {a: _breakdown(a, people, names, docs_with, min_group) for a in attributes}
    return Figures(
        unit=unit_name(people),
        code_names=names,
        prevalence=_prevalence(names, docs_with, segs_with, len(people), len(codable)),
        breakdowns=breakdowns,
        wave=wave,
        change=_change(wave, breakdowns, names) if wave else None,
        cooccurrence=_cooccurrence(names, coded),
        topics=_topics(result, names, doc_of),
        counts=_counts(result, codable, coded, names),
        min_group=min_group,
        group_sizes={a: _group_sizes(a, people) for a in attributes},
    )


def unit_name(documents: list[Document]) -> str:
    kinds = {d.kind == SURVEY for d in documents}
    if kinds == {True}:
        return "respondents"
    if kinds == {True, False}:
        return "participants and respondents"
    return "participants"


def attribute_value(document: Document, attribute: str) -> str:
    """The document's value of ``attribute``, matching names regardless of case, spaces and
    underscores (``Time in role`` and ``time_in_role`` are one attribute across inputs)."""
    wanted = _normalise(attribute)
    for key, value in document.attributes.items():
        if _normalise(key) == wanted:
            return value.strip()
    return ""


def breakdown_attributes(documents: list[Document]) -> list[str]:
    """Attributes worth a breakdown: 2 to 12 values, some value shared, not a numeric score.

    Names that differ only in case, spaces or underscores are one attribute, named by its
    commonest spelling. Preferred attributes (role, site, locality, wave...) come first.
    """
    spellings = Counter(k for d in documents for k in d.attributes)
    labels: dict[str, str] = {}
    for key, _ in sorted(spellings.items(), key=lambda kv: (-kv[1], kv[0])):
        labels.setdefault(_normalise(key), key)
    chosen = []
    for norm, label in labels.items():
        values = [v for v in (attribute_value(d, label) for d in documents) if v]
        distinct = set(values)
        numeric = all(_is_number(v) for v in distinct) and len(distinct) > 2
        if norm not in _ID_LIKE and 2 <= len(distinct) <= 12 and len(distinct) < len(values) \
                and not numeric:
            chosen.append(label)
    return sorted(chosen, key=lambda k: (_PREFERRED.index(_normalise(k))
                                         if _normalise(k) in _PREFERRED else 99, k.casefold()))


def detect_wave(documents: list[Document], attributes: list[str]) -> Wave | None:
    """Baseline/follow-up values if an attribute has them, else a wave-named 2-value attribute."""
    for key in attributes:
        values = ordered_values(key, documents)
        base = [v for v in values if _BASELINE.match(v)]
        follow = [v for v in values if _FOLLOW_UP.match(v)]
        if len(base) == 1 and len(follow) == 1:
            return Wave(key, base[0], follow[0])
    for key in attributes:
        values = ordered_values(key, documents)
        if _WAVE_NAME.search(key) and len(values) == 2:
            return Wave(key, values[0], values[1])
    return None


def ordered_values(key: str, documents: list[Document]) -> list[str]:
    values = {v for v in (attribute_value(d, key) for d in documents) if v}

    def rank(value: str) -> tuple:
        order = 0 if _BASELINE.match(value) else 2 if _FOLLOW_UP.match(value) else 1
        return (order, value.casefold(), value)

    return sorted(values, key=rank)


def cell_text(count: int, size: int, min_group: int = MIN_GROUP) -> str:
    """``"7 of 12 (58%)"``, or ``"<5"`` when the group or the count is too small to show."""
    if size < min_group or 0 < count < min_group:
        return f"<{min_group}"
    return f"{count} of {size} ({percent(count, size)})"


def percent(count: int, size: int) -> str:
    return f"{round(100 * count / size)}%" if size else "n/a"


def _people(documents, codable: list[Segment]) -> list[Document]:
    with_text = {s.doc_id for s in codable}
    return [d for d in documents if d.id in with_text]


def _code_names(result: RunResult) -> dict[str, str]:
    names = {c.id: c.name for c in result.codebook.codes} if result.codebook else {}
    for code in sorted({c.code_id for c in result.codings} - set(names)):
        names[code] = code
    return names


def _coded_pairs(result: RunResult, codable_ids: set[str]) -> list[tuple[str, str]]:
    """Distinct (segment, code) pairs on codable segments, in a stable order."""
    pairs = {(c.segment_id, c.code_id) for c in result.codings if c.segment_id in codable_ids}
    return sorted(pairs)


def _prevalence(names, docs_with, segs_with, n_people: int, n_segments: int) -> pd.DataFrame:
    rows = [{"code_id": code, "code": name,
             "people": len(docs_with[code]), "people_base": n_people,
             "people_pct": _pct(len(docs_with[code]), n_people),
             "segments": len(segs_with[code]), "segments_base": n_segments,
             "segments_pct": _pct(len(segs_with[code]), n_segments)}
            for code, name in names.items()]
    return pd.DataFrame(rows, columns=["code_id", "code", "people", "people_base", "people_pct",
                                       "segments", "segments_base", "segments_pct"])


def _group_sizes(key: str, people: list[Document]) -> dict[str, int]:
    counts = Counter(attribute_value(d, key) for d in people)
    return {v: counts[v] for v in ordered_values(key, people)}


def _breakdown(key, people, names, docs_with, min_group) -> pd.DataFrame:
    rows = []
    for value in ordered_values(key, people):
        members = {d.id for d in people if attribute_value(d, key) == value}
        for code, name in names.items():
            count = len(members & docs_with[code])
            hidden = len(members) < min_group or 0 < count < min_group
            rows.append({"attribute": key, "value": value, "code_id": code, "code": name,
                         "group_size": len(members), "count": count,
                         "pct": float("nan") if hidden else _pct(count, len(members)),
                         "suppressed": hidden,
                         "group_text": str(len(members)) if len(members) >= min_group
                         else f"<{min_group}",
                         "text": cell_text(count, len(members), min_group)})
    return pd.DataFrame(rows, columns=["attribute", "value", "code_id", "code", "group_size",
                                       "count", "pct", "suppressed", "group_text", "text"])


def _change(wave: Wave, breakdowns, names) -> pd.DataFrame:
    frame = breakdowns[wave.attribute]
    rows = []
    for code, name in names.items():
        cells = frame[frame.code_id == code].set_index("value")
        base, follow = cells.loc[wave.baseline], cells.loc[wave.follow_up]
        hidden = bool(base.suppressed or follow.suppressed)
        rows.append({"code_id": code, "code": name,
                     "baseline_text": base.text, "follow_up_text": follow.text,
                     "baseline_pct": base.pct, "follow_up_pct": follow.pct,
                     "change_pp": float("nan") if hidden else round(follow.pct - base.pct, 1),
                     "suppressed": hidden})
    return pd.DataFrame(rows)


def _cooccurrence(names, coded) -> pd.DataFrame:
    codes = list(names)
    matrix = pd.DataFrame(0, index=codes, columns=codes, dtype="int64")
    by_segment: dict[str, list[str]] = {}
    for segment, code in coded:
        by_segment.setdefault(segment, []).append(code)
    for applied in by_segment.values():
        for a in applied:
            for b in applied:
                matrix.loc[a, b] += 1
    return matrix


def _topics(result: RunResult, names, doc_of) -> pd.DataFrame:
    rows = [{"topic_id": t.id, "label": t.label, "keywords": ", ".join(t.keywords),
             "size": t.size, "documents": len({doc_of.get(s, s.split(":")[0])
                                               for s in t.segment_ids}),
             "code_id": t.code_id or "", "code": names.get(t.code_id, t.code_id or ""),
             "emergent": t.code_id is None}
            for t in result.topics if t.id != -1]
    frame = pd.DataFrame(rows, columns=["topic_id", "label", "keywords", "size", "documents",
                                        "code_id", "code", "emergent"])
    return frame.sort_values(["size", "topic_id"], ascending=[False, True], kind="stable",
                             ignore_index=True)


def _counts(result: RunResult, codable, coded, names) -> dict[str, object]:
    coded_segments = {s for s, _ in coded}
    return {
        "inputs": len({d.source_path for d in result.documents}) + len(result.rejected),
        "documents": len(result.documents),
        "documents_by_kind": dict(sorted(Counter(d.kind for d in result.documents).items())),
        "segments": len(result.segments),
        "segments_by_role": dict(sorted(Counter(s.role or "other"
                                                for s in result.segments).items())),
        "codable_segments": len(codable),
        "coded_segments": len(coded_segments),
        "uncoded_segments": len(codable) - len(coded_segments),
        "codings": len(coded),
        "codes_applied": len({c for _, c in coded}),
        "codes_in_codebook": len(result.codebook.codes) if result.codebook else 0,
        "topics": sum(1 for t in result.topics if t.id != -1),
        "emergent_topics": sum(1 for t in result.topics if t.id != -1 and t.code_id is None),
        "outlier_segments": sum(1 for t in result.topic_of_segment.values() if t == -1),
        "topics_set_aside": dict(result.topics_set_aside),  # reason -> segments, among the -1s
        "quotes": len(result.quotes),
        "rejected": len(result.rejected),
        "warnings": len(result.warnings),
    }


def _normalise(name: str) -> str:
    return " ".join(name.replace("_", " ").replace("-", " ").casefold().split())


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _pct(count: int, size: int) -> float:
    return round(100 * count / size, 1) if size else 0.0
