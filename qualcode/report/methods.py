"""The methods section, written from what the run actually did.

Every sentence comes from the :class:`RunResult`: its stages, settings, counts and versions.
Nothing is claimed that the run did not record, so an evaluator can paste the paragraphs into
their own report.
"""

from __future__ import annotations

import math
from collections import Counter

from qualcode.lexicon.filler import NOTHING_TO_IMPROVE, describe_set_aside
from qualcode.model import INTERVIEWER, NOTES, SURVEY, TRANSCRIPT
from qualcode.report.figures import Figures
from qualcode.results import RunResult

_REDACTION_LABELS = {
    "PERSON": "names of people", "EMAIL": "email addresses", "PHONE": "telephone numbers",
    "POSTCODE": "postcodes", "ADDRESS": "addresses", "NHS_NUMBER": "NHS numbers",
    "NI_NUMBER": "National Insurance numbers", "DATE": "dates", "AGE": "ages",
    "ORGANISATION": "organisations", "ORG": "organisations", "LOCATION": "places",
    "LOC": "places", "GPE": "places", "FAC": "buildings and facilities", "URL": "web addresses",
    "IP_ADDRESS": "IP addresses", "HANDLE": "social media handles", "CARD": "card numbers",
    "IBAN": "bank account numbers", "ID_NUMBER": "other identifying numbers",
}
_KIND_NAMES = {TRANSCRIPT: ("interview transcript", "interview transcripts"),
               NOTES: ("set of notes", "sets of notes"),
               SURVEY: ("survey response", "survey responses")}


def redaction_label(label: str) -> str:
    return _REDACTION_LABELS.get(label.upper(), label.replace("_", " ").lower())


def methods_paragraphs(result: RunResult, figures: Figures) -> list[str]:
    """Plain-prose paragraphs describing the run, in pipeline order."""
    paragraphs = [_data_paragraph(result, figures)]
    stages = {s.name: s for s in result.stages}
    if "redact" in stages or result.redactions:
        paragraphs.append(_redaction_paragraph(result))
    if "code" in stages or result.codings:
        paragraphs.append(_coding_paragraph(result, figures))
    if result.agreement:
        paragraphs.append(_agreement_paragraph(result))
    if "topics" in stages or result.topics:
        paragraphs.append(_topics_paragraph(result, figures))
    if "quotes" in stages or result.quotes:
        paragraphs.append(_quotes_paragraph(result))
    paragraphs.append(
        f"Prevalence is the share of {figures.unit} with at least one segment carrying a code. "
        f"In breakdowns by attribute, groups of fewer than {figures.min_group} people and "
        f"counts of 1 to {figures.min_group - 1} are shown as \u201c<{figures.min_group}\u201d "
        "so that no individual can be singled out; overall figures are shown in full.")
    if result.versions:
        software = ", ".join(f"{name} {version}"
                             for name, version in sorted(result.versions.items()))
        paragraphs.append(f"The analysis was run offline with {software}. The same inputs, "
                          "settings and versions give the same results.")
    return paragraphs


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _data_paragraph(result: RunResult, figures: Figures) -> str:
    counts = figures.counts
    kinds = Counter(d.kind for d in result.documents)
    order = list(_KIND_NAMES)
    described = [plural(n, *_KIND_NAMES.get(kind, (kind, kind + "s"))) for kind, n
                 in sorted(kinds.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order
                                                          else len(order), kv[0]))]
    interviewer = sum(1 for s in result.segments if s.role == INTERVIEWER)
    text = (f"The material comprised {_join(described) or 'no documents'} from "
            f"{plural(counts['inputs'] - counts['rejected'], 'input file')}, divided into "
            f"{plural(counts['segments'], 'segment')} (speaker turns, survey answers or note "
            f"bullets), of which {counts['codable_segments']} were eligible for coding.")
    if interviewer:
        text += (f" {plural(interviewer, 'interviewer turn')} "
                 f"{_were(interviewer)} kept for context but not coded or quoted.")
    if result.rejected:
        text += (f" {plural(len(result.rejected), 'input')} could not be used and "
                 f"{_were(len(result.rejected))} set aside with a reason "
                 "(listed in the overview).")
    return text + _stage_tail(result, "ingest", "segment")


def _redaction_paragraph(result: RunResult) -> str:
    total = sum(result.redactions.values())
    found = "; ".join(f"{redaction_label(label)}: {n}" for label, n
                      in sorted(result.redactions.items(), key=lambda kv: (-kv[1], kv[0])))
    text = ("Personal data were replaced with consistent pseudonyms before analysis "
            f"({plural(total, 'replacement')}" + (f": {found}" if found else "") + "). "
            "Every later stage, and this report, saw only the redacted text; the "
            "re-identification key was kept apart from the outputs.")
    return text + _stage_tail(result, "redact")


