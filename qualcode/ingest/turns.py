"""Find speaker turns in plain-text transcripts.

Recognises the labels transcribers actually use at the start of a line::

    Interviewer: ...      I: ...        INT: ...        Q: ...
    P4: ...               Participant 3: ...            R: ...
    Sarah: ...            Dr Amira Khan: ...            sarah: ...
    [00:01:02] Speaker 1: ...           00:01:02 Speaker 1: ...

Role labels (Interviewer, P4...) count from their first use. Other labels (names) only count
when they recur, so a one-off "Date: 12 March" or "Note: ..." line in a set of notes does
not turn the notes into a transcript. Lines without a label continue the previous turn.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from qualcode.model import INTERVIEWER, PARTICIPANT, PREAMBLE, Region, frozen_mapping

_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_LABEL = r"(?P<label>[^\W\d_][\w.'’\-]*(?:[ ][\w.'’\-]+){0,3})"
_LINE = re.compile(
    rf"^[ \t]*(?:[\[(]?(?P<time>{_CLOCK})[\])]?[ \t]*)?{_LABEL}"
    rf"[ \t]*(?:[\[(]?(?P<time_after>{_CLOCK})[\])]?[ \t]*)?:[ \t]*",
    re.MULTILINE)

_INTERVIEWER_LABELS = re.compile(
    r"^(?:interviewer(?:\s*\d+)?|int|i|q|moderator|researcher|facilitator|interviewer\s*\(\w+\))$",
    re.IGNORECASE)
_PARTICIPANT_LABELS = re.compile(
    r"^(?:p\s*\d+|participant(?:\s*\d+)?|respondent(?:\s*\d+)?|interviewee(?:\s*\d+)?|r|a"
    r"|speaker\s*\d+|sp\s*\d+|[a-z]{1,3}\d{1,4})$",
    re.IGNORECASE)
# Header-like words that are followed by a colon in notes and metadata, never speakers.
_NOT_SPEAKERS = {
    "date", "time", "location", "venue", "note", "notes", "theme", "themes", "summary",
    "key points", "actions", "action", "attendees", "present", "apologies", "topic", "question",
    "answer", "subject", "re", "duration", "length", "transcript", "interview", "recording",
    "http", "https", "tel", "email", "e-mail", "phone", "mobile", "address", "role", "site",
    "wave", "case", "ps", "nb", "eg", "e.g", "i.e", "see", "update", "outcome", "outcomes",
}
_MIN_RECURRENCE = 2
_QUESTION_SHARE = 0.5


@dataclass(frozen=True)
class _Label:
    start: int  # start of the line
    text_start: int  # first character after "Label: "
    label: str
    time: str | None


def find_turns(text: str, interviewer: str | None = None) -> tuple[Region, ...]:
    """Return one region per speaker turn, or ``()`` when ``text`` is not a transcript.

    ``interviewer`` names the label of the interviewer when the labels alone do not say
    (``Speaker 1``, or a person's name); it comes from front matter or a WebVTT NOTE.
    """
    labels = _speaker_labels(text)
    if not labels:
        return ()
    ends = [label.start for label in labels[1:]] + [len(text)]
    bodies = [text[label.text_start:end] for label, end in zip(labels, ends)]
    interviewers = interviewer_labels_for([label.label for label in labels], bodies, interviewer)
    regions: list[Region] = []
    if text[: labels[0].start].strip():
        start, end = _trim(text, 0, labels[0].start)
        regions.append(Region(start, end, role=PREAMBLE, key="0"))
    for number, (label, following) in enumerate(zip(labels, [*labels[1:], None]), start=1):
        start, end = _trim(text, label.text_start, following.start if following else len(text))
        role = INTERVIEWER if normalise_label(label.label) in interviewers else PARTICIPANT
        attributes = {"time": label.time} if label.time else {}
        regions.append(Region(start, end, speaker=label.label, role=role, key=str(number),
                              attributes=frozen_mapping(attributes)))
    return tuple(regions)


def _speaker_labels(text: str) -> list[_Label]:
    candidates = []
    for match in _LINE.finditer(text):
        label = match.group("label").strip()
        if normalise_label(label) in _NOT_SPEAKERS or normalise_label(label).startswith(("http", "www")):
            continue
        time = match.group("time") or match.group("time_after")
        candidates.append(_Label(match.start(), match.end(), label, time))
    counts = Counter(normalise_label(c.label) for c in candidates)
    kept = [c for c in candidates
            if _is_role_label(c.label) or counts[normalise_label(c.label)] >= _MIN_RECURRENCE]
    # A transcript has at least two turns; a single label line is a note, not a dialogue.
    return kept if len(kept) >= 2 else []


def interviewer_labels_for(labels: list[str], bodies: list[str], declared: str | None) -> set[str]:
    """The normalised labels that belong to the interviewer.

    In order: the label declared in front matter or a NOTE; role labels such as
    ``Interviewer`` or ``I``; else the one speaker who mostly asks questions.
    """
    if declared:
        return {normalise_label(declared)}
    names = {normalise_label(label) for label in labels if label}
    explicit = {name for name in names if _INTERVIEWER_LABELS.match(name)}
    if explicit:
        return explicit
    return _interviewer_by_questions(labels, bodies)


def _interviewer_by_questions(labels: list[str], bodies: list[str]) -> set[str]:
    """With only names or "Speaker N" labels, the interviewer is who mostly asks questions."""
    asked: Counter[str] = Counter()
    turns: Counter[str] = Counter()
    for label, body in zip(labels, bodies):
        name = normalise_label(label)
        turns[name] += 1
        asked[name] += body.rstrip().endswith("?")
    if len(turns) < 2:
        return set()
    shares = {name: asked[name] / turns[name] for name in turns}
    best = max(sorted(shares), key=lambda name: shares[name])
    others = [share for name, share in shares.items() if name != best]
    if shares[best] >= _QUESTION_SHARE and all(share < shares[best] / 2 for share in others):
        return {best}
    return set()


def _is_role_label(label: str) -> bool:
    name = normalise_label(label)
    return bool(_INTERVIEWER_LABELS.match(name) or _PARTICIPANT_LABELS.match(name))


def normalise_label(label: str) -> str:
    return " ".join(label.lower().split())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
