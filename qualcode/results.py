"""What a full run produced, as one typed value that the report and export writers read.

Everything in it is already redacted: documents and segments carry pseudonymised text and
speaker names, so no writer can leak what the redaction stage removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from qualcode.model import (AuditEntry, Codebook, Coding, Document, Quote, Segment, SourceRecord, Topic,
                            frozen_mapping)


@dataclass(frozen=True)
class StageInfo:
    """One stage as the methods section describes it."""

    name: str  # ingest | segment | redact | code | topics | quotes | report
    description: str  # one sentence of what was done, e.g. "spaCy NER + UK patterns"
    seconds: float = 0.0
    settings: Mapping[str, str] = field(default_factory=frozen_mapping)


@dataclass(frozen=True)
class RunResult:
    documents: tuple[Document, ...]
    segments: tuple[Segment, ...]
    codebook: Codebook | None = None
    codings: tuple[Coding, ...] = ()
    topics: tuple[Topic, ...] = ()
    topic_of_segment: Mapping[str, int] = field(default_factory=dict)  # -1 = outlier or set aside
    # Segments set aside before topic modelling, by reason ("filler", "nothing_to_improve").
    topics_set_aside: Mapping[str, int] = field(default_factory=dict)
    quotes: tuple[Quote, ...] = ()
    quote_note: str = ""  # the small-group suppression rule, stated in outputs
    redactions: Mapping[str, int] = field(default_factory=dict)  # label -> count
    stages: tuple[StageInfo, ...] = ()
    versions: Mapping[str, str] = field(default_factory=dict)  # package -> version
    rejected: tuple[tuple[str, str], ...] = ()  # (input, reason)
    warnings: tuple[str, ...] = ()
    # Agreement rows (code, coder_a, coder_b, n_segments, kappa, percent_agreement, alpha)
    # when human codes were given; empty otherwise.
    agreement: tuple[Mapping[str, object], ...] = ()
    human_codings: tuple[Coding, ...] = ()  # from --codings; those by people are stored
    title: str = "qualcode report"
    sources: tuple[SourceRecord, ...] = ()  # the input files read: the store and manifest list them
    audit: tuple[AuditEntry, ...] = ()  # every replacement, without the text it replaced