def _coding_paragraph(result: RunResult, figures: Figures) -> str:
    counts = figures.counts
    book = result.codebook
    name = f"the codebook \u201c{book.name}\u201d (version {book.version}, " if book and book.name \
        else f"the codebook (version {book.version}, " if book else "the codes ("
    methods = Counter(c.method for c in result.codings)
    by_method = _join([plural(n, f"{m} assignment") for m, n in sorted(methods.items())])
    text = (f"Segments were coded against {name}{plural(len(figures.code_names), 'code')}). "
            f"{plural(counts['codings'], 'code assignment')} {_were(counts['codings'])} made to "
            f"{plural(counts['coded_segments'], 'segment')}"
            + (f" ({by_method})" if by_method else "") + "; "
            f"{plural(counts['uncoded_segments'], 'eligible segment')} received no code. Each "
            "assignment records its method, confidence and the evidence behind it.")
    if book is not None and book.subject == "speaker":
        text += (" The codes describe the speaker's own experience, so a segment about someone "
                 "else that said nothing of the speaker was coded only where a keyword said so.")
    if book is not None and book.setting_terms:
        text += (" Words for roles, workplaces and colleagues common to every code were read as "
                 "generic words when comparing segments with the codebook.")
    return text + _stage_tail(result, "code")


def _agreement_paragraph(result: RunResult) -> str:
    kappas = [float(r["kappa"]) for r in result.agreement
              if isinstance(r.get("kappa"), (int, float)) and not math.isnan(float(r["kappa"]))]
    coders = sorted({str(r.get(k)) for r in result.agreement for k in ("coder_a", "coder_b")})
    text = (f"Inter-coder agreement was measured at segment level, code by code, between "
            f"{_join(coders)} (Cohen's kappa, Krippendorff's alpha and percent agreement; "
            "table below).")
    if kappas:
        text += (f" Kappa ranged from {min(kappas):.2f} to {max(kappas):.2f} "
                 f"(mean {sum(kappas) / len(kappas):.2f}).")
    return text


def _topics_paragraph(result: RunResult, figures: Figures) -> str:
    counts = figures.counts
    text = (f"Themes beyond the codebook were explored by topic modelling: "
            f"{plural(counts['topics'], 'topic')} {_were(counts['topics'])} found, "
            f"{counts['emergent_topics']} of them emergent (not matching any code)")
    set_aside = counts["topics_set_aside"]
    n_set_aside = sum(set_aside.values())
    if n_set_aside:
        text += (f"; {plural(n_set_aside, 'segment')} {_were(n_set_aside)} set aside before clustering "
                 f"({describe_set_aside(set_aside)})")
    if counts["outlier_segments"] > n_set_aside:
        text += f", and {plural(counts['outlier_segments'] - n_set_aside, 'segment')} fitted no topic"
    text += "."
    if set_aside.get(NOTHING_TO_IMPROVE):
        n, of = set_aside[NOTHING_TO_IMPROVE], len(result.topic_of_segment)
        text += (f" Answers saying only that nothing needed to change, perhaps with general praise "
                 f"(\u201cNothing, everything was great\u201d), were counted as \u2018nothing to "
                 f"improve\u2019 instead of forming a topic: {n} of {of} segments ({n / of:.0%}).")
    return text + _stage_tail(result, "topics")


def _quotes_paragraph(result: RunResult) -> str:
    n = len(result.quotes)
    text = (f"{plural(n, 'quote')} {_were(n)} selected to represent the codes and topics, "
            "attributed by pseudonymous identifier.")
    if result.quote_note:
        text += " " + result.quote_note.strip()
    return text + _stage_tail(result, "quotes")


def _stage_tail(result: RunResult, *names: str) -> str:
    """The recorded description and settings of the named stages, as sentences."""
    parts = []
    for stage in result.stages:
        if stage.name not in names:
            continue
        sentence = stage.description.strip().rstrip(".")
        if stage.settings:
            settings = ", ".join(f"{k} = {v}" for k, v in sorted(stage.settings.items()))
            sentence += f" (settings: {settings})"
        if sentence:
            parts.append(f" Method ({stage.name}): {sentence}.")
    return "".join(parts)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _were(n: int) -> str:
    return "was" if n == 1 else "were"
