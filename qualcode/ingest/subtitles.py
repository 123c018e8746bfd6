"""Readers for WebVTT (.vtt) and SubRip (.srt) transcripts from Teams and Zoom.

Cue timing is kept, ``<v Name>`` voice tags (Teams) or a leading ``Name:`` (Zoom) give the
speaker, and consecutive cues of one speaker are merged into one turn. The document text is
written as ``Speaker: words`` lines so it reads like any other transcript; each region covers
the words of one turn. ``NOTE interviewer: Name`` at the top of a .vtt marks the interviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qualcode.errors import InputError
from qualcode.ingest.decode import decode_bytes
from qualcode.ingest.source import Source
from qualcode.ingest.turns import interviewer_labels_for, normalise_label
from qualcode.model import INTERVIEWER, PARTICIPANT, TRANSCRIPT, Document, Region, frozen_mapping

_TIMING = re.compile(r"^\s*(?P<start>[\d:.,]+)\s*-->\s*(?P<end>[\d:.,]+)")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<name>[^>]+)>")
_TAG = re.compile(r"</?[^>]+>")
_ZOOM_SPEAKER = re.compile(r"^(?P<name>[^\W\d_][\w.'’\- ]{0,40}?):\s+")
_NOTE_INTERVIEWER = re.compile(r"^NOTE\s+interviewer:\s*(?P<name>.+?)\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class _Cue:
    start: str
    end: str
    speaker: str | None
    text: str


def read_subtitles(source: Source) -> list[Document]:
    raw = decode_bytes(source.read_bytes(), source.display)
    if source.suffix == ".vtt" and not raw.lstrip().startswith("WEBVTT"):
        raise InputError(source.display, "is not a WebVTT file (no WEBVTT header)",
                         "export the transcript again as .vtt, or rename it .txt")
    cues = _parse_cues(raw)
    if not cues:
        raise InputError(source.display, "holds no subtitle cues",
                         "check the export; a cue is a timing line then its text")
    declared = _NOTE_INTERVIEWER.search(raw)
    return [_document(source, _merge(cues), declared.group("name") if declared else None)]


def _parse_cues(raw: str) -> list[_Cue]:
    cues = []
    for block in re.split(r"\n\s*\n", raw):
        lines = block.strip("\n").split("\n")
        timing_at = next((i for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if timing_at is None or lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing = _TIMING.match(lines[timing_at])
        body = " ".join(line.strip() for line in lines[timing_at + 1:] if line.strip())
        speaker, words = _speaker_and_words(body)
        if words:
            cues.append(_Cue(timing.group("start"), timing.group("end"), speaker, words))
    return cues


def _speaker_and_words(body: str) -> tuple[str | None, str]:
    voice = _VOICE.search(body)
    speaker = voice.group("name").strip() if voice else None
    words = " ".join(_TAG.sub("", body).split())
    if speaker is None:
        zoom = _ZOOM_SPEAKER.match(words)
        if zoom:
            speaker, words = zoom.group("name").strip(), words[zoom.end():]
    return speaker, words


def _merge(cues: list[_Cue]) -> list[_Cue]:
    """Consecutive cues of one speaker become one turn spanning their times."""
    turns: list[_Cue] = []
    for cue in cues:
        if turns and turns[-1].speaker == cue.speaker:
            last = turns[-1]
            turns[-1] = _Cue(last.start, cue.end, last.speaker, f"{last.text} {cue.text}")
        else:
            turns.append(cue)
    return turns


def _document(source: Source, turns: list[_Cue], declared: str | None) -> Document:
    interviewers = interviewer_labels_for([t.speaker or "" for t in turns],
                                          [t.text for t in turns], declared)
    parts: list[str] = []
    regions: list[Region] = []
    offset = 0
    for number, turn in enumerate(turns, start=1):
        prefix = f"{turn.speaker}: " if turn.speaker else ""
        start = offset + len(prefix)
        parts.append(prefix + turn.text)
        role = INTERVIEWER if normalise_label(turn.speaker or "") in interviewers else PARTICIPANT
        times = frozen_mapping({"start_time": turn.start, "end_time": turn.end})
        regions.append(Region(start, start + len(turn.text), speaker=turn.speaker, role=role,
                              key=str(number), attributes=times))
        offset += len(prefix) + len(turn.text) + 1  # the "\n" joining lines
    return Document(id=source.id, text="\n".join(parts), kind=TRANSCRIPT,
                    source_path=source.id, regions=tuple(regions))
